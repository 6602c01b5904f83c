"""The landing page ``/`` and the entity search ``/search`` on a real server (uvicorn), with
httpx and headless Chromium; the search function itself on the bundled data in memory."""

from __future__ import annotations

import html
import unicodedata
from pathlib import Path

import httpx
import pytest
from conftest import geokg as geokg_command
from geokg.graph.importers import import_atop
from test_api_fixtures import HOSTILE, HOSTILE_TTL, TEST_GRAPH, run_server, sparql

import geokg

DATA = Path(__file__).resolve().parent / "data" / "atop"
ID = "https://w3id.org/geokg/id/"
KURSK, NIS = ID + "place/kursk-oblast", ID + "org/nis"
ATOP_GRAPH = "https://w3id.org/geokg/graph/import/atop"
LINKS = ["/sparql", "/views/alliances", "/views/deployments", "/views/cascade", "/ontology"]
#: Texts a hostile client may send: markup, quotes, backslashes, SPARQL and regex syntax.
HOSTILE_TEXTS = [
    "<script>alert(1)</script>",
    "\"'\\",
    "\\u0022 ) } ; DROP ALL ; #",
    '" ) } ; DELETE WHERE { ?s ?p ?o } #',
    'Kursk\\" .* (a|b)+$ [^x]',
    "é\u0301\u0000\ufeff😀",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``geokg serve`` on a store with the bundled data, the real ATOP files and a hostile actor."""
    tmp = tmp_path_factory.mktemp("home")
    kg = geokg.open_store(tmp / "store")
    import_atop(
        kg, DATA / "atop-alliance-level.csv", DATA / "atop-member-level.csv", validate=False
    )
    kg.load_data(HOSTILE_TTL, format="ttl", graph=TEST_GRAPH, validate=False)
    kg.close()
    with run_server(tmp / "server.log", "--store", str(tmp / "store")) as (base, _):
        yield base


def graph_counts(base: str) -> dict[str, int]:
    """Triples per named graph, counted over the SPARQL protocol (the reference for ``/``)."""
    rows = sparql(base, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"]: int(row["n"]) for row in rows}


def found(base: str, q: str) -> list[str]:
    answer = httpx.get(f"{base}/search", params={"q": q, "format": "json"})
    assert answer.status_code == 200, answer.text
    return [r["iri"] for r in answer.json()["results"]]


# -- the landing page ------------------------------------------------------------------------


def test_home_lists_every_named_graph_with_its_triples(server):
    counts = graph_counts(server)
    assert ATOP_GRAPH in counts and TEST_GRAPH in counts
    held = httpx.get(f"{server}/", headers={"Accept": "application/json"}).json()
    assert {g["iri"]: g["triples"] for g in held["graphs"]} == counts
    assert held["triples"] == sum(counts.values())

    page = httpx.get(f"{server}/", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "<script" not in page.text and "http://127.0.0.1" not in page.text
    text = html.unescape(page.text)
    for graph, n in counts.items():
        name = graph.rsplit("/graph/", 1)[1]
        assert f">{name}</a>" in text and f">{n:,}<" in text, graph


def test_home_cites_the_data_sets_from_their_source_documents(server):
    reference = sparql(
        server,
        """PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?g ?doc ?citation WHERE { GRAPH ?g {
          ?doc a <https://w3id.org/geokg/ontology#SourceDocument> ;
               dcterms:bibliographicCitation ?citation } }""",
    )
    graphs = {row["g"] for row in reference}
    assert {ATOP_GRAPH, "https://w3id.org/geokg/graph/kb"} <= graphs
    held = httpx.get(f"{server}/", params={"format": "json"}).json()
    listed = {(g["iri"], d["iri"], d["citation"]) for g in held["graphs"] for d in g["datasets"]}
    assert listed == {(r["g"], r["doc"], r["citation"]) for r in reference}
    text = html.unescape(httpx.get(f"{server}/").text)
    atop = next(r for r in reference if r["g"] == ATOP_GRAPH)
    assert atop["citation"] in text and "Leeds, Brett Ashley" in text
    assert f'href="/id/source/{atop["doc"].rsplit("/", 1)[1]}"' in text


def test_home_links_answer(server):
    text = html.unescape(httpx.get(f"{server}/").text)
    for path in LINKS:
        assert f'href="{path}' in text, path
    for path in [
        "/sparql",
        "/views/alliances",
        "/views/deployments",
        "/views/cascade?attacked=kursk-oblast&attacker=UKR",
        "/views/actor/PRK",
        "/ontology",
        "/.well-known/void",
    ]:
        assert f'href="{path}"' in text, path
        answer = httpx.get(server + path, headers={"Accept": "text/html"}, timeout=60)
        assert answer.status_code == 200, (path, answer.text[:300])
    # each graph links to the query page with a query that lists its classes
    atop_link = text.split(">import/atop</a>")[0].rsplit('href="', 1)[1].split('"')[0]
    assert atop_link.startswith("/sparql?query=")
    query = httpx.URL(atop_link).params["query"]
    assert ATOP_GRAPH in query
    assert {r["class"] for r in sparql(server, query)} >= {"https://w3id.org/geokg/ontology#Treaty"}


# -- search ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "iri"),
    [
        ("Kursk", KURSK),
        ("Koursk", KURSK),  # French label and alias
        ("koursk", KURSK),
        ("RÉGION DE KOURSK", KURSK),
        ("KCIA", NIS),  # a French alias
        ("nis", NIS),
        ("Service national du renseignement", NIS),
        ("Coree du Nord", ID + "state/PRK"),  # accents do not matter …
        ("côte d’ivoire", ID + "state/CIV"),  # … nor the apostrophe
        ("COTE D'IVOIRE", ID + "state/CIV"),
    ],
)
def test_search_finds_an_entity_by_any_name(server, q, iri):
    assert iri in found(server, q)


def test_search_ranks_the_exact_name_first_and_links_to_entity_pages(server):
    assert found(server, "Koursk")[0] == KURSK
    assert found(server, "KCIA") == [NIS]
    page = httpx.get(f"{server}/search", params={"q": "Koursk"}, headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<a href="/id/place/kursk-oblast"' in page.text
    assert "Oblast de Koursk" in page.text
    answer = httpx.get(
        f"{server}/search", params={"q": "KCIA"}, headers={"Accept": "application/json"}
    )
    assert answer.headers["content-type"].startswith("application/json")
    (nis,) = answer.json()["results"]
    assert nis["href"] == "/id/org/nis" and {"label": "KCIA", "lang": "fr"} in nis["matched"]
    assert httpx.get(server + nis["href"], headers={"Accept": "text/html"}).status_code == 200


def test_search_escapes_hostile_labels(server):
    page = httpx.get(f"{server}/search", params={"q": "img onerror"})
    assert page.status_code == 200
    assert "/id/org/hostile" in page.text
    assert HOSTILE not in page.text and html.escape(HOSTILE, quote=False) in page.text


def test_hostile_search_texts_are_escaped_and_change_nothing(server):
    before = graph_counts(server)
    for q in HOSTILE_TEXTS:
        page = httpx.get(f"{server}/search", params={"q": q}, headers={"Accept": "text/html"})
        assert page.status_code == 200, (q, page.text[:300])
        assert "<script>alert" not in page.text
        assert (
            f'value="{html.escape(q, quote=True)}"'.replace("&#x27;", "&#39;").replace(
                "&quot;", "&#34;"
            )
            in page.text
        )
        as_json = httpx.get(f"{server}/search", params={"q": q, "format": "json"})
        assert as_json.status_code == 200 and as_json.json()["q"] == q
    too_long = "<script>" + "x" * 9992
    for accept in ("text/html", "application/json"):
        answer = httpx.get(f"{server}/search", params={"q": too_long}, headers={"Accept": accept})
        assert answer.status_code == 400
        assert "too long: at most 200 characters (got 10000)" in answer.text
        assert "<script>" not in answer.text
    assert httpx.get(f"{server}/search", params={"q": "x", "format": "xml"}).status_code == 400
    assert graph_counts(server) == before


def test_home_and_search_in_the_browser_offline(browser, server):
    """Chromium with no network but the server: search from the landing page, open a result."""
    context = browser.new_context()
    page = context.new_page()
    outside, errors = [], []

    def route(r):
        if r.request.url.startswith(server + "/"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "/")
    assert page.locator("h1").inner_text() == "geokg"
    assert page.locator("table.graphs tbody tr").count() == len(graph_counts(server))
    page.locator("main input[name=q]").fill("Koursk")
    page.locator("main form.search button").click()
    page.wait_for_selector("#results li")
    assert page.url.startswith(server + "/search?q=Koursk")
    first = page.locator("#results li a").first
    assert first.inner_text() == "Kursk Oblast"
    first.click()
    page.wait_for_selector("h1#label")
    assert page.locator("h1").inner_text() == "Kursk Oblast"
    assert page.url == server + "/id/place/kursk-oblast"
    # the header's search box, on any page
    page.locator("header input[name=q]").fill("<img src=x onerror=alert(1)>")
    page.locator("header input[name=q]").press("Enter")
    page.wait_for_selector("#results li")
    assert page.locator("#results li a").first.inner_text() == HOSTILE
    assert page.locator("main img").count() == 0
    assert outside == [] and errors == []
    context.close()


# -- the search function, on the bundled data in memory ---------------------------------------


def _fold(text: str) -> str:
    """The test's own folding: decompose, drop the accents, lower case."""
    return "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
    ).lower()


