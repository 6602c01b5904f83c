"""Reconciliation: codes and names of data sets resolved to geokg's state IRIs.

One IRI per entity across data sets: the states of ``ontology/kb/states.ttl`` (generated from the
COW list and the OWID crosswalk) and the curated ``actors.ttl`` share their IRIs, carry ISO 3166
alpha-2/alpha-3 codes, the COW code and abbreviation and the Wikidata IRI (``owl:sameAs``), so an
importer resolves a COW code, an ISO code or a name to the same node.

Succession: where one COW code covers several states over time (365: Russia until 1922-12-29, the
USSR ``state:SUN`` from 1922-12-30 to 1991-12-25, Russia from 1991-12-26; 345: Serbia until
1918-11-30, Yugoslavia ``state:YUG`` to 2003-02-03, Serbia and Montenegro ``state:SCG`` to
2006-06-04, Serbia from 2006-06-05), each state carries the code and its own share of COW's
membership spells (``states.ttl``). :meth:`Resolver.cow` gives a dated fact to the state of its
date, and :meth:`Resolver.cow_spans` splits a period that spans a succession.

What could not be matched is kept in the imported graphs (``gk:dataSetCode``, or counted and
listed by the importers) and listed by :func:`reconciliation_report`.
"""

from __future__ import annotations

import calendar
import datetime
import unicodedata
from dataclasses import dataclass, field

from rdflib import URIRef

from ..namespaces import DERIVED_GRAPH, GRAPH

#: Names used by data sets for states whose labels say otherwise.
ALIASES = {
    "bosnia-herzegovina": "BIH",
    "cote d' ivoire": "CIV",
    "cote d'ivoire": "CIV",
    "ivory coast": "CIV",
    "korea": "KOR",
    "south korea": "KOR",
    "north korea": "PRK",
    "syria": "SYR",
    "brunei": "BRN",
    "turkey": "TUR",
    "democratic republic of the congo": "COD",
    "dr congo": "COD",
    "republic of the congo": "COG",
    "russia": "RUS",
    "iran": "IRN",
    "laos": "LAO",
    "vietnam": "VNM",
    "moldova": "MDA",
    "macedonia": "MKD",
    "czech republic": "CZE",
    "united states of america": "USA",
    "uk": "GBR",
}


def _key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return " ".join(text.casefold().replace("’", "'").split())


