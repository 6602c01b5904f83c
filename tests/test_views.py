"""HTML network views, in headless Chromium: drawn offline, no external request, no console
error, hostile labels shown as text; the same views inline in a notebook (iframe srcdoc)."""

from __future__ import annotations

import httpx
import pytest
from geokg.graph.views import (
    actor_view,
    alliance_view,
    cascade_view,
    deployment_view,
    safe_json,
    vis_network_js,
)
from test_api_fixtures import serve

import geokg

HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_TREATY = "<script>alert('treaty')</script> Pact"
HOSTILE_STATE = "https://w3id.org/geokg/id/state/XHS"
#: A state-like node with a hostile label (and no ISO code: the label is what is drawn),
#: party with Russia to a defence treaty with a hostile label.
HOSTILE_TTL = f"""
@prefix gk: <https://w3id.org/geokg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{HOSTILE_STATE}> a gk:State ; rdfs:label "{HOSTILE}"@en .
<https://w3id.org/geokg/id/treaty/hostile> a gk:Treaty ;
    rdfs:label "{HOSTILE_TREATY}"@en ;
    gk:party <{HOSTILE_STATE}> , <https://w3id.org/geokg/id/state/RUS> ;
    gk:signedOn "2020-01-01"^^xsd:date ;
    gk:hasArticle <https://w3id.org/geokg/id/treaty/hostile/article/1> .
<https://w3id.org/geokg/id/treaty/hostile/article/1> a gk:TreatyArticle ;
    gk:articleNumber 1 ; gk:provision <https://w3id.org/geokg/id/provision/defense> ;
    gk:text "<b onmouseover=alert(2)>help</b>"@en .
"""
HOSTILE_GRAPH = "https://w3id.org/geokg/graph/test-views"


@pytest.fixture(scope="module")
def kg():
    kg = geokg.open_store(None)
    kg.load_data(HOSTILE_TTL, format="ttl", graph=HOSTILE_GRAPH, validate=False)
    return kg


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("views")
    store = geokg.open_store(tmp / "store")  # the bundled data, then the hostile treaty
    store.load_data(HOSTILE_TTL, format="ttl", graph=HOSTILE_GRAPH, validate=False)
    store.close()
    with serve(tmp) as (base, _):
        yield base


class Watched:
    """A page whose requests beyond ``allowed``, console errors and dialogs are recorded."""

    def __init__(self, browser, allowed: str | None = None, offline: bool = False, **options):
        self.context = browser.new_context(offline=offline, **options)
        self.page = self.context.new_page()
        self.outside, self.errors, self.dialogs = [], [], []

        def route(r):
            url = r.request.url
            if allowed and url.startswith(allowed + "/"):
                r.continue_()
            elif url.startswith(("data:", "about:")):
                r.continue_()
            else:
                self.outside.append(url)
                r.abort()

        self.page.route("**/*", route)
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def drawn(self, frame=None) -> dict:
        """Wait for the drawing; what vis-network holds and whether the canvas has ink."""
        target = frame or self.page
        target.wait_for_function("window.geokgView && window.geokgView.drawn", timeout=15000)
        return target.evaluate(
            """() => {
              const canvas = document.querySelector('#network canvas');
              const pixels = canvas.getContext('2d')
                .getImageData(0, 0, canvas.width, canvas.height).data;
              let ink = 0;
              for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) ink++;
              return { nodes: network.body.data.nodes.length, edges: network.body.data.edges.length,
                       declared: +document.getElementById('network').dataset.nodes,
                       ink, images: document.querySelectorAll('img').length,
                       physics: network.physics.physicsEnabled };
            }"""
        )

    def close(self):
        self.context.close()

    def check_clean(self):
        assert self.outside == [] and self.errors == [] and self.dialogs == []


def hover_tooltip(page, node_id: str) -> str:
    """Move the mouse onto a node and return the tooltip's text."""
    box = page.locator("#network canvas").bounding_box()
    pos = page.evaluate(
        "(id) => { const p = network.getPositions([id])[id]; return network.canvasToDOM(p); }",
        node_id,
    )
    page.mouse.move(box["x"] + pos["x"] + 1, box["y"] + pos["y"] + 1)
    page.wait_for_function(
        "document.querySelector('div.vis-tooltip') && "
        "getComputedStyle(document.querySelector('div.vis-tooltip')).visibility === 'visible'",
        timeout=5000,
    )
    return page.evaluate("document.querySelector('div.vis-tooltip').textContent")


