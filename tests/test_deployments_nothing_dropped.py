"""Issue 11 (part 3): every row of MDI and US troops is in the graph, checked against pandas.

The references are computed here with pandas straight from the committed CSV files, never
through geokg's code, and compared cell for cell with what SPARQL and ``deployment_graph`` give.
The MDI file's first column is a row index (read as the index); its ``MissionName`` holds the
word "None" for no named mission, which pandas reads as missing unless told otherwise.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from geokg.graph import STATE, open_store
from geokg.graph.analysis import deployment_claims
from geokg.graph.importers import import_mdi, import_us_troops
from geokg.graph.projection import deployment_graph

DATA = Path(__file__).resolve().parent / "data" / "deployments"
MDI = DATA / "mdi_deployments_2014_2021.csv"
US = DATA / "us_troops_country_year.csv"
MDI_GRAPH = "https://w3id.org/geokg/graph/import/mdi"
US_GRAPH = "https://w3id.org/geokg/graph/import/us-troops"
PREFIXES = """PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX state: <https://w3id.org/geokg/id/state/>
PREFIX place: <https://w3id.org/geokg/id/place/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


@pytest.fixture(scope="module")
def kg():
    store = open_store(None)
    import_mdi(store, MDI, validate=False)
    import_us_troops(store, US, validate=False)
    return store


@pytest.fixture(scope="module")
def mdi() -> pd.DataFrame:
    return pd.read_csv(MDI, index_col=0, keep_default_na=False)


@pytest.fixture(scope="module")
def us() -> pd.DataFrame:
    return pd.read_csv(US, keep_default_na=False, dtype={"troops": int, "ccode": int})


def select(kg, sparql: str) -> list[tuple]:
    return [tuple(cell.toPython() if cell is not None else None for cell in row)
            for row in kg.query(PREFIXES + sparql)]  # fmt: skip


def quoted(claims) -> pd.DataFrame:
    """The CSV rows that claims quote, parsed with the csv module."""
    return pd.DataFrame([next(csv.reader([c["quote"]])) for c in claims])


# -- every row is a claim --------------------------------------------------------------------


def test_every_row_of_each_file_is_one_claim(kg, mdi, us):
    for graph, table in ((MDI_GRAPH, mdi), (US_GRAPH, us)):
        ((claims,),) = select(kg, f"SELECT (COUNT(?c) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?c a gk:QuantityClaim }} }}")  # fmt: skip
        assert claims == len(table)
    # each MDI row index is quoted by exactly one claim
    quotes = select(kg, f"SELECT ?q WHERE {{ GRAPH <{MDI_GRAPH}> {{ ?c gk:quote ?q }} }}")
    indices = sorted(int(next(csv.reader([q]))[0]) for (q,) in quotes)
    assert indices == sorted(mdi.index)


def test_missing_and_zero_figures_are_kept_as_they_are(kg, mdi, us):
    """MDI has no missing or zero figure; US troops has zeros, kept as claims of 0."""
    assert (mdi["Deployed"] > 0).all()
    ((zeros,),) = select(
        kg,
        f"""SELECT (COUNT(?c) AS ?n) WHERE {{ GRAPH <{US_GRAPH}> {{
        ?c a gk:QuantityClaim ; schema:value 0 }} }}""",
    )
    assert zeros == int((us["troops"] == 0).sum())


# -- sums per sender and year ----------------------------------------------------------------


def test_mdi_personnel_per_sender_and_year_equals_the_file(kg, mdi):
    rows = select(
        kg,
        f"""SELECT ?iso ?year (SUM(?v) AS ?total) WHERE {{ GRAPH <{MDI_GRAPH}> {{
              ?c a gk:QuantityClaim ; gk:measure ?m ; gk:about ?d ; schema:value ?v ;
                 gk:asOf ?y . ?d gk:sendingState ?s }}
            ?s gk:isoAlpha3 ?iso BIND(STR(?y) AS ?year)
            FILTER(?m = <https://w3id.org/geokg/id/measure/troops-deployed>)
        }} GROUP BY ?iso ?year""",
    )
    ours = pd.DataFrame(rows, columns=["Country", "Year", "Deployed"])
    ours["Year"] = ours["Year"].astype(int)
    ours = ours.set_index(["Country", "Year"]).sort_index()["Deployed"].astype(int)
    reference = mdi.groupby(["Country", "Year"])["Deployed"].sum().sort_index()
    pd.testing.assert_series_equal(ours, reference, check_names=False)
    assert reference.loc[("FRA", 2020)] == 19557


