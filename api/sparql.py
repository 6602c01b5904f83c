"""The SPARQL 1.1 Protocol at ``/sparql``: query, update, service description, query page.

Queries run in worker processes with a time limit (:mod:`geokg.api.pool`);
nothing a query says makes the server fetch anything unless the configuration
allows it (:mod:`geokg.api.safety`); answers carry an ETag tied to the data
version, and identical queries on unchanged data are answered from a cache.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
import secrets
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.datastructures import URL
from fastapi.responses import FileResponse, PlainTextResponse, Response
from geokg.graph import PREFIXES, GeokgError, QuerySyntaxError
from geokg.graph.sparql_errors import explain

from . import sandbox
from .config import Settings
from .conneg import choose
from .pool import QueryTimeout, ServerBusy
from .safety import TooComplex, inspect, with_using

router = APIRouter()

#: Media types offered for SELECT and ASK (first: the default), and the format of each.
RESULTS_MEDIA = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
}
#: Media types offered for CONSTRUCT and DESCRIBE.
RDF_MEDIA = {
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdf",
}
CANONICAL = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "ttl": "text/turtle; charset=utf-8",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
}
HTML = "text/html"
TRUNCATED = "X-Geokg-Truncated"
CACHE_ENTRIES = 256
CACHE_MAX_BYTES = 4_000_000


class ProtocolError(Exception):
    """An answer other than 200: status, a one-line message, extra headers."""

    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def protocol_error_response(request: Request, error: ProtocolError) -> Response:
    return PlainTextResponse(error.message + "\n", status_code=error.status, headers=error.headers)


@dataclass
class Reply:
    media: str
    data: bytes
    truncated: bool


class Endpoint:
    """State shared by the requests: settings, the executor, the data version, a small cache."""

    def __init__(self, kg, settings: Settings, executor):
        self.kg, self.settings, self.executor = kg, settings, executor
        self.boot = secrets.token_hex(4)
        self.version = 0
        self._cache: OrderedDict[str, Reply] = OrderedDict()
        self._graphs: tuple[int, set[str]] | None = None
        self._counts: tuple[int, dict[str, int]] | None = None
        # Updates run in one thread shut off from the network (LOAD, SERVICE in a WHERE), unless
        # the store is remote or SERVICE is allowed for some IRIs.
        network = bool(settings.allow_service) or getattr(kg.backend, "remote", False)
        self.updates = ThreadPoolExecutor(
            1, "update", initializer=None if network else sandbox.seal
        )

    async def run(self, request: dict) -> tuple:
        """Run ``request`` (see :mod:`geokg.api.worker`) within the query time limit: on the
        event loop if the executor can (the worker pool), else in a thread."""
        timeout = self.settings.query_timeout
        arun = getattr(self.executor, "arun", None)
        if arun is not None:
            return await arun(request, timeout)
        return await run_in_threadpool(self.executor.run, request, timeout)

    def bump(self) -> None:
        """The data changed: new version, empty cache."""
        self.version += 1
        self._cache.clear()

    def graphs(self) -> set[str]:
        if self._graphs is None or self._graphs[0] != self.version:
            self._graphs = (self.version, set(self.kg.graphs()))
        return self._graphs[1]

    def counts(self) -> dict[str, int]:
        if self._counts is None or self._counts[0] != self.version:
            self._counts = (self.version, self.kg.counts())
        return self._counts[1]

    def cached(self, key: str) -> Reply | None:
        reply = self._cache.get(key)
        if reply is not None:
            self._cache.move_to_end(key)
        return reply

    def remember(self, key: str, reply: Reply) -> None:
        if len(reply.data) <= CACHE_MAX_BYTES:
            self._cache[key] = reply
            while len(self._cache) > CACHE_ENTRIES:
                self._cache.popitem(last=False)


# -- reading the request ------------------------------------------------------------------------


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, or 413 past ``limit`` bytes (announced or actual)."""
    announced = request.headers.get("content-length", "")
    too_big = ProtocolError(413, f"request body larger than {limit} bytes")
    if announced.isdigit() and int(announced) > limit:
        raise too_big
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(400, f"request body is not UTF-8 (byte {error.start})") from None


