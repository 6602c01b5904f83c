"""What a query or update would make the server fetch (SERVICE, LOAD), its dataset, its depth.

A SPARQL tokenizer (comments, all four kinds of string literal, IRIs, variables,
prefixed names) finds the keywords where the grammar sees them, so a keyword in
a comment or a string does not count and one hidden by odd spacing does.
Prefixed names and relative IRIs are resolved with the PREFIX and BASE
declarations seen so far. SPARQL lets ``\\uXXXX`` escapes appear anywhere, so the
text is read both as written and with escapes decoded; whatever either reading
finds is reported.

It fails closed: a SERVICE or LOAD keyword glued to what follows (``SERVICE:x``,
``loAD<x>``, ``trueSERVICE<x>``, a prefix ``service:``), or a text whose reading
is ambiguous (an IRI that the engine might read as a ``<`` operator), is
reported with the target ``None``, which no allow-list admits. This is the
courtesy layer that gives a clear 400; what cannot be fooled is that the
processes running queries and updates have no network (:mod:`geokg.api.sandbox`).

Each pass is linear in the size of the text (possessive patterns, no
backtracking), and nesting deeper than :data:`MAX_DEPTH` or an operator chain
longer than :data:`MAX_CHAIN` raises :class:`TooComplex` (the engine's parser
would overflow its stack).

>>> found = inspect('PREFIX ex: <http://ex.org/> # SERVICE <http://a/>\\n'
...                 'SELECT * FROM ex:g { SERVICE SILENT <http://b/> { ?s ?p "SERVICE <c>" } }')
>>> found.form, found.services, found.from_default
('SELECT', ['http://b/'], ['http://ex.org/g'])
>>> inspect('SELECT * { SERVICE:x { ?s ?p ?o } }').services
[None]
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

#: Deepest nesting of { ( [ accepted (pyoxigraph's parser overflows its stack near 3,000).
MAX_DEPTH = 250
#: Most binary operators (/ | + - * && || = < > UNION …) at one level of nesting (the engine
#: overflows near 20,000).
MAX_CHAIN = 2_000

_NAME_CHARS = r"[\w.\-\u00b7]"
_TOKEN = r"""
    \s*+(?: (?P<open>[{(\[]++)
  | (?P<close>[})\]]++)
  | (?P<comment>\#[^\r\n]*+)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*+'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*+\"\"\"
      |'(?:[^'\\\r\n]|\\.)*+'|"(?:[^"\\\r\n]|\\.)*+")
  | (?P<quote>['"])
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*+>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]++)
  | (?P<pname>(?:[^\W\d]NAME*+)?:(?:[\w:%.\-\u00b7]|\\[^\s])*+)
  | (?P<word>[^\W\d]NAME*+)
  | (?P<op>[/|^+*\-&=<>!]++)
  | (?P<other>\S) )
