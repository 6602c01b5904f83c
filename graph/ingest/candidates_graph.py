"""The candidates graph of an article: its source document, its text, its candidate claims.

Each ingested article gets a source document ``id/source/<slug>`` and a named graph
``graph/candidates/<slug>`` that holds, and only holds: the source document (title, date,
publisher, language, the whole text as ``gk:articleText``) and one ``gk:Candidate`` per
proposal, with the claim fields in the knowledge base's own terms (``gk:measure``,
``schema:value`` …, ``gk:quote``), its offsets in the text, the extraction's confidence and
the curator's decision (``gk:status``: proposed, accepted, rejected). Candidates are never
written to the curated graph; accepting one writes a claim (see
:mod:`geokg.graph.ingest.curation`).

>>> a = Article(text="Selon le NIS, 1 500 soldats.", title="Un titre", date="2024-10",
...             publisher="Le Monde")
>>> source_slug(a)
'le-monde-2024-un-titre-7e124c0b'
>>> date_literal("2024-10").datatype.rsplit("#", 1)[-1]
'gYearMonth'
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from ..errors import GeokgError
from ..namespaces import GK, GRAPH, ID, PREFIXES
from .candidate import Candidate

SCHEMA = Namespace("https://schema.org/")
#: Candidates graphs are ``CANDIDATES_GRAPHS + slug``.
CANDIDATES_GRAPHS = str(GRAPH["candidates/"])
#: The named graph of the claims written by accepting candidates.
CURATED_CLAIMS_GRAPH = str(GRAPH["curated-claims"])
CANDIDATE_IRIS = str(ID["candidate/"])
SOURCE_IRIS = str(ID["source/"])
CLAIM_IRIS = str(ID["claim/"])
MSR_SCHEME = str(ID["scheme/measure"])
QUAL_SCHEME = str(ID["scheme/qualifier"])
STATUSES = ("proposed", "accepted", "rejected")
_CLASS = {"quantity": GK.QuantityClaim, "statement": GK.StatementClaim}
_KIND = {str(v): k for k, v in _CLASS.items()}
_PRECISION = {"date": XSD.date, "gYearMonth": XSD.gYearMonth, "gYear": XSD.gYear}
_DATE_FORMS = (
    (re.compile(r"^-?\d{4}-\d{2}-\d{2}$"), "date"),
    (re.compile(r"^-?\d{4}-\d{2}$"), "gYearMonth"),
    (re.compile(r"^-?\d{4}$"), "gYear"),
)


@dataclass(frozen=True)
class Article:
    """An article to ingest: its text and what the curator says about it.

    ``date`` is the article's date as precise as known (``2024-10-18``, ``2024-10``,
    ``2024``); ``publisher`` a name, or an IRI (full or prefixed, ``org:amri``) of an
    actor of the graph; ``lang`` the language of the text (``fr`` or ``en``).
    """

    text: str
    title: str
    date: str
    publisher: str | None = None
    lang: str = "fr"


@dataclass(frozen=True)
class Stored:
    """A candidate as the candidates graph holds it: its IRI, its short id, its decision."""

    iri: str
    source: str
    candidate: Candidate
    status: str
    accepted_as: str | None = None

    @property
    def id(self) -> str:
        """The short id the CLI and the page use: ``<source slug>/<number>``."""
        return self.iri[len(CANDIDATE_IRIS) :]

    @property
    def number(self) -> int:
        return int(self.iri.rsplit("/", 1)[1])


def date_literal(text: str) -> Literal:
    """A date at the precision it is written: xsd:date, xsd:gYearMonth or xsd:gYear.

    >>> str(date_literal("2024").datatype).endswith("gYear")
    True
    """
    text = (text or "").strip()
    for pattern, precision in _DATE_FORMS:
        if pattern.match(text):
            return Literal(text, datatype=_PRECISION[precision], normalize=False)
    raise GeokgError(f"date {text!r}: write YYYY-MM-DD, YYYY-MM or YYYY")


def slugify(text: str, limit: int = 48) -> str:
    """Lower-case ASCII words joined by hyphens, cut at a word boundary under ``limit``.

    >>> slugify("L'envoi de soldats nord-coréens en Russie")
    'l-envoi-de-soldats-nord-coreens-en-russie'
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug


def expand(term: str) -> str:
    """A full IRI from a full or prefixed one (geokg's prefixes: ``org:nis``).

    >>> expand("org:nis")
    'https://w3id.org/geokg/id/org/nis'
    >>> try:
    ...     expand("org:x> } ; DROP ALL")
    ... except GeokgError as error:
    ...     print(str(error)[:40])
    'org:x> } ; DROP ALL' is not an IRI: giv
    """
    term = term.strip()
    prefix, colon, local = term.partition(":")
    iri = PREFIXES[prefix] + local if colon and prefix in PREFIXES and local else term
    if iri.startswith(("http://", "https://")):
        try:
            return ox.NamedNode(iri).value  # a well-formed IRI (it goes into queries)
        except ValueError:
            pass
    raise GeokgError(f"{term!r} is not an IRI: give one in full or with a geokg prefix (org:nis)")


