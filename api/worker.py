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

import pickle
import struct
import sys
import time

import pyoxigraph as ox

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

    def run():
        return store.query(request["query"], base_iri=request.get("base_iri"), **options)

    try:
        result = run()
        if isinstance(result, ox.QueryBoolean):
            fmt = request["results"]
            return ("ok", "boolean", fmt, result.serialize(format=RESULTS_FORMATS[fmt]), False)
        # a second run (see _capped_solutions) needs a store that runs queries afresh
        again = run if isinstance(store, ox.Store) else None
        return _sized(_answer(result, request, again), request)
    except SyntaxError as error:
        return ("syntax", str(error))
    except MemoryError:
        return ("limit", "the query needed more memory than a query worker may use")
    except TooLarge as error:
        return ("limit", str(error))
    except Exception as error:  # noqa: BLE001 - every failure becomes a reply
        return ("error", str(error) or error.__class__.__name__)


def _sized(reply: tuple, request: dict) -> tuple:
    """``reply``, or a ``("limit", message)`` reply past ``request["max_bytes"]``."""
    limit = request.get("max_bytes")
    if reply[0] == "ok" and limit is not None and len(reply[3]) > limit:
        raise TooLarge(limit)
    return reply


def _answer(result, request: dict, again) -> tuple:
    """Solutions or triples, serialised by pyoxigraph (capped at ``request["max_rows"]``)."""
    max_rows, max_bytes = request.get("max_rows"), request.get("max_bytes")
    if isinstance(result, ox.QuerySolutions):
        fmt = request["results"]
        data, truncated = _capped_solutions(result, fmt, max_rows, max_bytes, again)
        return ("ok", "solutions", fmt, data, truncated)
    fmt = request["rdf"]
    extra = {"prefixes": request["prefixes"]} if fmt == "ttl" and request.get("prefixes") else {}
    if max_rows is None:
        data = _serialize_triples(result, RDF_FORMATS[fmt], extra)
        return ("ok", "triples", fmt, data, False)
    lines = _Sink(max_bytes, lines=max_rows)  # N-Triples: one triple a line, newlines escaped
    truncated = _stream(lambda: _serialize_triples(result, ox.RdfFormat.N_TRIPLES, {}, lines))
    data = lines.data()
    if fmt != "nt":
        triples = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
        data = ox.serialize(list(triples), format=RDF_FORMATS[fmt], **extra)
    return ("ok", "triples", fmt, data, truncated)


def _serialize_triples(result, format: ox.RdfFormat, extra: dict, output=None):
    """``result`` (pyoxigraph's CONSTRUCT answer, or a list of triples) in ``format``."""
    if isinstance(result, list) or extra:  # QueryTriples.serialize takes no prefixes
        return ox.serialize(result, output, format=format, **extra)
    return result.serialize(output, format=format, **extra)


# -- the row cap, on pyoxigraph's own serialisers -----------------------------------------------

#: The fewest bytes a solution takes (with its separator) in each format but TSV: a
#: serialisation no longer than max_rows times this cannot hold more than max_rows rows.
MIN_ROW_BYTES = {"json": 3, "xml": 17, "csv": 2}  # {}, / <result></result> / CRLF


class TooLarge(Exception):
    """The answer outgrew the largest answer allowed."""

    def __init__(self, limit: int):
        super().__init__(f"the answer is larger than the limit of {limit:,} bytes")


class _Stop(Exception):
    """Raised from a sink's write to stop the serialiser (and the query) early."""


class _Sink:
    """Where pyoxigraph's serialiser writes: keeps the bytes, stops past a size or a line count.

    With ``lines`` (TSV, N-Triples: one row a line, newlines in terms escaped) it keeps the
    first ``lines`` rows after ``header`` lines and stops at the next: ``cut`` is then True.
    With ``bound`` it stops once the output is longer (``cut`` True).
    """

    def __init__(
        self, max_bytes: int | None, lines: int | None = None, header: int = 0, bound=None
    ):
        self.max_bytes, self.bound = max_bytes, bound
        self.keep = None if lines is None else lines + header  # newlines kept
        self.chunks: list[bytes] = []
        self.size = self.newlines = 0
        self.cut = False

    def write(self, chunk) -> int:
        if self.cut:  # pyoxigraph's buffer tries once more as it is dropped: nothing more
            raise _Stop
        chunk = bytes(chunk)
        self.size += len(chunk)
        if self.max_bytes is not None and self.size > self.max_bytes:
            self.cut = True
            raise TooLarge(self.max_bytes)
        if self.keep is not None:
            count = chunk.count(b"\n")
            if self.newlines + count > self.keep:
                end = -1
                for _ in range(self.keep - self.newlines):
                    end = chunk.index(b"\n", end + 1)
                self.chunks.append(chunk[: end + 1])
                self.cut = True
                raise _Stop
            self.newlines += count
        self.chunks.append(chunk)
        if self.bound is not None and self.size > self.bound:
            self.cut = True
            raise _Stop
        return len(chunk)

    def flush(self) -> None:
        pass

    def data(self) -> bytes:
        return b"".join(self.chunks)


def _stream(serialize) -> bool:
    """Run ``serialize`` (which writes to a :class:`_Sink`); whether the sink stopped it."""
    try:
        serialize()
    except _Stop:  # pyoxigraph passes on what write() raised
        return True
    return False


def _capped_solutions(
    result, fmt: str, max_rows: int | None, max_bytes: int | None, again
) -> tuple[bytes, bool]:
    """Solutions serialised in ``fmt`` by pyoxigraph, at most ``max_rows``, and whether cut.

    TSV has one row a line: its lines are counted as they are written, and the serialiser
    (with the query) stops at the first row past the cap. The other formats are written
    straight while they are too short to hold more than ``max_rows`` rows (almost every
    answer); a longer one is run again (``again``) as capped TSV and turned into ``fmt``.

    >>> store = ox.Store()
    >>> query = "SELECT ?n WHERE { VALUES ?n { 1 2 3 } }"
    >>> _capped_solutions(store.query(query), "tsv", 2, None, None)
    (b'?n\\n1\\n2\\n', True)
    >>> _capped_solutions(store.query(query), "csv", 2, None, lambda: store.query(query))
    (b'n\\r\\n1\\r\\n2\\r\\n', True)
    """
    format = RESULTS_FORMATS[fmt]
    if max_rows is None:
        sink = _Sink(max_bytes)
        _stream(lambda: result.serialize(sink, format=format))
        return sink.data(), False
    if fmt != "tsv" and again is not None:
        sink = _Sink(max_bytes, bound=MIN_ROW_BYTES[fmt] * max_rows)
        if not _stream(lambda: result.serialize(sink, format=format)):
            return sink.data(), False
        result = again()
    rows = _Sink(max_bytes, lines=max_rows, header=1)
    truncated = _stream(lambda: result.serialize(rows, format=ox.QueryResultsFormat.TSV))
    if fmt == "tsv":
        return rows.data(), truncated
    solutions = ox.parse_query_results(rows.data(), format=ox.QueryResultsFormat.TSV)
    return solutions.serialize(format=format), truncated


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
