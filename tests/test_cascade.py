"""Obligation cascades follow the treaties' triggers: round 1 by default (an armed attack on
the beneficiary), escalation only when asked and labelled; ATOP's coded conditions judged;
states bound to both sides flagged; names as well as codes. References from the raw ATOP
CSV with pandas, independently of geokg's code."""

from __future__ import annotations

import json
import re

import atop_reference
import httpx
import pandas as pd
import pytest
from geokg.graph.importers import import_atop
from test_api_fixtures import run_server

import geokg
from geokg import STATE_IRI

T2024 = "https://w3id.org/geokg/id/treaty/rus-prk-2024-comprehensive-strategic-partnership"
T1961 = "https://w3id.org/geokg/id/treaty/chn-prk-1961-friendship-cooperation-mutual-assistance"
CHAIN = """
@prefix gk: <https://w3id.org/geokg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix p: <https://w3id.org/geokg/id/provision/> .
@prefix x: <https://example.org/x/> .
x:A a gk:State ; rdfs:label "A"@en . x:B a gk:State ; rdfs:label "B"@en .
x:C a gk:State ; rdfs:label "C"@en . x:D a gk:State ; rdfs:label "D"@en .
x:ab a gk:Treaty ; gk:party x:A , x:B ; gk:hasArticle x:ab-1 .
x:ab-1 gk:articleNumber 1 ; gk:provision p:defense ; gk:text "B must help A"@en ;
    gk:obligor x:B ; gk:beneficiary x:A .
x:bc a gk:Treaty ; gk:party x:B , x:C ; gk:hasArticle x:bc-7 .
x:bc-7 gk:articleNumber 7 ; gk:provision p:defense .
x:cd a gk:Treaty ; gk:party x:C , x:D ; gk:hasArticle x:cd-2 .
x:cd-2 gk:articleNumber 2 ; gk:provision p:defense .
"""


# -- the bundled data -------------------------------------------------------------------------


def test_an_attack_on_kursk_draws_in_north_korea_only_by_article_4(kg):
    cascade = geokg.obligation_cascade(kg, attacked="Kursk", attacker="UKR", as_of="2025-06-30")
    assert cascade.attacked == STATE_IRI("RUS")
    assert [(e.round, e.iso) for e in cascade.entries] == [(1, "PRK")]
    link = cascade.entries[0].link
    assert (link.treaty, link.article_number) == (T2024, 4)
    assert link.beneficiary == STATE_IRI("RUS") and "invasion armée" in link.quote
    assert cascade.entries[0].assumptions == [] and cascade.entries[0].conditions == []
    assert cascade.conditional == [] and cascade.both_sides == []
    assert "CHN" not in set(cascade.to_dataframe(apart=True).iso)


def test_escalation_brings_china_in_on_an_assumed_attack_on_north_korea(kg):
    cascade = geokg.obligation_cascade(
        kg, attacked="Kursk", attacker="UKR", as_of="2025-06-30", escalate=True
    )
    assert [(e.round, e.iso) for e in cascade.entries] == [(1, "PRK"), (2, "CHN")]
    china = cascade.entries[1]
    assert china.assumption == "if the attacker's side attacks North Korea"
    assert [(x.treaty, x.article_number) for x in china.chain] == [(T2024, 4), (T1961, 2)]
    table = cascade.to_dataframe()
    assert list(table.assumption) == ["", "if the attacker's side attacks North Korea"]
    assert "assuming: if the attacker's side attacks North Korea" in str(cascade)


def test_names_resolve_in_english_and_french_whatever_the_case_and_accents(kg):
    for name in ("Russia", "Russie", "russie", "Kursk", "KOURSK", "Oblast de Koursk", "RUS"):
        cascade = geokg.obligation_cascade(kg, attacked=name, as_of="2025-06-30")
        assert cascade.attacked == STATE_IRI("RUS"), name
    cascade = geokg.obligation_cascade(kg, attacked="Corée du Nord", attacker="Etats-Unis")
    assert cascade.attacked == STATE_IRI("PRK") and cascade.attacker == STATE_IRI("USA")
    with pytest.raises(geokg.GeokgError, match="no state or place.*Germany <"):
        geokg.obligation_cascade(kg, attacked="Germny")
    for name in ("Kyiv", "Kiev", "Pyongyang"):  # a capital and its state: one state
        assert geokg.obligation_cascade(kg, attacked=name).attacked_iso in {"UKR", "PRK"}
    with pytest.raises(geokg.GeokgError, match="ambiguous: Donetsk Oblast <.*Kursk Oblast <"):
        geokg.obligation_cascade(kg, attacked="oblast")
    with pytest.raises(geokg.GeokgError):
        geokg.obligation_cascade(kg, attacked="nowhere-at-all")
    with pytest.raises(geokg.GeokgError, match="the same state"):
        geokg.obligation_cascade(kg, attacked="Kursk", attacker="Russie")


