"""MDI and US-troops imports on the real files committed in tests/data: deployments and sourced claims."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from geokg.graph import open_store
from geokg.graph.importers import import_mdi, import_us_troops
from geokg.graph.importers.csvrows import RowError

DATA = Path(__file__).resolve().parent / "data" / "deployments"
MDI = DATA / "mdi_deployments_2014_2021.csv"
US = DATA / "us_troops_country_year.csv"
PREFIX = "PREFIX gk: <https://w3id.org/geokg/ontology#> PREFIX state: <https://w3id.org/geokg/id/state/> "


def n(kg, where: str) -> int:
    return int(kg.query(PREFIX + f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")[0][0])


@pytest.fixture(scope="module")
def kg():
    store = open_store(None)
    import_mdi(store, MDI, validate=False)
    import_us_troops(store, US, validate=False)
    return store


def test_mdi_deployments_and_claims(kg):
    """One deployment per sender, theatre, organisation and mission (names compared without
    case and punctuation: "OSCE - Moldova" is "OSCE- Moldova"), one claim per row."""
    mdi = pd.read_csv(MDI, index_col=0, keep_default_na=False)
    words = {c: mdi[c].str.lower().str.replace(r"[^a-z0-9]+", " ", regex=True).str.strip()
             for c in ("Organisation", "MissionName")}  # fmt: skip
    missions = mdi.assign(**words).groupby(["Country", "Theatre", "Organisation", "MissionName"])
    graph = "GRAPH <https://w3id.org/geokg/graph/import/mdi>"
    assert n(kg, f"{graph} {{ ?d a gk:MilitaryDeployment }}") == missions.ngroups
    assert n(kg, f"{graph} {{ ?c a gk:QuantityClaim }}") == len(mdi)
    # the first data row: 300 Canadians at NATO's Allied Command Transformation in the US, 2014
    rows = kg.query(
        PREFIX
        + """PREFIX schema: <https://schema.org/>
        SELECT ?value ?year WHERE { ?c gk:about ?d ; schema:value ?value ; gk:asOf ?year .
          ?d gk:sendingState state:CAN ; gk:hostState state:USA }"""
    )
    assert ("300", "2014") in {(str(v), str(y)) for v, y in rows}
    # a theatre naming two states has both as hosts
    assert n(kg, "?d gk:hostState state:ISR , state:SYR") >= 1


def test_us_troops_deployments_and_claims(kg):
    graph = "GRAPH <https://w3id.org/geokg/graph/import/us-troops>"
    us = pd.read_csv(US, keep_default_na=False)
    assert n(kg, f"{graph} {{ ?c a gk:QuantityClaim }}") == len(us)
    assert n(kg, f"{graph} {{ ?d a gk:HomeStationing }}") == 1
    # COW 345 and 365 by year: Yugoslavia to 2002, Serbia and Montenegro 2003-2005, Serbia
    # from 2006; the USSR to 1991, Russia from 1992 (issue 11, succession of states)
    for host in ("YUG", "SCG", "SRB", "SUN", "RUS"):
        assert n(kg, f"{graph} {{ ?d gk:hostState state:{host} }}") == 1
    rows = kg.query(
        PREFIX
        + """PREFIX schema: <https://schema.org/>
        SELECT ?value WHERE { ?c gk:about ?d ; schema:value ?value ; gk:asOf "1990"^^<http://www.w3.org/2001/XMLSchema#gYear> .
          ?d gk:sendingState state:USA ; gk:hostState state:cow-260 }"""
    )
    assert len(rows) == 1 and int(rows[0][0]) > 100_000  # West Germany, 1990


def test_running_again_leaves_the_same_counts(kg):
    before = kg.counts()
    import_mdi(kg, MDI, validate=False)
    import_us_troops(kg, US, validate=False)
    assert kg.counts() == before


def test_a_bad_figure_in_the_last_row_fails_naming_it(kg, tmp_path):
    lines = MDI.read_text(encoding="utf-8").splitlines()
    last = lines[-1].rsplit(",", 1)[0] + ",abc"
    bad = tmp_path / MDI.name
    bad.write_text("\n".join([*lines[:-1], last]) + "\n", encoding="utf-8")
    before = kg.counts()
    with pytest.raises(RowError) as error:
        import_mdi(kg, bad, validate=False)
    assert (
        str(error.value) == f"{MDI.name}, line {len(lines)}, column Deployed: 'abc' is not a number"
    )
    assert kg.counts() == before


def test_the_imports_conform_to_the_shapes(tmp_path):
    """Validated imports of the first rows of each file and one row of every theatre or host
    name (places with and without a host, home stationing); the whole files validate too,
    slowly."""
    store = open_store(None)
    for source, importer, column in (
        (MDI, import_mdi, "Theatre"),
        (US, import_us_troops, "countryname"),
    ):
        table = pd.read_csv(source, keep_default_na=False, dtype=str)
        lines = source.read_text(encoding="utf-8").splitlines()
        rows = sorted(set(range(40)) | set(table.drop_duplicates(column).index))
        small = tmp_path / source.name
        small.write_text("\n".join([lines[0], *(lines[i + 1] for i in rows)]) + "\n")
        result = importer(store, small, validate=True)
        assert result["claims"] == len(rows)
    report = store.validate()
    assert report.conforms, report.text()
