"""Reconciliation: codes and names of data sets resolved to geokg's state IRIs.

One IRI per entity across data sets: the states of ``ontology/kb/states.ttl`` (generated from the
COW list and the OWID crosswalk) and the curated ``actors.ttl`` share their IRIs, carry ISO 3166
alpha-2/alpha-3 codes, the COW code and abbreviation and the Wikidata IRI (``owl:sameAs``), so an
importer resolves a COW code, an ISO code or a name to the same node. COW code 365 is Russia and
the USSR in one; the importers give a membership that began before 26 December 1991 to
``state:SUN`` (the curated USSR) and a later one to ``state:RUS``.

What could not be matched is kept in the imported graphs (``gk:dataSetCode``, or counted and
listed by the importers) and listed by :func:`reconciliation_report`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from rdflib import URIRef

from ..namespaces import GRAPH, STATE

#: The day after the USSR ceased to exist: COW 365 before it is the USSR, from it Russia.
USSR_END = "1991-12-26"

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
        return resolver

    def cow(self, code: int, on: str | None = None) -> URIRef | None:
        """The state of a COW code; ``on`` (an ISO date string) splits 365 into USSR and Russia."""
        if code == 365 and on is not None and on < USSR_END:
            return STATE["SUN"]
        return self.by_cow.get(code)

    def iso3(self, code: str) -> URIRef | None:
        return self.by_iso3.get(code.strip().upper())

    def name(self, text: str) -> URIRef | None:
        return self.by_name.get(_key(text))

    def label(self, state: URIRef) -> str:
        return self.labels.get(state, str(state).rsplit("/", 1)[-1])


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

_SKIPPED = """PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?g ?note WHERE { GRAPH ?g { ?g skos:editorialNote ?note } } ORDER BY ?g"""


def reconciliation_report(kg) -> dict:
    """What could not be matched, and why; and what was matched across data sets.

    Returns a dict with ``unmatched_codes`` (graph, code, rows), ``states_without_wikidata``
    (state, label, COW code, ISO code), ``linked_treaties`` (curated treaties that an import
    also describes: one node), ``import_notes`` (the importers' notes on skipped rows) and
    ``places`` (how each theatre that is not a state was modelled: place and host states).
    """
    codes = [(str(g), str(c), int(n)) for g, c, n in kg.query(_UNMATCHED_CODES)]
    without = [
        (str(s), str(label or ""), int(cow) if cow is not None else None, str(iso or ""))
        for s, label, cow, iso in kg.query(_STATES_WITHOUT)
    ]
    linked = [(str(t), int(i)) for t, i in kg.query(_TREATY_LINKS)]
    notes = [
        (str(g), str(n)) for g, n in kg.query(_SKIPPED) if str(g).startswith(str(GRAPH["import/"]))
    ]
    from .places import places_report  # issue 11: how each non-state theatre was modelled

    return {
        "unmatched_codes": codes,
        "states_without_wikidata": without,
        "linked_treaties": linked,
        "import_notes": notes,
        "places": places_report(kg),
    }


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
    linked = report["linked_treaties"]
    lines.append(f"Curated treaties that an import also describes, one node each ({len(linked)}):")
    for t, i in linked:
        lines.append(f"  ATOP {i}: {t}")
    return "\n".join(lines)
