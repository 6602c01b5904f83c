"""pyshacl-turbo (geokg's default SHACL engine) gives the same reports as pySHACL on geokg's shapes.

Both engines run, through geokg's own validation code, on the same data: the bundled knowledge
base, the bundled store, the ATOP import with the first MDI rows (imported with
``validate=False``, then validated whole), every planted-error file of test_validate_kb.py and
every planted-error snippet of test_knowledge_base.py. The reports are compared result for
result: the same conformance, and the same multiset of results, each result read as
(focus node, path, constraint component, severity, value, source shape). Terms are compared
in N-Triples form (a literal with its datatype or language); a path is an IRI or, for a
blank-node path, its written form (``^<p>`` inverse, ``<p>/<q>`` sequence); a blank node
(a property shape) is compared as ``_:`` since the engines name blank nodes differently.
The message text is compared too, as the set of messages per result key: geokg's shapes
give every constraint an ``sh:message``, and both engines report it.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from geokg.graph import validation
from geokg.graph.bundled import kb_files
from geokg.graph.importers import import_atop, import_mdi
from rdflib import RDF, SH, BNode, Graph
from rdflib.collection import Collection
from rdflib.term import Node
from test_knowledge_base import PLANTED as PLANTED_SNIPPETS
from test_knowledge_base import SNIPPET_PREFIXES
from test_validate_kb import KB
from test_validate_kb import PLANTED as PLANTED_FILES

import geokg

DATA = Path(__file__).parent / "data"
ID = "https://w3id.org/geokg/id/"
MDI_ROWS = 300  # the first MDI rows: pySHACL needs minutes for the whole file


def term(graph: Graph, node: Node | None) -> str:
    """A report term as text the two engines agree on (blank nodes as ``_:``)."""
    if node is None:
        return "-"
    return "_:" if isinstance(node, BNode) else node.n3()


def path(graph: Graph, node: Node | None) -> str:
    """A SHACL path as written: ``<p>``, ``^<p>``, ``<p>/<q>`` or ``(<p>|<q>)``."""
    if not isinstance(node, BNode):
        return term(graph, node)
    if (node, RDF.first, None) in graph:
        return "/".join(path(graph, step) for step in Collection(graph, node))
    if (inverse := graph.value(node, SH.inversePath)) is not None:
        return "^" + path(graph, inverse)
    if (choice := graph.value(node, SH.alternativePath)) is not None:
        return "(" + "|".join(path(graph, step) for step in Collection(graph, choice)) + ")"
    raise AssertionError(f"a path this test cannot read: {list(graph.predicate_objects(node))}")


def results(report: validation.ValidationReport) -> tuple[bool, Counter, dict]:
    """Conformance, the results as a multiset of keys, and the messages of each key."""
    graph = report.graph
    keys: Counter = Counter()
    messages: dict[tuple, set[str]] = {}
    for result in graph.subjects(RDF.type, SH.ValidationResult):
        key = (
            term(graph, graph.value(result, SH.focusNode)),
            path(graph, graph.value(result, SH.resultPath)),
            term(graph, graph.value(result, SH.sourceConstraintComponent)),
            term(graph, graph.value(result, SH.resultSeverity)),
            term(graph, graph.value(result, SH.value)),
            term(graph, graph.value(result, SH.sourceShape)),
        )
        keys[key] += 1
        messages.setdefault(key, set()).update(map(str, graph.objects(result, SH.resultMessage)))
    return report.conforms, keys, messages


def assert_same(turbo: validation.ValidationReport, reference: validation.ValidationReport):
    """The two reports agree result for result (see the module docstring)."""
    fast, slow = results(turbo), results(reference)
    assert fast[0] == slow[0], f"conforms: turbo {fast[0]}, pySHACL {slow[0]}"
    assert fast[1] == slow[1], f"only turbo: {fast[1] - slow[1]}\nonly pySHACL: {slow[1] - fast[1]}"
    assert fast[2] == slow[2]
    assert all(fast[2][key] for key in fast[1]), "a result without a message"


def both(validate) -> tuple[validation.ValidationReport, validation.ValidationReport]:
    """``validate(engine)`` run with turbo, then with pySHACL."""
    return validate("turbo"), validate("pyshacl")


def per_run(monkeypatch, engine: str):
    """Choose the engine the way a user does for a whole run (the environment variable)."""
    monkeypatch.setenv(validation.ENGINE_VARIABLE, engine)


# -- the engine switch ---------------------------------------------------------------------------


def test_turbo_is_the_default_and_the_variable_switches_the_run(monkeypatch):
    monkeypatch.delenv(validation.ENGINE_VARIABLE, raising=False)
    assert validation.default_engine() == "turbo"
    per_run(monkeypatch, "pyshacl")
    assert validation.default_engine() == "pyshacl"
    per_run(monkeypatch, "jena")
    with pytest.raises(ValueError, match="GEOKG_SHACL_ENGINE='jena'"):
        validation.validate(Graph())


# -- the bundled data ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kb() -> Graph:
    graph = Graph()
    for path_ in kb_files():
        graph.parse(path_)
    return graph


def test_bundled_knowledge_base(kb):
    turbo, reference = both(lambda engine: validation.validate(kb, engine=engine))
    assert turbo.conforms
    assert_same(turbo, reference)


def test_bundled_store(monkeypatch):
    """``kg.validate()``: every graph of the store, handed to the engine as an Oxigraph store."""
    kg = geokg.open_store(None)
    turbo, reference = both(lambda engine: per_run(monkeypatch, engine) or kg.validate())
    assert turbo.conforms
    assert_same(turbo, reference)


# -- the imports ---------------------------------------------------------------------------------


def test_atop_and_mdi_imports(monkeypatch, tmp_path):
    """ATOP whole and the first MDI rows, imported unvalidated, then the store validated whole."""
    kg = geokg.open_store(None)
    mdi = tmp_path / "mdi.csv"
    pd.read_csv(DATA / "deployments/mdi_deployments_2014_2021.csv").head(MDI_ROWS).to_csv(
        mdi, index=False
    )
    atop = import_atop(
        kg,
        DATA / "atop/atop-alliance-level.csv",
        DATA / "atop/atop-member-level.csv",
        validate=False,
    )
    deployments = import_mdi(kg, mdi, validate=False)
    assert atop["treaties"] > 700 and deployments["deployments"] > 50
    turbo, reference = both(lambda engine: per_run(monkeypatch, engine) or kg.validate())
    assert turbo.conforms
    assert_same(turbo, reference)


# -- planted errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "shipped", "planted", "focus", "word"), PLANTED_FILES)
def test_planted_error_files(monkeypatch, tmp_path, name, shipped, planted, focus, word):
    """Each broken knowledge-base file of test_validate_kb.py, checked as ``geokg validate
    FILE`` does (the file's nodes judged, the store's neighbourhood as context)."""
    broken = tmp_path / name
    broken.write_text(KB[name].replace(shipped, planted), encoding="utf-8")
    kg = geokg.open_store(None)
    turbo, reference = both(lambda engine: per_run(monkeypatch, engine) or kg.check([broken]))
    assert not turbo.conforms
    assert any(v.focus == focus for v in turbo.violations)
    assert_same(turbo, reference)


def test_all_planted_error_files_at_once(monkeypatch, tmp_path):
    texts = dict(KB)
    for name, shipped, planted, _, _ in PLANTED_FILES[1:]:
        texts[name] = texts[name].replace(shipped, planted)
    paths = []
    for name in ("claims.ttl", "deployments.ttl"):
        paths.append(tmp_path / name)
        paths[-1].write_text(texts[name], encoding="utf-8")
    kg = geokg.open_store(None)
    turbo, reference = both(lambda engine: per_run(monkeypatch, engine) or kg.check(paths))
    assert {v.focus for v in turbo.violations} >= {focus for *_, focus, _ in PLANTED_FILES}
    assert_same(turbo, reference)


@pytest.mark.parametrize("name", sorted(PLANTED_SNIPPETS))
def test_planted_error_snippets(kb, name):
    """Each snippet of test_knowledge_base.py added to the knowledge base."""
    focus, snippet, _ = PLANTED_SNIPPETS[name]
    data = Graph()
    data += kb
    data.parse(data=SNIPPET_PREFIXES + snippet, format="turtle")
    turbo, reference = both(lambda engine: validation.validate(data, engine=engine))
    assert not turbo.conforms
    assert {v.focus for v in turbo.violations} == {ID + focus}
    assert_same(turbo, reference)
