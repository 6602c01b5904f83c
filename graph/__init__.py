"""geokg.graph: open a store, load and validate, query, and the vocabulary.

A flat public namespace, like networkx:

>>> from geokg.graph import open_store
>>> kg = open_store(None)                   # in memory, with the bundled knowledge base
>>> kg.query("ASK { ?s ?p ?o }")
True
"""

# -- networks (issue 5): projection, analysis, cascades, views -------------------------------
from .analysis import (
    alliance_changes,
    blocs,
    blocs_over_time,
    centrality,
    deployment_claims,
    ego_network,
)
from .cascade import Cascade, obligation_cascade
from .derived import rebuild_derived
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
from .explore import explore
from .lookup import SearchError, SearchResult, search
from .names import resolve_state
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
from .panels import dyad_years, state_years, write_panel
from .projection import (
    STATE_IRI,
    alliance_graph,
    deployment_graph,
    obligation_graph,
    to_dataframes,
    to_networkx,
    write_gexf,
    write_graphml,
)
from .results import Rows
from .sparql_backend import open_endpoint
from .store import KnowledgeGraph, LoadReport, default_store_path, open_store
from .timeline import alliance_timeline, snapshot
from .validation import ValidationReport, Violation, validate
from .views import View, actor_view, alliance_view, cascade_view, deployment_view, to_pyvis

__all__ = [
    "explore",
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
    # networks (issue 5)
    "Cascade",
    "STATE_IRI",
    "alliance_changes",
    "alliance_graph",
    "blocs",
    "blocs_over_time",
    "centrality",
    "deployment_claims",
    "deployment_graph",
    "ego_network",
    "obligation_cascade",
    "resolve_state",
    "obligation_graph",
    "rebuild_derived",
    "to_dataframes",
    "to_networkx",
    "write_gexf",
    "write_graphml",
    # panels (issue 14)
    "alliance_timeline",
    "dyad_years",
    "snapshot",
    "state_years",
    "write_panel",
    "View",
    "actor_view",
    "alliance_view",
    "cascade_view",
    "deployment_view",
    "to_pyvis",
    # finding entities by name (issue 10)
    "SearchError",
    "SearchResult",
    "search",
]
