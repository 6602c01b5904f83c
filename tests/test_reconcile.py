"""Reconciliation: one IRI per entity across data sets, and the report of what did not match."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import geokg
from geokg.graph import STATE, open_store
from geokg.graph.importers import Resolver, reconciliation_report

DATA = Path(__file__).resolve().parent / "data"


def test_codes_and_names_resolve_to_one_iri():
    resolver = Resolver.from_store(open_store(None))
    assert resolver.cow(731) == resolver.iso3("PRK") == resolver.name("North Korea") == STATE["PRK"]
    assert resolver.name("Corée du Nord") == STATE["PRK"]
    assert resolver.cow(260) == STATE["cow-260"]
    assert resolver.cow(365, "1961-07-06") == STATE["SUN"]
    assert resolver.cow(365, "2024-06-19") == STATE["RUS"]
    assert resolver.name("Côte d' Ivoire") == resolver.iso3("CIV")
    assert resolver.name("Mediterranean Sea") is None


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("reconcile") / "store"
    atop = DATA / "atop"
    args = ["--no-validate"]
    runs = [
        geokg(
            "import",
            "atop",
            "--alliances",
            str(atop / "atop-alliance-level.csv"),
            "--members",
            str(atop / "atop-member-level.csv"),
            *args,
            store=store,
        ),
        geokg(
            "import",
            "mdi",
            str(DATA / "deployments" / "mdi_deployments_2014_2021.csv"),
            *args,
            store=store,
        ),
        geokg(
            "import",
            "us-troops",
            str(DATA / "deployments" / "us_troops_country_year.csv"),
            *args,
            store=store,
        ),
    ]
    for run in runs:
        assert run.code == 0, run.err
    return store


def test_report_lists_what_could_not_be_matched_and_why(imported):
    run = geokg("reconcile", "--report", store=imported)
    assert run.code == 0, run.err
    assert "8152 in atop: 1 rows (not a COW state code)" in run.out
    # issue 11: no row left out; each theatre that is not a state is listed as modelled
    assert "Rows left out by the importers (0 notes)" in run.out
    assert "Middle East in mdi: 94 rows, place place/middle-east, no host state" in run.out
    assert "French Guiana in mdi: 8 rows, place place/french-guiana, host France" in run.out
    assert "Diego Garcia in us-troops: 58 rows, place place/diego-garcia, host United Kingdom" in (
        run.out
    )
    assert "cow-260" in run.out  # no Wikidata link in the crosswalk
    assert "ATOP 3440" in run.out and "ATOP 3445" in run.out
    summary = geokg("reconcile", store=imported)
    assert "2 curated treaties linked" in summary.out


def test_report_as_data(imported):
    kg = open_store(imported)
    try:
        report = reconciliation_report(kg)
    finally:
        kg.close()
    assert [(code, rows) for _, code, rows in report["unmatched_codes"]] == [("8152", 1)]
    assert sorted(i for _, i in report["linked_treaties"]) == [3440, 3445]
    assert report["import_notes"] == []  # issue 11: no row left out
    guam = {
        (p["graph"].rsplit("/", 1)[1], p["hosts"]) for p in report["places"] if p["label"] == "Guam"
    }
    assert guam == {("mdi", "United States"), ("us-troops", "United States")}
    assert all(p["known"] for p in report["places"])
