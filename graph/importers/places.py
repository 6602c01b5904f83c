"""Theatres that are not sovereign states: territories, seas and regions, as ``gk:Place``.

The deployment data sets name, beside states, dependent territories (French Guiana, Guam),
seas (Indian Ocean), regions (Middle East) and disputed areas (Western Sahara). Each such
theatre is a ``gk:Place`` (``id/place/<slug>``, labels in English and French) and the
deployment's ``gk:location``; its sovereign in the year of a figure, where there is one, is
the deployment's ``gk:hostState`` (French Guiana → France, Guam → United States, Hong Kong →
United Kingdom until 1996 and China from 1997, judged on 1 July of the year); a sea or region
has no host. The table below is geokg's; the places are in their own named graph
(``graph/places``), loaded whole with each deployment import in one all-or-nothing load, so
that two data sets naming Guam share one node and no triple sits in two graphs. A name the
table does not know becomes a place of its data set (``id/place/<data set>/<slug>``) with no
host, and the reconciliation report flags it.

>>> place = lookup("French Guiana")
>>> str(place.iri), place.hosts_in(2020)
('https://w3id.org/geokg/id/place/french-guiana', ('FRA',))
>>> lookup("Hong Kong").hosts_in(1990), lookup("Hong Kong").hosts_in(1997)
(('GBR',), ('CHN',))
>>> lookup("Indian Ocean").hosts_in(2020)
()
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ..errors import GeokgError
from ..namespaces import GRAPH, ID, STATE
from .common import (
    GK,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    SRC,
    Triples,
    load_graphs,
    slug,
    source_document,
)
from .reconcile import _key

PLACE = str(ID) + "place/"
PLACES_GRAPH = GRAPH["places"]
PLACES_SOURCE = SRC["geokg-places"]

SOURCE = {
    "label_en": "geokg's table of theatres that are not states",
    "label_fr": "Table geokg des théâtres qui ne sont pas des États",
    "title": "Territories, seas and regions named by the deployment data sets, with their sovereigns",
    "publisher": "The geokg project curators",
    "date": "2026",
    "version": "1",
    "citation": "geokg curators. 2026. Territories, seas and regions named by the Military "
    "Deployment Index and the Global US military deployment data, with the state that holds "
    "sovereignty over each (UN list of Non-Self-Governing Territories; ISO 3166-1).",
    "note": "Sovereignty is the internationally recognised one; disputes are noted on the place.",
}


@dataclass(frozen=True)
class Place:
    """A theatre that is not a state: its IRI segment, labels, hosts over time and a note.

    ``periods``: ``(from_year, host codes)`` in order, the first from the beginning of time;
    a host code is an ISO 3166 alpha-3 code (``id/state/<code>``); no codes: no host state.
    """

    slug: str
    en: str
    fr: str
    periods: tuple[tuple[int, tuple[str, ...]], ...] = ()
    note: str | None = None

    @property
    def iri(self) -> URIRef:
        return URIRef(PLACE + self.slug)

    def hosts_in(self, year: int) -> tuple[str, ...]:
        """The host codes in ``year`` (the sovereign on 1 July)."""
        found: tuple[str, ...] = ()
        for start, codes in self.periods:
            if year >= start:
                found = codes
        return found

    @property
    def changes_host(self) -> bool:
        return len({codes for _, codes in self.periods}) > 1


def _place(slug_: str, en: str, fr: str, hosts: str = "", note: str = "") -> Place:
    """A table entry: ``hosts`` is ``"GBR; 1997 CHN"`` (periods separated by ``;``, each
    from a year but the first), ``""`` for none."""
    periods = []
    for part in (p.strip() for p in hosts.split(";") if p.strip()):
        words = part.split()
        start = int(words[0]) if words[0].isdigit() else 0
        periods.append((start, tuple(w for w in words if not w.isdigit() and w != "none")))
    return Place(slug_, en, fr, tuple(periods), note or None)


#: (names in the data sets separated by "|", slug, English, French, hosts, note)
_TABLE = [
    # dependent territories
    ("Guam", "guam", "Guam", "Guam", "USA"),
    ("Puerto Rico", "puerto-rico", "Puerto Rico", "Porto Rico", "USA"),
    ("American Samoa", "american-samoa", "American Samoa", "Samoa américaines", "USA"),
    ("Northern Mariana Islands", "northern-mariana-islands", "Northern Mariana Islands",
     "Îles Mariannes du Nord", "USA"),
    ("U.S. Virgin Islands|Virgin Islands, U.S.", "us-virgin-islands",
     "United States Virgin Islands", "Îles Vierges des États-Unis", "USA"),
    ("Wake Island", "wake-island", "Wake Island", "Île Wake", "USA"),
    ("French Guiana", "french-guiana", "French Guiana", "Guyane", "FRA"),
    ("French Polynesia", "french-polynesia", "French Polynesia", "Polynésie française", "FRA"),
    ("French West Indies", "french-west-indies", "French West Indies", "Antilles françaises",
     "FRA"),
    ("New Caledonia", "new-caledonia", "New Caledonia", "Nouvelle-Calédonie", "FRA"),
    ("Martinique", "martinique", "Martinique", "Martinique", "FRA"),
    ("Bassas da India", "bassas-da-india", "Bassas da India", "Bassas da India", "FRA",
     "The US-troops file codes it ISO IND (India) in error: a French scattered island."),
    ("Gibraltar", "gibraltar", "Gibraltar", "Gibraltar", "GBR", "Claimed by Spain."),
    ("Falkland Islands", "falkland-islands", "Falkland Islands", "Îles Malouines", "GBR",
     "Claimed by Argentina."),
    ("Ascension Island", "ascension-island", "Ascension Island", "Île de l'Ascension", "GBR"),
    ("St. Helena", "saint-helena", "Saint Helena", "Sainte-Hélène", "GBR"),
    ("British Indian Ocean Territory", "british-indian-ocean-territory",
     "British Indian Ocean Territory", "Territoire britannique de l'océan Indien", "GBR",
     "Claimed by Mauritius."),
    ("Diego Garcia", "diego-garcia", "Diego Garcia", "Diego Garcia", "GBR",
     "In the British Indian Ocean Territory, claimed by Mauritius."),
    ("British Atlantic Ocean Territory", "british-atlantic-ocean-territory",
     "British Atlantic Ocean Territory", "Territoire britannique de l'océan Atlantique", "GBR",
     "The US-troops file's name; British territory in the South Atlantic."),
    ("Bermuda", "bermuda", "Bermuda", "Bermudes", "GBR"),
    ("British Virgin Islands", "british-virgin-islands", "British Virgin Islands",
     "Îles Vierges britanniques", "GBR"),
    ("Turks Island", "turks-islands", "Turks Islands", "Îles Turques", "GBR"),
    ("Akrotiri", "akrotiri", "Akrotiri", "Akrotiri", "GBR",
     "A British Sovereign Base Area on Cyprus."),
    ("Greenland", "greenland", "Greenland", "Groenland", "DNK"),
    ("Svalbard", "svalbard", "Svalbard", "Svalbard", "NOR"),
    ("Aruba", "aruba", "Aruba", "Aruba", "NLD"),
    ("Curacao", "curacao", "Curaçao", "Curaçao", "NLD"),
    ("Sint Maarten", "sint-maarten", "Sint Maarten", "Saint-Martin (partie néerlandaise)", "NLD"),
    ("Netherlands Antilles", "netherlands-antilles", "Netherlands Antilles",
     "Antilles néerlandaises", "NLD", "Dissolved in 2010; the US-troops file keeps the name."),
    ("Coral Sea Islands", "coral-sea-islands", "Coral Sea Islands", "Îles de la mer de Corail",
     "AUS"),
    ("Easter Island", "easter-island", "Easter Island", "Île de Pâques", "CHL"),
    ("Nagorno Karabakh", "nagorno-karabakh", "Nagorno-Karabakh", "Haut-Karabakh", "AZE",
     "Internationally recognised as part of Azerbaijan; held by the self-proclaimed "
     "Republic of Artsakh until 2023."),
    # territories whose sovereign changed within the data (judged on 1 July of the year)
    ("Hong Kong", "hong-kong", "Hong Kong", "Hong Kong", "GBR; 1997 CHN",
     "British colony until 30 June 1997, then a Special Administrative Region of China."),
    ("Aden", "aden", "Aden", "Aden", "GBR; 1968 YMD; 1990 YEM",
     "British colony until 30 November 1967; then South Yemen; Yemen from May 1990."),
    ("Sarawak", "sarawak", "Sarawak", "Sarawak", "GBR; 1964 MYS",
     "British colony until September 1963, then a state of Malaysia."),
    ("Antigua", "antigua", "Antigua", "Antigua", "GBR; 1982 ATG",
     "British until 1 November 1981, then Antigua and Barbuda."),
    ("Seychelles Island", "seychelles", "Seychelles", "Seychelles", "GBR; 1976 SYC",
     "British colony until 29 June 1976, then the Seychelles."),
    ("Fiji and Tonga", "fiji-and-tonga", "Fiji and Tonga", "Fidji et Tonga", "GBR; 1971 FJI TON",
     "Fiji a British colony and Tonga a British protected state until 1970; two states after."),
    ("Trucial States", "trucial-states", "Trucial States", "États de la Trêve",
     "none; 1972 ARE",
     "Sheikhdoms under British protection (not British territory) until December 1971, then "
     "the United Arab Emirates. The US-troops file codes them ISO OMN (Oman) in error."),
    ("Western Sahara", "western-sahara", "Western Sahara", "Sahara occidental", "ESP; 1976 none",
     "Spanish until February 1976; since then a non-self-governing territory claimed by "
     "Morocco and the Sahrawi Arab Democratic Republic: no host state."),
    ("British West Indies Federation", "british-west-indies", "British West Indies",
     "Antilles britanniques", "GBR; 1963 none",
     "British colonies (the West Indies Federation 1958-1962); after 1962 several states and "
     "territories: no single host state."),
    ("Line Islands", "line-islands", "Line Islands", "Îles de la Ligne", "",
     "Split between Kiribati (and before 1979 the United Kingdom) and the United States: no "
     "single host state."),
    ("Kashmir", "kashmir", "Kashmir", "Cachemire", "",
     "Disputed between India, Pakistan and China: no host state."),
    ("Spratly Islands", "spratly-islands", "Spratly Islands", "Îles Spratleys", "",
     "Claimed by China, Taiwan, Vietnam, the Philippines, Malaysia and Brunei: no host state."),
    # seas and regions
    ("Indian Ocean", "indian-ocean", "Indian Ocean", "Océan Indien"),
    ("Pacific Ocean", "pacific-ocean", "Pacific Ocean", "Océan Pacifique"),
    ("Arabian Sea", "arabian-sea", "Arabian Sea", "Mer d'Arabie"),
    ("Mediterranean Sea", "mediterranean-sea", "Mediterranean Sea", "Mer Méditerranée"),
    ("Persian Gulf", "persian-gulf", "Persian Gulf", "Golfe Persique"),
    ("Gulf of Guinea", "gulf-of-guinea", "Gulf of Guinea", "Golfe de Guinée"),
    ("Middle East", "middle-east", "Middle East", "Moyen-Orient", "",
     "A region: the data set does not say in which states."),
    ("Afloat", "afloat", "Afloat (at sea)", "À flot (en mer)", "",
     "US troops on ships at sea, as the US-troops file counts them: no host state."),
    ("UNKNOWN|Undefined|Zz-Unknown", "location-unknown", "Location not given",
     "Lieu non précisé", "",
     "US troops whose location the source does not give (the file's UNKNOWN, Undefined, "
     "Zz-Unknown)."),
]  # fmt: skip

#: Every name of the table (normalised as the state resolver does) → its place.
PLACES: dict[str, Place] = {
    _key(name): place
    for names, *fields in _TABLE
    for place in [_place(*fields)]
    for name in names.split("|")
}


def lookup(name: str) -> Place | None:
    """The place of a theatre name in geokg's table, or None."""
    return PLACES.get(_key(name))


