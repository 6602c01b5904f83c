"""One set of prefixes, predeclared everywhere (issue 15): the endpoint, its service
description, the CLI, the examples; unknown prefixes and other parse errors in one line.

Against a real ``geokg serve``, with three clients: httpx, SPARQLWrapper, rdflib's SPARQLStore.
"""

from __future__ import annotations

import re

import httpx
import pytest
from conftest import geokg
from geokg.graph import PREFIXES
from geokg.graph.bundled import questions_dir
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from test_api_fixtures import serve

UNDECLARED = "SELECT ?n WHERE { state:PRK rdfs:label ?n FILTER(lang(?n) = 'en') }"
SHACL = "http://www.w3.org/ns/shacl#"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("prefixes")) as (base, _):
        yield f"{base}/sparql"


def test_undeclared_geokg_prefixes_work_with_httpx_get_and_post(endpoint):
    got = httpx.get(endpoint, params={"query": UNDECLARED})
    assert got.status_code == 200, got.text
    assert [b["n"]["value"] for b in got.json()["results"]["bindings"]] == ["North Korea"]
    posted = httpx.post(
        endpoint, content=UNDECLARED, headers={"Content-Type": "application/sparql-query"}
    )
    assert posted.json() == got.json()


def test_undeclared_prefixes_with_sparqlwrapper(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setQuery("ASK { state:RUS a gk:State }")
    assert client.query().convert()["boolean"] is True


def test_undeclared_prefixes_with_rdflib_sparqlstore(endpoint):
    store = SPARQLStore(endpoint, returnFormat="json")
    rows = list(store.query(UNDECLARED))
    assert [str(r[0]) for r in rows] == ["North Korea"]


def test_a_query_keeps_its_own_binding_of_a_predeclared_prefix(endpoint):
    # state: rebound to the ontology namespace: state:State is then gk:State
    query = "BASE <https://w3id.org/geokg/>\nPREFIX state: <ontology#>\nASK { ?s a state:State }"
    assert httpx.get(endpoint, params={"query": query}).json()["boolean"] is True
    rebound = "PREFIX gk: <urn:nothing:>\nASK { ?s a gk:State }"
    assert httpx.get(endpoint, params={"query": rebound}).json()["boolean"] is False


def test_unknown_prefix_is_a_400_that_names_it_and_lists_the_known_ones(endpoint):
    query = "SELECT * WHERE {\n  ?s a gk:State ;\n     foo:bar ?o }"
    response = httpx.get(endpoint, params={"query": query})
    assert response.status_code == 400
    text = response.text.strip()
    assert "\n" not in text
    assert text.startswith('unknown prefix "foo:" at line 3, column 6')
    listed = re.findall(r"(\w+):", text.split("geokg's prefixes:")[1])
    assert listed == list(PREFIXES)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT * { ?s ?p ?o", 'line 1, column 10: "{" is never closed'),
        ("ASK { ?s ?p ?o ) }", 'column 16: ")" where the "{" opened at line 1, column 5 is'),
        ("ASK { } }", 'line 1, column 9: "}" closes nothing'),
        ('SELECT * { ?s ?p "abc }', "line 1, column 18: a string is never closed"),
        ("SELEC * {}", 'line 1, column 1: "SELEC" where a query begins with SELECT'),
    ],
)
def test_other_parse_errors_are_one_line_in_words(endpoint, query, expected):
    response = httpx.get(endpoint, params={"query": query})
    assert response.status_code == 400
    text = response.text.strip()
    assert "\n" not in text and "expected one of" not in text and "['" not in text
    assert expected in text


def test_the_service_description_lists_the_prefixes(endpoint):
    described = Graph().parse(
        data=httpx.get(endpoint, headers={"Accept": "text/turtle"}).text, format="turtle"
    )
    declared = {
        str(described.value(d, URIRef(SHACL + "prefix"))): str(
            described.value(d, URIRef(SHACL + "namespace"))
        )
        for d in described.objects(URIRef(endpoint), URIRef(SHACL + "declare"))
    }
    assert declared == PREFIXES
    assert Literal("gk") in set(described.objects(None, URIRef(SHACL + "prefix")))


def test_examples_declare_only_the_shared_prefix_names():
    declared = 0
    for path in sorted(questions_dir().glob("*.rq")):
        for name, iri in re.findall(r"^PREFIX (\w*): <([^>]*)>", path.read_text(), re.M):
            assert PREFIXES.get(name) == iri, f"{path.name}: PREFIX {name}: <{iri}>"
            declared += 1
    assert declared > 26


def test_cli_predeclares_the_same_prefixes_and_reports_an_unknown_one_in_words(store):
    query = "SELECT ?a WHERE { ?a gk:provision provision:defense } LIMIT 1"
    run = geokg("query", "--format", "csv", query, store=store)
    assert run.code == 0, run.err
    assert run.out.splitlines()[1].startswith("https://w3id.org/geokg/id/treaty/")
    run = geokg("query", "SELECT * WHERE { ?s nope:x ?o }", store=store)
    assert run.code != 0
    assert 'unknown prefix "nope:" at line 1, column 21' in run.err
