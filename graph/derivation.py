"""The derived graph computed in Python from the triples it reads (the fast path of
:mod:`geokg.graph.derived`).

:func:`~geokg.graph.derived.rebuild_updates` states the derivation as SPARQL Updates; on an
embedded Oxigraph store the same triples are computed here instead: the few predicates the
derivation reads (:data:`INPUT_PREDICATES`, about a seventh of the bench data) are read
straight from the store's indexes, joined in Python with the SPARQL semantics of those
updates (term equality for patterns and ``MINUS``, ``STR``/``SUBSTR`` string comparison for
dates, ``MD5`` of the same strings for the obligation IRIs), and the result is written in
bulk. A store whose values are outside what this path mirrors exactly (a literal as a party
or member state) is left to the SPARQL updates (:func:`derive` returns None).

>>> import pyoxigraph as ox
>>> store, g = ox.Store(), ox.NamedNode("https://example.org/g")
>>> t, art = ox.NamedNode("https://example.org/t"), ox.NamedNode("https://example.org/t-1")
>>> a, b = ox.NamedNode("https://example.org/A"), ox.NamedNode("https://example.org/B")
>>> store.extend([ox.Quad(t, gk("party"), a, g), ox.Quad(t, gk("party"), b, g),
...     ox.Quad(t, gk("hasArticle"), art, g),
...     ox.Quad(art, gk("provision"), ox.NamedNode(PROVISION + "defense"), g)])
>>> triples = derive(read_inputs(store, [g]), "2026-12-01")
>>> sorted(p.value.split("#")[1] for s, p, o in triples if s == a)
['alliedWith', 'boundToAssist']
>>> len(triples)   # two obligation nodes of 5 triples, 2 boundToAssist, 2 alliedWith
14
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

GK = "https://w3id.org/geokg/ontology#"
PROVISION = "https://w3id.org/geokg/id/provision/"
OBLIGATION = "https://w3id.org/geokg/id/obligation/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
TREATY = ox.NamedNode(GK + "Treaty")
OBLIGATION_CLASS = ox.NamedNode(GK + "AssistanceObligation")

#: The predicates the derivation reads (besides ``rdf:type gk:Treaty``): a change that adds or
#: removes none of them, and no ``rdf:type gk:Treaty``, leaves the derived graph as it is.
INPUT_PREDICATES = (
    "provision",
    "hasArticle",
    "party",
    "obligor",
    "beneficiary",
    "obligation",
    "inForceUntil",
    "inTreaty",
    "memberState",
    "exitDate",
)

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Triple = tuple[Term, ox.NamedNode, Term]


def gk(name: str) -> ox.NamedNode:
    return ox.NamedNode(GK + name)


ALLIED_WITH, BOUND_TO_ASSIST = gk("alliedWith"), gk("boundToAssist")
_OBLIGOR, _BENEFICIARY = gk("obligor"), gk("beneficiary")
VIA_TREATY, VIA_ARTICLE = gk("viaTreaty"), gk("viaArticle")
_NODES = (ox.NamedNode, ox.BlankNode)


#: The input predicates as Oxigraph terms (``rdf:type`` too: only ``gk:Treaty`` is kept).
PREDICATES = {ox.NamedNode(GK + name): name for name in INPUT_PREDICATES}


@dataclass
class Inputs:
    """What the derivation reads: for each input predicate, subject -> set of objects."""

    values: dict[str, dict[Term, set[Term]]] = field(default_factory=dict)
    #: The subjects typed ``gk:Treaty``.
    treaties: set[Term] = field(default_factory=set)
    #: Derive only what these treaties contribute (None: every treaty's).
    only: set[Term] | None = None

    def __getitem__(self, predicate: str) -> dict[Term, set[Term]]:
        return self.values.setdefault(predicate, {})

    def add(self, triples: Iterable) -> None:
        """Add triples or quads (any predicate: the others are ignored)."""
        for t in triples:
            name = PREDICATES.get(t.predicate)
            if name is not None:
                self[name].setdefault(t.subject, set()).add(t.object)
            elif t.predicate == RDF_TYPE and t.object == TREATY:
                self.treaties.add(t.subject)


def is_input(triple) -> bool:
    """Whether the derivation reads ``triple`` (a triple or quad)."""
    p = triple.predicate
    return p in PREDICATES or (p == RDF_TYPE and triple.object == TREATY)


def read_inputs(store: ox.Store, graphs: Iterable[ox.NamedNode], into: Inputs | None = None):
    """Read the derivation's input triples from ``graphs`` of ``store`` (merged, as the
    default graph of the SPARQL updates is), into ``into`` or new :class:`Inputs`."""
    inputs = into if into is not None else Inputs()
    for graph in graphs:
        for predicate in PREDICATES:
            inputs.add(store.quads_for_pattern(None, predicate, None, graph))
        inputs.add(store.quads_for_pattern(None, RDF_TYPE, TREATY, graph))
    return inputs


@contextlib.contextmanager
def no_gc():
    """Pause Python's cyclic garbage collector while many small objects that form no cycle
    are made (terms, tuples, sets): its passes over them cost more than the work itself
    (3-4x on the derivation of the 100k bench file)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _str(term) -> str | None:
    """SPARQL's ``STR``: an IRI's or a literal's text; None (an error) for anything else."""
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else None