""".replace("NAME", _NAME_CHARS)
_TOKENS = re.compile(_TOKEN, re.VERBOSE | re.DOTALL)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_KEYWORDS = ("SERVICE", "LOAD")
FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
#: Unterminated quotes tolerated before the text counts as unreadable (each costs a line).
_MAX_LOOSE_QUOTES = 8


_SKIPPED = frozenset(["comment", "string", "var", "other"])


#: IRIs up to this length are resolved once per base (the same PREFIX lines come back in
#: query after query); longer ones each time, so that the memory stays small.
_REMEMBERED_IRI = 200
_resolve_remembered = functools.lru_cache(maxsize=4096)(urljoin)


def _resolve(base: str, iri: str) -> str:
    """``urljoin(base, iri)``, remembered for short IRIs."""
    if len(iri) + len(base) <= _REMEMBERED_IRI:
        return _resolve_remembered(base, iri)
    return urljoin(base, iri)


class TooComplex(ValueError):
    """The query nests or chains deeper than the engine can parse safely."""


@dataclass
class Inspection:
    """What a query or update refers to outside the store (IRIs resolved; None: unsure)."""

    form: str | None = None
    services: list[str | None] = field(default_factory=list)
    from_default: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    loads: list[str | None] = field(default_factory=list)

    def merge(self, other: Inspection) -> None:
        self.form = self.form or other.form
        for name in ("services", "from_default", "from_named", "loads"):
            mine = getattr(self, name)
            mine.extend(x for x in getattr(other, name) if x not in mine)


def _unescape(text: str) -> str:
    def decode(match: re.Match) -> str:
        try:
            return chr(int(match.group(1) or match.group(2), 16))
        except ValueError:
            return match.group(0)

    return _ESCAPE.sub(decode, text)


def _keywords_in(text: str) -> list[str]:
    """The fetching keywords that occur anywhere in ``text`` (case-insensitive)."""
    upper = text.upper()
    return [k for k in _KEYWORDS if k in upper]


class _Scanner:
    """One pass over the tokens of one reading of the text."""

    def __init__(self, text: str, base: str):
        self.text, self.base = text, base
        self.found = Inspection()
        self.prefixes: dict[str, str] = {}
        self.depth = self.max_depth = 0
        self.chains = [0]
        self.max_chain = 0
        self.loose_quotes = 0
        self.quoted_iri = False  # an IRI with ' in it: the engine may see a string there
        # Whether SERVICE or LOAD occurs at all: every keyword found is in a piece of the text
        # (upper() works letter by letter), so without one there is nothing to look for.
        self.fetching = bool(_keywords_in(text))

    def flag(self, keywords, target: str | None = None) -> None:
        for keyword in keywords:
            (self.found.services if keyword == "SERVICE" else self.found.loads).append(target)

    def tokens(self):
        """The words, prefixed names and IRIs; the other tokens are counted here."""
        chains = self.chains
        for match in _TOKENS.finditer(self.text):
            kind = match.lastgroup
            if kind in _SKIPPED:
                continue
            value = match.group(kind)
            if kind == "open":
                self.depth += len(value)
                self.max_depth = max(self.max_depth, self.depth)
                chains.extend([0] * min(len(value), MAX_DEPTH + 1 - len(chains)))
                continue
            if kind == "close":
                self.depth = max(0, self.depth - len(value))
                del chains[max(1, len(chains) - len(value)) :]
                continue
            elif kind == "op" or (kind == "word" and value.upper() == "UNION"):
                chains[-1] += 1
                self.max_chain = max(self.max_chain, chains[-1])
                if kind == "op":
                    continue
            elif kind == "quote":
                self.loose_quotes += 1
                if self.loose_quotes > _MAX_LOOSE_QUOTES:  # unreadable: refuse rather than guess
                    raise TooComplex(
                        f"more than {_MAX_LOOSE_QUOTES} quotes open no string: "
                        "the text cannot be read safely"
                    )
                continue
            elif kind == "iri" and self.fetching:
                self._ambiguous_iri(match)
            yield kind, value

    def _ambiguous_iri(self, match: re.Match) -> None:
        """``<…>`` that the engine may read as a less-than: what it may hide (fail closed)."""
        content = match.group("iri")[1:-1]
        if ")" in content:
            self.flag(_keywords_in(content))
        if "'" in content and not self.quoted_iri:
            self.quoted_iri = True
            self.flag(_keywords_in(self.text[match.end() :]))

    def iri(self, kind: str, value: str) -> str | None:
        if kind == "iri":
            iri = _unescape(value[1:-1])
            return _resolve(self.base, iri) if self.base else iri
        if kind == "pname":
            prefix, _, local = value.rstrip(".").partition(":")
            return self.prefixes.get(prefix, f"{prefix}:") + re.sub(r"\\(.)", r"\1", local)
        return None

    def glued(self, kind: str, value: str) -> list[str]:
        """Fetching keywords in a word or a prefix, which the engine may read split off."""
        if kind == "word":
            return [] if value.upper() in _KEYWORDS else _keywords_in(value)
        if kind == "pname":
            prefix, _, local = value.partition(":")
            dotted = local.upper().split(".")[1:]
            return _keywords_in(prefix) + [k for k in _KEYWORDS if any(k in d for d in dotted)]
        return []

    def run(self) -> Inspection:
        stream = self.tokens()
        pending: list[tuple[str, str]] = []

        def next_token() -> tuple[str, str]:
            return pending.pop() if pending else next(stream, ("end", ""))

        while True:
            kind, value = next_token()
            if kind == "end":
                break
            word = value.upper() if kind == "word" else None
            if self.fetching:
                self.flag(self.glued(kind, value))
            if word == "PREFIX":
                name, target = next_token(), next_token()
                self.prefixes[name[1].rstrip(":")] = self.iri(*target) or ""
                self.flag(self.glued(*target))
            elif word == "BASE":
                target = next_token()
                self.base = self.iri(*target) or self.base
            elif word in FORMS and self.found.form is None:
                self.found.form = word
            elif word in _KEYWORDS:
                target = next_token()
                if target[0] == "word" and target[1].upper() == "SILENT":
                    target = next_token()
                pending.append(target)
                self.flag([word], self.iri(*target))
            elif word in ("FROM", "USING"):
                target = next_token()
                named = target[0] == "word" and target[1].upper() == "NAMED"
                if named:
                    target = next_token()
                pending.append(target)
                iri = self.iri(*target) or ""
                (self.found.from_named if named else self.found.from_default).append(iri)
        if self.max_depth > MAX_DEPTH:
            raise TooComplex(f"nested {self.max_depth:,} deep; the limit is {MAX_DEPTH}")
        if self.max_chain > MAX_CHAIN:
            raise TooComplex(
                f"{self.max_chain:,} operators in a row (paths, UNION, arithmetic); "
                f"the limit is {MAX_CHAIN:,}"
            )
        return self.found


def inspect(text: str, base: str = "") -> Inspection:
    """The form and the outside references of a query or update, read both ways.

    ``base``: the base IRI the engine resolves relative IRIs against (the endpoint's URL).
    Raises :class:`TooComplex` past the depth limits. Linear in the length of ``text``.
    """
    found = _Scanner(text, base).run()
    decoded = _unescape(text)
    if decoded != text:
        found.merge(_Scanner(decoded, base).run())
    return found


def with_using(update: str, default: list[str], named: list[str]) -> str:
    """``update`` with ``USING`` / ``USING NAMED`` clauses added before the WHERE of each
    DELETE/INSERT operation: the update protocol's ``using-graph-uri`` and
    ``using-named-graph-uri``. ValueError if the update names its own (USING, WITH), or is
    written with ``\\u`` escapes (the keywords could not be told for sure).

    >>> with_using("INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }", ["urn:a"], ["urn:b"])
    'INSERT { ?s ?p 1 } USING <urn:a> USING NAMED <urn:b> WHERE { ?s ?p ?o }'
    """
    if _ESCAPE.search(update):
        raise ValueError("an update written with \\u escapes cannot take using-graph-uri")
    clause = "".join(f"USING <{g}> " for g in default) + "".join(
        f"USING NAMED <{g}> " for g in named
    )
    cuts, depth, modify, previous = [], 0, False, ""
    for match in _TOKENS.finditer(update):
        kind = match.lastgroup
        value = match.group(kind)
        before, previous = previous, value.upper()
        if kind == "open":
            depth += len(value)
        elif kind == "close":
            depth -= len(value)
        elif depth == 0 and kind == "word":
            word = value.upper()
            if word in ("USING", "WITH"):
                raise ValueError(
                    "the update names its dataset (USING or WITH): "
                    "no using-graph-uri or using-named-graph-uri as well"
                )
            if word in ("DELETE", "INSERT"):
                modify = True
            elif word == "DATA" or (word == "WHERE" and (before == "DELETE" or not modify)):
                modify = False  # INSERT DATA, DELETE DATA, DELETE WHERE: no USING there
            elif word == "WHERE" and modify:
                cuts.append(match.start(kind))
                modify = False
        elif depth == 0 and kind == "other" and value == ";":
            modify = False
    for cut in reversed(cuts):
        update = update[:cut] + clause + update[cut:]
    return update
