"""Centrality, blocs, ego networks, alliance changes and deployment claims."""

from __future__ import annotations

import pytest

import geokg
from geokg import STATE_IRI

RUS, PRK, CHN, USA = (STATE_IRI(c) for c in ("RUS", "PRK", "CHN", "USA"))
DEPLOYMENT = "https://w3id.org/geokg/id/deployment/prk-expeditionary-force-russia"


def test_centrality_per_state_on_a_date(kg):
    table = centrality = geokg.centrality(kg, as_of="2024-12-31").set_index("iso")
    # North Korea sits between Russia and China: the only broker on that date.
    assert centrality.loc["PRK", "degree"] == 2
    assert centrality.loc["PRK", "betweenness"] == pytest.approx(1 / 15)  # 1 of 15 pairs
    assert centrality.loc["RUS", "betweenness"] == 0.0
    assert table.loc["USA", "degree"] == 3
    assert table.loc["USA", "eigenvector"] > table.loc["RUS", "eigenvector"] > 0
    before = geokg.centrality(kg, as_of="2024-12-01").set_index("iso")
    assert "RUS" not in before.index and before.loc["PRK", "degree"] == 1
    assert geokg.centrality(kg, as_of="1900-01-01").empty


def test_blocs_and_their_changes(kg):
    found = geokg.blocs(kg, as_of="2024-12-31")
    assert sorted(map(len, found)) == [3, 4]
    assert {RUS, PRK, CHN} in found
    over_time = geokg.blocs_over_time(kg, ["1990-01-01", "2024-12-31"])
    table = over_time.pivot(index="iso", columns="date", values="bloc")
    assert table.loc["PRK", "2024-12-31"] == "PRK bloc"
    assert set(table.loc["USA"]) == {"USA bloc"} or table.loc["USA", "1990-01-01"].endswith("bloc")
    assert "SUN" in table.index and str(table.loc["SUN", "2024-12-31"]) == "nan"
    assert over_time.query("date == '2024-12-31' and iso == 'RUS'").bloc.item() == "PRK bloc"


def test_ego_network(kg):
    ego = geokg.ego_network(kg, "RUS", as_of="2024-12-31")
    assert set(ego) == {RUS, PRK}
    wider = geokg.ego_network(kg, STATE_IRI("RUS"), radius=2, as_of="2024-12-31")
    assert set(wider) == {RUS, PRK, CHN}
    assert geokg.ego_network(kg, "RUS", as_of="1990-01-01").number_of_nodes() == 0


def test_alliance_changes(kg):
    changes = geokg.alliance_changes(kg, "1990-01-01", "2024-12-31")
    added = changes[changes.change == "added"]
    removed = changes[changes.change == "removed"]
    assert {frozenset((r.source, r.target)) for r in added.itertuples()} == {frozenset((RUS, PRK))}
    assert removed.label.str.contains("USSR").all() and len(removed) == 1
    assert geokg.alliance_changes(kg, "2025-01-01", "2025-06-01").empty


def test_deployment_claims(kg):
    claims = geokg.deployment_claims(kg, DEPLOYMENT)
    assert claims.claim.is_unique and (claims.deployment == DEPLOYMENT).all()
    deployed = claims[claims.measure == "troops-deployed"]
    nis = deployed[deployed.claim.str.endswith("s000-nis-troops-10000-15000")].iloc[0]
    assert (nis["min"], nis["max"], nis.as_of) == (10000, 15000, "2024-10")
    assert nis.agency_label.startswith("National Intelligence Service")
    assert {"troops-deployed", "troops-engaged", "losses", "killed-acknowledged"} <= set(
        claims.measure
    )
    assert list(claims.as_of) == sorted(claims.as_of)
    everything = geokg.deployment_claims(kg)
    assert len(everything) >= len(claims)
