"""Project the knowledge graph to networkx: alliances, obligations, deployments, any CONSTRUCT.

Each projection is one SPARQL query through the store interface (the engine does the
joins), turned into a networkx graph whose nodes are IRIs (strings) with readable
attributes. Only the core vocabulary is asked for (``gk:Treaty``, ``gk:party``,
``gk:hasArticle``, ``gk:provision`` …), so any data set that uses it (the curated
knowledge base, an ATOP import) is projected the same way.

>>> import geokg
>>> kg = geokg.open_store(None)
>>> g = alliance_graph(kg, as_of="2024-12-31")
>>> g.has_edge(geokg.STATE_IRI("RUS"), geokg.STATE_IRI("PRK"))
True
>>> o = obligation_graph(kg, as_of="2024-12-31")
>>> edges = o.get_edge_data(geokg.STATE_IRI("PRK"), geokg.STATE_IRI("RUS"))
>>> [(d["article_number"], d["in_force_from"]) for d in edges.values()]
[(4, '2024-12-04')]
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import pandas as pd
from rdflib import Literal, URIRef

from .derived import ALLIANCE_PROVISIONS
from .errors import GeokgError
from .namespaces import DERIVED_GRAPH, STATE
from .patterns import claim_fields

if TYPE_CHECKING:
    from .store import KnowledgeGraph

Date = str | dt.date | None
#: Provision types, strongest first (an edge is coloured by its strongest provision).
PROVISION_ORDER = (
    "defense",
    "offense",
    "neutrality",
    "non-aggression",
    "consultation",
    "military-cooperation",
    "technology-cooperation",
    "economic-cooperation",
)
_KINDS = (
    "State",
    "InternationalOrganization",
    "GovernmentAgency",
    "Organization",
    "Person",
    "Place",
)
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_WORD = re.compile(r"^[a-z][a-z0-9-]*$")


def STATE_IRI(code: str) -> str:  # noqa: N802 (a constructor-like helper)
    """The IRI of a state by ISO 3166 alpha-3 code.

    >>> STATE_IRI("PRK")
    'https://w3id.org/geokg/id/state/PRK'
    """
    return str(STATE[code.upper()])


def actor_iri(actor: str) -> str:
    """An actor given as an IRI, ``state:RUS`` or an ISO code (``"RUS"``): its IRI.

    >>> actor_iri("rus"), actor_iri("state:PRK")[-9:]
    ('https://w3id.org/geokg/id/state/RUS', 'state/PRK')
    """
    actor = str(actor).strip()
    if actor.startswith(("http://", "https://")):
        if any(c in actor for c in '<>"{}|\\^` '):
            raise GeokgError(f"not an IRI: {actor!r}")
        return actor
    if actor.startswith("state:"):
        actor = actor[6:]
    if re.fullmatch(r"[A-Za-z]{3}", actor):
        return STATE_IRI(actor)
    raise GeokgError(f"not an actor: {actor!r} (give an IRI or an ISO 3166 alpha-3 code)")


def date_text(as_of: Date) -> str | None:
    """``as_of`` as ``YYYY[-MM[-DD]]`` text (checked), or None.

    >>> date_text(dt.date(2024, 12, 31)), date_text("2024-06")
    ('2024-12-31', '2024-06')
    """
    if as_of is None or as_of == "":
        return None
    text = as_of.isoformat()[:10] if isinstance(as_of, dt.date) else str(as_of).strip()
    if not _DATE.match(text):
        raise GeokgError(f"not a date: {as_of!r} (use YYYY-MM-DD)")
    return text


def in_force_filter(as_of: Date, start: str = "?from", end: str = "?until") -> str:
    """A SPARQL FILTER: the period ``start``–``end`` (optional variables) covers ``as_of``.

    Dates keep their precision: a treaty in force from ``"1961"^^xsd:gYear`` is in
    force on any day of 1961; one in force until ``"1996"`` is in force until the end
    of 1996. With no start date (or no end date) the period is open on that side.
    """
    day = date_text(as_of)
    if day is None:
        return ""
    return (
        f'FILTER((!BOUND({start}) || STR({start}) <= SUBSTR("{day}", 1, STRLEN(STR({start}))))'
        f' && (!BOUND({end}) || STR({end}) >= SUBSTR("{day}", 1, STRLEN(STR({end})))))'
    )


def phases_branch(as_of: Date) -> str:
    """A UNION branch (only with a date): every member phase (``gk:Participation``):
    treaty, member, entry and exit dates. Membership is then judged in Python
    (:func:`member_on`), which is far cheaper than a correlated EXISTS per party."""
    if date_text(as_of) is None:
        return ""
    return """UNION
  { ?phase gk:inTreaty ?ptreaty ; gk:memberState ?pmember .
    OPTIONAL { ?phase gk:entryDate ?pentry } OPTIONAL { ?phase gk:exitDate ?pexit } }"""


def covers(day: str, start: str | None, end: str | None) -> bool:
    """Whether the period ``start``–``end`` (either open) covers ``day``, each date at its
    own precision (as :func:`in_force_filter` in SPARQL).

    >>> covers("1996-06-01", "1961-07-06", "1996"), covers("1997-01-01", None, "1996")
    (True, False)
    """
    if start and start > day[: len(start)]:
        return False
    return not (end and end < day[: len(end)])


def member_on(day: str | None, phases: dict, treaty: str, party: str) -> bool:
    """Whether ``party`` is a member of ``treaty`` on ``day``: yes with no phase recorded
    for it, else if one of its phases covers the day."""
    if day is None:
        return True
    found = phases.get((treaty, party))
    return found is None or any(covers(day, start, end) for start, end in found)


def _phase(row: dict, phases: dict) -> None:
    key = (row["ptreaty"], row["pmember"])
    phases.setdefault(key, []).append((_text(row.get("pentry")), _text(row.get("pexit"))))


def _provisions(provisions) -> tuple[str, ...] | None:
    """None: ATOP's alliance provisions; "all": any; else the given names (checked)."""
    if provisions is None:
        return ALLIANCE_PROVISIONS
    if provisions == "all":
        return None
    if isinstance(provisions, str):
        provisions = [p for p in re.split(r"[,\s]+", provisions) if p]
    names = tuple(str(p).rsplit("/", 1)[-1] for p in provisions)
    for name in names:
        if not _WORD.match(name):
            raise GeokgError(f"not a provision type: {name!r}")
    return names or None