def test_views_are_self_contained_and_escaped(kg):
    view = alliance_view(kg, as_of="2024-12-31")
    assert view.counts == {"nodes": 8, "edges": 9}
    page = view.html
    assert "<script src" not in page and "<link" not in page and "cdn" not in page.lower()
    assert "bootstrap" not in page.lower()
    assert vis_network_js()[:2000] in page
    assert HOSTILE not in page and "<script>alert" not in page
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page
    assert safe_json("</script><script>") == '"\\u003c/script\\u003e\\u003cscript\\u003e"'


def test_alliance_view_offline_with_a_hostile_label(browser, kg):
    view = alliance_view(kg, as_of="2024-12-31")
    watched = Watched(browser, offline=True)
    try:
        watched.page.set_content(view.html)
        state = watched.drawn()
        assert state["nodes"] == state["declared"] == 8 and state["edges"] == 9
        assert state["ink"] > 1000 and state["images"] == 0 and state["physics"] is False
        label = watched.page.evaluate(f"network.body.data.nodes.get('{HOSTILE_STATE}').label")
        assert label == HOSTILE
        assert HOSTILE in hover_tooltip(watched.page, HOSTILE_STATE)
        watched.page.mouse.move(1, 1)
        edge_tip = watched.page.evaluate(
            "network.body.data.edges.get().map(e => e.title.textContent).join('\\n')"
        )
        assert HOSTILE_TREATY in edge_tip and "art. 1" in edge_tip
        assert watched.page.evaluate("document.querySelectorAll('script:not([id])').length") == 2
        watched.check_clean()
    finally:
        watched.close()


@pytest.mark.parametrize(
    "path, nodes",
    [
        ("/views/alliances/simple?as_of=2024-12-31", 8),
        ("/views/alliances/simple?as_of=2024-12-31&provision=defense", 8),
        ("/views/alliances/simple?as_of=1990-01-01", 7),
        ("/views/actor/PRK?as_of=2024-12-31", 3),
        (f"/views/actor/{HOSTILE_STATE}?as_of=2024-12-31", 2),
        ("/views/deployments?as_of=2025-01-15", None),
        ("/views/cascade?attacked=kursk-oblast&as_of=2025-01-15", 3),
        ("/views/cascade?attacked=Kursk&as_of=2025-01-15&escalate=1", 4),
    ],
)
def test_views_served_and_drawn(browser, server, path, nodes):
    watched = Watched(browser, allowed=server)
    try:
        reply = watched.page.goto(server + path)
        assert reply.status == 200
        assert "default-src 'none'" in reply.headers["content-security-policy"]
        state = watched.drawn()
        assert state["nodes"] == state["declared"] > 0 and state["ink"] > 500
        if nodes is not None:
            assert state["nodes"] == nodes
        assert HOSTILE not in watched.page.content().split("graph-data")[0]
        watched.check_clean()
    finally:
        watched.close()


def test_cascade_page_shows_the_rounds(browser, server):
    watched = Watched(browser, allowed=server)
    try:
        path = "/views/cascade?attacked=kursk-oblast&as_of=2025-01-15"
        watched.page.goto(server + path + "&escalate=1")
        watched.drawn()
        tips = watched.page.evaluate("network.body.data.edges.get().map(e => e.title.textContent)")
        prk = [t for t in tips if t.startswith("Round 1: North Korea must assist Russia")]
        assert prk and "article 4" in prk[0] and "assistance militaire" in prk[0]
        # Russia attacked; North Korea bound by article 4; the hostile state by its treaty;
        # escalated: China by the 1961 treaty with North Korea, on an assumed attack on it.
        china = [t for t in tips if t.startswith("Round 2: China")]
        assert china and "if the attacker's side attacks North Korea" in china[0]
        assert any(t.startswith(f"Round 1: {HOSTILE}") for t in tips)
        assert watched.page.locator("input[name=escalate]").input_value() == "1"
        watched.page.goto(server + path)  # round 1 only: China is not attacked
        watched.drawn()
        tips = watched.page.evaluate("network.body.data.edges.get().map(e => e.title.textContent)")
        assert not any("China" in t for t in tips)
        watched.check_clean()
    finally:
        watched.close()


