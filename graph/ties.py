"""The kind of each tie between states, in words: what the treaty binds them to.

A tie is named after the alliance provisions of the treaty (ATOP's five types, from its
articles' ``gk:provision`` or, for an imported treaty, its ``gk:obligation``): a *defence
pact* (assistance if attacked), an *offence pact* (support in a conflict not begun by an
attack on the ally), a *neutrality pact*, a *non-aggression pact*, a *consultation pact*;
never a blanket "allied with".

>>> tie_words(["consultation", "defense"])
'defence pact, consultation pact'
>>> import geokg
>>> [(t["partner_label"], t["words"]) for t in ties(geokg.open_store(None), "PRK", "2025-01-15")]
[('China', 'defence pact'), ('Russia', 'defence pact')]
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .derived import ALLIANCE_PROVISIONS
from .projection import (
    PROVISION_ORDER,
    Date,
    actor_iri,
    date_text,
    in_force_filter,
    member_on,
    phases_branch,
)

if TYPE_CHECKING:
    from .store import KnowledgeGraph

#: How each alliance provision names a tie.
TIE_WORDS = {
    "defense": "defence pact",
    "offense": "offence pact",
    "neutrality": "neutrality pact",
    "non-aggression": "non-aggression pact",
    "consultation": "consultation pact",
}
PROVISION = "https://w3id.org/geokg/id/provision/"


def tie_words(provisions) -> str:
    """The kinds of tie of a treaty's provisions, strongest first (alliance provisions only)."""
    kinds = [p for p in PROVISION_ORDER if p in set(provisions) and p in TIE_WORDS]
    return ", ".join(TIE_WORDS[k] for k in kinds)


def ties(kg: KnowledgeGraph, actor: str, as_of: Date = None) -> list[dict]:
    """``actor``'s treaty ties on ``as_of`` (default: today): one dict per (partner, treaty)
    with ``partner``, ``partner_label``, ``treaty``, ``treaty_label``, ``provisions`` and
    ``words`` (e.g. ``"defence pact, consultation pact"``), sorted by partner then treaty.
    A treaty counts when it is in force and both are members on the date (member phases)."""
    iri = actor_iri(actor)
    day = date_text(as_of) or dt.date.today().isoformat()
    values = " ".join(f"<{PROVISION}{p}>" for p in ALLIANCE_PROVISIONS)
    rows = kg.query(
        f"""SELECT * WHERE {{
  {{ SELECT ?t ?partner (SAMPLE(?pl) AS ?plabel) (SAMPLE(?tl0) AS ?tlabel)
           (GROUP_CONCAT(DISTINCT STR(?p); separator=" ") AS ?kinds) WHERE {{
      ?t gk:party <{iri}> , ?partner . FILTER(?partner != <{iri}>)
      VALUES ?p {{ {values} }}
      {{ ?t gk:hasArticle/gk:provision ?p }} UNION {{ ?t gk:obligation ?p ; a gk:Treaty }}
      OPTIONAL {{ ?t gk:signedOn ?s }} OPTIONAL {{ ?t gk:inForceFrom ?f0 }}
      OPTIONAL {{ ?t gk:inForceUntil ?u }} BIND(COALESCE(?f0, ?s) AS ?f)
      {in_force_filter(day, "?f", "?u")}
      OPTIONAL {{ ?partner rdfs:label ?pl FILTER(langMatches(lang(?pl), "en")) }}
      OPTIONAL {{ ?t rdfs:label ?tl0 FILTER(langMatches(lang(?tl0), "en")) }}
    }} GROUP BY ?t ?partner }}
  {phases_branch(day)}
}}""",
        prefixes=True,
    )
    phases: dict = {}
    found = []
    for row in rows.to_dicts():
        if row.get("phase") is not None:
            key = (str(row["ptreaty"]), str(row["pmember"]))
            phases.setdefault(key, []).append((_text(row.get("pentry")), _text(row.get("pexit"))))
        else:
            found.append(row)
    out = []
    for row in found:
        treaty, partner = str(row["t"]), str(row["partner"])
        if not (member_on(day, phases, treaty, iri) and member_on(day, phases, treaty, partner)):
            continue
        provisions = [k.rsplit("/", 1)[-1] for k in str(row["kinds"]).split()]
        out.append(
            {
                "partner": partner,
                "partner_label": _text(row.get("plabel")) or partner.rsplit("/", 1)[-1],
                "treaty": treaty,
                "treaty_label": _text(row.get("tlabel")) or treaty.rsplit("/", 1)[-1],
                "provisions": provisions,
                "words": tie_words(provisions),
            }
        )
    return sorted(out, key=lambda t: (t["partner_label"], t["treaty_label"]))


def _text(value) -> str | None:
    return None if value is None else str(value)


__all__ = ["TIE_WORDS", "tie_words", "ties"]
