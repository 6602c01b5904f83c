"""The linked-data entity pages (the query page: tests/test_query_page.py)."""

from __future__ import annotations

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from test_api_fixtures import HOSTILE, serve

PRK = "https://w3id.org/geokg/id/state/PRK"
HOSTILE_ACTOR = "/id/org/hostile"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("pages")) as (base, _):
        yield base


@pytest.fixture
def page(browser, server):
    """A fresh page that records every request and any dialog; only the server may be reached."""
    context = browser.new_context()
    page = context.new_page()
    page.requests, page.outside, page.dialogs = [], [], []

    def route(r):
        url = r.request.url
        page.requests.append(url)
        if url.startswith(server + "/"):
            r.continue_()
        else:
            page.outside.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


# -- the query page: tests/test_query_page.py (YASGUI, issue 15) ------------------------------


# -- entity pages --------------------------------------------------------------------------


def test_entity_page_html(server):
    response = httpx.get(f"{server}/id/state/PRK", headers={"Accept": "text/html"})
    assert response.status_code == 200
    html = response.text
    assert "<h1" in html and "North Korea" in html
    assert 'href="/id/source/' in html  # local links for geokg IRIs
    assert "Links in" in html


def test_entity_page_escapes_data_and_shows_claims(server):
    response = httpx.get(server + HOSTILE_ACTOR, headers={"Accept": "text/html"})
    html = response.text
    assert response.status_code == 200
    assert HOSTILE not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "Claims" in html and "1200" in html and 'href="/id/source/background"' in html


def test_entity_page_in_the_browser(page, server):
    page.goto(server + HOSTILE_ACTOR)
    assert page.locator("h1").inner_text() == HOSTILE
    assert page.locator("main img").count() == 0
    assert page.dialogs == [] and page.outside == []


def test_entity_as_turtle_and_json_ld(server):
    turtle = httpx.get(f"{server}/id/state/PRK", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.text, format="turtle")
    label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    assert (URIRef(PRK), label, Literal("North Korea", lang="en")) in graph
    jsonld = httpx.get(f"{server}/id/state/PRK", headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert len(Graph().parse(data=jsonld.text, format="json-ld")) == len(graph)
    claims = Graph().parse(
        data=httpx.get(server + HOSTILE_ACTOR, headers={"Accept": "text/turtle"}).text,
        format="turtle",
    )
    about = URIRef("https://w3id.org/geokg/ontology#about")
    assert len(list(claims.subjects(about, None))) == 1


def test_unknown_entity_is_404_and_ontology_page(server):
    assert httpx.get(f"{server}/id/state/XXX", headers={"Accept": "text/html"}).status_code == 404
    assert httpx.get(f"{server}/id/state/XXX", headers={"Accept": "text/turtle"}).status_code == 404
    ontology = httpx.get(f"{server}/ontology", headers={"Accept": "text/html"})
    assert ontology.status_code == 200 and 'id="Treaty"' in ontology.text
    # one heading per term, its languages kept apart (pyLODE alone ran them together)
    assert "<h3>State / État" in ontology.text and "StateÉtat" not in ontology.text
    as_turtle = httpx.get(f"{server}/ontology", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=as_turtle.text, format="turtle")
    treaty = URIRef("https://w3id.org/geokg/ontology#Treaty")
    assert (treaty, None, None) in graph
