"""Import the Military Deployment Index (Massie et al. 2022; figures from IISS, The Military Balance).

What the figures are: the MDI codes, for each year from 2014 to 2021, the military personnel
that each of about 33 (mostly NATO and EU) states had deployed in each theatre and mission, as
reported by IISS's *The Military Balance*; a figure is personnel deployed in that theatre in
that year, not an average and not a count of missions.

Every row is in the graph. One ``gk:MilitaryDeployment`` per sender, theatre, organisation and
mission (``id/deployment/mdi/<sender>-<theatre>-<organisation>-<mission>``; names that differ
only in case and punctuation, "OSCE - Moldova" and "OSCE- Moldova", are one mission), marked
``gk:yearCoded``: it is under way in the years for which the file gives it a figure, and only
then. Its host states are resolved by name (a theatre naming two states, e.g. "Israel, Syria",
has both); a theatre that is not a state (French Guiana, Indian Ocean, Western Sahara…) is its
``gk:location``, a ``gk:Place`` (see :mod:`.places`) with the file's coordinates, and the place's
sovereign, where there is one, is the host state (French Guiana → France; a sea has none).
One ``gk:QuantityClaim`` per row (measure troops deployed, ``gk:asOf`` the year as
``xsd:gYear``), ``id/claim/mdi/<row index>``, attributed to IISS, the row itself as the quote.
The file has no row with a missing or zero figure; a row without one would stop the import,
naming file, line, column and value. "None" in ``MissionName`` is the file's "no named mission".

>>> import geokg, pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "mdi.csv"
>>> _ = path.write_text(",Year,Theatre,Lat,Lon,Country,Organisation,MissionName,MissionType,Deployed\\n"
...     "3171,2020,French Guiana,3.9,-53.1,FRA,FRA,None,MilitaryPresence,2100\\n")
>>> result = import_mdi(geokg.open_store(None), path, validate=False)
>>> result["claims"], result["places"]
(1, {'French Guiana': 'https://w3id.org/geokg/id/place/french-guiana'})
"""

from __future__ import annotations

from rdflib import URIRef

from ..namespaces import GRAPH
from .common import SRC, Triples, slug, source_document
from .csvrows import csv_file_rows
from .deployments import CLAIM, DEPLOYMENT, ORG, agent, deployment, personnel_claim, row_quote
from .places import (
    coordinates,
    host_states,
    load_with_places,
    place_part,
    place_triples,
    theatre_place,
)
from .reconcile import Resolver

MDI_GRAPH = GRAPH["import/mdi"]
_COLUMNS = ("Year", "Theatre", "Country", "Organisation", "MissionName", "Deployed")

SOURCE = {
    "label_en": "Military Deployment Index, 2014-2021",
    "label_fr": "Indice des déploiements militaires (Military Deployment Index), 2014-2021",
    "title": "Military Deployment Index",
    "publisher": "Massie, Tallová, Dohnány & Bajnoková",
    "date": "2022",
    "version": "2014-2021",
    "citation": "Massie, Tallová, Dohnány and Bajnoková. 2022. "
    "Military Deployment Index. Figures from IISS, The Military Balance.",
    "note": "File mdi_deployments_2014_2021.csv, supplied by the user. Each row: the personnel "
    "a state had deployed in a theatre and mission in a year (IISS, The Military Balance).",
}


def import_mdi(kg, path, *, validate: bool = True, progress=None, resolver=None) -> dict:
    """Import the MDI file into ``graph/import/mdi`` (replacing it), every row a claim.

    Returns counts (``deployments``, ``claims``: one per row), ``places``: each theatre that
    is not a state and its place IRI, and ``unrecognised``: the theatres not in geokg's table
    of places (modelled as places with no host, and flagged by the reconciliation report).
    """
    resolver = resolver or Resolver.from_store(kg)
    out = Triples()
    source = SRC["mdi-2014-2021"]
    source_document(out, source, SOURCE)
    iiss = URIRef(ORG + "iiss")
    agent(out, iiss, "International Institute for Strategic Studies (IISS)", "IISS")
    deployments: set[URIRef] = set()
    places: dict[str, str] = {}
    new: dict = {}
    points: set[tuple] = set()
    claims = 0
    for row in csv_file_rows(path, required=_COLUMNS, progress=progress):
        index = row.text(next(iter(row.cells)))
        year = row.integer("Year")
        sender_code = row.text("Country")
        sender = resolver.iso3(sender_code)
        if sender is None:
            raise row.error("Country", "is not the ISO 3166 alpha-3 code of a known state")
        theatre = row.text("Theatre")
        deployed = row.integer("Deployed")
        hosts, locations, parts = [], [], []
        for name in (part.strip() for part in theatre.split(",")):
            state = resolver.name(name)
            if state is not None:
                hosts.append(state)
                parts.append(str(state).rsplit("/", 1)[1])
                continue
            place = theatre_place(name, "mdi", new)
            here = host_states(place, year, resolver)
            hosts += here
            locations.append(place.iri)
            parts.append(place_part(place, year))
            places[name] = str(place.iri)
            lat, lon = _float(row, "Lat"), _float(row, "Lon")
            if lat is not None and lon is not None and (place.iri, lat, lon) not in points:
                points.add((place.iri, lat, lon))
                coordinates(out, place.iri, lat, lon)
        organisation = row.text("Organisation", required=False) or "national"
        mission = row.text("MissionName", required=False) or "None"
        dep = URIRef(
            f"{DEPLOYMENT}mdi/{sender_code.upper()}-{'-'.join(parts)}-{slug(organisation)}-{slug(mission)}"
        )
        if dep not in deployments:
            deployments.add(dep)
            shown = "no named mission" if mission == "None" else mission
            en = f"{resolver.label(sender)} forces in {theatre}: {organisation}, {shown} (MDI)"
            fr = f"Forces ({sender_code.upper()}) en {theatre} : {organisation}, {shown} (MDI)"
            deployment(out, dep, sender, hosts, en, fr, source, locations)
        quote = row_quote(row)
        personnel_claim(
            out, URIRef(f"{CLAIM}mdi/{slug(index)}"), dep, year, deployed, iiss, source, quote
        )
        claims += 1
    for place in new.values():
        place_triples(out, place, source)
    result = load_with_places(kg, out, MDI_GRAPH, "MDI", validate, progress)
    result.update(
        deployments=len(deployments),
        claims=claims,
        places=places,
        unrecognised=sorted(p.en for p in new.values()),
    )
    return result


def _float(row, column: str) -> float | None:
    """A coordinate cell (absent column or NA: None)."""
    value = row.text(column, required=False) if column in row.cells else None
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        raise row.error(column, "is not a number") from None
