"""Shared helpers of the importers: N-Triples output and the load into a named graph."""

from __future__ import annotations

import re
import time

from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD, Namespace

from ..namespaces import GK, GRAPH, ID

PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SCHEMA = Namespace("https://schema.org/")
SRC = Namespace(str(ID) + "source/")
PROVISION = Namespace(str(ID) + "provision/")
MEASURE = Namespace(str(ID) + "measure/")

__all__ = ["DCTERMS", "GK", "GRAPH", "OWL", "PROV", "RDF", "RDFS", "SCHEMA", "SKOS", "XSD"]


class Triples:
    """N-Triples text built line by line."""

    def __init__(self):
        self.lines: list[str] = []

    def add(self, s, p, o) -> None:
        self.lines.append(f"{s.n3()} {p.n3()} {o.n3()} .")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def __len__(self) -> int:
        return len(self.lines)


def slug(text: str) -> str:
    """A lower-case IRI segment: ``"Allied Command Operations"`` → ``allied-command-operations``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "none"


def source_document(out: Triples, iri: URIRef, facts: dict) -> None:
    """A gk:SourceDocument for a data set, with its citation (facts: label_en, label_fr, title,
    publisher, date (gYear), version, citation, licence (IRI or None), note)."""
    out.add(iri, RDF.type, GK.SourceDocument)
    out.add(iri, RDFS.label, Literal(facts["label_en"], lang="en"))
    out.add(iri, RDFS.label, Literal(facts["label_fr"], lang="fr"))
    out.add(iri, DCTERMS.title, Literal(facts["title"], lang="en"))
    out.add(iri, DCTERMS.publisher, Literal(facts["publisher"]))
    out.add(iri, DCTERMS.date, Literal(facts["date"], datatype=XSD.gYear))
    out.add(iri, DCTERMS.language, Literal("en"))
    out.add(iri, OWL.versionInfo, Literal(facts["version"]))
    out.add(iri, DCTERMS.bibliographicCitation, Literal(facts["citation"], lang="en"))
    if facts.get("licence"):
        out.add(iri, DCTERMS.license, URIRef(facts["licence"]))
    if facts.get("note"):
        out.add(iri, SKOS.editorialNote, Literal(facts["note"], lang="en"))


def load(kg, out: Triples, graph: URIRef, name: str, validate: bool, progress) -> dict:
    """Load the triples into ``graph``, replacing it (all or nothing); times the load."""
    if progress is not None:
        progress(f"validating and loading {name}" if validate else f"loading {name}", 0, 1)
    start = time.perf_counter()
    report = kg.load_data(
        out.text(), format="nt", graph=str(graph), validate=validate, replace=True, name=name
    )
    if progress is not None:
        progress(f"validating and loading {name}" if validate else f"loading {name}", 1, 1)
    return {"graph": str(graph), "triples": report.triples, "seconds": time.perf_counter() - start}


def load_graphs(kg, parts: list[tuple[Triples, URIRef]], name: str, validate: bool, progress):
    """Load several named graphs in one N-Quads load, replacing each: all or nothing together
    (an import and the shared graph it needs, e.g. the places). Reported as the first graph."""
    lines = [
        f"{line[:-1]}{graph.n3()} ." for out, graph in parts for line in out.lines
    ]  # "s p o ." → "s p o <g> ."
    step = f"validating and loading {name}" if validate else f"loading {name}"
    if progress is not None:
        progress(step, 0, 1)
    start = time.perf_counter()
    report = kg.load_data(
        "\n".join(lines) + "\n", format="nq", validate=validate, replace=True, name=name
    )
    if progress is not None:
        progress(step, 1, 1)
    seconds = time.perf_counter() - start
    return {"graph": str(parts[0][1]), "triples": report.triples, "seconds": seconds}
