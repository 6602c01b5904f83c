"""Results of SELECT queries as rows of rdflib terms.

>>> rows = Rows(["state", "n"], [(URIRef("https://w3id.org/geokg/id/state/PRK"), Literal(2))])
>>> rows.vars
['state', 'n']
>>> rows.to_dicts()[0]["n"].toPython()
2
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef  # noqa: F401  (used in the doctest)
from rdflib.term import Node

if TYPE_CHECKING:
    import pandas as pd


class Rows(Sequence[tuple]):
    """The solutions of a SELECT query: ``vars`` and a tuple of terms per row.

    Unbound variables are ``None``. Iterate it, index it, or turn it into
    dicts (:meth:`to_dicts`) or a pandas DataFrame (:meth:`to_dataframe`).
    """

    def __init__(self, vars: list[str], rows: list[tuple[Node | None, ...]]):
        self.vars = vars
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, index):
        return self._rows[index]

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._rows)

    def __repr__(self) -> str:
        return f"<Rows vars={self.vars} rows={len(self._rows)}>"

    def to_dicts(self) -> list[dict[str, Node | None]]:
        """One dict per row, keyed by variable name."""
        return [dict(zip(self.vars, row, strict=True)) for row in self._rows]

    def to_python(self) -> list[tuple]:
        """Rows of plain Python values: IRIs as ``str``, literals as their Python value."""
        return [tuple(_python(t) for t in row) for row in self._rows]

    def to_dataframe(self) -> pd.DataFrame:
        """A pandas DataFrame with one column per variable and Python values."""
        import pandas as pd

        return pd.DataFrame(self.to_python(), columns=self.vars)


def _python(term: Node | None):
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return value if not isinstance(value, Literal) else str(value)
    return str(term)
