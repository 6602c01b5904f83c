"""Obligation cascades: which states a treaty binds to come in if a state is attacked.

**Semantics** (the sentence to cite): *a state is drawn in when a defence obligation in force
on the date binds it to assist a state that suffers an armed attack — the attacked state
itself; a state that joins the war is not thereby attacked, so by default the cascade stops
after this first round; an obligation that ATOP codes as conditional is not drawn in when
its coded condition is not met (a named adversary other than the attacker, or more than one
attacker required when one is named), and a state bound to assist both the attacked state
and the attacker is flagged, not drawn in on either side.*

This follows how the treaties word their trigger and how ATOP codes it. ATOP's ``defense``
codes a promise of active military support if an ally is attacked; ``offense`` (support in
a conflict the ally did not suffer as an attack) is not triggered by an attack and draws no
one in. The curated articles say the same: Article 4 of the 2024
Russia–DPRK treaty binds a party "si l'une des deux parties est mise en état de guerre par
l'invasion armée d'un État ou de plusieurs États", Article 2 of the 1961 China–DPRK treaty
when a party is "subjected to armed attack", Article 5 of the North Atlantic Treaty on "an
armed attack against one or more of them". North Korea sending troops to Russia is not an
armed attack on North Korea, so China is not drawn in by it.

Escalation is a hypothesis, asked for with ``escalate=True``: round 2 assumes that the
attacker's side attacks each state drawn in at round 1, and so on; every entry beyond round
1 carries the assumptions it rests on (``"if the attacker's side attacks North Korea"``).

Conditions come from ATOP's member-level columns, kept by the importer on each member phase
(``gk:conditionalObligation`` for ``defcon``; ``gk:defenceCondition`` for ``defcoadv``
specific adversary, ``defcoloc`` location, ``defcocon`` specific conflict, ``defconum``
number of attackers, ``defcodem`` non-compliance with demands, ``defconpr``
non-provocation; ``gk:namedThreat`` for the states of ``statthr1``/``statthr2``). ATOP flags
each kind without saying whether several are alternatives (the Triple Alliance of 1882:
an attack by France, *or* by two or more Great Powers) or cumulative, so one condition met
is enough; a condition the data cannot decide (location, specific conflict, demands,
non-provocation, or a named adversary when no attacker is given) is no bar: the state is
drawn in and its entry lists the condition, "not judged". Only conditions shown unmet
put an obligation apart (:attr:`Cascade.conditional`).

>>> import geokg
>>> kg = geokg.open_store(None)
>>> c = obligation_cascade(kg, attacked="Kursk", as_of="2025-01-15")
>>> [(e.round, e.iso, e.article_number) for e in c.entries]
[(1, 'PRK', 4)]
>>> e = obligation_cascade(kg, attacked="Russie", as_of="2025-01-15", escalate=True)
>>> [(x.round, x.iso, x.assumption) for x in e.entries]
[(1, 'PRK', None), (2, 'CHN', "if the attacker's side attacks North Korea")]
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from .errors import GeokgError
from .names import resolve_state
from .projection import Date, date_text, obligation_graph
from .store import KnowledgeGraph

#: The ATOP column of each kind of condition (for the wording).
CONDITION_COLUMNS = {
    "specific-adversary": "defcoadv",
    "location": "defcoloc",
    "specific-conflict": "defcocon",
    "number-of-attackers": "defconum",
    "non-compliance-with-demands": "defcodem",
    "non-provocation": "defconpr",
    "unspecified": "defcon",
}
#: How the conditions the data cannot decide are worded.
CONDITION_WORDS = {
    "location": "the location of the conflict",
    "specific-conflict": "a specific conflict",
    "non-compliance-with-demands": "the adversary's non-compliance with demands",
    "non-provocation": "non-provocation by the party attacked",
}
MET, NOT_MET, NOT_JUDGED = "met", "not met", "not judged"


@dataclass
class Condition:
    """A coded condition on an obligation, judged against the scenario."""

    kind: str
    status: str  # "met", "not met" or "not judged"
    detail: str

    def __str__(self) -> str:
        return f"{self.detail} ({self.status})"


@dataclass
class Link:
    """One obligation: ``obligor`` must assist ``beneficiary`` by ``treaty``'s ``article``."""

    obligor: str
    beneficiary: str
    obligor_label: str
    beneficiary_label: str
    treaty: str
    treaty_label: str
    article: str | None
    article_number: int | None
    quote: str | None
    conditions: list[Condition] = field(default_factory=list)

    @property
    def triggered(self) -> bool:
        """Unconditional, or one condition met, or none shown unmet."""
        statuses = {c.status for c in self.conditions}
        return MET in statuses or NOT_MET not in statuses

    def __str__(self) -> str:
        number = (
            f"article {self.article_number}"
            if self.article_number is not None
            else "treaty-level obligation"
        )
        return f"{self.obligor_label} → {self.beneficiary_label} ({number}, {self.treaty_label})"


