"""Query execution over a remote SPARQL store (``geokg serve --endpoint URL``).

The endpoint's checks (no SERVICE, LOAD or FROM outside the allowed prefixes, the dataset
named by the request) run before anything is forwarded. The query then goes to the remote
store in a thread of the server's process, with the query time limit as its HTTP read timeout
(the remote's own limit applies too): past it, the client gets the usual 503 and the thread is
freed, since nothing waits on the remote any longer. The remote's answer is parsed into
pyoxigraph's result objects and serialised exactly as in embedded mode
(:func:`geokg.api.worker.execute`: the same formats, the same row cap).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from geokg.graph import GeokgError, QuerySyntaxError
from geokg.graph.sparql_backend import RemoteTimeout

from . import worker
from .pool import QueryTimeout, RWLock

#: Seconds granted past the time limit for the remote's answer to arrive before giving up.
GRACE = 2.0


class _Answered:
    """A stand-in store whose ``query`` returns an answer already fetched."""

    def __init__(self, result):
        self.result = result

    def query(self, sparql, **options):
        return self.result


class RemoteExecutor:
    """Queries forwarded to ``backend`` (a SparqlBackend) in threads, each with a time limit."""

    def __init__(self, backend, size: int):
        self.backend = backend
        self.lock = RWLock()
        self.killed = 0
        self._threads = ThreadPoolExecutor(max_workers=max(2, size), thread_name_prefix="remote")

    def _execute(self, request: dict, timeout: float) -> tuple:
        default_graph = request.get("default_graph")
        named_graphs = request.get("named_graphs")
        if default_graph is None and named_graphs is not None:
            default_graph = []
        try:
            result = self.backend.query(
                request["query"],
                union=request.get("union", True),
                prefixes=request.get("prefixes"),
                default_graph=default_graph,
                named_graphs=named_graphs if default_graph is not None else None,
                timeout=timeout,
            )
        except QuerySyntaxError as error:
            return ("syntax", error.message)
        except RemoteTimeout:
            raise QueryTimeout from None
        except GeokgError as error:
            return ("error", str(error))
        return worker.execute(_Answered(result), request)

    def run(self, request: dict, timeout: float):
        with self.lock.read():
            future = self._threads.submit(self._execute, request, timeout)
            try:
                return future.result(timeout=timeout + GRACE)
            except FutureTimeout:
                raise QueryTimeout from None

    def writing(self):
        return self.lock.write()

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)
