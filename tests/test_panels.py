"""Dyad-year and state-year panels (issue 14) against references computed with pandas straight from
the raw COW state-system and ATOP member-level files (``atop_reference``: how ATOP's dates and the
successions of COW codes are read), never through geokg's code.

geokg's answers come from ``geokg.state_years`` / ``geokg.dyad_years`` after ``import_atop`` into
an in-memory store. States are compared by their reference key: the COW code, or for a code that
covers several states over time (255, 345, 365) the state's own name (``SUN``, ``RUS`` …).
"""

from __future__ import annotations

import atop_reference as ref
import pandas as pd
import pytest
from geokg.graph import open_store
from geokg.graph.importers import import_atop

import geokg

YEARS = [*range(1946, 1956), *range(2010, 2017)]
UNKIAR_SKELESSI = 1075  # Russia guarantees the Ottoman Empire (ATOP: 365 defense 1, 640 defense 0)


@pytest.fixture(scope="module")
def kg():
    kg = open_store(None)
    import_atop(kg, ref.ALLIANCES, ref.MEMBERS, validate=False)
    return kg


def key_of(iri: str, ccode: int) -> str | int:
    return iri.rsplit("/", 1)[1] if ccode in ref.SUCCESSION else int(ccode)


def in_year(start, end, year: int) -> bool:
    """Whether the days ``start``–``end`` (end NaT: open) meet the year (the any-day rule)."""
    return start <= pd.Timestamp(year, 12, 31) and (pd.isna(end) or end >= pd.Timestamp(year, 1, 1))


# -- references, from the raw files ----------------------------------------------------------------


def system(years) -> dict[int, dict]:
    """year → {key: ccode} of the states in the COW system on at least one day of the year."""
    spells = ref.cow_spells()
    return {
        y: {r.key: r.ccode for r in spells.itertuples() if in_year(r.start, r.end, y)}
        for y in years
    }


def member_parts() -> pd.DataFrame:
    """Member-level rows split at successions, within their alliance's begin and end dates."""
    rows = ref.members().merge(ref.alliances(), on="atopid")
    parts = []
    for r in rows.itertuples():
        for key, s, e in ref.split(r.member, r.entry, r.exit):
            s = max(s, r.begin)
            e = r.end if pd.isna(e) else (e if pd.isna(r.end) else min(e, r.end))
            obligations = {c: getattr(r, c) for c in ref.OBLIGATIONS}
            parts.append(
                {"atopid": r.atopid, "ccode": r.member, "key": key, "s": s, "e": e, **obligations}
            )
    return pd.DataFrame(parts)


def ties(years, obligation: str, directed: bool) -> dict[tuple, set[int]]:
    """(year, key1, key2) → the atopids of alliances in which the two states were members on a
    common day of the year with ``obligation`` (directed: key1's own; else either's)."""
    parts = member_parts()
    pairs = parts.merge(parts, on="atopid", suffixes=("1", "2"))
    pairs = pairs[pairs.key1 != pairs.key2]
    found: dict[tuple, set[int]] = {}
    for p in pairs.itertuples():
        has = getattr(p, obligation + "1") or (not directed and getattr(p, obligation + "2"))
        if not has:
            continue
        s = max(p.s1, p.s2)
        e = p.e1 if pd.isna(p.e2) else (p.e2 if pd.isna(p.e1) else min(p.e1, p.e2))
        if not pd.isna(e) and e < s:
            continue
        for y in years:
            if in_year(s, e, y):
                found.setdefault((y, p.key1, p.key2), set()).add(int(p.atopid))
    return found


def reference_panel(years, obligation: str = "defense", directed: bool = False) -> pd.DataFrame:
    """The dyad-years of the COW system in ``years`` with the atopids of ``obligation`` ties."""
    members = system(years)
    found = ties(years, obligation, directed)
    rows = []
    for y in years:
        for k1, c1 in members[y].items():
            for k2, c2 in members[y].items():
                if c1 == c2 or (not directed and c1 > c2):
                    continue
                ids = found.get((y, k1, k2), set()) | (
                    set() if directed else found.get((y, k2, k1), set())
                )
                rows.append({"year": y, "k1": k1, "k2": k2, "ids": ";".join(map(str, sorted(ids)))})
    return pd.DataFrame(rows)


