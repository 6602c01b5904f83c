"""The alliance network over time: nodes and edges with their time intervals (dynamic GEXF).

:func:`alliance_timeline` is :func:`~geokg.graph.projection.alliance_graph` over all dates, each
edge (one per treaty and pair of members) carrying ``spells``: the days on which the treaty is in
force and both states are members (their member phases, ``gk:Participation``, intersected),
and each node the union of its edges' spells: the days on which it has an alliance in force. A
snapshot on day D (the elements whose spells cover D) is then ``alliance_graph(as_of=D)``, the
same semantics (ATOP's dates at their precision, both days included; README, "Importing real
data"). :func:`dynamic_copy` gives any projection its intervals for ``write_gexf(dynamic=True)``.

>>> import geokg
>>> t = alliance_timeline(geokg.open_store(None))
>>> t.edges[geokg.STATE_IRI("PRK"), geokg.STATE_IRI("RUS"), "https://w3id.org/geokg/id/treaty/rus-prk-2024-comprehensive-strategic-partnership"]["spells"]
[('2024-12-04', None)]
>>> sorted(snapshot(t, "2024-12-31").edges(keys=True)) == sorted(
...     geokg.alliance_graph(geokg.open_store(None), as_of="2024-12-31").edges(keys=True))
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx
import numpy as np

from .panels import _OPEN, first_day, last_day
from .projection import _rows, alliance_graph, date_text

if TYPE_CHECKING:
    from .store import KnowledgeGraph

_DAWN = np.datetime64("0001-01-01")
_ONE_DAY = np.timedelta64(1, "D")
Span = tuple[np.datetime64, np.datetime64]

PHASES_QUERY = """SELECT ?treaty ?member ?entry ?exit WHERE {
  ?phase gk:inTreaty ?treaty ; gk:memberState ?member .
  OPTIONAL { ?phase gk:entryDate ?entry } OPTIONAL { ?phase gk:exitDate ?exit }
}"""


def merge(spans: list[Span]) -> list[Span]:
    """Spans (days, both included) merged where they overlap or touch.

    >>> d = np.datetime64
    >>> [tuple(map(str, s)) for s in merge([(d("2000-01-01"), d("2000-12-31")),
    ...                                      (d("2001-01-01"), d("2001-06-30"))])]
    [('2000-01-01', '2001-06-30')]
    """
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1] + _ONE_DAY:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def intersect(a: list[Span], b: list[Span]) -> list[Span]:
    """The days in both lists of spans."""
    found = [(max(s1, s2), min(e1, e2)) for s1, e1 in a for s2, e2 in b]
    return merge([(s, e) for s, e in found if s <= e])


def _text(spans: list[Span]) -> list[tuple[str | None, str | None]]:
    """Spans as ISO days, None for an open side (GEXF: no start or no end)."""
    return [(None if s <= _DAWN else str(s), None if e >= _OPEN else str(e)) for s, e in spans]


def _days(spans) -> list[Span]:
    return [(first_day(s), last_day(e)) for s, e in spans]


def alliance_timeline(kg: KnowledgeGraph, provisions=None) -> nx.MultiGraph:
    """The alliance network over all dates, with ``spells`` on every node and edge.

    Edges: as :func:`~geokg.graph.projection.alliance_graph` (key: the treaty IRI), for the
    pairs that were members at the same time, with ``spells``: [(first day, last day)] ISO
    days (None: open), the treaty in force and both members; nodes: the union of their edges'.
    """
    g = alliance_graph(kg, provisions=provisions)
    phases: dict[tuple[str, str], list[Span]] = {}
    for row in _rows(kg, PHASES_QUERY):
        span = (first_day(row.get("entry")), last_day(row.get("exit")))
        phases.setdefault((row["treaty"], row["member"]), []).append(span)
    never = []
    node_spans: dict[str, list[Span]] = {}
    for a, b, treaty, data in g.edges(keys=True, data=True):
        spans = [(first_day(data.get("in_force_from")), last_day(data.get("in_force_until")))]
        for member in (a, b):
            if (treaty, member) in phases:
                spans = intersect(spans, phases[(treaty, member)])
        if not spans:
            never.append((a, b, treaty))
            continue
        data["spells"] = _text(spans)
        for member in (a, b):
            node_spans.setdefault(member, []).extend(spans)
    g.remove_edges_from(never)
    g.remove_nodes_from([n for n in list(g) if n not in node_spans])
    for node, spans in node_spans.items():
        g.nodes[node]["spells"] = _text(merge(spans))
    g.graph.update(kind="alliance timeline", as_of="")
    return g


def dynamic_copy(g: nx.Graph) -> nx.Graph:
    """A copy of a projection with ``spells`` on every edge and node, for a dynamic GEXF.

    An edge keeps its ``spells`` if it has them, else gets its period: ``in_force_from`` (or
    ``signed``) to ``in_force_until`` for a treaty, ``start`` to ``end`` for a deployment (at
    their precision, both included; none: open); a node keeps its ``spells``, else gets the
    union of its edges'. ``start`` and ``end`` become part of the spells (GEXF gives them a
    meaning of their own).
    """
    h = g.copy()
    node_spans: dict[str, list[Span]] = {}
    edges = h.edges(keys=True, data=True) if h.is_multigraph() else h.edges(data=True)
    for a, b, *_, data in edges:
        if "spells" in data:
            spans = _days(data["spells"])
        else:
            start = data.get("in_force_from") or data.get("signed") or data.pop("start", None)
            spans = [(first_day(start), last_day(data.get("in_force_until") or data.get("end")))]
            data.pop("end", None)
            data["spells"] = _text(spans)
        for node in (a, b):
            node_spans.setdefault(node, []).extend(spans)
    for node, data in h.nodes(data=True):
        if "spells" not in data:
            data["spells"] = _text(merge(node_spans.get(node, [(_DAWN, _OPEN)])))
        data.pop("start", None), data.pop("end", None)
    return h


def spells_cover(spells, day: str) -> bool:
    """Whether one of ``spells`` (ISO days, None: open) covers ``day``."""
    return any((s is None or s <= day) and (e is None or day <= e) for s, e in spells)


def snapshot(g: nx.Graph, day) -> nx.Graph:
    """The network of a timeline on ``day``: the edges whose spells cover it, and their nodes.

    >>> import geokg
    >>> len(snapshot(alliance_timeline(geokg.open_store(None)), "1900-01-01"))
    0
    """
    day = date_text(day)
    h = g.__class__(**{**g.graph, "as_of": day})
    edges = g.edges(keys=True, data=True) if g.is_multigraph() else g.edges(data=True)
    for a, b, *key, data in edges:
        if spells_cover(data.get("spells") or [], day):
            for node in (a, b):
                if node not in h:
                    h.add_node(node, **g.nodes[node])
            h.add_edge(a, b, *key, **data)
    return h


__all__ = ["alliance_timeline", "dynamic_copy", "snapshot"]