def unknown_place(dataset: str, name: str) -> Place:
    """A place for a name the table does not know: of its data set, no host, flagged."""
    return Place(f"{dataset}/{slug(name)}", name, name, (), "Not in geokg's table of places.")


def place_triples(out: Triples, place: Place, source: URIRef) -> None:
    """A gk:Place: labels, the current sovereign (gk:locatedIn), a note, its source."""
    out.add(place.iri, RDF.type, GK.Place)
    out.add(place.iri, RDFS.label, Literal(place.en, lang="en"))
    out.add(place.iri, RDFS.label, Literal(place.fr, lang="fr"))
    if place.periods:
        for code in place.periods[-1][1]:
            out.add(place.iri, GK.locatedIn, STATE[code])
    if place.note:
        out.add(place.iri, SKOS.editorialNote, Literal(place.note, lang="en"))
    out.add(place.iri, PROV.wasDerivedFrom, source)


def coordinates(out: Triples, place: URIRef, lat: float, lon: float) -> None:
    """A point the data set gives for a place: ``schema:geo`` to a ``schema:GeoCoordinates``
    (a place may have several: the data set locates missions in one sea differently)."""
    point = URIRef(f"{place}/geo/{lat:.6f},{lon:.6f}")
    out.add(place, SCHEMA.geo, point)
    out.add(point, RDF.type, SCHEMA.GeoCoordinates)
    out.add(point, SCHEMA.latitude, Literal(f"{lat:.6f}", datatype=XSD.decimal))
    out.add(point, SCHEMA.longitude, Literal(f"{lon:.6f}", datatype=XSD.decimal))


