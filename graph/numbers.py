"""Every number written in a source text must be carried by a claim's quote, or be listed as no claim.

A figure a source gives and no claim quotes is a figure a researcher querying geokg never sees.
This module finds the numbers a text writes (digits such as « 10 000 », « 1,2 million »,
« 90 % », and French number words such as « deux », « mille », « un tiers », « la moitié »,
« troisième », « milliers »), and reports each one that lies outside every ``gk:quote`` taken
from that text, unless the curators' list of numbers that are not claims (dates, article and
resolution numbers, page furniture ...) excludes it. That list is ``kb/not-claims.txt`` in the
bundled ontology folder; its format is described in :func:`read_not_claims`.

>>> [m.number for m in find_numbers("Près de 1 500 soldats, un tiers des obus, la troisième vague.")]
['1 500', 'tiers', 'troisième']
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .bundled import data_dir
from .quotes import QUOTES

if TYPE_CHECKING:  # pragma: no cover
    from .store import KnowledgeGraph

TEXTS = """
PREFIX gk: <https://w3id.org/geokg/ontology#>
SELECT DISTINCT ?file WHERE { ?source gk:fileName ?file } ORDER BY ?file
"""

#: Space, no-break space and narrow no-break space: French thousands separators.
_SPACE = "[ \u00a0\u202f]"
_SCALE = r"(?:millions?|milliards?|mille)"
_DIGITS = rf"\d{{1,3}}(?:{_SPACE}\d{{3}})+(?:,\d+)?|\d+(?:,\d+)?"
#: Cardinals (but « un », « une », which are mostly articles), scales, fractions, collective
#: numbers (« des milliers ») and ordinals from « deuxième » up (not « premier », « second »).
_WORD = (
    r"deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|"
    r"vingts?|trente|quarante|cinquante|soixante|cents?|mille|millions?|milliards?|"
    r"tiers|quarts?|moitiés?|demie?|double|triple|"
    r"dizaines?|douzaines?|vingtaines?|centaines?|milliers?|"
    r"(?:deux|trois|quatr|cinqu|six|sept|huit|neuv|dix|onz|douz|vingt|trent|cent|mill)ièmes?"
)
NUMBER = re.compile(
    rf"(?<![\w,])(?:{_DIGITS})(?:{_SPACE}{_SCALE})?(?![\w])"
    rf"|(?<![\w-])(?:{_WORD})(?:[- ](?:et[- ])?(?:{_WORD}))*(?![\w-])",
    re.IGNORECASE,
)
#: Characters of context shown on either side of an unquoted number.
CONTEXT = 50


@dataclass(frozen=True)
class Mention:
    """One number as written in a text, at ``start:end``."""

    number: str
    start: int
    end: int


@dataclass(frozen=True)
class NotClaim:
    """One entry of the list of numbers that are not claims.

    ``numbers`` are excluded wherever they occur inside an occurrence of ``context`` (a verbatim
    excerpt of ``file``'s text; any run of white space in it matches any run in the text).
    """

    file: str
    numbers: tuple[str, ...]
    context: str
    reason: str
    line: int

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where ``context`` occurs in ``text`` (white space matched loosely)."""
        words = [re.escape(w) for w in self.context.split()]
        pattern = re.compile(r"\s+".join(words))
        return [(m.start(), m.end()) for m in pattern.finditer(text)]


@dataclass(frozen=True)
class NumberProblem:
    """A number no claim quotes (at ``line`` of ``file``), or an entry of the list that excludes
    nothing (``line`` 0; the reason gives the entry's line in the list)."""

    file: str
    line: int
    number: str
    context: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.reason} «{self.number}» in «{self.context}»"


def find_numbers(text: str) -> list[Mention]:
    """Every number written in ``text``, in order.

    >>> [m.number for m in find_numbers("AK-47 des années 1960, 1,2 million, deux décennies")]
    ['47', '1960', '1,2 million', 'deux']
    >>> [m.number for m in find_numbers("plus de cinq millions d’obus, vingt-quatre heures")]
    ['cinq millions', 'vingt-quatre']
    """
    return [Mention(m.group(0), m.start(), m.end()) for m in NUMBER.finditer(text)]


def quote_spans(text: str, quotes: Iterable[str]) -> list[tuple[int, int]]:
    """Every place where one of ``quotes`` occurs verbatim in ``text``.

    >>> quote_spans("a b a", ["a"])
    [(0, 1), (4, 5)]
    """
    spans = []
    for quote in set(quotes):
        at = text.find(quote) if quote else -1
        while at >= 0:
            spans.append((at, at + len(quote)))
            at = text.find(quote, at + 1)
    return sorted(spans)


