"""What a query or update would make the server fetch: SERVICE, FROM, USING, LOAD targets.

A SPARQL tokenizer (comments, all four kinds of string literal, IRIs, variables,
prefixed names) finds the keywords where the grammar sees them, so a keyword in
a comment or a string does not count and one hidden by odd spacing does.
Prefixed names and relative IRIs are resolved with the PREFIX and BASE
declarations seen so far. SPARQL lets ``\\uXXXX`` escapes appear anywhere, so the
text is read both as written and with escapes decoded; whatever either reading
finds is reported.

>>> found = inspect('PREFIX ex: <http://ex.org/> # SERVICE <http://a/>\\n'
...                 'SELECT * FROM ex:g { SERVICE SILENT <http://b/> { ?s ?p "SERVICE <c>" } }')
>>> found.form, found.services, found.from_default
('SELECT', ['http://b/'], ['http://ex.org/g'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      |'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*")
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<pname>(?:[^\W\d][\w.\-\u00b7]*)?:(?:[\w:%.\-\u00b7]|\\[^\s])*)
  | (?P<word>[^\W\d]\w*)
  | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


@dataclass
class Inspection:
    """What a query or update refers to outside the store (IRIs resolved; None: a variable)."""

    form: str | None = None
    services: list[str | None] = field(default_factory=list)
    from_default: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    loads: list[str] = field(default_factory=list)

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


def _tokens(text: str) -> list[tuple[str, str]]:
    return [
        (m.lastgroup, m.group()) for m in _TOKEN.finditer(text) if m.lastgroup not in ("comment",)
    ]


def _scan(text: str) -> Inspection:
    found = Inspection()
    tokens = _tokens(text)
    prefixes: dict[str, str] = {}
    base = ""

    def iri_of(i: int) -> tuple[str | None, bool]:
        """The IRI at token i (None for a variable) and whether token i is an IRI at all."""
        if i >= len(tokens):
            return None, False
        kind, value = tokens[i]
        if kind == "iri":
            return urljoin(base, _unescape(value[1:-1])) if base else _unescape(value[1:-1]), True
        if kind == "pname":
            value = value.rstrip(".")
            prefix, _, local = value.partition(":")
            local = re.sub(r"\\(.)", r"\1", local)
            return prefixes.get(prefix, f"{prefix}:") + local, True
        if kind == "var":
            return None, True
        return None, False

    i = 0
    while i < len(tokens):
        kind, value = tokens[i]
        word = value.upper() if kind == "word" else None
        nxt = tokens[i + 1][1].upper() if i + 1 < len(tokens) else ""
        if word == "PREFIX" and i + 2 < len(tokens):
            target, _ = iri_of(i + 2)
            prefixes[tokens[i + 1][1].rstrip(":")] = target or ""
            i += 3
            continue
        if word == "BASE":
            target, _ = iri_of(i + 1)
            base = target or base
            i += 2
            continue
        if word in FORMS and found.form is None:
            found.form = word
        elif word == "SERVICE" or word == "LOAD":
            j = i + 2 if nxt == "SILENT" else i + 1
            target, is_iri = iri_of(j)
            (found.services if word == "SERVICE" else found.loads).append(
                target if is_iri else None
            )
        elif word in ("FROM", "USING"):
            named = nxt == "NAMED"
            target, is_iri = iri_of(i + 2 if named else i + 1)
            (found.from_named if named else found.from_default).append(target or "")
        i += 1
    return found


def inspect(text: str) -> Inspection:
    """The form and the outside references of a query or update, read both ways."""
    found = _scan(text)
    decoded = _unescape(text)
    if decoded != text:
        found.merge(_scan(decoded))
    return found
