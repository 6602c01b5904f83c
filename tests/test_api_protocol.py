"""The SPARQL 1.1 Protocol at /sparql, against a real server, with real clients."""

from __future__ import annotations

import csv
import io
import json

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from test_api_fixtures import TEST_GRAPH, serve

TOKEN = "tok-3f9a2c"
KB = "https://w3id.org/geokg/graph/kb"
ONTOLOGY = "https://w3id.org/geokg/graph/ontology"
STATES = (
    "PREFIX gk: <https://w3id.org/geokg/ontology#> "
    "SELECT ?s WHERE { ?s a gk:State } ORDER BY ?s LIMIT 5"
)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
MAX_ROWS = 40


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("protocol")
    options = ["--max-rows", str(MAX_ROWS), "--max-body-bytes", "20000"]
    env = {"GEOKG_UPDATE_TOKEN": TOKEN, "GEOKG_CORS_ORIGIN": "https://allowed.example"}
    with serve(tmp, *options, env=env) as (base, _):
        yield base


@pytest.fixture(scope="module")
def endpoint(server):
    return f"{server}/sparql"


def _rows(response) -> list[dict]:
    assert response.status_code == 200, response.text
    return response.json()["results"]["bindings"]


def _count(endpoint, query=COUNT, **params) -> int:
    response = httpx.get(endpoint, params={"query": query, **params})
    return int(_rows(response)[0]["n"]["value"])


# -- the three ways to send a query --------------------------------------------------------


def test_get_form_post_and_direct_post_give_the_same_answer(endpoint):
    by_get = httpx.get(endpoint, params={"query": STATES})
    by_form = httpx.post(endpoint, data={"query": STATES})
    direct = httpx.post(
        endpoint, content=STATES.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert by_get.headers["content-type"].startswith("application/sparql-results+json")
    assert _rows(by_get) == _rows(by_form) == _rows(direct)
    states = [row["s"]["value"] for row in _rows(by_get)]
    assert len(states) == 5 and all(
        s.startswith("https://w3id.org/geokg/id/state/") for s in states
    )


def test_ask_answers_a_boolean(endpoint):
    yes = httpx.get(endpoint, params={"query": "ASK { ?s ?p ?o }"})
    no = httpx.get(endpoint, params={"query": "ASK { <http://nothing.example/x> ?p ?o }"})
    assert yes.json()["boolean"] is True and no.json()["boolean"] is False


# -- content negotiation -------------------------------------------------------------------


def test_accept_with_q_values_picks_the_preferred_results_format(endpoint):
    accept = "text/csv;q=0.5, application/sparql-results+xml;q=0.9, */*;q=0.1"
    response = httpx.get(endpoint, params={"query": STATES}, headers={"Accept": accept})
    assert response.headers["content-type"].startswith("application/sparql-results+xml")
    assert "<sparql" in response.text and "id/state/" in response.text


def test_csv_and_tsv(endpoint):
    as_csv = httpx.get(endpoint, params={"query": STATES}, headers={"Accept": "text/csv"})
    rows = list(csv.reader(io.StringIO(as_csv.text)))
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert rows[0] == ["s"] and len(rows) == 6
    as_tsv = httpx.get(
        endpoint, params={"query": STATES}, headers={"Accept": "text/tab-separated-values"}
    )
    lines = as_tsv.text.strip().splitlines()
    assert lines[0] == "?s" and lines[1].startswith("<https://w3id.org/geokg/id/state/")


def test_construct_negotiates_rdf_formats(endpoint):
    query = "CONSTRUCT WHERE { <https://w3id.org/geokg/id/state/PRK> ?p ?o }"
    default = httpx.get(endpoint, params={"query": query})
    assert default.headers["content-type"].startswith("text/turtle")
    turtle = Graph().parse(data=default.text, format="turtle")
    assert (URIRef("https://w3id.org/geokg/id/state/PRK"), None, None) in turtle
    for media, rdflib_format in [
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ]:
        response = httpx.get(endpoint, params={"query": query}, headers={"Accept": media})
        assert response.headers["content-type"].startswith(media)
        parsed = Graph().parse(data=response.text, format=rdflib_format)
        assert len(parsed) == len(turtle)


def test_406_when_nothing_acceptable(endpoint):
    response = httpx.get(endpoint, params={"query": STATES}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    construct = "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"
    response = httpx.get(endpoint, params={"query": construct}, headers={"Accept": "text/csv"})
    assert response.status_code == 406


# -- errors --------------------------------------------------------------------------------


def test_malformed_query_is_400_with_the_position(endpoint):
    response = httpx.get(endpoint, params={"query": "SELECT * WHERE {\n  ?s ?p \n}"})
    assert response.status_code == 400
    assert response.text.startswith("malformed SPARQL at line 3, column")
    assert response.text.count("\n") == 1  # one line, in words


def test_two_query_parameters_wrong_media_type_and_bad_utf8_are_400(endpoint):
    two = httpx.get(f"{endpoint}?query=ASK%7B%7D&query=ASK%7B%7D")
    assert two.status_code == 400 and "exactly one" in two.text
    wrong = httpx.post(endpoint, content=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert wrong.status_code == 400
    bad = httpx.post(
        endpoint, content=b"ASK { \xff }", headers={"Content-Type": "application/sparql-query"}
    )
    assert bad.status_code == 400 and "UTF-8" in bad.text


def test_wrong_method_is_405(endpoint):
    assert httpx.put(endpoint, content=b"ASK {}").status_code == 405
    assert httpx.delete(endpoint).status_code == 405


def test_request_body_limit_is_413(endpoint):
    big = "ASK {}" + " " * 30000
    response = httpx.post(
        endpoint, content=big.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 413


# -- never fetching anything ---------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?x ?y ?z SERVICE ?endpoint { ?s ?p ?o } }",
        "PREFIX ex: <http://example.org/> SELECT * WHERE { SERVICE ex:sparql { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        'SELECT * WHERE { ?s ?p "a" }SERVICE<http://example.org/sparql>{?s ?p ?o}',
    ],
)
def test_service_is_refused(endpoint, query):
    response = httpx.post(endpoint, data={"query": query})
    assert response.status_code == 400, response.text
    assert "refused" in response.text


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "BASE <file:///etc/> SELECT * FROM <passwd> WHERE { ?s ?p ?o }",
    ],
)
def test_a_foreign_from_is_an_empty_graph_never_fetched(endpoint, query):
    response = httpx.post(endpoint, data={"query": query})
    assert response.status_code == 200, response.text
    assert _rows(response) == []