def actors_branch(selector: str) -> str:
    """A UNION branch: one row per actor chosen by ``selector`` (a pattern binding ``?actor``),
    with one English and one French label, its ISO code, its kind, and the identifiers
    researchers join on: COW code and Wikidata entity (``?actor_en`` … ``?actor_wikidata``).

    Kept apart from the edge rows (one query, two kinds of rows) so that several labels
    never multiply the edges, and the engine never nests the lookups in a loop.
    """
    kinds = " ".join(f"gk:{k}" for k in _KINDS)
    return f"""{{ SELECT ?actor (SAMPLE(?en) AS ?actor_en) (SAMPLE(?fr) AS ?actor_fr)
           (SAMPLE(?iso) AS ?actor_iso) (SAMPLE(?kind) AS ?actor_kind)
           (SAMPLE(?cow) AS ?actor_cow) (SAMPLE(?wd) AS ?actor_wikidata) WHERE {{
      {{ SELECT DISTINCT ?actor WHERE {{ {selector} }} }}
      OPTIONAL {{ ?actor rdfs:label ?en FILTER(langMatches(lang(?en), "en")) }}
      OPTIONAL {{ ?actor rdfs:label ?fr FILTER(langMatches(lang(?fr), "fr")) }}
      OPTIONAL {{ ?actor gk:isoAlpha3 ?iso }}
      OPTIONAL {{ ?actor gk:cowCode ?cow }}
      OPTIONAL {{ ?actor owl:sameAs ?wd FILTER(STRSTARTS(STR(?wd), "{WIKIDATA}")) }}
      OPTIONAL {{ VALUES ?kind {{ {kinds} }} ?actor a ?kind }}
    }} GROUP BY ?actor }}"""


#: Wikidata's entity namespace (``owl:sameAs`` links are written ``wd:Q…``).
WIKIDATA = "http://www.wikidata.org/entity/"


def _text(term) -> str | None:
    return None if term is None else str(term)


def _local(iri) -> str | None:
    if iri is None:
        return None
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _actor_attrs(row: dict) -> dict:
    """Node attributes from an actor row of :func:`actors_branch`."""
    iri = str(row["actor"])
    attrs = {
        "iri": iri,
        "label_en": _text(row.get("actor_en")),
        "label_fr": _text(row.get("actor_fr")),
        "iso": _text(row.get("actor_iso")),
        "kind": _local(row.get("actor_kind")),
        "cow_code": row.get("actor_cow"),
        "wikidata": _local(row.get("actor_wikidata")),
    }
    attrs["label"] = attrs["label_en"] or attrs["label_fr"] or attrs["iso"] or _local(iri)
    return attrs