@dataclass
class Resolver:
    """Look-up tables from the store: COW code, ISO alpha-3 and alpha-2, names → state IRI."""

    by_cow: dict[int, URIRef] = field(default_factory=dict)
    #: codes that cover several states over time: (first day, state) at each change, in order
    successions: dict[int, list[tuple[str, URIRef]]] = field(default_factory=dict)
    by_iso3: dict[str, URIRef] = field(default_factory=dict)
    by_iso2: dict[str, URIRef] = field(default_factory=dict)
    by_name: dict[str, URIRef] = field(default_factory=dict)
    labels: dict[URIRef, str] = field(default_factory=dict)

    @classmethod
    def from_store(cls, kg) -> Resolver:
        resolver = cls()
        rows = kg.query(
            """PREFIX gk: <https://w3id.org/geokg/ontology#>
            PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            SELECT ?s ?p ?o WHERE {
                ?s a gk:State ; ?p ?o .
                VALUES ?p { gk:cowCode gk:isoAlpha3 gk:isoAlpha2 rdfs:label skos:altLabel }
            }"""
        )
        names: list[tuple[str, URIRef, bool]] = []
        for s, p, o in rows:
            local = str(p).rsplit("#", 1)[-1]
            if local == "cowCode":
                resolver.by_cow[int(o)] = s
            elif local == "isoAlpha3":
                resolver.by_iso3[str(o)] = s
            elif local == "isoAlpha2":
                resolver.by_iso2[str(o)] = s
            else:
                names.append((_key(str(o)), s, local == "label"))
                if local == "label" and getattr(o, "language", None) == "en":
                    resolver.labels[s] = str(o)
        # labels win over alternative labels; a name that two states share is dropped
        for preferred in (False, True):
            seen: dict[str, set] = {}
            for key, s, is_label in names:
                if is_label == preferred:
                    seen.setdefault(key, set()).add(s)
            for key, states in seen.items():
                if len(states) == 1:
                    resolver.by_name[key] = next(iter(states))
        for alias, iso3 in ALIASES.items():
            if iso3 in resolver.by_iso3:
                resolver.by_name[alias] = resolver.by_iso3[iso3]
        resolver._read_successions(kg)
        return resolver

    def _read_successions(self, kg) -> None:
        """The codes that several states carry, with the first day of each state's spells."""
        starts: dict[int, list[tuple[str, str]]] = {}
        for s, code, start in kg.query(_SPELLS):
            starts.setdefault(int(code), []).append((str(start or ""), str(s)))
        for code, found in starts.items():
            if len({s for _, s in found}) < 2:
                continue
            periods: list[tuple[str, URIRef]] = []
            for start, s in sorted(found):
                if not periods or periods[-1][1] != URIRef(s):
                    periods.append((start, URIRef(s)))
            self.successions[code] = periods
            self.by_cow[code] = periods[-1][1]  # with no date: the state that holds it now

    def cow(self, code: int, on: str | None = None) -> URIRef | None:
        """The state of a COW code on the date ``on`` (ISO text; a year or a month is read as
        its first day); with no date, the state that holds the code at the end of the data.

        >>> from geokg.graph import open_store
        >>> resolver = Resolver.from_store(open_store(None))
        >>> [resolver.cow(365, d).rsplit("/", 1)[1] for d in ("1914-06-28", "1962", "1992")]
        ['RUS', 'SUN', 'RUS']
        """
        periods = self.successions.get(code)
        if not periods or on is None:
            return self.by_cow.get(code)
        day = _first_day(str(on))
        state = periods[0][1]
        for first, successor in periods[1:]:
            if first <= day:
                state = successor
        return state

    def cow_spans(
        self, code: int, start: str, end: str | None = None
    ) -> list[tuple[URIRef | None, str, str | None]]:
        """The period ``start``–``end`` (ISO text at any precision; no end: open) of a fact
        coded ``code``, split at the successions of states within it: (state, start, end)
        for each state, the cut at the eve and the first day of the successor.

        >>> from geokg.graph import open_store
        >>> resolver = Resolver.from_store(open_store(None))
        >>> [(s.rsplit("/", 1)[1], a, b) for s, a, b in resolver.cow_spans(365, "1961-07-06", "1996-09-10")]
        [('SUN', '1961-07-06', '1991-12-25'), ('RUS', '1991-12-26', '1996-09-10')]
        """
        state = self.cow(code, start)
        spans: list[tuple[URIRef | None, str, str | None]] = []
        since, last = start, _last_day(end) if end else None
        for first, successor in self.successions.get(code, [])[1:]:
            if first > _first_day(start) and (last is None or first <= last):
                spans.append((state, since, _eve(first)))
                state, since = successor, first
        spans.append((state, since, end))
        return spans

    def iso3(self, code: str) -> URIRef | None:
        return self.by_iso3.get(code.strip().upper())

    def name(self, text: str) -> URIRef | None:
        return self.by_name.get(_key(text))

    def label(self, state: URIRef) -> str:
        return self.labels.get(state, str(state).rsplit("/", 1)[-1])


_SPELLS = """PREFIX gk: <https://w3id.org/geokg/ontology#>
SELECT ?s ?code ?start WHERE {
    ?s a gk:State ; gk:cowCode ?code . OPTIONAL { ?s gk:systemMembership/gk:startDate ?start }
}"""


def _first_day(text: str) -> str:
    """The first day of a date at its precision: ``"1991"`` → ``"1991-01-01"``."""
    return text + "-01-01"[len(text) - 4 :] if len(text) < 10 else text[:10]


def _last_day(text: str) -> str:
    """The last day of a date at its precision: ``"1949-09"`` → ``"1949-09-30"``."""
    if len(text) >= 10:
        return text[:10]
    year = int(text[:4])
    month = int(text[5:7]) if len(text) >= 7 else 12
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def _eve(day: str) -> str:
    """The day before ``day`` (ISO)."""
    return (datetime.date.fromisoformat(day) - datetime.timedelta(days=1)).isoformat()


