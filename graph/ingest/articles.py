"""Treaty articles a text refers to: « l'article 4 du traité », « le quatrième article », "Article 5".

Texts seldom name a treaty in full: « l'article 4 de son nouvel accord ». The article number is
read from the words (digits or a French or English ordinal), and the treaty is the one of the
graph that has an article of that number and fits the text best: named in the text (by label
or alias) counts most, then each of its parties that the text names (by name or adjective). A
treaty is proposed only if it is named or at least two of its parties are, and only if no
other treaty fits as well.

>>> import geokg
>>> articles = TreatyArticles.from_graph(geokg.open_store(None))
>>> iri, words = articles.find("la Russie a invoqué l'article 4 du traité",
...     {"https://w3id.org/geokg/id/state/RUS", "https://w3id.org/geokg/id/state/PRK"})
>>> iri.rsplit("/", 3)[-3:], words
(['rus-prk-2024-comprehensive-strategic-partnership', 'article', '4'], "l'article 4")
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..store import KnowledgeGraph

ARTICLES = """
PREFIX gk: <https://w3id.org/geokg/ontology#>
SELECT ?treaty ?article ?n (GROUP_CONCAT(STR(?party); separator=" ") AS ?parties) WHERE {
  ?treaty gk:hasArticle ?article . ?article gk:articleNumber ?n .
  OPTIONAL { ?treaty gk:party ?party }
} GROUP BY ?treaty ?article ?n ORDER BY ?treaty ?n
"""
ORDINALS = {
    "premier": 1, "deuxième": 2, "second": 2, "troisième": 3, "quatrième": 4, "cinquième": 5,
    "sixième": 6, "septième": 7, "huitième": 8, "neuvième": 9, "dixième": 10,
    "first": 1, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
_ORDINAL = "|".join(ORDINALS)
_MENTION = re.compile(
    rf"(?:l['’]\s*)?(?:article|art\.)\s+(?P<n>\d+)|(?:le\s+|the\s+)?(?P<ord>{_ORDINAL})\s+article",
    re.IGNORECASE,
)


class TreatyArticles:
    """The treaty articles of a graph, with each treaty's parties."""

    def __init__(self, rows: list[tuple[str, str, int, set[str]]]):
        self.rows = rows

    @classmethod
    def from_graph(cls, kg: KnowledgeGraph) -> TreatyArticles:
        rows = [
            (str(t), str(a), int(n), set(str(p or "").split())) for t, a, n, p in kg.query(ARTICLES)
        ]
        return cls(rows)

    def find(self, sentence: str, named: set[str]) -> tuple[str, str] | None:
        """The treaty article ``sentence`` refers to and its words, given the things the
        text names (``named``: IRIs of treaties and states); None if none or unsure."""
        for m in _MENTION.finditer(sentence):
            number = int(m.group("n")) if m.group("n") else ORDINALS[m.group("ord").lower()]
            scored = []
            for treaty, article, n, parties in self.rows:
                if n != number:
                    continue
                parties_named = len(parties & named)
                if treaty in named or parties_named >= 2:
                    scored.append((10 * (treaty in named) + parties_named, article))
            scored.sort(reverse=True)
            if scored and (len(scored) == 1 or scored[0][0] > scored[1][0]):
                return scored[0][1], m.group(0)
        return None