def _media(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def _params(request: Request) -> tuple[list[tuple[str, str]], str | None]:
    """The protocol parameters as (name, value) pairs, and the body if it is the operation."""
    url_params = list(request.query_params.multi_items())
    if request.method == "GET":
        return url_params, None
    body = _utf8(await read_body(request, request.app.state.endpoint.settings.max_body_bytes))
    media = _media(request)
    if media == "application/x-www-form-urlencoded":
        try:
            form = parse_qsl(body, keep_blank_values=True, strict_parsing=False, errors="strict")
        except UnicodeDecodeError:
            raise ProtocolError(400, "form data is not UTF-8") from None
        return url_params + form, None
    if media in ("application/sparql-query", "application/sparql-update"):
        return url_params, body
    raise ProtocolError(
        400,
        f"unsupported media type {media or '(none)'!r}: POST application/sparql-query, "
        "application/sparql-update or application/x-www-form-urlencoded",
    )


def _values(params, name: str) -> list[str]:
    return [value for key, value in params if key == name]


# -- the endpoint -------------------------------------------------------------------------------


async def sparql_get(request: Request) -> Response:
    """Query by GET; without a query: the service description, or the query page for a browser."""
    params, _ = await _params(request)
    if _values(params, "update"):
        raise ProtocolError(400, "an update must be sent by POST")
    queries = _values(params, "query")
    accept = request.headers.get("accept")
    if not queries:
        offers = [*RDF_MEDIA, HTML]
        chosen = choose(accept, offers)
        if chosen == HTML:
            return query_page()
        if chosen is None:
            raise ProtocolError(400, "give a SPARQL query in the 'query' parameter")
        return await service_description(request, RDF_MEDIA[chosen])
    if len(queries) == 1 and choose(accept, [*RESULTS_MEDIA, *RDF_MEDIA, HTML]) == HTML:
        return query_page()
    return await answer_query(request, params, queries)


async def sparql_post(request: Request) -> Response:
    """Query or update by POST: form-encoded, ``application/sparql-query`` or ``-update``."""
    params, body = await _params(request)
    media = _media(request)
    queries, updates = _values(params, "query"), _values(params, "update")
    if media == "application/sparql-query":
        if queries or updates:
            raise ProtocolError(400, "the query is the body: no 'query' parameter as well")
        return await answer_query(request, params, [body])
    if media == "application/sparql-update":
        if queries or updates:
            raise ProtocolError(400, "the update is the body: no 'update' parameter as well")
        return await answer_update(request, params, [body])
    if queries and updates:
        raise ProtocolError(400, "give a 'query' or an 'update', not both")
    if updates:
        return await answer_update(request, params, updates)
    return await answer_query(request, params, queries)


# The protocol's two routes are plain Starlette routes: FastAPI's request handling (dependencies,
# exit stacks, response models) is not needed and costs a cheap query about a tenth of its time.
router.add_route("/sparql", sparql_get, methods=["GET"], include_in_schema=False)
router.add_route("/sparql", sparql_post, methods=["POST"], include_in_schema=False)


def _check_dataset(iris: list[str], what: str) -> None:
    """400 unless each of ``iris`` is an IRI. A graph the store does not hold is answered as an
    empty graph (SPARQL 1.1 Protocol): never fetched, never refused."""
    for iri in iris:
        try:
            ox.NamedNode(iri)
        except ValueError:
            raise ProtocolError(400, f"{what} <{iri}> is not an absolute IRI") from None


_UNSURE = (
    " (a variable, or the keyword glued to what follows it or hidden where it might be read: "
    "write it as SERVICE <iri> with a space)"
)


def _check_outside(endpoint: Endpoint, found) -> None:
    for target in found.services:
        if not endpoint.settings.allows(target):
            shown = f" <{target}>" if target else _UNSURE
            raise ProtocolError(
                400,
                f"SERVICE{shown} refused: this endpoint does not query other services "
                "(an administrator may allow some with --allow-service)",
            )
    for target in found.loads:
        if not endpoint.settings.allows(target):
            shown = f" <{target}>" if target else _UNSURE.replace("SERVICE", "LOAD")
            raise ProtocolError(
                400, f"LOAD{shown} refused: this endpoint does not fetch data from IRIs"
            )


def base_iri(request: Request) -> str:
    """The base IRI of queries and updates: the endpoint's own URL (Starlette's base URL, worked
    out once per host, scheme and root path)."""
    scope = request.scope
    host = next((value for key, value in scope["headers"] if key == b"host"), None)
    root = scope.get("app_root_path", scope.get("root_path", ""))
    server = scope.get("server")
    return _base_iri(scope.get("scheme", "http"), tuple(server) if server else None, root, host)


@functools.lru_cache(maxsize=256)
def _base_iri(scheme: str, server, root: str, host: bytes | None) -> str:
    """``str(request.base_url).rstrip("/") + "/sparql"`` for a request with these parts.

    >>> _base_iri("http", ("127.0.0.1", 8000), "", b"example.org:8080")
    'http://example.org:8080/sparql'
    """
    scope = {
        "type": "http",
        "scheme": scheme,
        "server": server,
        "root_path": root,
        "path": root if root.endswith("/") else root + "/",
        "query_string": b"",
        "headers": [] if host is None else [(b"host", host)],
    }
    return str(URL(scope=scope)).rstrip("/") + "/sparql"


#: Texts up to this many characters are inspected on the event loop (a fraction of a
#: millisecond: less than a hop to a thread and back); longer ones in a thread.
INSPECT_INLINE = 2_000


@functools.lru_cache(maxsize=512)
def _inspect_short(text: str, base: str):
    """:func:`~geokg.api.safety.inspect` of a short text, remembered (a query asked again, an
    ETag revalidated); the result is only read."""
    return inspect(text, base)


async def inspected(text: str, base: str):
    """:func:`~geokg.api.safety.inspect` (short texts at once, long ones in a thread); 400 if
    too deep."""
    try:
        if len(text) <= INSPECT_INLINE:
            return _inspect_short(text, base)
        return await run_in_threadpool(inspect, text, base)
    except TooComplex as error:
        raise ProtocolError(400, f"query refused: {error}") from None


def named_prefixes(query: str, known: dict[str, str] = PREFIXES) -> dict[str, str]:
    """The predeclared prefixes that ``query`` may use: those whose ``name:`` occurs in its text
    (all of them if it has ``\\u`` escapes, which could spell one). Fewer prefixes for the
    engine to read with each query; a prefix declared in the query still wins.

    >>> named_prefixes("SELECT * { ?s rdfs:label ?l }")
    {'rdfs': 'http://www.w3.org/2000/01/rdf-schema#'}
    """
    if "\\u" in query or "\\U" in query:
        return known
    return {name: iri for name, iri in known.items() if f"{name}:" in query}


def _syntax(query: str, message: str, known: dict[str, str] = PREFIXES) -> ProtocolError:
    """400 with one line in words: the unknown prefix, or what is wrong, with line and column."""
    return ProtocolError(400, explain(query, message, known).message)


async def answer_query(request: Request, params, queries: list[str]) -> Response:
    endpoint: Endpoint = request.app.state.endpoint
    settings = endpoint.settings
    if len(queries) != 1:
        raise ProtocolError(400, f"give exactly one 'query' parameter (got {len(queries)})")
    query = queries[0]
    if not query.strip():
        raise ProtocolError(400, "the query is empty")
    base = base_iri(request)
    found = await inspected(query, base)
    _check_outside(endpoint, found)
    if found.loads:
        raise ProtocolError(400, "LOAD is an update, not a query")
    default_graphs = _values(params, "default-graph-uri")
    named_graphs = _values(params, "named-graph-uri")
    _check_dataset(default_graphs, "default-graph-uri")
    _check_dataset(named_graphs, "named-graph-uri")

    accept = request.headers.get("accept")
    graph_form = found.form in ("CONSTRUCT", "DESCRIBE")
    offers = RDF_MEDIA if graph_form else RESULTS_MEDIA
    chosen = choose(accept, list(offers))
    if chosen is None:
        raise ProtocolError(
            406,
            f"none of the media types in Accept can carry {found.form or 'these'} results; "
            f"offered: {', '.join(offers)}",
        )
    results = RESULTS_MEDIA.get(chosen, "json")
    rdf = RDF_MEDIA.get(chosen, "ttl")
    max_rows = None if is_local(request, settings) else settings.max_rows  # nothing cut locally

    request_spec = {
        "query": query,
        "results": results,
        "rdf": rdf,
        "union": not (found.from_default or found.from_named),
        "default_graph": default_graphs or None,
        "named_graphs": named_graphs or None,
        "max_rows": max_rows,
        # Turtle answers use all the predeclared prefixes; a SELECT or ASK needs the ones it names
        "prefixes": PREFIXES if graph_form else named_prefixes(query),
        "base_iri": base,
        "max_bytes": None if max_rows is None else settings.max_response_bytes,
    }
    key = hashlib.sha256(
        repr((query, results, rdf, default_graphs, named_graphs, max_rows, base)).encode()
    ).hexdigest()[:20]
    etag = f'"{endpoint.boot}-{endpoint.version}-{key}"'
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept"}
    if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    reply = endpoint.cached(etag)
    if reply is None:
        version = endpoint.version
        try:
            outcome = await endpoint.run(request_spec)
        except QueryTimeout:
            raise ProtocolError(
                503,
                f"query stopped: it ran past the time limit of {settings.query_timeout:g} s "
                "(narrow it, or add a LIMIT)",
            ) from None
        except ServerBusy:
            raise ProtocolError(
                503, "every query worker is busy: try again shortly", {"Retry-After": "5"}
            ) from None
        if outcome[0] == "syntax":
            raise await run_in_threadpool(_syntax, query, outcome[1])  # off the event loop
        if outcome[0] == "limit":
            raise ProtocolError(503, f"query stopped: {outcome[1]} (narrow it, or add a LIMIT)")
        if outcome[0] == "error" and "query worker" in outcome[1]:
            raise ProtocolError(
                503,
                f"query stopped: {outcome[1]}; a query may take a worker "
                f"{sandbox.worker_memory_mb()} MB of memory at most (narrow it, or add a LIMIT)",
            )
        if outcome[0] == "error":
            raise ProtocolError(500, f"the query failed: {outcome[1]}")
        _, kind, fmt, data, truncated = outcome
        reply = Reply(CANONICAL[fmt], data, truncated)
        if endpoint.version == version:
            endpoint.remember(etag, reply)
    if reply.truncated:
        headers[TRUNCATED] = f"true; max-rows={max_rows}"
    return Response(reply.data, media_type=reply.media, headers=headers)


def _bearer(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _same(token: str, expected: str | None) -> bool:
    return bool(token and expected) and hmac.compare_digest(token.encode(), expected.encode())


def is_local(request: Request, settings: Settings) -> bool:
    """Whether the request carries the local credential (another geokg process of this user)."""
    return _same(_bearer(request), settings.local_token)


def authorise(request: Request, settings: Settings) -> None:
    """Let a write through with the update token or the local credential; else 401 or 403."""
    if is_local(request, settings):
        return
    if not settings.update_token:
        raise ProtocolError(403, "updates are switched off on this endpoint")
    token = _bearer(request)
    if not token:
        raise ProtocolError(
            401,
            "updates need a bearer token (Authorization: Bearer TOKEN)",
            {"WWW-Authenticate": 'Bearer realm="geokg"'},
        )
    if not _same(token, settings.update_token):
        raise ProtocolError(403, "this token may not update the store")


async def answer_update(request: Request, params, updates: list[str]) -> Response:
    endpoint: Endpoint = request.app.state.endpoint
    authorise(request, endpoint.settings)
    if len(updates) != 1:
        raise ProtocolError(400, f"give exactly one 'update' parameter (got {len(updates)})")
    update = updates[0]
    using, using_named = (
        _values(params, "using-graph-uri"),
        _values(params, "using-named-graph-uri"),
    )
    _check_dataset(using + using_named, "using-graph-uri")
    if using or using_named:
        try:
            update = await run_in_threadpool(with_using, update, using, using_named)
        except ValueError as error:
            raise ProtocolError(400, str(error)) from None
    found = await inspected(update, base_iri(request))
    _check_outside(endpoint, found)
    remote = getattr(endpoint.kg.backend, "remote", False)
    base = {} if remote else {"base_iri": base_iri(request)}
    try:
        await asyncio.wrap_future(endpoint.updates.submit(endpoint.kg.update, update, **base))
    except QuerySyntaxError as error:
        raise await run_in_threadpool(_syntax, update, error.message, {}) from None
    except GeokgError as error:
        raise ProtocolError(500, f"the update failed, nothing changed: {error}") from None
    return Response(status_code=204)


# -- service description and VoID --------------------------------------------------------------

SD_FORMATS = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "ttl": "Turtle",
    "nt": "N-Triples",
    "jsonld": "JSON-LD",
    "rdf": "RDF_XML",
}


def description_turtle(endpoint: Endpoint, base: str) -> str:
    """The SPARQL 1.1 Service Description of the endpoint, with a VoID description of the data."""
    counts = endpoint.counts()
    service = f"{base}/sparql"
    languages = "sd:SPARQL11Query" + (
        ", sd:SPARQL11Update" if endpoint.settings.update_token else ""
    )
    formats = ", ".join(f"<http://www.w3.org/ns/formats/{f}>" for f in SD_FORMATS.values())
    lines = [
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .",
        "@prefix void: <http://rdfs.org/ns/void#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "@prefix sh: <http://www.w3.org/ns/shacl#> .",
        f"<{service}> a sd:Service ;",
        f"  sd:endpoint <{service}> ;",
        f"  sd:supportedLanguage {languages} ;",
        f"  sd:resultFormat {formats} ;",
        "  sd:feature sd:UnionDefaultGraph ;",
        "  sd:defaultEntailmentRegime <http://www.w3.org/ns/entailment/Simple> ;",
        f"  sd:defaultDataset <{base}/.well-known/void#dataset> ;",
        # the predeclared prefixes, as SHACL prefix declarations (a query may use them undeclared)
        "  sh:declare "
        + ", ".join(
            f'[ sh:prefix "{p}" ; sh:namespace "{iri}"^^xsd:anyURI ]' for p, iri in PREFIXES.items()
        )
        + " .",
        f"<{base}/.well-known/void#dataset> a sd:Dataset, void:Dataset ;",
        '  dcterms:title "geokg: a knowledge graph of geopolitical actors"@en ;',
        f"  void:sparqlEndpoint <{service}> ;",
        '  void:uriSpace "https://w3id.org/geokg/id/" ;',
        f'  void:triples "{sum(counts.values())}"^^xsd:integer ;',
        "  sd:defaultGraph [ a sd:Graph ;"
        ' dcterms:description "the union of all named graphs"@en ] .',
    ]
    for graph, n in counts.items():
        if not graph:
            continue
        lines += [
            f"<{base}/.well-known/void#dataset> sd:namedGraph [ a sd:NamedGraph ;",
            f"  sd:name <{graph}> ; sd:graph <{graph}> ] ;",
            f"  void:subset <{graph}> .",
            f'<{graph}> a sd:Graph, void:Dataset ; void:triples "{n}"^^xsd:integer .',
        ]
    return "\n".join(lines) + "\n"


async def service_description(request: Request, fmt: str) -> Response:
    endpoint: Endpoint = request.app.state.endpoint
    base = str(request.base_url).rstrip("/")
    text = await run_in_threadpool(description_turtle, endpoint, base)
    triples = ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)
    from .worker import RDF_FORMATS

    extra = (
        {
            "prefixes": {
                "sd": "http://www.w3.org/ns/sparql-service-description#",
                "void": "http://rdfs.org/ns/void#",
                "sh": "http://www.w3.org/ns/shacl#",
            }
        }
        if fmt == "ttl"
        else {}
    )
    data = ox.serialize(list(triples), format=RDF_FORMATS[fmt], **extra)
    return Response(data, media_type=CANONICAL[fmt], headers={"Vary": "Accept"})


