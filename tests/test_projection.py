"""Projections to networkx: alliances, obligations, deployments, any CONSTRUCT; the derived graph."""

from __future__ import annotations

import doctest
import importlib

import networkx as nx
import pytest
from geokg.graph import DERIVED_GRAPH
from geokg.graph.projection import alliance_query

import geokg
from geokg import STATE_IRI

RUS, PRK, CHN, SUN, USA = (STATE_IRI(c) for c in ("RUS", "PRK", "CHN", "SUN", "USA"))
T2024 = "https://w3id.org/geokg/id/treaty/rus-prk-2024-comprehensive-strategic-partnership"
TEST = "https://example.org/graph/test-networks"
#: Three states, an asymmetric guarantee (A protects B, not the reverse) in force from a
#: year, and a bilateral consultation pact that ended in March 2000.
SMALL = """
@prefix gk: <https://w3id.org/geokg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix p: <https://w3id.org/geokg/id/provision/> .
@prefix x: <https://example.org/x/> .
x:A a gk:State ; rdfs:label "Aland"@en , "Alande"@fr ; gk:isoAlpha3 "XAA" .
x:B a gk:State ; rdfs:label "Bland"@en ; gk:isoAlpha3 "XBB" .
x:C a gk:State ; rdfs:label "Cland"@en ; gk:isoAlpha3 "XCC" .
x:guarantee a gk:Treaty ; rdfs:label "Guarantee"@en ; gk:party x:A , x:B ;
    gk:inForceFrom "1990"^^xsd:gYear ; gk:hasArticle x:guarantee-1 , x:guarantee-2 .
x:guarantee-1 a gk:TreatyArticle ; gk:articleNumber 1 ; gk:provision p:defense ;
    gk:obligor x:A ; gk:beneficiary x:B .
x:guarantee-2 a gk:TreatyArticle ; gk:articleNumber 2 ; gk:provision p:economic-cooperation .
x:pact a gk:Treaty ; rdfs:label "Pact"@en ; gk:party x:B , x:C ;
    gk:signedOn "1980-05-01"^^xsd:date ; gk:inForceUntil "2000-03"^^xsd:gYearMonth ;
    gk:hasArticle x:pact-3 .
x:pact-3 a gk:TreatyArticle ; gk:articleNumber 3 ; gk:provision p:consultation .
"""


@pytest.fixture(scope="module")
def small():
    kg = geokg.open_store(None, bundled=False)
    kg.load_data(SMALL, format="ttl", graph=TEST, validate=False)
    return kg


@pytest.mark.parametrize(
    "name",
    [
        "geokg.graph.derived",
        "geokg.graph.projection",
        "geokg.graph.analysis",
        "geokg.graph.cascade",
    ],
)
def test_docstring_examples(name):
    failures, tried = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failures == 0


def test_alliance_graph_on_a_date(kg):
    g = alliance_graph = geokg.alliance_graph(kg, as_of="2024-12-31")
    assert isinstance(g, nx.MultiGraph)
    assert g.nodes[PRK]["iso"] == "PRK" and g.nodes[PRK]["label_fr"]
    assert g.nodes[PRK]["kind"] == "State"
    edge = alliance_graph.get_edge_data(RUS, PRK)[T2024]
    assert edge["articles"] == [4, 10]
    assert edge["provisions"] == ["defense", "technology-cooperation"]
    assert edge["provision"] == "defense"
    assert (edge["signed"], edge["in_force_from"]) == ("2024-06-19", "2024-12-04")
    assert edge["multilateral"] is False and edge["parties"] == 2
    assert edge["dataset"] == "https://w3id.org/geokg/graph/kb"
    assert SUN not in g  # the 1961 USSR treaty ended in 1996
    nato = [d for *_, d in g.edges(USA, data=True)]
    assert nato and all(d["multilateral"] for d in nato)
    # The UN Charter has no alliance provision: absent unless every treaty is asked for.
    assert not any("un-charter" in k for *_, k in g.edges(keys=True))
    everything = geokg.alliance_graph(kg, as_of="2024-12-31", provisions="all")
    assert any("un-charter" in k for *_, k in everything.edges(keys=True))


def test_alliance_graph_dates_and_provisions(kg):
    before = geokg.alliance_graph(kg, as_of="2024-12-01")
    assert not before.has_edge(RUS, PRK)  # signed in June, in force from 4 December
    assert before.has_edge(SUN, PRK) is False
    cold_war = geokg.alliance_graph(kg, as_of="1990-01-01")
    assert cold_war.has_edge(SUN, PRK) and RUS not in cold_war
    defence = geokg.alliance_graph(kg, provisions=["defense"])
    assert defence.has_edge(SUN, PRK) and defence.has_edge(RUS, PRK)
    assert not geokg.alliance_graph(kg, provisions="technology-cooperation").has_edge(CHN, PRK)
    with pytest.raises(geokg.GeokgError):
        geokg.alliance_graph(kg, as_of="2024-12-31'} DROP ALL")
    with pytest.raises(geokg.GeokgError):
        alliance_query(provisions=["x> } DROP"])