def read_not_claims(path: Path | str) -> list[NotClaim]:
    """The list of numbers that are not claims: one entry a line, ``#`` starts a comment.

    Each entry is ``FILE | NUMBERS | CONTEXT | REASON``: the source text's file name, the
    numbers excluded as :func:`find_numbers` writes them (several separated by ``;``), a short
    verbatim excerpt of the text holding them, and why they are not a claim.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "nc.txt"
    >>> _ = p.write_text("# dates\\na.txt | 19; 2024 | le 19 juin 2024 | date of a photo\\n")
    >>> read_not_claims(p)[0].numbers
    ('19', '2024')
    """
    entries = []
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = [field.strip() for field in line.split(" | ")]
        if len(fields) != 4 or not all(fields):
            raise ValueError(f"{path}:{number}: expected FILE | NUMBERS | CONTEXT | REASON")
        file, numbers, context, reason = fields
        listed = tuple(n.strip() for n in numbers.split(";"))
        entries.append(NotClaim(file, listed, context, reason, number))
    return entries


def _line(text: str, at: int) -> int:
    return text.count("\n", 0, at) + 1


def _context(text: str, start: int, end: int) -> str:
    excerpt = text[max(0, start - CONTEXT) : end + CONTEXT]
    return " ".join(excerpt.split())


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def unquoted_numbers(
    file: str, text: str, quotes: Iterable[str], not_claims: Iterable[NotClaim]
) -> list[NumberProblem]:
    """The numbers of one text that no quote carries and no entry excludes; and unused entries.

    An entry of ``not_claims`` for this file that excludes no unquoted number (its context is
    not in the text, or its numbers are not in the context, or a quote already carries them)
    is reported too, so that the list stays short and true.

    >>> text = "Le 5 mai, 300 soldats. Article 4."
    >>> entry = NotClaim("t.txt", ("4",), "Article 4", "an article number", 1)
    >>> [str(p) for p in unquoted_numbers("t.txt", text, ["300 soldats"], [entry])]
    ['t.txt:1: unquoted number «5» in «Le 5 mai, 300 soldats. Article 4.»']
    """
    quoted = quote_spans(text, quotes)
    entries = [e for e in not_claims if e.file == file]
    excluded: dict[NotClaim, list[tuple[int, int]]] = {e: e.spans(text) for e in entries}
    used: set[NotClaim] = set()
    problems = []
    for mention in find_numbers(text):
        if _inside(mention.start, mention.end, quoted):
            continue
        excluding = [
            e
            for e, spans in excluded.items()
            if mention.number in e.numbers and _inside(mention.start, mention.end, spans)
        ]
        if excluding:
            used.update(excluding)
            continue
        problems.append(
            NumberProblem(
                file,
                _line(text, mention.start),
                mention.number,
                _context(text, mention.start, mention.end),
                "unquoted number",
            )
        )
    for entry in entries:
        if entry not in used:
            reason = f"not-claims entry (line {entry.line}) excludes nothing"
            problems.append(NumberProblem(file, 0, "; ".join(entry.numbers), entry.context, reason))
    return problems


def bundled_not_claims() -> Path:
    """The curators' list of numbers that are not claims, shipped with the knowledge base."""
    return data_dir() / "kb" / "not-claims.txt"


def check_numbers(
    kg: KnowledgeGraph, sources: Path | str, not_claims: Path | str | None = None
) -> list[NumberProblem]:
    """Every number of the store's source texts that no claim quotes and the list does not exclude.

    ``sources`` is the folder of the texts, named as their documents' ``gk:fileName`` (a text
    that is not there is skipped: :func:`geokg.graph.quotes.check_quotes` reports it).
    ``not_claims`` defaults to :func:`bundled_not_claims`. Entries that exclude nothing, or
    name a file that no source document has, are reported too. An empty list means every number
    is quoted by a claim or listed as no claim.

    >>> import geokg, tempfile
    >>> check_numbers(geokg.open_store(None), tempfile.mkdtemp())[0].reason
    'not-claims entry names a text that is not checked'
    """
    folder = Path(sources)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such folder of source texts")
    entries = read_not_claims(not_claims or bundled_not_claims())
    quotes: dict[str, list[str]] = defaultdict(list)
    for _claim, _source, file, quote in kg.query(QUOTES):
        if file is not None:
            quotes[str(file)].append(str(quote))
    problems: list[NumberProblem] = []
    checked = set()
    for (file,) in kg.query(TEXTS):
        path = folder / str(file)
        if path.is_file():
            checked.add(str(file))
            text = path.read_text(encoding="utf-8")
            problems += unquoted_numbers(str(file), text, quotes[str(file)], entries)
    for entry in entries:
        if entry.file not in checked:
            reason = "not-claims entry names a text that is not checked"
            problems.append(
                NumberProblem(entry.file, 0, "; ".join(entry.numbers), entry.context, reason)
            )
    return problems
