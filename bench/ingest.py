"""How well ``geokg ingest`` finds the curated claims of the five source articles.

For each source document that names its text file (``gk:fileName``, the way ``geokg
check-quotes --sources`` finds it), the bench removes that article's claims from the knowledge
base (every claim ``prov:wasDerivedFrom`` it), runs :func:`geokg.graph.ingest.extract.propose`
on the article's text (its ``dcterms:date`` as the publication date), and compares the quantity
candidates with the article's curated ``gk:QuantityClaim``s, one to one:

- **figure**: same sentence (the candidate's quote overlaps the curated quote in the text) and
  same figure (value, or minimum and maximum; curated percentages are compared as fractions);
- **+ attribution**: and the same agent; a candidate that credits nobody (the text's own voice)
  matches a curated claim attributed to the article's author, outlet, or unnamed author;
- **full**: and the same measure and as-of date (a candidate without a date matches a curated
  claim dated with the article's own date, which is how the curators date undated claims).

Recall is the share of curated claims matched; precision the share of quantity candidates that
match one. The targets of issue 17 are on *figure + attribution*: recall ≥ 0.9, precision ≥ 0.8.
Two checks: no candidate credits the text's own voice where the curators credit someone else
(an agency the text names), and no candidate's date is more precise than the curated one.
Statement candidates are scored on their sentence and agent only: recall of the curated
statement claims, and precision of the statement candidates (a candidate is right when a
curated claim of its sentence has its agent).

The article texts are not in the repository::

    python bench/ingest.py --sources DIR [--strict]   # DIR: a folder with the five articles

``--strict`` also removes the entities only that article is the source of (the unnamed
analysts it mentions, say), so that the gazetteer does not know names minted for it; aliases
added to shared entities (« KCIA » on the NIS) stay.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from geokg.graph.ingest.candidate import Candidate
from geokg.graph.ingest.extract import propose

import geokg

SOURCES = """
PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?source ?file ?date ?lang
       (GROUP_CONCAT(DISTINCT STR(?own); separator=" ") AS ?voices) WHERE {
  ?source gk:fileName ?file ; dcterms:date ?date .
  OPTIONAL { ?source dcterms:language ?lang }
  OPTIONAL { { ?source dcterms:creator ?own } UNION { ?source dcterms:publisher ?own } }
} GROUP BY ?source ?file ?date ?lang ORDER BY ?file
"""
CLAIMS = """
PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
SELECT ?claim ?kind ?quote ?measure ?value ?min ?max ?unit ?asOf ?agent ?about WHERE {
  ?claim a ?kind ; prov:wasDerivedFrom <%s> ; gk:quote ?quote .
  VALUES ?kind { gk:QuantityClaim gk:StatementClaim }
  OPTIONAL { ?claim gk:measure ?measure }
  OPTIONAL { ?claim schema:value ?value }
  OPTIONAL { ?claim schema:minValue ?min }
  OPTIONAL { ?claim schema:maxValue ?max }
  OPTIONAL { ?claim schema:unitText ?unit }
  OPTIONAL { ?claim gk:asOf ?asOf }
  OPTIONAL { ?claim prov:wasAttributedTo ?agent }
  OPTIONAL { ?claim gk:about ?about }
} ORDER BY ?claim
"""
UNNAMED_AUTHORS = """
PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?g WHERE { ?g a gk:UnnamedGroup ; prov:wasDerivedFrom <%s> .
                  FILTER(CONTAINS(STR(?g), "/unnamed-author-")) }
"""
DROP_CLAIMS = """
PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
DELETE { GRAPH ?g { ?claim ?p ?o } } WHERE {
  GRAPH ?g { ?claim ?p ?o ; prov:wasDerivedFrom <%s> .
             { ?claim a gk:QuantityClaim } UNION { ?claim a gk:StatementClaim } }
}
"""
DROP_OWN_ENTITIES = """
PREFIX prov: <http://www.w3.org/ns/prov#>
DELETE { GRAPH ?g { ?s ?p ?o } } WHERE {
  GRAPH ?g { ?s ?p ?o ; prov:wasDerivedFrom <%s> .
             FILTER NOT EXISTS { ?s prov:wasDerivedFrom ?other FILTER(?other != <%s>) } }
}
"""
AGENT_LABELS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?agent ?label WHERE {
  ?claim prov:wasAttributedTo ?agent . { ?agent rdfs:label ?label } UNION { ?agent skos:altLabel ?label }
}
"""
PRECISION = {"gYear": 1, "gYearMonth": 2, "date": 3}


