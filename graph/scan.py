"""A fast first look at an N-Triples input: how many triples, and those the derivation reads.

A load into an on-disk store is all or nothing by itself (:mod:`geokg.graph.undo`): the bulk
loader parses the input, and a syntax error anywhere puts the store back as it was. What the
load needs to know beforehand is only the number of triples (for its report) and the triples
the derived graph reads (:func:`geokg.graph.derivation.is_input`, for the incremental
derivation). For N-Triples both come from the bytes without a Python object per triple:

- N-Triples has one triple a line (pyoxigraph refuses a line with two, or a triple over two
  lines), so the triples are the lines that are neither blank nor a comment;
- the derivation reads a triple only if its predicate is one of the ontology's input
  predicates, or ``rdf:type`` with the object ``gk:Treaty``: each such line names one of
  these IRIs in full, so only the lines that do are parsed (by pyoxigraph), then filtered
  exactly with :func:`~geokg.graph.derivation.is_input`.

An IRI may be written with ``\\u`` escapes, which would hide it from a look at the bytes: an
input with a ``\\u`` or ``\\U`` anywhere is not scanned (:func:`scan_ntriples` returns None,
and the caller parses it through). The scan never judges the syntax: a line it counts that
is not a triple makes the bulk load fail, and the store is put back.

>>> import io
>>> data = (b'# a comment\\n\\n<https://example.org/t> '
...         b'<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
...         b'<https://w3id.org/geokg/ontology#Treaty> .\\n'
...         b'<https://example.org/t> <http://www.w3.org/2000/01/rdf-schema#label> "T" .\\n')
>>> count, inputs = scan_ntriples(io.BytesIO(data))
>>> count, [t.subject.value for t in inputs]
(2, ['https://example.org/t'])
>>> scan_ntriples(io.BytesIO(b'<a:s> <a:p> "\\\\u00e9" .\\n')) is None
True
"""

from __future__ import annotations

import re
from typing import IO

import pyoxigraph as ox

from .derivation import GK, INPUT_PREDICATES, is_input

#: The IRIs a line must name for the derivation to read its triple.
_NAMED = re.compile(
    rb"<"
    + re.escape(GK.encode())
    + rb"(?:"
    + b"|".join(re.escape(name.encode()) for name in (*INPUT_PREDICATES, "Treaty"))
    + rb")>"
)
#: A line (after the first) that holds no triple: blank, or a comment.
_EMPTY_LINE = re.compile(rb"\n[ \t\r]*(?=[#\n])")
_CHUNK = 1 << 22


def scan_ntriples(stream: IO[bytes]) -> tuple[int, list] | None:
    """(number of triples, the triples the derivation reads) of the N-Triples ``stream``,
    or None if it has ``\\u`` escapes (then parse it through). Reads ``stream`` to its end."""
    count, picked, rest = 0, [], b""
    while True:
        chunk = stream.read(_CHUNK)
        data = rest + chunk
        if chunk:  # whole lines only; the rest waits for the next chunk
            cut = data.rfind(b"\n") + 1
            data, rest = data[:cut], data[cut:]
        elif not data:
            break
        else:
            data, rest = data + b"\n", b""  # the last line, without its line end
        if b"\\u" in data or b"\\U" in data:
            return None
        count += _triples_in(data)
        picked.extend(_lines_naming(data))
        if not chunk:
            break
    inputs = []
    if picked:
        for triple in ox.parse(b"\n".join(picked), format=ox.RdfFormat.N_TRIPLES):
            if is_input(triple):
                inputs.append(triple)
    return count, inputs


def _triples_in(block: bytes) -> int:
    """The lines of ``block`` (whole lines, each ending with a line end) that are neither
    blank nor a comment."""
    lines = block.count(b"\n")
    empty = len(_EMPTY_LINE.findall(block))
    first = block[: block.find(b"\n")].strip()
    if not first or first.startswith(b"#"):
        empty += 1
    return lines - empty


def _lines_naming(block: bytes) -> list[bytes]:
    """The lines of ``block`` that name an IRI the derivation reads (each once)."""
    lines, last = [], -1
    for match in _NAMED.finditer(block):
        start = block.rfind(b"\n", 0, match.start()) + 1
        if start == last:
            continue
        last = start
        end = block.find(b"\n", match.end())
        lines.append(block[start : end if end >= 0 else len(block)])
    return lines
