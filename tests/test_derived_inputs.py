"""The derivation's list of inputs (graph/derivation.py's INPUT_PREDICATES and gk:Treaty)
covers every term the SPARQL rebuild reads: a write that adds or removes none of them is
rightly skipped (tests/test_derived_incremental.py checks the skips themselves)."""

from __future__ import annotations

import re

from geokg.graph import derivation
from geokg.graph.derived import rebuild_updates

X = "https://example.org/x/"


def test_the_input_list_covers_what_the_rebuild_reads():
    """Every gk: term the rebuild's updates name is an input, or what it writes."""
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
    inputs = set(derivation.INPUT_PREDICATES)
    assert read - written - {"Treaty"} <= inputs
    assert derivation.TREATY.value.endswith("#Treaty")
    assert {"obligor", "beneficiary"} <= inputs  # read from articles too
