"""Malformed SPARQL explained in one line, in words, with the line and column.

pyoxigraph's parser reports ``error at 3:14: expected one of OPTIONAL, Prefix not
found, ['%'], …``: the position is useful, the token dump is not. :func:`explain`
keeps the position and says what is wrong: a prefix that is neither declared nor
one of geokg's (:data:`geokg.graph.namespaces.PREFIXES`, predeclared), a query that
ends too early, a word where none fits.

>>> explain("SELECT * { ?s foo:p ?o }", "error at 1:20: expected one of OPTIONAL, Prefix not found")
... # doctest: +ELLIPSIS
QuerySyntaxError('unknown prefix "foo:" at line 1, column 15: declare it (PREFIX foo: <…>) or use one of geokg\\'s prefixes: gk:, id:, ...')
>>> explain("SELECT * { ?s ?p ?o", "error at 1:20: expected one of ...").message
'malformed SPARQL at line 1, column 10: "{" is never closed'
"""

from __future__ import annotations

import bisect
import re

import pyoxigraph as ox

from .errors import QuerySyntaxError
from .namespaces import PREFIXES

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<name>(?:[\w:%.\-\u00b7]|\\[^\s])++)
  | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)


def _tokens(query: str):
    """``(kind, text, offset)`` for each token: comment, string, iri, var, pname, word, other.

    One pass, linear: a run of name characters is one token (possessive, never rescanned from
    each of its positions), a prefixed name when it holds a ``:`` after a prefix that does not
    begin with a digit.

    >>> [(k, v) for k, v, _ in _tokens("ASK { ?s gk:p a.b }")]
    [('word', 'ASK'), ('other', '{'), ('var', '?s'), ('pname', 'gk:p'), ('word', 'a.b'), ('other', '}')]
    """
    for match in _TOKEN.finditer(query):
        kind, value = match.lastgroup, match.group()
        if kind == "name":
            prefix, colon, _ = value.partition(":")
            kind = "pname" if colon and not prefix[:1].isdigit() else "word"
        yield kind, value, match.start()


_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)", re.DOTALL)
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)+)"|\b([A-Z]{2,})\b')
FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


def _locator(text: str):
    """``offset -> (line, column)`` for many offsets of one text, each in logarithmic time
    (counting the newlines before each offset would make a long query quadratic).

    >>> _locator("ab\\ncd")(4)
    (2, 2)
    """
    newlines = [i for i, c in enumerate(text) if c == "\n"]

    def where(offset: int) -> tuple[int, int]:
        before = bisect.bisect_left(newlines, offset)
        start = newlines[before - 1] + 1 if before else 0
        return before + 1, offset - start + 1

    return where


def declared_prefixes(query: str) -> set[str]:
    """The prefixes a query or update declares itself (``PREFIX p: <…>``).

    >>> sorted(declared_prefixes("PREFIX gk: <http://x/> # PREFIX no: <http://n/>\\nASK {}"))
    ['gk']
    """
    declared, previous = set(), ""
    for kind, value, _ in _tokens(query):
        if kind == "comment":
            continue
        if kind == "pname" and previous.upper() == "PREFIX":
            declared.add(value.partition(":")[0])
        previous = value
    return declared


def unknown_prefixes(query: str, known: dict[str, str] = PREFIXES) -> list[tuple[str, int, int]]:
    """The prefixes used but neither declared in ``query`` nor ``known``, with line and column.

    >>> unknown_prefixes('PREFIX ex: <http://e/> SELECT * { ?s ex:p gk:x, foo:y . "a:b" }')
    [('foo', 1, 49)]
    """
    declared: set[str] = set()
    found: dict[str, int] = {}  # prefix -> offset of its first use
    previous = ""
    for kind, value, start in _tokens(query):
        if kind == "pname":
            prefix = value.partition(":")[0]
            if previous.upper() == "PREFIX":
                declared.add(prefix)
            elif prefix not in declared and prefix not in known and prefix not in found:
                found[prefix] = start
        if kind != "comment":
            previous = value
    where = _locator(query)
    return [(prefix, *where(offset)) for prefix, offset in found.items()]


def _unknown_message(prefix: str, line: int, column: int, known: dict[str, str]) -> str:
    listed = ", ".join(f"{p}:" for p in known)
    where = f'unknown prefix "{prefix}:" at line {line}, column {column}: declare it'
    if not known:
        return f"{where} (PREFIX {prefix}: <…>)"
    return f"{where} (PREFIX {prefix}: <…>) or use one of geokg's prefixes: {listed}"