def test_date_precision(small):
    # In force from 1990 (a year): in force on any day of 1990, not before.
    assert small_edges(small, "1990-01-01") == {("XAA", "XBB", "guarantee")} | pact()
    assert small_edges(small, "1989-12-31") == pact()
    # Until March 2000 (a month): still in force on 31 March, no longer in April.
    assert ("XBB", "XCC", "pact") in small_edges(small, "2000-03-31")
    assert ("XBB", "XCC", "pact") not in small_edges(small, "2000-04-01")


def pact():
    return {("XBB", "XCC", "pact")}


def small_edges(kg, day):
    g = geokg.alliance_graph(kg, as_of=day)
    return {
        (*sorted((g.nodes[a]["iso"], g.nodes[b]["iso"])), k.rsplit("/", 1)[-1])
        for a, b, k in g.edges(keys=True)
    }


def test_obligations_are_directed_and_asymmetric_where_the_article_says_so(kg, small):
    o = geokg.obligation_graph(kg, as_of="2025-01-15")
    assert isinstance(o, nx.MultiDiGraph)
    (edge,) = o.get_edge_data(PRK, RUS).values()
    assert edge["article_number"] == 4 and edge["treaty"] == T2024
    assert "assistance militaire" in edge["quote"]
    assert o.has_edge(RUS, PRK) and o.has_edge(CHN, PRK) and o.has_edge(PRK, CHN)
    assert not o.has_edge(SUN, PRK)
    s = geokg.obligation_graph(small)
    a, b = "https://example.org/x/A", "https://example.org/x/B"
    assert s.has_edge(a, b) and not s.has_edge(b, a)
    assert s.number_of_edges() == 1  # consultation binds nobody to assist


def test_derived_graph_follows_its_inputs(small):
    derived = f"GRAPH <{DERIVED_GRAPH}>"
    ask = "ASK { %s { <https://example.org/x/%s> gk:%s <https://example.org/x/%s> } }"
    assert small.query(ask % (derived, "A", "boundToAssist", "B"), prefixes=True)
    assert small.query(ask % (derived, "B", "alliedWith", "A"), prefixes=True)
    # The pact ended in 2000: no alliedWith edge today, but an obligation node of the
    # guarantee carries its treaty and article.
    assert not small.query(ask % (derived, "B", "alliedWith", "C"), prefixes=True)
    assert small.query(
        "ASK { ?o a gk:AssistanceObligation ; gk:obligor <https://example.org/x/A> ; "
        "gk:viaTreaty <https://example.org/x/guarantee> ; gk:viaArticle <https://example.org/x/guarantee-1> }",
        prefixes=True,
    )
    # An update that adds a party is followed at once; dropping the data empties the graph.
    until = "<https://w3id.org/geokg/ontology#inForceUntil>"
    pact = "<https://example.org/x/pact>"
    small.update(f'INSERT DATA {{ GRAPH <{TEST}> {{ {pact} {until} "2999" }} }}')
    small.update(
        f"DELETE DATA {{ GRAPH <{TEST}> {{ {pact} {until} "
        f'"2000-03"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> }} }}'
    )
    assert small.query(ask % (derived, "B", "alliedWith", "C"), prefixes=True)
    second = geokg.open_store(None, bundled=False)
    second.load_data(SMALL, format="ttl", graph=TEST, validate=False)
    assert str(DERIVED_GRAPH) in second.graphs()
    second.drop_graph(TEST)
    assert str(DERIVED_GRAPH) not in second.graphs()


def test_deployment_graph(kg):
    d = geokg.deployment_graph(kg, as_of="2025-01-15")
    (edge,) = d.get_edge_data(PRK, RUS).values()
    assert edge["legal_basis"] == T2024 + "/article/4"
    assert edge["legal_basis_number"] == 4 and edge["legal_basis_treaty"] == T2024
    assert "https://w3id.org/geokg/id/place/kursk-oblast" in edge["locations"]
    assert edge["start"] == "2024-10"
    claims = edge["claims"]
    assert len(claims) == len({c["claim"] for c in claims}) >= 10
    nis = [c for c in claims if c["claim"].endswith("s000-nis-troops-10000-15000")]
    assert nis[0]["min"] == 10000 and nis[0]["max"] == 15000
    assert nis[0]["agency"].endswith("/org/nis") and nis[0]["quote"].startswith("Le NIS")
    assert not geokg.deployment_graph(kg, as_of="2024-09-01").has_edge(PRK, RUS)


