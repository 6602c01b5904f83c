"""Find entities by any of their names: every ``rdfs:label`` and ``skos:altLabel``, in any
language, ignoring case and accents.

The search text is cut into words of letters and digits (anything else separates words); an
entity matches when one of its labels or aliases contains every word, a letter of the text
matching that letter with or without an accent, in either case. So ``Koursk`` finds Kursk
Oblast by its French label "Oblast de Koursk", ``KCIA`` finds South Korea's National
Intelligence Service by its French alias, ``cote d'ivoire`` finds "Côte d'Ivoire".

The store picks the candidates in one pass over the names: a name in plain ASCII must contain
every word as it is (in lower case), which decides the match; a name with any other character
(an accent, a Cyrillic or Korean letter) is read, folded here (Unicode decomposition, accents
dropped, lower case) and compared. The words reach the SPARQL query only as letters and digits,
in escaped string literals; the query holds no pattern made from the text, and the work is
linear in its length. (One portable query for Oxigraph and remote stores alike: Virtuoso's
regular expressions compare bytes, not letters.)

>>> from geokg.graph import open_store
>>> found = search(open_store(None), "Koursk")
>>> "https://w3id.org/geokg/id/place/kursk-oblast" in [m.iri for m in found.matches]
True
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .errors import GeokgError

#: The longest search text accepted (characters).
MAX_LENGTH = 200
#: Candidate names read from the store at most; past it the result says it is incomplete.
MAX_ROWS = 20_000

_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_WORD = re.compile(r"[^\W_]+")
_BAD_IRI = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_LABEL_PREFERENCE = ("en", "", "fr")


class SearchError(GeokgError):
    """A search text that cannot be searched for (too long)."""


def fold(text: str) -> str:
    """``text`` without accents, in lower case: what the search compares.

    >>> fold("Oblast de KOURSK"), fold("Côte d'Ivoire"), fold("Corée du Nord")
    ('oblast de koursk', "cote d'ivoire", 'coree du nord')
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def words(text: str) -> list[str]:
    """The words of a search text, folded: letters and digits only, in order, each once.

    >>> words('  Kursk <script>"oblast"\\\\ kursk ')
    ['kursk', 'script', 'oblast']
    """
    return list(dict.fromkeys(_WORD.findall(fold(text))))


def sparql_string(text: str) -> str:
    """``text`` as a SPARQL string literal, escaped (quotes, backslashes, line breaks).

    >>> print(sparql_string('say "hi"\\\\'))
    "say \\"hi\\"\\\\"
    """
    escapes = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return '"' + "".join(escapes.get(c, c) for c in text) + '"'


def search_query(found: list[str], limit: int = MAX_ROWS) -> str:
    """The SELECT of candidate (entity, name) pairs: plain-ASCII names that contain every
    word of ``found``, and every name with a character outside ASCII.

    >>> print(search_query(["kursk"], 10))  # doctest: +NORMALIZE_WHITESPACE
    SELECT ?entity ?label WHERE {
      { ?entity <http://www.w3.org/2000/01/rdf-schema#label> ?label }
      UNION { ?entity <http://www.w3.org/2004/02/skos/core#altLabel> ?label }
      FILTER(isIRI(?entity) && isLiteral(?label)
        && ((CONTAINS(LCASE(STR(?label)), "kursk")) || REGEX(STR(?label), "[^ -~]")))
    } LIMIT 11
    """
    every = " && ".join(f"CONTAINS(LCASE(STR(?label)), {sparql_string(w)})" for w in found)
    return f"""SELECT ?entity ?label WHERE {{
  {{ ?entity <{_RDFS_LABEL}> ?label }}
  UNION {{ ?entity <{_SKOS_ALT}> ?label }}
  FILTER(isIRI(?entity) && isLiteral(?label)
    && (({every}) || REGEX(STR(?label), "[^ -~]")))
}} LIMIT {limit + 1}"""


@dataclass
class Match:
    """An entity found: its IRI, its display label, the names that matched, its types."""

    iri: str
    label: str
    matched: list[tuple[str, str]] = field(default_factory=list)  # (text, language tag)
    types: list[str] = field(default_factory=list)
    rank: tuple = ()


@dataclass
class SearchResult:
    """The entities that match ``text``, best first; ``total`` of them (``complete`` when
    every matching label was read)."""

    text: str
    words: list[str]
    matches: list[Match]
    total: int
    complete: bool = True


def _rank(label: str, phrase: str, found: list[str]) -> int:
    """0: the label is the text (word for word); 1: it starts with it; 2: every word of the
    text starts a word of the label; 3: the words are inside words of the label."""
    own = _WORD.findall(fold(label))
    joined = " ".join(own)
    if joined == phrase:
        return 0
    if joined.startswith(phrase):
        return 1
    if all(any(s.startswith(w) for s in own) for w in found):
        return 2
    return 3


def search(kg, text: str, limit: int = 50) -> SearchResult:
    """The entities whose labels or aliases contain every word of ``text`` (any case, any
    accent, English, French or any other language), best matches first, at most ``limit``.

    Raises :class:`SearchError` for a text longer than :data:`MAX_LENGTH` characters.

    >>> from geokg.graph import open_store
    >>> best = search(open_store(None), "kcia").matches[0]
    >>> best.iri, best.label, best.matched
    ('https://w3id.org/geokg/id/org/nis', 'National Intelligence Service (South Korea)', [('KCIA', 'fr')])
    """
    if len(text) > MAX_LENGTH:
        raise SearchError(
            f"the search text is too long: at most {MAX_LENGTH} characters (got {len(text)})"
        )
    found = words(text)
    if not found:
        return SearchResult(text, found, [], 0)
    rows = kg.query(search_query(found))
    complete = len(rows) <= MAX_ROWS
    phrase = " ".join(_WORD.findall(fold(text)))
    by_iri: dict[str, Match] = {}
    for entity, label in list(rows)[:MAX_ROWS]:
        folded = fold(str(label))
        if not all(word in folded for word in found):
            continue
        match = by_iri.setdefault(str(entity), Match(str(entity), ""))
        name = (str(label), label.language or "")
        if name not in match.matched:
            match.matched.append(name)
        rank = (_rank(name[0], phrase, found), len(name[0]))
        match.rank = min(match.rank, rank) if match.rank else rank
    ordered = sorted(by_iri.values(), key=lambda m: (m.rank, m.iri))[:limit]
    _describe(kg, ordered)
    return SearchResult(text, found, ordered, len(by_iri), complete)


def _describe(kg, matches: list[Match]) -> None:
    """Fill in each match's display label (English first) and types, in one query."""
    values = " ".join(f"<{m.iri}>" for m in matches if not _BAD_IRI.search(m.iri))
    query = (
        f"SELECT ?entity ?p ?o WHERE {{ VALUES ?entity {{ {values} }} "
        f"VALUES ?p {{ <{_RDFS_LABEL}> <{_RDF_TYPE}> }} ?entity ?p ?o }}"
    )
    rows = kg.query(query) if values else []
    labels: dict[str, dict[str, str]] = {}
    types: dict[str, list[str]] = {}
    for entity, p, o in rows:
        if str(p) == _RDF_TYPE:
            types.setdefault(str(entity), []).append(str(o))
        else:
            labels.setdefault(str(entity), {}).setdefault(o.language or "", str(o))
    for m in matches:
        own = labels.get(m.iri, {})
        preferred = [own[lang] for lang in _LABEL_PREFERENCE if lang in own]
        m.label = (preferred or list(own.values()) or [m.matched[0][0]])[0]
        m.types = sorted(set(types.get(m.iri, [])))
