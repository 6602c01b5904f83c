"""The knowledge graph: one small interface over SPARQL strings.

Everything that reads the graph (projection, analysis, views, the API) goes
through :class:`KnowledgeGraph`: ``query(sparql)`` returns rows, an rdflib
graph or a boolean; ``load`` is all or nothing; ``dump`` writes a serialisation.

>>> kg = open_store(None, bundled=False)          # in memory, empty
>>> kg.load_data('''@prefix gk: <https://w3id.org/geokg/ontology#> .
... <https://w3id.org/geokg/id/state/PRK> a gk:State .''', format="ttl",
...     graph="https://example.org/g", validate=False).triples
1
>>> kg.query("ASK { ?s a <https://w3id.org/geokg/ontology#State> }")
True

Python users get rdflib terms at the edge: rows of ``URIRef``/``Literal``,
CONSTRUCT results as an ``rdflib.Graph``, and :meth:`KnowledgeGraph.to_rdflib`
for a copy of a graph or of the whole dataset as an ``rdflib.Dataset``.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import platformdirs
import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.namespace import RDF

from . import faults
from .bundled import bundled_datasets
from .derivation import PREDICATES, is_input, no_gc
from .derived import Loaded, derive_beside
from .errors import (
    FormatError,
    GeokgError,
    RdfSyntaxError,
    StoreError,
    StoreLockedError,
    ValidationError,
)
from .formats import RDF_FORMATS, RESULTS_FORMATS, rdf_format_for, rdf_format_named
from .namespaces import GRAPH, PREFIXES
from .oxigraph_backend import OxigraphBackend
from .results import Rows
from .server_file import remove_server_file
from .terms import cached_converter, to_oxigraph, to_rdflib
from .validation import ValidationReport, validate

#: ``progress(phase, done, total)``: called as input is read, in bytes.
Progress = Callable[[str, int, int], None]

_QUAD_FORMATS = (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG)
#: Formats that may carry named graphs (and so are parsed as quads).
_DATASET_FORMATS = (*_QUAD_FORMATS, ox.RdfFormat.JSON_LD)
_VALUES_BATCH = 400
_RDF_TYPE = ox.NamedNode(str(RDF.type))
#: The predicates of the triples a load keeps for the derived graph (geokg.graph.derivation).
_READ_BY_DERIVATION = frozenset([*PREDICATES, _RDF_TYPE])
_BLANK_ROOT = "ASK { ?b ?p ?o FILTER(isBlank(?b)) FILTER NOT EXISTS { ?x ?q ?b } }"


def default_store_path() -> Path:
    """``$GEOKG_STORE`` or the per-user data folder (e.g. ``~/.local/share/geokg/store``)."""
    return Path(os.environ.get("GEOKG_STORE") or platformdirs.user_data_path("geokg") / "store")


def open_store(
    path: str | os.PathLike | None = "default", *, bundled: bool = True, server: bool = True
):
    """Open the knowledge graph on disk at ``path`` (``None``: in memory).

    With ``bundled`` (the default), an empty store first gets the bundled
    ontology, shapes and knowledge base, so that it answers queries at once.

    While a ``geokg serve`` owns the store, the knowledge graph works through
    that server (queries over its SPARQL endpoint, loads and updates with the
    local credential it keeps beside the store; see
    :mod:`geokg.graph.server_backend`); with ``server=False`` the store is
    opened directly or not at all (:class:`StoreLockedError`).

    >>> kg = open_store(None)
    >>> kg.query("ASK { ?s ?p ?o }")
    True
    """
    if path == "default":
        path = default_store_path()
    try:
        backend = OxigraphBackend(path)
    except StoreLockedError as locked:
        return _through_server(path, locked, server)
    if path is not None:
        remove_server_file(path)  # we hold the store: any server file is a stale one
    kg = KnowledgeGraph(backend)
    if bundled and kg.is_empty():
        kg.load_bundled()
    return kg


def _through_server(path, locked: StoreLockedError, allowed: bool):
    """The knowledge graph over the running server that holds ``path``, or ``locked``."""
    from .server_backend import find_server

    backend = find_server(path)
    if backend is None:
        raise locked
    if not allowed:
        backend.close()
        raise StoreLockedError(
            f"store {path} is served by geokg serve at {backend.owner.url} "
            f"(pid {backend.owner.pid}): stop it, or use another --store"
        )
    return KnowledgeGraph(backend)


@dataclass
class LoadReport:
    """What a load did: how many triples, into which graphs, and the validation report."""

    triples: int
    graphs: list[str]
    validation: ValidationReport | None = None


@dataclass
class _Input:
    """One serialisation to load: a name for messages, its bytes, its format."""

    name: str
    open: Callable[[], IO[bytes]]
    size: int
    format: ox.RdfFormat
    #: The file, when the input is one (the bulk loader then reads it without Python).
    path: str | None = None


class KnowledgeGraph:
    """geokg's store interface over a backend (embedded Oxigraph, or a remote endpoint)."""

    def __init__(self, backend: OxigraphBackend):
        self.backend = backend

    # -- reading ---------------------------------------------------------------------------

    @property
    def location(self) -> str:
        """Where the data are: a folder, ``memory``, or an endpoint URL."""
        return self.backend.location

    def query(
        self,
        sparql: str,
        *,
        union: bool = True,
        prefixes: bool = False,
        default_graph=None,
        named_graphs=None,
    ):
        """Run a SPARQL query string.

        Returns :class:`~geokg.graph.results.Rows` for SELECT, an ``rdflib.Graph``
        for CONSTRUCT and DESCRIBE, a ``bool`` for ASK. With ``union`` (default)
        the default graph is the union of all named graphs; with ``prefixes``
        geokg's standard prefixes (``gk:``, ``state:``, ``prov:`` …) are declared.

        >>> kg = open_store(None)
        >>> rows = kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        >>> rows.vars, int(rows[0][0]) > 0
        (['n'], True)
        """
        result = self.backend.query(
            sparql,
            union=union,
            prefixes=PREFIXES if prefixes else None,
            default_graph=default_graph,
            named_graphs=named_graphs,
        )
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            convert = cached_converter()
            return Rows(names, [tuple(convert(t) for t in row) for row in result])
        graph = Graph(
            bind_namespaces="none"
        )  # rdflib's ~30 default bindings cost more than the query
        for prefix, iri in PREFIXES.items():
            graph.bind(prefix, iri, override=True)
        convert = cached_converter()
        for triple in result:
            graph.add((convert(triple.subject), convert(triple.predicate), convert(triple.object)))
        return graph

    def query_serialized(
        self, sparql: str, format: str, *, union: bool = True, prefixes: bool = False
    ) -> tuple[str, bytes]:
        """Run a query and serialise its results natively (fast path for the API and CLI).

        ``format`` is a results format (json, xml, csv, tsv) for SELECT and ASK,
        or an RDF format (ttl, nt, jsonld, rdf) for CONSTRUCT and DESCRIBE.
        Returns (kind, bytes) with kind ``solutions``, ``boolean`` or ``triples``.
        """
        result = self.backend.query(sparql, union=union, prefixes=PREFIXES if prefixes else None)
        if not isinstance(result, ox.QueryBoolean | ox.QuerySolutions):  # triples
            if format in RESULTS_FORMATS:
                raise FormatError(
                    f"CONSTRUCT and DESCRIBE results are RDF: use {', '.join(RDF_FORMATS)}"
                )
            return "triples", ox.serialize(result, format=rdf_format_named(format))
        kind = "boolean" if isinstance(result, ox.QueryBoolean) else "solutions"
        if format not in RESULTS_FORMATS:
            raise FormatError(
                f"SELECT and ASK results come as {', '.join(RESULTS_FORMATS)}, not {format!r}"
            )
        return kind, result.serialize(format=RESULTS_FORMATS[format])

    def counts(self) -> dict[str, int]:
        """Triples per named graph (``""`` for the default graph), largest first."""
        rows = self.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", union=False
        )
        counts = {str(g): int(n) for g, n in rows}
        default = int(self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", union=False)[0][0])
        if default:
            counts[""] = default
        return dict(sorted(counts.items(), key=lambda item: -item[1]))

    def graphs(self) -> list[str]:
        """The IRIs of the named graphs."""
        return self.backend.named_graphs()

    def is_empty(self) -> bool:
        """Whether the store holds no data at all."""
        return self.backend.is_empty()

    def to_rdflib(self, graph: str | None = None) -> Graph | Dataset:
        """A copy in rdflib: one named graph as a ``Graph``, or everything as a ``Dataset``."""
        if graph is not None:
            return self.query(
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
            )
        dataset = Dataset()
        data = io.BytesIO()
        self.dump(data, "nq")
        dataset.parse(data=data.getvalue(), format="nquads")
        return dataset

    def dump(self, output: IO[bytes] | None = None, format: str = "trig", graph: str | None = None):
        """Write the data in ``format`` (ttl, trig, nt, nq, jsonld, rdf) to ``output``.

        Quad formats (trig, nq) keep the named graphs; a triple format needs
        ``graph``, or writes the union of all graphs. Returns the bytes when
        ``output`` is None.
        """
        rdf_format = rdf_format_named(format)
        sink = output if output is not None else io.BytesIO()
        if graph is None and rdf_format not in _QUAD_FORMATS:
            union = self.backend.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", union=True)
            options = {"prefixes": PREFIXES} if rdf_format == ox.RdfFormat.TURTLE else {}
            ox.serialize(union, sink, format=rdf_format, **options)
        else:
            self.backend.dump(sink, rdf_format, graph, PREFIXES)
        return sink.getvalue() if output is None else None

    # -- writing ---------------------------------------------------------------------------

    def load(
        self,
        paths: str | os.PathLike | Iterable[str | os.PathLike],
        graph: str | None = None,
        *,
        format: str | None = None,
        validate: bool = True,
        replace: bool = False,
        progress: Progress | None = None,
    ) -> LoadReport:
        """Load RDF files, all or nothing.

        Every file is parsed through first; with ``validate`` the incoming data
        (with what it refers to in the store) is checked against the SHACL
        shapes. Only when every file parses and conforms is anything written.
        (On disk, a load without validation into graphs the store does not hold
        yet is parsed while the bulk loader writes, and undone if a file does not
        parse: the same outcome, in about the bulk loader's time.)
        Triples go to ``graph`` (default: one graph per file,
        ``https://w3id.org/geokg/graph/file/<name>``); quads of TriG and N-Quads
        keep their graphs. With ``replace`` the target graphs are emptied first.
        """
        if isinstance(paths, str | os.PathLike):
            paths = [paths]
        inputs = [_file_input(Path(p), format) for p in paths]
        return self._load(inputs, graph, validate, replace, progress)

    def load_data(
        self,
        data: str | bytes,
        *,
        format: str,
        graph: str | None = None,
        validate: bool = True,
        replace: bool | Iterable[str] = False,
        name: str = "<data>",
    ) -> LoadReport:
        """Load a serialisation given as a string or bytes, all or nothing (see :meth:`load`).

        ``replace`` may also list the graphs to empty first, whatever the data hold (how
        ``geokg serve`` applies a load that another process sends it).
        """
        raw = data.encode("utf-8") if isinstance(data, str) else data
        source = _Input(name, lambda: io.BytesIO(raw), len(raw), rdf_format_named(format))
        return self._load([source], graph or str(GRAPH["upload"]), validate, replace, None)

    def load_bundled(self, *, validate: bool = False, progress: Progress | None = None) -> None:
        """(Re)load the bundled ontology, shapes and knowledge base, each replacing its graph.

        The bundled data are validated in CI; pass ``validate=True`` to check again.
        """
        with self._writing():  # one write: all the bundled graphs, or none
            for graph, files in bundled_datasets():
                if files:
                    self.load(files, graph, validate=validate, replace=True, progress=progress)

    def drop_graph(self, graph: str) -> None:
        """Remove a named graph with all its triples (with the derived graph: all or nothing)."""
        with self._writing():
            loaded = Loaded.before(self, [], [graph], [])  # did it hold anything derived from?
            self.backend.drop_graph(graph)
            self.backend.flush()
            self._derive([graph], loaded)  # issue 5: keep the derived graph in step with its inputs

    def replace_graph(self, graph: str, paths, **options) -> LoadReport:
        """Replace a named graph whole with the content of ``paths`` (all or nothing)."""
        return self.load(paths, graph, replace=True, **options)

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """Run a SPARQL Update string (with the derived graph's rebuild: all or nothing);
        relative IRIs resolved against ``base_iri``."""
        with self._writing():
            self.backend.update(sparql, **({"base_iri": base_iri} if base_iri else {}))
            self.backend.flush()
            self._derive(None)  # issue 5: keep the derived graph in step with its inputs

    def _writing(self):
        """One all-or-nothing write on the backend (see :mod:`geokg.graph.undo`)."""
        writing = getattr(self.backend, "writing", None)
        return writing() if writing is not None else contextlib.nullcontext()

    def _derive(self, changed: list[str] | None, loaded=None) -> None:
        """Bring the derived graph (geokg.graph.derived) in step with a write to ``changed``
        (None: unknown); ``loaded``: what a load brought (:class:`~geokg.graph.derived.Loaded`)."""
        from .derived import refresh_derived

        if getattr(self.backend, "derives", False):
            return  # a geokg server rebuilds it after every write it receives
        refresh_derived(self, changed, loaded)

    def validate(self, graph: str | None = None) -> ValidationReport:
        """Validate the data in the store (one graph, or all of it) against the shapes."""
        data = ox.Store()  # in memory, handed to the SHACL engine without an rdflib copy
        query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
        if graph is not None:
            query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        triples = self.backend.query(query, union=True)
        data.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        return validate(data)

    def optimize(self) -> None:
        """Compact an embedded store's files (``Store.optimize()``; other backends: nothing).

        Not run after loads: at 1M triples it takes about 2 s (a fifth of the load) and made
        the bench's date filter 23 % and its aggregate 6 % faster, the join, CONSTRUCT and
        DESCRIBE no faster (bench/README.md). Worth it before many queries on a big store.

        >>> open_store(None).optimize()
        """
        optimize = getattr(self.backend, "optimize", None)
        if optimize is not None:
            optimize()

    def close(self) -> None:
        """Flush and release the store."""
        self.backend.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- the load, step by step -----------------------------------------------------------

    def _load(self, inputs, graph, validate_data, replace, progress) -> LoadReport:
        existing = self._graphs_if_overlapping(inputs, graph, validate_data, replace)
        if existing is not None:
            return self._load_overlapped(inputs, graph, progress, existing)
        parsed = [_parse(source, graph, keep=validate_data, progress=progress) for source in inputs]
        targets = sorted({g for p in parsed for g in p.graphs})
        report = None
        if validate_data:
            report = self._validate_parsed(parsed)
            if not report.conforms:
                raise ValidationError(report)
        drops = targets if replace is True else sorted(set(replace or ()))
        loaded = Loaded.before(self, targets, drops, [t for p in parsed for t in p.inputs])
        faults.pause("early")
        with self._writing():  # on disk: the old state or the new, even after a crash
            with _staged(self.backend, targets):  # remote: all or nothing per graph
                for target in drops:
                    self.backend.drop_graph(target)
                if drops:
                    faults.pause("drop")
                for source, p in zip(inputs, parsed, strict=True):
                    self._write(source, p, progress)
            self.backend.flush()
            faults.pause("derive")
            self._derive(sorted({*targets, *drops}), loaded)  # issue 5: the derived graph follows
        return LoadReport(sum(p.count for p in parsed), targets, report)

    def _graphs_if_overlapping(self, inputs, graph, validate_data, replace) -> set[str] | None:
        """The graphs the store holds, if the syntax pass may run beside the bulk load
        (:meth:`_load_overlapped`), else None. It may with an on-disk store (its writes are
        all or nothing by themselves), no validation, no graph emptied first, triples only (no
        quads), and only graphs the store does not hold yet (so what the store held is what it
        held before the write)."""
        if validate_data or replace or not getattr(self.backend, "checkpoints", False):
            return None
        if any(source.format in _DATASET_FORMATS for source in inputs):
            return None
        existing = set(self.graphs())
        return None if {_target(source, graph) for source in inputs} & existing else existing

    def _load_overlapped(
        self, inputs, graph, progress: Progress | None, existing: set[str]
    ) -> LoadReport:
        """A load whose syntax pass runs in a thread while the bulk loader writes.

        The bulk loader (pyoxigraph, without Python's lock) takes one core; the syntax pass
        (the count of triples, and those the derived graph reads) takes the other, and then,
        for a large load, computes the derived graph (:func:`~geokg.graph.derived.derive_beside`),
        so they add little to the load's time. A syntax error stops both, and the write is undone: the
        store is as it was (:mod:`geokg.graph.undo`), and the error says where, as always.
        What the derivation needs from before the write is read after it, from the graphs
        the store held before (``existing``, which the load does not touch)."""
        targets = sorted({_target(source, graph) for source in inputs})

        def beside():  # the syntax pass, then (a large load) the derived graph: in a thread
            parsed = [
                _parse(s, graph, keep=False, progress=progress, phase="loading") for s in inputs
            ]
            read = [t for p in parsed for t in p.inputs]
            return parsed, read, derive_beside(self, existing, targets, read)

        faults.pause("early")
        with self._writing(), ThreadPoolExecutor(1, thread_name_prefix="syntax-pass") as pool:
            parsing = pool.submit(beside)
            try:
                for source in inputs:
                    self._write_triples(source, _target(source, graph), None)
            except BaseException:
                parsing.result()  # a syntax error is said by the syntax pass, with the file's name
                raise
            parsed, inputs_read, precomputed = parsing.result()
            self.backend.flush()
            loaded = Loaded.before(self, targets, [], inputs_read, existing=existing)
            if loaded is not None:
                loaded.precomputed = precomputed
            faults.pause("derive")
            self._derive(targets, loaded)
        return LoadReport(sum(p.count for p in parsed), targets, None)

    def _write(self, source: _Input, parsed: _Parsed, progress: Progress | None) -> None:
        """Write one checked input: straight from the bytes, or as rewritten quads."""
        if parsed.rewrite:
            with source.open() as stream:
                counted = _Counting(stream, source.size, f"loading {source.name}", progress)
                counted.pause_at = source.size // 2  # GEOKG_FAULT_PAUSE=bulk-load stops there
                quads = parsed.quads or [quad for quad, _ in _quads(source, counted, parsed.graph)]
                self.backend.bulk_extend(quads)
            return
        triples_to = parsed.graph if source.format not in _DATASET_FORMATS else None
        self._write_triples(source, triples_to, progress)

    def _write_triples(self, source: _Input, graph: str | None, progress: Progress | None):
        """Bulk-load ``source`` as it is (its triples into ``graph``): from its file when it
        is one and nothing needs to watch the bytes go by (the bulk loader then reads without
        Python's lock), else through a stream that counts them."""
        embedded = isinstance(self.backend, OxigraphBackend)  # the others read streams only
        if embedded and source.path and progress is None and not faults.named("bulk-load"):
            self.backend.bulk_load(source.path, source.format, graph)
            return
        with source.open() as stream:
            counted = _Counting(stream, source.size, f"loading {source.name}", progress)
            counted.pause_at = source.size // 2  # GEOKG_FAULT_PAUSE=bulk-load stops there
            self.backend.bulk_load(counted, source.format, graph)

    def _with_neighbourhood(self, incoming: ox.Store, targets: set[str]) -> int:
        """Add to ``incoming`` (the data being loaded) what it refers to in the store; return
        how many triples that added.

        Added: the description of every IRI the data point to but do not describe
        (one hop out), and of every node in the store that points to a subject of
        the data (links in: the claims about a new deployment). The store's own
        triples about the incoming subjects are left out, so the data are judged
        as they are, except for a subject that the data add facts to without typing
        it (no ``rdf:type`` in the data): its description in graphs other than the
        ``targets`` (the graphs being loaded) stays in the union after the load and is
        kept (an import that adds ATOP's members to a curated treaty is judged with
        the curated treaty). Validation then costs in proportion to the load, not the store.
        Everything stays in Oxigraph terms (no rdflib copy of a large load).
        """
        before = len(incoming)
        if self.is_empty():
            return 0
        subjects = {q.subject for q in incoming if isinstance(q.subject, ox.NamedNode)}
        typed = {q.subject for q in incoming.quads_for_pattern(None, _RDF_TYPE, None)}
        objects = {q.object for q in incoming if isinstance(q.object, ox.NamedNode)}
        others = " && ".join(f"?g != <{g}>" for g in sorted(targets)) or "true"
        about = "CONSTRUCT { ?r ?p ?o } WHERE { VALUES ?r { %s } GRAPH ?g { ?r ?p ?o } FILTER(%s) }"
        for batch in _batches(_sorted(subjects - typed), _VALUES_BATCH):
            found = self.backend.query(about % (" ".join(map(str, batch)), others), union=True)
            for t in found:
                incoming.add(ox.Quad(t.subject, t.predicate, t.object))
                if isinstance(t.object, ox.NamedNode):
                    objects.add(t.object)
        out = "CONSTRUCT { ?r ?p ?o } WHERE { VALUES ?r { %s } ?r ?p ?o }"
        into = "CONSTRUCT { ?x ?q ?v } WHERE { VALUES ?r { %s } ?x ?p ?r . ?x ?q ?v }"
        for query, iris in ((out, objects - subjects), (into, subjects)):
            for batch in _batches(_sorted(iris), _VALUES_BATCH):
                found = self.backend.query(query % " ".join(map(str, batch)), union=True)
                incoming.bulk_extend(
                    ox.Quad(t.subject, t.predicate, t.object)
                    for t in found
                    if t.subject not in subjects
                )
        return len(incoming) - before

    def check(self, paths, *, format: str | None = None) -> ValidationReport:
        """Parse and validate files as :meth:`load` would, without writing anything."""
        if isinstance(paths, str | os.PathLike):
            paths = [paths]
        parsed = [
            _parse(_file_input(Path(p), format), None, keep=True, progress=None) for p in paths
        ]
        return self._validate_parsed(parsed)

    def _validate_parsed(self, parsed: list[_Parsed]) -> ValidationReport:
        """Validate parsed inputs: their nodes are judged, the store's neighbourhood is context."""
        incoming = ox.Store()  # in memory, handed to the SHACL engine without an rdflib copy
        incoming.bulk_extend(
            ox.Quad(q.subject, q.predicate, q.object) for p in parsed for q in p.quads
        )
        if _has_blank_roots(incoming):
            return validate(incoming)
        focus = {to_rdflib(q.subject) for q in incoming}
        if not self._with_neighbourhood(incoming, {g for p in parsed for g in p.graphs}):
            return validate(incoming)
        return validate(incoming, focus=sorted(focus))


@dataclass
class _Parsed:
    """The outcome of the syntax pass over one input."""

    count: int
    graph: str
    graphs: set[str]
    quads: list[ox.Quad]
    rewrite: bool  # written as parsed quads (default-graph quads moved to ``graph``)
    #: The triples (or quads) the derived graph may read (by predicate: rdf:type among them).
    inputs: list


def _staged(backend, graphs):
    """The backend's staging of a load (remote: into temporary graphs, swapped at the end)."""
    staged = getattr(backend, "staged", None)
    return staged(graphs) if staged is not None else contextlib.nullcontext()


def _file_input(path: Path, format: str | None) -> _Input:
    rdf_format = rdf_format_named(format) if format else rdf_format_for(path)
    if not path.exists():
        raise GeokgError(f"{path}: no such file")
    if not path.is_file():
        raise GeokgError(f"{path}: not a file")
    return _Input(str(path), lambda: open(path, "rb"), path.stat().st_size, rdf_format, str(path))


def _target(source: _Input, graph: str | None) -> str:
    """The graph that the triples of ``source`` go to: ``graph``, or one named for the file."""
    return str(graph or GRAPH["file/" + _slug(Path(source.name).name)])  # str, not URIRef


def _parse(
    source: _Input,
    graph: str | None,
    *,
    keep: bool,
    progress: Progress | None,
    phase: str = "checking",
) -> _Parsed:
    """Read a whole input once to check its syntax (and keep its quads if asked); its
    progress is reported as ``phase`` (``loading`` when it runs beside the bulk loader)."""
    target = _target(source, graph)
    quads: list[ox.Quad] = []
    inputs: list = []
    graphs: set[str] = set()
    count, moved = 0, False
    with source.open() as stream:
        counted = _Counting(stream, source.size, f"{phase} {source.name}", progress)
        if not keep and source.format not in _DATASET_FORMATS:
            count = _count_triples(source, counted, inputs)  # the fast path of big trusted loads
        else:
            for quad, moved_here in _quads(source, counted, target):
                count += 1
                moved = moved or moved_here
                graphs.add(quad.graph_name.value)
                if keep:
                    quads.append(quad)
                if quad.predicate in _READ_BY_DERIVATION and is_input(quad):
                    inputs.append(quad)
    rewrite = source.format in _DATASET_FORMATS and (moved or source.format not in _QUAD_FORMATS)
    return _Parsed(count, target, graphs or {target}, quads, rewrite, inputs)


def _count_triples(source: _Input, stream: IO[bytes], inputs: list) -> int:
    """Parse a triple format through, counting, and keeping in ``inputs`` the triples the
    derived graph may read (no Python quad is built)."""
    wanted, count = _READ_BY_DERIVATION, 0
    try:
        with no_gc():  # the triples kept make no cycle
            for triple in ox.parse(input=stream, format=source.format):
                count += 1
                if triple.predicate in wanted and is_input(triple):
                    inputs.append(triple)
        return count
    except SyntaxError as error:
        raise RdfSyntaxError(
            source.name, error.lineno, error.offset, _syntax_message(error)
        ) from None


def _quads(source: _Input, stream: IO[bytes], target: str):
    """Parse ``stream`` into (quad, moved): triples and default-graph quads land in ``target``."""
    graph = ox.NamedNode(target)
    try:
        for item in ox.parse(input=stream, format=source.format):
            if isinstance(item, ox.Quad) and not isinstance(item.graph_name, ox.DefaultGraph):
                yield item, False
            else:
                yield ox.Quad(item.subject, item.predicate, item.object, graph), True
    except SyntaxError as error:
        raise RdfSyntaxError(
            source.name, error.lineno, error.offset, _syntax_message(error)
        ) from None
    except OSError as error:
        raise StoreError(f"{source.name}: {error}") from None


def _syntax_message(error: SyntaxError) -> str:
    message = error.msg or str(error)
    for prefix in ("Parser error at ", "Parser error between "):
        if message.startswith(prefix) and ": " in message:
            return message.split(": ", 1)[1]
    return message


def _slug(name: str) -> str:
    keep = "".join(c if c.isalnum() or c in "-._" else "-" for c in name)
    return keep or "data"


def _has_blank_roots(store: ox.Store) -> bool:
    """Whether a blank node is a subject that nothing points to (it can't be named as a focus)."""
    return bool(store.query(_BLANK_ROOT, use_default_graph_as_union=True))


def _sorted(nodes: set[ox.NamedNode]) -> list[ox.NamedNode]:
    """IRIs in a stable order (the batches of a query, and so its results, do not vary)."""
    return sorted(nodes, key=lambda node: node.value)


def _batches(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Counting(io.RawIOBase):
    """A binary stream that reports how many bytes have been read."""

    def __init__(self, stream: IO[bytes], total: int, phase: str, progress: Progress | None):
        self.stream, self.total, self.phase, self.progress, self.done = (
            stream,
            total,
            phase,
            progress,
            0,
        )

    def readable(self) -> bool:
        return True

    pause_at: int | None = None

    def readinto(self, buffer) -> int:
        n = self.stream.readinto(buffer)
        self.done += n or 0
        if self.pause_at is not None and self.done >= self.pause_at:
            self.pause_at = None
            faults.pause("bulk-load")
        if self.progress is not None:
            self.progress(self.phase, self.done, self.total)
        return n


__all__ = [
    "KnowledgeGraph",
    "LoadReport",
    "Progress",
    "default_store_path",
    "open_store",
    "to_oxigraph",
]
