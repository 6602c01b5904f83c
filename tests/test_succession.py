"""Research answers on the real ATOP files: alliance dyads on seven dates, Russia's partners and
the best-connected states in 2016, the succession of states (no Soviet Union after 1991, no
Serbia in 1962), one node per real treaty, and no triple stated in two graphs.

Every reference is computed with pandas straight from tests/data/atop/*.csv in
``atop_reference`` (its docstring states how ATOP's dates and COW codes are read), never through
geokg's code; geokg's answers come from ``geokg.alliance_graph`` after ``import_atop``.
"""

from __future__ import annotations

import atop_reference as ref
import pandas as pd
import pytest
from geokg.graph import open_store
from geokg.graph.importers import import_atop
from geokg.graph.importers.reconcile import reconciliation_report, report_text

import geokg

ATOP = "https://w3id.org/geokg/graph/import/atop"
NATO = "https://w3id.org/geokg/id/treaty/north-atlantic-treaty"
DATES = [
    "1914-06-30",
    "1939-06-30",
    "1962-06-30",
    "1980-06-30",
    "1995-06-30",
    "2005-06-30",
    "2016-06-30",
]
SUN, RUS = geokg.STATE_IRI("SUN"), geokg.STATE_IRI("RUS")


@pytest.fixture(scope="module")
def kg():
    kg = open_store(None)
    import_atop(kg, ref.ALLIANCES, ref.MEMBERS, validate=False)
    return kg


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    return ref.members()


@pytest.fixture(scope="module")
def keys(kg) -> dict[str, str | int]:
    """geokg's node IRIs → the reference's state keys: the COW code, or for a code that covers
    several states over time (365, 345) the state's own name (SUN, RUS, YUG, SCG, SRB)."""
    found = {}
    query = """SELECT ?s ?code WHERE { { ?s a gk:State ; gk:cowCode ?code }
               UNION { ?s a gk:Actor ; gk:dataSetCode ?code } }"""
    for s, code in kg.query(query, prefixes=True):
        code = int(code)
        found[str(s)] = str(s).rsplit("/", 1)[1] if code in ref.SUCCESSION else code
    return found


@pytest.fixture(scope="module")
def atopids(kg) -> dict[str, int]:
    return {
        str(t): int(i) for t, i in kg.query("SELECT ?t ?i WHERE { ?t gk:atopId ?i }", prefixes=True)
    }


def geokg_dyads(g, keys, atopids) -> set[tuple[int, frozenset]]:
    """(atopid, {key, key}) for every edge of an ATOP alliance in ``g``."""
    return {(atopids[t], frozenset((keys[a], keys[b]))) for a, b, t in g.edges(keys=True)}


@pytest.mark.parametrize("day", DATES)
def test_alliance_dyads_in_force_equal_atop_member_level(kg, rows, keys, atopids, day):
    g = geokg.alliance_graph(kg, as_of=day, provisions="all")
    others = {t for *_, t in g.edges(keys=True) if t not in atopids}
    assert others <= {"https://w3id.org/geokg/id/treaty/un-charter"}  # curated, not in ATOP
    g.remove_edges_from([(a, b, t) for a, b, t in g.edges(keys=True) if t in others])
    expected = ref.dyads(rows, day)
    found = geokg_dyads(g, keys, atopids)
    assert len(found) > 0
    assert found - expected == set() and expected - found == set()
    # every ATOP alliance has an alliance provision: the default provisions give the same edges
    default = geokg.alliance_graph(kg, as_of=day)
    assert geokg_dyads(default, keys, atopids) == expected


def degrees(g, keys) -> dict:
    return {keys[n]: len(set(g.neighbors(n))) for n in g}


def test_russia_and_the_best_connected_states_on_30_june_2016(kg, rows, keys):
    g = geokg.alliance_graph(kg, as_of="2016-06-30")
    found, expected = degrees(g, keys), ref.partners(rows, "2016-06-30")
    assert found["RUS"] == expected["RUS"] == 89
    assert found == expected  # every state's number of distinct partners

    def top(d):
        return sorted(d.items(), key=lambda kv: (-kv[1], str(kv[0])))[:10]

    assert top(found) == top(expected)
    assert top(found)[:2] == [(2, 113), ("RUS", 89)]  # the United States, then Russia
    table = geokg.centrality(kg, as_of="2016-06-30").sort_values("degree", ascending=False)
    assert list(table.iso[:2]) == ["USA", "RUS"] and list(table.degree[:2]) == [113, 89]


def test_no_soviet_union_after_its_dissolution(kg):
    for day in ("1991-12-26", "1992-01-01", "1995-06-30", "2005-06-30", "2016-06-30"):
        for provisions in (None, "all"):
            g = geokg.alliance_graph(kg, as_of=day, provisions=provisions)
            assert SUN not in g and RUS in g, (day, provisions)
        assert SUN not in geokg.obligation_graph(kg, as_of=day)
    assert SUN in geokg.alliance_graph(kg, as_of="1991-12-25")
    assert RUS not in geokg.alliance_graph(kg, as_of="1991-12-25")
    assert SUN not in geokg.alliance_graph(kg, as_of="1914-06-30")  # the Russian Empire
    assert RUS in geokg.alliance_graph(kg, as_of="1914-06-30")


def test_labels_of_code_345_follow_the_date(kg):
    def named(day):
        g = geokg.alliance_graph(kg, as_of=day)
        return {g.nodes[n]["label"] for n in g if n.rsplit("/", 1)[1] in ("SRB", "YUG", "SCG")}

    assert named("1914-06-30") == {"Serbia"}
    assert named("1962-06-30") == {"Yugoslavia"}
    assert named("2005-06-30") == {"Serbia and Montenegro"}
    assert named("2016-06-30") == {"Serbia"}


