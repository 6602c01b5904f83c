"""A candidate claim proposed by ``geokg ingest``: what the text says, where, and how sure.

A candidate is not a fact and not yet a curated claim. It carries the fields of a
``gk:QuantityClaim`` or ``gk:StatementClaim`` of the knowledge base (ontology/kb/claims.ttl)
as IRIs where the graph already knows the thing, plus what the text says as written
(``*_text`` fields), the sentence's character offsets in the article, and a confidence.

This module is the contract between extraction (:mod:`geokg.graph.ingest.extract`) and
curation (:mod:`geokg.graph.ingest.curation`): extraction produces candidates, curation
stores them in a candidates graph and turns the accepted ones into claims.

>>> c = Candidate(kind="quantity", quote="Le NIS estime qu'au moins 10 000 soldats…",
...               start=0, end=42, measure=MSR + "troops-deployed", min_value=10000,
...               qualifiers=(QUAL + "at-least",), attributed_to=ORG + "nis",
...               attributed_text="NIS", as_of="2024-10", as_of_precision="gYearMonth")
>>> c.figure
'≥10000'
>>> c.key()[0:2]
('quantity', 'https://w3id.org/geokg/id/measure/troops-deployed')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ID = "https://w3id.org/geokg/id/"
MSR = ID + "measure/"
QUAL = ID + "qualifier/"
ORG = ID + "org/"

Kind = Literal["quantity", "statement"]
Precision = Literal["date", "gYearMonth", "gYear"]


@dataclass(frozen=True)
class Candidate:
    """One proposed claim.

    - ``kind``: ``"quantity"`` (a figure: ``gk:QuantityClaim``) or ``"statement"``
      (a denial, acknowledgement, assessment: ``gk:StatementClaim``).
    - ``quote``: the sentence exactly as in the article (same code points), which is
      ``text[start:end]`` of the article text given to the extractor.
    - ``measure``: IRI of a concept of ``scheme:measure`` (quantity claims), or None if
      no measure could be told.
    - ``value`` / ``min_value`` / ``max_value``: the figure or its range (shares as
      fractions: « un tiers » → 0.333…, « moins de 1 % » → max 0.01).
    - ``unit``: what the figure counts in, when it is not a count of things: ``"share"``
      (the value is a fraction, « 90 % » → 0.9: ``schema:unitText "percent"`` with the value
      times 100 in a curated claim), an ISO 4217 currency code (``"EUR"``, ``"RUB"``) or
      ``"km2"``; None for a count.
    - ``qualifiers``: IRIs of ``scheme:qualifier`` concepts for the hedges as written
      (environ → approximately, jusqu'à → up-to, plus de / at least → at-least…).
    - ``attributed_to``: IRI of the agent the text credits (an actor of the graph), or
      None when the text credits someone the graph does not know; ``attributed_text`` is
      the name as written ("le NIS", "British intelligence", "Zelensky").
    - ``about``: IRI of what the claim is about (a deployment, a transfer, an actor, a
      treaty article) or None; ``about_text`` what the text names.
    - ``as_of``: the date as precise as the text gives it ("2024-10-18", "2024-10",
      "2023"), with ``as_of_precision`` the XSD type to use; None if the text gives none
      (curation then uses the source document's date and says so in a note).
    - ``statement``: for statement claims, a short paraphrase (may be the quote itself).
    - ``confidence``: 0..1, how sure the extractor is of the whole candidate.
    - ``new_actors``: names the text credits or mentions that the graph does not know,
      proposed as new actors.
    """

    kind: Kind
    quote: str
    start: int
    end: int
    measure: str | None = None
    value: float | None = None
    min_value: float | None = None
    max_value: float | None = None
    qualifiers: tuple[str, ...] = ()
    attributed_to: str | None = None
    attributed_text: str | None = None
    about: str | None = None
    about_text: str | None = None
    as_of: str | None = None
    as_of_precision: Precision | None = None
    statement: str | None = None
    confidence: float = 0.5
    new_actors: tuple[str, ...] = field(default=())
    unit: str | None = None

    @property
    def figure(self) -> str:
        """The figure in one short string: ``"12000"``, ``"10000–15000"``, ``"≥10000"``."""
        if self.value is not None:
            return _number(self.value)
        if self.min_value is not None and self.max_value is not None:
            return f"{_number(self.min_value)}–{_number(self.max_value)}"
        if self.min_value is not None:
            return f"≥{_number(self.min_value)}"
        if self.max_value is not None:
            return f"≤{_number(self.max_value)}"
        return ""

    def key(self) -> tuple:
        """What makes two candidates the same proposal (to remember rejections and to
        compare with curated claims): kind, measure, figure, agent, date, sentence start."""
        return (self.kind, self.measure, self.figure, self.attributed_to, self.as_of, self.start)


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
