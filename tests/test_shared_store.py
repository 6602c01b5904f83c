"""One store, many processes (issue 10, part 4): while ``geokg serve`` owns a store, the
``geokg`` commands and ``geokg.open_store()`` in other processes work through it.

A real server runs on an on-disk store; while it runs, ``geokg query`` answers,
``geokg import atop`` loads through it, and ``open_store()`` in another Python process
sees every treaty (the reference: pandas on the raw CSV files) with the same triple counts
per graph as a direct import into a fresh store. The credential file is private, a stale
one is ignored and replaced, and the credential shows in no output.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pandas as pd
import pytest
from atop_reference import members, pieces
from conftest import Run, geokg
from geokg.graph import open_endpoint
from geokg.graph.sparql_backend import RemoteError
from test_api_fixtures import run_server, worker_pids

DATA = Path(__file__).resolve().parent / "data" / "atop"
ALLIANCES = DATA / "atop-alliance-level.csv"
MEMBERS = DATA / "atop-member-level.csv"
ATOP = "https://w3id.org/geokg/graph/import/atop"
TREATIES = f"SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE {{ GRAPH <{ATOP}> {{ ?p gk:inTreaty ?t }} }}"
DERIVED = "https://w3id.org/geokg/graph/derived"
WRITTEN = (
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
    f"FILTER (?g IN (<{ATOP}>, <{DERIVED}>)) }}"
)
TEST_GRAPH = "https://w3id.org/geokg/graph/test-shared"
ONE_TRIPLE = "<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n"

#: Runs in another Python process: what ``geokg.open_store(STORE)`` sees there.
PROBE = """
import json, sys
import geokg
kg = geokg.open_store(sys.argv[1])
treaties = kg.query(sys.argv[2], prefixes=True)
phases = kg.query("SELECT ?p ?t WHERE { GRAPH <%s> { ?p gk:inTreaty ?t } }" % sys.argv[3], prefixes=True)
seen = {"location": kg.location, "counts": kg.counts(), "treaties": int(treaties[0][0])}
seen |= {"phases": len(phases), "atop_copy": len(kg.to_rdflib(sys.argv[3]))}
print(json.dumps(seen))
kg.close()
"""
#: The server's row cap in these tests: far below what the local processes read.
MAX_ROWS = 1000
#: Runs in another Python process: a load and a drop through ``open_store(STORE)``.
WRITER = """
import sys
import geokg
kg = geokg.open_store(sys.argv[1])
kg.load_data(sys.argv[3], format="nt", graph=sys.argv[2], validate=False)
print(kg.query("ASK { GRAPH <%s> { ?s ?p ?o } }" % sys.argv[2], union=False))
if sys.argv[4] == "drop":
    kg.drop_graph(sys.argv[2])
kg.close()
"""


def python(script: str, *args: str) -> Run:
    """Run a Python script in a fresh process (no GEOKG_ variables)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GEOKG_")}
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, timeout=300
    )
    return Run(done.returncode, done.stdout, done.stderr)


def import_atop(store: Path) -> Run:
    return geokg(
        "import",
        "atop",
        "--alliances",
        str(ALLIANCES),
        "--members",
        str(MEMBERS),
        "--no-validate",
        store=store,
    )


def expected_treaties() -> int:
    """ATOP alliances that have member phases: atopids of the alliance-level file that the
    member-level file lists (pandas, straight from the CSV files)."""
    alliances = pd.read_csv(ALLIANCES, usecols=["atopid"])
    members = pd.read_csv(MEMBERS, usecols=["atopid"])
    return int(alliances["atopid"].isin(members["atopid"]).sum())


def server_file(store: Path) -> Path:
    return store.with_name(store.name + ".server.json")


