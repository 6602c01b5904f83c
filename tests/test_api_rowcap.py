"""The row cap on pyoxigraph's own serialisers (geokg.api.worker): the first N rows, exactly.

Each capped answer is compared with the uncapped answer that pyoxigraph serialises, both read
back with the standard library (json, xml.etree, csv, plain lines) or rdflib: the capped one
must hold exactly its first ``max_rows`` rows, and say it was cut exactly when there were more.
The data put every separator the formats use inside literals (tab, newline, CRLF, comma,
quotes, ``},{``, ``<result>``), with language tags, datatypes, blank nodes and unbound
variables.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
import rdflib
from geokg.api import worker

EX = "http://example.org/"
TRICKY = [
    "plain",
    "tab\there",
    "new\nline",
    "crlf\r\nrow",
    'quote " and \\ backslash',
    "comma, and ; semicolon",
    '},{"s":{}} and }},{',
    "<result><binding name='x'/></result>",
    "?x\t?y",
    "",
]
ROWS = 40
QUERY = (
    f"SELECT ?s ?label ?n ?b WHERE {{ ?s <{EX}label> ?label . OPTIONAL {{ ?s <{EX}n> ?n }} "
    f"OPTIONAL {{ ?s <{EX}b> ?b }} }} ORDER BY ?s"
)
CONSTRUCT = f"CONSTRUCT {{ ?s <{EX}label> ?label }} WHERE {{ ?s <{EX}label> ?label }} ORDER BY ?s"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    for i in range(ROWS):
        s = ox.NamedNode(f"{EX}s{i:03d}")
        text = TRICKY[i % len(TRICKY)]
        label = ox.Literal(text, language="fr") if i % 3 == 0 else ox.Literal(f"{text} {i}")
        store.add(ox.Quad(s, ox.NamedNode(f"{EX}label"), label))
        if i % 2:
            store.add(
                ox.Quad(
                    s,
                    ox.NamedNode(f"{EX}n"),
                    ox.Literal(
                        str(i * 1.5),
                        datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"),
                    ),
                )
            )
        if i % 4 == 1:
            store.add(ox.Quad(s, ox.NamedNode(f"{EX}b"), ox.BlankNode(f"b{i}")))
    return store


class _Elsewhere:
    """A store that answers once (as the remote executor's): no second run possible."""

    def __init__(self, store: ox.Store):
        self.store = store

    def query(self, sparql, **options):
        return self.store.query(sparql, **options)


def _rows(fmt: str, data: bytes) -> list:
    """The rows of a SELECT answer, read with the standard library."""
    if fmt == "json":
        return json.loads(data)["results"]["bindings"]
    if fmt == "xml":
        ns = "{http://www.w3.org/2005/sparql-results#}"
        results = ET.fromstring(data).find(f"{ns}results")
        return [ET.tostring(r) for r in results.findall(f"{ns}result")]
    if fmt == "csv":
        return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))[1:]
    return data.decode("utf-8").split("\n")[1:-1]  # TSV: one row a line, the header first


def _ask(store, fmt: str, max_rows: int | None, query: str = QUERY, **extra) -> tuple:
    request = {"query": query, "results": fmt, "rdf": fmt, "max_rows": max_rows, **extra}
    return worker.execute(store, request)


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
@pytest.mark.parametrize("max_rows", [0, 1, 7, ROWS - 1, ROWS, ROWS + 1, 100_000])
@pytest.mark.parametrize("again", [True, False], ids=["store", "answered-once"])
def test_capped_solutions_are_the_first_rows(store, fmt, max_rows, again):
    native = store.query(QUERY).serialize(format=worker.RESULTS_FORMATS[fmt])
    whole = _rows(fmt, native)
    assert len(whole) == ROWS
    reply = _ask(store if again else _Elsewhere(store), fmt, max_rows)
    assert reply[0] == "ok", reply
    _, kind, media, data, truncated = reply
    assert (kind, media) == ("solutions", fmt)
    assert _rows(fmt, data) == whole[:max_rows]
    assert truncated == (ROWS > max_rows)
    if not truncated:
        assert data == native  # byte for byte pyoxigraph's answer


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_no_cap_is_the_native_answer(store, fmt):
    reply = _ask(store, fmt, None)
    assert reply[3] == store.query(QUERY).serialize(format=worker.RESULTS_FORMATS[fmt])
    assert reply[4] is False


@pytest.mark.parametrize("fmt", ["json", "tsv"])
def test_answer_past_the_size_limit_is_refused(store, fmt):
    size = len(store.query(QUERY).serialize(format=worker.RESULTS_FORMATS[fmt]))
    assert _ask(store, fmt, 100_000, max_bytes=size)[0] == "ok"
    reply = _ask(store, fmt, 100_000, max_bytes=size - 1)
    assert reply[0] == "limit" and f"{size - 1:,} bytes" in reply[1]


RDF_PARSE = {"nt": "nt", "ttl": "turtle", "jsonld": "json-ld", "rdf": "xml"}


@pytest.mark.parametrize("fmt", ["nt", "ttl", "jsonld", "rdf"])
@pytest.mark.parametrize("max_rows", [0, 5, ROWS, None])
def test_capped_triples_are_the_first_triples(store, fmt, max_rows):
    lines = store.query(CONSTRUCT).serialize(format=ox.RdfFormat.N_TRIPLES).decode().splitlines()
    assert len(lines) == ROWS
    expected = rdflib.Graph().parse(data="\n".join(lines[:max_rows]), format="nt")
    reply = _ask(store, fmt, max_rows, CONSTRUCT, prefixes={"ex": EX})
    assert reply[0] == "ok", reply
    got = rdflib.Graph().parse(data=reply[3], format=RDF_PARSE[fmt])
    assert _lines_ended(got, fmt) == _lines_ended(expected, fmt)
    assert reply[4] == (max_rows is not None and ROWS > max_rows)


def _lines_ended(graph: rdflib.Graph, fmt: str) -> set:
    """The triples; for RDF/XML with CRLF read as LF (XML's end-of-line handling)."""
    if fmt != "rdf":
        return set(graph)
    return {
        (s, p, rdflib.Literal(str(o).replace("\r\n", "\n"), lang=o.language, datatype=o.datatype))
        for s, p, o in graph
    }


def test_boolean_answer(store):
    reply = worker.execute(store, {"query": f"ASK {{ ?s <{EX}label> ?o }}", "results": "json"})
    assert reply[0] == "ok" and json.loads(reply[3])["boolean"] is True