def _mirrored(inputs: Inputs) -> bool:
    """Whether the values compared with ``!=`` (parties, member states) are all IRIs or blank
    nodes, and the dates all IRIs, literals or blank nodes: the cases mirrored exactly."""
    compared = (v for name in ("party", "memberState") for vs in inputs[name].values() for v in vs)
    dates = (v for name in ("inForceUntil", "exitDate") for vs in inputs[name].values() for v in vs)
    return all(isinstance(v, _NODES) for v in compared) and all(
        isinstance(v, _NODES + (ox.Literal,)) for v in dates
    )


def _reached(value, today: str) -> bool | None:
    """``STR(value) < SUBSTR(today, 1, STRLEN(STR(value)))``: None when STR is an error."""
    text = _str(value)
    return None if text is None else text < today[: len(text)]


def _ended(inputs: Inputs, today: str) -> set[Term]:
    """The treaties with a ``gk:inForceUntil`` before ``today`` (at the date's precision)."""
    return {
        t for t, ends in inputs["inForceUntil"].items() if any(_reached(v, today) for v in ends)
    }


def _former(inputs: Inputs, today: str) -> set[tuple[Term, Term]]:
    """(treaty, state) pairs with member phases none of which is current on ``today``."""
    member, exits = inputs["memberState"], inputs["exitDate"]
    phases, current = set(), set()
    for phase, treaties in inputs["inTreaty"].items():
        pairs = {(t, x) for t in treaties for x in member.get(phase, ())}
        phases |= pairs
        ends = exits.get(phase)
        if not ends or any(_reached(v, today) is False for v in ends):
            current |= pairs
    return phases - current


def _node(*terms) -> ox.NamedNode | None:
    """The obligation IRI of the SPARQL ``BIND`` (MD5 of the terms' STR, space-separated)."""
    texts = [_str(t) for t in terms]
    if None in texts:
        return None
    return ox.NamedNode(OBLIGATION + hashlib.md5(" ".join(texts).encode("utf-8")).hexdigest())


def _obligations(inputs: Inputs, treaties_of: dict, defence: set) -> tuple[set[Triple], set]:
    """The obligation nodes (of defence articles, and of treaties coded without articles), and
    the (obligor, beneficiary, treaty) of each."""
    party, provision = inputs["party"], inputs["provision"]
    obligors, beneficiaries = inputs["obligor"], inputs["beneficiary"]
    out: set[Triple] = set()
    bindings: set = set()

    def add(node, a, b, t, art=None) -> None:
        bindings.add((a, b, t))
        out.update(
            ((node, RDF_TYPE, OBLIGATION_CLASS), (node, _OBLIGOR, a), (node, _BENEFICIARY, b))
        )
        out.add((node, VIA_TREATY, t))
        if art is not None:
            out.add((node, VIA_ARTICLE, art))

    for art, provisions in provision.items():
        if not provisions & defence:
            continue
        only_obligors, only_beneficiaries = obligors.get(art), beneficiaries.get(art)
        for t in treaties_of.get(art, ()):
            parties = party.get(t, ())
            for a in parties:
                if only_obligors and a not in only_obligors:
                    continue
                for b in parties:
                    if a != b and (not only_beneficiaries or b in only_beneficiaries):
                        node = _node(art, a, b)
                        if node is not None:
                            add(node, a, b, t, art)
    with_article = {t for art, ts in treaty_articles(treaties_of, provision, defence) for t in ts}
    phase_obliged, bound_members = _phases(inputs, defence)
    for t, provisions in inputs["obligation"].items():
        if not provisions & defence or t not in inputs.treaties or t in with_article:
            continue
        if inputs.only is not None and t not in inputs.only:
            continue
        parties = party.get(t, set())
        bound = (set() if t in phase_obliged else parties) | bound_members.get(t, set())
        for a in bound:
            for b in parties:
                if a != b:
                    node = _node(t, a, b)
                    if node is not None:
                        add(node, a, b, t)
    return out, bindings


