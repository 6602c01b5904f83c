"""geokg.api: the FastAPI application (SPARQL protocol, views, entity pages).

>>> from geokg.graph import open_store
>>> app = create_app(open_store(None))
>>> app.title
'geokg'
"""

from .app import create_app

__all__ = ["create_app"]
