"""The alliance explorer (issue 16), on the real ATOP import: in headless Chromium with every
request not to 127.0.0.1 blocked, on a real ``geokg serve``; references computed with pandas
straight from the ATOP CSV files; hostile labels stay text; the same page inline (notebook).

Set GEOKG_SCREENSHOTS to a folder to keep the screenshots (1962, 2016, the map).
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pandas as pd
import pytest
from geokg.graph.explorer import explorer_data
from geokg.graph.importers import import_atop
from geokg.graph.importers.mdi import import_mdi
from geokg.graph.projection import alliance_graph
from test_api_fixtures import run_server
from test_views import Watched

import geokg

DATA = Path(__file__).parent / "data" / "atop"
ALLIANCES, MEMBERS = DATA / "atop-alliance-level.csv", DATA / "atop-member-level.csv"
MDI = Path(__file__).parent / "data" / "deployments" / "mdi_deployments_2014_2021.csv"
STATE = "https://w3id.org/geokg/id/state/"
HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_IRI = STATE + "XHS"
HOSTILE_TTL = f"""
@prefix gk: <https://w3id.org/geokg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{HOSTILE_IRI}> a gk:State ; rdfs:label "{HOSTILE}"@en , "<svg onload=alert(2)>"@fr ;
    skos:altLabel "<script>alert(3)</script>"@en .
<https://w3id.org/geokg/id/treaty/hostile> a gk:Treaty ;
    rdfs:label "<iframe src=javascript:alert(4)></iframe> Pact"@en ;
    gk:party <{HOSTILE_IRI}> , <{STATE}TUR> ;
    gk:inForceFrom "2010-01-01"^^xsd:date ;
    gk:hasArticle <https://w3id.org/geokg/id/treaty/hostile/article/1> .
<https://w3id.org/geokg/id/treaty/hostile/article/1> a gk:TreatyArticle ;
    gk:articleNumber 1 ; gk:provision <https://w3id.org/geokg/id/provision/defense> .
"""
HOSTILE_GRAPH = "https://w3id.org/geokg/graph/test-explorer"
READY = "#explorer[data-ready=true]"


def _import(kg) -> None:
    import_atop(kg, ALLIANCES, MEMBERS, validate=False)
    import_mdi(kg, MDI, validate=False)
    kg.load_data(HOSTILE_TTL, format="ttl", graph=HOSTILE_GRAPH, validate=False)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("explorer")
    kg = geokg.open_store(tmp / "store")
    _import(kg)
    kg.close()
    with run_server(tmp / "server.log", "--store", str(tmp / "store")) as (base, _):
        yield base


@pytest.fixture(scope="module")
def atop_kg():
    kg = geokg.open_store(None)
    _import(kg)
    return kg


@pytest.fixture(scope="module")
def atop_data(atop_kg):
    return explorer_data(atop_kg)


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = os.environ.get("GEOKG_SCREENSHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


class Explorer(Watched):
    """A page on the explorer; requests to anywhere but the server (127.0.0.1), console
    errors and dialogs recorded (see test_views.Watched)."""

    def __init__(self, browser, base: str):
        super().__init__(browser, allowed=base, viewport={"width": 1400, "height": 900})
        self.base = base

    def open(self, as_of: str):
        reply = self.page.goto(f"{self.base}/views/alliances?as_of={as_of}")
        self.page.wait_for_selector(READY, state="attached", timeout=30000)
        return reply

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def view(self) -> dict:
        return self.js("window.geokgExplorer.view()")

    def step(self, day: str) -> float:
        return self.js("(d) => window.geokgExplorer.step(d)", day)

    def partners(self, iri: str) -> list[str]:
        return self.js("(id) => window.geokgExplorer.partners(id)", iri)

    def search(self, text: str) -> None:
        box = self.page.locator("#search")
        box.fill(text)
        box.press("Enter")


@pytest.fixture
def explorer(browser, server):
    page = Explorer(browser, server)
    yield page
    page.close()


# -- references from the ATOP files, with pandas -------------------------------------------


def _day(year, month, day, end: bool) -> str | None:
    """A CSV date as YYYY-MM-DD; a missing day is the month's first (entry) or last (exit)."""
    if pd.isna(year) or int(year) == 0:
        return None
    month = int(month) if not pd.isna(month) and int(month) else (12 if end else 1)
    day = int(day) if not pd.isna(day) and int(day) else (31 if end else 1)
    return f"{int(year):04d}-{month:02d}-{day:02d}"