def treaty_articles(treaties_of: dict, provision: dict, provisions: set):
    """(article, its treaties) for the articles with one of ``provisions``."""
    for art, values in provision.items():
        if values & provisions:
            yield art, treaties_of.get(art, ())


def _phases(inputs: Inputs, defence: set) -> tuple[set, dict]:
    """The treaties whose member phases carry any obligation, and per treaty the member states
    whose phase carries a defence obligation."""
    obligation, member = inputs["obligation"], inputs["memberState"]
    obliged, members = set(), defaultdict(set)
    for phase, treaties in inputs["inTreaty"].items():
        values = obligation.get(phase)
        if not values:
            continue
        obliged |= treaties
        if values & defence:
            for t in treaties:
                members[t] |= member.get(phase, set())
    return obliged, members


def _bound(bindings: set, ended: set, former: set) -> set[Triple]:
    """``A gk:boundToAssist B`` for every obligation of a treaty not ended, neither party former.

    An obligation node has one obligor and one beneficiary (its IRI is the MD5 of the article
    or treaty and the two parties' IRIs, which hold no space), so its (obligor, beneficiary,
    treaty) combinations are those it was made with."""
    return {
        (a, BOUND_TO_ASSIST, b)
        for a, b, t in bindings
        if t not in ended and (t, a) not in former and (t, b) not in former
    }


def _allied(inputs: Inputs, treaties_of: dict, ended: set, former: set, alliance: set) -> set:
    """``A gk:alliedWith B`` between current parties of a treaty not ended with an alliance
    provision (in an article, or treaty-level on a ``gk:Treaty``)."""
    treaties = {
        t for _, ts in treaty_articles(treaties_of, inputs["provision"], alliance) for t in ts
    }
    treaties |= {
        t
        for t, values in inputs["obligation"].items()
        if values & alliance and t in inputs.treaties
    }
    if inputs.only is not None:
        treaties &= inputs.only
    out = set()
    for t in treaties - ended:
        parties = [a for a in inputs["party"].get(t, ()) if (t, a) not in former]
        out.update((a, ALLIED_WITH, b) for a in parties for b in parties if a != b)
    return out


def derive(
    inputs: Inputs,
    today: str,
    *,
    defence: Iterable[str] = ("defense",),
    alliance: Iterable[str] = (
        "defense",
        "offense",
        "neutrality",
        "non-aggression",
        "consultation",
    ),
) -> set[Triple] | None:
    """The derived triples, as :func:`~geokg.graph.derived.rebuild_updates` makes them;
    None when ``inputs`` hold values this path does not mirror (see the module)."""
    if not _mirrored(inputs):
        return None
    defence = {ox.NamedNode(PROVISION + n) for n in defence}
    alliance = {ox.NamedNode(PROVISION + n) for n in alliance}
    treaties_of: dict[Term, set[Term]] = defaultdict(set)
    for t, articles in inputs["hasArticle"].items():
        if inputs.only is not None and t not in inputs.only:
            continue
        for art in articles:
            treaties_of[art].add(t)
    ended, former = _ended(inputs, today), _former(inputs, today)
    obligations, bindings = _obligations(inputs, treaties_of, defence)
    bound = _bound(bindings, ended, former)
    return obligations | bound | _allied(inputs, treaties_of, ended, former, alliance)


__all__ = ["INPUT_PREDICATES", "Inputs", "derive", "is_input", "no_gc", "read_inputs"]
