"""The incremental rebuild of the derived graph: only what the treaties a write touches change.

The derived graph is the union, over treaties, of what each treaty contributes (its obligation
nodes, and the ``gk:boundToAssist`` and ``gk:alliedWith`` edges between its parties), and what
a treaty contributes depends only on its **closure**: its own triples (parties, articles,
treaty-level obligations, end date, type), its articles' (provision, obligor, beneficiary) and
its member phases' (member state, exit date, obligations). So a write that touches the
closures of a few treaties ``T`` changes the derived graph by

- adding what ``T`` contributes after the write and the graph lacks;
- removing what ``T`` contributed before and no longer does, unless another treaty also
  contributes it (the same alliance edge from two treaties; an obligation node of an article
  that two treaties share): those treaties' contributions are computed too.

:func:`plan` runs before the write (it needs the closures as they were); :func:`apply` after.
Both read only the closures, through the store's indexes. A new provision on an article
touches the treaties that have that article:

>>> store, g = ox.Store(), ox.NamedNode("https://example.org/g")
>>> t, art = ox.NamedNode("https://example.org/t"), ox.NamedNode("https://example.org/t-1")
>>> store.add(ox.Quad(t, _HAS_ARTICLE, art, g))
>>> new = ox.Triple(art, gk("provision"), ox.NamedNode("https://w3id.org/geokg/id/provision/defense"))
>>> touched(store, [g], [new]) == {t}
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from .derivation import (
    ALLIED_WITH,
    BOUND_TO_ASSIST,
    PREDICATES,
    RDF_TYPE,
    TREATY,
    VIA_ARTICLE,
    VIA_TREATY,
    Inputs,
    Triple,
    derive,
    gk,
)

#: Above this many input triples written or dropped, or treaties touched, the whole derived
#: graph is recomputed instead (reading closures one by one would cost more).
LIMIT = 5_000

#: Fewer new quads than this are added in one transaction, more with the bulk loader.
SMALL = 10_000

_TREATY_OWN = ("party", "hasArticle", "obligation", "inForceUntil")
_ARTICLE_OWN = ("provision", "obligor", "beneficiary")
_PHASE_OWN = ("memberState", "exitDate", "obligation")
_HAS_ARTICLE, _IN_TREATY, _PARTY = gk("hasArticle"), gk("inTreaty"), gk("party")


@dataclass
class Plan:
    """The treaties a write touches, and what they contributed before it."""

    treaties: set
    before: set[Triple]


def _subjects(store: ox.Store, graphs, predicate, obj) -> set:
    return {q.subject for g in graphs for q in store.quads_for_pattern(None, predicate, obj, g)}


def touched(store: ox.Store, graphs: list[ox.NamedNode], triples: Iterable) -> set:
    """The treaties whose closure ``triples`` (input triples written or removed) belong to,
    looked up in ``graphs`` of ``store`` and in ``triples`` themselves."""
    treaties, articles, phases = set(), set(), set()
    triples = list(triples)
    for t in triples:
        name = PREDICATES.get(t.predicate)
        if name is None or name in _TREATY_OWN:  # rdf:type gk:Treaty, or a treaty's own
            treaties.add(t.subject)
        if name in _ARTICLE_OWN:
            articles.add(t.subject)
        elif name in _PHASE_OWN:
            phases.add(t.subject)
        elif name == "inTreaty":
            treaties.add(t.object)
    for t in triples:
        if t.predicate == _HAS_ARTICLE and t.object in articles:
            treaties.add(t.subject)
        elif t.predicate == _IN_TREATY and t.subject in phases:
            treaties.add(t.object)
    for article in articles:
        treaties |= _subjects(store, graphs, _HAS_ARTICLE, article)
    for phase in phases:
        treaties |= {
            q.object for g in graphs for q in store.quads_for_pattern(phase, _IN_TREATY, None, g)
        }
    return treaties


def closure(store: ox.Store, graphs: list[ox.NamedNode], treaties: set) -> Inputs:
    """The input triples that what ``treaties`` contribute depends on (see the module)."""
    treaties = {t for t in treaties if isinstance(t, ox.NamedNode | ox.BlankNode)}
    inputs = Inputs(only=treaties)
    for g in graphs:
        for t in treaties:
            for name in _TREATY_OWN:
                inputs.add(store.quads_for_pattern(t, gk(name), None, g))
            inputs.add(store.quads_for_pattern(t, RDF_TYPE, TREATY, g))
            inputs.add(store.quads_for_pattern(None, _IN_TREATY, t, g))
    articles = {a for t in treaties for a in inputs["hasArticle"].get(t, ())}
    phases = set(inputs["inTreaty"])
    for g in graphs:
        for subjects, names in ((articles, _ARTICLE_OWN), (phases, _PHASE_OWN)):
            for node in subjects:
                if isinstance(node, ox.NamedNode | ox.BlankNode):
                    for name in names:
                        inputs.add(store.quads_for_pattern(node, gk(name), None, g))
    return inputs


def contributions(store, graphs, treaties: set, today: str) -> set[Triple] | None:
    """What ``treaties`` contribute to the derived graph (None: not mirrored, see derivation)."""
    if not treaties:
        return set()
    return derive(closure(store, graphs, treaties), today)


def plan(store, graphs, written: list, dropped: list, today: str) -> Plan | None:
    """Before a write: the treaties that ``written`` and ``dropped`` (input triples) touch, and
    what they contribute now. None when the write is too large to take this path."""
    if len(written) + len(dropped) > LIMIT:
        return None
    treaties = touched(store, graphs, [*written, *dropped])
    if len(treaties) > LIMIT:
        return None
    before = contributions(store, graphs, treaties, today)
    return None if before is None else Plan(treaties, before)


def apply(store: ox.Store, graphs, derived: ox.NamedNode, plan: Plan, today: str) -> bool:
    """After the write: bring the derived graph in step; False if it must be rebuilt whole."""
    after = contributions(store, graphs, plan.treaties, today)
    if after is None:
        return False
    gone = plan.before - after
    if gone:
        others = _contributors(store, graphs, gone, plan.before) - plan.treaties
        kept = contributions(store, graphs, others, today)
        if kept is None:
            return False
        gone -= kept
    for s, p, o in gone:
        store.remove(ox.Quad(s, p, o, derived))
    new = [q for q in (ox.Quad(s, p, o, derived) for s, p, o in after) if q not in store]
    # a few quads: one transaction (the bulk loader's files cost more below ~10k quads)
    (store.extend if len(new) < SMALL else store.bulk_extend)(new)
    if next(iter(store.quads_for_pattern(None, None, None, derived)), None) is None:
        store.remove_graph(derived)  # absent, not empty: as the full rebuild leaves it
    return True


def _contributors(store, graphs, gone: set[Triple], before: set[Triple]) -> set:
    """The treaties that may also contribute the triples ``gone``: for an edge, those with the
    states as parties; for an obligation node, the treaties with its article (or the treaty
    it was derived from, whose IRI an article may share)."""
    origin: dict = {}
    for s, p, o in before:
        if p in (VIA_ARTICLE, VIA_TREATY):
            origin.setdefault(s, set()).add(o)
    treaties = set()
    for s, p, o in gone:
        if p == ALLIED_WITH or p == BOUND_TO_ASSIST:
            treaties |= _subjects(store, graphs, _PARTY, o)
        else:
            for x in origin.get(s, ()):
                treaties.add(x)
                treaties |= _subjects(store, graphs, _HAS_ARTICLE, x)
    return treaties


__all__ = ["LIMIT", "Plan", "apply", "closure", "plan", "touched"]