@dataclass
class Entry:
    """A state reached by the cascade: the round, the chain of obligations from the attacked
    state, the assumptions it rests on (one per round beyond the first), and ``status``:
    ``"drawn in"``, ``"conditional"`` (its obligation's condition is not met: not drawn in)
    or ``"both sides"`` (also bound to assist the attacker: flagged, not drawn in)."""

    round: int
    state: str
    iso: str | None
    label: str
    chain: list[Link]
    assumptions: list[str] = field(default_factory=list)
    status: str = "drawn in"
    to_attacker: list[Link] = field(default_factory=list)  # for "both sides"
    others: list[Link] = field(default_factory=list)  # further obligations that reach it

    @property
    def link(self) -> Link:
        """The obligation that reaches this state (the last link of the chain)."""
        return self.chain[-1]

    @property
    def treaty_label(self) -> str:
        return self.link.treaty_label

    @property
    def article_number(self) -> int | None:
        return self.link.article_number

    @property
    def conditions(self) -> list[Condition]:
        return self.link.conditions

    @property
    def assumption(self) -> str | None:
        """The assumption of this entry's own round (None at round 1)."""
        return self.assumptions[-1] if self.assumptions else None

    @property
    def also_bound_to_attacker(self) -> bool:
        return self.status == "both sides"


@dataclass
class Cascade:
    """The result of :func:`obligation_cascade`: ``entries`` (drawn in), ``conditional`` and
    ``both_sides`` (listed apart, not drawn in)."""

    attacked: str
    attacked_iso: str | None
    attacked_label: str
    attacker: str | None
    attacker_label: str | None
    as_of: str
    attacker_iso: str | None = None
    escalate: bool = False
    entries: list[Entry] = field(default_factory=list)
    conditional: list[Entry] = field(default_factory=list)
    both_sides: list[Entry] = field(default_factory=list)
    graph: nx.MultiDiGraph | None = None

    @property
    def rounds(self) -> list[list[Entry]]:
        """The states drawn in, grouped by round (round 1 first)."""
        count = max((e.round for e in self.entries), default=0)
        return [[e for e in self.entries if e.round == r] for r in range(1, count + 1)]

    def states(self) -> list[str]:
        """The IRIs of the states drawn in, in order."""
        return [e.state for e in self.entries]

    def to_dataframe(self, apart: bool = False) -> pd.DataFrame:
        """One row per state drawn in (with ``apart=True``, also those listed apart): status,
        round, state, iso, label, bound_to, treaty, article_number, quote, conditions,
        assumption, chain (readable)."""
        rows = [
            {
                "status": e.status,
                "round": e.round,
                "state": e.state,
                "iso": e.iso,
                "label": e.label,
                "bound_to": e.link.beneficiary_label,
                "treaty": e.link.treaty_label,
                "article_number": e.link.article_number,
                "quote": e.link.quote,
                "conditions": "; ".join(map(str, e.conditions)),
                "assumption": "; ".join(e.assumptions),
                "chain": " ; ".join(str(link) for link in e.chain),
            }
            for e in self.entries + ((self.conditional + self.both_sides) if apart else [])
        ]
        columns = ["status", "round", "state", "iso", "label", "bound_to", "treaty"]
        columns += ["article_number", "quote", "conditions", "assumption", "chain"]
        return pd.DataFrame(rows, columns=columns)

    def __str__(self) -> str:
        by = f" by {self.attacker_label}" if self.attacker_label else ""
        lines = [f"Armed attack on {self.attacked_label}{by} (as of {self.as_of}):"]
        for e in self.entries:
            lines.append(f"  round {e.round}: {e.label} via {' ; '.join(map(str, e.chain))}")
            if e.assumption:
                lines.append(f"    assuming: {'; '.join(e.assumptions)}")
            lines += [f"    condition: {c}" for c in e.conditions]
        for e in self.conditional:
            reasons = "; ".join(str(c) for link in [e.link, *e.others] for c in link.conditions)
            lines.append(f"  conditional, not drawn in: {e.label} via {e.link} — {reasons}")
        for e in self.both_sides:
            lines.append(
                f"  bound to both sides, not drawn in: {e.label} via {e.link} and "
                f"{' ; '.join(map(str, e.to_attacker))}"
            )
        if not self.escalate:
            lines.append("  (round 1 only: escalate=True assumes the war spreads)")
        return "\n".join(lines)