def geokg_panel(frame: pd.DataFrame, obligation: str = "defense") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": frame.year.astype(int),
            "k1": [key_of(i, c) for i, c in zip(frame.iri1, frame.ccode1, strict=True)],
            "k2": [key_of(i, c) for i, c in zip(frame.iri2, frame.ccode2, strict=True)],
            "ids": frame[f"atop_{obligation}_ids"].astype(str),
        }
    )


def by_cell(frame: pd.DataFrame) -> dict[tuple, str]:
    return {(r.year, r.k1, r.k2): r.ids for r in frame.itertuples()}


# -- tests ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def defence_panel(kg) -> tuple[pd.DataFrame, pd.DataFrame]:
    found = pd.concat([geokg.dyad_years(kg, 1946, 1955), geokg.dyad_years(kg, 2010, 2016)])
    return geokg_panel(found), reference_panel(YEARS)


def test_non_directed_dyad_years_with_a_defence_pact_equal_the_raw_files_cell_for_cell(
    defence_panel,
):
    found, expected = defence_panel
    found_cells, expected_cells = by_cell(found), by_cell(expected)
    assert len(found_cells) == len(found)  # one row per dyad and year
    assert found_cells == expected_cells
    pacts = expected[expected.ids != ""]
    assert len(pacts) > 1000
    per_year = found[found.ids != ""].groupby("year").size()
    assert per_year.to_dict() == pacts.groupby("year").size().to_dict()
    assert found.groupby("year").size().to_dict() == expected.groupby("year").size().to_dict()


def test_indicator_is_one_exactly_where_there_are_ids(kg):
    frame = geokg.dyad_years(kg, 1950, 1951)
    for name in ("defense", "offense", "neutral", "nonagg", "consul"):
        assert ((frame[f"atop_{name}"] == 1) == (frame[f"atop_{name}_ids"] != "")).all()
        assert set(frame[f"atop_{name}"].unique()) <= {0, 1}
    nato = frame[(frame.iso3_1 == "USA") & (frame.iso3_2 == "CAN") & (frame.year == 1951)]
    assert "3180" in nato.atop_defense_ids.iloc[0].split(";")


def test_state_years_equal_the_cow_file_for_every_year(kg):
    years = range(1816, 2017)
    expected = {(y, k) for y, members in system(years).items() for k in members}
    frame = geokg.state_years(kg, 1816, 2016)
    found = [
        (int(y), key_of(i, c)) for y, i, c in zip(frame.year, frame.iri, frame.ccode, strict=True)
    ]
    assert len(found) == len(set(found))
    assert set(found) == expected


def test_state_year_indicators_list_every_alliance_with_another_state(kg):
    years = range(1946, 1956)
    members = system(years)
    found = ties(years, "defense", directed=False)
    expected = {(y, k): "" for y in years for k in members[y]}
    for (y, k1, _), ids in found.items():
        if (y, k1) in expected:
            known = set(filter(None, expected[(y, k1)].split(";"))) | {str(i) for i in ids}
            expected[(y, k1)] = ";".join(sorted(known, key=int))
    frame = geokg.state_years(kg, 1946, 1955)
    cells = {
        (int(y), key_of(i, c)): ids
        for y, i, c, ids in zip(
            frame.year, frame.iri, frame.ccode, frame.atop_defense_ids, strict=True
        )
    }
    assert cells == expected
    assert sum(ids != "" for ids in cells.values()) > 300


def test_dyads_only_between_states_in_the_system_that_year(kg):
    states = geokg.state_years(kg, 1946, 1995)
    assert not ((states.iso3 == "SUN") & (states.year > 1991)).any()
    assert not states[states.year <= 1948].ccode.isin([255, 260, 265]).any()  # no Germany
    dyads = geokg.dyad_years(kg, 1946, 1995)
    sides = pd.concat(
        [
            dyads[["year", "iri1"]].set_axis(["year", "iri"], axis=1),
            dyads[["year", "iri2"]].set_axis(["year", "iri"], axis=1),
        ]
    )
    in_system = set(zip(states.year, states.iri.astype(str), strict=True))
    assert set(zip(sides.year, sides.iri.astype(str), strict=True)) <= in_system
    sun = str(geokg.STATE_IRI("SUN"))
    assert not ((sides.iri.astype(str) == sun) & (sides.year > 1991)).any()
    assert not dyads[dyads.year <= 1948][["ccode1", "ccode2"]].isin([255, 260, 265]).any().any()
    assert not (dyads.ccode1 == dyads.ccode2).any()  # the USSR and Russia are no dyad in 1991
    assert (dyads.ccode1 < dyads.ccode2).all()


