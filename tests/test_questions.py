"""Competency questions: every ``ontology/questions/NN-name.rq`` gives ``NN-name.csv``.

Each query runs as a string through geokg's store interface, on an in-memory store holding the
bundled ontology, SKOS schemes and curated knowledge base (each in its named graph, loaded by
geokg's own loader), with the union of the named graphs as the default graph. Its solutions are compared with the expected CSV:

- header = the projected variables, in order;
- one row per solution; IRIs written in full, literals as their lexical form only (no language
  tag, no datatype), an empty cell for an unbound variable;
- ASK questions: a single column ``ask`` holding ``true`` or ``false``;
- if the query has ORDER BY, the order of the rows matters; otherwise they are compared as
  multisets.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode

import geokg

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"
QUESTIONS = sorted((ONTOLOGY / "questions").glob("*.rq"))


def term_text(term) -> str:
    """A result term as written in the expected CSV: IRI in full, literal lexical form, '' unbound."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        raise AssertionError("questions must not project blank nodes (they have no stable name)")
    return str(term)


def result_table(result) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a SELECT or ASK result, in the CSV convention above."""
    if isinstance(result, bool):
        return ["ask"], [["true" if result else "false"]]
    return result.vars, [[term_text(term) for term in row] for row in result]


def read_expected(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of an expected-answer CSV."""
    with path.open(encoding="utf-8", newline="") as file:
        table = list(csv.reader(file))
    assert table, f"{path.name} is empty: it needs at least a header row"
    return table[0], table[1:]


def has_order_by(query: str) -> bool:
    """Whether the query (comments removed) has an ORDER BY clause."""
    without_comments = "\n".join(line.split("#", 1)[0] for line in query.splitlines())
    return re.search(r"\bORDER\s+BY\b", without_comments, re.IGNORECASE) is not None


def compare_with_csv(result, expected_csv: Path, ordered: bool) -> None:
    """Assert that a query result equals the expected CSV (ordered rows, or as multisets)."""
    header, rows = result_table(result)
    expected_header, expected_rows = read_expected(expected_csv)
    assert header == expected_header, (
        f"projected variables {header} != CSV header {expected_header}"
    )
    if ordered:
        if rows != expected_rows:
            got = io.StringIO()
            csv.writer(got, lineterminator="\n").writerows([header, *rows])
            raise AssertionError(
                f"rows differ from {expected_csv.name} (order matters):\n{got.getvalue()}"
            )
    else:
        got, want = Counter(map(tuple, rows)), Counter(map(tuple, expected_rows))
        missing, unexpected = want - got, got - want
        assert not missing and not unexpected, (
            f"rows differ from {expected_csv.name}:\n missing: {sorted(missing.elements())}"
            f"\n unexpected: {sorted(unexpected.elements())}"
        )


def test_there_are_at_least_twenty_questions():
    assert len(QUESTIONS) >= 20
    for query in QUESTIONS:
        assert query.with_suffix(".csv").exists(), f"{query.name} has no expected answer CSV"


@pytest.mark.parametrize("query_file", QUESTIONS, ids=[q.stem for q in QUESTIONS])
def test_question_titles(query_file: Path):
    lines = query_file.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# title: ") and len(lines[0]) > len("# title: ") + 10
    assert lines[1].startswith("# title-fr: ") and len(lines[1]) > len("# title-fr: ") + 10
    assert re.match(r"^\d\d-[a-z0-9-]+$", query_file.stem), "name must be NN-short-name"


@pytest.mark.parametrize("query_file", QUESTIONS, ids=[q.stem for q in QUESTIONS])
def test_question_answer(kg: geokg.KnowledgeGraph, query_file: Path):
    query = query_file.read_text(encoding="utf-8")
    result = kg.query(query)
    compare_with_csv(result, query_file.with_suffix(".csv"), ordered=has_order_by(query))