def shorten(iri: str | None) -> str:
    """A prefixed name for an IRI under one of geokg's id prefixes, else the IRI.

    >>> shorten("https://w3id.org/geokg/id/org/nis")
    'org:nis'
    """
    if iri is None:
        return ""
    best = ("", "")
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(best[1]):
            best = (prefix, namespace)
    local = iri[len(best[1]) :]
    return f"{best[0]}:{local}" if best[0] and "/" not in local and local else iri


def source_slug(article: Article) -> str:
    """Publisher, year, title words and a hash of the text: the same article gets the same
    slug on every run; another text under the same title gets another."""
    publisher = article.publisher or "anon"
    if publisher.startswith(("http://", "https://")) or ":" in publisher:
        publisher = publisher.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    year = date_literal(article.date)[:4].lstrip("-")
    digest = hashlib.sha256(article.text.encode("utf-8")).hexdigest()[:8]
    parts = [slugify(publisher, 24) or "anon", year, slugify(article.title) or "untitled", digest]
    return "-".join(parts)


_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,199}$")


def checked_slug(slug: str) -> str:
    """``slug`` if it is one (lower-case ASCII letters, digits, hyphens), else an error: a slug
    becomes part of IRIs written into queries.

    >>> try:
    ...     checked_slug("x> } ; DROP ALL")
    ... except GeokgError as error:
    ...     print(error)
    'x> } ; DROP ALL' is not an article's slug
    """
    if not _SLUG.match(slug):
        raise GeokgError(f"{slug!r} is not an article's slug")
    return slug


def source_iri(slug: str) -> str:
    return SOURCE_IRIS + checked_slug(slug)


def candidates_graph(slug: str) -> str:
    return CANDIDATES_GRAPHS + checked_slug(slug)


def claim_iri(stored: Stored) -> str:
    """The IRI of the claim that accepting ``stored`` writes: ``claim:<slug>-<number>``."""
    slug, number = stored.id.rsplit("/", 1)
    return f"{CLAIM_IRIS}{slug}-{number}"


def slug_of(candidate_id: str) -> str:
    """The source slug of a candidate id (``slug/3``) or IRI."""
    if candidate_id.startswith(CANDIDATE_IRIS):
        candidate_id = candidate_id[len(CANDIDATE_IRIS) :]
    slug, slash, number = candidate_id.strip().rpartition("/")
    if not slash or not _SLUG.match(slug) or not number.isdigit():
        raise GeokgError(f"{candidate_id!r} is not a candidate id (SOURCE/NUMBER)")
    return slug


def source_triples(graph: Graph, slug: str, article: Article) -> None:
    """Describe the article as a ``gk:SourceDocument`` (with its text) in ``graph``."""
    doc = URIRef(source_iri(slug))
    graph.add((doc, RDF.type, GK.SourceDocument))
    graph.add((doc, RDFS.label, Literal(article.title, lang=article.lang)))
    graph.add((doc, DCTERMS.title, Literal(article.title, lang=article.lang)))
    graph.add((doc, DCTERMS.date, date_literal(article.date)))
    graph.add((doc, DCTERMS.language, Literal(article.lang)))
    graph.add((doc, GK.fileName, Literal(f"{slug}.txt")))
    graph.add((doc, GK.articleText, Literal(article.text, lang=article.lang)))
    note = (
        "Ingested with geokg ingest: its text is gk:articleText (geokg curate text writes it out)."
    )
    if article.publisher:
        publisher = article.publisher.strip()
        try:
            graph.add((doc, DCTERMS.publisher, URIRef(expand(publisher))))
        except GeokgError:
            graph.add((doc, DCTERMS.publisher, Literal(publisher)))
    else:
        note += " Publisher not given."
    graph.add((doc, SKOS.editorialNote, Literal(note, lang="en")))


def number_literal(x: float) -> Literal:
    """An integer as xsd:integer, anything else as xsd:decimal (no binary rounding shown)."""
    if float(x).is_integer():
        return Literal(int(x))
    return Literal(Decimal(repr(float(x))), datatype=XSD.decimal)


