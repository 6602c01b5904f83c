"""Every competency question on Virtuoso through geokg in remote mode, answer for answer with
embedded mode and with the expected CSV (issue 7)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import geokg
from geokg.graph import open_endpoint, open_store
from test_questions import QUESTIONS, compare_with_csv, has_order_by, result_table


@pytest.fixture(scope="module")
def kgs(virtuoso):
    """(embedded, remote): the bundled data in memory, and loaded into Virtuoso by the CLI."""
    run = geokg("load", "--endpoint", virtuoso.sparql, "--no-validate")
    assert run.code == 0, run.err
    return open_store(None), open_endpoint(virtuoso.sparql)


@pytest.mark.parametrize("query_file", QUESTIONS, ids=[q.stem for q in QUESTIONS])
def test_question_remote_equals_embedded(kgs, query_file: Path):
    embedded, remote = kgs
    query = query_file.read_text(encoding="utf-8")
    ordered = has_order_by(query)
    answer = remote.query(query)
    compare_with_csv(answer, query_file.with_suffix(".csv"), ordered=ordered)
    header, rows = result_table(answer)
    want_header, want_rows = result_table(embedded.query(query))
    assert header == want_header
    assert rows == want_rows if ordered else sorted(rows) == sorted(want_rows)