def test_year_end_rule_counts_31_december_only(kg):
    any_day = geokg.state_years(kg, 1991, 1991)
    year_end = geokg.state_years(kg, 1991, 1991, rule="year-end")
    assert sorted(any_day[any_day.ccode == 365].iso3) == ["RUS", "SUN"]
    assert list(year_end[year_end.ccode == 365].iso3) == ["RUS"]
    dyads = geokg.dyad_years(kg, 1991, 1991, rule="year-end")
    assert not (dyads.iso3_1 == "SUN").any() and not (dyads.iso3_2 == "SUN").any()


def test_directed_dyads_follow_who_owes_whom_in_an_asymmetric_alliance(kg):
    years = range(1833, 1842)
    expected = {
        (y, k1, k2)
        for (y, k1, k2), ids in ties(years, "defense", directed=True).items()
        if UNKIAR_SKELESSI in ids
    }
    assert expected == {(y, "RUS", 640) for y in years}  # Russia owes the Ottoman Empire
    frame = geokg_panel(geokg.dyad_years(kg, 1833, 1841, directed=True))
    found = {
        (r.year, r.k1, r.k2) for r in frame.itertuples() if str(UNKIAR_SKELESSI) in r.ids.split(";")
    }
    assert found == expected
    undirected = geokg_panel(geokg.dyad_years(kg, 1833, 1841))
    both = undirected[(undirected.k1 == 640) | (undirected.k2 == 640)]
    assert sum(str(UNKIAR_SKELESSI) in ids.split(";") for ids in both.ids) == len(years)


def test_provisions_pick_columns_and_bad_arguments_are_clear_errors(kg):
    frame = geokg.dyad_years(kg, 2000, 2000, provisions=["defense"])
    assert [c for c in frame.columns if c.startswith("atop_")] == [
        "atop_defense",
        "atop_defense_ids",
    ]
    for bad in (dict(start=1700, end=1800), dict(start=2000, end=1990), dict(start="x", end=1900)):
        with pytest.raises(geokg.GeokgError):
            geokg.dyad_years(kg, **bad)
    with pytest.raises(geokg.GeokgError, match="obligation"):
        geokg.dyad_years(kg, 2000, 2000, provisions=["peace"])
    with pytest.raises(geokg.GeokgError, match="rule"):
        geokg.state_years(kg, 2000, 2000, rule="mid-year")


# -- exports of networks: identifiers, dynamic GEXF -------------------------------------------------

SNAPSHOT_DAYS = ["1914-06-30", "1939-06-30", "1962-06-30", "1991-12-26", "2016-06-30"]


def open_spell(value) -> str | None:
    """networkx reads a spell with no start or end as the text "None"."""
    return None if value in (None, "None", "") else str(value)


def gexf_snapshot(h, day: str) -> tuple[set, set]:
    """(edges, nodes) of a dynamic GEXF read by networkx, on ``day``: the edges one of whose
    spells covers it (ISO days, both included, None open), and their ends."""
    edges = set()
    for a, b, data in h.edges(data=True):
        for start, end in data["spells"]:
            start, end = open_spell(start), open_spell(end)
            if (start is None or start <= day) and (end is None or day <= end):
                edges.add((frozenset((a, b)), data["treaty"]))
                break
    return edges, {n for pair, _ in edges for n in pair}


@pytest.fixture(scope="module")
def dynamic_gexf(kg, tmp_path_factory):
    import networkx as nx

    path = tmp_path_factory.mktemp("gexf") / "alliances.gexf"
    geokg.write_gexf(geokg.alliance_timeline(kg), path, dynamic=True)
    return nx.read_gexf(path)