def test_actor_page_title_escaped_and_form(browser, server):
    watched = Watched(browser, allowed=server)
    try:
        watched.page.goto(f"{server}/views/actor/{HOSTILE_STATE}?as_of=2024-12-31")
        watched.drawn()
        assert HOSTILE in watched.page.locator("h1").text_content()
        assert watched.page.locator("input[name=as_of]").input_value() == "2024-12-31"
        watched.check_clean()
        watched.page.goto(server + "/views/alliances/simple?as_of=2024-12-31")
        watched.page.locator("input[name=as_of]").fill("1990-01-01")
        watched.page.locator("button[type=submit]").click()
        watched.page.wait_for_url("**as_of=1990-01-01**")
        assert watched.drawn()["nodes"] == 7
        watched.check_clean()
    finally:
        watched.close()


def test_bad_parameters_are_400(server):
    for path in (
        "/views/alliances/simple?as_of=not-a-date",
        "/views/cascade?attacked=nowhere-at-all",
        "/views/actor/%3Cscript%3E",
    ):
        reply = httpx.get(server + path)
        assert reply.status_code == 400 and "<script>" not in reply.text


def test_views_inline_in_jupyter(browser, kg):
    """A notebook shows ``_repr_html_``: an iframe whose srcdoc is the whole page."""
    watched = Watched(browser, offline=True)
    try:
        for view in (
            cascade_view(kg, attacked="RUS", attacker="UKR", as_of="2025-01-15"),
            deployment_view(kg, as_of="2025-01-15"),
            actor_view(kg, "PRK"),
        ):
            watched.page.set_content(f"<!DOCTYPE html><body>{view._repr_html_()}</body>")
            frame = watched.page.frames[1]
            state = watched.drawn(frame)
            assert state["nodes"] == view.counts["nodes"] and state["ink"] > 500
        watched.check_clean()
    finally:
        watched.close()


def atop_like(seed: int = 5) -> str:
    """About 200 states and 750 alliance treaties (mostly bilateral), as N-Triples."""
    import random

    rng = random.Random(seed)
    gk, idp = "https://w3id.org/geokg/ontology#", "https://w3id.org/geokg/id/"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    kinds = ["defense", "consultation", "non-aggression", "neutrality", "offense"]
    lines = []
    for i in range(200):
        s = f"<{idp}state/S{i:03d}>"
        lines += [f"{s} <{rdf_type}> <{gk}State> .", f'{s} {label} "State {i}"@en .']
    for t in range(750):
        size = rng.choice([2] * 14 + [3, 4, 5, 6, 8] + [rng.randint(10, 25)])
        treaty = f"<{idp}treaty/t{t}>"
        lines += [f"{treaty} <{rdf_type}> <{gk}Treaty> .", f'{treaty} {label} "Treaty {t}"@en .']
        year = rng.randint(1900, 2020)
        lines.append(
            f'{treaty} <{gk}signedOn> "{year}-01-01"^^<http://www.w3.org/2001/XMLSchema#date> .'
        )
        for p in rng.sample(range(200), size):
            lines.append(f"{treaty} <{gk}party> <{idp}state/S{p:03d}> .")
        article = f"<{idp}treaty/t{t}/article/1>"
        lines += [
            f"{treaty} <{gk}hasArticle> {article} .",
            f'{article} <{gk}articleNumber> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .',
            f"{article} <{gk}provision> <{idp}provision/{rng.choice(kinds)}> .",
        ]
    return "\n".join(lines) + "\n"


