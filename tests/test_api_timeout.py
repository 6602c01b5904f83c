"""The query time limit: an expensive query is stopped, its worker killed; others are served meanwhile.

The server runs with 2 worker processes and a 2 s limit. The expensive query is a
triple cross join over the whole store (about 3·10^10 solutions to count).
"""

from __future__ import annotations

import threading
import time

import httpx
import pytest
from test_api_fixtures import serve, worker_pids

EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = "SELECT ?label WHERE { <https://w3id.org/geokg/id/state/PRK> <http://www.w3.org/2000/01/rdf-schema#label> ?label }"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("timeout")
    with serve(tmp, "--query-timeout", "2", "--workers", "2") as (base, process):
        yield base, process, tmp / "server.log"


@pytest.fixture(scope="module")
def server(served):
    return served[:2]


def test_expensive_query_is_stopped_while_cheap_queries_are_answered(server):
    base, process = server
    endpoint = f"{base}/sparql"
    # Warm both workers up (each answers once).
    for _ in range(4):
        assert httpx.get(endpoint, params={"query": CHEAP}).status_code == 200
    workers_before = worker_pids(process.pid)
    assert len(workers_before) == 2

    expensive: dict = {}

    def run_expensive():
        response = httpx.post(endpoint, data={"query": EXPENSIVE}, timeout=120)
        expensive["status"], expensive["text"] = response.status_code, response.text

    thread = threading.Thread(target=run_expensive)
    thread.start()
    answered_while_running = 0
    while thread.is_alive():
        # Each cheap query uses a different literal so that no cache answers it.
        query = CHEAP + f" # {answered_while_running}"
        response = httpx.get(endpoint, params={"query": query}, timeout=120)
        assert response.status_code == 200, response.text
        labels = {b["label"]["value"] for b in response.json()["results"]["bindings"]}
        assert "North Korea" in labels
        if thread.is_alive():
            answered_while_running += 1
    thread.join()

    assert answered_while_running >= 3
    assert expensive["status"] == 503
    assert "time limit of 2 s" in expensive["text"]

    # The worker that ran it was killed (its CPU freed) and replaced.
    workers_after = worker_pids(process.pid)
    assert len(workers_after) == 2
    assert len(workers_before - workers_after) == 1
    assert httpx.get(endpoint, params={"query": CHEAP}).status_code == 200


def test_updates_are_off_without_a_token(server):
    base, _ = server
    response = httpx.post(
        f"{base}/sparql", data={"update": "CLEAR ALL"}, headers={"Authorization": "Bearer x"}
    )
    assert response.status_code == 403 and "switched off" in response.text
    assert httpx.get(f"{base}/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"]


def test_no_access_log_unless_asked(served):
    base, _, log = served
    assert httpx.get(f"{base}/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
    time.sleep(0.5)
    text = log.read_text(errors="replace")
    assert "Uvicorn running" in text or "Application startup complete" in text  # the log is there
    assert "GET /sparql" not in text  # but no line per request (geokg serve --access-log)