def test_dynamic_gexf_has_intervals_and_its_snapshots_equal_alliance_graph(kg, dynamic_gexf):
    h = dynamic_gexf
    assert h.graph.get("mode") == "dynamic"
    assert all(data.get("spells") for _, data in h.nodes(data=True))
    assert all(data.get("spells") for *_, data in h.edges(data=True))
    for day in SNAPSHOT_DAYS:
        g = geokg.alliance_graph(kg, as_of=day)
        expected = {(frozenset((a, b)), t) for a, b, t in g.edges(keys=True)}
        edges, nodes = gexf_snapshot(h, day)
        assert len(expected) > 10
        assert edges == expected, day
        assert nodes == set(g.nodes), day
        for node in nodes:  # Gephi shows an edge only while both its nodes are shown
            spells = [(open_spell(s), open_spell(e)) for s, e in h.nodes[node]["spells"]]
            assert any((s is None or s <= day) and (e is None or day <= e) for s, e in spells)


def test_network_exports_carry_the_identifiers_researchers_join_on(kg, dynamic_gexf, tmp_path):
    import networkx as nx

    usa, nato = geokg.STATE_IRI("USA"), "https://w3id.org/geokg/id/treaty/north-atlantic-treaty"
    assert dynamic_gexf.nodes[usa]["cow_code"] == 2
    assert dynamic_gexf.nodes[usa]["wikidata"] == "Q30"
    assert dynamic_gexf.nodes[usa]["iso"] == "USA"
    nato_edges = [d for *_, d in dynamic_gexf.edges(data=True) if d["treaty"] == nato]
    assert nato_edges and {d["atop_id"] for d in nato_edges} == {3180}
    g = geokg.alliance_graph(kg, as_of="2016-06-30")
    nodes, edges = geokg.to_dataframes(g)
    assert nodes.set_index("id").loc[usa, ["cow_code", "wikidata", "iso"]].tolist() == [
        2,
        "Q30",
        "USA",
    ]
    assert set(edges[edges.treaty == nato].atop_id) == {3180}
    assert edges.atop_id.notna().all()  # every alliance in force in 2016 here is an ATOP one
    geokg.write_graphml(g, tmp_path / "a.graphml")
    back = nx.read_graphml(tmp_path / "a.graphml")
    assert back.nodes[usa]["wikidata"] == "Q30" and back.nodes[usa]["cow_code"] == 2
    assert {d["atop_id"] for *_, d in back.edges(data=True) if d["treaty"] == nato} == {3180}
    o = geokg.obligation_graph(kg, as_of="2016-06-30")
    assert {d["atop_id"] for *_, d in o.edges(data=True) if d["treaty"] == nato} == {3180}


# -- command line and HTTP ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def atop_store(bundled_store, tmp_path_factory):
    """An on-disk store with the bundled data and ATOP, imported by the command line."""
    import shutil

    from conftest import geokg as run

    store = tmp_path_factory.mktemp("panels") / "store"
    shutil.copytree(bundled_store, store)
    done = run(
        "import",
        "atop",
        "--alliances",
        str(ref.ALLIANCES),
        "--members",
        str(ref.MEMBERS),
        "--no-validate",
        store=store,
    )
    assert done.code == 0, done.err
    return store