def members_on(day: str) -> pd.DataFrame:
    """ATOP member-level rows whose membership covers ``day`` (exit year 0: still a member)."""
    columns = ["atopid", "member", "yrent", "moent", "dayent", "yrexit", "moexit", "dayexit"]
    m = pd.read_csv(MEMBERS, usecols=columns)
    entry = [_day(*r, end=False) for r in m[["yrent", "moent", "dayent"]].itertuples(index=False)]
    leave = [_day(*r, end=True) for r in m[["yrexit", "moexit", "dayexit"]].itertuples(index=False)]
    m = m.assign(entry=entry, exit=leave)
    return m[(m["entry"] <= day) & (m["exit"].isna() | (m["exit"] >= day))]


def atop_treaties_of(ccode: int, day: str) -> set[int]:
    """The ATOP alliances in which COW state ``ccode`` and at least one other member are
    members on ``day``."""
    on = members_on(day)
    mine = set(on.loc[on["member"] == ccode, "atopid"])
    others = set(on.loc[on["member"] != ccode, "atopid"])
    return mine & others


def atop_partners_of(ccode: int, day: str) -> set[int]:
    """The COW codes of the states sharing an ATOP alliance with ``ccode`` on ``day``."""
    on = members_on(day)
    alliances = set(on.loc[on["member"] == ccode, "atopid"])
    return set(on.loc[on["atopid"].isin(alliances) & (on["member"] != ccode), "member"])


# -- the data ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "day", ["1914-09-01", "1962-06-01", "1991-12-25", "1991-12-26", "2016-12-31"]
)
def test_every_tie_interval_gives_the_network_of_its_date(atop_kg, atop_data, day):
    """The ties in force on a day (by their intervals) are the edges of ``alliance_graph``."""
    data = atop_data
    ids = [n["id"] for n in data["nodes"]]
    treaties = [t["id"] for t in data["treaties"]]
    mine = {
        (*sorted((ids[a], ids[b])), treaties[t])
        for a, b, t, start, end in data["ties"]
        if (not start or start <= day) and (not end or day <= end)
    }
    g = alliance_graph(atop_kg, as_of=day, provisions="all")
    assert mine == {(*sorted((a, b)), key) for a, b, key in g.edges(keys=True)}
    assert len(mine) > 30


# -- the page ---------------------------------------------------------------------------------


def test_page_is_protected_and_its_files_are_local(server):
    reply = httpx.get(server + "/views/alliances")
    csp = reply.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe" not in csp and "default-src 'none'" in csp
    for src in ("/static/vendor/sigma/sigma.min.js", "/static/explorer/explorer.js"):
        assert src in reply.text and httpx.get(server + src).status_code == 200
    assert "http" not in reply.text.replace("http-equiv", "")
    assert httpx.get(server + "/views/alliances?as_of=not-a-date").status_code == 400
    data = httpx.get(server + "/views/alliances/data").json()
    assert {"nodes", "treaties", "ties", "first", "today", "provisions"} <= set(data)


def test_page_draws_2016(explorer, shots):
    reply = explorer.open("2016-12-31")
    assert reply.status == 200
    view = explorer.view()
    assert view["day"] == "2016-12-31" and view["layout"] == "force"
    assert view["shownNodes"] > 150 and view["edges"]["kept"] > 3000
    drawn = explorer.js("window.geokgExplorer.drawnAfter")
    assert drawn is not None and drawn > 0
    image = explorer.page.locator("#network").screenshot()
    explorer.page.screenshot(path=str(shots / "explorer-2016.png"))
    from io import BytesIO

    from PIL import Image

    pixels = Image.open(BytesIO(image)).convert("L").tobytes()
    assert sum(1 for p in pixels if p < 200) > 20000  # nodes, edges and labels drawn
    assert "2016-12-31" in explorer.page.locator("#status").text_content()
    blocs = explorer.page.locator("#blocs li").all_text_contents()
    assert len(blocs) >= 3 and all(b.startswith("bloc around") for b in blocs)
    explorer.check_clean()


