"""Import the Military Deployment Index (Massie et al. 2022; figures from IISS, The Military Balance).

One ``gk:MilitaryDeployment`` per sender, theatre, organisation and mission
(``id/deployment/mdi/<sender>-<theatre>-<organisation>-<mission>``), host states resolved by
name (a theatre naming two states, e.g. "Israel, Syria", has both); one ``gk:QuantityClaim``
(troops deployed, as of the year) per row, ``id/claim/mdi/<row index>``, attributed to IISS, the
row itself as the quote. Rows whose theatre is not a state (seas, regions, dependent territories)
are left out, counted, and noted on the graph for the reconciliation report.
"""

from __future__ import annotations

from collections import Counter

from rdflib import URIRef

from ..namespaces import GRAPH
from .common import SRC, Triples, load, slug, source_document
from .csvrows import csv_file_rows
from .deployments import CLAIM, DEPLOYMENT, ORG, agent, deployment, note, personnel_claim
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
    "citation": "Massie, Justin, Tereza Tallová, Jozef Dohnány and Lucia Bajnoková. 2022. "
    "Military Deployment Index. Figures from IISS, The Military Balance.",
    "note": "File mdi_deployments_2014_2021.csv, supplied by the user.",
}


def import_mdi(kg, path, *, validate: bool = True, progress=None, resolver=None) -> dict:
    """Import the MDI file into ``graph/import/mdi`` (replacing it)."""
    resolver = resolver or Resolver.from_store(kg)
    out = Triples()
    source = SRC["mdi-2014-2021"]
    source_document(out, source, SOURCE)
    iiss = URIRef(ORG + "iiss")
    agent(out, iiss, "International Institute for Strategic Studies (IISS)", "IISS")
    deployments: set[URIRef] = set()
    skipped: Counter = Counter()
    claims = 0
    for row in csv_file_rows(path, required=_COLUMNS, progress=progress):
        index = row.text(next(iter(row.cells)))
        year = row.integer("Year")
        sender_code = row.text("Country")
        sender = resolver.iso3(sender_code)
        if sender is None:
            raise row.error("Country", "is not the ISO 3166 alpha-3 code of a known state")
        theatre = row.text("Theatre")
        deployed = row.integer("Deployed")  # checked on every row, kept or not
        hosts = [resolver.name(part) for part in theatre.split(",")]
        if not hosts or None in hosts:
            skipped[theatre] += 1
            continue
        organisation = row.text("Organisation", required=False) or "national"
        mission = row.text("MissionName", required=False) or "unnamed"
        host_part = "-".join(str(h).rsplit("/", 1)[1] for h in hosts)
        dep = URIRef(
            f"{DEPLOYMENT}mdi/{sender_code.upper()}-{host_part}-{slug(organisation)}-{slug(mission)}"
        )
        if dep not in deployments:
            deployments.add(dep)
            en = f"{resolver.label(sender)} forces in {theatre}: {organisation}, {mission} (MDI)"
            fr = f"Forces ({sender_code.upper()}) en {theatre} : {organisation}, {mission} (MDI)"
            deployment(out, dep, sender, hosts, en, fr, source)
        quote = ",".join(row.cells.values())
        personnel_claim(
            out, URIRef(f"{CLAIM}mdi/{slug(index)}"), dep, year, deployed, iiss, source, quote
        )
        claims += 1
    if skipped:
        listed = "; ".join(f"{t} ({n})" for t, n in sorted(skipped.items()))
        note(
            out,
            MDI_GRAPH,
            f"{sum(skipped.values())} rows left out: their theatre is not a state: {listed}",
        )
    result = load(kg, out, MDI_GRAPH, "MDI", validate, progress)
    result.update(deployments=len(deployments), claims=claims, skipped=dict(skipped))
    return result
