"""Query workers on disk or in memory (issue 19, part 4): the same answers either way.

The same on-disk store (the bundled data, plus one graph loaded twice under two names so that
the union default graph has triples held by two graphs) is served by a real ``geokg serve
--reads disk``, then ``--reads memory``. Every competency question of ontology/questions is
asked through ``/sparql`` in both modes, answer for answer, and each answer is checked against
its expected CSV too; COUNTs over the union default graph (plain and DISTINCT) and over the
named graphs must be the same in both modes and match the store's N-Quads counted in Python. Memory workers
are checked to hold no file of the store open once ready (they query their copy), and to see
a write made through the server (the pool starts fresh workers, which copy the store again).
"""

from __future__ import annotations

import doctest
import os
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from geokg.api import worker_store
from geokg.api.config import Settings
from geokg.api.pool import _Worker
from geokg.graph import open_store
from test_api_fixtures import run_server, wait_for_workers
from test_api_security import Listener
from test_questions import QUESTIONS, has_order_by, read_expected

TWICE = ("https://w3id.org/geokg/graph/test-reads-a", "https://w3id.org/geokg/graph/test-reads-b")
TWICE_TTL = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/reads/x> rdfs:label "x" ; rdfs:comment "in two graphs" .
<https://example.org/reads/y> rdfs:label "y" .
"""
UNION_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SET_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
QUADS_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
TOKEN = "reads-test-token"
WORKERS = 2


def table(document: dict) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a SPARQL JSON result in the expected-CSV convention (test_questions):
    IRIs in full, literals as their lexical form, '' for unbound; ASK as one ``ask`` column."""
    if "boolean" in document:
        return ["ask"], [["true" if document["boolean"] else "false"]]
    names = document["head"]["vars"]
    rows = []
    for binding in document["results"]["bindings"]:
        assert all(binding[n]["type"] != "bnode" for n in binding), "no blank nodes projected"
        rows.append([binding[n]["value"] if n in binding else "" for n in names])
    return names, rows


def ask(base: str, query: str) -> dict:
    response = httpx.post(
        f"{base}/sparql",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=120,
    )
    assert response.status_code == 200, response.text
    return response.json()


def number(base: str, query: str) -> int:
    return int(ask(base, query)["results"]["bindings"][0]["n"]["value"])


def store_files_open(pid: int, store: Path) -> list[str]:
    """The files under ``store`` that process ``pid`` holds open."""
    found = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:  # closed meanwhile
            continue
        if target.startswith(str(store.resolve()) + os.sep):
            found.append(target)
    return found


def served_answers(store: Path, log: Path, reads: str) -> dict:
    """Every question's answer, the counts, and the workers' open store files, from a real
    ``geokg serve --reads READS`` on ``store``; for memory, also the count after an update."""
    options = ("--store", str(store), "--reads", reads, "--workers", str(WORKERS))
    options += ("--update-token", TOKEN)
    with run_server(log, *options) as (base, process):
        out: dict = {q.stem: table(ask(base, q.read_text(encoding="utf-8"))) for q in QUESTIONS}
        for name, query in (("union", UNION_COUNT), ("set", SET_COUNT), ("quads", QUADS_COUNT)):
            out[name] = number(base, query)
        pids = wait_for_workers(process.pid, WORKERS)
        time.sleep(0.5)  # both workers are ready: a query reached one, the other started with it
        for _ in range(100):  # a memory worker closes the store once its copy is made
            out["open"] = {pid: store_files_open(pid, store) for pid in pids}
            if reads == "disk" or not any(out["open"].values()):
                break
            time.sleep(0.2)
        if reads == "memory":  # after the counts: the disk server's answers are its own
            update = f"INSERT DATA {{ GRAPH <{TWICE[0]}> {{ <https://example.org/reads/{reads}> "
            update += "<https://example.org/p> 1 } }"
            response = httpx.post(
                f"{base}/sparql",
                data={"update": update},
                headers={"Authorization": f"Bearer {TOKEN}"},
                timeout=120,
            )
            assert response.status_code in (200, 204), response.text
            out["union after update"] = number(base, UNION_COUNT)
    return out


