"""The FastAPI application over one :class:`~geokg.graph.KnowledgeGraph`."""

from __future__ import annotations

from fastapi import FastAPI

from geokg.graph import KnowledgeGraph

from . import sparql


def create_app(kg: KnowledgeGraph) -> FastAPI:
    """The geokg web application serving ``kg``.

    >>> from geokg.graph import open_store
    >>> [r.path for r in create_app(open_store(None)).routes if r.path == "/sparql"]
    ['/sparql', '/sparql']
    """
    app = FastAPI(title="geokg", version="0.1.0")
    app.state.kg = kg
    app.include_router(sparql.router)
    return app
