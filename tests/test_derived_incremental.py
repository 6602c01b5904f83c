"""The derived graph after every write is exactly what the SPARQL rebuild makes (issue 19).

geokg.graph.derived computes the derived graph in Python from the triples it reads, skips the
rebuild when a write adds or removes none of them, and writes only the difference. The
reference here is the SPARQL Updates of ``rebuild_updates`` (the algorithm of issue 5), run on
an in-memory copy of the store's input graphs with the same date; the derived graphs are
compared quad for quad (and whether the graph exists at all) after the bundled data, the ATOP
and MDI imports, and after each step of a sequence of loads, replaces, drops and SPARQL Updates
over data that exercise every rule (member phases with exit dates at several precisions,
articles binding only some parties, a blank-node party, a literal party, an article shared by
two treaties).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyoxigraph as ox
import pytest
from geokg.graph import DERIVED_GRAPH, derived, open_store
from geokg.graph.derived import rebuild_updates
from geokg.graph.importers import import_atop, import_mdi

DATA = Path(__file__).parent / "data"
D = ox.NamedNode(str(DERIVED_GRAPH))
G1 = "https://example.org/graph/one"
G2 = "https://example.org/graph/two"
G3 = "https://example.org/graph/three"

PREFIXES = """@prefix gk: <https://w3id.org/geokg/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <https://w3id.org/geokg/id/provision/> .
@prefix s: <https://w3id.org/geokg/id/state/> .
@prefix ex: <https://example.org/> .
"""

#: Treaties that exercise every rule of the derivation.
TREATIES = (
    PREFIXES
    + """
ex:t1 a gk:Treaty ; gk:party s:AAA , s:BBB , s:CCC ; gk:hasArticle ex:t1-1 , ex:t1-2 .
ex:t1-1 gk:provision prov:defense ; gk:obligor s:AAA ; gk:beneficiary s:BBB , s:CCC .
ex:t1-2 gk:provision prov:consultation .
ex:t2 a gk:Treaty ; gk:party s:AAA , s:DDD , _:anon ; gk:hasArticle ex:shared ;
    gk:inForceUntil "2001"^^xsd:gYear .
ex:t3 a gk:Treaty ; gk:party s:DDD , s:EEE ; gk:hasArticle ex:shared .
ex:shared gk:provision prov:defense .
ex:t4 a gk:Treaty ; gk:party s:AAA , s:EEE , s:FFF ; gk:obligation prov:defense , prov:neutrality .
ex:p4a gk:inTreaty ex:t4 ; gk:memberState s:AAA ; gk:obligation prov:defense .
ex:p4e gk:inTreaty ex:t4 ; gk:memberState s:EEE ; gk:exitDate "1999-05-01"^^xsd:date .
ex:p4f gk:inTreaty ex:t4 ; gk:memberState s:FFF ; gk:exitDate "2999"^^xsd:gYear .
ex:t5 a gk:Treaty ; gk:party s:BBB , s:FFF ; gk:obligation prov:defense ;
    gk:inForceUntil "2999-01-01"^^xsd:date .
ex:t6 gk:party s:CCC , s:DDD ; gk:obligation prov:offense .
ex:t8 a gk:Treaty ; gk:party s:GGG , _:nameless ; gk:obligation prov:defense .
[] gk:inTreaty ex:t8 ; gk:memberState _:nameless ; gk:obligation prov:defense .
"""
)

#: Data the derivation does not read (a deployment and a claim).
DEPLOYMENTS = (
    PREFIXES
    + """
ex:dep1 a gk:Deployment ; gk:sendingState s:AAA ; gk:hostState s:BBB ; gk:legalBasis ex:t1-1 .
ex:claim1 gk:about ex:dep1 ; gk:measure ex:troops .
"""
)

#: A party that is a literal: outside what the Python derivation mirrors (SPARQL does it).
LITERAL_PARTY = (
    PREFIXES
    + """
ex:t7 a gk:Treaty ; gk:party s:AAA , "BBB" ; gk:hasArticle ex:t7-1 .
ex:t7-1 gk:provision prov:defense .
"""
)


def derived_quads(kg) -> tuple[bool, set[ox.Quad]]:
    """Whether the store has the derived graph, and its quads."""
    store = kg.backend.store
    return store.contains_named_graph(D), set(store.quads_for_pattern(None, None, None, D))


def reference(kg) -> tuple[bool, set[ox.Quad]]:
    """The derived graph the SPARQL Updates of issue 5 make from the store's input graphs."""
    copy = ox.Store()
    copy.bulk_extend(
        q
        for q in kg.backend.store.quads_for_pattern(None, None, None, None)
        if q.graph_name != D and not isinstance(q.graph_name, ox.DefaultGraph)
    )
    graphs = [g.value for g in copy.named_graphs()]
    today = dt.date.today().isoformat()
    prologue = "PREFIX gk: <https://w3id.org/geokg/ontology#>\n"
    copy.update(prologue + " ;\n".join(rebuild_updates(graphs, today)))
    return copy.contains_named_graph(D), set(copy.quads_for_pattern(None, None, None, D))


