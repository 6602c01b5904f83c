"""The landing page ``/`` and the entity search ``/search?q=``.

``/`` says what the service holds (triples per named graph, the data sets loaded with their
citations, as their source documents record them) and links to the query page, the views and
the ontology. ``/search?q=Koursk`` finds entities by any label or alias (see
:mod:`geokg.graph.lookup`). Both answer HTML to a browser and JSON to a client that asks
(``Accept: application/json`` or ``format=json``). No script: the search box is a plain form,
and every string from the data is escaped by the template engine.
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from geokg.graph import DERIVED_GRAPH, KB_GRAPH, ONTOLOGY_GRAPH, SHAPES_GRAPH
from geokg.graph.ingest.candidates_graph import CANDIDATES_GRAPHS, CURATED_CLAIMS_GRAPH
from geokg.graph.lookup import MAX_LENGTH, MAX_ROWS, SearchError, search

from .conneg import choose
from .entities import local_href, short, templates
from .sparql import PAGE_HEADERS, ProtocolError

router = APIRouter()

HTML, JSON = "text/html", "application/json"
#: What the named graphs that geokg itself fills hold.
ABOUT_GRAPH = {
    str(ONTOLOGY_GRAPH): "the OWL ontology and its SKOS concept schemes",
    str(SHAPES_GRAPH): "the SHACL shapes every load is validated against",
    str(KB_GRAPH): "the curated knowledge base: treaties and their articles, deployments, "
    "sourced claims, every state",
    str(DERIVED_GRAPH): "edges derived from the others (assistance obligations, alliances), "
    "rebuilt after every change",
    CURATED_CLAIMS_GRAPH: "claims accepted by curators from ingested articles (geokg curate, "
    "/curation)",
}
#: What a candidates graph of an ingested article holds (graph/candidates/<slug>).
ABOUT_CANDIDATES = "an ingested article, its text and the candidate claims proposed from it, "
ABOUT_CANDIDATES += "each proposed, accepted or rejected (not claims until accepted)"
#: The source documents that describe a data set: those with a citation.
DATASETS = """
PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?g ?doc ?label ?citation ?version ?licence WHERE {
  GRAPH ?g {
    ?doc a gk:SourceDocument ; dcterms:bibliographicCitation ?citation .
    OPTIONAL { ?doc rdfs:label ?label FILTER(langMatches(lang(?label), "en")) }
    OPTIONAL { ?doc owl:versionInfo ?version }
    OPTIONAL { ?doc dcterms:license ?licence }
  }
} ORDER BY ?g ?label ?doc
"""
DOCUMENTS = """
SELECT ?g (COUNT(DISTINCT ?doc) AS ?n) WHERE {
  GRAPH ?g { ?doc a <https://w3id.org/geokg/ontology#SourceDocument> }
} GROUP BY ?g
"""
#: The views and pages the landing page links to (path, title, what it shows).
LINKS = [
    ("/sparql", "SPARQL query page", "ask anything; the examples are the competency questions"),
    ("/views/alliances", "Alliance network", "who is allied to whom on a date, by provision"),
    ("/views/actor/PRK", "An actor's network", "North Korea's treaty partners, and theirs"),
    ("/views/deployments", "Deployments", "troops abroad over the obligations they invoke"),
    (
        "/views/cascade?attacked=kursk-oblast&attacker=UKR",
        "Obligation cascade",
        "who is bound to assist whom, round by round, if Kursk Oblast is attacked",
    ),
    ("/ontology", "Ontology documentation", "every class and property, in English and French"),
    ("/.well-known/void", "Service description", "the named graphs and their sizes, in VoID"),
]


def _wanted(request: Request) -> str:
    """HTML or JSON, from ``format`` or the Accept header."""
    asked = request.query_params.get("format")
    if asked:
        if asked not in ("html", "json"):
            raise ProtocolError(400, "format: html or json")
        return HTML if asked == "html" else JSON
    chosen = choose(request.headers.get("accept"), [HTML, JSON])
    if chosen is None:
        raise ProtocolError(406, f"offered: {HTML}, {JSON}")
    return chosen


def _graph_query(graph: str) -> str:
    """A link to the query page that lists the classes of ``graph`` and their sizes."""
    query = (
        f"SELECT ?class (COUNT(?s) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s a ?class }} }}\n"
        "GROUP BY ?class ORDER BY DESC(?n)"
    )
    return "/sparql?" + urlencode({"query": query})


def holdings(kg, counts: dict[str, int]) -> dict:
    """What the store holds: each named graph with its triples and data sets.

    >>> from geokg.graph import open_store
    >>> kg = open_store(None)
    >>> kb = holdings(kg, kg.counts())["graphs"][0]
    >>> kb["iri"], kb["triples"] > 1000, [d["label"] for d in kb["datasets"]][:1]
    ('https://w3id.org/geokg/graph/kb', True, ['Correlates of War Project: State System Membership List, v2016'])
    """
    datasets: dict[str, list[dict]] = {}
    for g, doc, label, citation, version, licence in kg.query(DATASETS, union=False):
        datasets.setdefault(str(g), []).append(
            {
                "iri": str(doc),
                "href": local_href(str(doc)),
                "label": str(label) if label is not None else short(str(doc)),
                "citation": str(citation),
                "version": str(version) if version is not None else None,
                "licence": str(licence) if licence is not None else None,
            }
        )
    documents = {str(g): int(n) for g, n in kg.query(DOCUMENTS, union=False)}
    graphs = [
        {
            "iri": graph,
            "name": graph.rsplit("/graph/", 1)[-1] if graph else "(default graph)",
            "triples": n,
            "about": ABOUT_GRAPH.get(graph)
            or (ABOUT_CANDIDATES if graph.startswith(CANDIDATES_GRAPHS) else ""),
            "source_documents": documents.get(graph, 0),
            "datasets": datasets.get(graph, []),
            "query": _graph_query(graph) if graph else None,
        }
        for graph, n in counts.items()
    ]
    return {"triples": sum(counts.values()), "graphs": graphs}


@router.get("/", include_in_schema=False)
async def home(request: Request) -> Response:
    """The landing page: what the service holds, where to go, a search box."""
    wanted = _wanted(request)
    endpoint = request.app.state.endpoint
    counts = await run_in_threadpool(endpoint.counts)
    held = await run_in_threadpool(holdings, request.app.state.kg, counts)
    if wanted == JSON:
        return JSONResponse(held, headers=PAGE_HEADERS)
    page = templates.get_template("home.html").render(held=held, links=LINKS, max_length=MAX_LENGTH)
    return HTMLResponse(page, headers=PAGE_HEADERS)


@router.get("/search", include_in_schema=False)
async def find(request: Request, q: str = "") -> Response:
    """Entities by any label or alias: ``/search?q=Koursk`` (HTML, or JSON when asked)."""
    wanted = _wanted(request)
    error, result = None, None
    try:
        result = await run_in_threadpool(search, request.app.state.kg, q)
    except SearchError as problem:
        error = str(problem)
    if wanted == JSON:
        if error:
            return JSONResponse({"error": error}, status_code=400, headers=PAGE_HEADERS)
        return JSONResponse(_as_json(result), headers=PAGE_HEADERS)
    page = templates.get_template("search.html").render(
        q=q,
        error=error,
        result=result and _for_page(result),
        max_length=MAX_LENGTH,
        max_rows=MAX_ROWS,
    )
    return HTMLResponse(page, status_code=400 if error else 200, headers=PAGE_HEADERS)


def _as_json(result) -> dict:
    return {
        "q": result.text,
        "words": result.words,
        "total": result.total,
        "complete": result.complete,
        "results": [
            {
                "iri": m.iri,
                "label": m.label,
                "href": local_href(m.iri),
                "matched": [{"label": text, "lang": lang} for text, lang in m.matched],
                "types": m.types,
            }
            for m in result.matches
        ],
    }


def _for_page(result) -> dict:
    found = _as_json(result)
    for item in found["results"]:
        item["types"] = [short(t) for t in item["types"]]
    return found
