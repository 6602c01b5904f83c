"""The SPARQL 1.1 Protocol endpoint at ``/sparql`` (query by GET and POST)."""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse, Response

from geokg.graph import FormatError, GeokgError, QuerySyntaxError

router = APIRouter()

#: Media type → format name, for SELECT/ASK and for CONSTRUCT/DESCRIBE.
RESULTS_MEDIA = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
RDF_MEDIA = {
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdf",
}
MEDIA_OF = {
    **{v: k for k, v in RDF_MEDIA.items()},
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}


@router.get("/sparql")
async def sparql_get(request: Request) -> Response:
    """SPARQL query by GET (``?query=``)."""
    queries = request.query_params.getlist("query")
    return await _answer(request, queries)


@router.post("/sparql")
async def sparql_post(request: Request) -> Response:
    """SPARQL query by POST, form-encoded or ``application/sparql-query``."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return PlainTextResponse("request body is not UTF-8", status_code=400)
    if media == "application/sparql-query":
        return await _answer(request, [text])
    if media == "application/x-www-form-urlencoded":
        return await _answer(request, parse_qs(text).get("query", []))
    return PlainTextResponse(f"unsupported media type {media!r}", status_code=415)


async def _answer(request: Request, queries: list[str]) -> Response:
    if len(queries) != 1:
        return PlainTextResponse("give exactly one 'query' parameter", status_code=400)
    kg = request.app.state.kg
    accept = request.headers.get("accept", "")
    wanted = [m.split(";")[0].strip().lower() for m in accept.split(",")]
    results = next((RESULTS_MEDIA[m] for m in wanted if m in RESULTS_MEDIA), "json")
    rdf = next((RDF_MEDIA[m] for m in wanted if m in RDF_MEDIA), "ttl")
    try:
        try:
            kind, data = await run_in_threadpool(kg.query_serialized, queries[0], results)
        except FormatError:
            kind, data = await run_in_threadpool(kg.query_serialized, queries[0], rdf)
    except QuerySyntaxError as error:
        return PlainTextResponse(str(error), status_code=400)
    except GeokgError as error:
        return PlainTextResponse(str(error), status_code=500)
    media = MEDIA_OF[rdf] if kind == "triples" else MEDIA_OF[results]
    return Response(data, media_type=media)
