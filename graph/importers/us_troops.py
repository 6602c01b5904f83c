"""Import US troops abroad by country and year (Allen, Flynn & Martinez Machain 2022).

One ``gk:MilitaryDeployment`` per host state (``id/deployment/us-troops/<host>``, sender the
United States; host resolved by COW code, else ISO alpha-3); one ``gk:QuantityClaim`` (troops
deployed, as of the year) per row with a figure, ``id/claim/us-troops/<host>-<year>``, attributed
to the US Defense Manpower Data Center whose reports the data set compiles, the row as the quote.
Rows without a figure (NA) are counted and noted; the home country (host United States) is kept
as the data set gives it.
"""

from __future__ import annotations

from collections import Counter

from rdflib import URIRef

from ..namespaces import GRAPH, STATE
from .common import SRC, Triples, load, source_document
from .csvrows import csv_file_rows
from .deployments import CLAIM, DEPLOYMENT, ORG, agent, deployment, note, personnel_claim
from .reconcile import Resolver

US_TROOPS_GRAPH = GRAPH["import/us-troops"]
_COLUMNS = ("countryname", "ccode", "iso3c", "year", "troops")

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
    "note": "File us_troops_country_year.csv, supplied by the user (GPL-3).",
}


def import_us_troops(kg, path, *, validate: bool = True, progress=None, resolver=None) -> dict:
    """Import the US troops file into ``graph/import/us-troops`` (replacing it)."""
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
    deployments: set[URIRef] = set()
    unmatched: Counter = Counter()
    no_figure = 0
    seen: Counter = Counter()
    claims = 0
    for row in csv_file_rows(path, required=_COLUMNS, progress=progress):
        year = row.integer("year")
        code = row.integer("ccode", required=False)
        troops = row.integer("troops", required=False)  # checked on every row, kept or not
        year_date = f"{year:04d}-07-01"
        host = resolver.cow(code, year_date) if code is not None else None
        if host is None and row.text("iso3c", required=False):
            host = resolver.iso3(row.text("iso3c"))
        if host is None:
            unmatched[row.text("countryname")] += 1
            continue
        if troops is None:
            no_figure += 1
            continue
        local = str(host).rsplit("/", 1)[1]
        dep = URIRef(f"{DEPLOYMENT}us-troops/{local}")
        if dep not in deployments:
            deployments.add(dep)
            name = resolver.label(host)
            en = f"United States forces in {name} (Allen, Flynn & Martinez Machain)"
            fr = f"Forces des États-Unis : {name} (Allen, Flynn & Martinez Machain)"
            deployment(out, dep, usa, [host], en, fr, source)
        quote = ",".join(row.cells.values())
        seen[(local, year)] += 1  # a host-year twice (two codes for one state): both kept
        again = f"-{seen[(local, year)]}" if seen[(local, year)] > 1 else ""
        claim = URIRef(f"{CLAIM}us-troops/{local}-{year}{again}")
        personnel_claim(out, claim, dep, year, troops, dmdc, source, quote)
        claims += 1
    if no_figure:
        note(out, US_TROOPS_GRAPH, f"{no_figure} rows left out: no troop figure (NA)")
    if unmatched:
        listed = "; ".join(f"{t} ({n})" for t, n in sorted(unmatched.items()))
        note(
            out,
            US_TROOPS_GRAPH,
            f"{sum(unmatched.values())} rows left out: host not a state: {listed}",
        )
    result = load(kg, out, US_TROOPS_GRAPH, "US troops", validate, progress)
    result.update(
        deployments=len(deployments),
        claims=claims,
        no_figure=no_figure,
        unmatched=dict(unmatched),
    )
    return result
