"""The ``geokg`` command line, run as a user runs it (a subprocess on an on-disk store)."""

from __future__ import annotations

import json
import subprocess
import time

import httpx
import pytest
from conftest import GEOKG, count, geokg
from rdflib import Dataset, Graph

GK = "https://w3id.org/geokg/ontology#"
KB = "https://w3id.org/geokg/graph/kb"
ONTOLOGY = "https://w3id.org/geokg/graph/ontology"

VALID_TTL = """\
@prefix gk: <https://w3id.org/geokg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
<https://w3id.org/geokg/id/state/ATL> a gk:State ;
    rdfs:label "Atlantis"@en, "Atlantide"@fr ;
    gk:isoAlpha3 "ATL" ;
    prov:wasDerivedFrom <https://w3id.org/geokg/id/source/background> .
<https://w3id.org/geokg/id/treaty/test-pact> a gk:Treaty ;
    rdfs:label "Test pact"@en, "Pacte de test"@fr ;
    gk:party <https://w3id.org/geokg/id/state/ATL>, <https://w3id.org/geokg/id/state/PRK> ;
    gk:signedOn "2001-02-03"^^xsd:date ;
    prov:wasDerivedFrom <https://w3id.org/geokg/id/source/background> .
"""

ONE_PARTY_TTL = """\
@prefix gk: <https://w3id.org/geokg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
<https://w3id.org/geokg/id/treaty/lonely> a gk:Treaty ;
    rdfs:label "Lonely treaty"@en, "Traité solitaire"@fr ;
    gk:party <https://w3id.org/geokg/id/state/PRK> ;
    gk:signedOn "2001-02-03"^^xsd:date ;
    prov:wasDerivedFrom <https://w3id.org/geokg/id/source/background> .
"""

ATL = "<https://w3id.org/geokg/id/state/ATL>"


def write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def assert_one_line_error(run, *needles: str) -> None:
    """A failure reported as one clear line on stderr, without a traceback."""
    assert run.code != 0
    assert "Traceback" not in run.err
    assert len(run.err.strip().splitlines()) == 1, run.err
    for needle in needles:
        assert needle in run.err, run.err


# -- info, query, export ----------------------------------------------------------------------


def test_info_on_a_new_store_loads_the_bundled_data(tmp_path):
    store = tmp_path / "new"
    run = geokg("info", store=store)
    assert run.code == 0, run.err
    assert str(store) in run.out
    assert ONTOLOGY in run.out and KB in run.out
    assert "pyoxigraph" in run.out and "rdflib" in run.out


def test_store_comes_from_the_environment(tmp_path):
    import os

    store = tmp_path / "from-env"
    env = dict(os.environ, GEOKG_STORE=str(store), COLUMNS="200")
    done = subprocess.run([GEOKG, "info"], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert (
        f"store: {store}" in done.out if hasattr(done, "out") else f"store: {store}" in done.stdout
    )


@pytest.mark.parametrize(
    ("fmt", "check"),
    [
        ("csv", lambda out: out.splitlines()[0] == "n" and int(out.splitlines()[1]) > 0),
        (
            "tsv",
            lambda out: (
                out.splitlines()[0] == "?n"
                and int(out.splitlines()[1].split("^^")[0].strip('"')) > 0
            ),
        ),
        ("json", lambda out: int(json.loads(out)["results"]["bindings"][0]["n"]["value"]) > 0),
        ("xml", lambda out: "<sparql" in out and '<binding name="n">' in out),
        ("table", lambda out: "n" in out and any(c.isdigit() for c in out)),
    ],
)
def test_query_formats(bundled_store, fmt, check):
    run = geokg(
        "query",
        "--format",
        fmt,
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a gk:State }",
        store=bundled_store,
    )
    assert run.code == 0, run.err
    assert check(run.out), run.out


def test_query_construct_as_turtle_and_ask(bundled_store):
    run = geokg(
        "query", "--format", "ttl", "CONSTRUCT WHERE { ?s a gk:State }", store=bundled_store
    )
    assert run.code == 0, run.err
    graph = Graph().parse(data=run.out, format="turtle")
    assert len(graph) > 0
    ask = geokg("query", "--format", "json", "ASK { ?s a gk:State }", store=bundled_store)
    assert json.loads(ask.out)["boolean"] is True
    assert geokg("query", "ASK { ?s a gk:NoSuchClass }", store=bundled_store).out.strip() == "false"