#: What the importers record about what they could not match (``gk:dataSetCode``).
_UNMATCHED_CODES = """PREFIX gk: <https://w3id.org/geokg/ontology#>
SELECT ?g ?code (COUNT(*) AS ?n) WHERE {
    GRAPH ?g { ?x gk:dataSetCode ?code FILTER NOT EXISTS { ?x a gk:Actor } }
} GROUP BY ?g ?code ORDER BY ?g ?code"""

_STATES_WITHOUT = """PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?s ?label ?cow ?iso WHERE {
    ?s a gk:State . OPTIONAL { ?s rdfs:label ?label FILTER (LANG(?label) = "en") }
    OPTIONAL { ?s gk:cowCode ?cow } OPTIONAL { ?s gk:isoAlpha3 ?iso }
    FILTER NOT EXISTS { ?s owl:sameAs ?wd FILTER STRSTARTS(STR(?wd), "http://www.wikidata.org/entity/") }
} ORDER BY ?s"""

_TREATY_LINKS = """PREFIX gk: <https://w3id.org/geokg/ontology#>
SELECT DISTINCT ?t ?id WHERE {
    GRAPH ?g { ?t gk:atopId ?id } GRAPH ?h { ?p gk:inTreaty ?t } FILTER (?g != ?h)
} ORDER BY ?id"""

#: Curated treaties that an import also codes: their facts and the import's member phases.
_PAIRINGS = """PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?t ?id (SAMPLE(?l) AS ?label) (SAMPLE(?s) AS ?signed)
       (COUNT(DISTINCT ?cp) AS ?curated) (COUNT(DISTINCT ?m) AS ?members) (MIN(STR(?in)) AS ?first)
WHERE {
    GRAPH ?g { ?t gk:atopId ?id } GRAPH ?h { ?p gk:inTreaty ?t ; gk:memberState ?m }
    FILTER (?g != ?h)
    OPTIONAL { ?p gk:entryDate ?in }
    OPTIONAL { GRAPH ?g { ?t gk:party ?cp } }
    OPTIONAL { ?t rdfs:label ?l FILTER (LANG(?l) = "en") }
    OPTIONAL { ?t gk:signedOn ?s }
} GROUP BY ?t ?id ORDER BY ?id"""

#: The alliances of an import, from its member phases: treaty, id, entries and members.
_ALLIANCES = """PREFIX gk: <https://w3id.org/geokg/ontology#>
SELECT ?t ?id ?in ?m WHERE {
    GRAPH <%s> { ?p gk:inTreaty ?t ; gk:entryDate ?in OPTIONAL { ?p gk:memberState ?m } }
    ?t gk:atopId ?id
}"""

#: The treaties stated outside an import (and the derived graph), with their signing and parties.
_TREATIES = """PREFIX gk: <https://w3id.org/geokg/ontology#>
SELECT ?t ?id ?signed ?party WHERE {
    GRAPH ?g { ?t a gk:Treaty ; gk:party ?party ; gk:signedOn ?signed }
    FILTER (?g != <%(atop)s> && ?g != <%(derived)s>)
    OPTIONAL { ?t gk:atopId ?id }
}"""

_SKIPPED = """PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?g ?note WHERE { GRAPH ?g { ?g skos:editorialNote ?note } } ORDER BY ?g"""


def reconciliation_report(kg) -> dict:
    """What could not be matched, and why; and what was matched across data sets.

    Returns a dict with ``unmatched_codes`` (graph, code, rows), ``states_without_wikidata``
    (state, label, COW code, ISO code), ``linked_treaties`` (curated treaties that an import
    also describes: one node), ``pairings`` (each of them with its curated parties and signing
    and ATOP's member states and first entry), ``near_misses`` (see :func:`near_misses`),
    ``import_notes`` (the importers' notes on skipped rows) and ``places`` (how each theatre
    that is not a state was modelled: place and host states).
    """
    codes = [(str(g), str(c), int(n)) for g, c, n in kg.query(_UNMATCHED_CODES)]
    without = [
        (str(s), str(label or ""), int(cow) if cow is not None else None, str(iso or ""))
        for s, label, cow, iso in kg.query(_STATES_WITHOUT)
    ]
    linked = [(str(t), int(i)) for t, i in kg.query(_TREATY_LINKS)]
    pairings = [
        {
            "treaty": str(t),
            "atopid": int(i),
            "label": str(label or ""),
            "signed": str(signed or ""),
            "curated_parties": int(curated),
            "members": int(members),
            "first_entry": str(first or ""),
        }
        for t, i, label, signed, curated, members, first in kg.query(_PAIRINGS)
    ]
    notes = [
        (str(g), str(n)) for g, n in kg.query(_SKIPPED) if str(g).startswith(str(GRAPH["import/"]))
    ]
    from .places import places_report  # issue 11: how each non-state theatre was modelled

    return {
        "unmatched_codes": codes,
        "states_without_wikidata": without,
        "linked_treaties": linked,
        "pairings": pairings,
        "near_misses": near_misses(kg),
        "import_notes": notes,
        "places": places_report(kg),
    }


