"""The FastAPI application over one :class:`~geokg.graph.KnowledgeGraph`."""

from __future__ import annotations

import functools
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from geokg.graph import KnowledgeGraph

from . import assist, curation, entities, explorer, home, local, panels, sparql, views
from .config import Settings
from .pool import InlineExecutor, WorkerPool

STATIC = Path(__file__).parent / "static"
#: The KnowledgeGraph methods that write: run under the executor's write lock.
WRITES = ("update", "load", "load_data", "load_bundled", "drop_graph", "replace_graph")


def _guard_writes(kg: KnowledgeGraph, endpoint: sparql.Endpoint) -> None:
    """Make every write through ``kg`` stop the query workers, then bump the data version."""
    for name in WRITES:
        original = getattr(kg, name, None)
        if original is None:
            continue

        @functools.wraps(original)
        def guarded(*args, _original=original, **kwargs):
            with endpoint.executor.writing():
                try:
                    return _original(*args, **kwargs)
                finally:
                    endpoint.bump()

        setattr(kg, name, guarded)


def create_app(kg: KnowledgeGraph, settings: Settings | None = None) -> FastAPI:
    """The geokg web application serving ``kg``.

    Queries run in worker processes over read-only opens of an on-disk store
    (in threads for an in-memory store); writes through ``kg`` pause them.

    >>> from geokg.graph import open_store
    >>> app = create_app(open_store(None))
    >>> app.url_path_for("sparql_get"), app.url_path_for("sparql_post")
    ('/sparql', '/sparql')
    """
    settings = settings or Settings()
    path = getattr(kg.backend, "path", None)
    if getattr(kg.backend, "remote", False):  # a remote SPARQL store (geokg serve --endpoint)
        from .remote import RemoteExecutor

        executor = RemoteExecutor(kg.backend, settings.workers)
    elif path is not None:
        kg.backend.flush()
        executor = WorkerPool(path, settings.workers, network=bool(settings.allow_service))
    else:
        executor = InlineExecutor(
            kg.backend.store, settings.workers, network=bool(settings.allow_service)
        )
    endpoint = sparql.Endpoint(kg, settings, executor)
    _guard_writes(kg, endpoint)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.explorer_warm = explorer.warm(app)  # its data, ready for the first visit
        yield
        executor.close()

    # No /docs nor /redoc: they load Swagger UI and ReDoc from a CDN, outside the CSP.
    app = FastAPI(title="geokg", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.kg = kg
    app.state.endpoint = endpoint
    app.state.settings = settings
    app.add_exception_handler(sparql.ProtocolError, sparql.protocol_error_response)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Accept", "Content-Type", "Authorization", "If-None-Match"],
            expose_headers=["ETag", sparql.TRUNCATED],
        )
    app.include_router(sparql.router)
    app.include_router(assist.router)
    app.include_router(local.router)
    app.include_router(explorer.router)
    app.include_router(views.router)
    app.include_router(panels.router)
    app.include_router(entities.router)
    app.include_router(home.router)
    app.include_router(curation.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