def endpoint_count(base: str, sparql: str) -> int:
    """A count asked of the server's public SPARQL endpoint (no credential)."""
    prefixes = "PREFIX gk: <https://w3id.org/geokg/ontology#>\n"
    reply = httpx.get(
        f"{base}/sparql",
        params={"query": prefixes + sparql},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert reply.status_code == 200, reply.text
    return int(reply.json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def reference(tmp_path_factory, bundled_store) -> dict[str, int]:
    """Triples per graph after a direct import of ATOP into a fresh store (no server)."""
    store = tmp_path_factory.mktemp("reference") / "store"
    shutil.copytree(bundled_store, store)
    run = import_atop(store)
    assert run.code == 0, run.err
    probe = python(PROBE, str(store), TREATIES, ATOP)
    assert probe.code == 0, probe.err
    seen = json.loads(probe.out)
    assert "through geokg serve" not in seen["location"]
    return seen["counts"]


@pytest.fixture(scope="module")
def served(tmp_path_factory, bundled_store):
    """A real ``geokg serve`` on its own on-disk store: (base URL, process, store, outputs)."""
    folder = tmp_path_factory.mktemp("served")
    store = folder / "store"
    shutil.copytree(bundled_store, store)
    outputs: list[str] = []  # everything any process printed, to look for the credential
    options = ("--store", str(store), "--max-rows", str(MAX_ROWS))
    with run_server(folder / "server.log", *options) as (base, process):
        yield base, process, store, outputs
    outputs.append((folder / "server.log").read_text())


def token_of(store: Path) -> str:
    return json.loads(server_file(store).read_text())["token"]


def test_the_server_file_is_private_and_names_the_server(served):
    base, process, store, _ = served
    path = server_file(store)
    mode = path.stat().st_mode
    assert stat.S_IMODE(mode) == 0o600
    assert path.stat().st_uid == os.getuid()
    about = json.loads(path.read_text())
    assert about["url"] == base and about["pid"] == process.pid
    assert about["store"] == str(store.resolve())
    assert len(about["token"]) >= 32
    assert not list(store.glob("*.server.json"))  # nothing of ours inside Oxigraph's folder


def test_geokg_query_answers_through_the_server(served):
    base, _, store, outputs = served
    run = geokg(
        "query", "--format", "csv", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", store=store
    )
    outputs += [run.out, run.err]
    assert run.code == 0, run.err
    assert int(run.out.splitlines()[1]) == endpoint_count(
        base, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    )
    info = geokg("info", store=store)
    outputs += [info.out, info.err]
    assert info.code == 0 and f"through geokg serve at {base}" in info.out


def test_import_through_the_server_loses_nothing(served, reference):
    base, process, store, outputs = served
    before = worker_pids(process.pid)
    assert before and endpoint_count(base, TREATIES) == 0
    start = endpoint_count(base, WRITTEN)

    with Reader(base) as reader:  # a researcher querying the server all along
        run = import_atop(store)
    outputs += [run.out, run.err]
    assert run.code == 0, run.err
    assert f"{expected_treaties()} treaties" in run.err

    probe = python(PROBE, str(store), TREATIES, ATOP)
    outputs += [probe.out, probe.err]
    assert probe.code == 0, probe.err
    seen = json.loads(probe.out)
    assert seen["location"] == f"{store.resolve()} (through geokg serve at {base})"
    assert seen["treaties"] == expected_treaties()
    assert seen["counts"] == reference  # every graph, the derived one included
    # Nothing cut at the server's row cap for a local process holding the credential:
    # (one per member-level row, a row spanning a succession of states split in two: issue 11)
    assert seen["phases"] == pieces(members()) > MAX_ROWS
    assert seen["atop_copy"] == reference[ATOP] > MAX_ROWS

    # The server answers its public endpoint with the new data, from fresh query workers.
    assert endpoint_count(base, TREATIES) == expected_treaties()
    after = worker_pids(process.pid)
    assert after and not after & before
    # No reader saw half of the load: the import graph and the derived graph as they were
    # before, or whole after (the derived graph rebuilt in the same write).
    end = reference[ATOP] + reference[DERIVED]
    assert reader.seen and reader.seen <= {start, end} and end in reader.seen


class Reader(threading.Thread):
    """Asks the server how many triples the import and derived graphs hold, over and over."""

    def __init__(self, base: str):
        super().__init__(daemon=True)
        self.base, self.seen, self.stop = base, set(), threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.seen.add(endpoint_count(self.base, WRITTEN))

    def __enter__(self) -> Reader:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        time.sleep(0.5)  # a last answer after the load
        self.stop.set()
        self.join(timeout=120)


def test_a_capped_answer_is_an_error_not_a_silent_part(served):
    """Without the credential the server's row cap applies, and the remote backend says so."""
    base, _, _, outputs = served
    kg = open_endpoint(f"{base}/sparql")
    with pytest.raises(RemoteError) as caught:
        kg.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    outputs.append(str(caught.value))
    assert "cut the answer short" in str(caught.value) and f"max-rows={MAX_ROWS}" in str(
        caught.value
    )
    kg.close()


def test_python_loads_and_drops_through_the_server(served):
    base, _, store, outputs = served
    where = f"GRAPH <{TEST_GRAPH}> {{ ?s ?p ?o }}"
    run = python(WRITER, str(store), TEST_GRAPH, ONE_TRIPLE, "keep")
    outputs += [run.out, run.err]
    assert run.code == 0, run.err
    assert run.out.strip() == "True"
    assert endpoint_count(base, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}") == 1
    run = python(WRITER, str(store), TEST_GRAPH, ONE_TRIPLE, "drop")
    outputs += [run.out, run.err]
    assert run.code == 0, run.err
    assert endpoint_count(base, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}") == 0


def test_a_bad_load_changes_nothing(served, tmp_path):
    base, _, store, outputs = served
    total = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = endpoint_count(base, total)
    broken = tmp_path / "broken.nt"
    broken.write_text(ONE_TRIPLE + "<https://example.org/s> <https://example.org/p> .\n")
    run = geokg("load", str(broken), "--no-validate", store=store)
    outputs += [run.out, run.err]
    assert run.code == 1 and "broken.nt:2" in run.err
    # The server's own route refuses malformed N-Quads whole, too.
    reply = httpx.post(
        f"{base}/store/load",
        params={"replace": ATOP},
        content=ONE_TRIPLE.replace(" .", " <https://example.org/g> .") + "<broken",
        headers={
            "Authorization": f"Bearer {token_of(store)}",
            "Content-Type": "application/n-quads",
        },
        timeout=60,
    )
    outputs.append(reply.text)
    assert reply.status_code == 400 and "nothing loaded" in reply.text
    assert endpoint_count(base, total) == before


def test_writes_need_the_credential(served):
    base, _, store, outputs = served
    nquads = ONE_TRIPLE.replace(" .", f" <{TEST_GRAPH}> .")
    for headers in ({}, {"Authorization": "Bearer not-the-token"}):
        load = httpx.post(
            f"{base}/store/load",
            content=nquads,
            headers={"Content-Type": "application/n-quads", **headers},
        )
        who = httpx.get(f"{base}/store", headers=headers)
        outputs += [load.text, who.text]
        assert load.status_code in (401, 403) and who.status_code == 403
    assert (
        endpoint_count(
            base, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{TEST_GRAPH}> {{ ?s ?p ?o }} }}"
        )
        == 0
    )


