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
and one with ``gk:beneficiary`` values protects only those (asymmetric). A treaty
coded without articles (as ATOP's alliances are) binds through its treaty-level
``gk:obligation``: only the members whose member phase (``gk:Participation``) carries
the defence obligation when phases say who, else every party. Member phases also
date membership: ``gk:alliedWith`` and ``gk:boundToAssist`` count members today.

:func:`rebuild_derived` is called by the store after every load, update or
drop that touches another graph, so the derived graph never goes stale.

>>> from geokg.graph import open_store
>>> kg = open_store(None)
>>> kg.query('''ASK { ?o gk:obligor state:PRK ; gk:beneficiary state:RUS ;
...                    gk:viaArticle/gk:articleNumber 4 }''', prefixes=True)
True
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .namespaces import DERIVED_GRAPH

if TYPE_CHECKING:
    from .store import KnowledgeGraph

#: The provisions that make a treaty an alliance (ATOP's five types).
ALLIANCE_PROVISIONS = ("defense", "offense", "neutrality", "non-aggression", "consultation")
#: The provisions that bind a party to assist another if attacked.
DEFENCE_PROVISIONS = ("defense",)
#: What the rebuild reads: a write that adds or removes no triple with one of these predicates
#: (nor an ``rdf:type gk:Treaty``) cannot change the derived graph (a claim, a candidate, a
#: label), so the store skips the rebuild after it. Keep in step with :func:`rebuild_updates`.
INPUT_PREDICATES = tuple(
    "https://w3id.org/geokg/ontology#" + name
    for name in (
        "party",
        "hasArticle",
        "provision",
        "obligor",
        "beneficiary",
        "obligation",
        "inTreaty",
        "memberState",
        "exitDate",
        "inForceUntil",
    )
)
#: The one class the rebuild reads (``?t a gk:Treaty``).
INPUT_CLASS = "https://w3id.org/geokg/ontology#Treaty"
PROVISION = "https://w3id.org/geokg/id/provision/"
OBLIGATION = "https://w3id.org/geokg/id/obligation/"

_PROLOGUE = """PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""


def _values(names) -> str:
    return " ".join(f"<{PROVISION}{n}>" for n in names)


def _not_ended(today: str) -> str:
    """Not terminated on ``today``: no gk:inForceUntil before it (at the date's own precision)."""
    return f"""FILTER NOT EXISTS {{ ?t gk:inForceUntil ?until
      FILTER(STR(?until) < SUBSTR("{today}", 1, STRLEN(STR(?until)))) }}"""


def _not_former(var: str, today: str) -> str:
    """MINUS the (treaty, ``var``) pairs of former members: a member phase
    (``gk:Participation``) recorded, none of them current on ``today``. An anti-join,
    evaluated once, not a correlated EXISTS per row."""
    return f"""MINUS {{ SELECT DISTINCT ?t ?{var} WHERE {{
      ?fp gk:inTreaty ?t ; gk:memberState ?{var} .
      MINUS {{ ?fq gk:inTreaty ?t ; gk:memberState ?{var} . OPTIONAL {{ ?fq gk:exitDate ?fx }}
              FILTER(!BOUND(?fx) || STR(?fx) >= SUBSTR("{today}", 1, STRLEN(STR(?fx)))) }} }} }}"""


def rebuild_updates(graphs: list[str], today: str | None = None) -> list[str]:
    """The SPARQL Update operations that rebuild the derived graph, in order (no prologue).

    ``graphs``: the input graphs (every named graph but the derived one), read as the
    default graph of each operation (``USING``). ``today``: the date for the edges
    between current allies (default: today).

    Obligations come from defence articles (``gk:hasArticle``/``gk:provision``), or, for
    a treaty coded without articles (ATOP), from a treaty-level ``gk:obligation``: then
    the members bound are those whose member phase (``gk:Participation``) carries that
    obligation, or every party when no phase says who (symmetric).
    """
    d = f"<{DERIVED_GRAPH}>"
    today = today or dt.date.today().isoformat()
    inputs = [g for g in graphs if str(g) != str(DERIVED_GRAPH)]
    using = " ".join(f"USING <{g}>" for g in inputs) or f"USING <{DERIVED_GRAPH}/none>"
    defence = _values(DEFENCE_PROVISIONS)
    obligations = f"""INSERT {{ GRAPH {d} {{
  ?o a gk:AssistanceObligation ; gk:obligor ?a ; gk:beneficiary ?b ;
     gk:viaTreaty ?t ; gk:viaArticle ?art .
}} }} {using} WHERE {{
  VALUES ?prov {{ {defence} }}
  ?art gk:provision ?prov . ?t gk:hasArticle ?art ; gk:party ?a , ?b .
  FILTER(?a != ?b)
  FILTER(NOT EXISTS {{ ?art gk:obligor ?x }} || EXISTS {{ ?art gk:obligor ?a }})
  FILTER(NOT EXISTS {{ ?art gk:beneficiary ?y }} || EXISTS {{ ?art gk:beneficiary ?b }})
  BIND(IRI(CONCAT("{OBLIGATION}", MD5(CONCAT(STR(?art), " ", STR(?a), " ", STR(?b))))) AS ?o)
}}"""
    treaty_level = f"""INSERT {{ GRAPH {d} {{
  ?o a gk:AssistanceObligation ; gk:obligor ?a ; gk:beneficiary ?b ; gk:viaTreaty ?t .
}} }} {using} WHERE {{
  VALUES ?prov {{ {defence} }}
  ?t gk:obligation ?prov ; a gk:Treaty .
  MINUS {{ ?t gk:hasArticle ?art0 . ?art0 gk:provision ?prov }}
  ?t gk:party ?b .
  {{ ?t gk:party ?a . MINUS {{ ?p5 gk:inTreaty ?t ; gk:obligation ?any }} }}
  UNION
  {{ ?p6 gk:inTreaty ?t ; gk:memberState ?a ; gk:obligation ?prov . }}
  FILTER(?a != ?b)
  BIND(IRI(CONCAT("{OBLIGATION}", MD5(CONCAT(STR(?t), " ", STR(?a), " ", STR(?b))))) AS ?o)
}}"""
    bound = f"""INSERT {{ GRAPH {d} {{ ?a gk:boundToAssist ?b }} }} {using} USING NAMED {d} WHERE {{
  GRAPH {d} {{ ?o gk:obligor ?a ; gk:beneficiary ?b ; gk:viaTreaty ?t }}
  {_not_ended(today)}
  {_not_former("a", today)}
  {_not_former("b", today)}
}}"""
    allied = f"""INSERT {{ GRAPH {d} {{ ?a gk:alliedWith ?b }} }} {using} WHERE {{
  {{ SELECT DISTINCT ?t WHERE {{
      VALUES ?prov {{ {_values(ALLIANCE_PROVISIONS)} }}
      {{ ?art gk:provision ?prov . ?t gk:hasArticle ?art }} UNION {{ ?t gk:obligation ?prov ; a gk:Treaty }}
      {_not_ended(today)}
  }} }}
  ?t gk:party ?a , ?b .
  FILTER(?a != ?b)
  {_not_former("a", today)}
  {_not_former("b", today)}
}}"""
    return [f"DROP SILENT GRAPH {d}", obligations, treaty_level, bound, allied]


def rebuild_derived(kg: KnowledgeGraph) -> None:
    """Rebuild the derived graph of ``kg`` from its treaties (SPARQL Updates only).

    One SPARQL Update request (atomic), run on the backend directly (not through
    ``kg.update``, which would rebuild again).

    >>> from geokg.graph import open_store, DERIVED_GRAPH
    >>> kg = open_store(None)
    >>> kg.drop_graph(str(DERIVED_GRAPH))   # dropping the derived graph alone keeps it dropped
    >>> kg.query("ASK { ?a gk:alliedWith ?b }", prefixes=True)
    False
    >>> rebuild_derived(kg)
    >>> kg.query("ASK { state:RUS gk:alliedWith state:PRK }", prefixes=True)
    True
    """
    updates = rebuild_updates(kg.graphs())
    kg.backend.update(_PROLOGUE + " ;\n".join(updates))  # one request: atomic
    kg.backend.flush()


def holds_inputs_query(graphs: list[str]) -> str:
    """An ASK: whether any of ``graphs`` holds a triple that the rebuild reads.

    >>> "gk:Treaty" in holds_inputs_query(["https://example.org/g"])
    True
    """
    values = " ".join(f"<{g}>" for g in graphs)
    predicates = " ".join(f"<{p}>" for p in INPUT_PREDICATES)
    return f"""{_PROLOGUE}ASK {{ VALUES ?g {{ {values} }}
  {{ VALUES ?p {{ {predicates} }} GRAPH ?g {{ ?s ?p ?o }} }}
  UNION {{ GRAPH ?g {{ ?s a gk:Treaty }} }} }}"""


def touches_inputs(graphs) -> bool:
    """Whether a change to ``graphs`` (IRIs; None: unknown) may change the derived graph."""
    if graphs is None:
        return True
    return any(str(g) != str(DERIVED_GRAPH) for g in graphs)


__all__ = [
    "ALLIANCE_PROVISIONS",
    "DEFENCE_PROVISIONS",
    "INPUT_CLASS",
    "INPUT_PREDICATES",
    "holds_inputs_query",
    "rebuild_derived",
    "rebuild_updates",
    "touches_inputs",
]
