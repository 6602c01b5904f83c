"""The remote backend: any SPARQL 1.1 endpoint (Virtuoso, Fuseki, GraphDB, Neptune, QLever).

The same operations as :class:`~geokg.graph.oxigraph_backend.OxigraphBackend`, over HTTP:

- queries over the SPARQL 1.1 Protocol (POST, form-encoded), answered as SPARQL JSON results
  or N-Triples and parsed into pyoxigraph's own result objects, so that
  :class:`~geokg.graph.store.KnowledgeGraph` reads both backends the same way;
- updates over SPARQL 1.1 Update;
- bulk loads in batches of N-Triples, over the Graph Store Protocol when the store has it
  (``gsp_url``; Virtuoso's ``/sparql-graph-crud``) and as ``INSERT DATA`` otherwise, each batch
  retried with backoff on transient errors (connection errors, 502, 503, 504);
- a load is all or nothing per named graph: the batches go to a staging graph
  ``urn:geokg:staging:<uuid>``, which is then moved onto its target in one update
  (``MOVE`` to replace, ``ADD`` to add); on any failure the staging graph is dropped.

The default graph. Oxigraph answers over the union of the named graphs when asked to
(``use_default_graph_as_union``); a remote store has its own idea. Virtuoso's default graph,
when a request names no dataset, is already the union of every graph it holds: with Virtuoso
(found from its ``Server`` header, or ``native_union=True``) a union query goes as it is.
Virtuoso's own system graphs (``SYSTEM_GRAPHS``) then take part too; they hold only its
configuration and the OWL vocabulary, and no geokg question reaches them. (Naming the data
graphs one by one in ``default-graph-uri`` trips Virtuoso 7.2's optimiser on property paths
such as ``a/rdfs:subClassOf*``.) With any other store (Fuseki, GraphDB, Neptune, QLever) the
backend names the dataset itself: ``default-graph-uri`` and ``named-graph-uri`` for each of
the data graphs, so answers match embedded mode whatever the store's default. The list of
graphs is cached for a few seconds and refreshed after every write made through this backend.

Credentials (HTTP basic, digest or a bearer token) come from the configuration, are sent on
every request and never appear in ``repr``, in ``location`` or in messages.

>>> backend = SparqlBackend("http://user:secret@127.0.0.1:9/sparql", timeout=1)
>>> backend.location
'http://127.0.0.1:9/sparql'
>>> "secret" in repr(backend)
False
"""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO
from urllib.parse import unquote, urlencode, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from .errors import QueryError, QuerySyntaxError, StoreError
from .sparql_errors import declared_prefixes

#: IRI prefixes of graphs that belong to the store itself, not to the data.
SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://www.w3.org/2002/07/owl#",
    "urn:geokg:staging:",
    "urn:geokg:none",
)
#: A graph that holds nothing: the default graph when there is no data graph.
EMPTY_GRAPH = "urn:geokg:none"
STAGING = "urn:geokg:staging:"
TRANSIENT = (502, 503, 504)
JSON_RESULTS = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
FORM = "application/x-www-form-urlencoded"
#: The header by which geokg serve says it cut an answer at its row cap.
TRUNCATED = "x-geokg-truncated"


class RemoteError(StoreError):
    """The remote store could not be reached, or answered with an error."""


class RemoteTimeout(QueryError):
    """The remote store did not answer within the time limit."""


