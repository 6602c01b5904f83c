"""ATOP import on the real files committed in tests/data: counts, NATO, North Korea's pacts, errors, re-runs."""

from __future__ import annotations

from pathlib import Path

import atop_reference as ref
import pytest
from conftest import count, geokg
from geokg.graph import open_store
from geokg.graph.importers import import_atop
from geokg.graph.importers.csvrows import RowError

DATA = Path(__file__).resolve().parent / "data" / "atop"
ALLIANCES = DATA / "atop-alliance-level.csv"
MEMBERS = DATA / "atop-member-level.csv"
ATOP = "https://w3id.org/geokg/graph/import/atop"
TREATIES = "?t a gk:Treaty ; gk:atopId ?id"  # the union: curated ones count once
PHASES = f"GRAPH <{ATOP}> {{ ?p a gk:Participation }}"


def run_import(store: Path, members: Path = MEMBERS):
    args = ("import", "atop", "--alliances", str(ALLIANCES), "--members", str(members))
    return geokg(*args, "--no-validate", store=store)


@pytest.fixture(scope="module")
def atop_store(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("atop") / "store"
    run = run_import(store)
    assert run.code == 0, run.err
    assert "745 treaties" in run.err and f"{ref.pieces(ref.members())} participations" in run.err
    return store


def select(store: Path, sparql: str) -> list[list[str]]:
    run = geokg("query", "--format", "csv", sparql, store=store)
    assert run.code == 0, run.err
    return [line.split(",") for line in run.out.splitlines()[1:]]


def test_counts_of_treaties_and_member_phases(atop_store):
    assert count(atop_store, TREATIES) == 745
    # one per member-level row, and one more for each succession of states a row spans
    rows = ref.members()
    assert len(rows) == 2398
    assert count(atop_store, PHASES) == ref.pieces(rows) == 2432


def test_nato_members_with_their_entry_years(atop_store):
    rows = select(
        atop_store,
        """SELECT ?state (SUBSTR(STR(?in), 1, 4) AS ?year)
        WHERE { ?t gk:atopId 3180 . ?p gk:inTreaty ?t . ?p gk:memberState ?state ; gk:entryDate ?in }""",
    )
    entries = {(s.rsplit("/", 1)[1], int(y)) for s, y in rows}
    assert ("cow-260", 1954) in entries  # the Federal Republic of Germany
    assert ("DEU", 1990) in entries  # the unified state
    assert ("USA", 1949) in entries and ("TUR", 1951) in entries and ("ESP", 1981) in entries
    assert ("DEU", 1954) not in entries
    states = {s for s, _ in entries}
    assert len(states) == 30  # every member resolved to a state


PACTS_ON_2000 = """SELECT DISTINCT ?id WHERE {
    ?t gk:atopId ?id . ?p gk:inTreaty ?t .
    ?p gk:memberState state:PRK ; gk:obligation provision:defense ; gk:entryDate ?in .
    OPTIONAL { ?p gk:exitDate ?out }
    FILTER (STR(?in) <= "2000-01-01" && (!BOUND(?out) || STR(?out) >= "2000-01-01"))
} ORDER BY ?id"""


def test_north_korea_defence_pacts_in_force_on_1_january_2000(atop_store):
    assert [row[0] for row in select(atop_store, PACTS_ON_2000)] == ["3445", "3975"]
    ended = select(
        atop_store,
        """SELECT ?out WHERE { ?t gk:atopId 3440 . ?p gk:inTreaty ?t .
           ?p gk:memberState state:PRK ; gk:exitDate ?out }""",
    )
    assert [row[0][:4] for row in ended] == ["1996"]


def test_curated_treaties_are_one_node_with_the_atop_data(atop_store):
    rows = select(atop_store, "SELECT ?t WHERE { ?t gk:atopId 3440 }")
    assert [r[0] for r in rows] == [
        "https://w3id.org/geokg/id/treaty/sun-prk-1961-friendship-cooperation-mutual-assistance"
    ]
    assert count(atop_store, "?t gk:atopId 3445") == 1
    assert count(atop_store, "<https://w3id.org/geokg/id/treaty/atop-3440> ?p ?o") == 0
    # the USSR is the party of 1961; ATOP codes 365 to 1996-09-10, so Russia, the continuing
    # state, is a member from 1991-12-26: the import adds it (and only it) to the curated parties
    parties = select(atop_store, "SELECT ?s WHERE { ?t gk:atopId 3440 ; gk:party ?s } ORDER BY ?s")
    assert [r[0].rsplit("/", 1)[1] for r in parties] == ["PRK", "RUS", "SUN"]
    added = f"SELECT ?s WHERE {{ ?t gk:atopId 3440 GRAPH <{ATOP}> {{ ?t gk:party ?s }} }}"
    assert select(atop_store, added) == [["https://w3id.org/geokg/id/state/RUS"]]
    # one treaty in the alliance network, not two
    assert count(atop_store, "?t a gk:Treaty ; gk:atopId 3445 ; gk:party state:PRK") == 1
    assert count(atop_store, "<https://w3id.org/geokg/id/treaty/atop-3445> ?p ?o") == 0
    members = "?p gk:inTreaty ?t ; gk:memberState ?s . ?t gk:atopId 3445"
    assert count(atop_store, members) == 2


def test_provenance_of_every_treaty(atop_store):
    source = "<https://w3id.org/geokg/id/source/atop-4-01>"
    # every treaty of the import, and the three curated ones that ATOP also codes (which keep
    # their own sources besides), and every member phase
    assert (
        count(atop_store, f"GRAPH <{ATOP}> {{ ?t a gk:Treaty ; prov:wasDerivedFrom {source} }}")
        == 742
    )
    assert count(atop_store, f"?t gk:atopId ?id ; prov:wasDerivedFrom {source}") == 745
    assert count(atop_store, f"?p a gk:Participation ; prov:wasDerivedFrom {source}") == 2432
    cite = select(atop_store, f"SELECT ?c WHERE {{ {source} dcterms:bibliographicCitation ?c }}")
    assert "Leeds" in cite[0][0]


def test_a_bad_date_in_the_last_row_fails_naming_it_and_changes_nothing(atop_store, tmp_path):
    lines = MEMBERS.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    last = lines[-1].split(",")
    last[header.index("moent")] = "13"
    bad = tmp_path / "atop-member-level.csv"
    bad.write_text("\n".join([*lines[:-1], ",".join(last)]) + "\n", encoding="utf-8")
    before = geokg("info", store=atop_store).out
    run = run_import(atop_store, bad)
    assert run.code == 1
    assert f"atop-member-level.csv, line {len(lines)}, column moent: '13' is not a month" in run.err
    assert "Traceback" not in run.err
    assert geokg("info", store=atop_store).out == before
    assert count(atop_store, TREATIES) == 745


def test_running_again_replaces_and_leaves_the_same_counts(atop_store):
    triples = count(atop_store, f"GRAPH <{ATOP}> {{ ?s ?p ?o }}")
    run = run_import(atop_store)
    assert run.code == 0, run.err
    assert count(atop_store, TREATIES) == 745
    assert count(atop_store, PHASES) == 2432
    assert count(atop_store, f"GRAPH <{ATOP}> {{ ?s ?p ?o }}") == triples


def _subset(tmp_path: Path, ids: set[str]) -> tuple[Path, Path]:
    paths = []
    for source in (ALLIANCES, MEMBERS):
        lines = source.read_text(encoding="utf-8").splitlines()
        kept = [lines[0]] + [line for line in lines[1:] if line.split(",", 1)[0] in ids]
        path = tmp_path / source.name
        path.write_text("\n".join(kept) + "\n", encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1]


def test_the_import_conforms_to_the_shapes(tmp_path):
    """Validated import of a subset (the whole file: tests/test_shacl_engines.py)."""
    alliances, members = _subset(tmp_path, {"1320", "3180", "3440", "3445", "3975"})
    kg = open_store(None)
    result = import_atop(kg, alliances, members, validate=True)
    assert result["treaties"] == 5 and result["linked"] == [3180, 3440, 3445]
    assert result["unmatched"] == {"8152": 1}
    report = kg.validate()
    assert report.conforms, report.text()


def test_row_errors_name_file_line_column_and_value(tmp_path):
    alliances, members = _subset(tmp_path, {"3445"})
    text = members.read_text(encoding="utf-8").replace(",1961,7,11,", ",1961,2,30,", 1)
    members.write_text(text, encoding="utf-8")
    kg = open_store(None)
    with pytest.raises(RowError) as error:
        import_atop(kg, alliances, members, validate=False)
    assert (
        str(error.value)
        == "atop-member-level.csv, line 2, column dayent: '30' is not a day of 1961-02"
    )
    assert kg.query(f"ASK {{ GRAPH <{ATOP}> {{ ?s ?p ?o }} }}") is False