def assert_as_reference(kg, step: str) -> None:
    mine, ref = derived_quads(kg), reference(kg)
    assert mine[0] == ref[0], f"{step}: derived graph present {mine[0]}, reference {ref[0]}"
    missing, extra = ref[1] - mine[1], mine[1] - ref[1]
    assert not missing and not extra, (
        f"{step}: {len(missing)} missing, e.g. {sorted(map(str, missing))[:3]}; "
        f"{len(extra)} extra, e.g. {sorted(map(str, extra))[:3]}"
    )


@pytest.fixture
def rebuilds(monkeypatch) -> list[str]:
    """What each write did to the derived graph (refresh_derived's answers), in order."""
    seen: list[str] = []
    original = derived.refresh_derived

    def spy(*args, **kwargs):
        seen.append(original(*args, **kwargs))
        return seen[-1]

    monkeypatch.setattr(derived, "refresh_derived", spy)
    return seen


def test_bundled_atop_and_mdi_as_the_sparql_rebuild(tmp_path, rebuilds):
    kg = open_store(tmp_path / "store", server=False)
    assert_as_reference(kg, "bundled data")
    assert rebuilds == ["derived", "skipped", "incremental"]  # ontology, shapes, knowledge base
    atop = DATA / "atop"
    import_atop(
        kg, atop / "atop-alliance-level.csv", atop / "atop-member-level.csv", validate=False
    )
    assert rebuilds[-1] == "derived"
    assert_as_reference(kg, "ATOP")
    _, quads = derived_quads(kg)
    assert len(quads) > 40_000  # ATOP's member phases, exits and obligations are all there
    import_mdi(kg, DATA / "deployments" / "mdi_deployments_2014_2021.csv", validate=False)
    assert rebuilds[-1] == "skipped"  # deployments and claims: nothing the derivation reads
    assert_as_reference(kg, "MDI")
    kg.close()


def test_a_sequence_of_writes_as_the_sparql_rebuild(tmp_path, rebuilds):
    kg = open_store(tmp_path / "store", bundled=False, server=False)
    steps = [
        ("load treaties", lambda: kg.load_data(TREATIES, format="ttl", graph=G1, validate=False)),
        (
            "load deployments",
            lambda: kg.load_data(DEPLOYMENTS, format="ttl", graph=G2, validate=False),
        ),
        (
            "append a party and a former member",
            lambda: kg.load_data(
                PREFIXES + "ex:t3 gk:party s:GGG . ex:p3 gk:inTreaty ex:t3 ; "
                'gk:memberState s:GGG ; gk:exitDate "2000"^^xsd:gYear .',
                format="ttl",
                graph=G1,
                validate=False,
            ),
        ),
        (
            "replace deployments by treaties",
            lambda: kg.load_data(
                TREATIES.replace("ex:t", "ex:u"),
                format="ttl",
                graph=G2,
                replace=True,
                validate=False,
            ),
        ),
        (
            "update: end a treaty",
            lambda: kg.update(
                f"INSERT DATA {{ GRAPH <{G3}> {{ <https://example.org/t1> "
                '<https://w3id.org/geokg/ontology#inForceUntil> "2010-01-01" } }'
            ),
        ),
        (
            "update: delete a party",
            lambda: kg.update(
                "DELETE WHERE { GRAPH ?g { <https://example.org/u4> "
                "<https://w3id.org/geokg/ontology#party> <https://w3id.org/geokg/id/state/AAA> } }"
            ),
        ),
        ("drop a graph of treaties", lambda: kg.drop_graph(G2)),
        ("drop the derived graph", lambda: kg.drop_graph(str(DERIVED_GRAPH))),
        (
            "load deployments after the derived graph was dropped",
            lambda: kg.load_data(DEPLOYMENTS, format="ttl", graph=G2, validate=False),
        ),
        (
            "N-Quads into the derived graph and another",
            lambda: kg.load_data(
                f"<https://example.org/x> <https://example.org/p> <https://example.org/y> <{D.value}> .\n"
                f"<https://example.org/t6> <https://w3id.org/geokg/ontology#party> "
                f"<https://w3id.org/geokg/id/state/HHH> <{G3}> .\n",
                format="nq",
                validate=False,
            ),
        ),
        (
            "a literal party (the SPARQL path)",
            lambda: kg.load_data(LITERAL_PARTY, format="ttl", graph=G2, validate=False),
        ),
        ("drop the treaties with a literal party", lambda: kg.drop_graph(G2)),
        ("drop every input", lambda: [kg.drop_graph(g) for g in (G1, G3)]),
    ]
    for step, write in steps:
        write()
        if step == "drop the derived graph":
            assert derived_quads(kg) == (False, set())  # as today: dropped alone, it stays so
        else:
            assert_as_reference(kg, step)
    assert rebuilds == [
        "derived",  # treaties into an empty store
        "skipped",  # deployments
        "incremental",  # a party and a member phase for one treaty
        "derived",  # replaced: the new data have blank nodes, read back from the store
        "derived",  # SPARQL Update: what changed is unknown
        "derived",
        "incremental",  # a drop of treaties
        "untouched",  # the derived graph dropped alone stays dropped
        "derived",  # then rebuilt by the next write, whatever it holds
        "derived",  # a load into the derived graph too
        "sparql",  # a literal party: the SPARQL reference
        "derived",
        "incremental",
        "incremental",
    ]
    kg.close()


