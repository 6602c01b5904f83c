"""Starting a real ``geokg serve`` (uvicorn) on a temporary on-disk store, for the API tests."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
from conftest import GEOKG

HOSTILE = "<img src=x onerror=alert(1)>"
#: Test data: an actor with a hostile label, and a sourced claim about it.
HOSTILE_TTL = """
@prefix gk: <https://w3id.org/geokg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/geokg/id/org/hostile> a gk:Actor ;
    rdfs:label "<img src=x onerror=alert(1)>"@en .
<https://w3id.org/geokg/id/claim/hostile-1> a gk:QuantityClaim ;
    gk:about <https://w3id.org/geokg/id/org/hostile> ;
    gk:measure <https://w3id.org/geokg/id/measure/troops-deployed> ;
    schema:value 1200 ;
    gk:asOf "2024-10"^^xsd:gYearMonth ;
    prov:wasAttributedTo <https://w3id.org/geokg/id/state/KOR> ;
    prov:wasDerivedFrom <https://w3id.org/geokg/id/source/background> ;
    gk:quote "<script>alert('quote')</script> environ 1 200 soldats"@fr .
"""
TEST_GRAPH = "https://w3id.org/geokg/graph/test-api"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_store(path: Path) -> None:
    """A store with the bundled data and the hostile test data."""
    from geokg.graph import open_store

    kg = open_store(path)
    kg.load_data(HOSTILE_TTL, format="ttl", graph=TEST_GRAPH, validate=False)
    kg.close()


@contextmanager
def serve(tmp: Path, *options: str, env: dict | None = None):
    """Run ``geokg serve`` on a store with the bundled and hostile test data; yield (base URL, process)."""
    store = tmp / "store"
    prepare_store(store)
    with run_server(tmp / "server.log", "--store", str(store), *options, env=env) as started:
        yield started


@contextmanager
def run_server(log_path: Path, *options: str, env: dict | None = None):
    """Run ``geokg serve OPTIONS`` on a free port until it answers; yield (base URL, process)."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GEOKG_")}
    environment.update(env or {})
    log = open(log_path, "wb")  # noqa: SIM115 - closed in the finally below
    process = subprocess.Popen(
        [GEOKG, "serve", "--port", str(port), *options],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=environment,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            if process.poll() is not None:
                raise RuntimeError(log_path.read_text())
            try:
                if httpx.get(f"{base}/sparql", params={"query": "ASK {}"}).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the server did not start")
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def worker_pids(server_pid: int) -> set[int]:
    """The query worker processes of the server (children running worker.py)."""
    pids = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == server_pid and b"worker.py" in cmdline:
            pids.add(int(entry.name))
    return pids


def sparql(base: str, query: str) -> list[dict]:
    """The bindings of a SELECT over the SPARQL protocol, as plain values."""
    answer = httpx.get(
        f"{base}/sparql",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert answer.status_code == 200, answer.text
    return [{k: v["value"] for k, v in row.items()} for row in answer.json()["results"]["bindings"]]


@contextmanager
def watched_page(browser, base: str, **options):
    """A fresh browser page that may reach only ``base``; requests elsewhere (blocked),
    dialogs, page errors and CSP violations are recorded in ``page.outside``,
    ``page.dialogs`` and ``page.errors``, and must all be empty when the block ends."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, **options)
    page = context.new_page()
    page.outside, page.dialogs, page.errors = [], [], []

    def route(r):
        if r.request.url.startswith(base + "/"):
            r.continue_()
        else:
            page.outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.text.startswith("CSP ") else None)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.log('CSP ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    yield page
    assert page.outside == [], page.outside
    assert page.dialogs == [] and page.errors == [], (page.dialogs, page.errors)
    context.close()


def wait_for_workers(server_pid: int, count: int, timeout: float = 30.0) -> set[int]:
    """The server's ``count`` query workers, once all are running (a replacement takes a moment
    to start). Returns fewer only if ``timeout`` seconds pass first: the caller's assertion fails."""
    deadline = time.monotonic() + timeout
    pids = worker_pids(server_pid)
    while len(pids) < count and time.monotonic() < deadline:
        time.sleep(0.1)
        pids = worker_pids(server_pid)
    return pids


def test_free_port_is_bindable():
    port = free_port()
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))
