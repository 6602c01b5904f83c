"""The bundled states (ontology/kb/states.ttl): every COW state and UN member, codes, names, spells."""

from __future__ import annotations

import doctest
import importlib.util
from pathlib import Path

import pytest
from geokg.graph import open_store

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
PREFIX = "PREFIX gk: <https://w3id.org/geokg/ontology#> PREFIX state: <https://w3id.org/geokg/id/state/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX owl: <http://www.w3.org/2002/07/owl#> "


@pytest.fixture(scope="module")
def kg():
    return open_store(None)


def n(kg, where: str) -> int:
    return int(kg.query(PREFIX + f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")[0][0])


def test_every_cow_state_once(kg):
    codes = {
        int(line.split(",")[1])
        for line in (DATA / "states" / "cow_states2016.csv").read_text().splitlines()[1:]
    }
    assert len(codes) == 217
    assert n(kg, "SELECT DISTINCT ?c WHERE { ?s a gk:State ; gk:cowCode ?c }") == 217
    # one state per code, but three codes cover several states over time: 255 (Prussia,
    # Germany), 345 (Serbia, Yugoslavia, Serbia and Montenegro), 365 (Russia, the USSR); each of
    # them carries its code
    assert n(kg, "?s a gk:State ; gk:cowCode ?c") == 221
    assert n(kg, "?s a gk:State") == 221
    several = "SELECT ?c WHERE { ?s a gk:State ; gk:cowCode ?c } GROUP BY ?c HAVING (COUNT(?s) > 1)"
    assert sorted(int(r[0]) for r in kg.query(PREFIX + several)) == [255, 345, 365]


def test_current_members_and_historical_states(kg):
    current = "?s a gk:State ; gk:systemMembership ?m FILTER NOT EXISTS { ?m gk:endDate ?e }"
    assert n(kg, current) == 195  # the 193 UN members, Kosovo and Taiwan
    assert n(kg, "?s gk:cowCode ?c FILTER STRSTARTS(STR(?s), STR(state:cow-))") == 20
    assert kg.query(PREFIX + 'ASK { state:DDR gk:cowCode 265 ; gk:iso31663Code "DDDE" }')
    assert kg.query(PREFIX + 'ASK { state:cow-260 gk:cowAbbreviation "GFR" }')
    assert kg.query(PREFIX + "ASK { state:FRA gk:systemMembership ?a , ?b FILTER (?a != ?b) }")


def test_one_label_per_language_and_curated_labels_kept(kg):
    for lang in ("en", "fr"):
        assert n(kg, f'?s a gk:State ; rdfs:label ?l FILTER (LANG(?l) = "{lang}")') == 221
    assert kg.query(PREFIX + 'ASK { state:PRK rdfs:label "North Korea"@en , "Corée du Nord"@fr }')
    assert kg.query(PREFIX + 'ASK { state:DEU rdfs:label ?l FILTER (LANG(?l) = "fr") }')
    wikidata = "?s a gk:State ; owl:sameAs ?w"
    assert n(kg, wikidata) >= 196


def test_the_generator_is_deterministic_and_matches_the_committed_file(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "make_states", ROOT / "scripts" / "make_states.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert doctest.testmod(module).failed == 0  # the examples in its docstrings
    out = tmp_path / "states.ttl"
    module.generate(DATA, out)
    committed = ROOT / "ontology" / "kb" / "states.ttl"
    assert out.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8")


def test_spells_of_codes_of_several_states_cover_the_cow_spells(kg):
    """Split at successions, the spells of 255, 345 and 365 still cover COW's spells day for day,
    each part on the state of its dates (pandas reference from the COW file)."""
    import pandas as pd

    cow = pd.read_csv(DATA / "states" / "cow_states2016.csv")
    successions = {  # first day of each state, as documented in scripts/make_states.py
        255: [("1816-01-01", "cow-255"), ("1871-01-18", "DEU")],
        365: [("1816-01-01", "RUS"), ("1922-12-30", "SUN"), ("1991-12-26", "RUS")],
        345: [
            ("1878-07-13", "SRB"),
            ("1918-12-01", "YUG"),
            ("2003-02-04", "SCG"),
            ("2006-06-05", "SRB"),
        ],
    }
    for code, periods in successions.items():
        expected = set()
        for spell in cow[cow.ccode == code].itertuples():
            start = pd.Timestamp(spell.styear, spell.stmonth, spell.stday)
            end = pd.Timestamp(spell.endyear, spell.endmonth, spell.endday)
            for day in pd.date_range(start, end, freq="D"):
                state = [s for first, s in periods if pd.Timestamp(first) <= day][-1]
                expected.add((day, state))
        found = set()
        query = f"""SELECT ?s ?start ?end WHERE {{ ?s gk:cowCode {code} ; gk:systemMembership ?m .
                    ?m gk:startDate ?start OPTIONAL {{ ?m gk:endDate ?end }} }}"""
        for s, start, end in kg.query(PREFIX + query):
            last = pd.Timestamp(str(end)) if end is not None else pd.Timestamp("2016-12-31")
            for day in pd.date_range(pd.Timestamp(str(start)), last, freq="D"):
                found.add((day, str(s).rsplit("/", 1)[1]))
        assert found == expected, code