def test_files_into_new_graphs_as_the_sparql_rebuild(
    tmp_path, rebuilds, monkeypatch, overlapped_loads
):
    """On disk, a file loaded into a graph the store does not hold is parsed beside the bulk
    loader, and what the derivation needs from before the write is read after it, in the
    graphs the store held before: the derived graph is still the reference's, incremental
    for a file that touches a treaty already in the store, computed beside the bulk loader
    for a large one."""
    from geokg.graph import store as store_module

    beside, precomputed = overlapped_loads, []

    def spy(*args):
        precomputed.append(derived.derive_beside(*args))
        return precomputed[-1]

    monkeypatch.setattr(store_module, "derive_beside", spy)
    kg = open_store(tmp_path / "store", bundled=False, server=False)
    kg.load_data(TREATIES, format="ttl", graph=G1, validate=False)
    touching = tmp_path / "touching.ttl"
    touching.write_text(
        PREFIXES + "ex:t3 gk:party s:GGG . ex:p3 gk:inTreaty ex:t3 ; gk:memberState s:GGG ; "
        'gk:exitDate "2000"^^xsd:gYear .\n'
        "ex:t9 a gk:Treaty ; gk:party s:AAA , s:HHH ; gk:obligation prov:defense .\n"
    )
    kg.load(touching, G2, validate=False)
    assert rebuilds[-1] == "incremental"
    assert_as_reference(kg, "a file touching a treaty in the store")
    many = tmp_path / "many.ttl"
    many.write_text(
        PREFIXES
        + "".join(
            f"ex:m{i} a gk:Treaty ; gk:party s:AAA , s:M{i} ; gk:obligation prov:defense .\n"
            for i in range(1_500)
        )
    )
    kg.load(many, G3, validate=False)
    assert rebuilds[-1] == "derived"
    assert_as_reference(kg, "a large file")
    assert len(beside) == 3  # the first load too (into an empty store)
    # the large file's derived graph was computed beside the bulk loader, the others' after
    assert [p is not None for p in precomputed] == [False, False, True]
    kg.close()


def test_no_rebuild_unless_the_data_read_changed(tmp_path, rebuilds):
    """Skipped: a load or drop of data the derivation does not read, the derived graph being
    of today. Rebuilt (incrementally): a load of treaties, a replaced graph that held treaties.
    Rebuilt whole: any write once the date the derived graph was built for is not today's."""
    kg = open_store(tmp_path / "store", bundled=False, server=False)
    kg.load_data(TREATIES, format="ttl", graph=G1, validate=False)
    kg.load_data(DEPLOYMENTS, format="ttl", graph=G2, validate=False)
    kg.drop_graph(G2)
    assert rebuilds == ["derived", "skipped", "skipped"]
    kg.load_data(TREATIES, format="ttl", graph=G2, validate=False)
    kg.load_data(DEPLOYMENTS, format="ttl", graph=G2, replace=True, validate=False)
    # the treaties have blank nodes (rebuilt whole); the replaced graph held treaties
    assert rebuilds[-2:] == ["derived", "incremental"]
    kg.backend.derived_on = "2000-01-01"  # as if built on another day
    kg.load_data(DEPLOYMENTS, format="ttl", graph=G3, validate=False)
    assert rebuilds[-1] == "derived"
    assert_as_reference(kg, "after the date changed")
    kg.close()
    reopened = open_store(tmp_path / "store", bundled=False, server=False)
    assert reopened.backend.derived_on == dt.date.today().isoformat()  # kept with the store
    reopened.load_data(DEPLOYMENTS, format="ttl", graph=G3, validate=False)
    assert rebuilds[-1] == "skipped"
    reopened.close()


