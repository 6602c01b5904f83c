"""The remote backend against a real Virtuoso (issue 7): loads, all-or-nothing, errors, secrets."""

from __future__ import annotations

import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from conftest import geokg
from geokg.graph import KB_GRAPH, GeokgError, open_store
from geokg.graph.sparql_backend import Credentials, RemoteError, SparqlBackend, open_endpoint
from geokg.graph.store import KnowledgeGraph

GRAPH = "https://example.org/graph/remote-test"
TTL = """@prefix ex: <https://example.org/> .
ex:a ex:p ex:b .
ex:b ex:p ex:c .
ex:c ex:p ex:d .
ex:d ex:p ex:e .
ex:e ex:p [ ex:q "blank" ] .
"""


@pytest.fixture(scope="module")
def loaded(virtuoso):
    """The bundled data loaded into Virtuoso by ``geokg load --endpoint URL``."""
    run = geokg("load", "--endpoint", virtuoso.sparql)
    assert run.code == 0, run.err
    return virtuoso


def remote(url: str, **options) -> KnowledgeGraph:
    return KnowledgeGraph(SparqlBackend(url, **options))


def triples_in(kg: KnowledgeGraph, graph: str) -> int:
    rows = kg.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(rows[0][0])


def test_cli_load_bundled_gives_the_same_graphs_as_embedded(loaded):
    run = geokg("info", "--endpoint", loaded.sparql)
    assert run.code == 0, run.err
    assert f"store: {loaded.sparql}" in run.out
    embedded = open_store(None).counts()
    kg = open_endpoint(loaded.sparql)
    assert kg.counts() == embedded
    assert "http://www.openlinksw.com/schemas/virtrdf#" not in kg.graphs()


def test_load_file_query_and_replace(loaded, tmp_path):
    data = tmp_path / "data.ttl"
    data.write_text(TTL)
    run = geokg("load", "--endpoint", loaded.sparql, "--graph", GRAPH, "--no-validate", str(data))
    assert run.code == 0, run.err
    assert "loaded 6 triples" in run.out
    kg = open_endpoint(loaded.sparql)
    assert triples_in(kg, GRAPH) == 6
    # the blank node is one node although its triples came in another batch
    assert kg.query('ASK { <https://example.org/e> <https://example.org/p> ?x . ?x ?q "blank" }')
    small = remote(loaded.sparql, batch_size=2)
    small.load(data, GRAPH, validate=False, replace=True)
    assert triples_in(kg, GRAPH) == 6
    query = geokg(
        "query", "--endpoint", loaded.sparql, "--format", "csv",
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}",
    )  # fmt: skip
    assert query.code == 0, query.err
    assert query.out.splitlines()[1] == "6"
    assert not [g for g in kg.backend.named_graphs() if g.startswith("urn:geokg:staging:")]


def test_load_by_sparql_update_batches_when_there_is_no_graph_store(loaded, tmp_path):
    data = tmp_path / "data.ttl"
    data.write_text(TTL)
    kg = remote(loaded.sparql, gsp_url=None, batch_size=2)
    kg.load(data, GRAPH + "/update", validate=False, replace=True)
    assert triples_in(kg, GRAPH + "/update") == 6


def test_broken_last_line_loads_nothing(loaded, tmp_path):
    data = tmp_path / "broken.ttl"
    data.write_text(TTL + "<https://example.org/x> <https://example.org/p> .\n")
    run = geokg(
        "load", "--endpoint", loaded.sparql, "--graph", GRAPH + "/broken", "--no-validate",
        str(data),
    )  # fmt: skip
    assert run.code == 1
    assert "broken.ttl:7" in run.err
    kg = open_endpoint(loaded.sparql)
    assert GRAPH + "/broken" not in kg.graphs()
    assert triples_in(kg, GRAPH + "/broken") == 0