def candidate_triples(
    graph: Graph, iri: str, source: str, candidate: Candidate, status: str, lang: str
) -> None:
    """Write one candidate into ``graph`` (see the module's docstring for the terms)."""
    node = URIRef(iri)
    add = graph.add
    add((node, RDF.type, GK.Candidate))
    add((node, GK.candidateClass, _CLASS[candidate.kind]))
    add((node, GK.foundIn, URIRef(source)))
    add((node, GK.status, Literal(status)))
    add((node, GK.startOffset, Literal(candidate.start)))
    add((node, GK.endOffset, Literal(candidate.end)))
    confidence = Decimal(str(round(min(max(candidate.confidence, 0.0), 1.0), 3)))
    add((node, GK.confidence, Literal(confidence, datatype=XSD.decimal)))
    add((node, GK.candidateKey, Literal(json.dumps(list(candidate.key()), ensure_ascii=False))))
    add((node, GK.quote, Literal(candidate.quote, lang=lang)))
    for prop, value in (
        (GK.measure, candidate.measure),
        (PROV.wasAttributedTo, candidate.attributed_to),
        (GK.about, candidate.about),
    ):
        if value:
            add((node, prop, URIRef(value)))
    for prop, number in (
        (SCHEMA.value, candidate.value),
        (SCHEMA.minValue, candidate.min_value),
        (SCHEMA.maxValue, candidate.max_value),
    ):
        if number is not None:
            add((node, prop, number_literal(number)))
    for qualifier in candidate.qualifiers:
        add((node, GK.qualifier, URIRef(qualifier)))
    if candidate.unit:  # "share" (a fraction), a currency code, "km2"
        add((node, SCHEMA.unitText, Literal(candidate.unit)))
    for prop, text in (
        (GK.attributedText, candidate.attributed_text),
        (GK.aboutText, candidate.about_text),
        (GK.statement, candidate.statement),
    ):
        if text:
            add((node, prop, Literal(text)))
    if candidate.as_of:
        precision = candidate.as_of_precision or _precision_of(candidate.as_of)
        add((node, GK.asOf, Literal(candidate.as_of, datatype=_PRECISION[precision])))
    for name in candidate.new_actors:
        add((node, GK.newActorName, Literal(name)))


def _precision_of(text: str) -> str:
    return str(date_literal(text).datatype).rsplit("#", 1)[-1]


def read_candidates(graph: Graph) -> list[Stored]:
    """The candidates of a candidates graph (an rdflib copy of it), in number order."""
    found = []
    for node in graph.subjects(RDF.type, GK.Candidate):
        one = _Reader(graph, node)
        as_of = one.term(GK.asOf)
        candidate = Candidate(
            kind=_KIND[one.text(GK.candidateClass)],
            quote=one.text(GK.quote),
            start=int(one.term(GK.startOffset)),
            end=int(one.term(GK.endOffset)),
            measure=one.text(GK.measure),
            value=_number(one.term(SCHEMA.value)),
            min_value=_number(one.term(SCHEMA.minValue)),
            max_value=_number(one.term(SCHEMA.maxValue)),
            qualifiers=tuple(sorted(str(q) for q in graph.objects(node, GK.qualifier))),
            unit=one.text(SCHEMA.unitText),
            attributed_to=one.text(PROV.wasAttributedTo),
            attributed_text=one.text(GK.attributedText),
            about=one.text(GK.about),
            about_text=one.text(GK.aboutText),
            as_of=str(as_of) if as_of is not None else None,
            as_of_precision=_precision_of(str(as_of)) if as_of is not None else None,
            statement=one.text(GK.statement),
            confidence=float(one.term(GK.confidence) or 0),
            new_actors=tuple(sorted(str(n) for n in graph.objects(node, GK.newActorName))),
        )
        stored = Stored(
            iri=str(node),
            source=one.text(GK.foundIn),
            candidate=candidate,
            status=one.text(GK.status),
            accepted_as=one.text(GK.acceptedAs),
        )
        found.append(stored)
    return sorted(found, key=lambda s: s.number)


class _Reader:
    """One node's single values in a graph: as terms, or as strings (None when absent)."""

    def __init__(self, graph: Graph, node):
        self.graph, self.node = graph, node

    def term(self, prop):
        return self.graph.value(self.node, prop)

    def text(self, prop) -> str | None:
        value = self.graph.value(self.node, prop)
        return str(value) if value is not None else None


def stored_key(graph: Graph, iri: str) -> tuple:
    """The key the extraction gave a stored candidate (kept as JSON)."""
    return tuple(json.loads(str(graph.value(URIRef(iri), GK.candidateKey))))


def _number(term) -> float | None:
    if term is None:
        return None
    value = term.toPython()
    return float(value) if not isinstance(value, int) else value


def set_status(graph: Graph, iri: str, status: str, accepted_as: str | None = None) -> None:
    """Record the curator's decision on a candidate in ``graph``."""
    node = URIRef(iri)
    graph.set((node, GK.status, Literal(status)))
    if accepted_as:
        graph.set((node, GK.acceptedAs, URIRef(accepted_as)))
