"""SHACL validation of data against geokg's shapes, with a report people can read.

>>> from rdflib import Graph
>>> report = validate(Graph())
>>> report.conforms
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import pyshacl
from rdflib import RDF, SH, BNode, Graph, Literal
from rdflib.term import Node

from . import bundled


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


def validate(
    data: Graph,
    shapes: Graph | None = None,
    ontology: Graph | None = None,
    focus: list[Node] | None = None,
):
    """Validate ``data`` against the shapes (default: the bundled ones).

    The ontology is mixed in so that ``sh:targetClass`` reaches subclasses.
    With ``focus``, only results about those nodes are kept; the rest of ``data``
    is context (what they refer to). (pySHACL's own ``focus_nodes`` option is not
    used: it also filters the literals that ``sh:or``/``sh:node`` check, and then
    passes an ill-formed date.) Returns a :class:`ValidationReport`; it never
    raises on violations.
    """
    shapes = shapes if shapes is not None else shapes_graph()
    ontology = ontology if ontology is not None else ontology_graph()
    if len(shapes) == 0:
        return ValidationReport(True)
    conforms, report_graph, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    if focus is not None:
        report_graph = _about(report_graph, set(focus))
        conforms = not any(report_graph.triples((None, SH.resultSeverity, SH.Violation)))
    return ValidationReport(conforms, _violations(report_graph), report_graph)


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