@dataclass
class Curated:
    """One curated claim of the article, as the bench compares it."""

    iri: str
    kind: str
    quote: str
    start: int
    measure: str | None
    value: float | None
    min_value: float | None
    max_value: float | None
    as_of: str | None
    agent: str | None
    about: str | None

    @property
    def end(self) -> int:
        return self.start + len(self.quote)


@dataclass
class Score:
    """Counts for one article (or all)."""

    curated: int = 0
    candidates: int = 0
    figure: int = 0
    attributed: int = 0
    full: int = 0
    about: int = 0
    statements: int = 0
    statements_found: int = 0
    statement_candidates: int = 0
    statement_candidates_right: int = 0
    own_voice_errors: int = 0
    too_precise: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in vars(self):
            if name != "misses":
                setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses


def _float(x) -> float | None:
    return None if x is None else float(x)


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= max(1e-3 * abs(b), 1e-3)


def _figure_matches(c: Candidate, k: Curated) -> bool:
    return (
        _same(c.value, k.value)
        and _same(c.min_value, k.min_value)
        and _same(c.max_value, k.max_value)
    )


def _overlaps(c: Candidate, k: Curated) -> bool:
    return c.start < k.end and k.start < c.end


#: agent IRI → its labels and aliases (lower case, without parenthesised precisions)
LABELS: dict[str, set[str]] = {}


def _agent_matches(c: Candidate, k: Curated, voices: set[str]) -> bool:
    """Same agent; or nobody credited and the curators credit the text's own voice; or
    (``--strict``, where the graph may not know the agent) the words credited are the
    curated agent's name."""
    if c.attributed_to is None and c.attributed_text is None:
        return k.agent in voices
    if c.attributed_to is None and k.agent:
        words = _normal(c.attributed_text or "")
        return len(words) >= 4 and any(words == n or words in n for n in LABELS.get(k.agent, ()))
    return c.attributed_to == k.agent


def _normal(label: str) -> str:
    label = re.sub(r"\s*\([^)]*\)", "", label).strip().lower().replace("’", "'")
    return re.sub(r"^(?:les|le|la|l'|the)\s*", "", label)


def _date_matches(c: Candidate, k: Curated, document_date: str) -> bool:
    return c.as_of == k.as_of or (c.as_of is None and k.as_of == document_date)


def _curated(kg, source: str, text: str) -> list[Curated]:
    claims = []
    seen = set()
    for iri, kind, quote, measure, value, low, high, unit, as_of, agent, about in kg.query(
        CLAIMS % source
    ):
        if (iri, agent) in seen:
            continue  # a statement about several things: one claim
        seen.add((iri, agent))
        scale = 0.01 if unit is not None and str(unit) == "percent" else 1.0
        claims.append(
            Curated(
                str(iri), str(kind).rsplit("#", 1)[-1], str(quote), text.find(str(quote)),
                str(measure) if measure else None,
                *(None if x is None else float(x) * scale for x in (value, low, high)),
                str(as_of) if as_of else None, str(agent) if agent else None,
                str(about) if about else None,
            )
        )  # fmt: skip
    return claims


def score_article(
    kg, source: str, text: str, date: str, lang: str, voices: set[str], strict: bool = False
) -> Score:
    """Run ``propose`` on one article with its claims removed and compare (see module doc);
    ``strict``: also remove every entity that only this article is the source of."""
    curated = _curated(kg, source, text)
    kg.update(DROP_CLAIMS % source)
    if strict:
        kg.update(DROP_OWN_ENTITIES % (source, source))
    left = kg.query(CLAIMS % source)
    assert not left, f"{len(left)} claims of {source} still in the store"
    candidates = propose(kg, text, lang=lang, published=date)
    quantities = [c for c in candidates if c.kind == "quantity"]
    wanted = [k for k in curated if k.kind == "QuantityClaim"]
    score = Score(curated=len(wanted), candidates=len(quantities))
    free = list(quantities)
    for k in wanted:
        near = [c for c in free if _overlaps(c, k) and _figure_matches(c, k)]
        if not near:
            score.misses.append(f"figure not found: {_describe(k)}")
            continue
        best = max(
            near,
            key=lambda c: (
                _agent_matches(c, k, voices),
                c.measure == k.measure and _date_matches(c, k, date),
            ),
        )
        free.remove(best)
        score.figure += 1
        if c_own_voice(best) and k.agent not in voices:
            score.own_voice_errors += 1
        if best.as_of and k.as_of and PRECISION[best.as_of_precision] > _precision(k.as_of):
            score.too_precise += 1
        if not _agent_matches(best, k, voices):
            got = best.attributed_to or best.attributed_text or "the text's own voice"
            score.misses.append(f"agent {_short(got)} (curated {_short(k.agent)}): {_describe(k)}")
            continue
        score.attributed += 1
        problems = []
        if best.measure != k.measure:
            problems.append(f"measure {_short(best.measure)} (curated {_short(k.measure)})")
        if not _date_matches(best, k, date):
            problems.append(f"date {best.as_of} (curated {k.as_of})")
        if problems:
            score.misses.append(f"{'; '.join(problems)}: {_describe(k)}")
        else:
            score.full += 1
            score.about += best.about == k.about
    for c in free:
        score.misses.append(f"extra candidate {c.figure} {_short(c.measure)}: «{c.quote[:70]}…»")
    statements = [k for k in curated if k.kind == "StatementClaim" and k.start >= 0]
    score.statements = len(statements)
    for k in statements:
        if any(_overlaps(c, k) and _agent_matches(c, k, voices) for c in candidates):
            score.statements_found += 1
    proposed = [c for c in candidates if c.kind == "statement"]
    score.statement_candidates = len(proposed)
    score.statement_candidates_right = sum(
        any(_overlaps(c, k) and _agent_matches(c, k, voices) for k in curated) for c in proposed
    )
    return score