class _Proxy:
    """An HTTP proxy to Virtuoso that fails chosen POSTs: (status, text) per POST number."""

    def __init__(self, target: str, failures: dict[int, tuple[int, str]]):
        self.target, self.failures, self.posts = target, failures, 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _forward(self, method):
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                if method == "POST":
                    proxy.posts += 1
                    failure = proxy.failures.get(proxy.posts)
                    if failure:
                        data = failure[1].encode()
                        self.send_response(failure[0])
                        self.send_header("Content-Length", str(len(data)))
                        self.end_headers()
                        self.wfile.write(data)
                        return
                headers = {
                    k: v
                    for k, v in self.headers.items()
                    if k.lower() not in ("host", "content-length")
                }
                reply = httpx.request(
                    method, proxy.target + self.path, content=body, headers=headers, timeout=30
                )
                self.send_response(reply.status_code)
                for k, v in reply.headers.items():
                    if k.lower() not in (
                        "transfer-encoding",
                        "content-length",
                        "connection",
                        "content-encoding",
                    ):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(reply.content)))
                self.end_headers()
                self.wfile.write(reply.content)

            def do_GET(self):
                self._forward("GET")

            def do_POST(self):
                self._forward("POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_rejection_during_transfer_leaves_no_partial_graph(loaded, tmp_path):
    kg = open_endpoint(loaded.sparql)
    before = triples_in(kg, KB_GRAPH)
    data = tmp_path / "data.ttl"
    data.write_text(TTL.replace("https://example.org/", "https://example.org/rejected/"))
    # POSTs through the proxy: 1 lists the graphs, then batches of 2 triples; the third batch
    # is refused by the server after two went in.
    proxy = _Proxy(loaded.base, {4: (500, "Virtuoso 42000 Error SR008: disk full")})
    try:
        through = remote(proxy.url + "/sparql", gsp_url=proxy.url + "/sparql-graph-crud",
                         batch_size=2, native_union=True)  # fmt: skip
        with pytest.raises(RemoteError, match="disk full"):
            through.load(data, KB_GRAPH, validate=False, replace=True)
    finally:
        proxy.close()
    assert triples_in(kg, KB_GRAPH) == before  # the graph it was to replace is untouched
    assert not [g for g in kg.backend.named_graphs() if g.startswith("urn:geokg:staging:")]
    assert not kg.query("ASK { GRAPH ?g { <https://example.org/rejected/a> ?p ?o } }")


def test_transient_errors_are_retried(loaded, tmp_path):
    data = tmp_path / "data.ttl"
    data.write_text(TTL)
    proxy = _Proxy(loaded.base, {2: (503, "busy"), 3: (502, "bad gateway")})
    try:
        through = remote(proxy.url + "/sparql", gsp_url=proxy.url + "/sparql-graph-crud",
                         backoff=0.01, native_union=True)  # fmt: skip
        through.load(data, GRAPH + "/retried", validate=False, replace=True)
    finally:
        proxy.close()
    assert triples_in(open_endpoint(loaded.sparql), GRAPH + "/retried") == 6


def test_remote_error_text_reaches_the_user(loaded):
    run = geokg(
        "query", "--endpoint", loaded.sparql, "SELECT (BNODE() AS ?b) WHERE { ?s ?p ?o } LIMIT 1"
    )
    assert run.code == 1
    assert "Virtuoso" in run.err and "not implemented" in run.err
    assert len(run.err.strip().splitlines()) == 1
    syntax = geokg("query", "--endpoint", loaded.sparql, "SELEC ?s WHERE { ?s ?p ?o }")
    assert syntax.code == 2 and "syntax error" in syntax.err


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_stopped_server_fails_with_a_clear_message(tmp_path):
    from virtuoso import Virtuoso

    server = Virtuoso(tmp_path / "db").start()
    url = server.sparql
    server.stop()
    run = geokg("query", "--endpoint", url, "ASK { ?s ?p ?o }", timeout=30)
    assert run.code == 1
    assert run.err.strip() == (
        f"geokg: cannot reach the SPARQL endpoint {url}: "
        "connection refused (is the server running?)"
    )
    with pytest.raises(RemoteError, match="connection refused"):
        open_endpoint(url).query("ASK { ?s ?p ?o }")


def test_a_server_that_never_answers_times_out():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
        kg = KnowledgeGraph(SparqlBackend(url, timeout=0.5, native_union=False))
        with pytest.raises(GeokgError, match=r"did not answer within 0.5 s"):
            kg.query("ASK { ?s ?p ?o }", union=False)
    finally:
        listener.close()


def test_credentials_never_shown(loaded, caplog):
    secret = "s3cret-Pa55"
    caplog.set_level(logging.DEBUG)
    backend = SparqlBackend(loaded.sparql, auth=Credentials(user="ann", password=secret))
    token = SparqlBackend(loaded.sparql, auth=Credentials(token=secret))
    in_url = SparqlBackend(loaded.sparql.replace("://", f"://ann:{secret}@"))
    for b in (backend, token, in_url):
        assert secret not in repr(b) and secret not in b.location
        assert secret not in repr(b.auth) and secret not in repr(b.client.auth)
        assert KnowledgeGraph(b).query("ASK { ?s ?p ?o }")
    assert in_url.auth.password == secret
    dead = SparqlBackend(f"http://ann:{secret}@127.0.0.1:{_closed_port()}/sparql")
    with pytest.raises(RemoteError) as error:
        dead.query("ASK {}", union=False)
    assert secret not in str(error.value)
    assert secret not in caplog.text
    env = {"GEOKG_ENDPOINT_USER": "dba", "GEOKG_ENDPOINT_PASSWORD": secret}
    run = geokg("info", "--endpoint", f"http://127.0.0.1:{_closed_port()}/sparql")
    assert secret not in run.err + run.out
    assert Credentials.from_env(env).password == secret


def test_digest_credentials_let_updates_through_virtuoso_auth_endpoint(loaded):
    auth = loaded.base + "/sparql-auth"
    good = KnowledgeGraph(
        SparqlBackend(auth, auth=Credentials(user="dba", password="dba", scheme="digest"))
    )
    good.update(f"INSERT DATA {{ GRAPH <{GRAPH}/auth> {{ <urn:a> <urn:b> <urn:c> }} }}")
    assert triples_in(open_endpoint(loaded.sparql), GRAPH + "/auth") == 1
    bad = KnowledgeGraph(
        SparqlBackend(auth, auth=Credentials(user="dba", password="wrong-pw", scheme="digest"))
    )
    with pytest.raises(RemoteError, match="401") as error:
        bad.update(f"DROP SILENT GRAPH <{GRAPH}/auth>")
    assert "wrong-pw" not in str(error.value)
