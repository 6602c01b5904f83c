"""Curation: store an article's candidates, then accept (with edits) or reject each one.

- :func:`ingest_article` runs the extraction (:func:`geokg.graph.ingest.extract.propose`) on an
  article and keeps what is new in the article's candidates graph (:func:`store_candidates`).
- :func:`accept` writes a ``gk:QuantityClaim`` or ``gk:StatementClaim`` exactly like the
  curated ones (the sentence as ``gk:quote``, ``prov:wasAttributedTo``,
  ``prov:wasDerivedFrom`` the article, ``gk:asOf`` at its precision, an editorial note when
  the text gives no date) into the graph of curated claims from ingestion
  (``graph/curated-claims``), and marks the candidate accepted.
- :func:`reject` marks it rejected.

Every write is one load through :meth:`KnowledgeGraph.load_data`: the article's whole
candidates graph (replaced) and, on accepting, the new claim, SHACL-validated together, then
written all or nothing with the derived graph's rebuild (crash-safe on disk; through
``geokg serve`` when it owns the store). A claim that violates a shape writes nothing: the
candidate stays proposed.

Decisions are serialised within a process (the server, or one command); two processes deciding
on candidates of the same article at the same moment could each rewrite its candidates graph
from the state before the other's decision (the claims themselves are never lost).

What is remembered: a candidate already in the article's candidates graph, whatever its
status, is not proposed again (same :meth:`Candidate.key`, or the same proposal on the same
sentence at another offset); nor is a figure that a claim of the same article already quotes
(a claim derived from this source document, or from one with the same title, as the seed
articles curated by hand: same kind and figure, overlapping quote). So ingesting an article
again proposes only what is new.

>>> import geokg
>>> kg = geokg.open_store(None)
>>> NIS = "https://w3id.org/geokg/id/org/nis"
>>> a = Article(text="Selon le NIS, 1 500 soldats.", title="T", date="2024-10")
>>> c = Candidate(kind="quantity", quote=a.text, start=0, end=len(a.text), value=1500,
...               measure=MSR + "troops-deployed", attributed_to=NIS,
...               about="https://w3id.org/geokg/id/deployment/prk-expeditionary-force-russia")
>>> result = store_candidates(kg, a, [c])
>>> [s.status for s in result.new]
['proposed']
>>> claim = accept(kg, result.new[0].id)
>>> claim.startswith("https://w3id.org/geokg/id/claim/anon-2024-t-")
True
>>> store_candidates(kg, a, [c]).new
[]
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field, replace

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from ..errors import GeokgError
from ..namespaces import GK, ID
from .candidate import MSR, QUAL, Candidate
from .candidates_graph import (
    CANDIDATE_IRIS,
    CANDIDATES_GRAPHS,
    CURATED_CLAIMS_GRAPH,
    SCHEMA,
    Article,
    Stored,
    candidate_triples,
    candidates_graph,
    claim_iri,
    date_literal,
    expand,
    number_literal,
    read_candidates,
    set_status,
    slug_of,
    slugify,
    source_iri,
    source_slug,
    source_triples,
    stored_key,
)

__all__ = [
    "Article",
    "Edits",
    "IngestResult",
    "Stored",
    "SourceView",
    "accept",
    "article_of",
    "ingest_article",
    "list_sources",
    "reject",
    "source_view",
    "store_candidates",
]

ORG_IRIS = str(ID["org/"])
#: One decision at a time in this process (each rewrites its article's candidates graph).
_DECIDING = threading.Lock()
#: Claims of the store with a quote (to recognise figures the store already has).
_CLAIMS = """
PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?class ?quote ?value ?min ?max WHERE {
  VALUES ?class { gk:QuantityClaim gk:StatementClaim }
  ?c a ?class ; gk:quote ?quote ; prov:wasDerivedFrom ?doc .
  { FILTER(?doc = <%s>) } UNION { ?doc dcterms:title ?title FILTER(LCASE(STR(?title)) = %s) }
  OPTIONAL { ?c schema:value ?value } OPTIONAL { ?c schema:minValue ?min }
  OPTIONAL { ?c schema:maxValue ?max }
}"""
_SOURCES = f"""
PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?g ?doc ?title ?date ?status (COUNT(?c) AS ?n) WHERE {{
  GRAPH ?g {{
    ?doc a gk:SourceDocument ; dcterms:title ?title ; dcterms:date ?date .
    OPTIONAL {{ ?c gk:foundIn ?doc ; gk:status ?status }}
  }}
  FILTER(STRSTARTS(STR(?g), "{CANDIDATES_GRAPHS}"))
}} GROUP BY ?g ?doc ?title ?date ?status ORDER BY ?g"""


@dataclass(frozen=True)
class Edits:
    """What the curator changes on accepting a candidate (None: keep the candidate's).

    Giving any of ``value``, ``min_value``, ``max_value`` replaces the figure whole (the
    others are dropped). ``qualifiers``, ``measure``: bare names of the schemes
    (``at-least``, ``troops-deployed``) or IRIs; ``agent``, ``about``: IRIs, full or
    prefixed (``org:nis``); ``as_of``: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (its precision
    is the one written); ``statement``: the English paraphrase of a statement claim.
    """

    measure: str | None = None
    value: float | None = None
    min_value: float | None = None
    max_value: float | None = None
    qualifiers: tuple[str, ...] | None = None
    agent: str | None = None
    as_of: str | None = None
    about: str | None = None
    statement: str | None = None
    #: A name the graph does not know (as the text writes it): a new actor ``org:<slug>`` is
    #: written with the claim (labelled with the name in English and French, derived from the
    #: article) and the claim is attributed to it. Not with ``agent``.
    new_agent: str | None = None

    def changed(self) -> list[str]:
        """The names of the fields the curator set."""
        return [name for name, value in vars(self).items() if value is not None]


@dataclass
class IngestResult:
    """What an ingest stored: the article's source document and its new candidates."""

    source: str
    graph: str
    new: list[Stored] = field(default_factory=list)
    #: Proposals left out because the candidates graph already holds them (any status).
    already_decided: int = 0
    #: Proposals left out because a claim of the store already quotes their figure.
    already_curated: int = 0


@dataclass(frozen=True)
class SourceView:
    """An ingested article as its candidates graph holds it."""

    slug: str
    iri: str
    title: str
    date: str
    lang: str
    text: str
    publisher: str | None
    candidates: list[Stored]


# -- ingesting --------------------------------------------------------------------------------


def ingest_article(kg, article: Article) -> IngestResult:
    """Run the extraction on ``article`` and store the candidates that are new.

    The extraction (:mod:`geokg.graph.ingest.extract`, the ``ingest`` extra) is imported
    here, when first needed.
    """
    _check_article(article)  # bad input fails before the extraction runs
    from .extract import propose

    return store_candidates(
        kg, article, propose(kg, article.text, lang=article.lang, published=article.date)
    )


def store_candidates(kg, article: Article, candidates: list[Candidate]) -> IngestResult:
    """Keep the article and its new ``candidates`` in the article's candidates graph.

    Each candidate's quote must be ``article.text[start:end]`` (the contract of
    :class:`Candidate`); a candidate that breaks it fails the whole call (nothing written).
    """
    _check_article(article)
    for c in candidates:
        if article.text[c.start : c.end] != c.quote:
            raise GeokgError(
                f"candidate at {c.start}–{c.end}: its quote is not the article's text there"
            )
    slug = source_slug(article)
    graph_iri = candidates_graph(slug)
    result = IngestResult(source_iri(slug), graph_iri)
    with _DECIDING:
        graph = kg.to_rdflib(graph_iri)
        known = _known(graph)
        curated = _curated_spans(kg, article, result.source)
        fresh: list[Candidate] = []
        for c in candidates:
            if any(_same_proposal(c, key, quote) for key, quote in known):
                result.already_decided += 1
            elif _is_curated(c, curated):
                result.already_curated += 1
            else:
                fresh.append(c)
                known.append((c.key(), c.quote))
        if not fresh and len(graph):
            return result
        if not len(graph):
            source_triples(graph, slug, article)
        number = max((s.number for s in read_candidates(graph)), default=0)
        for c in fresh:
            number += 1
            iri = f"{CANDIDATE_IRIS}{slug}/{number}"
            candidate_triples(graph, iri, result.source, c, "proposed", article.lang)
            result.new.append(Stored(iri, result.source, c, "proposed"))
        _write(kg, graph_iri, graph)
    return result


def _check_article(article: Article) -> None:
    if not article.title.strip():
        raise GeokgError("an article needs a title")
    if not article.text.strip():
        raise GeokgError("an article needs a text")
    if article.lang not in ("fr", "en"):
        raise GeokgError(f"language {article.lang!r}: fr or en")
    date_literal(article.date)


def _known(graph: Graph) -> list[tuple[tuple, str]]:
    """(key, quote) of every candidate the graph holds."""
    return [
        (stored_key(graph, s.iri), s.candidate.quote)
        for s in read_candidates(graph)
        if graph.value(URIRef(s.iri), GK.candidateKey) is not None
    ]


def _same_proposal(c: Candidate, key: tuple, quote: str) -> bool:
    """Same key; or the same proposal (all but the offset) on the same sentence."""
    mine = c.key()
    return mine == key or (mine[:-1] == key[:-1] and c.quote == quote)


def _curated_spans(kg, article: Article, source: str) -> list[tuple[str, str, int, int]]:
    """(kind, figure, start, end) of the quotes of the article's claims found in its text."""
    text, spans = article.text, []
    title = json.dumps(article.title.strip().lower(), ensure_ascii=False)  # a SPARQL string
    for cls, quote, value, low, high in kg.query(_CLAIMS % (source, title)):
        quote = str(quote)
        at = text.find(quote) if quote else -1
        if at < 0:
            continue
        kind = "quantity" if str(cls).endswith("QuantityClaim") else "statement"
        figure = Candidate(
            kind=kind,
            quote=quote,
            start=0,
            end=0,
            value=_float(value),
            min_value=_float(low),
            max_value=_float(high),
        ).figure
        while at >= 0:
            spans.append((kind, figure, at, at + len(quote)))
            at = text.find(quote, at + 1)
    return spans


def _float(term) -> float | None:
    return float(term.toPython()) if term is not None else None


def _is_curated(c: Candidate, spans) -> bool:
    """Whether a claim of the store already quotes this candidate's sentence (and figure)."""
    return any(
        kind == c.kind
        and start < c.end
        and c.start < end
        and (kind == "statement" or fig == c.figure)
        for kind, fig, start, end in spans
    )


# -- deciding ---------------------------------------------------------------------------------


def accept(kg, candidate_id: str, edits: Edits | None = None) -> str:
    """Accept a candidate (``slug/number`` or its IRI), with ``edits``; return the claim's IRI.

    The claim is validated against the SHACL shapes with the candidates graph and written all
    or nothing (:class:`~geokg.graph.errors.ValidationError` when it does not conform:
    nothing is written, the candidate stays proposed).
    """
    edits = edits or Edits()
    with _DECIDING:
        graph, stored = _decidable(kg, candidate_id)
        claim = claim_iri(stored)
        actor = _new_actor(kg, graph, stored, edits)
        if actor is not None:
            edits = replace(edits, agent=next(iter(actor.subjects())))
        claims = _claim_graph(kg, graph + (actor or Graph()), stored, claim, edits)
        claims += actor or Graph()
        set_status(graph, stored.iri, "accepted", claim)
        _write(kg, candidates_graph(slug_of(stored.iri)), graph, claims)
    return claim


def reject(kg, candidate_id: str) -> None:
    """Reject a candidate: remembered, so that ingesting its article again skips it."""
    with _DECIDING:
        graph, stored = _decidable(kg, candidate_id)
        set_status(graph, stored.iri, "rejected")
        _write(kg, candidates_graph(slug_of(stored.iri)), graph)


def _decidable(kg, candidate_id: str) -> tuple[Graph, Stored]:
    """The candidates graph and the candidate, which must still be proposed."""
    slug = slug_of(candidate_id)
    iri = candidate_id if candidate_id.startswith(CANDIDATE_IRIS) else CANDIDATE_IRIS + candidate_id
    graph = kg.to_rdflib(candidates_graph(slug))
    found = [s for s in read_candidates(graph) if s.iri == iri.strip()]
    if not found:
        raise GeokgError(f"no candidate {candidate_id!r} (geokg curate list shows them)")
    if found[0].status != "proposed":
        raise GeokgError(f"candidate {found[0].id} is already {found[0].status}")
    return graph, found[0]


def _claim_graph(kg, graph: Graph, stored: Stored, claim: str, edits: Edits) -> Graph:
    """The claim that accepting ``stored`` with ``edits`` writes."""
    c = _edited(stored.candidate, edits)
    doc = URIRef(stored.source)
    lang = graph.value(URIRef(stored.iri), GK.quote).language
    node = URIRef(claim)
    out = Graph()
    cls = GK.QuantityClaim if c.kind == "quantity" else GK.StatementClaim
    out.add((node, RDF.type, cls))
    out.add((node, GK.quote, Literal(c.quote, lang=lang)))
    out.add((node, PROV.wasDerivedFrom, doc))
    for prop, iri in ((GK.about, c.about), (PROV.wasAttributedTo, c.attributed_to)):
        if iri:
            _check_known(kg, graph, iri)
            out.add((node, prop, URIRef(iri)))
    if c.kind == "quantity":
        if c.measure:
            out.add((node, GK.measure, URIRef(c.measure)))
        # a share is proposed as a fraction and kept as the knowledge base keeps shares:
        # in percent (« un tiers » → 33.3333 percent); other units as written (EUR, km2)
        scale, unit = (100, "percent") if c.unit == "share" else (1, c.unit)
        for prop, number in (
            (SCHEMA.value, c.value),
            (SCHEMA.minValue, c.min_value),
            (SCHEMA.maxValue, c.max_value),
        ):
            if number is not None:
                out.add((node, prop, number_literal(round(number * scale, 4))))
        if unit:
            out.add((node, SCHEMA.unitText, Literal(unit)))
        for qualifier in c.qualifiers:
            out.add((node, GK.qualifier, URIRef(qualifier)))
    elif c.statement and not (c.statement == c.quote and lang != "en"):
        out.add((node, GK.statement, Literal(c.statement, lang="en")))
    notes = [f"Proposed by geokg ingest (candidate {stored.id})"]
    if c.as_of:
        out.add((node, GK.asOf, date_literal(c.as_of)))
    else:
        out.add((node, GK.asOf, graph.value(doc, URIRef("http://purl.org/dc/terms/date"))))
        notes.insert(0, "Undated in the text: the source document's date")
    changed = edits.changed()
    notes.append(
        f"the curator changed: {', '.join(changed)}" if changed else "accepted as proposed"
    )
    out.add((node, SKOS.editorialNote, Literal("; ".join(notes) + ".", lang="en")))
    return out


def _new_actor(kg, graph: Graph, stored: Stored, edits: Edits) -> Graph | None:
    """The new actor that ``edits.new_agent`` names, as triples; None if it names none."""
    name = (edits.new_agent or "").strip()
    if not name:
        return None
    if edits.agent:
        raise GeokgError("give an agent of the graph or a new one, not both")
    iri = URIRef(f"{ORG_IRIS}{slugify(name)}")
    if not slugify(name):
        raise GeokgError(f"{name!r}: a new actor's name needs letters or digits")
    if kg.query(f"ASK {{ <{iri}> ?p ?o }}"):
        raise GeokgError(f"<{iri}> already exists: attribute the claim to it (agent)")
    lang = graph.value(URIRef(stored.iri), GK.quote).language
    actor = Graph()
    actor.add((iri, RDF.type, GK.Actor))
    for label_lang in ("en", "fr"):
        actor.add((iri, RDFS.label, Literal(name, lang=label_lang)))
    actor.add((iri, SKOS.altLabel, Literal(name, lang=lang)))
    actor.add((iri, PROV.wasDerivedFrom, URIRef(stored.source)))
    note = "Added by a curator from geokg ingest, named as the article writes it; its kind "
    note += "(agency, person, group) and identity are not yet checked."
    actor.add((iri, SKOS.editorialNote, Literal(note, lang="en")))
    return actor


def _edited(c: Candidate, e: Edits) -> Candidate:
    """The candidate with the curator's edits applied."""
    changes: dict = {}
    if e.measure is not None:
        changes["measure"] = _scheme_iri(e.measure, MSR)
    if (e.value, e.min_value, e.max_value) != (None, None, None):
        changes.update(value=e.value, min_value=e.min_value, max_value=e.max_value)
    if e.qualifiers is not None:
        changes["qualifiers"] = tuple(_scheme_iri(q, QUAL) for q in e.qualifiers if q.strip())
    if e.agent is not None:
        changes["attributed_to"] = expand(e.agent)
    if e.about is not None:
        changes["about"] = expand(e.about)
    if e.as_of is not None:
        date_literal(e.as_of)
        changes["as_of"] = e.as_of.strip()
    if e.statement is not None:
        changes["statement"] = e.statement.strip() or None
    return replace(c, **changes)


def _scheme_iri(name: str, namespace: str) -> str:
    """A concept IRI from a bare name of its scheme, or a full or prefixed IRI."""
    name = name.strip()
    if ":" in name:
        return expand(name)
    return namespace + name


def _check_known(kg, graph: Graph, iri: str) -> None:
    """An agent or subject must be something the store (or the candidates graph) describes."""
    if (URIRef(iri), None, None) in graph:
        return
    if not kg.query(f"ASK {{ <{URIRef(iri)}> ?p ?o }}"):
        raise GeokgError(f"<{iri}> is not in the store: give an actor, deployment… it holds")


def _write(kg, graph_iri: str, graph: Graph, claims: Graph | None = None) -> None:
    """Replace the candidates graph and add ``claims`` to the curated claims: one load."""
    data = _quads(graph, graph_iri)
    if claims is not None:
        data += _quads(claims, CURATED_CLAIMS_GRAPH)
    kg.load_data(data, format="nq", replace=[graph_iri], validate=True, name="curation")


def _quads(graph: Graph, graph_iri: str) -> str:
    """N-Quads of ``graph``'s triples in the named graph ``graph_iri``."""
    lines = graph.serialize(format="nt").splitlines()
    return "".join(f"{line[:-1]}<{graph_iri}> .\n" for line in lines if line.endswith(" ."))


# -- reading ----------------------------------------------------------------------------------


def source_view(kg, slug: str) -> SourceView:
    """An ingested article: its description, its text and its candidates."""
    graph = kg.to_rdflib(candidates_graph(slug))
    doc = URIRef(source_iri(slug))
    if (doc, RDF.type, GK.SourceDocument) not in graph:
        raise GeokgError(f"no ingested article {slug!r} (geokg curate list shows them)")
    dc = "http://purl.org/dc/terms/"
    text = graph.value(doc, GK.articleText)
    publisher = graph.value(doc, URIRef(dc + "publisher"))
    return SourceView(
        slug=slug,
        iri=str(doc),
        title=str(graph.value(doc, URIRef(dc + "title"))),
        date=str(graph.value(doc, URIRef(dc + "date"))),
        lang=str(graph.value(doc, URIRef(dc + "language"))),
        text=str(text),
        publisher=str(publisher) if publisher is not None else None,
        candidates=read_candidates(graph),
    )


def article_of(view: SourceView) -> Article:
    """The article a source view was ingested from (to ingest it again)."""
    return Article(view.text, view.title, view.date, view.publisher, view.lang)


def list_sources(kg) -> list[dict]:
    """Every ingested article: slug, IRI, title, date and its candidates by status."""
    found: dict[str, dict] = {}
    for g, doc, title, date, status, n in kg.query(_SOURCES, union=False):
        slug = str(g)[len(CANDIDATES_GRAPHS) :]
        entry = found.setdefault(
            slug,
            {"slug": slug, "iri": str(doc), "title": str(title), "date": str(date)}
            | {s: 0 for s in ("proposed", "accepted", "rejected")},
        )
        if status is not None:
            entry[str(status)] = int(n)
    return list(found.values())