def test_before_the_treaty_nobody_is_bound_to_russia(kg):
    assert geokg.obligation_cascade(kg, attacked="RUS", as_of="2024-11-30").entries == []


def test_a_state_bound_to_both_sides_is_flagged_not_drawn_in(kg):
    nato = geokg.obligation_cascade(kg, attacked="DEU", attacker="USA", as_of="2025-01-15")
    assert nato.entries == []
    assert sorted(e.iso for e in nato.both_sides) == ["FRA", "GBR"]
    for entry in nato.both_sides:
        assert [x.beneficiary for x in entry.to_attacker] == [STATE_IRI("USA")]
    # the attacker is never drawn in on the attacked side
    china = geokg.obligation_cascade(kg, attacked="PRK", attacker="CHN", as_of="2025-01-15")
    assert [e.iso for e in china.entries] == ["RUS"]


def test_rounds_follow_one_way_obligations_when_escalated():
    kg = geokg.open_store(None, bundled=False)
    kg.load_data(CHAIN, format="ttl", graph="https://example.org/g/chain", validate=False)
    a = "https://example.org/x/A"
    assert [e.label for e in geokg.obligation_cascade(kg, a, as_of="2025-01-01").entries] == ["B"]
    cascade = geokg.obligation_cascade(kg, attacked=a, as_of="2025-01-01", escalate=True)
    assert [(e.round, e.label) for e in cascade.entries] == [(1, "B"), (2, "C"), (3, "D")]
    assert [lnk.article_number for lnk in cascade.entries[-1].chain] == [1, 7, 2]
    assert cascade.entries[-1].assumptions == [
        "if the attacker's side attacks B",
        "if the attacker's side attacks C",
    ]
    assert cascade.entries[0].link.quote == "B must help A"
    # The guarantee is one-way: an attack on B draws in C (and D), never A.
    back = geokg.obligation_cascade(
        kg, attacked="https://example.org/x/B", as_of="2025-01-01", escalate=True
    )
    assert [e.label for e in back.entries] == ["C", "D"]


# -- ATOP, against pandas ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def atop():
    kg = geokg.open_store(None)
    import_atop(kg, atop_reference.ALLIANCES, atop_reference.MEMBERS, validate=False)
    return kg


def _bound_to(phases: pd.DataFrame, beneficiary: int) -> pd.DataFrame:
    """The phases of the other members bound by defence to ``beneficiary`` (a COW code)."""
    shared = phases[phases.member == beneficiary].atopid
    return phases[
        phases.atopid.isin(shared) & (phases.member != beneficiary) & (phases.defense == 1)
    ]


def test_an_attack_on_russia_in_2016_draws_in_no_nato_member(atop):
    day, iso = "2016-06-30", atop_reference.iso()
    phases = atop_reference.phases(day)
    nato = {iso[c] for c in phases[phases.atopid == 3180].member}
    assert {"USA", "GBR", "FRA", "DEU", "TUR"} <= nato
    bound = _bound_to(phases, 365)
    expected = {iso[c] for c in bound[bound.defcon == 0].member} - {"UKR"}
    assert set(bound[bound.defcon == 1].member) == set()  # nothing conditional here
    cascade = geokg.obligation_cascade(atop, attacked="Russia", attacker="Ukraine", as_of=day)
    drawn = {e.iso for e in cascade.entries}
    assert drawn == expected and len(drawn) == 7
    assert not drawn & nato
    assert {e.round for e in cascade.entries} == {1}
    # escalated, the war is assumed to spread: every entry beyond round 1 says so
    wider = geokg.obligation_cascade(atop, "RUS", "UKR", as_of=day, escalate=True)
    assert {e.iso for e in wider.entries if e.round == 1} == expected
    later = [e for e in wider.entries if e.round > 1]
    assert later and all(e.assumption.startswith("if the attacker's side attacks") for e in later)


