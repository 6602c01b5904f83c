"""HTML network views: ``/views/alliances/simple``, ``/views/actor/{id}``,
``/views/deployments``, ``/views/cascade`` (the alliance explorer, ``/views/alliances``, is in
:mod:`geokg.api.explorer`).

The pages are built by :mod:`geokg.graph.views` (the same HTML a notebook shows),
from the store in the main process (``request.app.state.kg``). They are
self-contained (vis-network inline, no CDN) and served with a Content-Security-Policy
that forbids any request to anywhere but the page itself.
"""

from __future__ import annotations

import html

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from geokg.graph.errors import GeokgError
from geokg.graph.views import actor_view, alliance_view, cascade_view, deployment_view

router = APIRouter()

#: Inline scripts and styles of the page itself; nothing fetched, forms submit to the page.
VIEW_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'unsafe-inline'; "
    "style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
}


async def _page(build, *args, **kwargs) -> HTMLResponse:
    try:
        view = await run_in_threadpool(build, *args, **kwargs)
    except GeokgError as error:
        message = html.escape(str(error))
        page = f"<!DOCTYPE html><title>Bad request</title><p>{message}</p>"
        return HTMLResponse(page, status_code=400, headers=VIEW_HEADERS)
    return HTMLResponse(view.html, headers=VIEW_HEADERS)


def _provisions(provision: str | None):
    return provision or None


@router.get("/views/alliances/simple", response_class=HTMLResponse)
async def alliances(request: Request, as_of: str | None = None, provision: str | None = None):
    """The alliance network on ``as_of`` (YYYY-MM-DD), optionally of one provision type: the
    notebook's vis-network view, for small networks (the explorer is ``/views/alliances``)."""
    kg = request.app.state.kg
    return await _page(
        alliance_view, kg, as_of=as_of, provisions=_provisions(provision), controls=True
    )


@router.get("/views/actor/{actor:path}", response_class=HTMLResponse)
async def actor(request: Request, actor: str, as_of: str | None = None, radius: int = 1):
    """The ego network of an actor (ISO code such as PRK, or IRI)."""
    kg = request.app.state.kg
    radius = max(1, min(radius, 4))
    return await _page(actor_view, kg, actor, as_of=as_of, radius=radius, controls=True)


@router.get("/views/deployments", response_class=HTMLResponse)
async def deployments(request: Request, as_of: str | None = None):
    """Deployments laid over the assistance obligations they invoke."""
    return await _page(deployment_view, request.app.state.kg, as_of=as_of, controls=True)


@router.get("/views/cascade", response_class=HTMLResponse)
async def cascade(
    request: Request,
    attacked: str,
    attacker: str | None = None,
    as_of: str | None = None,
    escalate: bool = False,
):
    """The states drawn in by an armed attack on ``attacked`` (a state or a place, by code,
    IRI or name): round 1, and with ``escalate=1`` the further rounds, each labelled with the
    assumption it rests on."""
    kg = request.app.state.kg
    return await _page(
        cascade_view,
        kg,
        attacked,
        attacker=attacker or None,
        as_of=as_of,
        escalate=escalate,
        controls=True,
    )
