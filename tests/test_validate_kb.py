"""``geokg validate`` on knowledge-base files with planted errors: each reported by focus node."""

from __future__ import annotations

import pytest
from conftest import geokg
from geokg.graph.bundled import kb_files

CLAIM = "https://w3id.org/geokg/id/claim/s000-nis-troops-10000-15000"
DEPLOYMENT = "https://w3id.org/geokg/id/deployment/prk-expeditionary-force-russia"
KB = {path.name: path.read_text(encoding="utf-8") for path in kb_files()}

#: (file, text as shipped, planted error, focus node, words the message must contain)
PLANTED = [
    (
        "claims.ttl",
        "    prov:wasDerivedFrom src:arrouart-2024-envoi-soldats-nord-coreens ;\n"
        '    gk:quote """Le NIS estime',
        '    gk:quote """Le NIS estime',
        CLAIM,
        "source",
    ),
    (
        "claims.ttl",
        "schema:minValue 10000 ; schema:maxValue 15000 ;",
        "schema:minValue 15000 ; schema:maxValue 10000 ;",
        CLAIM,
        "min",
    ),
    (
        "deployments.ttl",
        "    gk:sendingState state:PRK ;\n    gk:hostState state:RUS ;\n",
        "    gk:sendingState state:PRK ;\n",
        DEPLOYMENT,
        "host",
    ),
    (
        "claims.ttl",
        'gk:asOf "2024-10"^^xsd:gYearMonth ;\n    prov:wasAttributedTo org:nis ;\n'
        "    prov:wasDerivedFrom src:arrouart-2024-envoi-soldats-nord-coreens ;\n"
        '    gk:quote """Le NIS estime',
        'gk:asOf "2024-13-01"^^xsd:date ;\n    prov:wasAttributedTo org:nis ;\n'
        "    prov:wasDerivedFrom src:arrouart-2024-envoi-soldats-nord-coreens ;\n"
        '    gk:quote """Le NIS estime',
        CLAIM,
        "date",
    ),
]


def test_the_shipped_files_validate_clean(bundled_store):
    run = geokg("validate", *map(str, kb_files()), store=bundled_store)
    assert run.code == 0, run.out + run.err


@pytest.mark.parametrize(("name", "shipped", "planted", "focus", "word"), PLANTED)
def test_a_planted_error_is_reported(bundled_store, tmp_path, name, shipped, planted, focus, word):
    assert KB[name].count(shipped) == 1, f"the text to change is no longer in {name}"
    broken = tmp_path / name
    broken.write_text(KB[name].replace(shipped, planted), encoding="utf-8")
    run = geokg("validate", str(broken), store=bundled_store)
    assert run.code == 1, run.out + run.err
    lines = [line for line in run.out.splitlines() if focus in line]
    assert lines, run.out
    assert any(word in line.lower() for line in lines), run.out


def test_all_planted_errors_at_once_are_each_reported(bundled_store, tmp_path):
    texts = dict(KB)
    for name, shipped, planted, _, _ in PLANTED[1:]:  # the date and the range on one claim
        texts[name] = texts[name].replace(shipped, planted)
    paths = []
    for name in ("claims.ttl", "deployments.ttl"):
        paths.append(tmp_path / name)
        paths[-1].write_text(texts[name], encoding="utf-8")
    run = geokg("validate", *map(str, paths), store=bundled_store)
    assert run.code == 1
    assert any(DEPLOYMENT in line and "host" in line.lower() for line in run.out.splitlines())
    claim_lines = [line.lower() for line in run.out.splitlines() if CLAIM in line]
    assert any("min" in line for line in claim_lines) and any(
        "date" in line for line in claim_lines
    )