def same_table(found: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Equal cell for cell, compared as text (as a CSV or Stata reader gives them back)."""
    assert list(found.columns) == list(expected.columns)
    left = found.astype(str).replace({"nan": ""}).reset_index(drop=True)
    right = expected.astype(str).reset_index(drop=True)
    pd.testing.assert_frame_equal(left, right, check_dtype=False)


def test_command_line_exports_panels_by_extension(kg, atop_store, tmp_path):
    import importlib.util

    from conftest import geokg as run

    out = tmp_path / "dy.csv"
    done = run(
        "export", "dyad-years", "--start", "2010", "--end", "2016", "-o", str(out), store=atop_store
    )
    assert done.code == 0, done.err
    assert "wrote" in done.err
    same_table(pd.read_csv(out, dtype=str, keep_default_na=False), geokg.dyad_years(kg, 2010, 2016))
    dta = tmp_path / "sy.dta"
    done = run(
        "export",
        "state-years",
        "--start",
        "1946",
        "--end",
        "1955",
        "-o",
        str(dta),
        store=atop_store,
    )
    assert done.code == 0, done.err
    same_table(pd.read_stata(dta), geokg.state_years(kg, 1946, 1955))
    parquet = tmp_path / "dd.parquet"
    done = run(
        "export",
        "dyad-years",
        "--directed",
        "--start",
        "1833",
        "--end",
        "1841",
        "--provisions",
        "defense",
        "-o",
        str(parquet),
        store=atop_store,
    )
    if importlib.util.find_spec("pyarrow") is None:
        assert done.code == 1 and "pyarrow" in done.err and not parquet.exists()
    else:
        assert done.code == 0, done.err
        expected = geokg.dyad_years(kg, 1833, 1841, directed=True, provisions=["defense"])
        same_table(pd.read_parquet(parquet), expected)
    bad = run(
        "export", "dyad-years", "--start", "1700", "-o", str(tmp_path / "x.csv"), store=atop_store
    )
    assert bad.code == 1 and "1816" in bad.err and not (tmp_path / "x.csv").exists()
    bad = run("export", "state-years", "-o", str(tmp_path / "x.xlsx"), store=atop_store)
    assert bad.code == 1 and ".dta" in bad.err


def test_command_line_export_keeps_rdf_and_writes_a_dynamic_gexf(
    atop_store, dynamic_gexf, tmp_path
):
    import networkx as nx
    from conftest import geokg as run
    from rdflib import Graph

    ttl = tmp_path / "ontology.ttl"
    ontology = "https://w3id.org/geokg/graph/ontology"
    done = run("export", "--format", "ttl", "--graph", ontology, "-o", str(ttl), store=atop_store)
    assert done.code == 0, done.err
    assert len(Graph().parse(ttl, format="turtle")) > 100
    gexf = tmp_path / "timeline.gexf"
    done = run("export", "gexf", "--dynamic", "-o", str(gexf), store=atop_store)
    assert done.code == 0, done.err
    h = nx.read_gexf(gexf)
    assert h.graph["mode"] == "dynamic"
    static = tmp_path / "1962.gexf"
    done = run("export", "gexf", "--as-of", "1962-06-30", "-o", str(static), store=atop_store)
    assert done.code == 0, done.err
    day = nx.read_gexf(static)
    assert day.graph.get("mode") != "dynamic"
    edges = {(frozenset((a, b)), d["treaty"]) for a, b, d in day.edges(data=True)}
    assert edges == gexf_snapshot(dynamic_gexf, "1962-06-30")[0]
    both = run(
        "export", "gexf", "--dynamic", "--as-of", "1962-06-30", "-o", str(static), store=atop_store
    )
    assert both.code == 2 and "exclude" in both.err
    assert h.number_of_edges() == dynamic_gexf.number_of_edges() > 1000
    assert gexf_snapshot(h, "1962-06-30") == gexf_snapshot(dynamic_gexf, "1962-06-30")


def test_server_exports_panels_as_csv_and_refuses_bad_years(kg, atop_store, tmp_path):
    import io

    import httpx
    from test_api_fixtures import run_server

    with run_server(tmp_path / "server.log", "--store", str(atop_store)) as (base, _):
        reply = httpx.get(
            f"{base}/export/dyad-years.csv", params={"start": 2010, "end": 2016}, timeout=120
        )
        assert reply.status_code == 200, reply.text
        assert reply.headers["content-type"].startswith("text/csv")
        found = pd.read_csv(io.StringIO(reply.text), dtype=str, keep_default_na=False)
        same_table(found, geokg.dyad_years(kg, 2010, 2016))
        reply = httpx.get(
            f"{base}/export/state-years.csv", params={"start": 1816, "end": 2016}, timeout=120
        )
        assert reply.status_code == 200, reply.text
        found = pd.read_csv(io.StringIO(reply.text), dtype=str, keep_default_na=False)
        same_table(found, geokg.state_years(kg, 1816, 2016))
        for params, words in [
            ({"start": "x", "end": "2000"}, "years"),
            ({"start": 1700, "end": 1800}, "1816"),
            ({"start": 2000, "end": 1990}, "start <= end"),
            ({"end": 2000}, "years"),
            ({"start": 1900, "end": 2000}, "at most 25 years"),
            ({"start": 2000, "end": 2001, "rule": "mid-year"}, "rule"),
            ({"start": 2000, "end": 2001, "provisions": "peace"}, "obligation"),
        ]:
            reply = httpx.get(f"{base}/export/dyad-years.csv", params=params, timeout=60)
            assert reply.status_code == 400, params
            assert words in reply.text, (params, reply.text)