def places_graph() -> Triples:
    """geokg's table of places as triples, for the graph ``graph/places`` (always the same:
    each deployment import loads it with its own graph, replacing it)."""
    out = Triples()
    source_document(out, PLACES_SOURCE, SOURCE)
    for place in {p.slug: p for p in PLACES.values()}.values():
        place_triples(out, place, PLACES_SOURCE)
    return out


def load_with_places(kg, out: Triples, graph: URIRef, name: str, validate: bool, progress):
    """Load an import's graph and ``graph/places`` together, all or nothing."""
    return load_graphs(kg, [(out, graph), (places_graph(), PLACES_GRAPH)], name, validate, progress)


def theatre_place(name: str, dataset: str, new: dict[str, Place]) -> Place:
    """The place of a theatre name: from the table, else a new one of ``dataset`` (recorded
    in ``new``, which the importer writes into its own graph)."""
    place = lookup(name)
    if place is None:
        place = new.setdefault(_key(name), unknown_place(dataset, name))
    return place


def host_states(place: Place, year: int, resolver) -> list[URIRef]:
    """The host states of a place in ``year`` (IRIs, through the state resolver); a code
    that is no state of the store is an error, not a place without a host."""
    hosts = []
    for code in place.hosts_in(year):
        state = resolver.iso3(code)
        if state is None:
            raise GeokgError(f"place {place.en}: host {code} is not a state of the store")
        hosts.append(state)
    return hosts