def test_atop_scale_view_is_drawn_whole_and_stable(browser):
    kg = geokg.open_store(None, bundled=False)
    kg.load_data(atop_like(), format="nt", graph="https://example.org/g/atop-like", validate=False)
    view = alliance_view(kg)
    assert view.counts["nodes"] == 200 and view.counts["edges"] > 2500
    watched = Watched(browser, offline=True)
    try:
        watched.page.set_content(view.html)
        state = watched.drawn()
        assert state["nodes"] == 200 and state["edges"] == view.counts["edges"]
        assert state["physics"] is False and state["ink"] > 10000
        before = watched.page.evaluate("JSON.stringify(network.getPositions())")
        watched.page.wait_for_timeout(400)
        assert watched.page.evaluate("JSON.stringify(network.getPositions())") == before
        # Every node lies inside the drawing once fitted: readable, nothing flung away.
        inside = watched.page.evaluate(
            """() => { network.fit({animation: false}); const c = document.querySelector('#network canvas');
                 const box = c.getBoundingClientRect();
                 return Object.values(network.getPositions()).every(p => {
                   const d = network.canvasToDOM(p);
                   return d.x >= -1 && d.y >= -1 && d.x <= box.width + 1 && d.y <= box.height + 1; }); }"""
        )
        assert inside
        watched.check_clean()
    finally:
        watched.close()


def test_pyvis_network_renders_the_safe_page(browser, kg, tmp_path):
    from geokg.graph.views import to_pyvis

    net = to_pyvis(alliance_view(kg, as_of="2024-12-31"))
    assert len(net.nodes) == 8 and len(net.edges) == 9 and HOSTILE_STATE in net.node_map
    net.add_node("extra", label=HOSTILE, title="<b onmouseover=alert(3)>bold</b>", x=0, y=0)
    net.add_edge("extra", HOSTILE_STATE, title="<i>edge</i>")
    page = net.generate_html()
    assert "cdn" not in page.lower() and "bootstrap" not in page.lower() and HOSTILE not in page
    net.write_html(str(tmp_path / "net.html"))
    assert (tmp_path / "net.html").read_text(encoding="utf-8") == page
    graph_net = to_pyvis(geokg.obligation_graph(kg, as_of="2025-01-15"))
    assert graph_net.directed and len(graph_net.nodes) >= 6
    watched = Watched(browser, offline=True)
    try:
        for html in (page, graph_net.generate_html()):
            watched.page.set_content(html)
            assert watched.drawn()["nodes"] == len(json_nodes(html))
        watched.page.set_content(page)
        watched.drawn()
        tip = watched.page.evaluate("network.body.data.nodes.get('extra').title.textContent")
        assert tip == "<b onmouseover=alert(3)>bold</b>"
        assert watched.page.evaluate("network.body.data.nodes.get('extra').label") == HOSTILE
        assert "• " + HOSTILE_TREATY in watched.page.evaluate(
            "network.body.data.edges.get().map(e => e.title.textContent).join('\\n')"
        )
        watched.check_clean()
    finally:
        watched.close()


def json_nodes(html: str) -> list:
    import json

    start = html.index('<script id="graph-data" type="application/json">') + 48
    return json.loads(html[start : html.index("</script>", start)])["nodes"]


def test_deployments_page_shows_the_invoked_article(browser, server):
    watched = Watched(browser, allowed=server)
    try:
        watched.page.goto(server + "/views/deployments?as_of=2025-01-15")
        watched.drawn()
        tips = watched.page.evaluate(
            "network.body.data.edges.get().map(e => [e.from, e.to, e.dashes, e.title.textContent])"
        )
        prk, rus = geokg.STATE_IRI("PRK"), geokg.STATE_IRI("RUS")
        invoked = [t for a, b, dashes, t in tips if (a, b) == (prk, rus) and "bound" in t]
        assert len(invoked) == 1 and "Invoked by: North Korean expeditionary force" in invoked[0]
        assert "article 4" in invoked[0]
        deployment = [t for a, b, _, t in tips if (a, b) == (prk, rus) and "bound" not in t]
        assert "Legal basis: article 4 of Treaty on Comprehensive Strategic" in deployment[0]
        assert "troops-deployed: 10000–15000 — National Intelligence Service" in deployment[0]
        assert all(dashes for a, b, dashes, t in tips if "bound" in t and "Invoked" not in t)
        watched.check_clean()
    finally:
        watched.close()
