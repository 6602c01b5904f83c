"""Linked-data pages: every resource under https://w3id.org/geokg/ answered by its own path.

``GET /id/state/PRK`` gives an HTML page to a browser (label, types, its treaty ties
named by kind — defence pact, non-aggression pact… — every property with linked values,
incoming links, the claims about it with their sources) and Turtle, N-Triples, JSON-LD or RDF/XML to a client that asks.
``/ontology`` describes the ontology and every term (``/ontology#Treaty``).
Every string from the data is escaped by the template engine (autoescape).
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from geokg.graph import ONTOLOGY_GRAPH, PREFIXES
from geokg.graph.ontology_docs import ontology_html
from geokg.graph.patterns import claim_fields
from geokg.graph.ties import ties
from jinja2 import Environment, FileSystemLoader, select_autoescape

from .conneg import choose
from .iris import link_host
from .sparql import CANONICAL, PAGE_HEADERS, RDF_MEDIA, ProtocolError

router = APIRouter()

BASE = "https://w3id.org/geokg/"
ONTOLOGY = "https://w3id.org/geokg/ontology"
_BAD_IRI = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_LABEL_PREFERENCE = ("en", "", "fr")
GK_PARTY = "https://w3id.org/geokg/ontology#party"
GK_ALLIED = "https://w3id.org/geokg/ontology#alliedWith"

templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
)


def local_href(iri: str) -> str | None:
    """Where a link to ``iri`` goes: the local path for geokg's IRIs, http(s) IRIs with a host
    as they are; anything else (``javascript:``, ``//evil.example``, ``…/geokg//evil``) no link.

    >>> local_href(BASE + "id/state/PRK"), local_href(BASE + "/evil.example/phish")
    ('/id/state/PRK', None)
    >>> local_href("//evil.example/phish"), local_href("https://ex.org/a")
    (None, 'https://ex.org/a')
    """
    if _BAD_IRI.search(iri):
        return None
    if iri.startswith(BASE):
        path = iri[len(BASE) :]
        return "/" + path if path and path[0] not in "/\\" else None
    return iri if link_host(iri) else None


def outside_host(iri: str) -> str | None:
    """The host to show beside a link that leaves this site (None for a local one)."""
    href = local_href(iri)
    return link_host(href) if href and not href.startswith("/") else None


def short(iri: str) -> str:
    """``iri`` shortened with geokg's prefixes when it can be."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(best) and "/" not in iri[len(ns) :]:
            best, name = ns, prefix
    return f"{name}:{iri[len(best) :]}" if best else iri


def _term(term, labels: dict[str, str]) -> dict:
    """A view of an rdflib term for the template."""
    kind = term.__class__.__name__
    if kind == "URIRef":
        iri = str(term)
        return {
            "kind": "iri",
            "iri": iri,
            "href": local_href(iri),
            "host": outside_host(iri),
            "text": labels.get(iri) or short(iri),
        }
    if kind == "BNode":
        return {"kind": "bnode", "text": f"_:{term}"}
    note = f"@{term.language}" if term.language else ""
    if term.datatype and not term.language:
        note = short(str(term.datatype))
        if note == "xsd:string":
            note = ""
    return {"kind": "literal", "text": str(term), "note": note}


def _pick_label(found: dict[str, dict[str, str]]) -> dict[str, str]:
    out = {}
    for iri, by_lang in found.items():
        for lang in _LABEL_PREFERENCE:
            if lang in by_lang:
                out[iri] = by_lang[lang]
                break
        else:
            out[iri] = next(iter(by_lang.values()))
    return out


def _labels(kg, iris: set[str]) -> dict[str, str]:
    iris = {i for i in iris if _ABSOLUTE.match(i) and not _BAD_IRI.search(i)}
    if not iris:
        return {}
    found: dict[str, dict[str, str]] = {}
    items = sorted(iris)
    for start in range(0, len(items), 300):
        values = " ".join(f"<{i}>" for i in items[start : start + 300])
        rows = kg.query(
            f"SELECT ?r ?l WHERE {{ VALUES ?r {{ {values} }} "
            "?r <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
        )
        for r, label in rows:
            found.setdefault(str(r), {}).setdefault(label.language or "", str(label))
    return _pick_label(found)


def describe(kg, iri: str) -> dict | None:
    """Everything the page shows about ``iri``; None when the store knows nothing of it."""
    out = list(kg.query(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }} LIMIT 5000"))
    incoming = list(kg.query(f"SELECT ?s ?p WHERE {{ ?s ?p <{iri}> }} LIMIT 1000"))
    if not out and not incoming:
        return None
    claims = list(
        kg.query(
            f"""PREFIX gk: <https://w3id.org/geokg/ontology#>
            PREFIX schema: <https://schema.org/>
            PREFIX prov: <http://www.w3.org/ns/prov#>
            SELECT ?c ?measure ?value ?min ?max ?asOf ?agent ?source ?quote WHERE {{
              ?c gk:about <{iri}> .
              FILTER NOT EXISTS {{ ?c a gk:Candidate }}  # proposals awaiting a curator
              {claim_fields("?c", agent="?agent")}
            }} ORDER BY ?measure ?asOf ?c LIMIT 1000"""
        )
    )
    iris = {
        str(t)
        for row in (*out, *incoming, *claims)
        for t in row
        if t.__class__.__name__ == "URIRef"
    }
    labels = _labels(kg, iris | {iri})
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    found_ties = ties(kg, iri) if any(str(p) == GK_PARTY for _, p in incoming) else []
    if found_ties:  # the kinds of tie replace the blanket derived "allied with"
        out = [(p, o) for p, o in out if str(p) != GK_ALLIED]
        incoming = [(s_, p) for s_, p in incoming if str(p) != GK_ALLIED]
    properties: dict[str, list] = {}
    for p, o in out:
        properties.setdefault(str(p), []).append(o)
    types = [_term(o, labels) for o in properties.pop(rdf_type, [])]
    return {
        "iri": iri,
        "label": labels.get(iri) or short(iri),
        "types": types,
        "properties": [
            {"predicate": _term(_uri(p), labels), "objects": [_term(v, labels) for v in vs]}
            for p, vs in sorted(properties.items(), key=lambda item: short(item[0]))
        ],
        "incoming": [
            {"subject": _term(s, labels), "predicate": _term(p, labels)} for s, p in incoming
        ],
        "ties": [
            {
                "partner": _term(_uri(t["partner"]), {t["partner"]: t["partner_label"]}),
                "words": t["words"],
                "treaty": _term(_uri(t["treaty"]), {t["treaty"]: t["treaty_label"]}),
            }
            for t in found_ties
        ],
        "claims": [
            {
                "claim": _term(c, labels),
                **{
                    name: _term(value, labels) if value is not None else None
                    for name, value in zip(
                        ("measure", "value", "min", "max", "as_of", "agent", "source", "quote"),
                        rest,
                        strict=True,
                    )
                },
            }
            for c, *rest in claims
        ],
    }


def _uri(iri: str):
    from rdflib import URIRef

    return URIRef(iri)


def _rdf_query(iri: str) -> str:
    if iri == ONTOLOGY:
        return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}"
    return (
        f"CONSTRUCT {{ <{iri}> ?p ?o . ?c ?cp ?co }} WHERE {{ {{ <{iri}> ?p ?o }} UNION "
        f"{{ ?c <https://w3id.org/geokg/ontology#about> <{iri}> ; ?cp ?co }} }}"
    )