def test_every_accented_name_is_found_without_its_accents(kg):
    """Each name (label or alias) with an accent, typed without it and in capitals, finds
    its entity: the store's matching agrees with Unicode's decomposition."""
    rows = kg.query(
        "SELECT ?s ?l WHERE { { ?s rdfs:label ?l } UNION { ?s skos:altLabel ?l } "
        "FILTER(isIRI(?s)) }",
        prefixes=True,
    )
    accented = [
        (str(s), str(label)) for s, label in rows if _fold(str(label)) != str(label).lower()
    ]
    assert len(accented) > 100
    for iri, label in accented:
        typed = _fold(label).upper()
        result = geokg.search(kg, typed, limit=10_000)
        assert iri in [m.iri for m in result.matches], (label, typed)


def test_search_words_reach_the_query_as_letters_and_digits_only(kg):
    """Whatever the text, the query's only strings are its words (letters and digits) and the
    fixed class of characters outside ASCII; the query runs and writes nothing."""
    import re

    from geokg.graph.lookup import search_query, words

    before = kg.counts()
    for q in HOSTILE_TEXTS:
        assert all(word.isalnum() for word in words(q))
        if words(q):
            literals = re.findall(r'"((?:[^"\\]|\\.)*)"', search_query(words(q)))
            assert sorted(literals) == sorted([*words(q), "[^ -~]"]), literals
        geokg.search(kg, q)
    assert kg.counts() == before
    with pytest.raises(geokg.SearchError):
        geokg.search(kg, "x" * 201)


def test_search_on_virtuoso_finds_what_the_embedded_store_finds(virtuoso, kg):
    """The same query serves remote stores: Virtuoso's regular expressions compare bytes, so
    accents are never put in a pattern."""
    run = geokg_command("load", "--endpoint", virtuoso.sparql)
    assert run.code == 0, run.err
    remote = geokg.open_endpoint(virtuoso.sparql)
    for q in ["Koursk", "KCIA", "coree du nord", "RÉGION", "cote d'ivoire", "Séoul"]:
        embedded = [m.iri for m in geokg.search(kg, q, limit=1000).matches]
        there = [m.iri for m in geokg.search(remote, q, limit=1000).matches]
        assert embedded and set(embedded) <= set(there) and there[0] == embedded[0], q