@pytest.mark.parametrize("text", ["Turkey", "Turquie", "turquie", "Türkiye"])
def test_search_centres_and_highlights_turkey(explorer, text):
    explorer.open("2016-12-31")
    explorer.search(text)
    view = explorer.view()
    assert view["selected"] == STATE + "TUR"
    assert STATE + "USA" in view["highlighted"] and STATE + "GRC" in view["highlighted"]
    assert set(view["highlighted"]) == set(explorer.partners(STATE + "TUR"))
    assert explorer.page.locator("#panel-name").text_content() == "Turkey"
    assert "Turquie" in explorer.page.locator("#panel-other").text_content()
    explorer.check_clean()


def test_search_list_is_accent_insensitive(explorer):
    explorer.open("2016-12-31")
    explorer.page.locator("#search").fill("cote d")
    first = explorer.page.locator("#matches li").first.text_content()
    explorer.page.locator("#search").fill("CÔTE D")
    assert explorer.page.locator("#matches li").first.text_content() == first
    assert first == "Cote d'Ivoire"
    explorer.search("etats-unis")  # États-Unis, its French name
    assert explorer.view()["selected"] == STATE + "USA"
    explorer.check_clean()


@pytest.mark.parametrize("day", ["1962-06-01", "2016-12-31"])
def test_panel_lists_turkeys_treaties_as_the_atop_files(explorer, day):
    explorer.open(day)
    explorer.search("Turkey")
    items = explorer.page.locator("#panel-now li[data-atop]")
    shown = {int(a) for a in items.evaluate_all("els => els.map(e => e.dataset.atop)")}
    assert shown == atop_treaties_of(640, day)
    title = explorer.page.locator("#panel-now-title").text_content()
    total = explorer.page.locator("#panel-now > li").count()
    assert title == f"Treaties in force on {day} ({total})"
    # Each item names the treaty, its provisions and its dates, and links to its page.
    nato = explorer.page.locator("#panel-now li[data-atop='3180']")
    assert nato.locator("a").first.get_attribute("href") == "/id/treaty/north-atlantic-treaty"
    assert "defence" in nato.text_content() and "in force 1949-08-24" in nato.text_content()
    assert nato.locator("a[href$='/article/5']").count() == 1
    explorer.check_clean()


def test_timeline_removes_the_soviet_unions_ties_on_the_right_date(explorer, shots):
    explorer.open("1962-06-01")
    explorer.page.screenshot(path=str(shots / "explorer-1962.png"))
    sun, rus = STATE + "SUN", STATE + "RUS"
    assert explorer.partners(sun) and not explorer.partners(rus)

    def cow_codes(iris):
        nodes = {n["id"]: n for n in explorer.js("window.geokgExplorer.nodes()")}
        return {nodes[i]["cow"] for i in iris}

    explorer.step("1991-12-25")  # the last day of the Soviet Union (COW state system)
    assert cow_codes(explorer.partners(sun)) == atop_partners_of(365, "1991-12-25")
    explorer.step("1991-12-26")
    assert explorer.partners(sun) == []
    assert cow_codes(explorer.partners(rus)) == atop_partners_of(365, "1991-12-26")
    removed = explorer.view()["edges"]["removed"]
    assert removed and all(sun in pair for pair in removed)  # drawn as ended, in red
    explorer.step("1991-12-31")
    assert explorer.partners(sun) == []
    assert not any(sun in pair for pair in explorer.view()["edges"]["removed"])
    # the slider drives the same date
    slider = explorer.page.locator("#slider")
    assert explorer.page.locator("#date").input_value() == "1991-12-31"
    assert int(slider.input_value()) > 0
    explorer.check_clean()