@dataclass(frozen=True)
class Credentials:
    """How to authenticate: ``user``/``password`` (basic, or ``digest``) or a bearer ``token``.

    >>> Credentials(user="ann", password="pw")
    Credentials(user='ann', scheme='basic', password=***)
    """

    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    scheme: str = "basic"

    def __repr__(self) -> str:
        if self.token:
            return "Credentials(token=***)"
        if self.user:
            return f"Credentials(user={self.user!r}, scheme={self.scheme!r}, password=***)"
        return "Credentials()"

    @classmethod
    def from_env(cls, env=None) -> Credentials | None:
        """``GEOKG_ENDPOINT_TOKEN``, or ``GEOKG_ENDPOINT_USER`` and ``GEOKG_ENDPOINT_PASSWORD``
        (``GEOKG_ENDPOINT_AUTH=digest`` for HTTP digest, as Virtuoso's ``/sparql-auth`` wants)."""
        env = os.environ if env is None else env
        if env.get("GEOKG_ENDPOINT_TOKEN"):
            return cls(token=env["GEOKG_ENDPOINT_TOKEN"])
        if env.get("GEOKG_ENDPOINT_USER"):
            return cls(
                user=env["GEOKG_ENDPOINT_USER"],
                password=env.get("GEOKG_ENDPOINT_PASSWORD", ""),
                scheme=(env.get("GEOKG_ENDPOINT_AUTH") or "basic").lower(),
            )
        return None

    def httpx_auth(self):
        if self.token:
            return _Bearer(self.token)
        if self.user:
            if self.scheme == "digest":
                return httpx.DigestAuth(self.user, self.password or "")
            return httpx.BasicAuth(self.user, self.password or "")
        return None


class _Bearer(httpx.Auth):
    def __init__(self, token: str):
        self._token = token

    def __repr__(self) -> str:
        return "_Bearer(***)"

    def auth_flow(self, request):
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


def _split_userinfo(url: str) -> tuple[str, Credentials | None]:
    """The URL without ``user:password@``, and those credentials."""
    parts = urlsplit(url)
    if parts.username is None:
        return url, None
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    clean = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return clean, Credentials(user=unquote(parts.username), password=unquote(parts.password or ""))