def test_query_from_file(bundled_store, tmp_path):
    query = write(tmp_path / "q.rq", "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    run = geokg("query", "--format", "csv", "--file", str(query), store=bundled_store)
    assert run.code == 0, run.err
    assert KB in run.out and ONTOLOGY in run.out


def test_query_table_shows_hostile_strings_as_text(store, tmp_path):
    hostile = "[bold red]x[/] <img src=x onerror=alert(1)>"
    data = VALID_TTL.replace('"Atlantis"@en', json.dumps(hostile) + "@en")
    assert geokg("load", str(write(tmp_path / "h.ttl", data)), store=store).code == 0
    run = geokg(
        "query", f"SELECT ?l WHERE {{ {ATL} rdfs:label ?l FILTER(lang(?l) = 'en') }}", store=store
    )
    assert run.code == 0, run.err
    assert "[bold red]x[/]" in run.out and "<img src=x onerror=alert(1)>" in run.out


def test_malformed_sparql_gives_position_and_exit_2(bundled_store):
    run = geokg("query", "SELECT * WHERE {\n  ?s ?p \n}", store=bundled_store)
    assert run.code == 2
    assert "Traceback" not in run.err
    assert "malformed SPARQL at line 3, column" in run.err, run.err
    assert run.err.count("\n") == 1  # one line, in words (no token dump)


def test_query_needs_exactly_one_source(bundled_store, tmp_path):
    query = write(tmp_path / "q.rq", "ASK {}")
    assert geokg("query", store=bundled_store).code == 2
    assert geokg("query", "ASK {}", "--file", str(query), store=bundled_store).code == 2


@pytest.mark.parametrize(
    ("fmt", "rdflib_format"),
    [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("rdf", "xml")],
)
def test_export_triple_formats_of_one_graph(bundled_store, fmt, rdflib_format):
    run = geokg("export", "--format", fmt, "--graph", ONTOLOGY, store=bundled_store)
    assert run.code == 0, run.err
    exported = Graph().parse(data=run.out, format=rdflib_format)
    assert len(exported) == count(bundled_store, f"GRAPH <{ONTOLOGY}> {{ ?s ?p ?o }}")


@pytest.mark.parametrize(("fmt", "rdflib_format"), [("trig", "trig"), ("nq", "nquads")])
def test_export_quad_formats_keep_the_graphs(bundled_store, tmp_path, fmt, rdflib_format):
    out = tmp_path / f"all.{fmt}"
    run = geokg("export", "--format", fmt, "--output", str(out), store=bundled_store)
    assert run.code == 0, run.err
    dataset = Dataset()
    dataset.parse(out, format=rdflib_format)
    graphs = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert {KB, ONTOLOGY} <= graphs
    assert sum(len(g) for g in dataset.graphs()) == count(bundled_store, "GRAPH ?g { ?s ?p ?o }")


def test_export_of_an_unknown_graph_fails_clearly(bundled_store):
    assert_one_line_error(
        geokg("export", "--graph", "https://example.org/none", store=bundled_store),
        "no named graph",
    )


# -- load ----------------------------------------------------------------------------------


RDF_SAMPLES = {
    "ttl": VALID_TTL,
    "nt": '<https://w3id.org/geokg/id/state/ATL> <http://www.w3.org/2000/01/rdf-schema#label> "Atlantis"@en .\n'
    '<https://w3id.org/geokg/id/state/ATL> <http://www.w3.org/2000/01/rdf-schema#label> "Atlantide"@fr .\n'
    "<https://w3id.org/geokg/id/state/ATL> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/geokg/ontology#State> .\n"
    "<https://w3id.org/geokg/id/state/ATL> <http://www.w3.org/ns/prov#wasDerivedFrom> <https://w3id.org/geokg/id/source/background> .\n",
    "nq": '<https://w3id.org/geokg/id/state/ATL> <http://www.w3.org/2000/01/rdf-schema#label> "Atlantis"@en <https://example.org/g/nq> .\n'
    '<https://w3id.org/geokg/id/state/ATL> <http://www.w3.org/2000/01/rdf-schema#label> "Atlantide"@fr <https://example.org/g/nq> .\n'
    "<https://w3id.org/geokg/id/state/ATL> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/geokg/ontology#State> <https://example.org/g/nq> .\n"
    "<https://w3id.org/geokg/id/state/ATL> <http://www.w3.org/ns/prov#wasDerivedFrom> <https://w3id.org/geokg/id/source/background> <https://example.org/g/nq> .\n",
    "trig": "@prefix gk: <https://w3id.org/geokg/ontology#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    '<https://example.org/g/trig> { <https://w3id.org/geokg/id/state/ATL> a gk:State ; rdfs:label "Atlantis"@en, "Atlantide"@fr ; <http://www.w3.org/ns/prov#wasDerivedFrom> <https://w3id.org/geokg/id/source/background> . }\n',
    "rdf": '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
    '<rdf:Description rdf:about="https://w3id.org/geokg/id/state/ATL">\n'
    '<rdf:type rdf:resource="https://w3id.org/geokg/ontology#State"/>\n'
    '<rdfs:label xml:lang="en">Atlantis</rdfs:label><rdfs:label xml:lang="fr">Atlantide</rdfs:label>\n'
    '<prov:wasDerivedFrom xmlns:prov="http://www.w3.org/ns/prov#" rdf:resource="https://w3id.org/geokg/id/source/background"/>\n'
    "</rdf:Description>\n</rdf:RDF>\n",
    "jsonld": json.dumps(
        {
            "@id": "https://w3id.org/geokg/id/state/ATL",
            "@type": "https://w3id.org/geokg/ontology#State",
            "http://www.w3.org/2000/01/rdf-schema#label": [
                {"@value": "Atlantis", "@language": "en"},
                {"@value": "Atlantide", "@language": "fr"},
            ],
            "http://www.w3.org/ns/prov#wasDerivedFrom": {
                "@id": "https://w3id.org/geokg/id/source/background"
            },
        }
    ),
}


@pytest.mark.parametrize("fmt", sorted(RDF_SAMPLES))
def test_load_every_format(store, tmp_path, fmt):
    path = write(tmp_path / f"atlantis.{fmt}", RDF_SAMPLES[fmt])
    run = geokg("load", str(path), store=store)
    assert run.code == 0, run.err
    expected_graph = {
        "nq": "https://example.org/g/nq",
        "trig": "https://example.org/g/trig",
    }.get(fmt, f"https://w3id.org/geokg/graph/file/atlantis.{fmt}")
    assert expected_graph in run.out
    assert count(store, f"GRAPH <{expected_graph}> {{ {ATL} a gk:State ; rdfs:label ?l }}") == 2


def test_load_into_a_named_graph_then_replace_it(store, tmp_path):
    graph = "https://example.org/g/mine"
    first = write(tmp_path / "a.ttl", VALID_TTL)
    assert geokg("load", str(first), "--graph", graph, store=store).code == 0
    before = count(store, f"GRAPH <{graph}> {{ ?s ?p ?o }}")
    assert before > 0
    second = write(tmp_path / "b.nt", RDF_SAMPLES["nt"])
    assert geokg("load", str(second), "--graph", graph, "--replace", store=store).code == 0
    assert count(store, f"GRAPH <{graph}> {{ ?s ?p ?o }}") == 4


def test_load_with_no_file_reloads_the_bundled_data(store):
    kb_before = count(store, f"GRAPH <{KB}> {{ ?s ?p ?o }}")
    geokg("query", "--format", "csv", "ASK {}", store=store)
    assert geokg("load", store=store).code == 0
    assert count(store, f"GRAPH <{KB}> {{ ?s ?p ?o }}") == kb_before


def test_a_broken_last_line_leaves_the_store_as_it_was(store, tmp_path):
    before = count(store)
    lines = (
        RDF_SAMPLES["nt"]
        + '<https://w3id.org/geokg/id/state/ATL> <http://example.org/p> "unterminated .\n'
    )
    path = write(tmp_path / "broken.nt", lines)
    run = geokg("load", str(path), "--no-validate", store=store)
    assert_one_line_error(run, "broken.nt:5:")
    assert count(store) == before
    assert count(store, f"{ATL} ?p ?o") == 0


def test_one_broken_file_among_several_loads_nothing(store, tmp_path):
    before = count(store)
    good = write(tmp_path / "good.ttl", VALID_TTL)
    bad = write(
        tmp_path / "bad.ttl", "@prefix : <https://example.org/> .\n:a :b :c .\n:a :b ,, .\n"
    )
    run = geokg("load", str(good), str(bad), store=store)
    assert_one_line_error(run, "bad.ttl:3:")
    assert count(store) == before


def test_shacl_violation_loads_nothing_and_names_the_focus_node(store, tmp_path):
    before = count(store)
    path = write(tmp_path / "lonely.ttl", ONE_PARTY_TTL)
    run = geokg("load", str(path), store=store)
    assert run.code == 1
    assert "nothing loaded" in run.err and "https://w3id.org/geokg/id/treaty/lonely" in run.err
    assert "Traceback" not in run.err
    assert count(store) == before
    # Trusted bulk loads skip validation.
    assert geokg("load", str(path), "--no-validate", store=store).code == 0
    assert count(store) == before + 6


def test_validation_sees_what_the_data_refer_to_in_the_store(store, tmp_path):
    """The treaty's second party (PRK) is described in the store, not in the file."""
    path = write(tmp_path / "pact.ttl", VALID_TTL)
    assert geokg("validate", str(path), store=store).code == 0
    assert geokg("load", str(path), store=store).code == 0
    assert count(store, "<https://w3id.org/geokg/id/treaty/test-pact> gk:party ?p") == 2


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("missing.ttl", None, "no such file"),
        ("data.xyz", "x", "unknown RDF file extension"),
    ],
)
def test_bad_files_fail_with_one_line(store, tmp_path, name, content, needle):
    path = tmp_path / name
    if content is not None:
        write(path, content)
    assert_one_line_error(geokg("load", str(path), store=store), needle)


