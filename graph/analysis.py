"""Analyses of the projected networks: centrality, blocs, ego networks, changes, claims.

Everything runs in networkx on a projection (see :mod:`geokg.graph.projection`);
functions that take a store project it first, with the same ``as_of`` and
``provisions`` arguments as :func:`~geokg.graph.projection.alliance_graph`.

>>> import geokg
>>> kg = geokg.open_store(None)
>>> table = centrality(kg, as_of="2024-12-31")
>>> table.loc[table.iso == "PRK", "degree"].item()
2
>>> alliance_changes(kg, "2024-01-01", "2024-12-31").change.tolist()
['added']
"""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pandas as pd

from .patterns import claim_fields
from .projection import (
    Date,
    _local,
    _rows,
    _text,
    actor_iri,
    alliance_graph,
    claim_record,
    date_text,
    deployment_kinds,
)
from .store import KnowledgeGraph


def _alliances(source, as_of: Date = None, provisions=None) -> nx.Graph:
    if isinstance(source, nx.Graph):
        return source
    return alliance_graph(source, as_of=as_of, provisions=provisions)


def weighted(g: nx.Graph) -> nx.Graph:
    """A simple undirected graph: ``weight`` = number of treaties (edges) between two actors.

    >>> m = nx.MultiGraph([("a", "b"), ("a", "b"), ("b", "c")])
    >>> weighted(m)["a"]["b"]["weight"]
    2
    """
    simple = nx.Graph()
    simple.add_nodes_from(g.nodes(data=True))
    counts = Counter((a, b) if a <= b else (b, a) for a, b in g.edges() if a != b)
    simple.add_edges_from((a, b, {"weight": n}) for (a, b), n in counts.items())
    return simple


def _eigenvector(simple: nx.Graph) -> dict:
    """Eigenvector centrality per connected component, scaled by the component's size share."""
    scores = dict.fromkeys(simple, 0.0)
    n = simple.number_of_nodes()
    for component in nx.connected_components(simple):
        if len(component) < 2:
            continue
        sub = simple.subgraph(component)
        try:
            values = nx.eigenvector_centrality(sub, max_iter=2000, tol=1e-8, weight="weight")
        except nx.PowerIterationFailedConvergence:
            values = nx.eigenvector_centrality_numpy(sub, weight="weight")
        share = len(component) / n
        for node, value in values.items():
            scores[node] = abs(value) * share
    return scores


def centrality(source, as_of: Date = None, provisions=None) -> pd.DataFrame:
    """Degree, betweenness and eigenvector centrality of each actor, most central first.

    ``source``: a store (projected with ``as_of``/``provisions``) or an alliance graph.
    Columns: ``iri``, ``iso``, ``label``, ``degree`` (number of allies),
    ``treaties`` (number of treaty edges), ``degree_centrality``, ``betweenness``,
    ``eigenvector``.
    """
    g = _alliances(source, as_of, provisions)
    simple = weighted(g)
    if simple.number_of_nodes() == 0:
        columns = ["iri", "iso", "label", "degree", "treaties"]
        return pd.DataFrame(columns=columns + ["degree_centrality", "betweenness", "eigenvector"])
    degree_c = nx.degree_centrality(simple)
    between = nx.betweenness_centrality(simple)
    eigen = _eigenvector(simple)
    rows = [
        {
            "iri": n,
            "iso": d.get("iso"),
            "label": d.get("label"),
            "degree": simple.degree(n),
            "treaties": g.degree(n),
            "degree_centrality": degree_c[n],
            "betweenness": between[n],
            "eigenvector": eigen[n],
        }
        for n, d in simple.nodes(data=True)
    ]
    table = pd.DataFrame(rows)
    return table.sort_values(["eigenvector", "degree", "iri"], ascending=[False, False, True])


def blocs(source, as_of: Date = None, provisions=None, *, seed: int = 0) -> list[set[str]]:
    """Blocs: communities of the alliance network (Louvain, weighted by treaties), largest first.

    >>> import geokg
    >>> found = blocs(geokg.open_store(None), as_of="2024-12-31")
    >>> {geokg.STATE_IRI("RUS"), geokg.STATE_IRI("PRK")} <= found[1] or found
    True
    """
    simple = weighted(_alliances(source, as_of, provisions))
    if simple.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(simple, weight="weight", seed=seed)
    return sorted((set(c) for c in found), key=lambda c: (-len(c), sorted(c)))


def bloc_name(g: nx.Graph, bloc: set[str]) -> str:
    """A bloc named after its best-connected member (its ISO code, else its label)."""
    simple = weighted(g) if g.is_multigraph() else g
    lead = max(sorted(bloc), key=lambda n: simple.degree(n, weight="weight"))
    data = g.nodes[lead]
    return f"{data.get('iso') or data.get('label')} bloc"


def blocs_over_time(kg: KnowledgeGraph, dates, provisions=None, *, seed: int = 0) -> pd.DataFrame:
    """Each actor's bloc on each date: columns ``date``, ``iri``, ``iso``, ``label``,
    ``bloc`` (named after its best-connected member), ``size``. Pivot on ``date`` to
    see who changes bloc."""
    rows = []
    for day in dates:
        g = alliance_graph(kg, as_of=day, provisions=provisions)
        for bloc in blocs(g, seed=seed):
            name = bloc_name(g, bloc)
            for n in sorted(bloc):
                data = g.nodes[n]
                rows.append(
                    {
                        "date": date_text(day),
                        "iri": n,
                        "iso": data.get("iso"),
                        "label": data.get("label"),
                        "bloc": name,
                        "size": len(bloc),
                    }
                )
    return pd.DataFrame(rows, columns=["date", "iri", "iso", "label", "bloc", "size"])


