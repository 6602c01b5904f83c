"""geokg: a knowledge graph of geopolitical actors for researchers in international relations.

The public API is flat: everything a notebook needs is importable from ``geokg``.

>>> import geokg
>>> kg = geokg.open_store(None)          # in memory, with the bundled knowledge base
>>> kg.query("ASK { ?s a <https://w3id.org/geokg/ontology#State> }") in (True, False)
True
"""

__version__ = "0.1.0"

from geokg.graph import *  # noqa: E402,F403
from geokg.graph import __all__  # noqa: E402,F401