def c_own_voice(c: Candidate) -> bool:
    return c.attributed_to is None and c.attributed_text is None


def _precision(as_of: str) -> int:
    return {4: 1, 7: 2}.get(len(as_of), 3)


def _short(iri: str | None) -> str:
    return "none" if iri is None else iri.rsplit("/", 1)[-1]


def _describe(k: Curated) -> str:
    figure = k.value if k.value is not None else f"{k.min_value}–{k.max_value}"
    return f"{_short(k.iri)} [{figure}] «{k.quote[:70]}…»"


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "  – "


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=Path, required=True, help="folder of the article texts")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="also remove the entities (actors, places) that only the article is the source of",
    )
    args = parser.parse_args(argv)
    reference = geokg.open_store(None)
    rows = list(reference.query(SOURCES))
    for agent, label in reference.query(AGENT_LABELS):
        LABELS.setdefault(str(agent), set()).add(_normal(str(label)))
    total = Score()
    print(
        f"{'article':28} {'claims':>6} {'cands':>5} {'R fig':>5} {'R attr':>6} {'P attr':>6} "
        f"{'R full':>6} {'P full':>6} {'stmt R':>6} {'stmt P':>6} {'own!':>4} {'prec!':>5} {'s':>5}"
    )
    for source, file, date, lang, own in rows:
        path = args.sources / str(file)
        if not path.is_file():
            print(f"{file}: not in {args.sources}", file=sys.stderr)
            return 2
        text = path.read_text(encoding="utf-8")
        voices = set(str(own).split()) | {
            str(g) for (g,) in reference.query(UNNAMED_AUTHORS % source)
        }
        kg = geokg.open_store(None)
        began = time.perf_counter()
        s = score_article(kg, str(source), text, str(date), str(lang or "fr"), voices, args.strict)
        seconds = time.perf_counter() - began
        kg.close()
        total.add(s)
        _row(str(file)[:28], s, seconds)
    _row("overall", total, None)
    print(
        f"\nfigure + attribution: recall {_ratio(total.attributed, total.curated)}, "
        f"precision {_ratio(total.attributed, total.candidates)} (targets 0.9 and 0.8); "
        f"own voice where an agent is credited: {total.own_voice_errors}; "
        f"dates more precise than curated: {total.too_precise}; "
        f"of the claims matched whole, {total.about} of {total.full} about the curated thing"
    )
    if total.misses:
        print("\nmisses:")
        for miss in total.misses:
            print(f"  {miss}")
    return 0


def _row(name: str, s: Score, seconds: float | None) -> None:
    print(
        f"{name:28} {s.curated:6} {s.candidates:5} {_ratio(s.figure, s.curated):>5} "
        f"{_ratio(s.attributed, s.curated):>6} {_ratio(s.attributed, s.candidates):>6} "
        f"{_ratio(s.full, s.curated):>6} {_ratio(s.full, s.candidates):>6} "
        f"{_ratio(s.statements_found, s.statements):>6} "
        f"{_ratio(s.statement_candidates_right, s.statement_candidates):>6} "
        f"{s.own_voice_errors:4} {s.too_precise:5} "
        f"{'' if seconds is None else f'{seconds:5.1f}'}"
    )


if __name__ == "__main__":
    sys.exit(main())
