"""Import US troops by country and year (Allen, Flynn & Martinez Machain 2022).

What the figures are: the data set gives, for each year from 1950, the number of US military
personnel stationed in each country or territory (compiled from the Defense Manpower Data
Center's quarterly reports; troops by service where known), the United States itself included;
a figure is troops stationed there in that year, not troops engaged in operations.

Every row is in the graph. The row of the United States (COW code 2) is home stationing: a
``gk:HomeStationing`` (``id/deployment/us-troops/USA-home``, ``gk:stationingState`` USA), not a
``gk:MilitaryDeployment``, so that no query of deployments abroad counts it. Every other row
belongs to a ``gk:MilitaryDeployment`` of the United States (``id/deployment/us-troops/<host>``),
marked ``gk:yearCoded``: under way in a year for which the file gives it a figure above zero.
The host is resolved by COW code on 1 July of the year, else by geokg's table of places, ISO
alpha-3 code or name; a territory, sea or "unknown" location is the deployment's
``gk:location`` (a ``gk:Place``, see :mod:`.places`), with its sovereign in that year as the
host where there is one (Guam → United States, Hong Kong → United Kingdom until 1996 and China
from 1997; "Afloat" none). US territories (Guam, Puerto Rico…) are rows of their own in the data
set, outside its "United States" row: they are deployments outside the home row, host USA.
One ``gk:QuantityClaim`` per row (measure troops deployed, ``gk:asOf`` the year as ``xsd:gYear``,
the zeros kept), ``id/claim/us-troops/<host>-<year>``, attributed to the US Defense Manpower
Data Center, the row as the quote. A row without a figure stops the import, naming file, line,
column and value (the file has none).

>>> import geokg, pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "us.csv"
>>> _ = path.write_text("countryname,ccode,iso3c,year,troops\\n"
...     "United States,2,USA,1950,941231\\nGuam,1008,GUM,2010,2928\\n")
>>> result = import_us_troops(geokg.open_store(None), path, validate=False)
>>> result["claims"], result["home_rows"], result["places"]
(2, 1, {'Guam': 'https://w3id.org/geokg/id/place/guam'})
"""

from __future__ import annotations

from collections import Counter

from rdflib import URIRef

from ..namespaces import GRAPH, STATE
from .common import SRC, Triples, source_document
from .csvrows import csv_file_rows
from .deployments import (
    CLAIM,
    DEPLOYMENT,
    ORG,
    agent,
    deployment,
    home_stationing,
    personnel_claim,
    row_quote,
)
from .places import host_states, load_with_places, lookup, place_part, place_triples, theatre_place
from .reconcile import Resolver

US_TROOPS_GRAPH = GRAPH["import/us-troops"]
_COLUMNS = ("countryname", "ccode", "iso3c", "year", "troops")
_HOME_COW = 2

SOURCE = {
    "label_en": "Global US military deployment data, 1950-2023",
    "label_fr": "Données des déploiements militaires des États-Unis dans le monde, 1950-2023",
    "title": "Global U.S. military deployment data: 1950-2020",
    "publisher": "Allen, Flynn & Martinez Machain",
    "date": "2022",
    "version": "1950-2023",
    "citation": "Allen, Michael A., Michael E. Flynn and Carla Martinez Machain. 2022. "
    '"Global U.S. military deployment data: 1950-2020." Conflict Management and Peace '
    "Science 39(3).",
    "licence": "https://www.gnu.org/licenses/gpl-3.0.html",
    "note": "File us_troops_country_year.csv, supplied by the user (GPL-3). Each row: the US "
    "troops stationed in a country or territory in a year, the United States included.",
}


def import_us_troops(kg, path, *, validate: bool = True, progress=None, resolver=None) -> dict:
    """Import the US troops file into ``graph/import/us-troops`` (replacing it), every row a
    claim.

    Returns counts (``deployments``, ``claims``: one per row, ``home_rows``), ``places``:
    each name that is not a state and its place IRI, and ``unrecognised``: names not in
    geokg's table of places (modelled as places with no host, flagged by the report).
    """
    resolver = resolver or Resolver.from_store(kg)
    out = Triples()
    source = SRC["us-troops-1950-2023"]
    source_document(out, source, SOURCE)
    dmdc = URIRef(ORG + "us-dmdc")
    agent(
        out,
        dmdc,
        "US Defense Manpower Data Center (DMDC)",
        "Defense Manpower Data Center (DMDC) des États-Unis",
    )
    usa = STATE["USA"]
    home = URIRef(f"{DEPLOYMENT}us-troops/USA-home")
    home_stationing(
        out,
        home,
        usa,
        "United States forces at home (Allen, Flynn & Martinez Machain)",
        "Forces des États-Unis sur leur territoire (Allen, Flynn & Martinez Machain)",
        source,
    )
    deployments: set[URIRef] = set()
    places: dict[str, str] = {}
    new: dict = {}
    seen: Counter = Counter()
    claims = home_rows = 0
    for row in csv_file_rows(path, required=_COLUMNS, progress=progress):
        year = row.integer("year")
        code = row.integer("ccode", required=False)
        troops = row.integer("troops")
        name = row.text("countryname")
        if code == _HOME_COW:
            dep, local = home, "USA-home"
            home_rows += 1
        else:
            hosts, locations, local = _host(row, name, code, year, resolver, new)
            if locations:
                places[name] = str(locations[0])
            dep = URIRef(f"{DEPLOYMENT}us-troops/{local}")
            if dep not in deployments:
                deployments.add(dep)
                en = f"United States forces in {_shown(name, hosts, locations, resolver)}"
                en += " (Allen, Flynn & Martinez Machain)"
                fr = f"Forces des États-Unis : {name} (Allen, Flynn & Martinez Machain)"
                deployment(out, dep, usa, hosts, en, fr, source, locations)
        quote = row_quote(row)
        seen[(local, year)] += 1  # a host-year twice (two codes for one state): both kept
        again = f"-{seen[(local, year)]}" if seen[(local, year)] > 1 else ""
        claim = URIRef(f"{CLAIM}us-troops/{local}-{year}{again}")
        personnel_claim(out, claim, dep, year, troops, dmdc, source, quote)
        claims += 1
    for place in new.values():
        place_triples(out, place, source)
    result = load_with_places(kg, out, US_TROOPS_GRAPH, "US troops", validate, progress)
    result.update(
        deployments=len(deployments),
        claims=claims,
        home_rows=home_rows,
        places=places,
        unrecognised=sorted(p.en for p in new.values()),
    )
    return result


def _host(row, name: str, code: int | None, year: int, resolver, new: dict):
    """(host states, places, IRI segment) of a row: a COW state on 1 July of the year, else
    a place of the table, else a state by ISO code or name, else a new place (no host)."""
    state = resolver.cow(code, f"{year:04d}-07-01") if code is not None else None
    if state is None and lookup(name) is None:
        iso = row.text("iso3c", required=False)
        state = (resolver.iso3(iso) if iso else None) or resolver.name(name)
    if state is not None:
        return [state], [], str(state).rsplit("/", 1)[1]
    place = theatre_place(name, "us-troops", new)
    return host_states(place, year, resolver), [place.iri], place_part(place, year)


def _shown(name: str, hosts: list, locations: list, resolver) -> str:
    """How a deployment's label names where it is: the state's label, else the file's name."""
    return name if locations or not hosts else resolver.label(hosts[0])
