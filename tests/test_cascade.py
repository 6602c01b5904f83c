"""Obligation cascades, round by round, with the chain of articles."""

from __future__ import annotations

import pytest

import geokg
from geokg import STATE_IRI

T2024 = "https://w3id.org/geokg/id/treaty/rus-prk-2024-comprehensive-strategic-partnership"
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


def test_an_attack_on_russia_draws_north_korea_in_by_article_4(kg):
    cascade = geokg.obligation_cascade(kg, attacked="RUS", as_of="2025-01-15")
    first, second = cascade.rounds
    assert [e.iso for e in first] == ["PRK"]
    link = first[0].link
    assert (link.treaty, link.article_number) == (T2024, 4)
    assert link.beneficiary == STATE_IRI("RUS") and "assistance militaire" in link.quote
    # China is bound to North Korea by the 1961 treaty: drawn in at round 2, by a chain.
    assert [e.iso for e in second] == ["CHN"]
    assert [lnk.article_number for lnk in second[0].chain] == [4, 2]
    table = cascade.to_dataframe()
    assert list(table.iso) == ["PRK", "CHN"] and list(table["round"]) == [1, 2]
    assert "article 4" in table.chain[0]
    assert "North Korea" in str(cascade)


def test_before_the_treaty_nobody_is_bound_to_russia(kg):
    assert geokg.obligation_cascade(kg, attacked="RUS", as_of="2024-11-30").entries == []


def test_an_attack_on_kursk_is_an_attack_on_russia(kg):
    for place in ("kursk-oblast", "https://w3id.org/geokg/id/place/kursk-oblast"):
        cascade = geokg.obligation_cascade(kg, attacked=place, as_of="2025-01-15")
        assert cascade.attacked == STATE_IRI("RUS")
        assert cascade.entries[0].iso == "PRK" and cascade.entries[0].article_number == 4
    with pytest.raises(geokg.GeokgError):
        geokg.obligation_cascade(kg, attacked="nowhere-at-all")


def test_the_attacker_is_not_drawn_in_on_the_attacked_side(kg):
    cascade = geokg.obligation_cascade(kg, attacked="PRK", attacker="CHN", as_of="2025-01-15")
    assert [e.iso for e in cascade.entries] == ["RUS"]
    nato = geokg.obligation_cascade(kg, attacked="DEU", attacker="USA", as_of="2025-01-15")
    assert sorted(e.iso for e in nato.entries) == ["FRA", "GBR"]
    assert all(e.also_bound_to_attacker for e in nato.entries)


def test_rounds_follow_one_way_obligations():
    kg = geokg.open_store(None, bundled=False)
    kg.load_data(CHAIN, format="ttl", graph="https://example.org/g/chain", validate=False)
    cascade = geokg.obligation_cascade(kg, attacked="https://example.org/x/A", as_of="2025-01-01")
    assert [(e.round, e.label) for e in cascade.entries] == [(1, "B"), (2, "C"), (3, "D")]
    assert [lnk.article_number for lnk in cascade.entries[-1].chain] == [1, 7, 2]
    assert cascade.entries[0].link.quote == "B must help A"
    # The guarantee is one-way: an attack on B draws in C (and D), never A.
    back = geokg.obligation_cascade(kg, attacked="https://example.org/x/B", as_of="2025-01-01")
    assert [e.label for e in back.entries] == ["C", "D"]