async def entity(request: Request) -> Response:
    """A resource by content negotiation: HTML, Turtle, N-Triples, JSON-LD or RDF/XML."""
    kg = request.app.state.kg
    iri = BASE + request.url.path.lstrip("/")
    if _BAD_IRI.search(iri):
        raise ProtocolError(404, "no such resource")
    chosen = choose(request.headers.get("accept"), ["text/html", *RDF_MEDIA])
    asked = request.query_params.get("format")
    if asked:
        by_name = {fmt: media for media, fmt in RDF_MEDIA.items()}
        if asked not in by_name:
            raise ProtocolError(400, f"format: one of {', '.join(by_name)}")
        chosen = by_name[asked]
    if chosen is None:
        raise ProtocolError(406, f"offered: text/html, {', '.join(RDF_MEDIA)}")
    headers = {"Vary": "Accept", "ETag": _etag(request, chosen)}
    if headers["ETag"] in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    if chosen != "text/html":
        fmt = RDF_MEDIA[chosen]
        known = await run_in_threadpool(
            kg.query, f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }}"
        )
        if not known and iri != ONTOLOGY:
            raise ProtocolError(404, f"nothing is known about <{iri}>")
        _, data = await run_in_threadpool(kg.query_serialized, _rdf_query(iri), fmt)
        return Response(data, media_type=CANONICAL[fmt], headers=headers)
    if iri == ONTOLOGY:
        page = await run_in_threadpool(ontology_html)
        return HTMLResponse(page, headers={**DOCS_HEADERS, **headers})
    view = await run_in_threadpool(describe, kg, iri)
    if view is None:
        page = templates.get_template("notfound.html").render(iri=iri)
        return HTMLResponse(page, status_code=404, headers=PAGE_HEADERS)
    page = templates.get_template("entity.html").render(e=view)
    return HTMLResponse(page, headers={**PAGE_HEADERS, **headers})


def _etag(request: Request, media: str) -> str:
    endpoint = request.app.state.endpoint
    return f'"{endpoint.boot}-{endpoint.version}-{media.replace("/", "_")}"'


#: The ontology's documentation (pyLODE) has inline styles and no script.
DOCS_HEADERS = {
    **PAGE_HEADERS,
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; frame-ancestors 'none'",
}

for _path in ("/id/{rest:path}", "/ontology", "/ontology/{rest:path}", "/graph/{rest:path}"):
    router.add_api_route(_path, entity, methods=["GET"], include_in_schema=False)