class SparqlBackend:
    """A remote SPARQL 1.1 store: ``query_url`` for queries, ``update_url`` for updates
    (default: the same), ``gsp_url`` for Graph Store Protocol loads (``"auto"``: Virtuoso's
    ``/sparql-graph-crud`` when the server is Virtuoso; ``None``: SPARQL Update only)."""

    remote = True
    #: The graph named as the default graph to make it empty (None: name none, for a store
    #: that reads "named graphs only" as an empty default graph, as geokg serve does).
    empty_graph: str | None = EMPTY_GRAPH

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        gsp_url: str | None = "auto",
        *,
        auth: Credentials | None = None,
        timeout: float = 60.0,
        connect_timeout: float = 5.0,
        batch_size: int = 50_000,
        retries: int = 4,
        backoff: float = 0.5,
        system_graphs: Iterable[str] = SYSTEM_GRAPHS,
        graphs_ttl: float = 5.0,
        native_union: bool | None = None,
    ):
        self.query_url, url_auth = _split_userinfo(query_url)
        self.update_url = _split_userinfo(update_url)[0] if update_url else self.query_url
        self._gsp = _split_userinfo(gsp_url)[0] if gsp_url and gsp_url != "auto" else gsp_url
        self.auth = auth or url_auth
        self.timeout, self.connect_timeout = timeout, connect_timeout
        self.batch_size, self.retries, self.backoff = batch_size, retries, backoff
        self.system_graphs = tuple(system_graphs)
        self.graphs_ttl = graphs_ttl
        self._graphs: tuple[float, list[str]] | None = None
        self.native_union = native_union
        self._server: str | None = None
        self._staging: dict[str, str] | None = None
        self._replace: set[str] = set()
        self.client = httpx.Client(
            auth=self.auth.httpx_auth() if self.auth else None,
            timeout=self._timeout(timeout),
            follow_redirects=True,
            headers={"User-Agent": "geokg"},
        )

    def __repr__(self) -> str:
        return f"SparqlBackend({self.query_url!r}, update_url={self.update_url!r})"

    @property
    def location(self) -> str:
        """The query endpoint's URL (never with credentials)."""
        return self.query_url

    def _timeout(self, read: float | None) -> httpx.Timeout:
        return httpx.Timeout(read, connect=self.connect_timeout, pool=self.connect_timeout)

    # -- HTTP, with clear errors ---------------------------------------------------------------

    def _send(self, method: str, url: str, *, retry: bool, timeout: float | None = None, **kw):
        """One request; with ``retry``, connection errors and 502/503/504 are retried with
        exponential backoff (loads); without, the first failure is reported (queries fail fast)."""
        attempts = self.retries + 1 if retry else 1
        limit = timeout or self.timeout
        for attempt in range(attempts):
            try:
                reply = self.client.request(method, url, timeout=self._timeout(limit), **kw)
            except httpx.ConnectTimeout:
                failure = RemoteError(
                    f"cannot reach the SPARQL endpoint {url}: no connection within "
                    f"{self.connect_timeout:g} s"
                )
            except httpx.TimeoutException:
                raise RemoteTimeout(
                    f"the SPARQL endpoint {url} did not answer within {limit:g} s (read timeout)"
                ) from None
            except httpx.ConnectError as error:
                failure = RemoteError(f"cannot reach the SPARQL endpoint {url}: {_reason(error)}")
            except httpx.HTTPError as error:
                failure = RemoteError(f"the SPARQL endpoint {url}: {_reason(error)}")
            else:
                if reply.status_code not in TRANSIENT or attempt == attempts - 1:
                    return reply
                failure = None
            if attempt == attempts - 1:
                raise failure
            time.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def _check(self, reply: httpx.Response, what: str) -> httpx.Response:
        if reply.status_code < 300:
            return reply
        text = remote_text(reply)
        if reply.status_code == 400 and _looks_like_syntax(text):
            if text.startswith("malformed SPARQL"):  # geokg serve's own words
                raise QuerySyntaxError(text)
            raise QuerySyntaxError(f"malformed SPARQL (the remote store says: {text})")
        if reply.status_code in (401, 403):
            raise RemoteError(
                f"{what} refused by {reply.url.copy_with(query=None)} "
                f"({reply.status_code}): {text or 'credentials missing or not allowed'}"
            )
        raise RemoteError(
            f"{what} failed on {reply.url.copy_with(query=None)} ({reply.status_code}): {text}"
        )

    # -- the backend's operations ----------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        union: bool = True,
        prefixes: dict[str, str] | None = None,
        default_graph=None,
        named_graphs=None,
        timeout: float | None = None,
    ):
        """Run a SPARQL query string; pyoxigraph's results (solutions, boolean) or a list of
        triples (CONSTRUCT, DESCRIBE)."""
        if prefixes:  # the query's own declarations keep their binding
            own = declared_prefixes(sparql)
            sparql = (
                "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes.items() if p not in own)
                + sparql
            )
        form = query_form(sparql)
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        data: list[tuple[str, str]] = [("query", sparql)]
        empty = [self.empty_graph] if self.empty_graph else []
        if default_graph is not None or named_graphs is not None:
            data += [("default-graph-uri", g) for g in default_graph or empty]
            data += [("named-graph-uri", g) for g in named_graphs or []]
        elif union and self._native_union():
            pass  # the store's own default graph is the union of the data graphs
        elif not has_dataset_clause(sparql):
            graphs = self.named_graphs() or empty
            data += [("default-graph-uri", g) for g in (graphs if union else empty)]
            data += [("named-graph-uri", g) for g in graphs]
        reply = self._send(
            "POST",
            self.query_url,
            retry=False,
            timeout=timeout,
            content=urlencode(data).encode("ascii"),
            headers={"Accept": N_TRIPLES if graph_form else JSON_RESULTS, "Content-Type": FORM},
        )
        self._check(reply, "the query")
        if reply.headers.get("x-sql-state") == "S1TAT":  # Virtuoso's "anytime" partial answer
            raise RemoteTimeout(
                f"the SPARQL endpoint {self.query_url} stopped the query at its time limit: "
                f"{reply.headers.get('x-sql-message', '').strip()}"
            )
        if reply.headers.get(TRUNCATED):  # geokg serve's row cap: never a silent partial answer
            raise RemoteError(
                f"the SPARQL endpoint {self.query_url} cut the answer short "
                f"({reply.headers[TRUNCATED]}): add a LIMIT, or ask its administrator"
            )
        media = reply.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            if graph_form:
                fmt = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.N_TRIPLES
                return list(ox.parse(reply.content, format=fmt))
            fmt = ox.QueryResultsFormat.from_media_type(media) or ox.QueryResultsFormat.JSON
            content = reply.content
            if fmt == ox.QueryResultsFormat.JSON and _BOOLEAN in content:
                content = _canonical_booleans(content)
            return ox.parse_query_results(content, format=fmt)
        except (SyntaxError, ValueError) as error:
            raise RemoteError(
                f"the SPARQL endpoint {self.query_url} sent an answer geokg cannot read "
                f"({media or 'no media type'}): {error}"
            ) from None

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update string on the remote store."""
        reply = self._send("POST", self.update_url, retry=False, data={"update": sparql})
        self._graphs = None
        self._check(reply, "the update")

    def named_graphs(self) -> list[str]:
        """The IRIs of the data graphs (the store's system graphs left out), cached briefly."""
        now = time.monotonic()
        if self._graphs is not None and now - self._graphs[0] < self.graphs_ttl:
            return list(self._graphs[1])
        reply = self._send(
            "POST",
            self.query_url,
            retry=False,
            data={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"},
            headers={"Accept": JSON_RESULTS},
        )
        self._check(reply, "listing the graphs")
        rows = ox.parse_query_results(reply.content, format=ox.QueryResultsFormat.JSON)
        graphs = sorted(
            row[0].value
            for row in rows
            if isinstance(row[0], ox.NamedNode) and not self._is_system(row[0].value)
        )
        self._graphs = (now, graphs)
        return list(graphs)

    def _is_system(self, iri: str) -> bool:
        if iri.startswith(self.system_graphs):
            return True
        # Virtuoso's own graphs under its address (…/DAV/, …/sparql)
        base = urlsplit(self.query_url)
        mine = urlsplit(iri)
        return mine.port == base.port and mine.path in ("/DAV/", "/sparql", base.path)

    def is_empty(self) -> bool:
        """Whether the store holds no data graph."""
        return not self.named_graphs()

    def drop_graph(self, graph: str) -> None:
        """Remove a named graph (within a staged load: replace it when the load succeeds)."""
        if self._staging is not None and graph in self._staging:
            self._replace.add(graph)
            return
        self.update(f"DROP SILENT GRAPH <{graph}>")

    @contextmanager
    def staged(self, graphs: Iterable[str]):
        """Writes to ``graphs`` go to staging graphs, moved onto them at the end, or dropped."""
        self._staging = {g: f"{STAGING}{uuid.uuid4()}" for g in graphs}
        self._replace = set()
        try:
            yield
            moves = [
                f"MOVE SILENT GRAPH <{s}> TO GRAPH <{g}>"
                if g in self._replace
                else f"ADD SILENT GRAPH <{s}> TO GRAPH <{g}>"
                for g, s in self._staging.items()
            ]
            self.update(" ;\n".join(moves))
        finally:
            staging, self._staging = self._staging, None
            leftovers = " ;\n".join(f"DROP SILENT GRAPH <{s}>" for s in staging.values())
            try:
                self.update(leftovers)
            except StoreError:
                pass  # the load's own error (the store gone) is the one to report
            self._graphs = None

    def bulk_load(self, input: IO[bytes], format: ox.RdfFormat, graph: str | None) -> None:
        """Send already-checked input in batches (triples to ``graph``; quads to their graphs)."""
        target = ox.NamedNode(graph) if graph else ox.DefaultGraph()

        def quads():
            for item in ox.parse(input=input, format=format):
                if isinstance(item, ox.Quad) and not isinstance(item.graph_name, ox.DefaultGraph):
                    yield item
                else:
                    yield ox.Quad(item.subject, item.predicate, item.object, target)

        self.bulk_extend(quads())

    def bulk_extend(self, quads: Iterable[ox.Quad]) -> None:
        """Send quads in batches of N-Triples, one graph at a time per request.

        Triples with a blank node wait and go together in one request per graph at the end,
        so that a blank node is one node however many triples mention it.
        """
        batch: dict[str, list[ox.Triple]] = {}
        blanks: dict[str, list[ox.Triple]] = {}
        size = 0
        for quad in quads:
            graph = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
            triple = ox.Triple(quad.subject, quad.predicate, quad.object)
            if isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode):
                blanks.setdefault(graph, []).append(triple)
                continue
            batch.setdefault(graph, []).append(triple)
            size += 1
            if size >= self.batch_size:
                for g, triples in batch.items():
                    self._post(g, triples)
                batch, size = {}, 0
        for part in (batch, blanks):
            for g, triples in part.items():
                self._post(g, triples)

    def _post(self, graph: str, triples: list[ox.Triple]) -> None:
        """Add triples to ``graph`` (or its staging graph): Graph Store Protocol, or INSERT DATA."""
        if not graph:
            raise StoreError("the remote backend loads into named graphs only")
        target = (self._staging or {}).get(graph, graph)
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        gsp = self._graph_store()
        if gsp:
            reply = self._send(
                "POST",
                gsp,
                retry=True,
                params={"graph": target},
                content=body,
                headers={"Content-Type": N_TRIPLES},
            )
            what = f"loading a batch of {len(triples)} triples into <{graph}>"
        else:
            text = body.decode("utf-8")
            # INSERT … WHERE {} rather than INSERT DATA, which Virtuoso refuses blank nodes in
            update = f"INSERT {{ GRAPH <{target}> {{\n{text}\n}} }} WHERE {{}}"
            reply = self._send("POST", self.update_url, retry=True, data={"update": update})
            what = f"inserting a batch of {len(triples)} triples into <{graph}>"
        self._graphs = None
        self._check(reply, what)

    def _is_virtuoso(self) -> bool:
        """Whether the server says it is Virtuoso (asked once)."""
        if self._server is None:
            reply = self._send("GET", self.query_url, retry=False, params={"query": "ASK {}"})
            self._server = reply.headers.get("server", "").lower()
        return "virtuoso" in self._server

    def _native_union(self) -> bool:
        """Whether to leave the default graph to the store (Virtuoso: the union of all graphs;
        its plain answers are right where an explicit list of graphs trips its optimiser)."""
        if self.native_union is None:
            self.native_union = self._is_virtuoso()
        return self.native_union

    def _graph_store(self) -> str | None:
        """The Graph Store Protocol URL: as given, or found out once (``auto``)."""
        if self._gsp != "auto":
            return self._gsp
        self._gsp = None
        if self._is_virtuoso():
            base = self.update_url.rstrip("/")
            if base.endswith("/sparql-auth"):
                self._gsp = base[: -len("/sparql-auth")] + "/sparql-graph-crud-auth"
            elif base.endswith("/sparql"):
                self._gsp = base + "-graph-crud"
        return self._gsp

    def dump(self, output: IO[bytes], format: ox.RdfFormat, graph: str | None, prefixes) -> None:
        """Write a graph (or, for quad formats, every data graph) to ``output``."""
        options = (
            {"prefixes": prefixes} if format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else {}
        )
        graphs = [graph] if graph is not None else self.named_graphs()
        quads = []
        for g in graphs:
            triples = self.query(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}", union=False
            )
            if graph is not None:
                quads = triples
                break
            node = ox.NamedNode(g)
            quads += [ox.Quad(t.subject, t.predicate, t.object, node) for t in triples]
        ox.serialize(quads, output, format=format, **options)

    def flush(self) -> None:
        """Nothing to do: the remote store commits each request."""

    def close(self) -> None:
        self.client.close()


