"""Research panels over HTTP: ``GET /export/dyad-years.csv`` and ``GET /export/state-years.csv``.

Built by :mod:`geokg.graph.panels` (the same tables as ``geokg.dyad_years`` and
``geokg export dyad-years``) from the store in the main process, and streamed as CSV. The span
is bounded (:data:`MAX_YEARS`); a bad year, span, rule or obligation type is a 400 that says
which.

    curl 'http://127.0.0.1:8000/export/dyad-years.csv?start=2010&end=2016' > dy.csv
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse, StreamingResponse
from geokg.graph.errors import GeokgError
from geokg.graph.panels import FIRST_YEAR, LAST_YEAR, dyad_years, state_years

router = APIRouter()

#: The most years one request may span (a dyad-year is ~19,000 rows a year today).
MAX_YEARS = {"dyad-years": 25, "state-years": LAST_YEAR - FIRST_YEAR + 1}
_CHUNK = 20_000


def _years(kind: str, start: str | None, end: str | None) -> tuple[int, int]:
    """``start`` and ``end`` as years, checked: a :class:`GeokgError` says what is wrong."""
    try:
        first, last = int(start or ""), int(end or "")
    except ValueError:
        raise GeokgError(
            f"start and end must be years (given start={start!r}, end={end!r})"
        ) from None
    if not FIRST_YEAR <= first <= last <= LAST_YEAR:
        raise GeokgError(
            f"give {FIRST_YEAR} <= start <= end <= {LAST_YEAR} (given {first}, {last})"
        )
    if last - first + 1 > MAX_YEARS[kind]:
        raise GeokgError(
            f"at most {MAX_YEARS[kind]} years per request for {kind} (asked {last - first + 1}): "
            "split the span, or use `geokg export` or geokg.dyad_years in Python"
        )
    return first, last


def _csv(frame: pd.DataFrame) -> Iterator[bytes]:
    for i in range(0, max(len(frame), 1), _CHUNK):
        yield frame.iloc[i : i + _CHUNK].to_csv(index=False, header=i == 0).encode()


async def _export(kind: str, build, start, end, **kwargs):
    try:
        first, last = _years(kind, start, end)
        frame = await run_in_threadpool(build, start=first, end=last, **kwargs)
    except GeokgError as error:
        return PlainTextResponse(f"{error}\n", status_code=400)
    headers = {"Content-Disposition": f'attachment; filename="{kind}-{first}-{last}.csv"'}
    return StreamingResponse(_csv(frame), media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/export/dyad-years.csv")
async def export_dyad_years(
    request: Request,
    start: str | None = None,
    end: str | None = None,
    directed: bool = False,
    provisions: str | None = None,
    rule: str = "any-day",
):
    """Dyad-years of the COW state system with ATOP's indicators (see geokg.dyad_years)."""
    kg = request.app.state.kg

    def build(**kwargs):
        return dyad_years(kg, directed=directed, provisions=provisions, rule=rule, **kwargs)

    return await _export("dyad-years", build, start, end)


@router.get("/export/state-years.csv")
async def export_state_years(
    request: Request,
    start: str | None = None,
    end: str | None = None,
    provisions: str | None = None,
    rule: str = "any-day",
):
    """State-years of the COW state system with ATOP's indicators (see geokg.state_years)."""
    kg = request.app.state.kg

    def build(**kwargs):
        return state_years(kg, provisions=provisions, rule=rule, **kwargs)

    return await _export("state-years", build, start, end)
