"""HTML network views: alliances, an actor's ego network, deployments over obligations, cascades.

One self-contained HTML page per view: vis-network's script (shipped inside pyvis)
is inlined, there is no stylesheet or script from a CDN, and the page works with no
network. Positions are computed here (networkx spring layout) and physics is off,
so the drawing is stable as soon as it is drawn. Every string from the data is
escaped: labels are drawn on a canvas, tooltips are DOM elements filled with
``textContent``, the data travel as JSON with ``<``, ``>`` and ``&`` escaped, and
the surrounding HTML is rendered by jinja2 with autoescaping.

In a notebook a :class:`View` displays itself inline (an ``iframe`` with ``srcdoc``):

>>> import geokg
>>> view = alliance_view(geokg.open_store(None), as_of="2024-12-31")
>>> view.counts
{'nodes': 7, 'edges': 8}
>>> "cdn" in view.html.lower() or "<script src" in view.html
False
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jinja2
import networkx as nx
from markupsafe import Markup

from .analysis import ego_network, weighted
from .cascade import obligation_cascade
from .projection import (
    PROVISION_ORDER,
    Date,
    actor_iri,
    alliance_graph,
    date_text,
    deployment_graph,
    obligation_graph,
    strongest,
)
from .ties import tie_words

#: Colour of each provision type (edges), and of the rest.
PROVISION_COLOURS = {
    "defense": "#c0392b",
    "offense": "#8e44ad",
    "neutrality": "#2980b9",
    "non-aggression": "#16a085",
    "consultation": "#f39c12",
    "military-cooperation": "#7f8c8d",
    "technology-cooperation": "#95a5a6",
    "economic-cooperation": "#bdc3c7",
}
OTHER = "#555555"
ROUND_COLOURS = ["#2c3e50", "#c0392b", "#e67e22", "#f1c40f", "#27ae60", "#2980b9", "#8e44ad"]
MAX_TREATIES_IN_TIP = 12


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """vis-network's standalone script, as shipped in the pyvis package (no network needed)."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib"
    candidates = sorted(lib.glob("vis-*/vis-network.min.js"), key=lambda p: _version(p.parent))
    if not candidates:
        raise FileNotFoundError(f"vis-network.min.js not found under {lib}")
    # "</script" cannot occur inside an inline script: neutralise it should it ever appear.
    return candidates[-1].read_text(encoding="utf-8").replace("</script", "<\\/script")


def _version(folder: Path) -> tuple[int, ...]:
    return tuple(int(x) for x in folder.name.split("-", 1)[1].split(".") if x.isdigit())


def safe_json(value) -> str:
    """JSON that can sit inside an HTML ``<script>``: ``<``, ``>``, ``&`` as escapes.

    >>> safe_json({"label": "<img src=x onerror=alert(1)>"})
    '{"label": "\\\\u003cimg src=x onerror=alert(1)\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, default=str)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


PAGE = jinja2.Environment(autoescape=True).from_string(
    """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<style>
