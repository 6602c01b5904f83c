"""The examples in the docstrings run as written."""

import doctest
import importlib

import pytest

MODULES = [
    "geokg",
    "geokg.graph",
    "geokg.graph.namespaces",
    "geokg.graph.errors",
    "geokg.graph.sparql_errors",
    "geokg.graph.ingest.candidate",
    "geokg.graph.ingest.figures",
    "geokg.graph.ingest.dates",
    "geokg.graph.ingest.gazetteer",
    "geokg.graph.ingest.measures",
    "geokg.graph.ingest.attribution",
    "geokg.graph.ingest.articles",
    "geokg.graph.ingest.extract",
    "geokg.graph.formats",
    "geokg.graph.terms",
    "geokg.graph.results",
    "geokg.graph.bundled",
    "geokg.graph.validation",
    "geokg.graph.ontology_docs",
    "geokg.graph.patterns",
    "geokg.graph.derived",
    "geokg.graph.derivation",
    "geokg.graph.increment",
    "geokg.graph.projection",
    "geokg.graph.panels",
    "geokg.graph.timeline",
    "geokg.graph.analysis",
    "geokg.graph.cascade",
    "geokg.graph.names",
    "geokg.graph.ties",
    "geokg.graph.views",
    "geokg.graph.explorer",
    "geokg.graph.explore",
    "geokg.graph.sparql_backend",
    "geokg.graph.importers.csvrows",
    "geokg.graph.importers.reconcile",
    "geokg.graph.importers.deployments",
    "geokg.graph.importers.places",
    "geokg.graph.importers.mdi",
    "geokg.graph.importers.us_troops",
    "geokg.graph.oxigraph_backend",
    "geokg.graph.store",
    "geokg.graph.server_file",
    "geokg.graph.server_backend",
    "geokg.graph.lookup",
    "geokg.graph.quotes",
    "geokg.graph.numbers",
    "geokg.graph.ingest.candidates_graph",
    "geokg.graph.ingest.curation",
    "geokg.api",
    "geokg.api.assist",
    "geokg.api.config",
    "geokg.api.iris",
    "geokg.api.logs",
    "geokg.api.safety",
    "geokg.api.sandbox",
    "geokg.api.curation",
    "geokg.api.worker",
    "geokg.api.sparql",
    "geokg.api.conneg",
    "geokg.api.app",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failures == 0
