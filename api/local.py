"""Routes for the other geokg processes of the server's user (one store, many processes).

``geokg serve`` on an on-disk store writes a server file beside it with a local credential
(:mod:`geokg.graph.server_file`); ``open_store`` and the ``geokg`` commands then work through
the server (:mod:`geokg.graph.server_backend`) with these two routes besides ``/sparql``:

- ``GET /store`` (local credential only): the store this server owns, its process id and its
  query time limit, so that a client can tell a live server file from a stale one;
- ``POST /store/load?replace=IRI…`` (local credential or the update token), body N-Quads: the
  graphs named by ``replace`` are emptied and the quads added, in one all-or-nothing write
  (the store's own load: parsed through before anything is written) under the write lock, so
  the query workers are stopped and restarted on the new data; the derived graph is rebuilt.
"""

from __future__ import annotations

import os

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from geokg.graph import GeokgError, RdfSyntaxError
from geokg.graph.server_file import store_key

from .sparql import ProtocolError, _media, authorise, is_local, read_body

router = APIRouter()
N_QUADS = "application/n-quads"


@router.get("/store")
async def store(request: Request) -> dict:
    """Which store this server owns (for the holders of the local credential)."""
    endpoint = request.app.state.endpoint
    if not is_local(request, endpoint.settings):
        raise ProtocolError(403, "this route answers the server's own user only")
    path = getattr(endpoint.kg.backend, "path", None)
    return {
        "store": str(store_key(path)) if path is not None else None,
        "pid": os.getpid(),
        "query_timeout": endpoint.settings.query_timeout,
    }


@router.post("/store/load")
async def load(request: Request) -> dict:
    """Empty the ``replace`` graphs and add the N-Quads of the body, all or nothing."""
    endpoint = request.app.state.endpoint
    authorise(request, endpoint.settings)
    if _media(request) != N_QUADS:
        raise ProtocolError(415, f"a load is sent as {N_QUADS}")
    replace = request.query_params.getlist("replace")
    for iri in replace:
        try:
            ox.NamedNode(iri)
        except ValueError:
            raise ProtocolError(400, f"replace={iri!r} is not an IRI") from None
    body = await read_body(request, endpoint.settings.max_load_bytes)
    try:
        report = await run_in_threadpool(
            endpoint.kg.load_data,
            body,
            format="nq",
            graph=replace[0] if replace else None,
            validate=False,  # validated by the sender, against this store
            replace=replace,
            name="the load sent to geokg serve",
        )
    except RdfSyntaxError as error:
        raise ProtocolError(400, f"nothing loaded: {error}") from None
    except GeokgError as error:
        raise ProtocolError(500, f"the load failed: {error}") from None
    return {"triples": report.triples, "graphs": report.graphs}