def test_unwritable_store_path_fails_with_one_line(tmp_path):
    blocker = write(tmp_path / "a-file", "not a folder")
    assert_one_line_error(geokg("info", store=blocker / "store"), "cannot open the store")


def test_locked_store_fails_with_one_line(store, tmp_path):
    holder = subprocess.Popen(
        [
            GEOKG.replace("geokg", "python"),
            "-c",
            f"import sys, pyoxigraph; s = pyoxigraph.Store({str(store)!r}); print('ready', flush=True); sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        assert_one_line_error(geokg("info", store=store), "in use by another process")
    finally:
        holder.communicate("")


# -- validate ------------------------------------------------------------------------------


def test_validate_the_store_conforms(bundled_store):
    run = geokg("validate", store=bundled_store)
    assert run.code == 0, run.out + run.err
    assert "Conforms" in run.out


def test_validate_a_file_with_violations(bundled_store, tmp_path):
    path = write(tmp_path / "lonely.ttl", ONE_PARTY_TTL)
    run = geokg("validate", str(path), store=bundled_store)
    assert run.code == 1
    assert "https://w3id.org/geokg/id/treaty/lonely" in run.out and "party" in run.out
    report = geokg("validate", "--format", "ttl", str(path), store=bundled_store)
    assert report.code == 1
    graph = Graph().parse(data=report.out, format="turtle")
    assert graph.query("ASK { ?r a <http://www.w3.org/ns/shacl#ValidationResult> }").askAnswer


# -- persistence and serving ---------------------------------------------------------------


def test_data_survive_the_process(store, tmp_path):
    path = write(tmp_path / "a.ttl", VALID_TTL)
    assert geokg("load", str(path), store=store).code == 0  # one process writes and exits
    assert count(store, f"{ATL} a gk:State") == 1  # another reads


def test_serve_answers_ask_over_the_bundled_data(tmp_path):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [GEOKG, "serve", "--port", str(port), "--store", str(tmp_path / "served")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        answer = None
        for _ in range(120):
            try:
                answer = httpx.get(
                    f"http://127.0.0.1:{port}/sparql",
                    params={"query": "ASK{?s ?p ?o}"},
                    headers={"Accept": "application/sparql-results+json"},
                )
                break
            except httpx.TransportError:
                time.sleep(0.5)
        assert answer is not None and answer.status_code == 200
        assert answer.json()["boolean"] is True
    finally:
        server.terminate()
        server.wait(timeout=30)
    # The second start reuses the store: the data are there without loading.
    assert count(tmp_path / "served", f"GRAPH <{KB}> {{ ?s ?p ?o }}") > 0