def open_endpoint(
    url: str | None = None,
    update_url: str | None = None,
    *,
    graph_store: str | None = "auto",
    auth: Credentials | None = None,
    timeout: float | None = None,
    bundled: bool = False,
):
    """A :class:`~geokg.graph.store.KnowledgeGraph` over a remote SPARQL endpoint.

    ``url`` defaults to ``$GEOKG_ENDPOINT``, ``update_url`` to ``$GEOKG_UPDATE_ENDPOINT`` (or
    ``url``); credentials to ``$GEOKG_ENDPOINT_TOKEN`` or ``$GEOKG_ENDPOINT_USER`` and
    ``$GEOKG_ENDPOINT_PASSWORD``; ``timeout`` (seconds to wait for an answer) to
    ``$GEOKG_ENDPOINT_TIMEOUT`` or 60. With ``bundled``, an empty store first gets the
    bundled ontology and knowledge base.
    """
    from .store import KnowledgeGraph

    url = url or os.environ.get("GEOKG_ENDPOINT")
    if not url:
        raise StoreError("no SPARQL endpoint given (--endpoint URL or $GEOKG_ENDPOINT)")
    update_url = update_url or os.environ.get("GEOKG_UPDATE_ENDPOINT") or None
    if graph_store == "auto":
        graph_store = os.environ.get("GEOKG_GRAPH_STORE") or "auto"
    if timeout is None:
        timeout = float(os.environ.get("GEOKG_ENDPOINT_TIMEOUT") or 60)
    backend = SparqlBackend(
        url, update_url, graph_store, auth=auth or Credentials.from_env(), timeout=timeout
    )
    kg = KnowledgeGraph(backend)
    if bundled and kg.is_empty():
        kg.load_bundled()
    return kg


