"""The alliance explorer: ``/views/alliances`` (the page), ``/views/alliances/data`` (every
tie with its interval, JSON, computed once per version of the store's data) and
``/views/alliances/deployments?year=`` (deployments of a year, for the map).

The page is a static file with its scripts and styles beside it (sigma.js, graphology,
topojson-client and the world outline vendored under ``/static/vendor``); it is served with
a strict Content-Security-Policy: nothing but this server's own files, no inline script.
"""

from __future__ import annotations

import html
import json
import logging
import threading
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from geokg.graph.errors import GeokgError
from geokg.graph.explorer import deployment_lines, explorer_data
from geokg.graph.projection import date_text

router = APIRouter()

PAGE = Path(__file__).parent / "static" / "explorer" / "explorer.html"
#: Only this server's files; WebGL and canvases need nothing more.
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
}
_cache: dict[int, tuple[int, bytes]] = {}  # id(app) -> (data version, JSON of the payload)
_lock = threading.Lock()
log = logging.getLogger("geokg.explorer")


def _payload(app) -> bytes:
    """The explorer's data for the store's current data version, as JSON (computed and
    encoded once per version)."""
    version = getattr(getattr(app.state, "endpoint", None), "version", 0)
    with _lock:
        found = _cache.get(id(app))
        if found is None or found[0] != version:
            data = explorer_data(app.state.kg)
            found = (version, json.dumps(data, separators=(",", ":")).encode())
            _cache[id(app)] = found
        return found[1]


def warm(app) -> threading.Thread:
    """Compute the explorer's data in the background, so that the first visit after the
    server starts finds it ready (a visit meanwhile waits for this computation, not a second)."""

    def run() -> None:
        try:
            _payload(app)
        except Exception as error:  # the page will say it on the visit; the server goes on
            log.warning("explorer data not precomputed: %s", error)

    thread = threading.Thread(target=run, name="explorer-warm", daemon=True)
    thread.start()
    return thread


@router.get("/views/alliances", response_class=HTMLResponse)
async def alliances(as_of: str | None = None) -> Response:
    """The alliance explorer; ``as_of`` (YYYY-MM-DD) is the first date shown (default today)."""
    try:
        date_text(as_of)
    except GeokgError as error:
        page = f"<!DOCTYPE html><title>Bad request</title><p>{html.escape(str(error))}</p>"
        return HTMLResponse(page, status_code=400, headers=HEADERS)
    return HTMLResponse(PAGE.read_text(encoding="utf-8"), headers=HEADERS)


@router.get("/views/alliances/data")
async def alliances_data(request: Request) -> JSONResponse:
    """Every tie of every treaty with a typed provision, with its interval (see
    :func:`geokg.graph.explorer.explorer_data`)."""
    payload = await run_in_threadpool(_payload, request.app)
    return Response(payload, media_type="application/json", headers={"Cache-Control": "no-cache"})


@router.get("/views/alliances/deployments")
async def alliances_deployments(request: Request, year: int) -> JSONResponse:
    """Deployments under way in ``year``, one line per sender and destination, with every
    figure claimed and its source (see :func:`geokg.graph.explorer.deployment_lines`)."""
    if not 1000 <= year <= 9999:
        return JSONResponse({"error": "year: four digits"}, status_code=400)
    payload = await run_in_threadpool(deployment_lines, request.app.state.kg, year)
    return JSONResponse(payload, headers={"Cache-Control": "no-cache"})
