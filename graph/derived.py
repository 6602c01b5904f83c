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

The store brings the derived graph in step after every load, update or drop that
touches another graph (:func:`refresh_derived`), so it never goes stale; on an embedded
store, by the cheapest way that gives exactly the triples of :func:`rebuild_updates`:

- **skipped** when the write adds or removes no triple the derivation reads (the loaded
  data are looked at during the load's syntax pass, a dropped graph through the indexes)
  and the derived graph was built today;
- **incremental** when it touches few treaties (:mod:`geokg.graph.increment`): what they
  contribute is recomputed from their closures, and only the difference written;
- **rebuilt** otherwise, in Python from the input triples (:mod:`geokg.graph.derivation`:
  the loaded ones as parsed, the others read from the store), the difference with the
  stored graph written with the bulk loader; by the SPARQL Updates on a remote store, or
  when the data hold what the Python path does not mirror (a literal as a party).

All of it runs inside the write's all-or-nothing scope (:mod:`geokg.graph.undo`).

>>> from geokg.graph import open_store
>>> kg = open_store(None)
>>> kg.query('''ASK { ?o gk:obligor state:PRK ; gk:beneficiary state:RUS ;
...                    gk:viaArticle/gk:articleNumber 4 }''', prefixes=True)
True
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from . import increment
from .derivation import PREDICATES, RDF_TYPE, TREATY, derive, is_input, no_gc, read_inputs
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


def rebuild_derived(kg: KnowledgeGraph, today: str | None = None) -> None:
    """Rebuild the derived graph of ``kg`` from all its input graphs.

    On an embedded Oxigraph store the triples are computed in Python from the input triples
    (:mod:`geokg.graph.derivation`) and written in bulk; on another backend (a remote endpoint)
    by the SPARQL Updates of :func:`rebuild_updates`, in one atomic request. Run on the backend
    directly (not through ``kg.update``, which would rebuild again).

    >>> from geokg.graph import open_store, DERIVED_GRAPH
    >>> kg = open_store(None)
    >>> kg.drop_graph(str(DERIVED_GRAPH))   # dropping the derived graph alone keeps it dropped
    >>> kg.query("ASK { ?a gk:alliedWith ?b }", prefixes=True)
    False
    >>> rebuild_derived(kg)
    >>> kg.query("ASK { state:RUS gk:alliedWith state:PRK }", prefixes=True)
    True
    """
    _rebuild(kg, None, today or dt.date.today().isoformat())


def rebuild_with_sparql(kg: KnowledgeGraph, today: str | None = None) -> None:
    """Rebuild the derived graph with the SPARQL Updates of :func:`rebuild_updates` (one
    request: atomic), whatever the backend: the reference the fast path is tested against."""
    updates = rebuild_updates(kg.graphs(), today)
    kg.backend.update(_PROLOGUE + " ;\n".join(updates))
    kg.backend.flush()


@dataclass
class Loaded:
    """What a load brings, as far as the derivation cares (see :meth:`before`)."""

    #: The derivation's input triples (or quads) among the data loaded (not into the derived graph).
    inputs: list
    #: Graphs whose whole content after the load is the data loaded (new, or replaced).
    held: set[str]
    #: Whether a graph the load empties first held input triples.
    dropped_inputs: bool
    #: The treaties the load touches and what they contribute before it (None: rebuild whole).
    plan: increment.Plan | None = None
    #: Whether ``inputs`` are the terms as stored (not so with blank nodes: the bulk loader
    #: parses the data again and may name them otherwise).
    as_stored: bool = True
    #: (day, the derived triples of that day), computed while the bulk loader wrote
    #: (:func:`derive_beside`): what a rebuild of that day writes without computing it again.
    precomputed: tuple[str, set] | None = None

    @property
    def touched(self) -> bool:
        """Whether the load adds or removes anything the derivation reads."""
        return self.dropped_inputs or bool(self.inputs)

    @classmethod
    def before(
        cls, kg: KnowledgeGraph, targets, drops, inputs, existing: set[str] | None = None
    ) -> Loaded | None:
        """Called before a load writes (``targets``: its graphs, ``drops``: the graphs it
        empties first, ``inputs``: the input triples it parsed); None on a backend that
        does not take the fast path.

        Or after a load that wrote only into graphs the store did not hold, and emptied
        none, with ``existing`` (the graphs the store held before): what it reads, it
        reads in those graphs only, which the load left as they were."""
        store = _embedded(kg)
        if store is None:
            return None
        derived = str(DERIVED_GRAPH)
        if existing is None:
            existing = set(kg.graphs())
        inputs = [t for t in inputs if is_input(t) and _graph_of(t) != derived]
        dropped = [g for g in drops if g != derived and g in existing]
        loaded = cls(inputs, (set(targets) - existing) | set(drops), False)
        if any(map(_has_blank, inputs)):  # parsed again by the bulk loader: other blank nodes
            loaded.held, loaded.as_stored = set(), False
        removed = _inputs_of(store, dropped, increment.LIMIT + 1)
        loaded.dropped_inputs = bool(removed)
        today = dt.date.today().isoformat()
        if (
            loaded.as_stored
            and _derived_on(kg.backend) == today
            and len(removed) <= increment.LIMIT
        ):
            graphs = [ox.NamedNode(g) for g in existing if g != derived]
            loaded.plan = increment.plan(store, graphs, inputs, removed, today)
        return loaded


def refresh_derived(
    kg: KnowledgeGraph,
    changed: list[str] | None,
    loaded: Loaded | None = None,
    today: str | None = None,
) -> str:
    """Bring the derived graph in step with a write to the graphs ``changed`` (None: unknown,
    as after a SPARQL Update); ``loaded``: what a load brought. Returns what was done:
    ``untouched`` (only the derived graph changed), ``skipped`` (the write added or removed
    no input triple and the derived graph is of today), ``incremental`` (the treaties it
    touches recomputed), ``derived`` (rebuilt whole, in Python), ``sparql`` (rebuilt by
    SPARQL Updates).

    A rebuild reads from the store only the input triples of the graphs the load did not
    bring whole: a load into a new graph of an empty store reads nothing back.
    """
    today = today or dt.date.today().isoformat()
    backend = kg.backend
    if changed is not None and str(DERIVED_GRAPH) in changed:
        _set_derived_on(backend, None)  # written by hand: the next write rebuilds it
    if not touches_inputs(changed):
        return "untouched"
    if loaded is not None and _derived_on(backend) == today:
        if not loaded.touched:
            return "skipped"
        if loaded.plan is not None:
            graphs = [ox.NamedNode(g) for g in kg.graphs() if g != str(DERIVED_GRAPH)]
            with no_gc():
                done = increment.apply(_embedded(kg), graphs, _DERIVED, loaded.plan, today)
            if done:
                kg.backend.flush()
                return "incremental"
    return _rebuild(kg, loaded, today)


def _rebuild(kg: KnowledgeGraph, loaded: Loaded | None, today: str) -> str:
    store = _embedded(kg)
    if store is None:
        rebuild_with_sparql(kg, today)
        return "sparql"
    held = loaded.held if loaded is not None else set()
    graphs = [g for g in kg.graphs() if g != str(DERIVED_GRAPH) and g not in held]
    with no_gc():
        if loaded is not None and loaded.precomputed and loaded.precomputed[0] == today:
            triples = loaded.precomputed[1]
        else:
            inputs = read_inputs(store, [ox.NamedNode(g) for g in graphs])
            if loaded is not None and loaded.as_stored:
                inputs.add(loaded.inputs)
            triples = derive(
                inputs, today, defence=DEFENCE_PROVISIONS, alliance=ALLIANCE_PROVISIONS
            )
        if triples is not None:
            write_derived(store, triples)
    if triples is None:  # values the fast path does not mirror: the SPARQL reference
        rebuild_with_sparql(kg, today)
        _set_derived_on(kg.backend, today)
        return "sparql"
    kg.backend.flush()
    _set_derived_on(kg.backend, today)
    return "derived"


def derive_beside(kg: KnowledgeGraph, existing: set[str], targets, inputs: list):
    """The derived graph after a load that writes only the new graphs ``targets`` (the store
    held ``existing``) and brings the input triples ``inputs``, computed while the bulk loader
    writes (:meth:`KnowledgeGraph._load_overlapped`): ``(day, triples)``, or None when the
    rebuild after the write will not need it (few inputs: the incremental path) or cannot
    take it (blank nodes, which the bulk loader names anew; a load into the derived graph).

    It reads the input triples of the ``existing`` graphs, which the load does not touch, and
    adds ``inputs``: what :func:`refresh_derived` reads after the load, so the triples are
    the same (``tests/test_derived_incremental.py`` checks them against the SPARQL rebuild)."""
    store = _embedded(kg)
    derived = str(DERIVED_GRAPH)
    if store is None or len(inputs) <= increment.LIMIT or derived in targets:
        return None
    if any(map(_has_blank, inputs)):
        return None
    today = dt.date.today().isoformat()
    with no_gc():
        found = read_inputs(store, [ox.NamedNode(g) for g in sorted(existing) if g != derived])
        found.add(inputs)
        triples = derive(found, today, defence=DEFENCE_PROVISIONS, alliance=ALLIANCE_PROVISIONS)
    return None if triples is None else (today, triples)


def write_derived(store: ox.Store, triples) -> None:
    """Make the derived graph of ``store`` hold exactly ``triples``: the new graph is computed
    whole beforehand (off the store), then the store's graph is brought to it in one write
    (inside the caller's all-or-nothing write): the quads no longer derived are removed one by
    one, the new ones added with the bulk loader. Removing quads one by one is cheaper in
    Oxigraph than dropping the graph (one transaction over every quad), and a rebuild usually
    changes a small part of a large derived graph."""
    graph = ox.NamedNode(str(DERIVED_GRAPH))
    if not store.contains_named_graph(graph):
        store.bulk_extend(ox.Quad(s, p, o, graph) for s, p, o in triples)
        return
    new = {ox.Quad(s, p, o, graph) for s, p, o in triples}
    if not new:
        store.remove_graph(graph)  # absent, not empty: as after DROP with nothing inserted
        return
    old = set(store.quads_for_pattern(None, None, None, graph))
    for quad in old - new:
        store.remove(quad)
    added = new - old
    if added:
        store.bulk_extend(added)


def _inputs_of(store: ox.Store, graphs: list[str], limit: int) -> list[ox.Quad]:
    """The input triples of ``graphs`` (at most ``limit``: enough to know there are more)."""
    found: list[ox.Quad] = []
    patterns = [(p, None) for p in PREDICATES] + [(RDF_TYPE, TREATY)]
    for graph in graphs:
        for p, o in patterns:
            for quad in store.quads_for_pattern(None, p, o, ox.NamedNode(graph)):
                found.append(quad)
                if len(found) >= limit:
                    return found
    return found


def _has_blank(triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


_DERIVED = ox.NamedNode(str(DERIVED_GRAPH))


def _embedded(kg: KnowledgeGraph) -> ox.Store | None:
    """The pyoxigraph store of an embedded backend (None: a remote one)."""
    if getattr(kg.backend, "derives", False):
        return None
    store = getattr(kg.backend, "store", None)
    return store if isinstance(store, ox.Store) else None


def _graph_of(item) -> str | None:
    graph = getattr(item, "graph_name", None)
    return graph.value if isinstance(graph, ox.NamedNode) else None


def _derived_on(backend) -> str | None:
    """The date the derived graph was last built for (None: unknown)."""
    return getattr(backend, "derived_on", None)


def _set_derived_on(backend, today: str | None) -> None:
    if hasattr(backend, "derived_on"):
        backend.derived_on = today


def touches_inputs(graphs) -> bool:
    """Whether a change to ``graphs`` (IRIs; None: unknown) may change the derived graph."""
    if graphs is None:
        return True
    return any(str(g) != str(DERIVED_GRAPH) for g in graphs)


__all__ = [
    "ALLIANCE_PROVISIONS",
    "DEFENCE_PROVISIONS",
    "derive_beside",
    "Loaded",
    "rebuild_derived",
    "rebuild_with_sparql",
    "refresh_derived",
    "rebuild_updates",
    "touches_inputs",
]
