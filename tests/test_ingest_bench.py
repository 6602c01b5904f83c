"""``bench/ingest.py`` scores candidates against curated claims as its docstring says: an
article the test writes, with curated claims the test writes, held out of the store."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

import geokg

BENCH = Path(__file__).resolve().parents[1] / "bench" / "ingest.py"
SOURCE = "https://w3id.org/geokg/id/source/test-article"
ORG = "https://w3id.org/geokg/id/org/"
TEXT = (
    "Selon le NIS, 3 000 soldats nord-coréens sont en Russie. "
    "Au moins 500 soldats ont été tués. "
    "Les analystes estiment que 12 000 soldats ont été envoyés."
)
CLAIMS = f"""
@prefix gk: <https://w3id.org/geokg/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix msr: <https://w3id.org/geokg/id/measure/> .
@prefix org: <{ORG}> .
@prefix claim: <https://w3id.org/geokg/id/claim/> .
@prefix dep: <https://w3id.org/geokg/id/deployment/> .

<{SOURCE}> a gk:SourceDocument ; dcterms:date "2025-07"^^xsd:gYearMonth ;
    dcterms:publisher org:afp ; gk:fileName "test.txt" .
claim:t-nis-3000 a gk:QuantityClaim ; gk:about dep:prk-expeditionary-force-russia ; gk:measure msr:troops-deployed ; schema:value 3000 ;
    gk:asOf "2025-07"^^xsd:gYearMonth ; prov:wasAttributedTo org:nis ;
    prov:wasDerivedFrom <{SOURCE}> ;
    gk:quote "Selon le NIS, 3 000 soldats nord-coréens sont en Russie." .
claim:t-afp-500 a gk:QuantityClaim ; gk:about dep:prk-expeditionary-force-russia ; gk:measure msr:killed ; schema:minValue 500 ;
    gk:asOf "2025-07"^^xsd:gYearMonth ; prov:wasAttributedTo org:afp ;
    prov:wasDerivedFrom <{SOURCE}> ; gk:quote "Au moins 500 soldats ont été tués." .
claim:t-nis-12000 a gk:QuantityClaim ; gk:measure msr:troops-planned ; schema:value 12000 ;
    gk:asOf "2025-07"^^xsd:gYearMonth ; prov:wasAttributedTo org:nis ;
    prov:wasDerivedFrom <{SOURCE}> ;
    gk:quote "Les analystes estiment que 12 000 soldats ont été envoyés." .
"""


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_ingest", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_held_out_claims_are_scored_one_to_one(bench):
    kg = geokg.open_store(None)
    kg.load_data(CLAIMS, format="turtle", graph="https://w3id.org/geokg/graph/test", validate=False)
    score = bench.score_article(kg, SOURCE, TEXT, "2025-07", "fr", {ORG + "afp"})
    # the claims were removed before extraction (the bench asserts it too)
    assert not kg.query(bench.CLAIMS % SOURCE)
    assert (score.curated, score.candidates, score.figure) == (3, 3, 3)
    # 3 000: the NIS, as curated; 500: the text's own voice, curated as the outlet's;
    # 12 000: « les analystes », curated (for the test) as the NIS: an attribution miss
    assert score.attributed == 2
    # the 12 000 is curated as planned, proposed as deployed: not whole either
    assert score.full == 2 and score.about == 2
    assert (score.own_voice_errors, score.too_precise) == (0, 0)
    assert any("agent" in miss and "t-nis-12000" in miss for miss in score.misses)
    kg.close()