# -- helpers ----------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""(?P<iri><[^<>"{}|^`\\\s]*>)|(?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""
    r"""|(?P<comment>\#[^\n]*)|(?P<word>[A-Za-z_][\w-]*:?)|(?P<other>\S)""",
    re.DOTALL,
)
_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


def _words(sparql: str):
    for match in _TOKEN.finditer(sparql):
        if match.lastgroup == "word":
            yield match.group().upper()


def query_form(sparql: str) -> str | None:
    """SELECT, CONSTRUCT, DESCRIBE or ASK: the first form keyword outside IRIs, strings, comments.

    >>> query_form('PREFIX a: <http://x/#SELECT> # CONSTRUCT\\nDESCRIBE <http://x>')
    'DESCRIBE'
    """
    return next((w for w in _words(sparql) if w in _FORMS), None)


def has_dataset_clause(sparql: str) -> bool:
    """Whether the query names its own dataset (FROM or FROM NAMED)."""
    return "FROM" in set(_words(sparql))


_BOOLEAN = b'"http://www.w3.org/2001/XMLSchema#boolean"'
_BOOLEAN_VALUE = re.compile(
    rb'("datatype"\s*:\s*"http://www.w3.org/2001/XMLSchema#boolean"\s*,\s*"value"\s*:\s*)"([01])"'
)


