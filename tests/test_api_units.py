"""The endpoint's parts that need no server: the query inspector, content negotiation, settings."""

from __future__ import annotations

import pytest
from geokg.api.config import Settings
from geokg.api.conneg import choose
from geokg.api.safety import inspect


@pytest.mark.parametrize(
    "query, services",
    [
        ("SELECT * { SERVICE <http://a.example/> { ?s ?p ?o } }", ["http://a.example/"]),
        ("select * { service silent <http://a.example/> { ?s ?p ?o } }", ["http://a.example/"]),
        ("SELECT * { SERVICE ?e { ?s ?p ?o } }", [None]),
        ("PREFIX e: <http://a.example/> SELECT * { SERVICE e:q {} }", ["http://a.example/q"]),
        ("BASE <http://a.example/x/> SELECT * { SERVICE <../q> {} }", ["http://a.example/q"]),
        ("SELECT * { \\u0053ERVICE <http://a.example/> {} }", ["http://a.example/"]),
        ("SELECT * { SERVICE <http://a.ex\\u0061mple/> {} }", ["http://a.example/"]),
        ('SELECT * { ?s ?p "\\u0022" SERVICE <http://a.example/> {} }', ["http://a.example/"]),
        ("SELECT * { ?s ?p ?o } # SERVICE <http://a.example/>", []),
        ("SELECT * { ?s ?p 'SERVICE <http://a.example/>' }", []),
        ('SELECT * { ?s ?p """\nSERVICE <http://a.example/>\n""" }', []),
        ("SELECT * { ?s a:SERVICE ?service }", []),
        ("SELECT * { ?s <http://x/#SERVICE> ?o }", []),
    ],
)
def test_inspect_finds_service_where_the_grammar_does(query, services):
    assert inspect(query).services == services


def test_inspect_finds_dataset_and_load():
    found = inspect(
        "PREFIX g: <https://w3id.org/geokg/graph/> SELECT * FROM g:kb FROM NAMED <urn:n> {}"
    )
    assert found.form == "SELECT"
    assert found.from_default == ["https://w3id.org/geokg/graph/kb"]
    assert found.from_named == ["urn:n"]
    update = inspect("BASE <file:///etc/> LOAD SILENT <passwd> INTO GRAPH <urn:g>")
    assert update.loads == ["file:///etc/passwd"]
    assert inspect("CONSTRUCT WHERE { ?s ?p ?o }").form == "CONSTRUCT"


def test_choose_with_q_values_and_wildcards():
    offers = ["application/sparql-results+json", "text/csv", "text/html"]
    assert choose(None, offers) == offers[0]
    assert choose("*/*", offers) == offers[0]
    assert choose("text/*;q=0.8, application/*;q=0.5", offers) == "text/csv"
    assert choose("text/html, */*;q=0.1", offers) == "text/html"
    assert choose("text/csv;q=0, */*;q=0.1", offers) == offers[0]
    assert choose("text/csv;q=0", ["text/csv"]) is None
    assert choose("image/png", offers) is None


def test_settings_from_the_environment_and_the_allow_list():
    settings = Settings.from_env(
        {
            "GEOKG_QUERY_TIMEOUT": "2.5",
            "GEOKG_MAX_ROWS": "0",
            "GEOKG_UPDATE_TOKEN": "secret",
            "GEOKG_ALLOW_SERVICE": "https://query.wikidata.org/ file:///",
        }
    )
    assert settings.query_timeout == 2.5 and settings.max_rows is None
    assert "secret" not in repr(settings)
    assert settings.allows("https://query.wikidata.org/sparql")
    assert not settings.allows("https://query.wikidata.org.evil.example/")
    assert not settings.allows("file:///etc/passwd")
    assert not settings.allows(None)
