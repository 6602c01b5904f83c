"""Entity pages and views name the kind of each tie (defence pact, offence pact, neutrality
pact, non-aggression pact, consultation pact) from the treaty's provisions, never a blanket
"allied with". With ATOP, the kinds are checked against the alliance-level CSV with pandas."""

from __future__ import annotations

import json
import re

import atop_reference
import httpx
import pandas as pd
import pytest
from geokg.graph.importers import import_atop
from geokg.graph.ties import ties
from test_api_fixtures import run_server

import geokg

WORDS = {
    "defense": "defence pact",
    "offense": "offence pact",
    "neutral": "neutrality pact",
    "nonagg": "non-aggression pact",
    "consul": "consultation pact",
}


def test_ties_with_atop_name_each_kind_as_the_csv_codes_it():
    kg = geokg.open_store(None)
    import_atop(kg, atop_reference.ALLIANCES, atop_reference.MEMBERS, validate=False)
    day, egypt = "2016-06-30", 651
    phases = atop_reference.phases(day)
    shared = phases[phases.member == egypt].atopid
    partners = phases[phases.atopid.isin(shared) & (phases.member != egypt)]
    alliances = pd.read_csv(atop_reference.ALLIANCES).set_index("atopid")
    iso = atop_reference.iso()
    expected = {
        (iso[m], int(a)): ", ".join(w for c, w in WORDS.items() if alliances.loc[a, c] > 0)
        for a, m in zip(partners.atopid, partners.member, strict=True)
    }
    ids = {
        str(t): int(i) for t, i in kg.query("SELECT ?t ?i WHERE { ?t gk:atopId ?i }", prefixes=True)
    }
    found = {
        (t["partner"].rsplit("/", 1)[-1], ids[t["treaty"]]): t["words"]
        for t in ties(kg, "EGY", day)
        if t["treaty"] in ids
    }
    assert found == expected
    kinds = {w for words in found.values() for w in words.split(", ")}
    assert {"defence pact", "non-aggression pact", "consultation pact"} <= kinds


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wording")
    geokg.open_store(tmp / "store").close()
    with run_server(tmp / "server.log", "--store", str(tmp / "store")) as (base, _):
        yield base


def test_entity_page_names_the_kind_of_tie(server):
    page = httpx.get(f"{server}/id/state/PRK", headers={"Accept": "text/html"}).text
    ties_table = page.split('<table class="ties">')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td>.*?>([^<]+)</a></td><td class=\"tie\">([^<]+)</td>", ties_table)
    assert rows == [("China", "defence pact"), ("Russia", "defence pact")]
    assert "allied with" not in page.lower()


def test_views_name_the_kind_of_tie(server):
    page = httpx.get(f"{server}/views/actor/PRK?as_of=2025-01-15").text
    assert "Treaty ties of North Korea" in page and "Allies" not in page
    found = re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', page)
    titles = [e["title"].split(": ", 1) for e in json.loads(found.group(1))["edges"]]
    assert {(frozenset(pair.split(" – ")), words) for pair, words in titles} == {
        (frozenset({"North Korea", "China"}), "defence pact (1 treaty)"),
        (frozenset({"North Korea", "Russia"}), "defence pact (1 treaty)"),
    }
    assert "defence pact" in page  # the legend