def test_keywords_in_comments_and_strings_do_not_count(endpoint):
    query = (
        "# SERVICE <http://example.org/sparql>\n"
        'SELECT ?x WHERE { BIND("SERVICE <http://example.org/> FROM <file:///etc>" AS ?x) }'
    )
    response = httpx.post(endpoint, data={"query": query})
    assert _rows(response)[0]["x"]["value"].startswith("SERVICE")


def test_from_a_graph_in_the_store_restricts_the_dataset(endpoint):
    everything = _count(endpoint)
    kb_only = _count(endpoint, f"SELECT (COUNT(*) AS ?n) FROM <{KB}> WHERE {{ ?s ?p ?o }}")
    ontology_only = _count(endpoint, COUNT, **{"default-graph-uri": ONTOLOGY})
    assert 0 < kb_only < everything and 0 < ontology_only < everything
    assert kb_only != ontology_only
    assert _count(endpoint, COUNT, **{"default-graph-uri": "http://example.org/elsewhere"}) == 0
    named = httpx.get(
        endpoint,
        params={
            "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            "named-graph-uri": KB,
        },
    )
    assert [row["g"]["value"] for row in _rows(named)] == [KB]


# -- caps, caching, CORS -------------------------------------------------------------------


def test_row_cap_cuts_with_a_header(endpoint):
    cut = httpx.get(endpoint, params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert len(_rows(cut)) == MAX_ROWS
    assert cut.headers["x-geokg-truncated"].startswith("true")
    whole = httpx.get(endpoint, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 7"})
    assert len(_rows(whole)) == 7 and "x-geokg-truncated" not in whole.headers
    construct = httpx.get(endpoint, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    graph = Graph().parse(data=construct.text, format="turtle")
    assert len(graph) == MAX_ROWS and "x-geokg-truncated" in construct.headers


def test_etag_gives_304_until_the_data_change(endpoint):
    first = httpx.get(endpoint, params={"query": STATES})
    etag = first.headers["etag"]
    again = httpx.get(endpoint, params={"query": STATES}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other_format = httpx.get(
        endpoint, params={"query": STATES}, headers={"If-None-Match": etag, "Accept": "text/csv"}
    )
    assert other_format.status_code == 200
    update = f"INSERT DATA {{ GRAPH <{TEST_GRAPH}> {{ <urn:x:etag> <urn:x:p> 1 }} }}"
    done = httpx.post(endpoint, data={"update": update}, headers=_auth())
    assert done.status_code == 204, done.text
    after = httpx.get(endpoint, params={"query": STATES}, headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.headers["etag"] != etag


def test_cors_only_for_allowed_origins(endpoint):
    allowed = httpx.get(
        endpoint, params={"query": "ASK {}"}, headers={"Origin": "https://allowed.example"}
    )
    assert allowed.headers["access-control-allow-origin"] == "https://allowed.example"
    other = httpx.get(
        endpoint, params={"query": "ASK {}"}, headers={"Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in other.headers


# -- service description and VoID -----------------------------------------------------------


def test_service_description_and_void(server, endpoint):
    response = httpx.get(endpoint, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    void = "http://rdfs.org/ns/void#"
    service = URIRef(endpoint)
    assert (service, URIRef(sd + "endpoint"), service) in graph
    assert (service, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Update")) in graph
    names = {str(o) for o in graph.objects(None, URIRef(sd + "name"))}
    assert {KB, ONTOLOGY} <= names
    kb_triples = graph.value(URIRef(KB), URIRef(void + "triples"))
    assert int(kb_triples) == _count(endpoint, COUNT, **{"default-graph-uri": KB})
    as_jsonld = httpx.get(f"{server}/.well-known/void", headers={"Accept": "application/ld+json"})
    assert len(Graph().parse(data=as_jsonld.text, format="json-ld")) == len(graph)


# -- updates -------------------------------------------------------------------------------


def _auth(token=TOKEN) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_update_needs_the_token(endpoint):
    update = f"INSERT DATA {{ GRAPH <{TEST_GRAPH}> {{ <urn:x:a> <urn:x:p> 1 }} }}"
    headers = {"Content-Type": "application/sparql-update"}
    anonymous = httpx.post(endpoint, content=update.encode(), headers=headers)
    assert (
        anonymous.status_code == 401 and "bearer" in anonymous.headers["www-authenticate"].lower()
    )
    wrong = httpx.post(endpoint, content=update.encode(), headers={**headers, **_auth("nope")})
    assert wrong.status_code == 403
    ask = {"query": "ASK { <urn:x:a> <urn:x:p> 1 }"}
    assert httpx.get(endpoint, params=ask).json()["boolean"] is False
    done = httpx.post(endpoint, content=update.encode(), headers={**headers, **_auth()})
    assert done.status_code == 204
    assert httpx.get(endpoint, params=ask).json()["boolean"] is True


def test_update_is_all_or_nothing(endpoint):
    update = (
        f"INSERT DATA {{ GRAPH <{TEST_GRAPH}> {{ <urn:x:half> <urn:x:p> 1 }} }} ;\n"
        f"INSERT DATA {{ GRAPH <{TEST_GRAPH}> {{ <urn:x:half> <urn:x:p> }} }}"
    )
    response = httpx.post(endpoint, data={"update": update}, headers=_auth())
    assert response.status_code == 400 and "malformed" in response.text
    ask = {"query": "ASK { <urn:x:half> ?p ?o }"}
    assert httpx.get(endpoint, params=ask).json()["boolean"] is False


def test_load_is_refused(endpoint):
    for target in ("http://example.org/data.ttl", "file:///etc/passwd"):
        response = httpx.post(endpoint, data={"update": f"LOAD <{target}>"}, headers=_auth())
        assert response.status_code == 400 and "LOAD" in response.text


def test_query_and_update_together_is_400(endpoint):
    response = httpx.post(
        endpoint, data={"query": "ASK {}", "update": "CLEAR ALL"}, headers=_auth()
    )
    assert response.status_code == 400


# -- real clients --------------------------------------------------------------------------


def test_sparqlwrapper(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setQuery(STATES)
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert len(rows) == 5
    client.setMethod(POST)
    client.setQuery("ASK { ?s a <https://w3id.org/geokg/ontology#State> }")
    assert client.query().convert()["boolean"] is True
    client.setQuery("CONSTRUCT WHERE { <https://w3id.org/geokg/id/state/PRK> ?p ?o }")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert len(graph) > 3


def test_sparqlwrapper_update(endpoint):
    client = SPARQLWrapper(endpoint, updateEndpoint=endpoint)
    client.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    client.setMethod(POST)
    client.setQuery(f"INSERT DATA {{ GRAPH <{TEST_GRAPH}> {{ <urn:x:wrapper> <urn:x:p> 2 }} }}")
    client.query()
    ask = httpx.get(endpoint, params={"query": "ASK { <urn:x:wrapper> <urn:x:p> 2 }"})
    assert ask.json()["boolean"] is True


def test_rdflib_sparqlstore(endpoint):
    graph = Graph(store=SPARQLStore(endpoint, returnFormat="json"))
    rows = list(graph.query(STATES))
    assert len(rows) == 5 and str(rows[0][0]).startswith("https://w3id.org/geokg/id/state/")
    assert graph.query("ASK { ?s ?p ?o }").askAnswer is True
    labels = list(graph.triples((URIRef("https://w3id.org/geokg/id/state/PRK"), None, None)))
    assert labels


def test_sparql_results_json_parses_as_json(endpoint):
    response = httpx.get(
        endpoint,
        params={"query": STATES},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert json.loads(response.content)["head"]["vars"] == ["s"]
