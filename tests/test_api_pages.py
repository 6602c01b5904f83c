"""The query page (in headless Chromium) and the linked-data entity pages."""

from __future__ import annotations

import json
from urllib.parse import quote

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from test_api_fixtures import HOSTILE, serve

HOSTILE_QUERY = """# title: Actors of the test graph, with their labels
# title-fr: Acteurs du graphe de test
PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?actor ?label WHERE {
  GRAPH <https://w3id.org/geokg/graph/test-api> { ?actor a gk:Actor ; rdfs:label ?label }
}
"""
STATES_QUERY = """# title: States
PREFIX gk: <https://w3id.org/geokg/ontology#>
SELECT ?state WHERE { ?state a gk:State } ORDER BY ?state
"""
PRK = "https://w3id.org/geokg/id/state/PRK"
HOSTILE_ACTOR = "/id/org/hostile"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pages")
    questions = tmp / "questions"
    questions.mkdir()
    (questions / "01-test-actors.rq").write_text(HOSTILE_QUERY, encoding="utf-8")
    (questions / "02-states.rq").write_text(STATES_QUERY, encoding="utf-8")
    with serve(tmp, "--questions-dir", str(questions)) as (base, _):
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


# -- the query page ------------------------------------------------------------------------


def test_query_page_runs_an_example_and_shows_a_table(page, server):
    page.goto(f"{server}/sparql")
    # The page fills the editor and the examples once its fetch of the examples returns.
    page.wait_for_function("document.querySelector('#editor').value.includes('PREFIX gk:')")
    editor = page.locator("#editor")
    assert "PREFIX gk: <https://w3id.org/geokg/ontology#>" in editor.input_value()
    page.wait_for_selector("#examples button")
    buttons = page.locator("#examples button")
    assert buttons.count() == 2
    page.locator("#examples button", has_text="States").click()
    page.wait_for_selector("#table tbody tr")
    links = page.locator("#table tbody a")
    assert links.count() >= 3
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert "/id/state/PRK" in hrefs
    assert "state:PRK" in page.locator("#table").inner_text()
    # the query is kept in the address, so that it can be shared
    assert "query=" in page.url and "gk%3AState" in page.url.replace("+", "%20")
    assert page.outside == [] and page.dialogs == []


def test_hostile_label_shows_as_text(page, server):
    page.goto(f"{server}/sparql")
    page.wait_for_selector("#examples button")
    page.locator("#examples button", has_text="Actors of the test graph").click()
    page.wait_for_selector("#table tbody tr")
    cells = page.locator("#table tbody td")
    texts = [cells.nth(i).inner_text() for i in range(cells.count())]
    assert any(HOSTILE in text for text in texts)
    assert page.locator("#results img").count() == 0
    assert page.dialogs == [] and page.outside == []


def test_shared_link_runs_the_query(page, server):
    query = f"SELECT ?x WHERE {{ VALUES ?x {{ <{PRK}> }} }}"
    page.goto(f"{server}/sparql?query={quote(query)}")
    page.wait_for_selector("#table tbody tr")
    assert page.locator("#editor").input_value() == query
    assert page.locator("#table tbody a").get_attribute("href") == "/id/state/PRK"
    assert page.outside == []


def test_errors_and_downloads(page, server):
    page.goto(f"{server}/sparql?query={quote('SELECT * WHERE { ?s ?p }')}")
    page.wait_for_selector("#error:not([hidden])")
    assert "malformed SPARQL" in page.locator("#error").inner_text()
    page.locator("#editor").fill("SELECT ?x WHERE { VALUES ?x { 1 2 3 } }")
    page.locator("#run").click()
    page.wait_for_selector("#table tbody tr")
    with page.expect_download() as info:
        page.locator("#downloads button[data-ext=csv]").click()
    path = info.value.path()
    assert open(path, encoding="utf-8").read().split() == ["x", "1", "2", "3"]
    with page.expect_download() as info:
        page.locator("#downloads button[data-ext=json]").click()
    data = json.loads(open(info.value.path(), encoding="utf-8").read())
    assert [b["x"]["value"] for b in data["results"]["bindings"]] == ["1", "2", "3"]


def test_query_page_assets_are_local_and_the_page_is_protected(server):
    response = httpx.get(f"{server}/sparql", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert "http://" not in response.text and "https://" not in response.text
    for asset in ("/static/query.js", "/static/site.css"):
        assert httpx.get(server + asset).status_code == 200


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
    as_turtle = httpx.get(f"{server}/ontology", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=as_turtle.text, format="turtle")
    treaty = URIRef("https://w3id.org/geokg/ontology#Treaty")
    assert (treaty, None, None) in graph
