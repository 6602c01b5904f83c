"""Check that every quote in the store is verbatim in the text of the source it cites.

A claim's ``gk:quote`` must be found, character for character, in the text of the document
it is ``prov:wasDerivedFrom``; the document names its text file with ``gk:fileName``. The
article texts are not shipped with geokg: the caller gives the folder that holds them.

>>> import geokg, tempfile, pathlib
>>> kg = geokg.open_store(None)
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> problems = check_quotes(kg, folder)        # no texts at all: every quote is reported
>>> problems[0].reason
'source text not found'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .store import KnowledgeGraph

QUOTES = """
PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?claim ?source ?file ?quote WHERE {
  ?claim gk:quote ?quote ; prov:wasDerivedFrom ?source .
  OPTIONAL { ?source gk:fileName ?file }
}
ORDER BY ?file ?claim
"""


@dataclass(frozen=True)
class QuoteProblem:
    """One quote that could not be found verbatim in its source's text."""

    claim: str
    source: str
    file: str | None
    quote: str
    reason: str

    def __str__(self) -> str:
        where = self.file or self.source
        return f"{self.claim}: {self.reason} ({where}): «{self.quote[:80]}»"


def check_quotes(kg: KnowledgeGraph, sources: Path | str) -> list[QuoteProblem]:
    """Every quote of the store that is not verbatim in its source text, with the reason.

    ``sources`` is a folder holding the source documents' texts, under the file names that
    their ``gk:fileName`` gives. A quote passes only if it occurs exactly (same characters,
    non-breaking spaces included) in the text of each source it is derived from. A claim whose
    source has no ``gk:fileName`` (a data set, say) is not checked. Checked quotes that pass
    are not listed; an empty list means every quote was found.
    """
    folder = Path(sources)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such folder of source texts")
    texts: dict[str, str | None] = {}
    problems: list[QuoteProblem] = []
    for claim, source, file, quote in kg.query(QUOTES):
        if file is None:
            continue
        name = str(file)
        if name not in texts:
            path = folder / name
            texts[name] = path.read_text(encoding="utf-8") if path.is_file() else None
        text = texts[name]
        reason = None
        if text is None:
            reason = "source text not found"
        elif str(quote) not in text:
            reason = "quote not verbatim in its source"
        if reason:
            problems.append(QuoteProblem(str(claim), str(source), name, str(quote), reason))
    return problems


def count_quotes(kg: KnowledgeGraph) -> int:
    """How many (claim, source text) pairs ``check_quotes`` examines.

    >>> import geokg
    >>> count_quotes(geokg.open_store(None)) > 90
    True
    """
    return sum(1 for row in kg.query(QUOTES) if row[2] is not None)