def test_compare_two_dates(explorer):
    explorer.open("1992-01-01")
    explorer.page.locator("#compare-on").check()
    explorer.page.locator("#compare").fill("1990-01-01")
    explorer.page.locator("#compare").dispatch_event("change")
    view = explorer.view()
    assert view["compare"] == "1990-01-01"
    ended = {p for pair in view["edges"]["removed"] for p in pair}
    begun = {p for pair in view["edges"]["added"] for p in pair}
    assert STATE + "SUN" in ended and STATE + "RUS" in begun
    assert "than on 1990-01-01" in explorer.page.locator("#diff").text_content()
    explorer.check_clean()


def test_provision_filter(explorer, atop_kg):
    explorer.open("2016-12-31")
    for box in explorer.page.locator("#provisions input").all():
        if box.get_attribute("data-provision") != "defense":
            box.uncheck()
    kept = explorer.view()["edges"]["kept"]
    g = alliance_graph(atop_kg, as_of="2016-12-31", provisions="defense")
    assert kept == len({tuple(sorted(e)) for e in g.edges()})
    explorer.check_clean()


def test_hostile_labels_execute_nothing(explorer):
    explorer.open("2016-12-31")
    explorer.search("img src")
    assert explorer.view()["selected"] == HOSTILE_IRI
    assert explorer.page.locator("#panel-name").text_content() == HOSTILE
    other = explorer.page.locator("#panel-other").text_content()
    assert "<svg onload=alert(2)>" in other and "<script>alert(3)</script>" in other
    explorer.page.locator("#search").fill("script")
    assert "<script>alert(3)</script>" in explorer.page.locator("#matches").text_content()
    pact = explorer.page.locator("#panel-now li").first.text_content()
    assert "<iframe src=javascript:alert(4)></iframe> Pact" in pact
    explorer.step("2016-06-01")
    counts = explorer.js(
        "['img', 'svg', 'iframe', 'script:not([src])'].map(s => document.querySelectorAll(s).length)"
    )
    assert counts == [0, 0, 0, 0]
    explorer.check_clean()


def test_map_layout(explorer, shots):
    explorer.open("2016-12-31")
    assert explorer.js("window.geokgExplorer.layout('map')") == "map"
    france = explorer.js("window.geokgExplorer.nodePosition('FRA')")
    assert -5 < france["x"] < 8 and 42 < france["y"] < 51  # longitude, latitude
    chile = explorer.js("window.geokgExplorer.nodePosition('CHL')")
    assert chile["y"] < -15 and chile["x"] < -60
    ink = explorer.js(
        """() => { const c = document.getElementById('outline');
             const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
             let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }"""
    )
    assert ink > 10000  # the world outline is drawn
    explorer.page.screenshot(path=str(shots / "explorer-map.png"))
    note = explorer.page.locator("#map-note").text_content()
    assert "Tuvalu" in note or "none" in note
    assert explorer.js("window.geokgExplorer.layout('force')") == "force"
    explorer.check_clean()


def mdi_personnel(sender: str, theatre: str, year: int) -> int:
    """Personnel a state had deployed in a theatre in a year, from the MDI file: for each
    mission (organisation and mission name, case and punctuation ignored, as the importer
    merges them) the largest figure, summed."""
    m = pd.read_csv(MDI)
    rows = m[(m["Country"] == sender) & (m["Theatre"] == theatre) & (m["Year"] == year)]
    mission = rows["MissionName"].str.lower().str.replace(r"[^a-z0-9]", "", regex=True)
    return int(
        rows.assign(mission=mission).groupby(["Organisation", "mission"])["Deployed"].max().sum()
    )


