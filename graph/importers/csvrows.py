"""Streamed CSV reading for the importers: rows with their line numbers, typed cells, and dates
at their precision; a malformed cell raises :class:`RowError` naming file, line, column and value.

>>> import io
>>> rows = list(read_rows(io.StringIO("y,m,d\\n1961,7,0\\n"), "t.csv"))
>>> rows[0].date("y", "m", "d")
rdflib.term.Literal('1961-07', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYearMonth'))
>>> rows = list(read_rows(io.StringIO("y,m,d\\n1961,13,1\\n"), "t.csv"))
>>> rows[0].date("y", "m", "d")
Traceback (most recent call last):
...
geokg.graph.importers.csvrows.RowError: t.csv, line 2, column m: '13' is not a month (1-12)
"""

from __future__ import annotations

import csv
import datetime
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from rdflib import Literal
from rdflib.namespace import XSD

from ..errors import GeokgError

Progress = Callable[[str, int, int], None]


class RowError(GeokgError):
    """A malformed row of an input file: where it is and what is wrong."""

    def __init__(self, source: str, line: int, column: str | None, value: str | None, problem: str):
        self.source, self.line, self.column, self.value = source, line, column, value
        where = f"{source}, line {line}" + (f", column {column}" if column else "")
        shown = f"{value!r} " if value is not None else ""
        super().__init__(f"{where}: {shown}{problem}")


_MISSING = {"", "NA", "N/A", "nan", "NaN", "."}


class Row:
    """One data row: ``line`` is its line number in the file (the header is line 1)."""

    def __init__(self, source: str, line: int, cells: dict[str, str]):
        self.source, self.line, self.cells = source, line, cells

    def error(self, column: str | None, problem: str) -> RowError:
        value = self.cells.get(column) if column else None
        return RowError(self.source, self.line, column, value, problem)

    def text(self, column: str, required: bool = True) -> str | None:
        value = (self.cells.get(column) or "").strip()
        if value in _MISSING:
            if required:
                raise self.error(column, "is empty")
            return None
        return value

    def integer(self, column: str, required: bool = True) -> int | None:
        """An integer cell; ``4.0`` (as pandas writes it) is 4; empty or NA is None."""
        value = self.text(column, required)
        if value is None:
            return None
        try:
            number = float(value)
        except ValueError:
            raise self.error(column, "is not a number") from None
        if number != int(number):
            raise self.error(column, "is not a whole number")
        return int(number)

    def date(self, year: str, month: str | None = None, day: str | None = None) -> Literal | None:
        """A date at its precision from year, month and day cells.

        A year of 0 (or empty) is no date (ATOP codes an unknown or ongoing end as 0); a month
        of 0 gives an ``xsd:gYear``, a day of 0 an ``xsd:gYearMonth``.
        """
        y = self.integer(year, required=False)
        if not y:
            return None
        if y < 1000 or y > 2999:
            raise self.error(year, "is not a year")
        m = self.integer(month, required=False) if month else None
        if not m:
            return Literal(f"{y:04d}", datatype=XSD.gYear)
        if not 1 <= m <= 12:
            raise self.error(month, "is not a month (1-12)")
        d = self.integer(day, required=False) if day else None
        if not d:
            return Literal(f"{y:04d}-{m:02d}", datatype=XSD.gYearMonth)
        try:
            datetime.date(y, m, d)
        except ValueError:
            raise self.error(day, f"is not a day of {y:04d}-{m:02d}") from None
        return Literal(f"{y:04d}-{m:02d}-{d:02d}", datatype=XSD.date)


def read_rows(
    stream: IO[str],
    source: str,
    *,
    required: tuple[str, ...] = (),
    progress: Progress | None = None,
    total: int = 0,
) -> Iterator[Row]:
    """The rows of a CSV stream, checked to have the ``required`` columns."""
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        raise RowError(source, 1, None, None, "the file is empty (no header row)") from None
    except csv.Error as error:
        raise RowError(source, 1, None, None, f"is not CSV: {error}") from None
    missing = [c for c in required if c not in header]
    if missing:
        raise RowError(source, 1, None, None, f"has no column {', '.join(missing)}")
    line = reader.line_num
    done = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise RowError(source, reader.line_num, None, None, f"is not CSV: {error}") from None
        row_line, line = line + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise RowError(
                source, row_line, None, None, f"has {len(cells)} cells, the header {len(header)}"
            )
        done += 1
        if progress is not None and done % 500 == 0:
            progress(f"reading {Path(source).name}", done, total)
        yield Row(source, row_line, dict(zip(header, cells, strict=True)))
    if progress is not None:
        progress(f"reading {Path(source).name}", total or done, total or done)


def csv_file_rows(
    path: str | os.PathLike, *, required: tuple[str, ...] = (), progress: Progress | None = None
) -> Iterator[Row]:
    """The rows of a CSV file (see :func:`read_rows`); the total for progress is its line count."""
    path = Path(path)
    if not path.is_file():
        raise GeokgError(f"{path}: no such file")
    with open(path, "rb") as f:
        total = max(sum(1 for _ in f) - 1, 0)
    with open(path, newline="", encoding="utf-8-sig") as f:
        yield from read_rows(f, path.name, required=required, progress=progress, total=total)