def _offset(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    return sum(len(x) + 1 for x in lines[: line - 1]) + column - 1


def _first_form_word(query: str) -> tuple[str, int] | None:
    """The first word after the prologue (PREFIX and BASE declarations), and its offset."""
    skip = 0
    for kind, value, start in _tokens(query):
        if kind == "comment":
            continue
        if skip:
            skip -= 1
            continue
        upper = value.upper()
        if upper == "PREFIX":
            skip = 2
        elif upper == "BASE":
            skip = 1
        else:
            return value, start
    return None


_CLOSES = {")": "(", "}": "{", "]": "["}


def _brackets(query: str) -> str | None:
    """A bracket that closes nothing or is never closed, or a quote never closed, in words.

    >>> _brackets("ASK { (1 }")
    'malformed SPARQL at line 1, column 10: "}" where the "(" opened at line 1, column 7 is still open'
    """
    opened: list[tuple[str, int]] = []
    where = _locator(query)  # line and column only for the bracket reported: linear
    for kind, value, start in _tokens(query):
        if kind != "other":
            continue
        if value in "\"'":
            line, column = where(start)
            return f"malformed SPARQL at line {line}, column {column}: a string is never closed"
        if value in "({[":
            opened.append((value, start))
        elif value in _CLOSES:
            line, column = where(start)
            if not opened:
                return f'malformed SPARQL at line {line}, column {column}: "{value}" closes nothing'
            if opened[-1][0] != _CLOSES[value]:
                other, at = opened[-1]
                other_line, other_column = where(at)
                return (
                    f'malformed SPARQL at line {line}, column {column}: "{value}" where the '
                    f'"{other}" opened at line {other_line}, column {other_column} is still open'
                )
            opened.pop()
    if opened:
        value, start = opened[-1]
        line, column = where(start)
        return f'malformed SPARQL at line {line}, column {column}: "{value}" is never closed'
    return None


def _in_words(query: str, line: int, column: int, detail: str) -> str:
    where = f"at line {line}, column {column}"
    first = _first_form_word(query)
    if first and first[0].upper() not in FORMS and "CONSTRUCT" in detail:
        line, column = _locator(query)(first[1])
        return (
            f'malformed SPARQL at line {line}, column {column}: "{first[0][:30]}" where a query '
            "begins with SELECT, CONSTRUCT, ASK or DESCRIBE (after its PREFIX and BASE lines)"
        )
    brackets = _brackets(query)
    if brackets:
        return brackets
    offset = _offset(query, line, column)
    if not query[offset:].strip():
        return f"malformed SPARQL {where}: the parser stopped at the end of the query (check the last pattern or expression)"
    found = re.match(r"\S+", query[offset:].lstrip())
    words = f'malformed SPARQL {where}: unexpected "{found.group()[:30]}"' if found else ""
    expected = [a or b for a, b in _QUOTED.findall(detail.split("\n")[0])]
    if 0 < len(expected) <= 4 and "[" not in detail.split("\n")[0]:
        words += " (expected " + " or ".join(f'"{e}"' for e in expected) + ")"
    return words


def explain(query: str, message: str, known: dict[str, str] = PREFIXES) -> QuerySyntaxError:
    """A one-line QuerySyntaxError for ``query``, which a parser rejected with ``message``.

    ``message`` is pyoxigraph's (``error at L:C: …``) or another store's; for the latter the
    query is parsed again by pyoxigraph (on an empty store) to find the position. For an
    update, give ``known={}`` (nothing is predeclared in updates).
    """
    message = message.removeprefix("malformed SPARQL: ")
    unknown = unknown_prefixes(query, known)
    if unknown:
        prefix, line, column = unknown[0]
        return QuerySyntaxError(_unknown_message(prefix, line, column, known), line, column)
    position = _POSITION.match(message)
    if position is None and known:
        try:
            ox.Store().query(query, prefixes=known)
        except SyntaxError as error:
            position = _POSITION.match(str(error))
        except Exception:  # noqa: BLE001 - pyoxigraph accepts it: keep the store's message
            position = None
    if position is None:
        first = message.strip().splitlines()[0] if message.strip() else "rejected by the store"
        text = first if first.startswith("malformed") else f"malformed SPARQL: {first}"
        return QuerySyntaxError(text)
    line, column = int(position.group(1)), int(position.group(2))
    words = _in_words(query, line, column, position.group(3))
    said = re.search(r"at line (\d+), column (\d+)", words)  # where the words point
    if said:
        line, column = int(said.group(1)), int(said.group(2))
    return QuerySyntaxError(words, line, column)
