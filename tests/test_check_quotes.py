"""``geokg check-quotes``: every curated quote verbatim in its source's text, and every number a
text writes carried by a claim's quote or listed as no claim; on texts written here.

The article texts are not in the repository (CI checks the real ones with `.ci/run`); these tests
write texts of their own from the quotes in the store, then break one quote at a time, or add a
sentence with numbers that no claim quotes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import geokg
from geokg.graph.numbers import check_numbers, find_numbers, read_not_claims
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


def write_texts(folder: Path, quotes, change=None, extra: dict[str, str] | None = None) -> None:
    """One text per file, holding its quotes between filler sentences; ``change(quote)`` edits;
    ``extra`` adds a sentence to the end of some files."""
    folder.mkdir(exist_ok=True)
    for name, pairs in quotes.items():
        parts = [(change(q) if change else q) for _, q in pairs]
        ending = (extra or {}).get(name, "")
        text = "Début.\n" + "\n\nAutre phrase. ".join(parts) + "\n" + ending + "\nFin.\n"
        (folder / name).write_text(text)


def not_claims(path: Path, *entries: str) -> Path:
    """A list of numbers that are not claims, with a comment line and ``entries``."""
    path.write_text("# numbers that are not claims, for this test\n" + "\n".join(entries) + "\n")
    return path


def check(texts: Path, listed: Path, store) -> object:
    return geokg("check-quotes", "--sources", str(texts), "--not-claims", str(listed), store=store)


def test_all_quotes_found(tmp_path, kg, quotes, store):
    write_texts(tmp_path / "texts", quotes)
    assert check_quotes(kg, tmp_path / "texts") == []
    run = check(tmp_path / "texts", not_claims(tmp_path / "none.txt"), store)
    assert run.code == 0, run.out + run.err
    assert "quotes found verbatim" in run.err
    assert "every number in the source texts is quoted by a claim or listed" in run.err


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
    run = check(tmp_path / "texts", not_claims(tmp_path / "none.txt"), store)
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


# --------------------------------------------------------------------------------------------
# Numbers a text writes that no claim quotes
# --------------------------------------------------------------------------------------------

#: Added to one text: two figures no claim quotes, and a date that the list below excludes.
UNQUOTED = "Selon un rapport du 3 mars, 4 200 soldats et un tiers des blindés auraient été perdus."


def test_numbers_are_found_as_french_writes_them():
    text = (
        "Près de 1 500 soldats (1,2 million en service, 90 %), un tiers des obus, la moitié "
        "des effectifs, deux décennies, vingt-quatre heures, cinq millions d’obus, la troisième "
        "vague, des milliers de soldats, l’AK-47. Un soldat, une armée, le premier traité."
    )
    assert [m.number for m in find_numbers(text)] == [
        "1 500", "1,2 million", "90", "tiers", "moitié", "deux", "vingt-quatre",
        "cinq millions", "troisième", "milliers", "47",
    ]  # fmt: skip
    assert all(text[m.start : m.end] == m.number for m in find_numbers(text))


def test_a_number_no_claim_quotes_is_reported_with_its_file_and_context(
    tmp_path, kg, quotes, store
):
    file = sorted(quotes)[2]
    write_texts(tmp_path / "texts", quotes, extra={file: UNQUOTED})
    listed = not_claims(tmp_path / "none.txt")
    problems = check_numbers(kg, tmp_path / "texts", listed)
    assert [(p.file, p.number, p.reason) for p in problems] == [
        (file, "3", "unquoted number"),
        (file, "4 200", "unquoted number"),
        (file, "tiers", "unquoted number"),
    ]
    assert all("4 200 soldats et un tiers" in p.context for p in problems)
    line = (tmp_path / "texts" / file).read_text().splitlines().index(UNQUOTED) + 1
    assert {p.line for p in problems} == {line}
    run = check(tmp_path / "texts", listed, store)
    assert run.code == 1
    assert f"{file}:{line}: unquoted number «4 200» in «" in run.out
    assert "3 numbers in the source texts neither quoted by a claim nor listed" in run.err
    assert "quotes found verbatim" in run.err  # the quotes themselves are fine


def test_a_number_on_the_list_is_not_reported(tmp_path, kg, quotes, store):
    file = sorted(quotes)[2]
    write_texts(tmp_path / "texts", quotes, extra={file: UNQUOTED})
    listed = not_claims(
        tmp_path / "listed.txt", f"{file} | 3 | du 3 mars | the date of the report, not a figure"
    )
    assert read_not_claims(listed)[0].reason == "the date of the report, not a figure"
    problems = check_numbers(kg, tmp_path / "texts", listed)
    assert [p.number for p in problems] == ["4 200", "tiers"]
    everything = not_claims(
        tmp_path / "all.txt",
        f"{file} | 3 | du 3 mars | the date of the report",
        f"{file} | 4 200; tiers | 4 200 soldats et un tiers | a planted sentence",
    )
    assert check_numbers(kg, tmp_path / "texts", everything) == []
    run = check(tmp_path / "texts", everything, store)
    assert run.code == 0, run.out + run.err


def test_the_same_number_elsewhere_is_still_reported(tmp_path, kg, quotes):
    """An entry excludes its numbers only inside its context: a number is not a free pass."""
    file = sorted(quotes)[2]
    write_texts(tmp_path / "texts", quotes, extra={file: UNQUOTED + " Le 3 avril, 3 chars."})
    listed = not_claims(tmp_path / "listed.txt", f"{file} | 3 | du 3 mars | a date")
    problems = check_numbers(kg, tmp_path / "texts", listed)
    assert [p.number for p in problems] == ["4 200", "tiers", "3", "3"]


def test_an_entry_that_excludes_nothing_is_reported(tmp_path, kg, quotes, store):
    """Stale entries: a context not in the text, a number a quote now carries, an unknown file."""
    file = sorted(quotes)[2]
    quoted = next((q, m.number) for _, q in quotes[file] for m in find_numbers(q) if len(q) < 300)
    write_texts(tmp_path / "texts", quotes)
    listed = not_claims(
        tmp_path / "stale.txt",
        f"{file} | 7 | le 7 juillet | a date that is not in the text",
        f"{file} | {quoted[1]} | {quoted[0]} | a number that a quote carries",
        "999_unknown.txt | 1 | un | a file that no source has",
    )
    problems = check_numbers(kg, tmp_path / "texts", listed)
    assert [(p.file, p.reason) for p in problems] == [
        (file, "not-claims entry (line 2) excludes nothing"),
        (file, "not-claims entry (line 3) excludes nothing"),
        ("999_unknown.txt", "not-claims entry names a text that is not checked"),
    ]
    assert check(tmp_path / "texts", listed, store).code == 1


def test_a_malformed_entry_is_an_error(tmp_path):
    listed = not_claims(tmp_path / "bad.txt", "000.txt | 26 | numéro 26")
    expected = "bad.txt:2: expected FILE | NUMBERS | CONTEXT | REASON"
    with pytest.raises(ValueError, match=re.escape(expected)):
        read_not_claims(listed)


def test_the_bundled_list_names_real_texts_and_numbers_its_contexts_hold(kg):
    """Each entry of ontology/kb/not-claims.txt: a source's file, numbers its context writes."""
    from geokg.graph.numbers import TEXTS, bundled_not_claims

    files = {str(file) for (file,) in kg.query(TEXTS)}
    entries = read_not_claims(bundled_not_claims())
    assert 20 <= len(entries) <= 80
    for entry in entries:
        assert entry.file in files, entry
        written = [m.number for m in find_numbers(entry.context)]
        assert set(entry.numbers) <= set(written), (entry.line, entry.numbers, written)
        assert len(entry.context) <= 80 and len(entry.reason) >= 8, entry
