"""The embedded backend: an Oxigraph store on disk (or in memory) through pyoxigraph.

A backend does only what differs between stores: run SPARQL strings, bulk-load
parsed input, drop a graph, dump. Everything else (parsing, validation,
conversion to rdflib) is in :mod:`geokg.graph.store`, written once for every
backend.

>>> backend = OxigraphBackend(None)
>>> backend.is_empty()
True
"""

from __future__ import annotations

import contextlib
import gc
import os
import time
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from . import faults, undo
from .errors import QueryError, StoreError, StoreLockedError
from .sparql_errors import explain

#: Graphs a load writes out of sight (the remote backend's; none is left after an open).
STAGING = "urn:geokg:staging:"
#: Seconds to wait for the last reference to a closed store to go before a restore.
CLOSE_WAIT = 30.0
#: The file, inside an on-disk store's folder, that holds the date the derived graph was built
#: for. Oxigraph ignores it; a checkpoint (:mod:`geokg.graph.undo`) does not copy it, so a
#: rolled-back write leaves no date (the next write rebuilds).
DERIVED_ON = "geokg-derived-on"


class OxigraphBackend:
    """An Oxigraph store at ``path`` (``None``: in memory)."""

    def __init__(self, path: str | os.PathLike | None):
        self.path = Path(path) if path is not None else None
        self.store = _open(self.path)
        self._depth = 0  # nesting of writing()
        if self.path is not None:
            self._drop_staging()

    @contextlib.contextmanager
    def writing(self):
        """One all-or-nothing write: the old state or the new, whatever happens inside.

        On disk, an undo checkpoint is made first (:mod:`geokg.graph.undo`); if the body
        raises, the store is put back as it was and reopened, and the error goes on; if
        the process dies, the next open puts it back. Nested writes are part of the
        outermost one. In memory (nothing survives a crash) the body just runs.
        """
        if self.path is None or self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._ensure_open()
        try:
            undo.begin(self.store, self.path)
        except (OSError, RuntimeError) as error:
            raise StoreError(f"cannot begin a write on {self.path}: {_reason(error)}") from None
        faults.pause("undo")
        self._depth = 1
        try:
            yield
            self.store.flush()
            faults.pause("commit")
        except BaseException:
            self._rollback()
            raise
        finally:
            self._depth = 0
        try:
            undo.discard(self.path)
        except OSError as error:  # the undo is still there: the next open would restore it
            self._rollback()
            raise StoreError(f"cannot commit a write on {self.path}: {_reason(error)}") from None
        faults.pause("committed")

    def _rollback(self) -> None:
        """Put the store back as it was before the write, and reopen it."""
        with undo.recovery_lock(self.path):
            self._close_for_restore()
            undo.restore(self.path)
            self.store = _open_store(self.path)

    def _close_for_restore(self) -> None:
        """Release the store, and wait until no reference keeps it open (a reader)."""
        self.store = None
        deadline = time.monotonic() + CLOSE_WAIT
        while True:
            gc.collect()
            try:
                probe = ox.Store(str(self.path))
            except OSError as error:
                if "lock" not in str(error).lower():
                    return  # the lock was free: nobody holds the store
                if time.monotonic() > deadline:
                    raise StoreError(
                        f"a write to {self.path} failed and the store is still in use: "
                        "it is restored when next opened"
                    ) from None
                time.sleep(0.05)
                continue
            del probe
            gc.collect()
            return

    def _ensure_open(self) -> None:
        """Reopen the store after a rollback that could not reopen it."""
        if self.store is None and self.path is not None:
            self.store = _open(self.path)

    def _drop_staging(self) -> None:
        """Remove staging graphs left by an interrupted load (never visible to readers)."""
        left = [g for g in self.store.named_graphs() if g.value.startswith(STAGING)]
        if left:
            with self.writing():
                for graph in left:
                    self.store.remove_graph(graph)

    @property
    def derived_on(self) -> str | None:
        """The date (ISO) the derived graph was last built for; None: unknown."""
        if self.path is None:
            return getattr(self, "_derived_on", None)
        try:
            return (self.path / DERIVED_ON).read_text(encoding="ascii").strip() or None
        except OSError:
            return None

    @derived_on.setter
    def derived_on(self, day: str | None) -> None:
        if self.path is None:
            self._derived_on = day
        elif day is None:
            (self.path / DERIVED_ON).unlink(missing_ok=True)
        else:
            (self.path / DERIVED_ON).write_text(day, encoding="ascii")

    @property
    def location(self) -> str:
        """Where the data are: a folder, or ``memory``."""
        return str(self.path) if self.path is not None else "memory"

    def query(
        self,
        sparql: str,
        *,
        union: bool = True,
        prefixes: dict[str, str] | None = None,
        default_graph=None,
        named_graphs=None,
    ):
        """Run a SPARQL query string; pyoxigraph's results (solutions, triples or boolean).

        ``prefixes`` are declared for the query as if it began with PREFIX lines.
        """
        self._ensure_open()
        options = {"prefixes": prefixes} if prefixes else {}
        if default_graph:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graph]
        elif union:
            options["use_default_graph_as_union"] = True
        if named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            return self.store.query(sparql, **options)
        except SyntaxError as error:
            raise explain(sparql, str(error), prefixes or {}) from None
        except (OSError, ValueError, RuntimeError) as error:
            raise QueryError(str(error)) from None

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """Run a SPARQL Update string, atomically (relative IRIs against ``base_iri``)."""
        self._ensure_open()
        try:
            self.store.update(sparql, base_iri=base_iri)
        except SyntaxError as error:
            raise explain(sparql, str(error), {}) from None
        except (OSError, ValueError, RuntimeError) as error:
            raise QueryError(str(error)) from None

    @property
    def checkpoints(self) -> bool:
        """Whether a write is all or nothing by itself, whatever it does (on disk: undo)."""
        return self.path is not None

    def bulk_load(self, input: IO[bytes] | str, format: ox.RdfFormat, graph: str | None) -> None:
        """Load input (a stream, or a file's path) fast (atomic only inside :meth:`writing`)."""
        to_graph = ox.NamedNode(graph) if graph else None
        source = {"path": input} if isinstance(input, str) else {"input": input}
        try:
            self.store.bulk_load(**source, format=format, to_graph=to_graph)
        except (OSError, RuntimeError) as error:
            raise StoreError(f"writing to {self.location} failed: {_reason(error)}") from None

    def bulk_extend(self, quads: list[ox.Quad]) -> None:
        """Add parsed quads fast (atomic only inside :meth:`writing`)."""
        try:
            self.store.bulk_extend(quads)
        except (OSError, RuntimeError) as error:
            raise StoreError(f"writing to {self.location} failed: {_reason(error)}") from None

    def drop_graph(self, graph: str) -> None:
        """Remove a named graph and its triples (nothing happens if it is absent)."""
        node = ox.NamedNode(graph)
        if node in set(self.store.named_graphs()):
            try:
                self.store.remove_graph(node)
            except (OSError, RuntimeError) as error:
                raise StoreError(f"writing to {self.location} failed: {_reason(error)}") from None

    def named_graphs(self) -> list[str]:
        """The IRIs of the named graphs."""
        return sorted(
            g.value
            for g in self.store.named_graphs()
            if isinstance(g, ox.NamedNode) and not g.value.startswith(STAGING)
        )

    def is_empty(self) -> bool:
        """Whether the store holds no quad at all (cheap, unlike counting)."""
        return next(iter(self.store.quads_for_pattern(None, None, None, None)), None) is None

    def dump(self, output: IO[bytes], format: ox.RdfFormat, graph: str | None, prefixes) -> None:
        """Write a graph (or, for quad formats, the whole dataset) to ``output``."""
        options = (
            {"prefixes": prefixes} if format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else {}
        )
        if graph is not None:
            options["from_graph"] = ox.NamedNode(graph)
        self.store.dump(output, format=format, **options)

    def flush(self) -> None:
        """Make sure everything written is on disk."""
        if self.path is not None and self.store is not None:
            try:
                self.store.flush()
            except (OSError, RuntimeError) as error:
                raise StoreError(f"writing to {self.location} failed: {_reason(error)}") from None

    def optimize(self) -> None:
        """Compact the store's files (RocksDB); the data do not change."""
        self._ensure_open()
        try:
            self.store.optimize()
        except (OSError, RuntimeError) as error:
            raise StoreError(f"optimizing {self.location} failed: {_reason(error)}") from None

    def close(self) -> None:
        """Release the store (and its lock on disk)."""
        self.flush()
        self.store = None


def _open(path: Path | None) -> ox.Store:
    """Open the store at ``path``, first putting back the state before an interrupted write."""
    if path is None:
        return ox.Store()
    try:
        with undo.recovery_lock(path):
            return _recover_and_open(path)
    except OSError as error:  # no folder there (a file in the way), no permission
        raise StoreError(f"cannot open the store at {path}: {_reason(error)}") from None


def _recover_and_open(path: Path) -> ox.Store:
    undo.finish_restore(path)
    store = _open_store(path)
    if undo.interrupted(path):  # a write died half-way: we hold the store, put it back
        del store
        gc.collect()
        undo.restore(path)
        store = _open_store(path)
    undo.remove_leftovers(path)
    return store


def _open_store(path: Path) -> ox.Store:
    try:
        path.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except OSError as error:
        text = str(error)
        if "lock" in text.lower():
            raise StoreLockedError(
                f"store {path} is in use by another process (a running `geokg serve`?): "
                "stop it, or use another --store"
            ) from None
        raise StoreError(f"cannot open the store at {path}: {_reason(error)}") from None


def _reason(error: BaseException) -> str:
    return getattr(error, "strerror", None) or str(error)
