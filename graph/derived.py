"""Derived, directly queryable edges: alliances and assistance obligations.

Chains of alliances are not left to property paths over treaties (slow in
Oxigraph, see DESIGN.md). Instead the engine keeps, in the named graph
:data:`~geokg.graph.namespaces.DERIVED_GRAPH`, edges derived from the treaties:

- one ``gk:AssistanceObligation`` node per (defence article, obligor, beneficiary),
  with ``gk:obligor``, ``gk:beneficiary``, ``gk:viaTreaty`` and ``gk:viaArticle``,
  for every treaty whatever its dates (projections filter by date through the treaty);
- ``A gk:boundToAssist B`` for the obligations of treaties not terminated today;
- ``A gk:alliedWith B`` (both directions) for parties to a common treaty not
  terminated today with an alliance provision (defence, offence, neutrality,
  non-aggression, consultation: ATOP's categories).

An article binds all the parties to assist each other (symmetric), unless it
says otherwise: an article with ``gk:obligor`` values binds only those parties,
and one with ``gk:beneficiary`` values protects only those (asymmetric).

:func:`rebuild_derived` is called by the store after every load, update or
drop that touches another graph, so the derived graph never goes stale.

>>> from geokg.graph import open_store
>>> kg = open_store(None)
>>> kg.query('''ASK { ?o gk:obligor state:PRK ; gk:beneficiary state:RUS ;
...                    gk:viaArticle/gk:articleNumber 4 }''', prefixes=True)
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .namespaces import DERIVED_GRAPH

if TYPE_CHECKING:
    from .store import KnowledgeGraph

#: The provisions that make a treaty an alliance (ATOP's five types).
ALLIANCE_PROVISIONS = ("defense", "offense", "neutrality", "non-aggression", "consultation")
#: The provisions that bind a party to assist another if attacked.
DEFENCE_PROVISIONS = ("defense",)
PROVISION = "https://w3id.org/geokg/id/provision/"
OBLIGATION = "https://w3id.org/geokg/id/obligation/"

_PROLOGUE = """PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""


def _values(names) -> str:
    return " ".join(f"<{PROVISION}{n}>" for n in names)


def _not_derived(*graphs: str) -> str:
    return " ".join(f"FILTER(?{g} != <{DERIVED_GRAPH}>)" for g in graphs)


#: Not terminated today: no gk:inForceUntil before today (at the date's own precision).
_NOT_ENDED = """FILTER NOT EXISTS { GRAPH ?gu { ?t gk:inForceUntil ?until }
      FILTER(STR(?until) < SUBSTR(STR(NOW()), 1, STRLEN(STR(?until)))) }"""


def rebuild_updates() -> list[str]:
    """The SPARQL Update operations that rebuild the derived graph, in order (no prologue)."""
    d = f"<{DERIVED_GRAPH}>"
    obligations = f"""INSERT {{ GRAPH {d} {{
  ?o a gk:AssistanceObligation ; gk:obligor ?a ; gk:beneficiary ?b ;
     gk:viaTreaty ?t ; gk:viaArticle ?art .
}} }} WHERE {{
  VALUES ?prov {{ {_values(DEFENCE_PROVISIONS)} }}
  GRAPH ?g1 {{ ?art gk:provision ?prov }}
  GRAPH ?g2 {{ ?t gk:hasArticle ?art }}
  GRAPH ?g3 {{ ?t gk:party ?a }}
  GRAPH ?g4 {{ ?t gk:party ?b }}
  {_not_derived("g1", "g2", "g3", "g4")}
  FILTER(?a != ?b)
  FILTER(NOT EXISTS {{ GRAPH ?g5 {{ ?art gk:obligor ?x }} }}
         || EXISTS {{ GRAPH ?g6 {{ ?art gk:obligor ?a }} }})
  FILTER(NOT EXISTS {{ GRAPH ?g7 {{ ?art gk:beneficiary ?y }} }}
         || EXISTS {{ GRAPH ?g8 {{ ?art gk:beneficiary ?b }} }})
  BIND(IRI(CONCAT("{OBLIGATION}", MD5(CONCAT(STR(?art), " ", STR(?a), " ", STR(?b))))) AS ?o)
}}"""
    bound = f"""INSERT {{ GRAPH {d} {{ ?a gk:boundToAssist ?b }} }} WHERE {{
  GRAPH {d} {{ ?o gk:obligor ?a ; gk:beneficiary ?b ; gk:viaTreaty ?t }}
  {_NOT_ENDED}
}}"""
    allied = f"""INSERT {{ GRAPH {d} {{ ?a gk:alliedWith ?b }} }} WHERE {{
  {{ SELECT DISTINCT ?t WHERE {{
      VALUES ?prov {{ {_values(ALLIANCE_PROVISIONS)} }}
      GRAPH ?g1 {{ ?art gk:provision ?prov }}
      GRAPH ?g2 {{ ?t gk:hasArticle ?art }}
      {_not_derived("g1", "g2")}
      {_NOT_ENDED}
  }} }}
  GRAPH ?g3 {{ ?t gk:party ?a }}
  GRAPH ?g4 {{ ?t gk:party ?b }}
  {_not_derived("g3", "g4")}
  FILTER(?a != ?b)
}}"""
    return [f"DROP SILENT GRAPH {d}", obligations, bound, allied]


def rebuild_derived(kg: KnowledgeGraph) -> None:
    """Rebuild the derived graph of ``kg`` from its treaties (SPARQL Updates only).

    One SPARQL Update request (atomic), run on the backend directly (not through ``kg.update``, which would rebuild again).

    >>> from geokg.graph import open_store, DERIVED_GRAPH
    >>> kg = open_store(None)
    >>> kg.drop_graph(str(DERIVED_GRAPH))   # dropping the derived graph alone keeps it dropped
    >>> kg.query("ASK { ?a gk:alliedWith ?b }", prefixes=True)
    False
    >>> rebuild_derived(kg)
    >>> kg.query("ASK { state:RUS gk:alliedWith state:PRK }", prefixes=True)
    True
    """
    kg.backend.update(_PROLOGUE + " ;\n".join(rebuild_updates()))  # one request: atomic
    kg.backend.flush()


def touches_inputs(graphs) -> bool:
    """Whether a change to ``graphs`` (IRIs; None: unknown) may change the derived graph."""
    if graphs is None:
        return True
    return any(str(g) != str(DERIVED_GRAPH) for g in graphs)


__all__ = [
    "ALLIANCE_PROVISIONS",
    "DEFENCE_PROVISIONS",
    "rebuild_derived",
    "rebuild_updates",
    "touches_inputs",
]