def test_a_second_server_on_the_store_is_refused(served):
    base, process, store, outputs = served
    run = geokg("serve", "--port", "0", store=store, timeout=60)
    outputs += [run.out, run.err]
    assert run.code == 1
    assert f"served by geokg serve at {base} (pid {process.pid})" in run.err


def test_errors_through_the_server_are_one_line(served):
    _, _, store, outputs = served
    run = geokg("query", "SELECT ?x WHERE {", store=store)
    outputs += [run.out, run.err]
    assert run.code == 2 and "malformed SPARQL" in run.err and "Traceback" not in run.err


def test_the_credential_never_shows(served):
    """Last of the server's tests: nothing any process printed holds the credential."""
    _, _, store, outputs = served
    token = token_of(store)
    assert outputs and all(token not in text for text in outputs)
    assert token not in (store.parent / "server.log").read_text()


def test_a_stale_server_file_is_ignored_and_replaced(tmp_path, bundled_store):
    store = tmp_path / "store"
    shutil.copytree(bundled_store, store)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a process id that no longer runs
    stale = {
        "url": "http://127.0.0.1:9",
        "host": "127.0.0.1",
        "port": 9,
        "pid": gone.pid,
        "store": str(store.resolve()),
        "token": "stale-credential-0123456789abcdef",
    }
    server_file(store).write_text(json.dumps(stale))
    run = geokg("info", store=store)
    assert run.code == 0, run.err
    assert f"store: {store}" in run.out and "through geokg serve" not in run.out
    assert not server_file(store).exists()  # the store opened directly: the file was stale

    server_file(store).write_text(json.dumps(stale))
    with run_server(tmp_path / "server.log", "--store", str(store)) as (base, process):
        about = json.loads(server_file(store).read_text())
        assert about["pid"] == process.pid and about["url"] == base
        assert about["token"] != stale["token"]
        assert stat.S_IMODE(server_file(store).stat().st_mode) == 0o600
    assert not server_file(store).exists()  # removed when the server stopped
    assert stale["token"] not in run.out + run.err


def test_a_silent_server_file_leaves_the_store_locked(tmp_path, bundled_store):
    """A store held by a process that is not a server, beside a file naming a live process
    whose port does not answer: the usual one-line 'in use' error, no credential shown."""
    store = tmp_path / "store"
    shutil.copytree(bundled_store, store)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import sys, pyoxigraph; s = pyoxigraph.Store({str(store)!r}); "
            "print('ready', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        token = "silent-credential-0123456789abcdef"
        about = {"url": "http://127.0.0.1:9", "host": "127.0.0.1", "port": 9}
        about |= {"pid": holder.pid, "store": str(store.resolve()), "token": token}
        server_file(store).write_text(json.dumps(about))
        run = geokg("info", store=store)
        assert run.code == 1 and "in use by another process" in run.err
        assert len(run.err.strip().splitlines()) == 1 and token not in run.out + run.err
    finally:
        holder.communicate("")
