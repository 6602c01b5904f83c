"""``geokg check-quotes``: every curated quote verbatim in its source's text, on texts written here.

The article texts are not in the repository (CI checks the real ones with `.ci/run`); these tests
write texts of their own from the quotes in the store, then break one quote at a time.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from conftest import geokg
from geokg.graph.quotes import QUOTES, check_quotes


@pytest.fixture(scope="module")
def quotes(kg) -> dict[str, list[tuple[str, str]]]:
    """file name -> [(claim, quote)] for every quote whose source names a text file."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for claim, _source, file, quote in kg.query(QUOTES):
        if file is not None:
            found[str(file)].append((str(claim), str(quote)))
    assert len(found) == 5 and sum(map(len, found.values())) >= 90
    return found


def write_texts(folder: Path, quotes, change=None) -> None:
    """One text per file, holding its quotes between filler sentences; ``change(quote)`` edits."""
    folder.mkdir(exist_ok=True)
    for name, pairs in quotes.items():
        parts = [(change(q) if change else q) for _, q in pairs]
        (folder / name).write_text("Début.\n" + "\n\nAutre phrase. ".join(parts) + "\nFin.\n")


def test_all_quotes_found(tmp_path, kg, quotes, store):
    write_texts(tmp_path / "texts", quotes)
    assert check_quotes(kg, tmp_path / "texts") == []
    run = geokg("check-quotes", "--sources", str(tmp_path / "texts"), store=store)
    assert run.code == 0, run.err
    assert "quotes found verbatim" in run.err


def test_a_space_for_a_non_breaking_space_is_reported(tmp_path, kg, quotes, store):
    """Exact, not whitespace-normalised: a researcher searching the text must find the quote."""
    with_nbsp = [(f, c, q) for f, pairs in quotes.items() for c, q in pairs if "\u00a0" in q]
    assert with_nbsp, "the curated quotes keep the sources' non-breaking spaces"
    file, claim, quote = with_nbsp[0]
    write_texts(
        tmp_path / "texts", quotes, change=lambda q: q.replace("\u00a0", " ") if q == quote else q
    )
    problems = check_quotes(kg, tmp_path / "texts")
    assert [(p.claim, p.reason) for p in problems] == [(claim, "quote not verbatim in its source")]
    run = geokg("check-quotes", "--sources", str(tmp_path / "texts"), store=store)
    assert run.code == 1
    assert claim in run.out and file in run.out
    assert "1 of" in run.err


def test_a_missing_text_reports_its_quotes(tmp_path, kg, quotes, store):
    write_texts(tmp_path / "texts", quotes)
    missing = sorted(quotes)[0]
    (tmp_path / "texts" / missing).unlink()
    problems = check_quotes(kg, tmp_path / "texts")
    assert {p.file for p in problems} == {missing}
    assert len(problems) == len(quotes[missing])
    assert {p.reason for p in problems} == {"source text not found"}


def test_no_such_folder(tmp_path, store):
    run = geokg("check-quotes", "--sources", str(tmp_path / "nowhere"), store=store)
    assert run.code == 1
    assert "nowhere" in run.err and len(run.err.strip().splitlines()) == 1
