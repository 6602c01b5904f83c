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

import os
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from .errors import QueryError, StoreError, StoreLockedError
from .sparql_errors import explain


class OxigraphBackend:
    """An Oxigraph store at ``path`` (``None``: in memory)."""

    def __init__(self, path: str | os.PathLike | None):
        self.path = Path(path) if path is not None else None
        self.store = _open(self.path)

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
        try:
            self.store.update(sparql, base_iri=base_iri)
        except SyntaxError as error:
            raise explain(sparql, str(error), {}) from None
        except (OSError, ValueError, RuntimeError) as error:
            raise QueryError(str(error)) from None

    def bulk_load(self, input: IO[bytes], format: ox.RdfFormat, graph: str | None) -> None:
        """Load already-checked input fast (not atomic: check the syntax first)."""
        to_graph = ox.NamedNode(graph) if graph else None
        self.store.bulk_load(input=input, format=format, to_graph=to_graph)

    def bulk_extend(self, quads: list[ox.Quad]) -> None:
        """Add parsed quads fast."""
        self.store.bulk_extend(quads)

    def drop_graph(self, graph: str) -> None:
        """Remove a named graph and its triples (nothing happens if it is absent)."""
        node = ox.NamedNode(graph)
        if node in set(self.store.named_graphs()):
            self.store.remove_graph(node)

    def named_graphs(self) -> list[str]:
        """The IRIs of the named graphs."""
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

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
        if self.path is not None:
            self.store.flush()

    def close(self) -> None:
        """Release the store (and its lock on disk)."""
        self.flush()
        self.store = None


def _open(path: Path | None) -> ox.Store:
    if path is None:
        return ox.Store()
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
        reason = error.strerror or text
        raise StoreError(f"cannot open the store at {path}: {reason}") from None
