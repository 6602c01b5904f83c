"""Obligation cascades: who is drawn in, round by round, if a state is attacked.

Run in networkx on the projected obligation graph (never as property paths in the
store). Round 1: the states bound to assist the attacked state; round 2: the states
bound to assist those, and so on. Each state drawn in carries the chain of articles
that binds it (treaty, article number, the article's words as quoted by a source).

>>> import geokg
>>> kg = geokg.open_store(None)
>>> c = obligation_cascade(kg, attacked="RUS", as_of="2025-01-15")
>>> [(e.round, e.iso, e.article_number) for e in c.entries]
[(1, 'PRK', 4), (2, 'CHN', 2)]

An attack on a place is an attack on the state it lies in:

>>> obligation_cascade(kg, attacked="https://w3id.org/geokg/id/place/kursk-oblast",
...                    as_of="2025-01-15").attacked_iso
'RUS'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from .errors import GeokgError
from .projection import Date, actor_iri, date_text, obligation_graph
from .store import KnowledgeGraph

PLACE = "https://w3id.org/geokg/id/place/"


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

    def __str__(self) -> str:
        number = (
            f"article {self.article_number}"
            if self.article_number is not None
            else "treaty-level obligation"
        )
        return f"{self.obligor_label} → {self.beneficiary_label} ({number}, {self.treaty_label})"


@dataclass
class Entry:
    """A state drawn in: the round, and the chain of obligations from the attacked state."""

    round: int
    state: str
    iso: str | None
    label: str
    chain: list[Link]
    also_bound_to_attacker: bool = False

    @property
    def link(self) -> Link:
        """The obligation that draws this state in (the last link of the chain)."""
        return self.chain[-1]

    @property
    def treaty_label(self) -> str:
        return self.link.treaty_label

    @property
    def article_number(self) -> int | None:
        return self.link.article_number


@dataclass
class Cascade:
    """The result of :func:`obligation_cascade`."""

    attacked: str
    attacked_iso: str | None
    attacked_label: str
    attacker: str | None
    as_of: str
    entries: list[Entry] = field(default_factory=list)
    graph: nx.MultiDiGraph | None = None

    @property
    def rounds(self) -> list[list[Entry]]:
        """The entries grouped by round (round 1 first)."""
        count = max((e.round for e in self.entries), default=0)
        return [[e for e in self.entries if e.round == r] for r in range(1, count + 1)]

    def states(self) -> list[str]:
        """The IRIs of the states drawn in, in order."""
        return [e.state for e in self.entries]

    def to_dataframe(self) -> pd.DataFrame:
        """One row per state drawn in: round, state, iso, label, bound_to, treaty,
        article_number, quote, chain (readable), also_bound_to_attacker."""
        rows = [
            {
                "round": e.round,
                "state": e.state,
                "iso": e.iso,
                "label": e.label,
                "bound_to": e.link.beneficiary_label,
                "treaty": e.link.treaty_label,
                "article_number": e.link.article_number,
                "quote": e.link.quote,
                "chain": " ; ".join(str(link) for link in e.chain),
                "also_bound_to_attacker": e.also_bound_to_attacker,
            }
            for e in self.entries
        ]
        columns = ["round", "state", "iso", "label", "bound_to", "treaty", "article_number"]
        return pd.DataFrame(rows, columns=columns + ["quote", "chain", "also_bound_to_attacker"])

    def __str__(self) -> str:
        lines = [f"Attack on {self.attacked_label} (as of {self.as_of}):"]
        for number, entries in enumerate(self.rounds, 1):
            for e in entries:
                lines.append(f"  round {number}: {e.label} via {' ; '.join(map(str, e.chain))}")
        return "\n".join(lines)


def resolve_attacked(kg: KnowledgeGraph, attacked: str) -> str:
    """The state attacked: a state (IRI or ISO code), or the state a place lies in.

    A place is given by IRI or by its slug under ``id/place/`` (``"kursk-oblast"``).
    """
    text = str(attacked).strip()
    if not text.startswith(("http://", "https://")) and len(text) != 3:
        text = PLACE + text
    iri = actor_iri(text)
    if kg.query(f"ASK {{ <{iri}> a gk:State }}", prefixes=True):
        return iri
    rows = kg.query(
        f"SELECT DISTINCT ?s WHERE {{ <{iri}> gk:locatedIn+ ?s . ?s a gk:State }} ORDER BY ?s",
        prefixes=True,
    )
    if len(rows):
        return str(rows[0][0])
    if text.startswith(PLACE):
        raise GeokgError(f"{attacked!r}: neither a state nor a place located in a state")
    return iri


def obligation_cascade(
    kg: KnowledgeGraph,
    attacked: str,
    attacker: str | None = None,
    as_of: Date = None,
    *,
    max_rounds: int = 10,
    graph: nx.MultiDiGraph | None = None,
) -> Cascade:
    """The states drawn in, round by round, if ``attacked`` is attacked (by ``attacker``).

    ``attacked``: a state (ISO code or IRI) or a place (IRI, or slug such as
    ``"kursk-oblast"``) in a state. ``as_of``: the date of the treaties in force
    (default: today). The attacker is never drawn in on the attacked side; a state
    also bound to assist the attacker is flagged (``also_bound_to_attacker``).
    ``graph``: a precomputed :func:`obligation_graph` to reuse.
    """
    day = date_text(as_of) or dt.date.today().isoformat()
    target = resolve_attacked(kg, attacked)
    enemy = actor_iri(attacker) if attacker else None
    g = graph if graph is not None else obligation_graph(kg, as_of=day)
    label = _label(kg, g, target)
    cascade = Cascade(
        attacked=target,
        attacked_iso=g.nodes[target].get("iso") if target in g else _iso(target),
        attacked_label=label,
        attacker=enemy,
        as_of=day,
        graph=g,
    )
    if target not in g:
        return cascade
    chains: dict[str, list[Link]] = {target: []}
    frontier = [target]
    for number in range(1, max_rounds + 1):
        drawn: dict[str, list[Link]] = {}
        for beneficiary in frontier:
            for obligor, _, data in sorted(g.in_edges(beneficiary, data=True), key=_order):
                if obligor in chains or obligor == enemy or obligor in drawn:
                    continue
                link = Link(
                    obligor=obligor,
                    beneficiary=beneficiary,
                    obligor_label=g.nodes[obligor].get("label") or obligor,
                    beneficiary_label=g.nodes[beneficiary].get("label") or beneficiary,
                    treaty=data["treaty"],
                    treaty_label=data["treaty_label"],
                    article=data["article"],
                    article_number=data.get("article_number"),
                    quote=data.get("quote"),
                )
                drawn[obligor] = chains[beneficiary] + [link]
        if not drawn:
            break
        for state in sorted(drawn, key=lambda s: g.nodes[s].get("label") or s):
            chains[state] = drawn[state]
            cascade.entries.append(
                Entry(
                    round=number,
                    state=state,
                    iso=g.nodes[state].get("iso"),
                    label=g.nodes[state].get("label") or state,
                    chain=drawn[state],
                    also_bound_to_attacker=bool(enemy and g.has_edge(state, enemy)),
                )
            )
        frontier = sorted(drawn)
    return cascade


def _order(edge) -> tuple:
    obligor, _, data = edge
    return (obligor, data.get("treaty") or "", data.get("article_number") or 0)


def _iso(iri: str) -> str | None:
    tail = iri.rsplit("/", 1)[-1]
    return tail if "/state/" in iri else None


def _label(kg: KnowledgeGraph, g: nx.Graph, iri: str) -> str:
    if iri in g and g.nodes[iri].get("label"):
        return g.nodes[iri]["label"]
    rows = kg.query(
        f'SELECT ?l WHERE {{ <{iri}> rdfs:label ?l FILTER(langMatches(lang(?l), "en")) }}',
        prefixes=True,
    )
    return str(rows[0][0]) if len(rows) else iri.rsplit("/", 1)[-1]


__all__ = ["Cascade", "Entry", "Link", "obligation_cascade", "resolve_attacked"]