body { margin: 0; font: 14px/1.4 system-ui, sans-serif; color: #222; background: #fff; }
header { padding: .5rem 1rem; border-bottom: 1px solid #ddd; display: flex; flex-wrap: wrap;
         gap: .5rem 1.5rem; align-items: center; }
header h1 { font-size: 1.1rem; margin: 0; }
header form { display: flex; gap: .5rem; align-items: center; }
#network { width: 100%; height: {{ height }}px; }
.legend { display: flex; flex-wrap: wrap; gap: .3rem 1rem; list-style: none; margin: 0; padding: 0; }
.legend li { display: flex; align-items: center; gap: .3rem; }
.swatch { display: inline-block; width: 1.6rem; height: .35rem; border-radius: 2px; }
.dot { display: inline-block; width: .8rem; height: .8rem; border-radius: 50%; }
.note { color: #666; font-size: .85rem; }
div.vis-tooltip { position: absolute; visibility: hidden; padding: 6px 8px; white-space: pre-wrap;
  max-width: 28rem; font: 12px/1.35 system-ui, sans-serif; color: #000; background: #fffbe6;
  border: 1px solid #999; border-radius: 3px; box-shadow: 2px 2px 6px rgba(0,0,0,.2);
  pointer-events: none; z-index: 5; }
</style></head>
<body>
<header>
<h1>{{ title }}</h1>
{% if controls %}<form method="get">
{% for name, value in hidden %}<input type="hidden" name="{{ name }}" value="{{ value }}">{% endfor %}
<label>Date <input type="date" name="as_of" value="{{ as_of }}"></label>
{% if provisions is not none %}<label>Provision <select name="provision">
<option value="">alliance provisions</option>
{% for p in provisions %}<option value="{{ p }}"{% if p == provision %} selected{% endif %}>{{ p }}</option>{% endfor %}
</select></label>{% endif %}
<button type="submit">Show</button></form>{% endif %}
<ul class="legend">
{% for label, colour, shape in legend %}<li><span class="{{ shape }}" style="background: {{ colour }}"></span>{{ label }}</li>{% endfor %}
</ul>
<span class="note">{{ note }}</span>
</header>
<div id="network" data-nodes="{{ counts.nodes }}" data-edges="{{ counts.edges }}"></div>
<script id="graph-data" type="application/json">{{ data }}</script>
<script>{{ script }}</script>
<script>
(function () {
  "use strict";
  var t0 = performance.now();
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  function tip(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div;
  }
  data.nodes.forEach(function (n) { if (n.title) n.title = tip(n.title); });
  data.edges.forEach(function (e) {
    var text = e.title || "";
    if (e.treaties) {
      e.treaties.forEach(function (i) { text += "\\n• " + data.treaties[i]; });
      if (e.more) text += "\\n… and " + e.more + " more";
      delete e.treaties;
    }
    if (text) e.title = tip(text);
  });
  var container = document.getElementById("network");
  var network = new vis.Network(container,
    { nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges) }, data.options);
  window.network = network;
  window.geokgView = { drawn: false, drawnAfter: null };
  network.once("afterDrawing", function () {
    window.geokgView.drawn = true;
    window.geokgView.drawnAfter = performance.now() - t0;
    container.setAttribute("data-drawn", "true");
  });
})();
</script>
</body></html>
"""
)


@dataclass
class View:
    """A network view: self-contained HTML, displayed inline by Jupyter."""

    title: str
    html: str
    counts: dict = field(default_factory=dict)
    height: int = 640
    data: str = field(default="", repr=False)  # the nodes and edges (JSON), for to_pyvis

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
            f'style="width: 100%; height: {self.height + 90}px; border: 0" '
            f'title="{html.escape(self.title)}"></iframe>'
        )

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (it works offline, opened from a file)."""
        path = Path(path)
        path.write_text(self.html, encoding="utf-8")
        return path


def render(
    title: str,
    nodes: list[dict],
    edges: list[dict],
    *,
    legend: list[tuple[str, str, str]] = (),
    note: str = "",
    controls: bool = False,
    as_of: str | None = None,
    provisions: list[str] | None = None,
    provision: str | None = None,
    hidden: list[tuple[str, str]] = (),
    height: int = 640,
    directed: bool = False,
    treaties: list[str] = (),
) -> View:
    """Render vis-network nodes and edges (dicts, with x/y positions) as a :class:`View`.

    Strings go in as data, never as markup: ``title`` (tooltip) and ``label`` are
    shown as text.
    """
    options = {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": len(edges) > 800},
        "nodes": {"shape": "dot", "font": {"size": 14, "strokeWidth": 3, "strokeColor": "#fff"}},
        "edges": {
            "smooth": False,
            "arrows": {"to": {"enabled": directed, "scaleFactor": 0.6}},
            "selectionWidth": 2,
        },
    }
    counts = {"nodes": len(nodes), "edges": len(edges)}
    data = safe_json(
        {"nodes": nodes, "edges": edges, "options": options, "treaties": list(treaties)}
    )
    page = PAGE.render(
        title=title,
        data=Markup(data),
        script=Markup(vis_network_js()),
        legend=legend,
        note=note,
        controls=controls,
        as_of=as_of or "",
        provisions=provisions,
        provision=provision or "",
        hidden=hidden,
        height=height,
        counts=counts,
    )
    return View(title, page, counts, height, data)


_SAFE_NETWORK_DOC = """pyvis's ``Network`` (the notebook-facing API), drawing through geokg's safe page.

Made by :func:`to_pyvis`: nodes and edges are assigned as lists (pyvis's ``add_node``
is quadratic), and ``generate_html``/``write_html``/``show`` produce geokg's
self-contained page (vis-network inline, no Bootstrap or any CDN, every string shown
as text) instead of pyvis's template.
"""


@lru_cache(maxsize=1)
def _pyvis_class():
    from pyvis.network import Network as PyvisNetwork

    class SafeNetwork(PyvisNetwork):
        __doc__ = _SAFE_NETWORK_DOC

        def generate_html(self, name="index.html", local=True, notebook=False):
            nodes = [dict(n) for n in self.nodes]
            edges = [dict(e) for e in self.edges]
            if any("x" not in n or "y" not in n for n in nodes):
                g = nx.Graph()
                g.add_nodes_from(n["id"] for n in nodes)
                g.add_edges_from((e["from"], e["to"]) for e in edges)
                positions = layout(g)
                for n in nodes:
                    n.setdefault("x", positions[n["id"]][0])
                    n.setdefault("y", positions[n["id"]][1])
            for item in nodes + edges:
                if item.get("title") is not None:
                    item["title"] = str(item["title"])
            self.html = render(self.heading or "Network", nodes, edges, directed=self.directed).html
            return self.html

        def write_html(self, name, local=True, notebook=False, open_browser=False):
            Path(name).write_text(self.generate_html(), encoding="utf-8")

        def show(self, name, local=True, notebook=True):
            self.write_html(name)
            return self

        def _repr_html_(self):
            return View(self.heading or "Network", self.generate_html())._repr_html_()

    return SafeNetwork


def to_pyvis(view: View | nx.Graph, **options):
    """A pyvis ``Network`` holding a view's nodes and edges (or a networkx graph's), that
    renders geokg's safe, self-contained page.

    >>> import geokg
    >>> net = to_pyvis(geokg.alliance_view(geokg.open_store(None), as_of="2024-12-31"))
    >>> len(net.nodes), "cdn" in net.generate_html().lower()
    (7, False)
    """
    net = _pyvis_class()(cdn_resources="in_line", **options)
    if isinstance(view, View):
        data = json.loads(view.data)
        net.heading = view.title
        net.directed = any(e.get("arrows") for e in data["edges"]) or net.directed
        for edge in data["edges"]:
            refs = edge.pop("treaties", None)
            if refs:
                lines = [edge.get("title") or ""] + [f"• {data['treaties'][i]}" for i in refs]
                if edge.get("more"):
                    lines.append(f"… and {edge.pop('more')} more")
                edge["title"] = "\n".join(lines)
        nodes, edges = data["nodes"], data["edges"]
    else:
        positions = layout(view)
        nodes = [
            {
                "id": str(n),
                "label": str(d.get("iso") or d.get("label") or n),
                "title": _node_tip({"iri": str(n), **d}),
                "x": positions[n][0],
                "y": positions[n][1],
            }
            for n, d in view.nodes(data=True)
        ]
        edges = [{"from": str(a), "to": str(b)} for a, b in view.edges()]
        net.directed = view.is_directed()
    net.nodes, net.edges = nodes, edges
    net.node_ids = [n["id"] for n in nodes]
    net.node_map = {n["id"]: n for n in nodes}
    return net


# -- layout ----------------------------------------------------------------------------------


def layout(g: nx.Graph, *, seed: int = 7, scale: float = 600.0) -> dict[str, tuple[float, float]]:
    """Precomputed positions (spring layout, bounded iterations), in pixels."""
    if g.number_of_nodes() == 0:
        return {}
    if g.number_of_nodes() == 1:
        return {next(iter(g)): (0.0, 0.0)}
    if g.is_directed():
        g = g.to_undirected(as_view=True)
    simple = weighted(g) if g.is_multigraph() else g
    n = simple.number_of_nodes()
    positions = nx.spring_layout(
        simple, seed=seed, iterations=40, k=1.6 / math.sqrt(n), weight=None
    )
    size = scale * max(1.0, math.sqrt(n / 30))
    return {node: (float(x) * size, float(y) * size) for node, (x, y) in positions.items()}


def _node_tip(data: dict, extra: str = "") -> str:
    lines = [data.get("label") or data.get("iri") or ""]
    if data.get("label_fr") and data.get("label_fr") != lines[0]:
        lines.append(data["label_fr"])
    if data.get("iso"):
        lines.append(f"ISO: {data['iso']}")
    lines.append(data.get("iri", ""))
    if extra:
        lines.append(extra)
    return "\n".join(lines)


def _node(node: str, data: dict, pos, size: float, colour: str = "#34495e", extra: str = ""):
    x, y = pos
    return {
        "id": node,
        "label": data.get("iso") or data.get("label") or node.rsplit("/", 1)[-1],
        "title": _node_tip(data, extra),
        "x": round(x, 1),
        "y": round(y, 1),
        "size": round(size, 1),
        "color": colour,
    }


def _period(data: dict) -> str:
    start = data.get("in_force_from") or data.get("signed") or "?"
    end = data.get("in_force_until") or ""
    return f"in force {start}–{end}"


def _provision_legend(kinds) -> list[tuple[str, str, str]]:
    return [(tie_words([k]) or k, PROVISION_COLOURS.get(k, OTHER), "swatch") for k in kinds]


# -- the views -------------------------------------------------------------------------------


def alliance_view_of(g: nx.MultiGraph, title: str = "Alliances", **render_options) -> View:
    """The view of an alliance graph (see :func:`alliance_view`)."""
    simple = weighted(g)
    positions = layout(simple)
    degree = nx.degree_centrality(simple) if simple.number_of_nodes() > 1 else {}
    nodes = [
        _node(
            n,
            d,
            positions[n],
            8 + 32 * degree.get(n, 0.0),
            extra=f"treaty partners: {simple.degree(n)}; treaties: {g.degree(n)}",
        )
        for n, d in g.nodes(data=True)
    ]
    pairs: dict[tuple[str, str], list[dict]] = {}
    for a, b, data in g.edges(data=True):
        pairs.setdefault((a, b) if a <= b else (b, a), []).append(data)
    edges, kinds = [], set()
    table: list[str] = []  # one line per treaty, shared by the tooltips of all its pairs
    index: dict[str, int] = {}
    for (a, b), treaties in pairs.items():
        kind = strongest({t.get("provision") for t in treaties if t.get("provision")})
        kinds.add(kind)
        shown = sorted(treaties, key=lambda t: (t.get("in_force_from") or "", t["treaty"]))
        refs = []
        for t in shown[:MAX_TREATIES_IN_TIP]:
            if t["treaty"] not in index:
                index[t["treaty"]] = len(table)
                articles = ", ".join(str(n) for n in t.get("articles") or []) or "?"
                ties = tie_words(t.get("provisions") or []) or ", ".join(t.get("provisions") or [])
                table.append(
                    f"{t.get('label')} — {ties} (art. {articles});"
                    f" signed {t.get('signed') or '?'}; {_period(t)}"
                )
            refs.append(index[t["treaty"]])
        edge = {
            "from": a,
            "to": b,
            "width": round(1 + 2.5 * math.log2(len(treaties)), 2),
            "color": {"color": PROVISION_COLOURS.get(kind, OTHER), "opacity": 0.75},
            "title": f"{g.nodes[a].get('label')} – {g.nodes[b].get('label')}: "
            f"{_kinds_of_tie(treaties)}",
            "treaties": refs,
        }
        if len(treaties) > MAX_TREATIES_IN_TIP:
            edge["more"] = len(treaties) - MAX_TREATIES_IN_TIP
        edges.append(edge)
    order = [k for k in PROVISION_ORDER if k in kinds] + sorted(
        kinds - set(PROVISION_ORDER) - {None}
    )
    note = "Width: number of treaties; size: degree centrality; colour: the strongest kind of tie."
    return render(
        title,
        nodes,
        edges,
        legend=_provision_legend(order),
        note=note,
        treaties=table,
        **render_options,
    )


def _kinds_of_tie(treaties: list[dict]) -> str:
    """``"defence pact (2 treaties), consultation pact (1)"``: each treaty counted under its
    strongest kind of tie (:func:`~geokg.graph.ties.tie_words`)."""
    counts: dict[str, int] = {}
    for t in treaties:
        words = tie_words([t.get("provision")]) or (t.get("provision") or "other treaty")
        counts[words] = counts.get(words, 0) + 1
    order = sorted(counts, key=lambda w: -counts[w])
    parts = [f"{w} ({counts[w]} treat{'ies' if counts[w] > 1 else 'y'})" for w in order]
    return ", ".join(parts)


def alliance_view(
    kg, as_of: Date = None, provisions=None, *, controls: bool = False, height: int = 640
) -> View:
    """The alliance network on a date: colour by provision, width by number of treaties,
    size by centrality, tooltips with treaties, articles and dates, a legend.

    ``controls`` adds the date and provision form (for the web page).
    """
    g = alliance_graph(kg, as_of=as_of, provisions=provisions)
    day = date_text(as_of)
    chosen = provisions if isinstance(provisions, str) else ",".join(provisions or [])
    title = "Alliances" + (f" on {day}" if day else " (all dates)")
    if chosen:
        title += f" — {chosen}"
    return alliance_view_of(
        g,
        title,
        controls=controls,
        as_of=day,
        provisions=list(PROVISION_ORDER) + ["all"],
        provision=chosen,
        height=height,
    )


def actor_view(
    kg, actor: str, as_of: Date = None, radius: int = 1, provisions=None, *, controls: bool = False
) -> View:
    """The ego network of ``actor`` (ISO code or IRI): the states tied to it by a treaty with
    an alliance provision, within ``radius`` steps; each edge names the kind of tie."""
    g = alliance_graph(kg, as_of=as_of, provisions=provisions)
    ego = ego_network(g, actor, radius=radius)
    center = actor_iri(actor)
    name = g.nodes[center].get("label") if center in g else center.rsplit("/", 1)[-1]
    day = date_text(as_of)
    title = f"Treaty ties of {name}" + (f" on {day}" if day else "")
    return alliance_view_of(ego, title, controls=controls, as_of=day, provisions=None)


def deployment_view(kg, as_of: Date = None, *, controls: bool = False) -> View:
    """Deployments (thick arrows, sending → host) over the assistance obligations
    (dashed arrows, obligor → beneficiary; solid and thick where a deployment invokes
    the article as its legal basis). A deployment's tooltip names the article it invokes
    and lists every figure claimed about it, by source."""
    obligations = obligation_graph(kg, as_of=as_of)
    deployments = deployment_graph(kg, as_of=as_of)
    merged = nx.MultiDiGraph()
    for g in (obligations, deployments):
        for n, d in g.nodes(data=True):
            if n not in merged:
                merged.add_node(n, **d)
        merged.add_edges_from(g.edges())
    positions = layout(merged)
    hosts = {h for _, h in deployments.edges()}
    senders = {s for s, _ in deployments.edges()}
    nodes = []
    for n, d in merged.nodes(data=True):
        colour = "#c0392b" if n in senders else "#2980b9" if n in hosts else "#34495e"
        nodes.append(_node(n, d, positions[n], 10 + 2 * merged.degree(n) ** 0.5, colour))
    invoked: dict[str, list[str]] = {}  # article → the deployments that invoke it
    for *_, data in deployments.edges(data=True):
        if data.get("legal_basis"):
            invoked.setdefault(data["legal_basis"], []).append(data.get("label") or "")
    edges = []
    for a, b, data in obligations.edges(data=True):
        by = invoked.get(data.get("article") or "")
        text = (
            f"{obligations.nodes[a].get('label')} is bound to assist "
            f"{obligations.nodes[b].get('label')}\n{data['treaty_label']}, "
            f"{_article(data.get('article_number'), long=True)}; {_period(data)}"
            + (f"\n“{data['quote']}”" if data.get("quote") else "")
        )
        if by:
            text += "\nInvoked by: " + "; ".join(by)
        edges.append(
            {
                "from": a,
                "to": b,
                "dashes": not by,
                "width": 3 if by else 1,
                "color": {"color": PROVISION_COLOURS["defense"], "opacity": 0.9 if by else 0.45},
                "title": text,
            }
        )
    for a, b, data in deployments.edges(data=True):
        lines = [data.get("label") or data["deployment"]]
        lines.append(f"{data.get('start') or '?'} – {data.get('end') or ''}")
        if data.get("legal_basis"):
            lines.append(
                f"Legal basis: article {data.get('legal_basis_number')} of "
                f"{data.get('legal_basis_label') or data.get('legal_basis_treaty')}"
            )
        for claim in data["claims"][:15]:
            lines.append(
                f"• {claim['measure']}: {_figure(claim)} — {claim['agency_label']}, {claim['as_of']}"
            )
        if len(data["claims"]) > 15:
            lines.append(f"… and {len(data['claims']) - 15} more claims")
        edges.append(
            {
                "from": a,
                "to": b,
                "width": 4,
                "color": {"color": "#2c3e50"},
                "title": "\n".join(lines),
            }
        )
    day = date_text(as_of)
    legend = [
        ("deployment (sending → host)", "#2c3e50", "swatch"),
        ("bound to assist (obligor → beneficiary)", PROVISION_COLOURS["defense"], "swatch"),
        ("thick: invoked by a deployment", PROVISION_COLOURS["defense"], "swatch"),
        ("sending state", "#c0392b", "dot"),
        ("host state", "#2980b9", "dot"),
    ]
    title = "Deployments over obligations" + (f" on {day}" if day else "")
    return render(title, nodes, edges, legend=legend, controls=controls, as_of=day, directed=True)


def _article(number, long: bool = False) -> str:
    if number is None:
        return "treaty-level obligation" if long else "treaty"
    return f"article {number}" if long else f"art. {number}"


def _figure(claim: dict) -> str:
    if claim.get("value") is not None:
        return f"{claim['value']:,}" if isinstance(claim["value"], int) else str(claim["value"])
    low, high = claim.get("min"), claim.get("max")
    return f"{low if low is not None else '…'}–{high if high is not None else '…'}"


def cascade_view(
    kg,
    attacked: str,
    attacker: str | None = None,
    as_of: Date = None,
    *,
    escalate: bool = False,
    controls: bool = False,
) -> View:
    """The obligation cascade from an armed attack on ``attacked`` (see
    :func:`~geokg.graph.cascade.obligation_cascade`): round 1, and with ``escalate`` the
    further rounds, in concentric rings around the attacked state (:func:`round_layout`);
    each arrow is the obligation that draws a state in (treaty, article, quote, conditions,
    the assumption a further round rests on). States whose obligation's condition is not
    met, and states bound to both sides, are drawn grey and orange apart, in a grid to the
    right of the rings, with dashed arrows: listed, not drawn in."""
    cascade = obligation_cascade(
        kg, attacked=attacked, attacker=attacker, as_of=as_of, escalate=escalate
    )
    g = cascade.graph
    target = cascade.attacked
    nodes = [
        _node(
            target,
            _data(g, target, cascade.attacked_label, cascade.attacked_iso),
            (0.0, 0.0),
            26,
            ROUND_COLOURS[0],
            extra="attacked (round 0)",
        )
    ]
    if cascade.attacker:
        data = _data(g, cascade.attacker, cascade.attacker_label, cascade.attacker_iso)
        nodes.append(_node(cascade.attacker, data, (0.0, -140.0), 22, "#000000", extra="attacker"))
    edges = []
    rings, apart_at = round_layout(cascade)
    for number, entries in enumerate(cascade.rounds, 1):
        colour = ROUND_COLOURS[number % len(ROUND_COLOURS)]
        for entry in entries:
            extra = f"round {number}" + (f" — {'; '.join(entry.assumptions)}" if number > 1 else "")
            nodes.append(
                _node(entry.state, g.nodes[entry.state], rings[entry.state], 20, colour, extra)
            )
            edges.append(_cascade_edge(entry, f"Round {number}", colour))
    apart = [(e, "conditional, not drawn in", APART_COLOURS[0]) for e in cascade.conditional]
    apart += [
        (e, "bound to both sides, not drawn in", APART_COLOURS[1]) for e in cascade.both_sides
    ]
    for i, (entry, status, colour) in enumerate(apart):
        nodes.append(_node(entry.state, g.nodes[entry.state], apart_at(i), 14, colour, status))
        edges.append(_cascade_edge(entry, status[0].upper() + status[1:], colour, dashed=True))
        for link in entry.to_attacker:
            edges.append(_cascade_edge(entry, "Also bound to the attacker", colour, True, link))
    if cascade.attacker:
        edges.append(
            {
                "from": cascade.attacker,
                "to": target,
                "width": 5,
                "color": {"color": "#000"},
                "title": f"armed attack on {cascade.attacked_label}",
            }
        )
    legend = [("attacked", ROUND_COLOURS[0], "dot")] + [
        (
            f"round {i}" + (" (assumed escalation)" if i > 1 else ""),
            ROUND_COLOURS[i % len(ROUND_COLOURS)],
            "dot",
        )
        for i in range(1, len(cascade.rounds) + 1)
    ]
    legend += [
        ("conditional, not drawn in", APART_COLOURS[0], "dot"),
        ("bound to both sides, not drawn in", APART_COLOURS[1], "dot"),
    ]
    title = (
        f"Armed attack on {cascade.attacked_label}: the states drawn in (as of {cascade.as_of})"
        + (" — escalated" if escalate else "")
    )
    hidden = [("attacked", attacked)] + ([("attacker", attacker)] if attacker else [])
    hidden += [("escalate", "1")] if escalate else []
    note = (
        f"{len(cascade.entries)} states drawn in, in {len(cascade.rounds)} rounds; "
        f"{len(cascade.conditional)} conditional and {len(cascade.both_sides)} bound to both "
        "sides, not drawn in. "
        + (
            "Each round after the first assumes the attacker's side attacks the states "
            "drawn in before."
            if escalate
            else "Round 1 only: an obligation is triggered by an armed attack on its "
            "beneficiary (add escalate=1 to assume the war spreads)."
        )
    )
    return render(
        title,
        nodes,
        edges,
        legend=legend,
        controls=controls,
        as_of=cascade.as_of,
        hidden=hidden,
        directed=True,
        note=note,
    )


#: Spacing of the cascade layout (pixels): between neighbours on a ring, between rings.
NODE_GAP, RING_GAP = 70.0, 95.0


def round_layout(cascade):
    """Positions of a cascade's states, readable at 150 states: round ``r`` on concentric
    rings around the attacked state (at the origin), a round taking as many rings as it needs
    to keep ``NODE_GAP`` pixels between neighbours; on its ring(s) a state sits near the
    state it must assist (sorted by that state's angle), so that arrows stay short. Returns
    ``(positions, apart)``: ``positions`` maps each drawn-in state to ``(x, y)``, ``apart(i)``
    is the place of the ``i``-th state listed apart (a grid right of the outermost ring).

    >>> from types import SimpleNamespace as E
    >>> link = E(beneficiary="A")
    >>> c = E(rounds=[[E(state=f"s{i}", link=link) for i in range(60)]])
    >>> positions, apart = round_layout(c)
    >>> len(positions), round(math.dist(positions["s0"], positions["s1"])) >= NODE_GAP
    (60, True)
    """
    positions: dict[str, tuple[float, float]] = {}
    angles: dict[str, float] = {}
    radius = 0.0
    for entries in cascade.rounds:
        order = sorted(entries, key=lambda e: (angles.get(e.link.beneficiary, 0.0), e.state))
        radius += 2 * RING_GAP
        placed = 0
        while placed < len(order):
            capacity = max(6, int(2 * math.pi * radius / NODE_GAP))
            ring = order[placed : placed + capacity]
            for k, entry in enumerate(ring):
                angle = 2 * math.pi * k / len(ring) - math.pi / 2
                positions[entry.state] = (radius * math.cos(angle), radius * math.sin(angle))
                angles[entry.state] = angle % (2 * math.pi)
            placed += len(ring)
            if placed < len(order):
                radius += RING_GAP
    left = radius + 2 * RING_GAP

    def apart(i: int) -> tuple[float, float]:
        return (left + (i % 6) * NODE_GAP * 1.4, -radius + (i // 6) * RING_GAP)

    return positions, apart


#: Colours of the states listed apart: conditional, bound to both sides.
APART_COLOURS = ("#95a5a6", "#d35400")


def _data(g: nx.Graph, iri: str, label: str | None, iso: str | None) -> dict:
    return g.nodes[iri] if iri in g else {"label": label, "iri": iri, "iso": iso}


def _cascade_edge(entry, heading: str, colour: str, dashed: bool = False, link=None) -> dict:
    """The arrow of one obligation in a cascade (obligor → beneficiary), with its tooltip."""
    link = link or entry.link
    lines = [
        f"{heading}: {link.obligor_label} must assist {link.beneficiary_label}",
        f"{link.treaty_label}, {_article(link.article_number, long=True)}",
    ]
    if link.quote:
        lines.append(f"“{link.quote}”")
    lines += [f"Condition: {c}" for c in link.conditions]
    if link is entry.link:
        lines += [f"Assumption: {a}" for a in entry.assumptions]
        lines.append("Chain: " + " ; ".join(str(x) for x in entry.chain))
    return {
        "from": link.obligor,
        "to": link.beneficiary,
        "label": _article(link.article_number),
        "width": 1.5 if dashed else 3,
        "dashes": dashed,
        "color": {"color": colour},
        "title": "\n".join(lines),
    }


__all__ = [
    "PROVISION_COLOURS",
    "View",
    "actor_view",
    "alliance_view",
    "alliance_view_of",
    "cascade_view",
    "deployment_view",
    "layout",
    "render",
    "round_layout",
    "safe_json",
    "to_pyvis",
    "vis_network_js",
]