def test_deployments_on_the_map(explorer, shots):
    explorer.open("2016-12-31")
    explorer.js("window.geokgExplorer.layout('map')")
    lines = explorer.js("window.geokgExplorer.deployments(true)")
    assert len(lines) > 50
    mali = [x for x in lines if x["from"] == STATE + "FRA" and x["to"] == STATE + "MLI"]
    assert len(mali) == 1 and mali[0]["personnel"] == mdi_personnel("FRA", "Mali", 2016)
    box = explorer.page.locator("#network").bounding_box()
    line = mali[0]
    for t in [k / 20 for k in range(19, 5, -1)]:  # a point (whole pixels) no other line is nearer
        page = {
            k: round(box[k] + line[k + "1"] + t * (line[k + "2"] - line[k + "1"])) for k in "xy"
        }
        local = [page["x"] - box["x"], page["y"] - box["y"]]
        if explorer.js("([x, y]) => window.geokgExplorer.lineAt(x, y)", local) == [
            STATE + "FRA",
            STATE + "MLI",
        ]:
            break
    explorer.page.mouse.move(page["x"], page["y"])
    tip = explorer.page.locator("#tip")
    tip.wait_for(state="visible", timeout=5000)
    text = tip.text_content()
    assert "Operation Barkhane" in text and "1,680" in text
    assert "(IISS)" in text and "Military Deployment Index" in text
    explorer.page.screenshot(path=str(shots / "explorer-map-deployments.png"))
    explorer.step("2014-06-01")  # another year: its deployments are fetched
    explorer.page.wait_for_selector("#deployments-note:has-text('under way in 2014')")
    explorer.check_clean()


def test_explore_inline_in_a_notebook(browser, atop_kg):
    """``geokg.explore(kg)``: the same explorer in an iframe's srcdoc, with no server and no
    network at all."""
    view = geokg.explore(atop_kg, as_of="1962-06-01")
    assert "<script src" not in view.html and HOSTILE not in view.html
    context = browser.new_context(offline=True)
    try:
        page = context.new_page()
        errors, dialogs = [], []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.set_content(view._repr_html_())
        frame = page.frame_locator("iframe")
        frame.locator(READY).wait_for(state="attached", timeout=30000)
        inner = page.frames[1]
        assert inner.evaluate("window.geokgExplorer.view().day") == "1962-06-01"
        frame.locator("#search").fill("Turquie")
        frame.locator("#search").press("Enter")
        assert frame.locator("#panel-name").text_content() == "Turkey"
        link = frame.locator("#panel-page").get_attribute("href")
        assert link == STATE + "TUR"
        assert inner.evaluate("window.geokgExplorer.layout('map')") == "map"
        assert errors == [] and dialogs == []
    finally:
        context.close()


def test_cascade_in_rings_readable_at_scale(atop_kg):
    """An escalated cascade of 140 states (an attack on the United States, 2016): each round
    on its own rings, outside the previous round's, no two states closer than the gap."""
    import math

    from geokg.graph.cascade import obligation_cascade
    from geokg.graph.views import NODE_GAP, cascade_view, round_layout

    cascade = obligation_cascade(atop_kg, attacked="USA", as_of="2016-12-31", escalate=True)
    assert len(cascade.entries) > 100
    positions, _ = round_layout(cascade)
    assert set(positions) == {e.state for e in cascade.entries}
    points = list(positions.values())
    closest = min(math.dist(p, q) for i, p in enumerate(points) for q in points[i + 1 :])
    assert closest >= NODE_GAP * 0.99
    outer = 0.0
    for entries in cascade.rounds:
        radii = [math.hypot(*positions[e.state]) for e in entries]
        assert min(radii) > outer
        outer = max(radii)
    view = cascade_view(atop_kg, "USA", as_of="2016-12-31", escalate=True)
    assert view.counts["nodes"] == len(cascade.entries) + 1


def test_data_is_computed_at_start_and_served_as_computed():
    """The server computes the explorer's data when it starts (the first visit does not pay
    for it), and serves exactly what :func:`explorer_data` gives for the store."""
    import json

    from fastapi.testclient import TestClient
    from geokg.api import explorer
    from geokg.api.app import create_app

    kg = geokg.open_store(None)
    app = create_app(kg)
    with TestClient(app) as client:
        app.state.explorer_warm.join(60)
        assert id(app) in explorer._cache  # ready before anyone asked
        reply = client.get("/views/alliances/data")
    assert reply.status_code == 200 and reply.headers["content-type"] == "application/json"
    assert reply.json() == json.loads(json.dumps(explorer_data(kg)))