@pytest.fixture(scope="module")
def answers(tmp_path_factory) -> dict:
    """The store, the reference counts, and the answers of both modes."""
    tmp = tmp_path_factory.mktemp("reads")
    store = tmp / "store"
    kg = open_store(store)  # the bundled data
    for graph in TWICE:
        kg.load_data(TWICE_TTL, format="ttl", graph=graph, validate=False)
    kg.close()
    disk = ox.Store.read_only(str(store))
    quads = list(disk.quads_for_pattern(None, None, None, None))
    del disk
    reference = {
        "quads": len(quads),
        "set": len({(q.subject, q.predicate, q.object) for q in quads}),
    }
    out = {"store": store, "reference": reference}
    for reads in ("disk", "memory"):  # one after the other: one server owns a store at a time
        out[reads] = served_answers(store, tmp / f"server-{reads}.log", reads)
    return out


@pytest.mark.parametrize("query_file", QUESTIONS, ids=[q.stem for q in QUESTIONS])
def test_question_in_memory_equals_on_disk(answers, query_file: Path):
    ordered = has_order_by(query_file.read_text(encoding="utf-8"))
    header, rows = answers["memory"][query_file.stem]
    disk_header, disk_rows = answers["disk"][query_file.stem]
    assert header == disk_header
    assert rows == disk_rows if ordered else sorted(rows) == sorted(disk_rows)
    want_header, want_rows = read_expected(query_file.with_suffix(".csv"))
    assert header == want_header
    assert rows == want_rows if ordered else sorted(rows) == sorted(want_rows)


@pytest.mark.parametrize("reads", ["disk", "memory"])
def test_the_union_default_graph_counts_as_on_disk(answers, reads):
    """The copy keeps every graph apart: Oxigraph's union default graph repeats a triple once
    per graph that holds it (which geokg's loads avoid, DESIGN.md), in memory as on disk, and
    DISTINCT gives the set."""
    reference = answers["reference"]
    assert reference["set"] == reference["quads"] - 3  # three triples are in two graphs
    assert answers[reads]["union"] == answers["disk"]["union"] == reference["quads"]
    assert answers[reads]["set"] == answers["disk"]["set"] == reference["set"]
    assert answers[reads]["quads"] == reference["quads"]


def test_memory_workers_query_their_copy_and_disk_workers_the_store(answers):
    assert answers["disk"]["open"] and all(answers["disk"]["open"].values())
    assert answers["memory"]["open"] and not any(answers["memory"]["open"].values())


def test_memory_workers_see_a_write_made_through_the_server(answers):
    """The pool starts fresh workers after the write: they copy the store as it is now."""
    assert answers["memory"]["union after update"] == answers["reference"]["quads"] + 1


@pytest.mark.parametrize("reads", ["disk", "memory"])
def test_a_worker_is_sealed_in_both_modes(tmp_path, monkeypatch, reads):
    """The copy is made after the worker sealed itself: SERVICE cannot reach the network."""
    listener = Listener()
    store = tmp_path / "store"
    ox.Store(str(store)).flush()
    monkeypatch.setenv("GEOKG_READS", reads)  # the worker inherits it
    worker = _Worker(str(store))
    query = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    try:
        reply = worker.call(
            {"query": query, "results": "json", "rdf": "ttl"}, time.monotonic() + 60
        )
        files = store_files_open(worker.process.pid, store)
    finally:
        worker.kill()
    time.sleep(0.3)
    assert reply[0] == "error" and "Permission denied" in reply[1]
    assert listener.connections == 0
    assert bool(files) == (reads == "disk")  # and it reads as told


def test_auto_reads_small_stores_from_memory(tmp_path, monkeypatch):
    store = tmp_path / "store"
    ox.Store(str(store)).flush()
    assert worker_store.resolve_reads("auto", store) == "memory"
    monkeypatch.setattr(worker_store, "AUTO_MEMORY_MB", worker_store.folder_mb(store) / 2)
    assert worker_store.resolve_reads("auto", store) == "disk"
    assert worker_store.resolve_reads("memory", store) == "memory"
    assert worker_store.resolve_reads("disk", tmp_path / "absent") == "disk"


def test_the_setting_and_its_environment_variable():
    assert Settings().reads == "auto"
    assert Settings.from_env({"GEOKG_READS": " Memory "}).reads == "memory"
    assert worker_store.reads_from_env({"GEOKG_READS": "DISK"}) == "disk"
    with pytest.raises(ValueError, match="GEOKG_READS"):
        Settings.from_env({"GEOKG_READS": "ram"})


def test_docstring_examples():
    failures, tried = doctest.testmod(worker_store)
    assert tried and not failures
