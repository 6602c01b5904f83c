"""geokg.graph: open a store, load and validate, query, and the vocabulary.

A flat public namespace, like networkx:

>>> from geokg.graph import open_store
>>> kg = open_store(None)                   # in memory, with the bundled knowledge base
>>> kg.query("ASK { ?s ?p ?o }")
True
"""

from .errors import (
    FormatError,
    GeokgError,
    QueryError,
    QuerySyntaxError,
    RdfSyntaxError,
    StoreError,
    StoreLockedError,
    ValidationError,
)
from .namespaces import (
    DERIVED_GRAPH,
    GK,
    GRAPH,
    ID,
    KB_GRAPH,
    ONTOLOGY_GRAPH,
    PREFIXES,
    SHAPES_GRAPH,
    STATE,
    sparql_prefixes,
)
from .results import Rows
from .sparql_backend import open_endpoint
from .store import KnowledgeGraph, LoadReport, default_store_path, open_store
from .validation import ValidationReport, Violation, validate

__all__ = [
    "DERIVED_GRAPH",
    "GK",
    "GRAPH",
    "ID",
    "KB_GRAPH",
    "ONTOLOGY_GRAPH",
    "PREFIXES",
    "SHAPES_GRAPH",
    "STATE",
    "FormatError",
    "GeokgError",
    "KnowledgeGraph",
    "LoadReport",
    "QueryError",
    "QuerySyntaxError",
    "RdfSyntaxError",
    "Rows",
    "StoreError",
    "StoreLockedError",
    "ValidationError",
    "ValidationReport",
    "Violation",
    "default_store_path",
    "open_endpoint",
    "open_store",
    "sparql_prefixes",
    "validate",
]