def _add_nodes(g: nx.Graph, actors: dict[str, dict], used) -> None:
    """Add the actors in ``used`` (with their attributes, or a bare label if unknown)."""
    for iri in used:
        if iri not in g:
            attrs = actors.get(iri) or {
                "iri": iri,
                "label_en": None,
                "label_fr": None,
                "iso": None,
                "kind": None,
                "cow_code": None,
                "wikidata": None,
                "label": _local(iri),
            }
            g.add_node(iri, **attrs)


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {_XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger")}
_DECIMALS = {_XSD + t for t in ("decimal", "double", "float")}


def _value(binding: dict | None):
    """A SPARQL JSON results binding as a Python value: numbers as int or float, else text."""
    if binding is None:
        return None
    value, datatype = binding["value"], binding.get("datatype")
    try:
        if datatype in _INTEGERS:
            return int(value)
        if datatype in _DECIMALS:
            return float(value)
    except ValueError:
        return value
    return value


def _rows(kg: KnowledgeGraph, sparql: str) -> list[dict]:
    """The solutions of a SELECT as dicts of Python values (IRIs and literals as text).

    Read through the store's native JSON serialisation (one pass in the engine, one
    ``json.loads``): several times faster than building rdflib terms for every cell.
    """
    _, body = kg.query_serialized(sparql, "json", prefixes=True)
    result = json.loads(body)
    return [
        {name: _value(binding) for name, binding in solution.items()}
        for solution in result["results"]["bindings"]
    ]


def strongest(provisions) -> str | None:
    """The strongest of provision type names, in :data:`PROVISION_ORDER`.

    >>> strongest(["consultation", "defense"])
    'defense'
    """
    known = [p for p in PROVISION_ORDER if p in provisions]
    return known[0] if known else (sorted(provisions)[0] if provisions else None)


# -- alliances -------------------------------------------------------------------------------


def alliance_query(as_of: Date = None, provisions=None) -> str:
    """The one SELECT behind :func:`alliance_graph`: rows of three kinds (UNION): one per
    treaty in force (dates, data set, label, its parties), one per treaty with articles
    (``number=provision`` pairs), one per actor with its labels."""
    _provisions(provisions)  # checked here; applied when the rows are read
    return f"""
SELECT * WHERE {{
  {{ SELECT ?treaty (SAMPLE(?g) AS ?dataset) (SAMPLE(?s) AS ?signed) (SAMPLE(?f) AS ?from)
           (SAMPLE(?u) AS ?until) (SAMPLE(?tl) AS ?tlabel) (SAMPLE(?aid) AS ?atopid)
           (GROUP_CONCAT(DISTINCT STR(?party); separator=" ") AS ?parties)
    WHERE {{ GRAPH ?g {{ ?treaty a gk:Treaty }} FILTER(?g != <{DERIVED_GRAPH}>)
      OPTIONAL {{ ?treaty gk:signedOn ?s }}
      OPTIONAL {{ ?treaty gk:inForceFrom ?f0 }}
      OPTIONAL {{ ?treaty gk:inForceUntil ?u }}
      BIND(COALESCE(?f0, ?s) AS ?f)
      {in_force_filter(as_of, "?f", "?u")}
      ?treaty gk:party ?party .
      OPTIONAL {{ ?treaty gk:atopId ?aid }}
      OPTIONAL {{ ?treaty rdfs:label ?tl FILTER(langMatches(lang(?tl), "en")) }}
    }} GROUP BY ?treaty }}
  UNION
  {{ SELECT ?article_of (GROUP_CONCAT(CONCAT(COALESCE(STR(?n), ""), "=", STR(?p));
                                      separator=" ") AS ?articles)
    WHERE {{ {{ ?article_of gk:hasArticle ?a . ?a gk:provision ?p .
               OPTIONAL {{ ?a gk:articleNumber ?n }} }}
             UNION {{ ?article_of gk:obligation ?p ; a gk:Treaty }} }}
    GROUP BY ?article_of }}
  UNION
  {actors_branch("?t gk:party ?actor")}
  {phases_branch(as_of)}
}}"""


def alliance_graph(kg: KnowledgeGraph, as_of: Date = None, provisions=None) -> nx.MultiGraph:
    """The alliance network: one edge per treaty between each two of its parties.

    ``provisions``: None for ATOP's alliance provisions (defence, offence,
    neutrality, non-aggression, consultation), ``"all"`` for any treaty with a
    typed article, or a list (or comma-separated string) of provision names such
    as ``["defense"]``: a treaty is kept if one of its articles has one of them.
    With ``as_of`` only treaties in force on that date (in force from
    ``gk:inForceFrom``, failing that ``gk:signedOn``, until ``gk:inForceUntil``).

    Nodes: actor IRIs with ``label`` (en, else fr), ``label_en``, ``label_fr``,
    ``iso`` (ISO 3166 alpha-3), ``kind``, ``cow_code`` (Correlates of War) and ``wikidata``
    (``Q…``), the identifiers researchers join on. Edges (key: the treaty IRI): ``treaty``,
    ``atop_id`` (ATOP's atopid, when ATOP codes the treaty), ``label``,
    ``articles`` (numbers), ``provisions`` (names), ``provision`` (the strongest),
    ``signed``, ``in_force_from``, ``in_force_until``, ``multilateral``,
    ``parties`` (how many), ``dataset`` (the named graph).

    >>> import geokg
    >>> g = alliance_graph(geokg.open_store(None), as_of="2024-12-31", provisions="defense")
    >>> sorted(g.nodes[n]["iso"] for n in g)
    ['CHN', 'DEU', 'FRA', 'GBR', 'PRK', 'RUS', 'USA']
    """
    wanted = _provisions(provisions)
    g = nx.MultiGraph(as_of=date_text(as_of) or "", kind="alliances")
    treaties: dict[str, dict[str, Any]] = {}
    parties: dict[str, list[str]] = defaultdict(list)
    articles: dict[str, dict[str, set]] = defaultdict(lambda: {"numbers": set(), "kinds": set()})
    actors: dict[str, dict] = {}
    day, phases = date_text(as_of), {}
    for row in _rows(kg, alliance_query(as_of, provisions)):
        if row.get("actor") is not None:
            actors[row["actor"]] = _actor_attrs(row)
        elif row.get("phase") is not None:
            _phase(row, phases)
        elif row.get("article_of") is not None:
            found = articles[row["article_of"]]
            for pair in str(row.get("articles") or "").split():
                number, _, provision = pair.partition("=")
                if number.isdigit():
                    found["numbers"].add(int(number))
                found["kinds"].add(_local(provision))
        else:
            treaty = row["treaty"]
            parties[treaty] = sorted(set(str(row.get("parties") or "").split()))
            treaties[treaty] = {
                "treaty": treaty,
                "label": _text(row.get("tlabel")),
                "signed": _text(row.get("signed")),
                "in_force_from": _text(row.get("from")),
                "in_force_until": _text(row.get("until")),
                "dataset": _text(row.get("dataset")),
                "atop_id": row.get("atopid"),
            }
    for treaty, members in parties.items():
        if phases:
            members = [m for m in members if member_on(day, phases, treaty, m)]
            if len(members) < 2:
                continue
        found = articles.get(treaty)
        if found is None or (wanted is not None and not found["kinds"] & set(wanted)):
            continue
        attrs = treaties[treaty]
        attrs["label"] = attrs["label"] or _local(treaty)
        attrs["articles"] = sorted(found["numbers"])
        attrs["provisions"] = sorted(found["kinds"], key=_provision_rank)
        attrs["provision"] = strongest(found["kinds"])
        attrs["parties"] = len(members)
        attrs["multilateral"] = len(members) > 2
        _add_nodes(g, actors, members)
        g.add_edges_from((a, b, treaty, attrs) for a, b in combinations(members, 2))
    return g


def _provision_rank(name: str) -> tuple[int, str]:
    return (PROVISION_ORDER.index(name) if name in PROVISION_ORDER else 99, name)


# -- obligations -----------------------------------------------------------------------------


def obligation_query(as_of: Date = None) -> str:
    """The one SELECT behind :func:`obligation_graph` (over the derived graph): rows of four
    kinds (UNION): obligations (obligor, beneficiary, treaty, article), treaties in force
    (dates, label), articles (number, quote), actors; and member phases with a date."""
    d = f"<{DERIVED_GRAPH}>"
    return f"""
SELECT * WHERE {{
  {{ GRAPH {d} {{ ?o gk:obligor ?a ; gk:beneficiary ?b ; gk:viaTreaty ?treaty
                 OPTIONAL {{ ?o gk:viaArticle ?article }} }} }}
  UNION
  {{ SELECT ?t (SAMPLE(?f) AS ?from) (SAMPLE(?u) AS ?until) (SAMPLE(?tl) AS ?tlabel)
           (SAMPLE(?aid) AS ?atopid) WHERE {{
      {{ SELECT DISTINCT ?t WHERE {{ GRAPH {d} {{ ?x gk:viaTreaty ?t }} }} }}
      OPTIONAL {{ ?t gk:signedOn ?s }}
      OPTIONAL {{ ?t gk:inForceFrom ?f0 }}
      OPTIONAL {{ ?t gk:inForceUntil ?u }}
      BIND(COALESCE(?f0, ?s) AS ?f)
      {in_force_filter(as_of, "?f", "?u")}
      OPTIONAL {{ ?t gk:atopId ?aid }}
      OPTIONAL {{ ?t rdfs:label ?tl FILTER(langMatches(lang(?tl), "en")) }}
    }} GROUP BY ?t }}
  UNION
  {{ SELECT ?art (SAMPLE(?n) AS ?number) (SAMPLE(?q) AS ?quote) WHERE {{
      {{ SELECT DISTINCT ?art WHERE {{ GRAPH {d} {{ ?y gk:viaArticle ?art }} }} }}
      OPTIONAL {{ ?art gk:articleNumber ?n }}
      OPTIONAL {{ ?art gk:text ?q }}
    }} GROUP BY ?art }}
  UNION
  {actors_branch(f"GRAPH {d} {{ ?z gk:obligor|gk:beneficiary ?actor }}")}
  {phases_branch(as_of)}
  UNION
  {conditions_branch()}
}}"""


def conditions_branch() -> str:
    """A UNION branch: one row per member phase whose defence obligation is conditional
    (``gk:conditionalObligation``): treaty, member, dates, the kinds of condition
    (``gk:defenceCondition``) and the named threats (``gk:namedThreat``, ``gk:namedThreatCode``)."""
    return """{ SELECT ?cphase (SAMPLE(?ct0) AS ?ctreaty) (SAMPLE(?cm0) AS ?cmember)
           (SAMPLE(?ce) AS ?centry) (SAMPLE(?cx) AS ?cexit)
           (GROUP_CONCAT(DISTINCT STR(?cc); separator=" ") AS ?ckinds)
           (GROUP_CONCAT(DISTINCT STR(?cthreat); separator=" ") AS ?cthreats)
           (GROUP_CONCAT(DISTINCT STR(?ccode); separator=" ") AS ?ccodes)
    WHERE { ?cphase gk:conditionalObligation <https://w3id.org/geokg/id/provision/defense> ;
                    gk:inTreaty ?ct0 ; gk:memberState ?cm0 .
      OPTIONAL { ?cphase gk:entryDate ?ce } OPTIONAL { ?cphase gk:exitDate ?cx }
      OPTIONAL { ?cphase gk:defenceCondition ?cc } OPTIONAL { ?cphase gk:namedThreat ?cthreat }
      OPTIONAL { ?cphase gk:namedThreatCode ?ccode }
    } GROUP BY ?cphase }"""


def _conditions(day: str | None, found: list[dict]) -> dict | None:
    """The conditions of a member's defence obligation on ``day`` (from its phases that
    cover the day; with no day, from all of them), or None if unconditional."""
    phases = [p for p in found if day is None or covers(day, p["entry"], p["exit"])]
    if not phases:
        return None
    return {
        "kinds": sorted({k for p in phases for k in p["kinds"]}),
        "threats": sorted({t for p in phases for t in p["threats"]}),
        "threat_codes": sorted({c for p in phases for c in p["codes"]}),
    }


def obligation_graph(kg: KnowledgeGraph, as_of: Date = None) -> nx.MultiDiGraph:
    """Assistance obligations: an edge A → B when A is bound to assist B if B is attacked.

    Read from the derived ``gk:AssistanceObligation`` nodes (defence articles, or a
    treaty-level defence obligation; one direction only where the article names its
    obligors or beneficiaries, or where member phases say who took the obligation on).
    Edge key: the article IRI (the treaty's for a treaty-level obligation); attributes
    ``obligation``, ``treaty``, ``atop_id``, ``treaty_label``, ``article``, ``article_number``,
    ``quote`` (the article's words as a source quotes them), ``in_force_from``,
    ``in_force_until``, ``conditions`` (None, or for an obligation that ATOP codes as
    conditional for the obligor on that date: ``kinds`` of condition, e.g.
    ``"specific-adversary"``, ``"location"``; named ``threats`` (IRIs); unmatched
    ``threat_codes``). With ``as_of``: treaties in force, and members on that date.

    >>> import geokg
    >>> o = obligation_graph(geokg.open_store(None), as_of="2024-12-31")
    >>> o.has_edge(STATE_IRI("PRK"), STATE_IRI("RUS")), o.has_edge(STATE_IRI("SUN"), STATE_IRI("PRK"))
    (True, False)
    """
    g = nx.MultiDiGraph(as_of=date_text(as_of) or "", kind="obligations")
    actors: dict[str, dict] = {}
    treaties: dict[str, dict] = {}
    articles: dict[str, tuple] = {}
    edges = []
    day, phases = date_text(as_of), {}
    conditional: dict[tuple, list[dict]] = defaultdict(list)
    for row in _rows(kg, obligation_query(as_of)):
        if row.get("o") is not None:
            edges.append(row)
        elif row.get("t") is not None:
            treaties[row["t"]] = {
                "treaty_label": _text(row.get("tlabel")) or _local(row["t"]),
                "in_force_from": _text(row.get("from")),
                "in_force_until": _text(row.get("until")),
                "atop_id": row.get("atopid"),
            }
        elif row.get("art") is not None:
            articles[row["art"]] = (row.get("number"), _text(row.get("quote")))
        elif row.get("actor") is not None:
            actors[row["actor"]] = _actor_attrs(row)
        elif row.get("phase") is not None:
            _phase(row, phases)
        elif row.get("cphase") is not None:
            conditional[(row["ctreaty"], row["cmember"])].append(
                {
                    "entry": _text(row.get("centry")),
                    "exit": _text(row.get("cexit")),
                    "kinds": [_local(k) for k in str(row.get("ckinds") or "").split()],
                    "threats": str(row.get("cthreats") or "").split(),
                    "codes": str(row.get("ccodes") or "").split(),
                }
            )
    batch, used = [], set()
    for row in edges:
        a, b, treaty = row["a"], row["b"], row["treaty"]
        known = treaties.get(treaty)
        if known is None:  # not in force on the date
            continue
        if phases and not (member_on(day, phases, treaty, a) and member_on(day, phases, treaty, b)):
            continue
        article = row.get("article")
        key = article or treaty  # a treaty-level obligation: no article
        number, quote = articles.get(article, (None, None)) if article else (None, None)
        used.update((a, b))
        attrs = {"obligation": row["o"], "treaty": treaty, "article": article}
        attrs.update(known, article_number=number, quote=quote)
        attrs["conditions"] = _conditions(day, conditional.get((treaty, a), []))
        batch.append((a, b, key, attrs))
    _add_nodes(g, actors, sorted(used))
    g.add_edges_from(batch)
    return g


def claim_record(row: dict, as_of: str = "asOf") -> dict:
    """A claim's figure and provenance from a row read with
    :func:`geokg.graph.patterns.claim_fields` (through :func:`_rows`).

    >>> claim_record({"claim": "c", "measure": "https://w3id.org/geokg/id/measure/killed",
    ...               "value": 350, "asOf": "2025-04"})["measure"]
    'killed'
    """
    return {
        "claim": str(row["claim"]),
        "measure": _local(row.get("measure")),
        "value": _number(row.get("value")),
        "min": _number(row.get("min")),
        "max": _number(row.get("max")),
        "as_of": _text(row.get(as_of)),
        "agency": _text(row.get("agency")),
        "source": _text(row.get("source")),
        "quote": _text(row.get("quote")),
    }


def _number(value) -> int | float | None:
    """A figure as a number (``_rows`` already gives numbers for numeric datatypes)."""
    if value is None or isinstance(value, int | float):
        return value
    try:
        return float(str(value))
    except ValueError:
        return None


# -- deployments -----------------------------------------------------------------------------


def under_way(day: str | None, attrs: dict, claims: list[dict]) -> bool:
    """Whether a deployment read by :func:`deployment_graph` is under way on ``day``: a
    year-coded one only if a claim about it gives a figure above zero as of that year (its
    dates were already checked in SPARQL).

    >>> under_way("2020-06-30", {"year_coded": True}, [{"as_of": "2020", "value": 0}])
    False
    """
    if day is None or not attrs["year_coded"]:
        return True
    return any((c["as_of"] or "")[:4] == day[:4] and (c["value"] or 0) > 0 for c in claims)


def deployment_kinds(home: bool) -> str:
    """The classes of what :func:`deployment_graph` reads: deployments, and home stationing
    when asked for."""
    return "gk:MilitaryDeployment gk:HomeStationing" if home else "gk:MilitaryDeployment"


def deployment_query(as_of: Date = None, home: bool = False) -> str:
    """The one SELECT behind :func:`deployment_graph`: rows of three kinds (UNION):
    deployments (with locations and legal basis), claims about them, actors."""
    kinds = deployment_kinds(home)
    return f"""
SELECT * WHERE {{
  {{ SELECT ?d (SAMPLE(?s0) AS ?s) (COALESCE(SAMPLE(?h0), SAMPLE(?loc)) AS ?h)
           (SAMPLE(?st) AS ?start) (SAMPLE(?en) AS ?end) (SAMPLE(?dl) AS ?dlabel)
           (SAMPLE(?b) AS ?basis) (SAMPLE(?n) AS ?number) (SAMPLE(?t) AS ?treaty)
           (SAMPLE(?tl) AS ?tlabel) (SAMPLE(?k) AS ?kind) (SAMPLE(?yc0) AS ?yearCoded)
           (GROUP_CONCAT(DISTINCT STR(?loc); separator=" ") AS ?locations)
    WHERE {{ VALUES ?k {{ {kinds} }} ?d a ?k ; gk:sendingState|gk:stationingState ?s0 .
      OPTIONAL {{ ?d gk:hostState|gk:stationingState ?h0 }}
      OPTIONAL {{ ?d gk:startDate ?st }} OPTIONAL {{ ?d gk:endDate ?en }}
      OPTIONAL {{ ?d gk:yearCoded ?yc0 }}
      {in_force_filter(as_of, "?st", "?en")}
      OPTIONAL {{ ?d gk:location ?loc }}
      OPTIONAL {{ ?d gk:legalBasis ?b OPTIONAL {{ ?b gk:articleNumber ?n }}
                 OPTIONAL {{ ?t gk:hasArticle ?b
                            OPTIONAL {{ ?t rdfs:label ?tl FILTER(langMatches(lang(?tl), "en")) }} }} }}
      OPTIONAL {{ ?d rdfs:label ?dl FILTER(langMatches(lang(?dl), "en")) }}
    }} GROUP BY ?d }}
  UNION
  {{ VALUES ?ak {{ {kinds} }} ?claim a gk:QuantityClaim ; gk:about ?about . ?about a ?ak .
    {claim_fields(as_of="?claimAsOf")} }}
  UNION
  {{ SELECT ?labelled (COALESCE(SAMPLE(?l1), SAMPLE(?l2)) AS ?labelText) WHERE {{
      {{ SELECT DISTINCT ?labelled WHERE {{ ?c a gk:QuantityClaim ;
          prov:wasAttributedTo|prov:wasDerivedFrom ?labelled }} }}
      OPTIONAL {{ ?labelled rdfs:label ?l1 FILTER(langMatches(lang(?l1), "en")) }}
      OPTIONAL {{ ?labelled rdfs:label ?l2 }}
    }} GROUP BY ?labelled }}
  UNION
  {actors_branch("?x gk:sendingState|gk:hostState|gk:stationingState|gk:location ?actor")}
}}"""


def deployment_graph(kg: KnowledgeGraph, as_of: Date = None, home: bool = False) -> nx.MultiDiGraph:
    """Military deployments abroad: an edge sending state → host state per deployment.

    Where a deployment has no host state (at sea, in a region), the edge goes to its place
    (``gk:location``, a node of kind ``Place``). Home stationing (``gk:HomeStationing``: the
    United States row of the US-troops data) is not a deployment abroad and is left out;
    ``home=True`` adds it as a loop (``home_stationing`` True).

    Edge key: the deployment IRI; attributes ``deployment``, ``label``,
    ``locations`` (IRIs), ``start``, ``end``, ``year_coded``, ``home_stationing``,
    ``legal_basis`` (the article invoked), ``legal_basis_number``, ``legal_basis_treaty``,
    ``legal_basis_label`` and ``claims``: every figure claimed about it, one dict per claim
    (``claim``, ``measure``, ``value``, ``min``, ``max``, ``as_of``, ``agency``,
    ``agency_label``, ``source``, ``source_label``, ``quote``), oldest first.

    With ``as_of``, deployments under way on that date: within their start and end dates,
    and, for a year-coded deployment (MDI, US troops: no dates, one figure per year), only
    if the data set gives it a figure above zero for that date's year.

    >>> import geokg
    >>> d = deployment_graph(geokg.open_store(None), as_of="2025-01-15")
    >>> [e["legal_basis_number"] for *_, e in d.edges(STATE_IRI("PRK"), data=True)]
    [4]
    """
    g = nx.MultiDiGraph(as_of=date_text(as_of) or "", kind="deployments")
    actors: dict[str, dict] = {}
    labels: dict[str, str] = {}
    deployments: dict[str, dict] = {}
    claims: dict[str, dict[str, dict]] = defaultdict(dict)
    for row in _rows(kg, deployment_query(as_of, home)):
        if row.get("actor") is not None:
            actors[str(row["actor"])] = _actor_attrs(row)
        elif row.get("labelled") is not None:
            labels[str(row["labelled"])] = _text(row.get("labelText"))
        elif row.get("claim") is not None:
            claims[str(row["about"])].setdefault(
                str(row["claim"]), claim_record(row, as_of="claimAsOf")
            )
        else:
            key = str(row["d"])
            known = deployments.get(key)
            if known is None:
                deployments[key] = {
                    "s": str(row["s"]),
                    "h": str(row["h"]),
                    "deployment": key,
                    "label": _text(row.get("dlabel")) or _local(key),
                    "locations": sorted(str(row.get("locations") or "").split()),
                    "start": _text(row.get("start")),
                    "end": _text(row.get("end")),
                    "year_coded": str(row.get("yearCoded")).lower() in ("true", "1"),
                    "home_stationing": _local(row.get("kind")) == "HomeStationing",
                    "legal_basis": _text(row.get("basis")),
                    "legal_basis_number": row.get("number"),
                    "legal_basis_treaty": _text(row.get("treaty")),
                    "legal_basis_label": _text(row.get("tlabel")),
                }
            elif known["legal_basis_label"] is None and row.get("tlabel") is not None:
                known["legal_basis_label"] = str(row["tlabel"])
    day = date_text(as_of)
    for key, attrs in deployments.items():
        found = sorted(claims.get(key, {}).values(), key=lambda c: (c["as_of"] or "", c["claim"]))
        if not under_way(day, attrs, found):
            continue
        s, h = attrs.pop("s"), attrs.pop("h")
        _add_nodes(g, actors, (s, h))
        for c in found:
            c["agency_label"] = labels.get(c["agency"] or "") or _local(c["agency"])
            c["source_label"] = labels.get(c["source"] or "") or _local(c["source"])
        g.add_edge(s, h, key=key, claims=found, **attrs)
    return g


# -- any CONSTRUCT ---------------------------------------------------------------------------


def to_networkx(kg: KnowledgeGraph, construct_query: str) -> nx.MultiDiGraph:
    """The result of any CONSTRUCT as a MultiDiGraph.

    IRIs and blank nodes become nodes; a triple to another node becomes an edge
    (key and attribute ``predicate``: the predicate IRI); a triple to a literal
    becomes a node attribute named by the predicate's local name (a list when
    there are several).

    >>> import geokg
    >>> g = to_networkx(geokg.open_store(None),
    ...     "CONSTRUCT { ?t gk:party ?s . ?s gk:isoAlpha3 ?c } WHERE { ?t gk:party ?s . ?s gk:isoAlpha3 ?c }")
    >>> g.nodes[STATE_IRI("PRK")]["isoAlpha3"]
    'PRK'
    """
    result = kg.query(construct_query, prefixes=True)
    if isinstance(result, bool) or not hasattr(result, "triples"):
        raise GeokgError("to_networkx needs a CONSTRUCT (or DESCRIBE) query")
    g = nx.MultiDiGraph(kind="construct")
    for s, p, o in result:
        s_id = str(s)
        if s_id not in g:
            g.add_node(s_id, iri=s_id)
        if isinstance(o, Literal):
            name = _local(p)
            value = o.toPython()
            value = value if isinstance(value, str | int | float | bool) else str(o)
            node = g.nodes[s_id]
            if name in node:
                old = node[name]
                node[name] = (old if isinstance(old, list) else [old]) + [value]
            else:
                node[name] = value
        else:
            o_id = str(o)
            if o_id not in g:
                g.add_node(o_id, iri=o_id)
            g.add_edge(s_id, o_id, key=str(p), predicate=str(p))
    for n, data in g.nodes(data=True):
        data.setdefault("label", data.get("label") or _local(n))
    return g


# -- export ----------------------------------------------------------------------------------


def _flat(value):
    """A value GraphML and GEXF can hold: scalars stay, lists are joined, the rest is JSON."""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set) and all(
        isinstance(v, str | int | float) for v in value
    ):
        return "; ".join(str(v) for v in value)
    if isinstance(value, URIRef):
        return str(value)
    return json.dumps(value, default=str, ensure_ascii=False)