def obligation_cascade(
    kg: KnowledgeGraph,
    attacked: str,
    attacker: str | None = None,
    as_of: Date = None,
    *,
    escalate: bool = False,
    max_rounds: int = 10,
    graph: nx.MultiDiGraph | None = None,
) -> Cascade:
    """The states that defence obligations draw in if ``attacked`` suffers an armed attack
    (by ``attacker``): round 1 by default, further rounds with ``escalate=True``, each
    labelled with its assumption. See the module docstring for the semantics.

    ``attacked``, ``attacker``: a state or a place in a state, by ISO code, IRI, place slug
    (``"kursk-oblast"``) or name in English or French (``"Russie"``, ``"Kursk"``).
    ``as_of``: the date of the treaties in force (default: today). ``graph``: a
    precomputed :func:`obligation_graph` for that date, to reuse.
    """
    day = date_text(as_of) or dt.date.today().isoformat()
    target = resolve_state(kg, attacked)
    enemy = resolve_state(kg, attacker) if attacker else None
    if enemy == target:
        raise GeokgError(f"{attacker!r} and {attacked!r} are the same state")
    g = graph if graph is not None else obligation_graph(kg, as_of=day)
    facts = _facts(kg, g, [target, enemy])
    cascade = Cascade(
        attacked=target,
        attacked_iso=facts.iso(target),
        attacked_label=facts.label(target),
        attacker=enemy,
        attacker_label=facts.label(enemy) if enemy else None,
        attacker_iso=facts.iso(enemy) if enemy else None,
        as_of=day,
        escalate=escalate,
        graph=g,
    )
    if target not in g:
        return cascade
    judge = _Judge(g, enemy, facts)
    reached: dict[str, Entry] = {}
    chains: dict[str, list[Link]] = {target: []}
    assumed: dict[str, list[str]] = {target: []}
    frontier = [target]
    for number in range(1, (max_rounds if escalate else 1) + 1):
        candidates: dict[str, list[Link]] = defaultdict(list)
        for beneficiary in frontier:
            for obligor, _, data in sorted(g.in_edges(beneficiary, data=True), key=_order):
                if obligor not in chains and obligor != enemy:
                    candidates[obligor].append(judge.link(obligor, beneficiary, data))
        drawn = []
        for state in sorted(candidates, key=lambda s: (str(facts.label(s)), s)):
            links = sorted(candidates[state], key=lambda x: (not x.triggered, bool(x.conditions)))
            first = links[0]
            entry = Entry(
                round=number,
                state=state,
                iso=facts.iso(state),
                label=facts.label(state),
                chain=chains[first.beneficiary] + [first],
                assumptions=assumed[first.beneficiary] + judge.assumption(first, number),
                others=links[1:],
            )
            if not first.triggered:
                entry.status = "conditional"
            elif enemy and g.has_edge(state, enemy):
                entry.status = "both sides"
                entry.to_attacker = [judge.link(state, enemy, d) for d in _edges(g, state, enemy)]
            if entry.status == "drawn in" or state not in reached:
                reached[state] = entry
            if entry.status == "drawn in":
                chains[state], assumed[state] = entry.chain, entry.assumptions
                drawn.append(state)
        if not drawn:
            break
        frontier = drawn
    for entry in sorted(reached.values(), key=lambda e: (e.round, str(e.label), e.state)):
        if entry.status == "drawn in":
            cascade.entries.append(entry)
        elif entry.status == "conditional":
            cascade.conditional.append(entry)
        else:
            cascade.both_sides.append(entry)
    return cascade


class _Facts:
    """Labels, ISO codes and COW codes of the actors a cascade names."""

    def __init__(self, g: nx.Graph, rows: dict[str, dict]):
        self.g, self.rows = g, rows

    def label(self, iri: str) -> str:
        if iri in self.g and self.g.nodes[iri].get("label"):
            return self.g.nodes[iri]["label"]
        return self.rows.get(iri, {}).get("label") or iri.rsplit("/", 1)[-1]

    def iso(self, iri: str) -> str | None:
        if iri in self.g and self.g.nodes[iri].get("iso"):
            return self.g.nodes[iri]["iso"]
        return self.rows.get(iri, {}).get("iso")

    def cow(self, iri: str) -> str | None:
        return self.rows.get(iri, {}).get("cow")


