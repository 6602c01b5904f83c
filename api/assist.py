"""Helpers of the query page: labels for a page of results, and autocompletion.

- ``POST /labels`` with ``{"iris": [...], "lang": "en"}`` answers ``{"labels": {iri: label}}``:
  the ``rdfs:label`` (else ``skos:prefLabel``) of each IRI in the asked language, else in
  English, else in any language. One query per page of results, never one per cell.
- ``GET /autocomplete?kind=class|property|entity&q=TEXT&lang=en`` answers
  ``{"results": [{"iri", "label"}]}``: classes and properties of the ontology, or entities
  (states, treaties, agencies, persons, concepts of the code lists, …) whose label, alias
  or IRI contains ``q`` (a prefixed name such as ``gk:Tre`` or a full IRI is matched as the
  start of the IRI).

Both run through the endpoint's executor (worker processes, the query time limit).
"""

from __future__ import annotations

import json
import re

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from geokg.graph import PREFIXES

from .sparql import ProtocolError, read_body

router = APIRouter()
MAX_IRIS = 1000
MAX_SUGGESTIONS = 50
LANGUAGES = ("en", "fr")
LABEL = "rdfs:label|skos:prefLabel|skos:altLabel"
KINDS = {
    "class": "VALUES ?type { owl:Class rdfs:Class } GRAPH ?g { ?iri a ?type }",
    "property": "VALUES ?type { owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty "
    "rdf:Property } GRAPH ?g { ?iri a ?type }",
    "scheme": "?iri a skos:ConceptScheme",
    "entity": "?iri a ?type . FILTER(isIRI(?iri) && ?type NOT IN (owl:Class, rdfs:Class, "
    "owl:ObjectProperty, owl:DatatypeProperty, owl:AnnotationProperty, rdf:Property, "
    "owl:Ontology))",
}


def _run(request: Request, query: str) -> list[dict]:
    """The bindings of a SELECT run like any query of the endpoint (time limit, no row cap)."""
    endpoint = request.app.state.endpoint
    spec = {"query": query, "results": "json", "rdf": "ttl", "union": True, "prefixes": PREFIXES}
    outcome = endpoint.executor.run(spec, endpoint.settings.query_timeout)
    if outcome[0] != "ok":
        raise ProtocolError(500, f"the label query failed: {outcome[1]}")
    return json.loads(outcome[3])["results"]["bindings"]


def _language(value: str | None) -> str:
    return value if value in LANGUAGES else "en"


def _best(bindings: list[dict], lang: str) -> dict[str, str]:
    """One label per IRI: the asked language, else English, else any."""
    rank: dict[str, tuple[int, str]] = {}
    for row in bindings:
        iri, label = row["iri"]["value"], row["label"]
        tag = label.get("xml:lang", "")
        score = 0 if tag == lang else 1 if tag == "en" else 2
        score += 3 * int(row.get("alt", {}).get("value", "0") == "1")
        if iri not in rank or (score, label["value"]) < rank[iri]:
            rank[iri] = (score, label["value"])
    return {iri: value for iri, (_, value) in rank.items()}


def labels_query(iris: list[str]) -> str:
    """The query for the labels of ``iris`` (IRIs checked by the caller).

    >>> print(labels_query(["https://w3id.org/geokg/id/state/PRK"]))  # doctest: +NORMALIZE_WHITESPACE
    SELECT ?iri ?label ?alt WHERE { VALUES ?iri { <https://w3id.org/geokg/id/state/PRK> }
      { ?iri rdfs:label|skos:prefLabel ?label } UNION { ?iri skos:altLabel ?label BIND(1 AS ?alt) } }
    """
    values = " ".join(f"<{iri}>" for iri in iris)
    return (
        f"SELECT ?iri ?label ?alt WHERE {{ VALUES ?iri {{ {values} }}\n"
        "  { ?iri rdfs:label|skos:prefLabel ?label } UNION "
        "{ ?iri skos:altLabel ?label BIND(1 AS ?alt) } }"
    )


@router.post("/labels")
async def labels(request: Request) -> dict:
    """The labels of up to 1000 IRIs, in one query."""
    body = await read_body(request, 200_000)
    try:
        asked = json.loads(body)
        iris = [str(i) for i in asked["iris"]]
    except (ValueError, KeyError, TypeError):
        raise ProtocolError(400, 'send JSON: {"iris": ["https://…", …], "lang": "en"}') from None
    if len(iris) > MAX_IRIS:
        raise ProtocolError(400, f"at most {MAX_IRIS} IRIs per request (got {len(iris)})")
    valid = []
    for iri in dict.fromkeys(iris):
        try:
            valid.append(ox.NamedNode(iri).value)
        except ValueError:
            continue  # not an IRI: it has no label
    if not valid:
        return {"labels": {}}
    bindings = await run_in_threadpool(_run, request, labels_query(valid))
    return {"labels": _best(bindings, _language(asked.get("lang")))}


def _clean(text: str) -> str:
    """The search text with nothing that could leave a SPARQL string literal."""
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s:./#'()-]", "", text))[:100].strip()


def autocomplete_query(kind: str, text: str) -> str:
    """The query for suggestions of ``kind`` matching ``text`` (already cleaned)."""
    prefix, colon, local = text.partition(":")
    if colon and prefix in PREFIXES:
        match = f'STRSTARTS(STR(?iri), "{PREFIXES[prefix]}{local}")'
    elif text.startswith(("http://", "https://")):
        match = f'STRSTARTS(STR(?iri), "{text}")'
    else:
        needle = text.lower()
        match = (
            f'CONTAINS(LCASE(STR(?name)), "{needle}") || '
            f'CONTAINS(LCASE(REPLACE(STR(?iri), "^.*[/#]", "")), "{needle}")'
        )
    return (
        f"SELECT DISTINCT ?iri ?label ?alt WHERE {{ {{ SELECT DISTINCT ?iri WHERE {{\n"
        f"  {KINDS[kind]} OPTIONAL {{ ?iri {LABEL} ?name }} FILTER({match})\n"
        f"}} ORDER BY STRLEN(STR(?iri)) LIMIT {MAX_SUGGESTIONS} }}\n"
        "  OPTIONAL { { ?iri rdfs:label|skos:prefLabel ?label } UNION "
        "{ ?iri skos:altLabel ?label BIND(1 AS ?alt) } } }"
    )


@router.get("/autocomplete")
async def autocomplete(request: Request, kind: str = "entity", q: str = "", lang: str = "en"):
    """Suggestions for the query editor: IRIs with their label."""
    if kind not in KINDS:
        raise ProtocolError(400, f"kind is one of {', '.join(KINDS)}")
    text = _clean(q)
    if len(text) < 1:
        return {"results": []}
    bindings = await run_in_threadpool(_run, request, autocomplete_query(kind, text))
    best = _best([b for b in bindings if "label" in b], _language(lang))
    order = list(dict.fromkeys(b["iri"]["value"] for b in bindings))
    return {"results": [{"iri": iri, "label": best.get(iri, "")} for iri in order]}
