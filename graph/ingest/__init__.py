"""From an article to candidate claims, and from accepted candidates to curated claims.

- :mod:`geokg.graph.ingest.candidate`: the :class:`Candidate` record both sides share.
"""

from .candidate import Candidate

__all__ = ["Candidate"]