def _canonical_booleans(content: bytes) -> bytes:
    """Booleans as ``true``/``false`` (Virtuoso writes ``"1"^^xsd:boolean``).

    >>> _canonical_booleans(b'{"datatype": "http://www.w3.org/2001/XMLSchema#boolean", "value": "1"}')
    b'{"datatype": "http://www.w3.org/2001/XMLSchema#boolean", "value": "true"}'
    """
    return _BOOLEAN_VALUE.sub(
        lambda m: m.group(1) + (b'"true"' if m.group(2) == b"1" else b'"false"'), content
    )


def remote_text(reply: httpx.Response) -> str:
    """The remote's error text, on one line (Virtuoso's echo of the query left out)."""
    text = reply.text if reply.content else ""
    text = text.split("SPARQL query:", 1)[0]
    text = re.sub(r"<[^>]+>", " ", text) if "<html" in text.lower() else text
    text = " ".join(text.split())
    return text[:500] + ("…" if len(text) > 500 else "")


def _looks_like_syntax(text: str) -> bool:
    lowered = text.lower()
    words = ("syntax", "parse", "sp030", "malformed sparql")  # the last: geokg serve's own
    return any(word in lowered for word in words)


def _reason(error: Exception) -> str:
    text = str(error)
    if "Connection refused" in text or "[Errno 111]" in text:
        return "connection refused (is the server running?)"
    return text or error.__class__.__name__


__all__ = [
    "Credentials",
    "RemoteError",
    "RemoteTimeout",
    "SparqlBackend",
    "open_endpoint",
    "query_form",
]