def flat_graph(g: nx.Graph, keep: tuple[str, ...] = ()) -> nx.Graph:
    """A copy of ``g`` with attributes fit for GraphML/GEXF (no None, no lists or dicts);
    the attributes named in ``keep`` (GEXF's ``spells``) are copied as they are."""

    def flat(data: dict) -> dict:
        return {k: v if k in keep else _flat(v) for k, v in data.items() if v is not None}

    h = g.__class__()
    h.graph.update(flat(g.graph))
    for n, data in g.nodes(data=True):
        h.add_node(n, **flat(data))
    edges = g.edges(keys=True, data=True) if g.is_multigraph() else g.edges(data=True)
    for *ends, data in edges:
        attrs = flat(data)
        if g.is_multigraph():
            h.add_edge(ends[0], ends[1], key=ends[2], **attrs)
        else:
            h.add_edge(*ends, **attrs)
    return h


def write_graphml(g: nx.Graph, path: str | Path) -> None:
    """Write a projection as GraphML (yEd, Cytoscape, Gephi)."""
    nx.write_graphml(flat_graph(g), str(path))


def write_gexf(g: nx.Graph, path: str | Path, dynamic: bool = False) -> None:
    """Write a projection as GEXF (Gephi), with every node's and edge's identifiers.

    ``dynamic=True`` writes a dynamic GEXF whose nodes and edges carry their time intervals
    (``<spells>``, days, both included), so that Gephi's timeline plays the network: see
    :func:`geokg.graph.timeline.dynamic_copy` (build ``g`` with
    :func:`geokg.graph.timeline.alliance_timeline` for the member phases of every alliance).
    """
    if dynamic:
        from .timeline import dynamic_copy

        g = dynamic_copy(g)
    nx.write_gexf(flat_graph(g, keep=("spells",) if dynamic else ()), str(path))


