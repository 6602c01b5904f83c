"""Importers of real data sets into their own named graphs, reconciled with the curated graph.

Each importer reads a CSV file the user supplies, streams it row by row (malformed rows are
reported by file, line, column and value), builds N-Triples and loads them with
:meth:`geokg.graph.store.KnowledgeGraph.load_data` into its named graph, replacing it: an import
is all or nothing, validated against the SHACL shapes, and can be run again without duplicates.

- :mod:`.atop`: ATOP alliances (treaties, member phases, obligations), ``graph/import/atop``
- :mod:`.mdi`: the Military Deployment Index, ``graph/import/mdi``
- :mod:`.us_troops`: US troops abroad by country and year, ``graph/import/us-troops``
- :mod:`.reconcile`: resolving codes and names to state IRIs, and the reconciliation report
"""

from .atop import import_atop
from .mdi import import_mdi
from .reconcile import Resolver, reconciliation_report
from .us_troops import import_us_troops

__all__ = ["Resolver", "import_atop", "import_mdi", "import_us_troops", "reconciliation_report"]