def test_us_troops_outside_the_us_per_year_equals_the_file(kg, us):
    rows = select(
        kg,
        f"""SELECT ?year (SUM(?v) AS ?total) WHERE {{ GRAPH <{US_GRAPH}> {{
              ?c gk:about ?d ; schema:value ?v ; gk:asOf ?y . ?d a gk:MilitaryDeployment }}
            BIND(STR(?y) AS ?year) }} GROUP BY ?year""",
    )
    ours = pd.Series({int(y): int(t) for y, t in rows}).sort_index()
    reference = us[us["ccode"] != 2].groupby("year")["troops"].sum().sort_index()
    pd.testing.assert_series_equal(ours, reference, check_names=False)
    assert reference.loc[1950] == 291849


# -- home stationing -------------------------------------------------------------------------


def test_the_us_homeland_row_is_kept_but_is_not_a_deployment_abroad(kg, us):
    home = us[us["ccode"] == 2].set_index("year")["troops"].sort_index()
    rows = select(
        kg,
        """SELECT ?year ?v WHERE { ?h a gk:HomeStationing ; gk:stationingState state:USA .
            ?c gk:about ?h ; schema:value ?v ; gk:asOf ?y BIND(STR(?y) AS ?year) }""",
    )
    ours = pd.Series({int(y): int(v) for y, v in rows}).sort_index()
    pd.testing.assert_series_equal(ours, home, check_names=False)
    # no deployment (abroad) of the US in the US but to a place: a territory such as Guam
    ((n,),) = select(kg, """SELECT (COUNT(?d) AS ?n) WHERE { ?d a gk:MilitaryDeployment ;
        gk:sendingState state:USA ; gk:hostState state:USA FILTER NOT EXISTS { ?d gk:location ?p } }""")  # fmt: skip
    assert n == 0
    usa = str(STATE["USA"])
    abroad = deployment_graph(kg, as_of="1950-06-30")
    assert not any(d["home_stationing"] for *_, d in abroad.edges(data=True))
    assert not abroad.has_edge(usa, usa)
    with_home = deployment_graph(kg, as_of="1950-06-30", home=True)
    loops = [d for *_, d in with_home.edges(usa, data=True) if d["home_stationing"]]
    assert len(loops) == 1
    assert [c["value"] for c in loops[0]["claims"] if c["as_of"] == "1950"] == [home.loc[1950]]
    assert not deployment_claims(kg)["home_stationing"].any()
    assert deployment_claims(kg, home=True)["home_stationing"].sum() == len(home)


# -- year-coded deployments are dated by their figures ---------------------------------------


def test_france_mdi_deployments_under_way_in_mid_2020_are_the_files_2020_rows(kg, mdi):
    g = deployment_graph(kg, as_of="2020-06-30")
    france = [d for *_, d in g.edges(str(STATE["FRA"]), data=True) if "/mdi/" in d["deployment"]]
    claims = [c for d in france for c in d["claims"] if c["as_of"] == "2020"]
    ours = quoted(claims)
    ours.columns = ["index", *mdi.columns]
    theirs = mdi[(mdi["Country"] == "FRA") & (mdi["Year"] == 2020)]
    key = ["Theatre", "Organisation", "MissionName"]
    assert len(france) == len(theirs) == 26
    assert sorted(map(tuple, ours[key].values)) == sorted(map(tuple, theirs[key].values))
    assert sorted(ours["index"].astype(int)) == sorted(theirs.index)


def test_no_mdi_deployment_is_under_way_in_a_year_the_file_does_not_cover(kg, mdi):
    before = deployment_graph(kg, as_of=f"{mdi['Year'].min() - 1}-06-30")
    assert not [k for *_, k in before.edges(keys=True) if "/mdi/" in k]
    years = deployment_graph(kg, as_of=f"{mdi['Year'].max()}-12-31")
    ours = {k for *_, k in years.edges(keys=True) if "/mdi/" in k}
    last = mdi[mdi["Year"] == mdi["Year"].max()]
    assert len(ours) == len(last.groupby(["Country", "Theatre", "Organisation", "MissionName"]))