def test_a_member_phase_that_spans_a_succession_is_split_and_traceable(kg, rows):
    (row,) = rows[(rows.atopid == 3440) & (rows.member == 365)].itertuples()
    found = kg.query(
        """SELECT ?s ?in ?out ?phase ?note WHERE {
            ?p gk:inTreaty ?t ; gk:memberState ?s ; gk:entryDate ?in ; gk:exitDate ?out ;
               gk:phase ?phase ; skos:editorialNote ?note .
            ?t gk:atopId 3440 } ORDER BY ?in""",
        prefixes=True,
    )
    assert [(str(s).rsplit("/", 1)[1], str(a), str(b)) for s, a, b, *_ in found] == [
        ("SUN", row.entry.date().isoformat(), "1991-12-25"),
        ("RUS", "1991-12-26", row.exit.date().isoformat()),
    ]
    assert {int(p) for *_, p, _ in found} == {row.phase}
    for *_, note in found:  # both parts name the one row they come from
        assert "atopid 3440, member 365, phase 0, entry 1961-07-06, exit 1996-09-10" in str(note)


def test_system_membership_spells_are_split_at_successions(kg):
    spells = kg.query(
        """SELECT ?s ?start ?end WHERE { ?s gk:cowCode 365 ; gk:systemMembership ?m .
           ?m gk:startDate ?start OPTIONAL { ?m gk:endDate ?end } } ORDER BY ?start""",
        prefixes=True,
    )
    assert [(str(s).rsplit("/", 1)[1], str(a), str(b) if b else None) for s, a, b in spells] == [
        ("RUS", "1816-01-01", "1922-12-29"),
        ("SUN", "1922-12-30", "1991-12-25"),
        ("RUS", "1991-12-26", None),
    ]


def test_one_treaty_node_for_the_north_atlantic_treaty(kg, rows, keys):
    found = kg.query("SELECT ?t WHERE { ?t gk:atopId 3180 }", prefixes=True)
    assert [str(t) for (t,) in found] == [NATO]
    assert not kg.query("ASK { <https://w3id.org/geokg/id/treaty/atop-3180> ?p ?o }")
    # the curated article and provenance, and ATOP's members
    assert kg.query(f"ASK {{ <{NATO}> gk:hasArticle/gk:articleNumber 5 }}", prefixes=True)
    parties = {
        keys[str(s)] for (s,) in kg.query(f"SELECT ?s {{ <{NATO}> gk:party ?s }}", prefixes=True)
    }
    members = rows[rows.atopid == 3180]
    expected = {ref.state_key(c, d) for c, d in zip(members.member, members.entry, strict=True)}
    assert parties == expected and len(parties) == 30
    n = kg.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ <{NATO}> gk:party ?s }}", prefixes=True)[0][0]
    assert int(n) == 30  # each party once, although the curated graph states four of them
    g = geokg.alliance_graph(kg, as_of="2016-06-30")
    usa_fra = g.get_edge_data(geokg.STATE_IRI("USA"), geokg.STATE_IRI("FRA"))
    treaty = "https://w3id.org/geokg/id/treaty/"
    assert set(usa_fra) == {NATO, treaty + "atop-3740", treaty + "atop-3755"}
    common = {
        i
        for i, group in ref.in_force(rows, "2016-06-30").groupby("atopid")
        if {2, 220} <= set(group.key)
    }
    assert common == {3180, 3740, 3755}  # one edge per alliance, and one node for 3180


def test_no_triple_is_stated_in_two_graphs(kg):
    twice = f"""ASK {{ GRAPH <{ATOP}> {{ ?s ?p ?o }} GRAPH ?g {{ ?s ?p ?o }} FILTER (?g != <{ATOP}>) }}"""
    assert kg.query(twice) is False
    every = kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0][0]
    distinct = kg.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }")
    assert int(every) == int(distinct[0][0])  # the default graph counts as a set


def test_the_reconciliation_report_lists_pairings_and_a_near_miss():
    kg = open_store(None)
    import_atop(kg, ref.ALLIANCES, ref.MEMBERS, validate=False)
    mine = """@prefix gk: <https://w3id.org/geokg/ontology#> .
    @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    <https://example.org/treaty/sino-korean-1961> a gk:Treaty ;
        gk:party <https://w3id.org/geokg/id/state/CHN> , <https://w3id.org/geokg/id/state/PRK> ;
        gk:signedOn "1961-07-11"^^xsd:date ."""
    kg.load_data(mine, format="ttl", graph="https://example.org/graph/mine", validate=False)
    report = reconciliation_report(kg)
    assert [(p["atopid"], p["treaty"].rsplit("/", 1)[1]) for p in report["pairings"]] == [
        (3180, "north-atlantic-treaty"),
        (3440, "sun-prk-1961-friendship-cooperation-mutual-assistance"),
        (3445, "chn-prk-1961-friendship-cooperation-mutual-assistance"),
    ]
    # same parties, same year, no gk:atopId: listed for review, next to the linked curated node
    assert [(m["treaty"], m["atopid"]) for m in report["near_misses"]] == [
        ("https://example.org/treaty/sino-korean-1961", 3445)
    ]
    assert "https://example.org/treaty/sino-korean-1961 (1961, 2 parties) and ATOP 3445" in (
        report_text(report)
    )