def to_dataframes(g: nx.Graph) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(nodes, edges) DataFrames: one row per node (``id`` first), per edge (``source``,
    ``target``, ``key``, then the attributes).

    >>> import geokg
    >>> nodes, edges = to_dataframes(alliance_graph(geokg.open_store(None), as_of="2024-12-31"))
    >>> {"id", "label", "iso"} <= set(nodes.columns), {"source", "target", "treaty"} <= set(edges.columns)
    (True, True)
    """
    nodes = pd.DataFrame([{"id": n, **d} for n, d in g.nodes(data=True)])
    if g.is_multigraph():
        rows = [
            {"source": a, "target": b, "key": k, **d}
            for a, b, k, d in g.edges(keys=True, data=True)
        ]
    else:
        rows = [{"source": a, "target": b, **d} for a, b, d in g.edges(data=True)]
    edges = pd.DataFrame(rows, columns=None if rows else ["source", "target", "key"])
    return nodes, edges


__all__ = [
    "PROVISION_ORDER",
    "STATE_IRI",
    "actor_iri",
    "alliance_graph",
    "alliance_query",
    "date_text",
    "deployment_graph",
    "deployment_kinds",
    "deployment_query",
    "under_way",
    "flat_graph",
    "in_force_filter",
    "covers",
    "member_on",
    "phases_branch",
    "conditions_branch",
    "obligation_graph",
    "obligation_query",
    "strongest",
    "to_dataframes",
    "to_networkx",
    "write_gexf",
    "write_graphml",
]