@router.get("/.well-known/void")
async def void(request: Request) -> Response:
    """The VoID description of the data sets (with the service description)."""
    chosen = choose(request.headers.get("accept"), list(RDF_MEDIA)) or "text/turtle"
    return await service_description(request, RDF_MEDIA[chosen])


# -- the query page -----------------------------------------------------------------------------

#: The two style sheets that YASGUI's column resizer (column-resizer 1.4) writes into <style>
#: elements: the table layout when a table is drawn, and the cursor while a column is dragged.
#: Allowed by their SHA-256 only (no 'unsafe-inline'); tests/test_query_page.py recomputes them
#: from the vendored bundle, so an upgrade that changes them fails loudly.
YASGUI_STYLE_HASHES = (
    "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='",
    "'sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg='",
)
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; "
    f"style-src 'self' {' '.join(YASGUI_STYLE_HASHES)}; img-src 'self' data:; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Vary": "Accept",
}


def query_page() -> Response:
    page = Path(__file__).parent / "static" / "query.html"
    return FileResponse(page, media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)


def _examples(folder) -> list[dict]:
    from geokg.graph.bundled import questions_dir

    folder = Path(folder) if folder else questions_dir()
    examples = []
    for path in sorted(folder.glob("*.rq")) if folder.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        titles = {}
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            name, _, value = line[1:].partition(":")
            if name.strip() in ("title", "title-fr"):
                titles[name.strip()] = value.strip()
        examples.append(
            {
                "name": path.stem,
                "title": titles.get("title", path.stem),
                "title_fr": titles.get("title-fr", ""),
                "query": text,
            }
        )
    return examples


@router.get("/sparql-examples.json")
async def examples(request: Request) -> dict:
    """The prefixes (PREFIX lines and a map) and the competency questions, for the query page."""
    prefixes = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    return {
        "prefixes": prefixes,
        "prefix_map": PREFIXES,
        "examples": await asyncio.to_thread(
            _examples, request.app.state.endpoint.settings.questions_dir
        ),
    }