def near_misses(kg, imported: str = str(GRAPH["import/atop"])) -> list[dict]:
    """Treaties that look like an imported ATOP alliance without being linked to it: the same
    begin year (the treaty's signing, the alliance's first member entry), every party of the
    treaty a member of the alliance (curated party lists keep to the knowledge base's states),
    and no ``gk:atopId`` or a different one. For review: link them with ``gk:atopId`` if they
    are one treaty. The alliances are read from the import's member phases, so a linked one
    counts too.
    """
    alliances: dict[str, dict] = {}
    for t, i, entry, member in kg.query(_ALLIANCES % imported):
        found = alliances.setdefault(str(t), {"id": int(i), "first": str(entry), "members": set()})
        found["first"] = min(found["first"], str(entry))
        if member is not None:
            found["members"].add(str(member))
    treaties: dict[str, dict] = {}
    for t, i, signed, party in kg.query(_TREATIES % {"atop": imported, "derived": DERIVED_GRAPH}):
        found = treaties.setdefault(str(t), {"id": i, "year": str(signed)[:4], "parties": set()})
        found["parties"].add(str(party))
    misses = []
    for t, found in sorted(treaties.items()):
        for other, alliance in sorted(alliances.items()):
            same = (
                alliance["first"][:4] == found["year"] and found["parties"] <= alliance["members"]
            )
            if other != t and same and (found["id"] is None or int(found["id"]) != alliance["id"]):
                misses.append(
                    {
                        "treaty": t,
                        "atopid": alliance["id"],
                        "atop_treaty": other,
                        "year": found["year"],
                        "parties": len(found["parties"]),
                    }
                )
    return misses


def report_text(report: dict) -> str:
    """The reconciliation report as text lines for a terminal."""
    lines = []
    codes = report["unmatched_codes"]
    lines.append(f"Codes that match no state ({len(codes)}):")
    for g, code, n in codes:
        lines.append(f"  {code} in {g.rsplit('/', 1)[-1]}: {n} rows (not a COW state code)")
    notes = report["import_notes"]
    lines.append(f"Rows left out by the importers ({len(notes)} notes):")
    for g, note in notes:
        lines.append(f"  {g.rsplit('/', 1)[-1]}: {note}")
    from .places import places_text

    lines += places_text(report.get("places", []))
    without = report["states_without_wikidata"]
    lines.append(f"States with no Wikidata link ({len(without)}; the crosswalk gives none):")
    for s, label, cow, _iso in without:
        lines.append(f"  {s.rsplit('/', 1)[-1]}  {label}  COW {cow if cow else '-'}")
    pairings = report["pairings"]
    lines.append(f"Curated treaties that ATOP also codes, one node each ({len(pairings)}):")
    for p in pairings:
        lines.append(
            f"  ATOP {p['atopid']} = {p['label'] or p['treaty']} <{p['treaty']}>: "
            f"curated {p['curated_parties']} parties, signed {p['signed'] or '-'}; "
            f"ATOP {p['members']} member states, first entry {p['first_entry'] or '-'}"
        )
    misses = report["near_misses"]
    lines.append(
        f"Near-misses: same begin year, every curated party an ATOP member, different ids "
        f"({len(misses)}; link with gk:atopId if they are one treaty):"
    )
    for m in misses:
        lines.append(
            f"  {m['treaty']} ({m['year']}, {m['parties']} parties) and ATOP {m['atopid']} "
            f"<{m['atop_treaty']}>"
        )
    return "\n".join(lines)