def _facts(kg: KnowledgeGraph, g: nx.Graph, extra) -> _Facts:
    """Labels and codes of ``extra`` and of every named threat on ``g``'s edges."""
    iris = {i for i in extra if i}
    for *_, data in g.edges(data=True):
        iris.update((data.get("conditions") or {}).get("threats", ()))
    rows: dict[str, dict] = {}
    if iris:
        values = " ".join(f"<{i}>" for i in sorted(iris))
        found = kg.query(
            f"""SELECT ?s (SAMPLE(?en) AS ?l) (SAMPLE(?i) AS ?iso) (SAMPLE(?c) AS ?cow) WHERE {{
              VALUES ?s {{ {values} }}
              OPTIONAL {{ ?s rdfs:label ?en FILTER(langMatches(lang(?en), "en")) }}
              OPTIONAL {{ ?s gk:isoAlpha3 ?i }} OPTIONAL {{ ?s gk:cowCode ?c }}
            }} GROUP BY ?s""",
            prefixes=True,
        )
        for s, label, iso, cow in found:
            rows[str(s)] = {
                "label": str(label) if label is not None else None,
                "iso": str(iso) if iso is not None else None,
                "cow": str(cow) if cow is not None else None,
            }
    return _Facts(g, rows)


class _Judge:
    """Makes :class:`Link` objects from obligation edges, with their conditions judged
    against the scenario (the attacker), and words the assumption of each round."""

    def __init__(self, g: nx.Graph, enemy: str | None, facts: _Facts):
        self.g, self.enemy, self.facts = g, enemy, facts
        self.enemy_label = facts.label(enemy) if enemy else None

    def link(self, obligor: str, beneficiary: str, data: dict) -> Link:
        return Link(
            obligor=obligor,
            beneficiary=beneficiary,
            obligor_label=self.facts.label(obligor),
            beneficiary_label=self.facts.label(beneficiary),
            treaty=data["treaty"],
            treaty_label=data["treaty_label"],
            article=data.get("article"),
            article_number=data.get("article_number"),
            quote=data.get("quote"),
            conditions=self.conditions(data.get("conditions")),
        )

    def assumption(self, link: Link, number: int) -> list[str]:
        if number == 1:
            return []
        return [f"if the attacker's side attacks {link.beneficiary_label}"]

    def conditions(self, coded: dict | None) -> list[Condition]:
        if not coded:
            return []
        return [self._judge(kind, coded) for kind in coded.get("kinds") or ["unspecified"]]

    def _judge(self, kind: str, coded: dict) -> Condition:
        column = CONDITION_COLUMNS.get(kind, kind)
        if kind == "specific-adversary":
            return self._adversary(coded)
        if kind == "number-of-attackers":
            text = f"only if attacked by more than one state (ATOP {column})"
            if self.enemy:
                return Condition(kind, NOT_MET, f"{text}; one attacker is named")
            return Condition(kind, NOT_JUDGED, text)
        if kind == "unspecified":
            text = "conditional, the condition not coded further (ATOP defcon)"
            return Condition(kind, NOT_JUDGED, text)
        words = CONDITION_WORDS.get(kind, kind.replace("-", " "))
        return Condition(kind, NOT_JUDGED, f"conditional on {words} (ATOP {column})")

    def _adversary(self, coded: dict) -> Condition:
        kind = "specific-adversary"
        threats = list(coded.get("threats") or [])
        codes = set(coded.get("threat_codes") or [])
        named = {self.facts.cow(t) for t in threats}
        names = [self.facts.label(t) for t in threats]
        names += [f"COW {c}" for c in sorted(codes - named)]
        if not names:
            text = "only against a specific adversary, whom ATOP does not name (defcoadv)"
            return Condition(kind, NOT_JUDGED, text)
        text = f"only against {' or '.join(names)} (ATOP defcoadv, statthr)"
        if not self.enemy:
            return Condition(kind, NOT_JUDGED, text + "; no attacker is given")
        if self.enemy in threats or self.facts.cow(self.enemy) in codes:
            return Condition(kind, MET, text)
        return Condition(kind, NOT_MET, f"{text}, not {self.enemy_label}")


def _edges(g: nx.MultiDiGraph, a: str, b: str) -> list[dict]:
    return [d for _, d in sorted(g.get_edge_data(a, b).items())]


def _order(edge) -> tuple:
    obligor, _, data = edge
    return (str(obligor), str(data.get("treaty") or ""), mixed_key(data.get("article_number")))


def mixed_key(value) -> tuple:
    """A sort key for values of mixed types (an article "4bis" among 4 and 5): None, numbers, text.

    >>> sorted([5, "4bis", None, 4.5], key=mixed_key)
    [None, 4.5, 5, '4bis']
    """
    if value is None:
        return (0, 0, "")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (1, value, "")
    return (2, 0, str(value))


__all__ = ["Cascade", "Condition", "Entry", "Link", "obligation_cascade"]
