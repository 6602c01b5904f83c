"""The curation page ``/curation`` on a real server (uvicorn) in headless Chromium, and its
POSTs with httpx: signing in with the update token, accepting, editing, rejecting; hostile
article text stays text; without the credential the page and every POST are refused.

The candidates are stored before the server starts (as ``geokg ingest`` would store them);
the results are read back over the SPARQL protocol.
"""

from __future__ import annotations

import dataclasses
import re

import httpx
import pytest
from geokg.graph.ingest.curation import Article, store_candidates
from test_api_fixtures import run_server, sparql, watched_page
from test_curation import DEP, GK, MSR, QUAL, S2, TEXT, proposals

import geokg

TOKEN = "curation-test-token-5f1c"
HOSTILE_TITLE = '"><img src=x onerror=alert(3)> <script>alert(4)</script>'
HOSTILE_TEXT = (
    '<script>alert(1)</script> Début. "><img src=x onerror=alert(2)> & suite.\n'
    f"{S2}\n</article></main><script>alert(5)</script>"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``geokg serve`` with an update token, on a store holding three ingested articles."""
    tmp = tmp_path_factory.mktemp("curation-page")
    kg = geokg.open_store(tmp / "store")
    slugs = {}
    for name in ("decide", "refuse"):
        a = Article(text=TEXT, title=f"Article {name}", date="2024-10", publisher="Le Quotidien")
        slugs[name] = store_candidates(kg, a, proposals()).graph.rsplit("/", 1)[-1]
    hostile = Article(text=HOSTILE_TEXT, title=HOSTILE_TITLE, date="2025-01-02", lang="fr")
    start = HOSTILE_TEXT.index(S2)
    denial = dataclasses.replace(proposals()[1], start=start, end=start + len(S2))
    slugs["hostile"] = store_candidates(kg, hostile, [denial]).graph.rsplit("/", 1)[-1]
    kg.close()
    env = {"GEOKG_UPDATE_TOKEN": TOKEN}
    with run_server(tmp / "server.log", "--store", str(tmp / "store"), env=env) as (base, _):
        yield base, slugs


@pytest.fixture
def page(browser, server):
    """A fresh page: only the server may be reached; dialogs, errors and CSP violations recorded."""
    base, _ = server
    with watched_page(browser, base) as page:
        yield page


def sign_in(page, base: str, path: str = "/curation") -> None:
    answer = page.goto(base + path)
    assert answer.status == 401
    page.fill("#token", TOKEN)
    page.click("form.login button")
    page.wait_for_load_state()


def claim_of(base: str, slug: str, n: int) -> dict[str, set[str]]:
    """Predicate → values of the claim written for candidate ``slug/n`` (via gk:acceptedAs)."""
    rows = sparql(
        base,
        f"""SELECT ?p ?o WHERE {{
          <https://w3id.org/geokg/id/candidate/{slug}/{n}> <{GK}acceptedAs> ?c .
          GRAPH <https://w3id.org/geokg/graph/curated-claims> {{ ?c ?p ?o }} }}""",
    )
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(row["p"], set()).add(row["o"])
    return found


def status_of(base: str, slug: str, n: int) -> str:
    rows = sparql(
        base,
        f"SELECT ?s WHERE {{ <https://w3id.org/geokg/id/candidate/{slug}/{n}> <{GK}status> ?s }}",
    )
    return rows[0]["s"]


def test_accept_edit_and_reject_in_the_browser(page, server):
    base, slugs = server
    slug = slugs["decide"]
    sign_in(page, base)
    assert page.url == base + "/curation"
    page.click(f"a[href='/curation/source/{slug}']")
    page.wait_for_selector("#c-1 form.accept")
    # each candidate's quote is highlighted in the article
    marks = page.eval_on_selector_all("#article mark", "ms => ms.map(m => m.textContent)")
    assert len(marks) == 3 and all(m in TEXT for m in marks)
    # accept #1 as proposed
    page.click("#c-1 form.accept button")
    page.wait_for_selector("#c-1.status-accepted")
    assert "q-accepted" in page.get_attribute("#q-1", "class")
    claim = claim_of(base, slug, 1)
    assert claim["https://schema.org/value"] == {"1500"}
    assert claim[GK + "measure"] == {MSR + "troops-in-training"}
    assert claim[GK + "about"] == {DEP}
    # edit #3: another measure, a range instead of a bound, another qualifier and date
    card = "#c-3 form.accept"
    page.select_option(f"{card} select[name=measure]", "troops-deployed")
    page.fill(f"{card} input[name=min]", "10000")
    page.fill(f"{card} input[name=max]", "12000")
    page.uncheck(f"{card} input[value=up-to]")
    page.check(f"{card} input[value=between]")
    page.fill(f"{card} input[name=as_of]", "2024-11")
    page.click(f"{card} button")
    page.wait_for_selector("#c-3.status-accepted")
    claim = claim_of(base, slug, 3)
    assert claim[GK + "measure"] == {MSR + "troops-deployed"}
    assert claim["https://schema.org/minValue"] == {"10000"}
    assert claim["https://schema.org/maxValue"] == {"12000"}
    assert claim[GK + "qualifier"] == {QUAL + "between"}
    assert claim[GK + "asOf"] == {"2024-11"}
    assert "https://schema.org/value" not in claim
    # reject #2
    page.click("#c-2 form.reject button")
    page.wait_for_selector("#c-2.status-rejected")
    assert status_of(base, slug, 2) == "rejected"
    assert claim_of(base, slug, 2) == {}
    assert "q-rejected" in page.get_attribute("#q-2", "class")
    # the landing page says what the two kinds of graph hold
    held = httpx.get(base + "/", headers={"Accept": "application/json"}).json()
    about = {g["iri"]: g["about"] for g in held["graphs"]}
    assert about["https://w3id.org/geokg/graph/curated-claims"].startswith("claims accepted")
    assert about[f"https://w3id.org/geokg/graph/candidates/{slug}"].startswith("an ingested")


def test_an_edit_that_violates_a_shape_is_explained_and_writes_nothing(page, server):
    base, slugs = server
    slug = slugs["refuse"]
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = sparql(base, count)
    sign_in(page, base, f"/curation/source/{slug}")
    assert page.url == f"{base}/curation/source/{slug}"
    card = "#c-1 form.accept"
    page.fill(f"{card} input[name=value]", "")
    page.fill(f"{card} input[name=min]", "5000")
    page.fill(f"{card} input[name=max]", "2000")
    with page.expect_navigation() as navigation:
        page.click(f"{card} button")
    assert navigation.value.status == 422
    alert = page.text_content("#c-1 .error")
    assert "Nothing written" in alert and "range is inverted" in alert
    assert sparql(base, count) == before
    assert status_of(base, slug, 1) == "proposed"
    # the same page then accepts another candidate, attributed to an actor new to the graph
    page.fill("#c-3 form.accept input[name=new_agent]", "Services <b>X</b>")
    page.click("#c-3 form.accept button")
    page.wait_for_selector("#c-3.status-accepted")
    agent = claim_of(base, slug, 3)["http://www.w3.org/ns/prov#wasAttributedTo"]
    assert agent == {"https://w3id.org/geokg/id/org/services-b-x-b"}
    labels = sparql(
        base,
        "SELECT ?l WHERE { <https://w3id.org/geokg/id/org/services-b-x-b> "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?l }",
    )
    assert {row["l"] for row in labels} == {"Services <b>X</b>"}


def test_hostile_article_text_stays_text(page, server):
    base, slugs = server
    sign_in(page, base, f"/curation/source/{slugs['hostile']}")
    page.wait_for_selector("#article")
    assert page.text_content("#article") == HOSTILE_TEXT
    assert page.text_content("#title") == HOSTILE_TITLE
    injected = page.evaluate(
        "() => document.querySelectorAll('main script, main img, #article article').length"
    )
    assert injected == 0
    assert page.text_content("#q-1") == S2
    page.goto(base + "/curation")
    assert HOSTILE_TITLE in page.text_content("#sources")


def test_without_the_credential_the_page_and_the_posts_are_refused(server):
    base, slugs = server
    slug = slugs["decide"]
    for path in ("/curation", f"/curation/source/{slug}"):
        answer = httpx.get(base + path)
        assert answer.status_code == 401
        assert "Pyongyang" not in answer.text and 'name="token"' in answer.text
    forged = {"geokg_curation": "not-a-session"}
    ingest = {"text": "Selon le NIS, 300 soldats.", "title": "T", "date": "2024"}
    decide = {"id": f"{slug}/1"}
    for path, data in (
        ("/curation/ingest", ingest),
        ("/curation/accept", decide),
        ("/curation/reject", decide),
    ):
        assert httpx.post(base + path, data=data).status_code == 401
        assert httpx.post(base + path, data=data, cookies=forged).status_code == 401
        wrong = {"Authorization": "Bearer wrong-token"}
        assert httpx.post(base + path, data=data, headers=wrong).status_code == 403
    assert httpx.post(base + "/curation/login", data={"token": "wrong"}).status_code == 401
    # a session without its CSRF token, or from another origin, is refused too
    with httpx.Client(base_url=base) as client:
        signed = client.post("/curation/login", data={"token": TOKEN, "next": "/curation"})
        assert signed.status_code == 303
        assert re.search(r"httponly", signed.headers["set-cookie"], re.I)
        assert re.search(r"samesite=strict", signed.headers["set-cookie"], re.I)
        page = client.get("/curation").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        assert client.post("/curation/reject", data=decide).status_code == 403
        assert client.post("/curation/reject", data={**decide, "csrf": "x"}).status_code == 403
        other = {"Origin": "https://evil.example"}
        refused = client.post("/curation/reject", data={**decide, "csrf": csrf}, headers=other)
        assert refused.status_code == 403
    assert status_of(base, slug, 1) != "rejected"  # none of these went through
    # with the token as a bearer, a bad article is answered in words, nothing written
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    bad = httpx.post(base + "/curation/ingest", json={**ingest, "date": "hier"}, headers=bearer)
    assert bad.status_code == 400 and "nothing ingested" in bad.text


def test_curation_is_off_without_an_update_token(store, tmp_path):
    with run_server(tmp_path / "server.log", "--store", str(store)) as (base, _):
        off = httpx.get(base + "/curation")
        assert off.status_code == 403 and "no update token" in off.text
        login = httpx.post(base + "/curation/login", data={"token": ""})
        assert login.status_code == 403 and "set-cookie" not in login.headers
        assert httpx.post(base + "/curation/ingest", data={"text": "x"}).status_code == 403