def place_part(place: Place, year: int) -> str:
    """The segment of a deployment IRI for a place: its slug, with the host where it changes
    (``hong-kong-GBR``, ``hong-kong-CHN``)."""
    segment = place.slug.replace("/", "-")
    return "-".join([segment, *place.hosts_in(year)]) if place.changes_host else segment


_MODELLED = """PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?g ?place (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?c) AS ?rows)
       (GROUP_CONCAT(DISTINCT COALESCE(?hl, ""); separator="|") AS ?hosts)
       (MAX(?none) AS ?hostless) WHERE {
    GRAPH ?g { ?d gk:location ?place } FILTER(STRSTARTS(STR(?g), "https://w3id.org/geokg/graph/import/"))
    BIND(IF(EXISTS { GRAPH ?g { ?d gk:hostState ?x } }, 0, 1) AS ?none)
    ?c gk:about ?d .
    OPTIONAL { ?place rdfs:label ?l FILTER(LANG(?l) = "en") }
    OPTIONAL { GRAPH ?g { ?d gk:hostState ?h } ?h rdfs:label ?hl FILTER(LANG(?hl) = "en") }
} GROUP BY ?g ?place ORDER BY ?g ?label"""


def places_report(kg) -> list[dict]:
    """How each theatre that is not a state was modelled, per import graph: the place, its
    host states over the data, comma-separated (none for a sea or region), whether some of
    its deployments have none (Western Sahara after Spain left), the rows (claims) it holds,
    and whether geokg's table knows it (``known`` False: a new place of the data set, no host).
    """
    table = {str(p.iri) for p in PLACES.values()}
    return [
        {
            "graph": str(g),
            "place": str(place),
            "label": str(label or place),
            "hosts": ", ".join(sorted(h for h in str(hosts or "").split("|") if h)),
            "rows": int(rows),
            "some_without_host": bool(int(hostless)),
            "known": str(place) in table,
        }
        for g, place, label, rows, hosts, hostless in kg.query(_MODELLED)
    ]


def places_text(found: list[dict]) -> list[str]:
    """The places report as text lines (see :func:`places_report`)."""
    lines = [f"Theatres that are not states, modelled as places ({len(found)}):"]
    for p in found:
        host = f"host {p['hosts']}" if p["hosts"] else "no host state"
        if p["hosts"] and p["some_without_host"]:
            host += " (in some years; no host state in the others)"
        flag = "" if p["known"] else "  (NOT IN GEOKG'S TABLE OF PLACES: check)"
        lines.append(
            f"  {p['label']} in {p['graph'].rsplit('/', 1)[-1]}: {p['rows']} rows, place "
            f"{p['place'].split('/id/', 1)[-1]}, {host}{flag}"
        )
    return lines
