"""SHACL validation of data against geokg's shapes, with a report people can read.

Two engines give the same reports on geokg's shapes (tests/test_shacl_engines.py compares them
result for result): **pyshacl-turbo** (Rust, the default: seconds where pySHACL takes minutes)
and **pySHACL** (the reference). Choose per call with ``engine=``, or per run with the
environment variable ``GEOKG_SHACL_ENGINE=pyshacl`` (the fallback should turbo ever misjudge).

>>> from rdflib import Graph
>>> report = validate(Graph())
>>> report.conforms
True
>>> validate(Graph(), engine="pyshacl").conforms
True
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox
import pyshacl
import pyshacl_turbo
from rdflib import RDF, SH, BNode, Graph, Literal
from rdflib.term import Node

from . import bundled
from .terms import cached_converter, to_oxigraph

#: The SHACL engines: pyshacl-turbo (default) and pySHACL.
ENGINES = ("turbo", "pyshacl")
#: The environment variable that chooses the engine for a whole run.
ENGINE_VARIABLE = "GEOKG_SHACL_ENGINE"
_EVERY_TRIPLE = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"  # with the union default graph


@dataclass(frozen=True)
class Violation:
    """One SHACL result: where (focus node, path, value) and what (message)."""

    focus: str
    path: str | None
    message: str
    severity: str = "Violation"
    value: str | None = None
    shape: str | None = None

    def __str__(self) -> str:
        where = self.focus + (f" {self.path}" if self.path else "")
        value = f" (value: {self.value})" if self.value is not None else ""
        return f"{self.severity}: {where}: {self.message}{value}"


@dataclass
class ValidationReport:
    """The outcome of a validation: ``conforms``, the ``violations`` and the report graph."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    graph: Graph = field(default_factory=Graph)

    def summary(self) -> str:
        """One line: conforms, or how many results and the first of them."""
        if self.conforms:
            return "data conforms to the geokg shapes"
        first = f"; first: {self.violations[0]}" if self.violations else ""
        return f"{len(self.violations)} SHACL violation(s){first}"

    def text(self) -> str:
        """Every result on its own line, sorted by focus node."""
        if self.conforms:
            return "Conforms: the data satisfy every geokg shape.\n"
        lines = [f"Does not conform: {len(self.violations)} result(s)."]
        lines += [f"  {v}" for v in sorted(self.violations, key=lambda v: (v.focus, v.path or ""))]
        return "\n".join(lines) + "\n"


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The bundled SHACL shapes, parsed once."""
    graph = Graph()
    if bundled.shapes_file().exists():
        graph.parse(bundled.shapes_file())
    return graph


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The bundled ontology and concept schemes, parsed once (class hierarchy for targets)."""
    graph = Graph()
    for path in bundled.ontology_files():
        graph.parse(path)
    return graph


def default_engine() -> str:
    """The engine of this run: ``$GEOKG_SHACL_ENGINE`` if set, else ``"turbo"``."""
    engine = os.environ.get(ENGINE_VARIABLE) or "turbo"
    if engine not in ENGINES:
        raise ValueError(f"{ENGINE_VARIABLE}={engine!r}: choose one of {', '.join(ENGINES)}")
    return engine


def validate(
    data: Graph | ox.Store,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    focus: list[Node] | None = None,
    *,
    engine: str | None = None,
) -> ValidationReport:
    """Validate ``data`` (an rdflib graph, or every triple of a pyoxigraph store) against the
    shapes (default: the bundled ones).

    The ontology (default: the bundled one) is mixed in so that ``sh:targetClass`` reaches
    subclasses; no other inference. With ``focus``, only results about those nodes are kept;
    the rest of ``data`` is context (what they refer to). (The engines' own ``focus_nodes``
    option is not used: pySHACL's also filters the literals that ``sh:or``/``sh:node`` check,
    and then passes an ill-formed date.) ``engine`` is ``"turbo"`` or ``"pyshacl"`` (default:
    :func:`default_engine`). Returns a :class:`ValidationReport`; it never raises on
    violations.
    """
    shapes = shapes if shapes is not None else shapes_graph()
    if len(shapes) == 0:
        return ValidationReport(True)
    if (engine or default_engine()) == "turbo":
        conforms, report_graph = _turbo(data, shapes, ontology)
    else:
        conforms, report_graph = _pyshacl(data, shapes, ontology)
    if focus is not None:
        report_graph = _about(report_graph, set(focus))
        conforms = not any(report_graph.triples((None, SH.resultSeverity, SH.Violation)))
    return ValidationReport(conforms, _violations(report_graph), report_graph)


def _turbo(data: Graph | ox.Store, shapes: Graph, ontology: Graph | None) -> tuple[bool, Graph]:
    """pyshacl-turbo on one in-memory Oxigraph store holding the data and the ontology.

    The store goes to the engine natively (no rdflib round trip); everything sits in its
    default graph, so a triple found in several named graphs of ``data`` counts once.
    """
    store = ox.Store()
    if isinstance(data, ox.Store):
        every = data.query(_EVERY_TRIPLE, use_default_graph_as_union=True)
        store.bulk_load(every.serialize(format=ox.RdfFormat.N_TRIPLES), ox.RdfFormat.N_TRIPLES)
        every = None  # the serialized copy can go before the engine runs
    else:
        store.bulk_extend(_quads(data))
    store.bulk_extend(_bundled_ontology() if ontology is None else _quads(ontology))
    compiled = pyshacl_turbo.CompiledShapes(shapes, advanced=True)
    conforms, report_graph, _ = compiled.validate(store, allow_warnings=True)
    return conforms, report_graph


def _pyshacl(data: Graph | ox.Store, shapes: Graph, ontology: Graph | None) -> tuple[bool, Graph]:
    """pySHACL, the reference engine, with the ontology as its ``ont_graph``."""
    if isinstance(data, ox.Store):
        convert = cached_converter()
        graph = Graph()
        for quad in data:
            graph.add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
        data = graph
    conforms, report_graph, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology if ontology is not None else ontology_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    return conforms, report_graph


@lru_cache(maxsize=1)
def _bundled_ontology() -> tuple[ox.Quad, ...]:
    """The bundled ontology and concept schemes as Oxigraph quads (default graph), once."""
    return tuple(
        quad
        for path in bundled.ontology_files()
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
    )


def _quads(graph: Graph):
    """The triples of an rdflib graph as Oxigraph quads in the default graph."""
    for s, p, o in graph:
        yield ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))


def _about(report: Graph, focus: set[Node]) -> Graph:
    """The report with only the results whose focus node is in ``focus``."""
    kept = Graph(namespace_manager=report.namespace_manager)
    node = BNode()
    kept.add((node, RDF.type, SH.ValidationReport))
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.focusNode) in focus:
            kept += report.cbd(result)
            kept.add((node, SH.result, result))
    violations = kept.triples((None, SH.resultSeverity, SH.Violation))
    kept.add((node, SH.conforms, Literal(not any(violations))))
    return kept


def _violations(report: Graph) -> list[Violation]:
    def one(result: Node, predicate) -> str | None:
        value = report.value(result, predicate)
        return None if value is None else str(value)

    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = one(result, SH.resultSeverity) or str(SH.Violation)
        found.append(
            Violation(
                focus=one(result, SH.focusNode) or "?",
                path=one(result, SH.resultPath),
                message=one(result, SH.resultMessage) or "constraint not satisfied",
                severity=severity.rsplit("#", 1)[-1],
                value=one(result, SH.value),
                shape=one(result, SH.sourceShape),
            )
        )
    return found