def test_us_deployments_under_way_in_2000_are_the_files_rows_with_troops(kg, us):
    """A year-coded deployment is under way in a year with a figure above zero (not a zero)."""
    g = deployment_graph(kg, as_of="2000-06-30")
    edges = [d for *_, d in g.edges(data=True) if "/us-troops/" in d["deployment"]]
    claims = [c for d in edges for c in d["claims"] if c["as_of"] == "2000"]
    assert all(any(c["value"] > 0 for c in d["claims"] if c["as_of"] == "2000") for d in edges)
    ours = quoted(c for c in claims if c["value"] > 0)
    ours.columns = us.columns
    theirs = us[(us["year"] == 2000) & (us["ccode"] != 2) & (us["troops"] > 0)]
    key = ["countryname", "ccode"]
    assert sorted(map(tuple, ours[key].astype(str).values)) == sorted(
        map(tuple, theirs[key].astype(str).values)
    )


# -- places ----------------------------------------------------------------------------------


def test_theatres_that_are_not_states_are_places_with_their_sovereign(kg, mdi):
    rows = select(
        kg,
        """SELECT ?label ?host ?lat ?lon WHERE { ?d gk:location place:french-guiana ;
            gk:sendingState state:FRA . OPTIONAL { ?d gk:hostState ?host }
            place:french-guiana a gk:Place ; rdfs:label ?label ;
                schema:geo [ schema:latitude ?lat ; schema:longitude ?lon ]
            FILTER(LANG(?label) = "en") }""",
    )
    guiana = mdi[mdi["Theatre"] == "French Guiana"]
    assert {(r[0], str(r[1])) for r in rows} == {("French Guiana", str(STATE["FRA"]))}
    assert {(float(r[2]), float(r[3])) for r in rows} == {
        (round(lat, 6), round(lon, 6))
        for lat, lon in zip(guiana["Lat"], guiana["Lon"], strict=True)
    }
    # a sea has no host state; Guam (in both files) is one place, host the United States
    ((ocean_hosts,),) = select(kg, "SELECT (COUNT(?h) AS ?n) WHERE { ?d gk:location place:indian-ocean ; gk:hostState ?h }")  # fmt: skip
    assert ocean_hosts == 0
    ((guam,),) = select(kg, "SELECT (COUNT(*) AS ?n) WHERE { place:guam a gk:Place }")
    assert guam == 1
    hosts = select(kg, "SELECT DISTINCT ?h WHERE { ?d gk:location place:guam ; gk:hostState ?h }")
    assert hosts == [(str(STATE["USA"]),)]


def test_a_host_that_changed_is_the_sovereign_of_the_year(kg):
    rows = select(
        kg,
        """SELECT ?year ?h WHERE { ?d gk:location place:hong-kong ; gk:hostState ?h .
            ?c gk:about ?d ; gk:asOf ?y BIND(STR(?y) AS ?year) }""",
    )
    by_year = {int(y): str(h).rsplit("/", 1)[1] for y, h in rows}
    assert by_year[1996] == "GBR" and by_year[1997] == "CHN"
    assert {by_year[y] for y in by_year if y < 1997} == {"GBR"}
    assert {by_year[y] for y in by_year if y >= 1997} == {"CHN"}


def test_an_unknown_theatre_becomes_a_flagged_place_not_a_dropped_row(tmp_path):
    from geokg.graph.importers import reconciliation_report

    lines = MDI.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "mdi.csv"
    path.write_text(
        lines[0] + "\n" + "9999,2020,Sea of Atlantis,1.0,2.0,FRA,FRA,None,Operation,7\n"
    )
    store = open_store(None)
    result = import_mdi(store, path, validate=False)
    assert result["claims"] == 1 and result["unrecognised"] == ["Sea of Atlantis"]
    found = [p for p in reconciliation_report(store)["places"] if p["label"] == "Sea of Atlantis"]
    assert len(found) == 1 and not found[0]["known"] and found[0]["hosts"] == ""


def test_every_host_of_the_table_of_places_is_a_state_of_the_knowledge_base():
    from geokg.graph.importers import Resolver
    from geokg.graph.importers.places import PLACES

    resolver = Resolver.from_store(open_store(None))
    codes = {code for place in PLACES.values() for _, hosts in place.periods for code in hosts}
    assert codes and all(resolver.iso3(code) is not None for code in codes)


def test_a_us_row_without_a_figure_fails_naming_it(tmp_path):
    from geokg.graph.importers.csvrows import RowError

    lines = US.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[4] = "NA"
    path = tmp_path / US.name
    path.write_text("\n".join([lines[0], lines[2], ",".join(cells)]) + "\n")
    store = open_store(None)
    before = store.counts()
    with pytest.raises(RowError) as error:
        import_us_troops(store, path, validate=False)
    assert str(error.value) == f"{US.name}, line 3, column troops: 'NA' is empty"
    assert store.counts() == before
