"""Working on a store through the ``geokg serve`` that owns it (one store, many processes).

Only one process may open an on-disk Oxigraph store for writing. While ``geokg serve`` holds
one, :func:`~geokg.graph.store.open_store` (and so every ``geokg`` command) finds the server by
its server file (:mod:`geokg.graph.server_file`), checks that the server answers and owns that
store, and returns a :class:`~geokg.graph.store.KnowledgeGraph` over it with
:class:`ServerBackend`: the remote backend (:class:`~geokg.graph.sparql_backend.SparqlBackend`)
pointed at the server, with the server file's local credential as its bearer token.

- Queries go over the SPARQL 1.1 Protocol to ``/sparql``; with the local credential the
  server's row cap is lifted (nothing is cut), its time limit stays.
- Updates go as SPARQL Update to ``/sparql``.
- A load (``kg.load``, ``kg.load_data``, an import) is parsed and validated in the calling
  process as always, then sent whole, as N-Quads, in **one** request to ``/store/load`` with
  the graphs it replaces; the server runs the store's own all-or-nothing load under its write
  lock (its query workers stopped, then restarted on the new data: no reader sees half of a
  load) and rebuilds the derived graph. ``drop_graph`` goes the same way.

>>> from geokg.graph.server_file import ServerFile
>>> backend = ServerBackend(ServerFile("http://127.0.0.1:9", "127.0.0.1", 9, 1, "/s", "tok"))
>>> backend.location, "tok" in repr(backend)
('/s (through geokg serve at http://127.0.0.1:9)', False)
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from contextlib import contextmanager
from typing import IO

import pyoxigraph as ox

from .errors import GeokgError, StoreError
from .server_file import ServerFile, process_alive, read_server_file, store_key
from .sparql_backend import Credentials, SparqlBackend

N_QUADS = "application/n-quads"
#: Seconds to wait for a load's answer (the server parses, writes and rebuilds the derived graph).
LOAD_TIMEOUT = 3600.0
#: Bytes of a load kept in memory before it goes to a temporary file.
SPOOL_BYTES = 16 << 20
#: Seconds granted past the server's own query time limit before the client gives up.
MARGIN = 10.0


class ServerBackend(SparqlBackend):
    """The store of a running ``geokg serve``, reached over HTTP with its local credential."""

    #: The server rebuilds the derived graph after every write (the client does not).
    derives = True
    #: The server reads "named graphs only" as an empty default graph: no placeholder graph.
    empty_graph = None

    def __init__(self, owner: ServerFile, *, load_timeout: float = LOAD_TIMEOUT):
        super().__init__(
            owner.url + "/sparql",
            gsp_url=None,
            auth=Credentials(token=owner.token),
            native_union=True,  # the server's default graph is the union of its graphs
            graphs_ttl=0.0,  # other processes write too: always ask
        )
        self.owner = owner
        self.load_timeout = load_timeout
        self._pending: _Pending | None = None

    def __repr__(self) -> str:
        return f"ServerBackend({self.owner.url!r}, store={self.owner.store!r})"

    @property
    def location(self) -> str:
        """The store's folder, and the server it is reached through."""
        return f"{self.owner.store} (through geokg serve at {self.owner.url})"

    def owns(self, store) -> bool:
        """Whether the server answers, accepts the credential and serves ``store``.

        Also takes the server's query time limit (the client waits a little longer)."""
        try:
            reply = self._send("GET", self.owner.url + "/store", retry=False, timeout=5.0)
            if reply.status_code != 200:
                return False
            about = reply.json()
        except (GeokgError, ValueError):
            return False
        if about.get("store") != str(store_key(store)):
            return False
        self.timeout = float(about.get("query_timeout") or self.timeout) + MARGIN
        return True

    # -- writes: one request per load ------------------------------------------------------------

    @contextmanager
    def staged(self, graphs: Iterable[str]):
        """Collect a load's drops and quads; send them in one request when the load succeeds."""
        with _Pending() as pending:
            self._pending = pending
            try:
                yield
            finally:
                self._pending = None
            self._apply(pending.replace, pending.data)

    def drop_graph(self, graph: str) -> None:
        """Remove a named graph (within a load: replace it with what the load brings)."""
        if self._pending is not None:
            if graph not in self._pending.replace:
                self._pending.replace.append(graph)
            return
        self._apply([graph])

    def bulk_extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads (within a load: to what the load sends at its end)."""
        if self._pending is not None:
            ox.serialize(_named_only(quads), self._pending.data, format=ox.RdfFormat.N_QUADS)
            return
        with self.staged([]):
            self.bulk_extend(quads)

    def _apply(self, replace: list[str], nquads: IO[bytes] | None = None) -> None:
        """Ask the server to empty ``replace`` and add ``nquads``, in one all-or-nothing write."""
        size = nquads.tell() if nquads is not None else 0
        if not replace and not size:
            return
        if nquads is not None:
            nquads.seek(0)
        reply = self._send(
            "POST",
            self.owner.url + "/store/load",
            retry=False,
            timeout=self.load_timeout,
            params=[("replace", g) for g in replace],
            content=_chunks(nquads) if size else b"",
            headers={"Content-Type": N_QUADS, "Content-Length": str(size)},
        )
        self._graphs = None
        self._check(reply, "the load")


class _Pending:
    """What a load sends: the graphs it replaces and its quads as N-Quads (in a temporary file
    past a few megabytes)."""

    def __init__(self):
        self.replace: list[str] = []
        self.data = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)

    def __enter__(self) -> _Pending:
        return self

    def __exit__(self, *exc) -> None:
        self.data.close()


def _chunks(stream: IO[bytes]):
    while chunk := stream.read(1 << 20):
        yield chunk


def _named_only(quads: Iterable[ox.Quad]):
    for quad in quads:
        if isinstance(quad.graph_name, ox.DefaultGraph):
            raise StoreError("a load through geokg serve goes into named graphs only")
        yield quad


def find_server(store: str | os.PathLike) -> ServerBackend | None:
    """A backend over the running server that owns ``store``, or None (no server file, or a
    stale one: its process gone, its port silent, another store or another credential)."""
    owner = read_server_file(store)
    if owner is None or not process_alive(owner.pid):
        return None
    backend = ServerBackend(owner)
    if backend.owns(store):
        return backend
    backend.close()
    return None


__all__ = ["ServerBackend", "find_server"]
