"""``geokg serve --endpoint URL``: the API over a remote Virtuoso answers as in embedded mode."""

from __future__ import annotations

import httpx
import pytest
from conftest import geokg
from test_api_fixtures import run_server


@pytest.fixture(scope="module")
def server(virtuoso, tmp_path_factory):
    """``geokg serve --endpoint`` over Virtuoso holding the bundled data."""
    run = geokg("load", "--endpoint", virtuoso.sparql, "--no-validate")
    assert run.code == 0, run.err
    log = tmp_path_factory.mktemp("remote-api") / "server.log"
    with run_server(log, "--endpoint", virtuoso.sparql, "--max-rows", "3") as (base, _):
        yield base


def test_sparql_select_as_json_and_csv(server):
    query = (
        "PREFIX gk: <https://w3id.org/geokg/ontology#> "
        "SELECT ?t WHERE { ?t a gk:Treaty ; gk:party <https://w3id.org/geokg/id/state/PRK> } "
        "ORDER BY ?t"
    )
    reply = httpx.get(
        f"{server}/sparql",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"].startswith("application/sparql-results+json")
    bindings = reply.json()["results"]["bindings"]
    assert bindings and all(b["t"]["type"] == "uri" for b in bindings)
    assert reply.headers.get("X-Geokg-Truncated", "").startswith("true")  # cut at 3 rows
    csv = httpx.post(
        f"{server}/sparql",
        content="ASK { <https://w3id.org/geokg/id/state/PRK> ?p ?o }",
        headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
    )
    assert (
        csv.status_code == 200 and csv.text.split() == ["_askResult", "true"] or "true" in csv.text
    )


def test_construct_as_turtle(server):
    reply = httpx.get(
        f"{server}/sparql",
        params={
            "query": "CONSTRUCT { <https://w3id.org/geokg/id/state/PRK> ?p ?o } "
            "WHERE { <https://w3id.org/geokg/id/state/PRK> ?p ?o }"
        },  # fmt: skip
        headers={"Accept": "text/turtle"},
    )
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"].startswith("text/turtle")
    assert "state:PRK" in reply.text or "state/PRK" in reply.text


def test_safety_checks_before_forwarding(server):
    reply = httpx.get(
        f"{server}/sparql",
        params={"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"},
    )
    assert reply.status_code == 400 and "SERVICE" in reply.text


def test_syntax_error_and_remote_failure(server):
    bad = httpx.get(f"{server}/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert bad.status_code == 400 and "malformed" in bad.text


def test_entity_page(server):
    page = httpx.get(
        f"{server}/id/state/PRK", headers={"Accept": "text/html"}, follow_redirects=True
    )
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert "Korea" in page.text or "Corée" in page.text
    assert '<td class="tie">defence pact</td>' in page.text  # the kind of tie, over Virtuoso too
    turtle = httpx.get(f"{server}/id/state/PRK", headers={"Accept": "text/turtle"})
    assert (
        turtle.status_code == 200 and "gk:State" in turtle.text or "ontology#State" in turtle.text
    )


def test_cascade_page_by_name(server):
    """Names, round 1 by default and the labelled escalation work over Virtuoso too."""
    url = f"{server}/views/cascade?attacked=Koursk&attacker=Ukraine&as_of=2025-06-30"
    plain, escalated = httpx.get(url), httpx.get(url + "&escalate=1")
    assert plain.status_code == escalated.status_code == 200
    assert "Round 1: North Korea must assist Russia" in plain.text
    assert "China" not in plain.text.split("graph-data")[1]
    assert "Round 2: China must assist North Korea" in escalated.text
    assert "Assumption: if the attacker's side attacks North Korea" in escalated.text