def test_a_conditional_obligation_not_met_is_listed_apart_with_its_condition(atop):
    day, iso = "2016-06-30", atop_reference.iso()
    bound = _bound_to(atop_reference.phases(day), 346)  # Bosnia and Herzegovina
    adversary = bound[(bound.defcon == 1) & (bound.defcoadv == 1)]
    named = {c for c in adversary.statthr1.tolist() + adversary.statthr2.tolist() if c}
    assert 341 not in named  # Montenegro is not the named adversary
    expected = {iso[c] for c in adversary.member}
    cascade = geokg.obligation_cascade(atop, "BIH", attacker="Montenegro", as_of=day)
    assert {e.iso for e in cascade.conditional} == expected == {"HRV"}
    assert cascade.entries == []
    (condition,) = cascade.conditional[0].conditions
    assert (condition.kind, condition.status) == ("specific-adversary", "not met")
    assert "not Montenegro" in condition.detail
    assert "conditional, not drawn in: Croatia" in str(cascade)
    # attacked by the state coded as the named threat (COW 345), the condition is met
    (code,) = named
    attacker = next(i for c, i in iso.items() if c == code)
    met = geokg.obligation_cascade(atop, "BIH", attacker=attacker, as_of=day)
    assert [e.iso for e in met.entries] == ["HRV"] and met.conditional == []
    assert met.entries[0].conditions[0].status == "met"


def test_states_bound_to_both_sides_are_flagged(atop):
    day, iso = "2016-06-30", atop_reference.iso()
    phases = atop_reference.phases(day)
    to_armenia = set(_bound_to(phases, 371).member) - {373}
    to_azerbaijan = set(_bound_to(phases, 373).member) - {371}
    both = {iso[c] for c in to_armenia & to_azerbaijan}
    assert "RUS" in both
    cascade = geokg.obligation_cascade(atop, "Armenia", attacker="Azerbaijan", as_of=day)
    assert {e.iso for e in cascade.both_sides} == both
    assert {e.iso for e in cascade.entries} == {iso[c] for c in to_armenia - to_azerbaijan}
    russia = next(e for e in cascade.both_sides if e.iso == "RUS")
    assert {x.beneficiary for x in russia.to_attacker} == {STATE_IRI("AZE")}


def test_the_importer_keeps_the_defence_conditions(atop):
    """Every (alliance, phase) with a coded condition or named threat, kind by kind (a member
    phase split at a succession of states is two nodes: compared by alliance and phase)."""
    members = pd.read_csv(atop_reference.MEMBERS)
    kinds = {
        "defcoadv": "specific-adversary",
        "defcoloc": "location",
        "defcocon": "specific-conflict",
        "defconum": "number-of-attackers",
        "defcodem": "non-compliance-with-demands",
        "defconpr": "non-provocation",
    }
    rows = atop.query(
        """SELECT DISTINCT ?id ?phase ?kind WHERE { ?p gk:defenceCondition ?kind ;
             gk:phase ?phase ; gk:inTreaty/gk:atopId ?id }""",
        prefixes=True,
    )
    found = {(int(i), int(p), str(k).rsplit("/", 1)[-1]) for i, p, k in rows}
    expected = {
        (a, p, kind)
        for column, kind in kinds.items()
        for a, p, v in members[["atopid", "phase", column]].itertuples(index=False)
        if v == 1
    }
    assert found == expected
    threats = atop.query(
        """SELECT DISTINCT ?id ?phase ?code WHERE { ?p gk:namedThreatCode ?code ;
             gk:phase ?phase ; gk:inTreaty/gk:atopId ?id }""",
        prefixes=True,
    )
    found = {tuple(int(x) for x in row) for row in threats}
    expected = {
        (a, p, int(c))
        for column in ("statthr1", "statthr2")
        for a, p, c in members[["atopid", "phase", column]].itertuples(index=False)
        if c == c and c != 0
    }
    assert found == expected


# -- the page, in a real server ---------------------------------------------------------------


def _graph(page: str) -> dict:
    found = re.search(r'<script id="graph-data" type="application/json">(.*?)</script>', page)
    return json.loads(found.group(1))


def test_the_cascade_page_with_and_without_escalation(tmp_path):
    store = tmp_path / "store"
    geokg.open_store(store).close()
    with run_server(tmp_path / "server.log", "--store", str(store)) as (base, _):
        url = f"{base}/views/cascade?attacked=Kursk&attacker=UKR&as_of=2025-06-30"
        plain = httpx.get(url)
        assert plain.status_code == 200
        data = _graph(plain.text)
        assert {n["label"] for n in data["nodes"]} == {"RUS", "UKR", "PRK"}
        assert "Round 1" in plain.text and "escalate=1" in plain.text
        escalated = httpx.get(url + "&escalate=1")
        assert escalated.status_code == 200
        data = _graph(escalated.text)
        assert {n["label"] for n in data["nodes"]} == {"RUS", "UKR", "PRK", "CHN"}
        (china,) = [e for e in data["edges"] if e["title"].startswith("Round 2: China")]
        assert "Assumption: if the attacker's side attacks North Korea" in china["title"]
        assert 'name="escalate" value="1"' in escalated.text
        bad = httpx.get(f"{base}/views/cascade?attacked=Oblast")
        assert bad.status_code == 400 and "ambiguous" in bad.text