def ego_network(source, actor: str, radius: int = 1, as_of: Date = None, provisions=None):
    """The ego network of ``actor`` (IRI or ISO code): its allies within ``radius`` steps,
    with every treaty edge among them.

    >>> import geokg
    >>> ego = ego_network(geokg.open_store(None), "PRK", as_of="2024-12-31")
    >>> sorted(ego.nodes[n]["iso"] for n in ego)
    ['CHN', 'PRK', 'RUS']
    """
    g = _alliances(source, as_of, provisions)
    center = actor_iri(actor)
    if center not in g:
        ego = g.__class__()
        ego.graph.update(g.graph)
        return ego
    ego = nx.ego_graph(g, center, radius=radius)
    ego.graph.update(g.graph, center=center)
    return ego


def alliance_changes(
    kg: KnowledgeGraph, before: Date, after: Date, provisions=None
) -> pd.DataFrame:
    """Treaty edges added and removed between two dates.

    Columns: ``change`` (added, removed), ``source``, ``target`` (IRIs),
    ``source_label``, ``target_label``, ``treaty``, ``label`` (the treaty's),
    ``in_force_from``, ``in_force_until``.
    """
    old = alliance_graph(kg, as_of=before, provisions=provisions)
    new = alliance_graph(kg, as_of=after, provisions=provisions)
    rows = []
    for change, here, there in (("added", new, old), ("removed", old, new)):
        for a, b, key, data in here.edges(keys=True, data=True):
            if not there.has_edge(a, b, key):
                rows.append(
                    {
                        "change": change,
                        "source": a,
                        "target": b,
                        "source_label": here.nodes[a].get("label"),
                        "target_label": here.nodes[b].get("label"),
                        "treaty": key,
                        "label": data.get("label"),
                        "in_force_from": data.get("in_force_from"),
                        "in_force_until": data.get("in_force_until"),
                    }
                )
    columns = ["change", "source", "target", "source_label", "target_label", "treaty", "label"]
    return pd.DataFrame(rows, columns=columns + ["in_force_from", "in_force_until"])


def claims_query(deployment: str | None = None, home: bool = False) -> str:
    """The one SELECT behind :func:`deployment_claims`: claim rows, then label rows (UNION)."""
    values = f"VALUES ?d {{ <{actor_iri(deployment)}> }}" if deployment else ""
    kinds = deployment_kinds(home or deployment is not None)
    return f"""
SELECT * WHERE {{
  {{ {values} VALUES ?kind {{ {kinds} }}
    ?claim a gk:QuantityClaim ; gk:about ?d . ?d a ?kind .
    {claim_fields()} }}
  UNION
  {{ SELECT ?labelled (COALESCE(SAMPLE(?l1), SAMPLE(?l2)) AS ?labelText) WHERE {{
      {{ SELECT DISTINCT ?labelled WHERE {{ {values}
          VALUES ?via {{ prov:wasAttributedTo prov:wasDerivedFrom gk:about }}
          ?c a gk:QuantityClaim ; gk:about ?d ; ?via ?labelled }} }}
      OPTIONAL {{ ?labelled rdfs:label ?l1 FILTER(langMatches(lang(?l1), "en")) }}
      OPTIONAL {{ ?labelled rdfs:label ?l2 }}
    }} GROUP BY ?labelled }}
}}"""


def deployment_claims(
    kg: KnowledgeGraph, deployment: str | None = None, home: bool = False
) -> pd.DataFrame:
    """Every figure claimed about a deployment (IRI; None: every deployment abroad), one row
    per claim: one per row of a year-coded data set (MDI, US troops), zeros included.

    Columns: ``deployment``, ``deployment_label``, ``home_stationing``, ``claim``,
    ``measure``, ``value``, ``min``, ``max``, ``as_of``, ``agency``, ``agency_label``,
    ``source``, ``source_label``, ``quote``; sorted by date then claim. Measures are never
    summed or merged: filter on ``measure`` before comparing values. Home stationing
    (``gk:HomeStationing``, e.g. US troops in the United States) is not a deployment abroad:
    its claims come with ``home=True`` or when its IRI is given.

    >>> import geokg
    >>> df = deployment_claims(geokg.open_store(None),
    ...     "https://w3id.org/geokg/id/deployment/prk-expeditionary-force-russia")
    >>> int((df.measure == "troops-deployed").sum()) >= 3
    True
    """
    rows, seen, labels = [], set(), {}
    for row in _rows(kg, claims_query(deployment, home)):
        if row.get("labelled") is not None:
            labels[str(row["labelled"])] = _text(row.get("labelText"))
            continue
        key = str(row["claim"])
        if key in seen:
            continue
        seen.add(key)
        home_row = _local(row["kind"]) == "HomeStationing"
        rows.append({"deployment": str(row["d"]), "home_stationing": home_row, **claim_record(row)})
    for row in rows:
        row["deployment_label"] = labels.get(row["deployment"]) or _local(row["deployment"])
        row["agency_label"] = labels.get(row["agency"] or "") or _local(row["agency"])
        row["source_label"] = labels.get(row["source"] or "") or _local(row["source"])
    columns = ["deployment", "deployment_label", "home_stationing", "claim", "measure", "value"]
    columns += ["min", "max"]
    columns += ["as_of", "agency", "agency_label", "source", "source_label", "quote"]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["as_of", "claim"], na_position="first").reset_index(drop=True)


__all__ = [
    "alliance_changes",
    "bloc_name",
    "blocs",
    "blocs_over_time",
    "centrality",
    "claims_query",
    "deployment_claims",
    "ego_network",
    "weighted",
]
