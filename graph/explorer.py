"""The data of the alliance explorer (``/views/alliances``, :func:`geokg.explore`): every
treaty tie with its interval, so that the page redraws any date without asking again.

A *tie* is two parties of one treaty with a typed provision, over the interval in which
both are members while the treaty is in force: from the latest of the treaty's entry into
force (``gk:inForceFrom``, failing that ``gk:signedOn``) and the two members' entry dates
(ATOP member phases, ``gk:Participation``), to the earliest of the treaty's end
(``gk:inForceUntil``) and their exit dates. A tie is therefore in force on a day exactly
when :func:`~geokg.graph.projection.alliance_graph` with ``as_of`` that day (and
``provisions="all"``) has an edge for that treaty between those two states. Dates keep their
precision as in :func:`~geokg.graph.projection.covers`: a start ``"1961"`` counts from
1961-01-01, an end ``"1996"`` until 1996-12-31.

Node positions are precomputed once over all dates (ForceAtlas2 on the graph of every tie
ever in force, seeded), so a state keeps its place on every date.

>>> import geokg
>>> data = explorer_data(geokg.open_store(None))
>>> sorted(n["iso"] for n in data["nodes"] if n["iso"] in ("PRK", "RUS"))
['PRK', 'RUS']
>>> tie = data["ties"][0]; len(tie)  # [node, node, treaty, from, until]
5
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from itertools import combinations, product

import networkx as nx

from .namespaces import DERIVED_GRAPH
from .projection import ALLIANCE_PROVISIONS, PROVISION_ORDER, _rows
from .views import OTHER, PROVISION_COLOURS

BASE = "https://w3id.org/geokg/"

_QUERY = """PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT * WHERE {
  { SELECT ?treaty (SAMPLE(?s) AS ?signed) (SAMPLE(?f0) AS ?from) (SAMPLE(?s) AS ?sfrom)
           (SAMPLE(?u) AS ?until) (SAMPLE(?en) AS ?ten) (SAMPLE(?fr) AS ?tfr)
           (SAMPLE(?atop) AS ?atopid)
           (GROUP_CONCAT(DISTINCT STR(?party); separator=" ") AS ?parties)
    WHERE { GRAPH ?g { ?treaty a gk:Treaty } FILTER(?g != <DERIVED>)
      ?treaty gk:party ?party .
      OPTIONAL { ?treaty gk:signedOn ?s } OPTIONAL { ?treaty gk:inForceFrom ?f0 }
      OPTIONAL { ?treaty gk:inForceUntil ?u } OPTIONAL { ?treaty gk:atopId ?atop }
      OPTIONAL { ?treaty rdfs:label ?en FILTER(langMatches(lang(?en), "en")) }
      OPTIONAL { ?treaty rdfs:label ?fr FILTER(langMatches(lang(?fr), "fr")) }
    } GROUP BY ?treaty }
  UNION
  { ?article_of gk:hasArticle ?article . ?article gk:provision ?provision .
    OPTIONAL { ?article gk:articleNumber ?number } }
  UNION
  { ?article_of gk:obligation ?provision ; a gk:Treaty }
  UNION
  { ?phase gk:inTreaty ?ptreaty ; gk:memberState ?pmember .
    OPTIONAL { ?phase gk:entryDate ?pentry } OPTIONAL { ?phase gk:exitDate ?pexit } }
  UNION
  { SELECT ?actor (SAMPLE(?aen) AS ?en) (SAMPLE(?afr) AS ?fr) (SAMPLE(?iso) AS ?iso)
           (SAMPLE(?cow) AS ?cow) (GROUP_CONCAT(DISTINCT ?alt; separator="\\u001f") AS ?aliases)
    WHERE { { SELECT DISTINCT ?actor WHERE { ?t gk:party ?actor } }
      OPTIONAL { ?actor rdfs:label ?aen FILTER(langMatches(lang(?aen), "en")) }
      OPTIONAL { ?actor rdfs:label ?afr FILTER(langMatches(lang(?afr), "fr")) }
      OPTIONAL { ?actor gk:isoAlpha3 ?iso } OPTIONAL { ?actor gk:cowCode ?cow }
      OPTIONAL { ?actor skos:altLabel ?alt }
    } GROUP BY ?actor }
}""".replace("<DERIVED>", f"<{DERIVED_GRAPH}>")


def start_day(value: str | None) -> str:
    """The first day a start date at its precision covers (``""``: open).

    >>> start_day("1961"), start_day("1961-07"), start_day(None)
    ('1961-01-01', '1961-07-01', '')
    """
    if not value:
        return ""
    return (value + "-01-01"[len(value) - 4 :]) if len(value) < 10 else value[:10]


def end_day(value: str | None) -> str:
    """The last day an end date at its precision covers (``""``: open); months end on "31",
    which compares correctly with any day of the month.

    >>> end_day("1996"), end_day("1996-02"), end_day("1996-02-10")
    ('1996-12-31', '1996-02-31', '1996-02-10')
    """
    if not value:
        return ""
    return (value + "-12-31"[len(value) - 4 :]) if len(value) < 10 else value[:10]


def page_of(iri: str) -> str | None:
    """The path of an IRI's entity page on the geokg server (None outside geokg's IRIs).

    >>> page_of("https://w3id.org/geokg/id/state/TUR")
    '/id/state/TUR'
    """
    return "/" + iri[len(BASE) :] if iri.startswith(BASE) else None


def _interval(periods) -> tuple[str, str] | None:
    """The intersection of (start day, end day) periods, None if empty."""
    start = max((p[0] for p in periods if p[0]), default="")
    ends = [p[1] for p in periods if p[1]]
    end = min(ends) if ends else ""
    if start and end and start > end:
        return None
    return start, end


def explorer_data(kg, *, seed: int = 7) -> dict:
    """Nodes, treaties and ties (each with its interval) of every treaty with a typed
    provision, with stable positions: the JSON the explorer draws (see the module docstring).

    ``nodes``: ``id`` (IRI), ``en``, ``fr``, ``aliases``, ``iso``, ``cow``, ``x``, ``y``,
    ``page``; ``treaties``: ``id``, ``en``, ``fr``, ``atop``, ``signed``, ``from``,
    ``until``, ``provisions`` (strongest first), ``articles`` (``n``, ``page``,
    ``provisions``), ``page``; ``ties``: ``[node index, node index, treaty index, from,
    until]`` (days, ``""`` open); ``first`` (the earliest tie), ``today``, ``provisions``
    (every type present, in :data:`PROVISION_ORDER`), ``alliance`` (ATOP's alliance
    provisions, shown by default), ``colours`` (of each provision type).
    """
    treaties: dict[str, dict] = {}
    parties: dict[str, list[str]] = {}
    articles: dict[str, dict] = defaultdict(dict)
    kinds: dict[str, set] = defaultdict(set)
    phases: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    actors: dict[str, dict] = {}
    for row in _rows(kg, _QUERY):
        if row.get("treaty") is not None:
            t = row["treaty"]
            parties[t] = sorted(set(str(row.get("parties") or "").split()))
            treaties[t] = {
                "id": t,
                "en": row.get("ten"),
                "fr": row.get("tfr"),
                "atop": row.get("atopid"),
                "signed": row.get("signed"),
                "from": row.get("from") or row.get("sfrom"),
                "until": row.get("until"),
                "page": page_of(t),
            }
        elif row.get("article_of") is not None:
            kind = str(row["provision"]).rsplit("/", 1)[-1]
            kinds[row["article_of"]].add(kind)
            if row.get("article") is not None:
                entry = articles[row["article_of"]].setdefault(
                    row["article"],
                    {"n": row.get("number"), "page": page_of(row["article"]), "provisions": []},
                )
                entry["provisions"].append(kind)
        elif row.get("phase") is not None:
            phases[(row["ptreaty"], row["pmember"])].append(
                (start_day(row.get("pentry")), end_day(row.get("pexit")))
            )
        elif row.get("actor") is not None:
            iri = row["actor"]
            aliases = [a for a in str(row.get("aliases") or "").split("\u001f") if a]
            actors[iri] = {
                "id": iri,
                "en": row.get("en"),
                "fr": row.get("fr"),
                "aliases": sorted(aliases),
                "iso": row.get("iso"),
                "cow": row.get("cow"),
                "page": page_of(iri),
            }
    kept = sorted(t for t in treaties if kinds.get(t))
    index = {t: i for i, t in enumerate(kept)}
    used: dict[str, int] = {}
    ties = []
    for t in kept:
        info = treaties[t]
        info["provisions"] = sorted(kinds[t], key=_rank)
        info["articles"] = sorted(
            articles.get(t, {}).values(), key=lambda a: (a["n"] is None, a["n"] or 0)
        )
        period = (start_day(info["from"]), end_day(info["until"]))
        for a, b in combinations(parties[t], 2):
            for pa, pb in product(
                phases.get((t, a)) or [("", "")], phases.get((t, b)) or [("", "")]
            ):
                found = _interval([period, pa, pb])
                if found is None:
                    continue
                ia = used.setdefault(a, len(used))
                ib = used.setdefault(b, len(used))
                ties.append([ia, ib, index[t], *found])
    nodes = [
        actors.get(iri)
        or {
            "id": iri,
            "en": None,
            "fr": None,
            "aliases": [],
            "iso": None,
            "cow": None,
            "page": page_of(iri),
        }
        for iri in sorted(used, key=used.get)
    ]
    for node in nodes:
        node["en"] = node["en"] or node["fr"] or node["iso"] or node["id"].rsplit("/", 1)[-1]
    positions = stable_layout(len(nodes), ties, seed=seed)
    for node, (x, y) in zip(nodes, positions, strict=True):
        node["x"], node["y"] = x, y
    present = {k for t in kept for k in kinds[t]}
    return {
        "nodes": nodes,
        "treaties": [treaties[t] for t in kept],
        "ties": ties,
        "first": min((tie[3] for tie in ties if tie[3]), default=""),
        "today": dt.date.today().isoformat(),
        "provisions": [p for p in PROVISION_ORDER if p in present]
        + sorted(present - set(PROVISION_ORDER)),
        "alliance": [p for p in ALLIANCE_PROVISIONS if p in present],
        "colours": {p: PROVISION_COLOURS.get(p, OTHER) for p in present},
    }


def _rank(name: str) -> tuple[int, str]:
    return (PROVISION_ORDER.index(name) if name in PROVISION_ORDER else 99, name)


def stable_layout(n: int, ties: list, *, seed: int = 7) -> list[tuple[float, float]]:
    """Positions of ``n`` nodes from the graph of every tie ever in force, weighted by how
    long two states were tied (``log(1 + treaty-years)``, summed over their treaties, open
    ends counted to this year): ForceAtlas2, seeded, so the same data always give the same
    drawing, and states long allied sit together on every date.

    >>> ties = [[0, 1, 0, "1950-01-01", "1960-01-01"], [1, 2, 0, "", ""]]
    >>> len(stable_layout(3, ties)), stable_layout(3, ties) == stable_layout(3, ties)
    (3, True)
    """
    if n == 0:
        return []
    this_year = dt.date.today().year
    years: dict[tuple[int, int], float] = defaultdict(float)
    for a, b, _, start, end in ties:
        first = int(start[:4]) if start else 1815
        last = int(end[:4]) if end else this_year
        years[(a, b) if a < b else (b, a)] += max(last - first, 0) + 1
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_weighted_edges_from((a, b, math.log1p(y)) for (a, b), y in years.items())
    pos = nx.forceatlas2_layout(g, max_iter=150, seed=seed, weight="weight")
    xs = [float(pos[i][0]) for i in range(n)]
    ys = [float(pos[i][1]) for i in range(n)]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    return [
        (round((x - cx) / span * 1000, 1), round((y - cy) / span * 1000, 1))
        for x, y in zip(xs, ys, strict=True)
    ]


_PLACES = """PREFIX schema: <https://schema.org/>
SELECT ?place (SAMPLE(?lat) AS ?latitude) (SAMPLE(?lon) AS ?longitude) WHERE {
  ?place schema:geo ?point . ?point schema:latitude ?lat ; schema:longitude ?lon
} GROUP BY ?place"""


def deployment_lines(kg, year: int) -> dict:
    """The deployments abroad under way in ``year``, for the explorer's map: one line per
    sending state and destination (the host state, else the place), from
    :func:`~geokg.graph.projection.deployment_graph` on 1 July of that year (a year-coded
    deployment, MDI or US troops, is under way in a year for which its data set gives a
    figure). ``personnel``: for each deployment, the largest figure of troops deployed
    claimed for that year (sources may disagree: the largest is drawn, every figure is listed
    with its source), summed over the line's deployments; None when no figure is claimed.

    >>> import geokg
    >>> lines = deployment_lines(geokg.open_store(None), 2025)["lines"]
    >>> [(line["from_iso"], line["to_iso"]) for line in lines if line["from_iso"] == "PRK"]
    [('PRK', 'RUS')]
    """
    from .projection import deployment_graph

    g = deployment_graph(kg, as_of=f"{int(year):04d}-07-01")
    where = {
        row["place"]: [float(row["longitude"]), float(row["latitude"])]
        for row in _rows(kg, _PLACES)
    }
    lines: dict[tuple[str, str], dict] = {}
    for sender, target, data in g.edges(data=True):
        line = lines.setdefault(
            (sender, target),
            {
                "from": sender,
                "to": target,
                "from_label": g.nodes[sender].get("label"),
                "to_label": g.nodes[target].get("label"),
                "from_iso": g.nodes[sender].get("iso"),
                "to_iso": g.nodes[target].get("iso"),
                "at": where.get(target),
                "personnel": None,
                "deployments": [],
            },
        )
        figures = [
            c
            for c in data["claims"]
            if c["measure"] == "troops-deployed" and str(c.get("as_of") or "")[:4] == str(year)
        ]
        values = [c["value"] for c in figures if isinstance(c.get("value"), int | float)]
        if values:
            line["personnel"] = (line["personnel"] or 0) + max(values)
        line["deployments"].append(
            {
                "label": data.get("label") or data["deployment"],
                "figures": [
                    {
                        "value": c.get("value"),
                        "min": c.get("min"),
                        "max": c.get("max"),
                        "as_of": c.get("as_of"),
                        "agency": c.get("agency_label"),
                        "source": c.get("source_label"),
                    }
                    for c in figures
                ],
            }
        )
    return {"year": int(year), "lines": list(lines.values())}


__all__ = ["deployment_lines", "end_day", "explorer_data", "page_of", "stable_layout", "start_day"]
