"""The derived graph is rebuilt after a load only when the load adds or removes what it is
built from (graph/derived.py's INPUT_PREDICATES and gk:Treaty): a load of claims or
candidates leaves it as it is, and costs no rebuild (seconds once ATOP is imported)."""

from __future__ import annotations

import pytest
from geokg.graph import DERIVED_GRAPH, derived
from geokg.graph.derived import rebuild_updates

import geokg

X = "https://example.org/x/"
TREATY = f"""
@prefix gk: <https://w3id.org/geokg/ontology#> .
<{X}pact> a gk:Treaty ; gk:party <{X}A> , <{X}B> ; gk:hasArticle <{X}pact-1> .
<{X}pact-1> gk:provision <https://w3id.org/geokg/id/provision/defense> .
"""
CLAIM = f"""
@prefix gk: <https://w3id.org/geokg/ontology#> .
@prefix schema: <https://schema.org/> .
<{X}claim> a gk:QuantityClaim ; gk:about <{X}pact> ; schema:value 3 .
"""
ALLIED = f"ASK {{ GRAPH <{DERIVED_GRAPH}> {{ <{X}A> gk:alliedWith <{X}B> }} }}"


@pytest.fixture
def rebuilds(monkeypatch):
    """How many times the store rebuilt the derived graph."""
    calls = []
    original = derived.rebuild_derived
    monkeypatch.setattr(derived, "rebuild_derived", lambda kg: (calls.append(1), original(kg)))
    return calls


def test_a_load_without_derived_inputs_does_not_rebuild(rebuilds):
    kg = geokg.open_store(None, bundled=False)
    kg.load_data(TREATY, format="ttl", graph=X + "treaties", validate=False)
    assert len(rebuilds) == 1 and kg.query(ALLIED, prefixes=True)
    kg.load_data(CLAIM, format="ttl", graph=X + "claims", validate=False)
    kg.load_data(CLAIM, format="ttl", graph=X + "claims", validate=False, replace=True)
    assert len(rebuilds) == 1 and kg.query(ALLIED, prefixes=True)
    # replacing the graph that held the treaty removes inputs: rebuilt, the edge is gone
    kg.load_data(CLAIM, format="ttl", graph=X + "treaties", validate=False, replace=True)
    assert len(rebuilds) == 2 and not kg.query(ALLIED, prefixes=True)
    # and a load that brings a treaty back rebuilds again
    kg.load_data(TREATY, format="ttl", graph=X + "again", validate=False)
    assert len(rebuilds) == 3 and kg.query(ALLIED, prefixes=True)


def test_the_input_list_covers_what_the_rebuild_reads():
    """Every gk: term the rebuild's updates name is an input, or what it writes."""
    import re

    text = " ".join(rebuild_updates([X + "g"], "2025-01-01"))
    read = set(re.findall(r"gk:(\w+)", text))
    written = {
        "AssistanceObligation",
        "obligor",
        "beneficiary",
        "viaTreaty",
        "viaArticle",
        "boundToAssist",
        "alliedWith",
    }
    inputs = {p.rsplit("#", 1)[1] for p in derived.INPUT_PREDICATES}
    assert read - written - {"Treaty"} <= inputs
    assert derived.INPUT_CLASS.endswith("#Treaty")
    assert {"obligor", "beneficiary"} <= inputs  # read from articles too
