"""The query page (issue 15): YASGUI on geokg's endpoint, in headless Chromium against a real
``geokg serve``, with every request outside 127.0.0.1 blocked (and recorded, to fail the test).

Typed queries with undeclared prefixes, labels in the table and in French, autocompletion,
the chart, CSV download, share links, hostile labels kept as text, the strict CSP, and every
competency question run through the page's own code path.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
import time
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from geokg.api.sparql import PAGE_HEADERS, YASGUI_STYLE_HASHES
from geokg.graph.bundled import questions_dir
from test_api_fixtures import HOSTILE, serve, watched_page

STATIC = Path(__file__).resolve().parent.parent / "api" / "static"
HOSTILE_TITLE = "<img src=x onerror=alert('title')> Actors"
HOSTILE_QUERY = f"""# title: {HOSTILE_TITLE}
# title-fr: Acteurs de l'essai <b>gras</b>
SELECT ?actor WHERE {{ GRAPH <https://w3id.org/geokg/graph/test-api> {{ ?actor a gk:Actor }} }}
"""
TYPED = 'SELECT ?state WHERE { ?state a gk:State ; gk:isoAlpha3 ?code . FILTER(?code IN ("PRK", "RUS")) } ORDER BY ?code'
CHART = (
    "SELECT ?state ?troops WHERE { VALUES (?state ?troops) "
    "{ (state:PRK 11000) (state:RUS 3000) (state:UKR 500) } } ORDER BY DESC(?troops)"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("query-page")
    questions = tmp / "questions"
    questions.mkdir()
    for path in questions_dir().glob("*.rq"):
        (questions / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (questions / "99-hostile.rq").write_text(HOSTILE_QUERY, encoding="utf-8")
    with serve(tmp, "--questions-dir", str(questions)) as (base, _):
        yield base


@pytest.fixture
def page(browser, server):
    """A fresh page: only the server may be reached; dialogs, errors and CSP violations recorded."""
    with watched_page(browser, server, accept_downloads=True) as page:
        yield page


def wait_until(page, function: str, arg=None, timeout: float = 30.0):
    """Poll ``function`` (JavaScript) until it returns something true; its value.

    (Playwright's wait_for_function evaluates strings, which the page's CSP rightly forbids.)
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = page.evaluate(function, arg)
        if value:
            return value
        page.wait_for_timeout(100)
    raise AssertionError(f"still false after {timeout} s: {function}")


def open_page(page, server, path="/sparql"):
    page.goto(server + path)
    page.wait_for_selector(".yasqe .CodeMirror")
    wait_until(page, "() => window.geokgYasgui !== undefined")


def type_query(page, text: str) -> None:
    """Replace the editor's text by typing (CodeMirror receives real input events)."""
    page.locator(".yasqe .CodeMirror").last.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)


def editor_value(page) -> str:
    return page.evaluate("window.geokgYasgui.getTab().getYasqe().getValue()")


def labels_in_table(page) -> dict[str, str]:
    """{entity page link: label} for the rows on screen, once the labels have arrived."""
    page.wait_for_selector(".yasr tbody span.gk-label[data-done]", state="attached")
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.yasr tbody span.gk-label')]
             .map(s => [s.previousElementSibling.getAttribute('href'), s.textContent]))"""
    )


def test_typed_query_with_undeclared_prefix_shows_labels_linked_to_entity_pages(page, server):
    open_page(page, server)
    requests = []
    page.on("request", lambda r: requests.append(r.url) if r.url.endswith("/labels") else None)
    type_query(page, TYPED)
    page.keyboard.press("Control+Enter")
    labels = labels_in_table(page)
    assert labels == {"/id/state/PRK": "North Korea", "/id/state/RUS": "Russia"}
    links = page.locator(".yasr tbody a.iri").all_inner_texts()
    assert links == ["state:PRK", "state:RUS"]
    assert len(requests) == 1  # one label request for the page, not one per cell
    assert page.locator(".yasqe .CodeMirror-lint-marker-error, .yasqe .parseErrorIcon").count() == 0
    # the page's language switch: labels and example titles in French
    page.select_option("#lang", "fr")
    wait_until(
        page,
        "() => [...document.querySelectorAll('.yasr tbody span.gk-label')]"
        ".some(s => s.textContent === 'Corée du Nord')",
    )
    titles = page.locator("#examples button").all_text_contents()
    assert any("d'affirmations" in t for t in titles) and not any("'\\''" in t for t in titles)


def test_autocompletion_of_vocabulary_and_entity_names(page, server):
    open_page(page, server)
    type_query(page, "SELECT * WHERE { ?t a gk:Trea")
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".CodeMirror-hints li")
    hints = page.locator(".CodeMirror-hints li").all_inner_texts()
    assert hints[0] == "gk:Treaty  —  Treaty"
    page.keyboard.press("Enter")
    assert editor_value(page) == "SELECT * WHERE { ?t a gk:Treaty"

    type_query(page, "SELECT * WHERE { ?t gk:par")
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".CodeMirror-hints li")
    assert "gk:party  —  party" in page.locator(".CodeMirror-hints li").all_inner_texts()

    type_query(page, "SELECT * WHERE { ?t gk:party North")
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".CodeMirror-hints li")
    hints = page.locator(".CodeMirror-hints li").all_inner_texts()
    assert "state:PRK  —  North Korea" in hints
    page.locator(".CodeMirror-hints li", has_text="state:PRK").click()
    assert editor_value(page) == "SELECT * WHERE { ?t gk:party state:PRK"


def test_chart_of_a_numeric_column_against_labels(page, server):
    open_page(page, server, f"/sparql?query={quote(CHART)}")
    labels_in_table(page)
    page.locator(".yasr .select_chart").click()
    page.wait_for_selector(".gk-chart svg rect.bar")
    bars = page.locator(".gk-chart svg rect.bar")
    heights = [float(bars.nth(i).get_attribute("height")) for i in range(bars.count())]
    assert len(heights) == 3
    assert heights[0] / heights[1] == pytest.approx(11000 / 3000, rel=1e-3)
    ticks = page.locator(".gk-chart svg text.tick-x").all_text_contents()
    assert ticks == ["North Korea", "Russia", "Ukraine"]
    page.select_option(".gk-chart select[data-role=kind]", "line")
    assert page.locator(".gk-chart svg path.line").count() == 1
    assert page.locator(".gk-chart svg circle.dot").count() == 3


def test_csv_download_and_share_link(page, server, browser):
    open_page(page, server, f"/sparql?query={quote(CHART)}")
    page.wait_for_selector(".yasr tbody tr")
    with page.expect_download() as info:
        page.locator(".yasr .yasr_downloadIcon").click()
    rows = list(csv.reader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    assert rows[0] == ["state", "troops"]
    assert [r[1] for r in rows[1:]] == ["11000", "3000", "500"]
    assert rows[1][0] == "https://w3id.org/geokg/id/state/PRK"
    link = page.evaluate("window.geokgYasgui.getTab().getShareableLink()")
    assert link.startswith(server + "/sparql?")
    other = browser.new_context()
    other.route("**/*", lambda r: r.continue_() if r.request.url.startswith(server) else r.abort())
    shared = other.new_page()
    shared.goto(link)
    shared.wait_for_selector(".yasr tbody tr")
    assert shared.evaluate("window.geokgYasgui.getTab().getYasqe().getValue()") == CHART
    other.close()


def test_hostile_labels_and_titles_stay_text(page, server):
    open_page(page, server)
    page.locator("#examples-box summary").click()
    button = page.locator("#examples button[data-example='99-hostile']")
    assert button.inner_text() == HOSTILE_TITLE
    button.click()
    labels = labels_in_table(page)
    assert labels == {"/id/org/hostile": HOSTILE}
    assert page.locator("#yasgui img, #examples img").count() == 0
    type_query(page, "SELECT * WHERE { ?t gk:party onerror")
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".CodeMirror-hints li")
    assert f"org:hostile  —  {HOSTILE}" in page.locator(".CodeMirror-hints li").all_inner_texts()
    assert page.locator(".CodeMirror-hints img").count() == 0


def test_unknown_prefix_error_is_shown_in_words(page, server):
    open_page(page, server, f"/sparql?query={quote('SELECT * WHERE { ?s foo:bar ?o }')}")
    page.wait_for_selector(".yasr .errorResult")
    text = page.locator(".yasr .errorResult").inner_text()
    assert 'unknown prefix "foo:" at line 1, column 21' in text


def test_every_example_runs_through_the_page(page, server):
    open_page(page, server)
    examples = httpx.get(f"{server}/sparql-examples.json").json()["examples"]
    assert len(examples) == 27
    for example in examples:
        page.evaluate("name => window.geokgRunExample(name)", example["name"])
        wait_until(
            page,
            "name => window.geokgYasgui.getTab().getName() !== '' && "
            "window.geokgYasgui.getTab().getYasr().results !== undefined",
            example["name"],
        )
        results = page.evaluate(
            """() => { const r = window.geokgYasgui.getTab().getYasr().results;
                 return {error: r.getError ? r.getError() : null,
                         bindings: r.getBindings ? (r.getBindings() || []).length : null,
                         boolean: r.getBoolean ? r.getBoolean() : null}; }"""
        )
        direct = httpx.post(
            f"{server}/sparql",
            data={"query": example["query"]},
            headers={"Accept": "application/sparql-results+json"},
        ).json()
        assert not results["error"], (example["name"], results)
        if "boolean" in direct:
            assert results["boolean"] == direct["boolean"], example["name"]
        else:
            assert results["bindings"] == len(direct["results"]["bindings"]), example["name"]
    assert page.locator("#yasgui .yasgui .tabsList .tab").count() >= 27


def test_page_is_protected_and_its_assets_are_local(server):
    response = httpx.get(f"{server}/sparql", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    policy = response.headers["content-security-policy"]
    assert policy == PAGE_HEADERS["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "unsafe" not in policy
    assert "http://" not in response.text and "https://" not in response.text
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', response.text):
        assert httpx.get(server + asset).status_code == 200, asset
    # the two style sheets allowed by hash are exactly those the vendored bundle writes
    bundle = (STATIC / "vendor" / "yasgui" / "yasgui.min.js").read_text(encoding="utf-8")
    layout = re.search(r"` (\.grip-resizable\{table-layout:fixed;\}[^`]*)`", bundle).group(1)
    for sheet in (" " + layout, "*{cursor:col-resize!important}"):
        assert sheet.split("{")[0] in bundle
        digest = base64.b64encode(hashlib.sha256(sheet.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in YASGUI_STYLE_HASHES
    version = (STATIC / "vendor" / "yasgui" / "VERSION").read_text()
    assert version.startswith("@zazuko/yasgui 4.") and "license: MIT" in version


def test_labels_route(server):
    prk, nis = "https://w3id.org/geokg/id/state/PRK", "https://w3id.org/geokg/id/org/nis"
    answer = httpx.post(
        f"{server}/labels", json={"iris": [prk, nis, "urn:nothing", "not an IRI"], "lang": "fr"}
    )
    assert answer.status_code == 200
    assert answer.json()["labels"] == {
        prk: "Corée du Nord",
        nis: "Service national du renseignement (Corée du Sud)",
    }
    too_many = httpx.post(f"{server}/labels", json={"iris": ["urn:x"] * 1001})
    assert too_many.status_code == 400
    assert httpx.post(f"{server}/labels", content=b"nope").status_code == 400
    found = httpx.get(f"{server}/autocomplete", params={"kind": "class", "q": 'gk:Trea"}'})
    assert [r["iri"] for r in found.json()["results"]][0].endswith("#Treaty")
    assert json.loads(found.text)  # the quote and brace were dropped, not sent to SPARQL
    spaced = httpx.get(f"{server}/autocomplete", params={"q": "North\n\tKorea"})
    assert spaced.status_code == 200
    assert "https://w3id.org/geokg/id/state/PRK" in [r["iri"] for r in spaced.json()["results"]]


def test_network_drawing_of_construct_results(page, server):
    query = (
        "CONSTRUCT { ?treaty gk:party ?state } WHERE { ?treaty gk:party ?state ; "
        "gk:party state:PRK }"
    )
    direct = httpx.post(
        f"{server}/sparql", data={"query": query}, headers={"Accept": "application/n-triples"}
    ).text
    triples = [line.split(" ", 2) for line in direct.splitlines() if line.strip()]
    nodes = {t[0] for t in triples} | {t[2].rstrip(" .") for t in triples}
    open_page(page, server, f"/sparql?query={quote(query)}")
    page.wait_for_selector(".yasr tbody tr")
    page.locator(".yasr .select_network").click()
    page.wait_for_selector(".gk-network svg circle.node")
    assert page.locator(".gk-network svg circle.node").count() == len(nodes)
    assert page.locator(".gk-network svg line.edge").count() == len(triples)
    names = page.locator(".gk-network svg text.node-label").all_text_contents()
    assert "North Korea" in names and "Russia" in names
    assert page.locator(".gk-network svg a[href='/id/state/PRK']").count() == 1


def test_query_history_reopens_a_query_run_earlier(page, server):
    open_page(page, server)
    type_query(page, TYPED)
    page.keyboard.press("Control+Enter")
    labels_in_table(page)
    page.reload()
    page.wait_for_selector(".yasqe .CodeMirror")
    page.locator("#history-box summary").click()
    entries = page.locator("#history button")
    assert entries.first.inner_text() == TYPED
    tabs = page.locator(".yasgui .tabsList .tab").count()
    entries.first.click()
    assert page.locator(".yasgui .tabsList .tab").count() == tabs + 1
    assert editor_value(page) == TYPED
