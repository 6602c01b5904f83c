"""Run SPARQL queries for the endpoint, in a worker process or in the server's own process.

As a script (``python worker.py STORE_PATH [--network]``) this is a query worker: it
first shuts itself off from the network (:mod:`geokg.api.sandbox`; unless ``--network``,
given when SERVICE is allowed for some IRIs), then opens
the on-disk store read-only and answers requests framed on standard input
(a 4-byte big-endian length, then a pickle) with replies framed the same way
on standard output. It imports pyoxigraph only, so it starts fast, and the
server can kill it at any moment (a query past its time limit) without harm:
it never writes.

:func:`execute` is the whole job, also used in-process for in-memory stores.
A request is a dict: ``query``, ``results`` (json/xml/csv/tsv), ``rdf``
(ttl/nt/jsonld/rdf), ``union``, ``default_graph``, ``named_graphs`` (lists of
IRIs or None), ``max_rows`` (int or None), ``prefixes`` (dict: predeclared for the query, and used
in Turtle output), ``base_iri`` (relative IRIs in the query are resolved against it: the
endpoint's URL) and ``max_bytes`` (int or None: the largest answer). The reply is
``("ok", kind, media_format, bytes, truncated)``, ``("syntax", message)``,
``("limit", message)`` (past the memory or the answer-size limit) or ``("error", message)``.
"""

from __future__ import annotations

import csv
import io
import json
import pickle
import struct
import sys
import time
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RESULTS_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
RDF_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML,
}


def execute(store: ox.Store, request: dict) -> tuple:
    """Run one request against ``store``; never raises."""
    options: dict = {}
    if request.get("default_graph") is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in request["default_graph"]]
        options["named_graphs"] = [ox.NamedNode(g) for g in request.get("named_graphs") or []]
    elif request.get("named_graphs") is not None:
        options["default_graph"] = []
        options["named_graphs"] = [ox.NamedNode(g) for g in request["named_graphs"]]
    elif request.get("union", True):
        options["use_default_graph_as_union"] = True
    if request.get("prefixes"):  # predeclared, as in the CLI; the query's own PREFIX lines win
        options["prefixes"] = request["prefixes"]
    max_rows = request.get("max_rows")
    try:
        result = store.query(request["query"], base_iri=request.get("base_iri"), **options)
        if isinstance(result, ox.QueryBoolean):
            fmt = request["results"]
            return ("ok", "boolean", fmt, result.serialize(format=RESULTS_FORMATS[fmt]), False)
        return _sized(_solutions(result, request, max_rows), request)
    except SyntaxError as error:
        return ("syntax", str(error))
    except MemoryError:
        return ("limit", "the query needed more memory than a query worker may use")
    except Exception as error:  # noqa: BLE001 - every failure becomes a reply
        return ("error", str(error) or error.__class__.__name__)


def _sized(reply: tuple, request: dict) -> tuple:
    """``reply``, or a ``("limit", message)`` reply past ``request["max_bytes"]``."""
    limit = request.get("max_bytes")
    if reply[0] == "ok" and limit is not None and len(reply[3]) > limit:
        return ("limit", f"the answer is larger than the limit of {limit:,} bytes")
    return reply


def _solutions(result, request: dict, max_rows: int | None) -> tuple:
    """Solutions or triples, serialised (capped at ``max_rows``)."""
    if isinstance(result, ox.QuerySolutions):
        fmt = request["results"]
        if max_rows is None:
            return ("ok", "solutions", fmt, result.serialize(format=RESULTS_FORMATS[fmt]), False)
        names = [v.value for v in result.variables]
        rows, truncated = _take(result, max_rows)
        return ("ok", "solutions", fmt, _SERIALIZERS[fmt](names, rows), truncated)
    fmt = request["rdf"]
    triples, truncated = _take(result, max_rows)
    extra = {"prefixes": request["prefixes"]} if fmt == "ttl" and request.get("prefixes") else {}
    return (
        "ok",
        "triples",
        fmt,
        ox.serialize(triples, format=RDF_FORMATS[fmt], **extra),
        truncated,
    )


def _take(iterator, limit: int | None) -> tuple[list, bool]:
    """At most ``limit`` items of ``iterator``, and whether there were more."""
    items = []
    for item in iterator:
        if limit is not None and len(items) >= limit:
            return items, True
        items.append(item)
    return items, False


# -- result serialisers for capped solutions (the native ones take the whole iterator) ---------


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def _json(names: list[str], rows: list) -> bytes:
    bindings = []
    for row in rows:
        bindings.append({n: _json_term(row[n]) for n in names if row[n] is not None})
    doc = {"head": {"vars": names}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            dt = quoteattr(term.datatype.value)
            return f"<literal datatype={dt}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject>"
        f"<predicate>{_xml_term(term.predicate)}</predicate>"
        f"<object>{_xml_term(term.object)}</object></triple>"
    )


def _xml(names: list[str], rows: list) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    out += [f"<variable name={quoteattr(n)}/>" for n in names]
    out.append("</head><results>")
    for row in rows:
        out.append("<result>")
        for n in names:
            if row[n] is not None:
                out.append(f"<binding name={quoteattr(n)}>{_xml_term(row[n])}</binding>")
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode("utf-8")


def _csv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def _csv(names: list[str], rows: list) -> bytes:
    sink = io.StringIO()
    writer = csv.writer(sink, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_csv_term(row[n]) for n in names])
    return sink.getvalue().encode("utf-8")


def _tsv(names: list[str], rows: list) -> bytes:
    lines = ["\t".join(f"?{n}" for n in names)]
    for row in rows:
        lines.append("\t".join("" if row[n] is None else str(row[n]) for n in names))
    return ("\n".join(lines) + "\n").encode("utf-8")


_SERIALIZERS = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}


# -- the worker process -------------------------------------------------------------------------


def _read_frame(stream) -> object | None:
    header = stream.read(4)
    if len(header) < 4:
        return None
    (size,) = struct.unpack(">I", header)
    return pickle.loads(stream.read(size))


def _write_frame(stream, message) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack(">I", len(data)) + data)
    stream.flush()


def _open_read_only(path: str, attempts: int = 20) -> ox.Store:
    """``Store.read_only``, tried again while the writer's compaction removes files under it.

    The open reads the list of the store's files, then the files: a compaction that ends in
    between makes it fail ("Corruption: IO error: No such file or directory … .sst", a
    RuntimeError). A moment later the list is new and the open succeeds (issue 13)."""
    for attempt in range(attempts):
        try:
            return ox.Store.read_only(path)
        except (OSError, RuntimeError):
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def main(path: str, network: bool = False) -> None:
    """Serve requests on stdin/stdout over a read-only open of the store at ``path``."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    from sandbox import limit_memory, seal  # this script's folder, geokg/api, is first on sys.path
    from worker_store import for_queries

    sealed = False if network else seal()  # before the store starts any thread
    try:
        store = for_queries(_open_read_only(path), path)  # on disk, or copied into memory
    except Exception as error:  # noqa: BLE001 - reported to the pool, which starts another
        _write_frame(stdout, ("error", f"cannot open the store read-only: {error}"))
        return
    limit_memory()  # what a query may add to the worker opened on the store
    _write_frame(stdout, ("ready", sealed))
    while True:
        request = _read_frame(stdin)
        if request is None:
            return
        _write_frame(stdout, execute(store, request))


if __name__ == "__main__":
    main(sys.argv[1], network="--network" in sys.argv[2:])