def _random_triples(rng, n: int) -> str:
    """``n`` random input triples over a small pool of treaties, articles, phases and states
    (articles shared between treaties, one article named as a treaty, dates on both sides of
    today at both precisions), as N-Triples."""
    ex, gk = "https://example.org/", "https://w3id.org/geokg/ontology#"
    states = [f"<https://w3id.org/geokg/id/state/S{i}>" for i in range(6)]
    treaties = [f"<{ex}t{i}>" for i in range(12)]
    articles = [f"<{ex}a{i}>" for i in range(8)] + [treaties[0]]
    phases = [f"<{ex}p{i}>" for i in range(10)]
    provisions = [
        f"<https://w3id.org/geokg/id/provision/{p}>"
        for p in ("defense", "defense", "consultation", "economic-cooperation")
    ]
    dates = ['"1990"', '"2999"', '"1990-01-01"', '"2999-12-31"', '"2026"']
    kinds = [
        lambda: (rng.choice(treaties), "party", rng.choice(states)),
        lambda: (rng.choice(treaties), "hasArticle", rng.choice(articles)),
        lambda: (rng.choice(articles), "provision", rng.choice(provisions)),
        lambda: (rng.choice(articles), "obligor", rng.choice(states)),
        lambda: (rng.choice(articles), "beneficiary", rng.choice(states)),
        lambda: (rng.choice(treaties), "obligation", rng.choice(provisions)),
        lambda: (rng.choice(treaties), "inForceUntil", rng.choice(dates)),
        lambda: (rng.choice(phases), "inTreaty", rng.choice(treaties)),
        lambda: (rng.choice(phases), "memberState", rng.choice(states)),
        lambda: (rng.choice(phases), "exitDate", rng.choice(dates)),
        lambda: (rng.choice(phases), "obligation", rng.choice(provisions)),
        lambda: (rng.choice(treaties), "type", f"<{gk}Treaty>"),
        lambda: (rng.choice(treaties), "label", '"a treaty"'),  # not read by the derivation
    ]
    weights = [8, 3, 3, 1, 1, 2, 1, 2, 2, 1, 1, 2, 1]  # parties most often
    lines = []
    for _ in range(n):
        s, p, o = rng.choices(kinds, weights)[0]()
        if p == "type":
            predicate = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
        elif p == "label":
            predicate = "<http://www.w3.org/2000/01/rdf-schema#label>"
        else:
            predicate = f"<{gk}{p}>"
        lines.append(f"{s} {predicate} {o} .")
    return "\n".join(lines) + "\n"


def test_random_writes_as_the_sparql_rebuild(rebuilds):
    """200 random small loads, replaces and drops over four graphs sharing treaties, articles
    and states: after each, the derived graph is the SPARQL rebuild's."""
    import random

    rng = random.Random(19)
    kg = open_store(None, bundled=False)
    graphs = [f"https://example.org/graph/{i}" for i in range(4)]
    for step in range(200):
        graph, action = rng.choice(graphs), rng.random()
        if action < 0.8:
            data = _random_triples(rng, rng.randint(2, 12))
            kg.load_data(data, format="nt", graph=graph, validate=False)
        elif action < 0.93:
            data = _random_triples(rng, rng.randint(2, 20))
            kg.load_data(data, format="nt", graph=graph, replace=True, validate=False)
        elif graph in kg.graphs():
            kg.drop_graph(graph)
        assert_as_reference(kg, f"step {step}")
    assert rebuilds.count("incremental") > 150  # the path under test


def test_optimize_keeps_the_data(tmp_path):
    """``kg.optimize()`` (Store.optimize, offered, not run after loads) changes no triple."""
    kg = open_store(tmp_path / "store", server=False)
    kg.load_data(TREATIES, format="ttl", graph=G1, validate=False)
    before = kg.counts(), derived_quads(kg)
    kg.optimize()
    assert (kg.counts(), derived_quads(kg)) == before
    kg.load_data(DEPLOYMENTS, format="ttl", graph=G2, validate=False)  # still writable
    assert_as_reference(kg, "after optimize")
    kg.close()