def test_to_networkx_and_exports(kg, tmp_path):
    g = geokg.to_networkx(
        kg,
        "CONSTRUCT { ?t gk:party ?s . ?s rdfs:label ?l } WHERE { ?t gk:party ?s . ?s rdfs:label ?l }",
    )
    assert g.has_edge(T2024, PRK) and g[T2024][PRK][str(geokg.GK.party)]
    assert isinstance(g.nodes[PRK]["label"], list)  # en and fr
    with pytest.raises(geokg.GeokgError):
        geokg.to_networkx(kg, "ASK { ?s ?p ?o }")
    for projection in (
        geokg.alliance_graph(kg),
        geokg.obligation_graph(kg),
        geokg.deployment_graph(kg),
        g,
    ):
        geokg.write_graphml(projection, tmp_path / "g.graphml")
        geokg.write_gexf(projection, tmp_path / "g.gexf")
        back = nx.read_graphml(tmp_path / "g.graphml")
        assert back.number_of_nodes() == projection.number_of_nodes()
        assert back.number_of_edges() == projection.number_of_edges()
        assert nx.read_gexf(tmp_path / "g.gexf").number_of_nodes() == projection.number_of_nodes()
    back = nx.read_graphml(tmp_path / "g.graphml")
    nodes, edges = geokg.to_dataframes(geokg.alliance_graph(kg, as_of="2024-12-31"))
    assert len(nodes) == 7 and len(edges) == 8
    row = edges[edges.key == T2024].iloc[0]
    assert row.articles == [4, 10] and {row.source, row.target} == {RUS, PRK}


#: An alliance coded as ATOP codes it: no articles, a treaty-level obligation, and member
#: phases saying who took it on (A and C, not B) and when (C from 1990 to 2000).
PHASES = """
@prefix gk: <https://w3id.org/geokg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix p: <https://w3id.org/geokg/id/provision/> .
@prefix x: <https://example.org/y/> .
x:A a gk:State ; rdfs:label "A"@en . x:B a gk:State ; rdfs:label "B"@en .
x:C a gk:State ; rdfs:label "C"@en .
x:alliance a gk:Treaty ; rdfs:label "Alliance"@en ; gk:party x:A , x:B , x:C ;
    gk:signedOn "1950-01-01"^^xsd:date ; gk:inForceFrom "1950-01-01"^^xsd:date ;
    gk:obligation p:defense , p:consultation ; gk:asymmetric true .
x:alliance-A a gk:Participation ; gk:inTreaty x:alliance ; gk:memberState x:A ;
    gk:entryDate "1950-01-01"^^xsd:date ; gk:obligation p:defense , p:consultation .
x:alliance-B a gk:Participation ; gk:inTreaty x:alliance ; gk:memberState x:B ;
    gk:entryDate "1950-01-01"^^xsd:date ; gk:obligation p:consultation .
x:alliance-C a gk:Participation ; gk:inTreaty x:alliance ; gk:memberState x:C ;
    gk:entryDate "1990"^^xsd:gYear ; gk:exitDate "2000"^^xsd:gYear ; gk:obligation p:defense .
"""


def test_treaty_level_obligations_and_member_phases():
    kg = geokg.open_store(None, bundled=False)
    kg.load_data(PHASES, format="ttl", graph="https://example.org/g/phases", validate=False)
    a, b, c = (f"https://example.org/y/{x}" for x in "ABC")
    treaty = "https://example.org/y/alliance"
    g1995 = geokg.alliance_graph(kg, as_of="1995-06-01")
    assert {frozenset(e) for e in g1995.edges()} == {
        frozenset((a, b)),
        frozenset((a, c)),
        frozenset((b, c)),
    }
    edge = g1995.get_edge_data(a, b)[treaty]
    assert edge["articles"] == [] and edge["provisions"] == ["defense", "consultation"]
    assert set(geokg.alliance_graph(kg, as_of="2005-01-01")) == {a, b}  # C left in 2000
    assert set(geokg.alliance_graph(kg, as_of="1960-01-01")) == {a, b}  # C not yet in
    o1995 = geokg.obligation_graph(kg, as_of="1995-06-01")
    assert set(o1995.edges()) == {(a, b), (a, c), (c, a), (c, b)}  # B took on no defence
    (data,) = o1995.get_edge_data(a, b).values()
    assert data["article"] is None and data["article_number"] is None
    assert data["treaty"] == treaty
    assert set(geokg.obligation_graph(kg, as_of="2005-01-01").edges()) == {(a, b)}
    cascade = geokg.obligation_cascade(kg, attacked=b, as_of="1995-06-01")
    assert [e.label for e in cascade.entries] == ["A", "C"]
    assert "treaty-level obligation" in str(cascade)
    # Today C has left: the derived edges count members today.
    ask = "ASK { <%s> gk:%s <%s> }"
    assert kg.query(ask % (a, "boundToAssist", b), prefixes=True)
    assert not kg.query(ask % (c, "boundToAssist", b), prefixes=True)
    assert not kg.query(ask % (b, "boundToAssist", a), prefixes=True)
    assert kg.query(ask % (b, "alliedWith", a), prefixes=True)
    assert not kg.query(ask % (c, "alliedWith", a), prefixes=True)
