"""What the deployment importers share: deployments with sourced personnel claims."""

from __future__ import annotations

import csv
import io

from rdflib import Literal, URIRef

from ..namespaces import ID
from .common import GK, MEASURE, PROV, RDF, RDFS, SCHEMA, XSD, Triples


def agent(out: Triples, iri: URIRef, en: str, fr: str) -> None:
    """The agency a data set credits with its figures (a plain prov:Agent)."""
    out.add(iri, RDF.type, PROV.Agent)
    out.add(iri, RDFS.label, Literal(en, lang="en"))
    out.add(iri, RDFS.label, Literal(fr, lang="fr"))


def deployment(
    out: Triples,
    iri: URIRef,
    sender: URIRef,
    hosts: list[URIRef],
    en: str,
    fr: str,
    source,
    locations: list[URIRef] = (),
) -> None:
    """A year-coded gk:MilitaryDeployment (``gk:yearCoded true``: under way in a year for which
    the data set gives it a figure above zero): host states, and places (``gk:location``) for
    theatres that are not states."""
    out.add(iri, RDF.type, GK.MilitaryDeployment)
    out.add(iri, RDFS.label, Literal(en, lang="en"))
    out.add(iri, RDFS.label, Literal(fr, lang="fr"))
    out.add(iri, GK.sendingState, sender)
    for host in hosts:
        out.add(iri, GK.hostState, host)
    for place in locations:
        out.add(iri, GK.location, place)
    out.add(iri, GK.yearCoded, Literal(True))
    out.add(iri, PROV.wasDerivedFrom, source)


def home_stationing(out: Triples, iri: URIRef, state: URIRef, en: str, fr: str, source) -> None:
    """A gk:HomeStationing: a state's forces at home, as a data set gives them beside its
    deployments abroad (not a gk:MilitaryDeployment, so no query of deployments counts it)."""
    out.add(iri, RDF.type, GK.HomeStationing)
    out.add(iri, RDFS.label, Literal(en, lang="en"))
    out.add(iri, RDFS.label, Literal(fr, lang="fr"))
    out.add(iri, GK.stationingState, state)
    out.add(iri, GK.yearCoded, Literal(True))
    out.add(iri, PROV.wasDerivedFrom, source)


def personnel_claim(
    out: Triples, iri: URIRef, about: URIRef, year: int, value: int, by, source, quote: str
) -> None:
    """A gk:QuantityClaim: troops deployed, as of a year, the data row as its quote."""
    out.add(iri, RDF.type, GK.QuantityClaim)
    out.add(iri, GK.about, about)
    out.add(iri, GK.measure, MEASURE["troops-deployed"])
    out.add(iri, SCHEMA.value, Literal(value, datatype=XSD.integer))
    out.add(iri, GK.asOf, Literal(f"{year:04d}", datatype=XSD.gYear))
    out.add(iri, PROV.wasAttributedTo, by)
    out.add(iri, PROV.wasDerivedFrom, source)
    out.add(iri, GK.quote, Literal(quote, lang="en"))


DEPLOYMENT = str(ID) + "deployment/"
CLAIM = str(ID) + "claim/"
ORG = str(ID) + "org/"


def row_quote(row) -> str:
    """A data row as a CSV line (the file's own line when it is written with minimal quoting),
    the quote of the claim it gives.

    >>> from geokg.graph.importers.csvrows import Row
    >>> row_quote(Row("f.csv", 2, {"countryname": "Virgin Islands, U.S.", "year": "2022"}))
    '"Virgin Islands, U.S.",2022'
    """
    text = io.StringIO()
    csv.writer(text, lineterminator="").writerow(row.cells.values())
    return text.getvalue()
