"""The Python store interface, as a notebook user meets it."""

from __future__ import annotations

import pytest
from geokg.graph import KB_GRAPH, ONTOLOGY_GRAPH
from rdflib import Dataset, Graph, Literal, URIRef

import geokg

NT = (
    '<https://example.org/s> <https://example.org/p> "one" .\n'
    '<https://example.org/s> <https://example.org/p> "deux"@fr .\n'
    '<https://example.org/s> <https://example.org/q> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
)
G = "https://example.org/g"


@pytest.fixture
def kg():
    return geokg.open_store(None, bundled=False)


def test_in_memory_store_with_bundled_data():
    kg = geokg.open_store(None)
    graphs = kg.graphs()
    assert str(ONTOLOGY_GRAPH) in graphs and str(KB_GRAPH) in graphs
    assert kg.counts()[str(ONTOLOGY_GRAPH)] > 100


def test_query_returns_rows_graph_or_bool(kg):
    kg.load_data(NT, format="nt", graph=G, validate=False)
    rows = kg.query("SELECT ?o WHERE { ?s <https://example.org/p> ?o } ORDER BY ?o")
    assert rows.vars == ["o"]
    assert [r[0] for r in rows] == [Literal("deux", lang="fr"), Literal("one")]
    assert rows.to_dataframe()["o"].tolist() == ["deux", "one"]
    assert kg.query("SELECT ?n WHERE { ?s <https://example.org/q> ?n }").to_python() == [(3,)]
    graph = kg.query("CONSTRUCT WHERE { ?s <https://example.org/p> ?o }")
    assert isinstance(graph, Graph) and len(graph) == 2
    assert kg.query("ASK { ?s ?p 'one' }") is True


def test_union_default_graph_and_named_graphs(kg):
    kg.load_data(NT, format="nt", graph=G, validate=False)
    assert kg.query("ASK { ?s ?p ?o }") is True
    assert kg.query("ASK { ?s ?p ?o }", union=False) is False
    assert kg.query(f"ASK {{ GRAPH <{G}> {{ ?s ?p ?o }} }}", union=False) is True


def test_prefixes_are_declared_on_request(kg):
    with pytest.raises(geokg.QuerySyntaxError):
        kg.query("ASK { ?s a gk:State }")
    assert kg.query("ASK { ?s a gk:State }", prefixes=True) is False


def test_malformed_query_has_a_position(kg):
    with pytest.raises(geokg.QuerySyntaxError) as caught:
        kg.query("SELECT * WHERE {\n ?s ?p }")
    assert caught.value.line == 2 and caught.value.column is not None


def test_load_is_all_or_nothing(kg):
    kg.load_data(NT, format="nt", graph=G, validate=False)
    before = kg.counts()
    with pytest.raises(geokg.RdfSyntaxError) as caught:
        kg.load_data(
            NT + "<https://example.org/x> <https://example.org/p> .\n",
            format="nt",
            graph=G,
            validate=False,
            name="x.nt",
        )
    assert (caught.value.source, caught.value.line) == ("x.nt", 4)
    assert kg.counts() == before


def test_on_disk_the_syntax_pass_runs_beside_the_bulk_loader(tmp_path, overlapped_loads):
    """On disk, a load into a new graph is parsed while the bulk loader writes: the same
    report as the load in memory; a syntax error says where and undoes the write."""
    beside = overlapped_loads
    good, bad = tmp_path / "good.nt", tmp_path / "bad.nt"
    good.write_text(NT * 500)  # 1,500 triples read, 3 distinct
    bad.write_text(NT * 500 + "<https://example.org/x> <https://example.org/p> .\n" + NT)
    on_disk = geokg.open_store(tmp_path / "s", bundled=False)
    on_disk.load_data(NT, format="nt", graph=G, validate=False)
    before = sorted(map(str, on_disk.backend.store))
    with pytest.raises(geokg.RdfSyntaxError) as caught:
        on_disk.load(bad, "https://example.org/new", validate=False)
    assert (caught.value.source, caught.value.line) == (str(bad), 1501)
    assert sorted(map(str, on_disk.backend.store)) == before  # nothing written
    assert len(beside) == 2  # the first load (into an empty store) too
    progress = []
    report = on_disk.load(
        good, "https://example.org/new", validate=False, progress=lambda *p: progress.append(p)
    )
    assert len(beside) == 3
    in_memory = geokg.open_store(None, bundled=False).load(good, "https://example.org/new")
    assert len(beside) == 3  # in memory: parsed first, as always
    assert (
        (report.triples, report.graphs)
        == (in_memory.triples, in_memory.graphs)
        == (
            1500,
            ["https://example.org/new"],
        )
    )
    assert on_disk.counts()["https://example.org/new"] == 3
    assert progress[-1] == (f"loading {good}", good.stat().st_size, good.stat().st_size)
    on_disk.load(good, "https://example.org/new", validate=False)  # a graph it holds: parsed first
    assert len(beside) == 3
    on_disk.close()


def test_replace_and_drop_a_graph(kg, tmp_path):
    path = tmp_path / "data.nt"
    path.write_text(NT)
    kg.load(path, G, validate=False)
    kg.load(path, G, validate=False)
    assert kg.counts()[G] == 3  # a graph is a set: loading twice adds nothing
    other = tmp_path / "other.nt"
    other.write_text('<https://example.org/t> <https://example.org/p> "x" .\n')
    kg.replace_graph(G, other, validate=False)
    assert kg.counts()[G] == 1
    kg.drop_graph(G)
    assert G not in kg.graphs()


def test_dump_and_rdflib_views(kg):
    kg.load_data(NT, format="nt", graph=G, validate=False)
    trig = kg.dump(format="trig")
    dataset = Dataset()
    dataset.parse(data=trig, format="trig")
    assert len(dataset.graph(URIRef(G))) == 3
    assert len(kg.to_rdflib(G)) == 3
    assert len(kg.to_rdflib().graph(URIRef(G))) == 3
    assert Graph().parse(data=kg.dump(format="ttl"), format="turtle").__len__() == 3


def test_progress_is_reported(kg, tmp_path):
    path = tmp_path / "data.nt"
    path.write_text(NT * 1)
    seen = []
    kg.load(
        path,
        G,
        validate=False,
        progress=lambda phase, done, total: seen.append((phase, done, total)),
    )
    phases = {phase.split()[0] for phase, _, _ in seen}
    assert phases == {"checking", "loading"}
    assert seen[-1][1] == seen[-1][2] == path.stat().st_size


def test_reopen_on_disk(tmp_path):
    kg = geokg.open_store(tmp_path / "s", bundled=False)
    kg.load_data(NT, format="nt", graph=G, validate=False)
    kg.close()
    again = geokg.open_store(tmp_path / "s", bundled=False)
    assert again.counts() == {G: 3}
    again.close()
