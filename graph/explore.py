"""The alliance explorer inline in a notebook: :func:`explore` (issue 16).

The same page as ``/views/alliances`` on ``geokg serve``, made self-contained: the vendored
scripts (sigma.js, graphology, topojson-client), the stylesheet, the world outline, the
centroids and the data of :func:`~geokg.graph.explorer.explorer_data` are all inlined, so
it works offline, from a file or in a notebook's ``iframe``. Every string from the data
travels as JSON inside a ``<script type="application/json">`` (with ``<``, ``>`` and ``&``
escaped) and is shown with ``textContent``. Links of the side panel go to the entities'
IRIs (or to ``server`` + their path when a geokg server is given).

>>> import geokg
>>> view = explore(geokg.open_store(None))
>>> view.counts["nodes"] > 5, "<script src" in view.html, "cdn" in view.html.lower()
(True, False, False)
"""

from __future__ import annotations

import re
from importlib import resources

from .explorer import explorer_data
from .projection import date_text
from .views import View, safe_json

_SCRIPTS = (
    "vendor/graphology/graphology.umd.min.js",
    "vendor/graphology-library/graphology-library.min.js",
    "vendor/sigma/sigma.min.js",
    "vendor/topojson-client/topojson-client.min.js",
    "explorer/explorer.js",
)


def _static(path: str) -> str:
    return resources.files("geokg.api").joinpath("static", path).read_text(encoding="utf-8")


def _script(text: str) -> str:
    return "<script>" + text.replace("</script", "<\\/script") + "</script>"


def _data(element_id: str, value) -> str:
    return f'<script type="application/json" id="{element_id}">{safe_json(value)}</script>'


def explore(
    kg, as_of: str | None = None, *, server: str | None = None, map: bool = True, height: int = 720
) -> View:
    """The alliance explorer of ``kg`` as a self-contained :class:`~geokg.graph.views.View`
    (shown inline by Jupyter; ``.save("explorer.html")`` writes it to a file).

    ``as_of``: the first date shown (default today); ``server``: the address of a running
    ``geokg serve`` for the panel's links (default: the IRIs); ``map=False`` leaves out the
    world outline (760 kB) and the map layout. Deployments on the map need a server
    (``/views/alliances`` on ``geokg serve``): they are not drawn inline.
    """
    as_of = date_text(as_of)
    data = explorer_data(kg)
    page = _static("explorer/explorer.html")
    page = re.sub(r"<script src=\"[^\"]+\" defer></script>\n", "", page)
    page = re.sub(r"<link rel=\"preload\"[^>]*>\n", "", page)
    page = page.replace(
        '<link rel="stylesheet" href="/static/explorer/explorer.css">',
        "<style>" + _static("explorer/explorer.css") + "</style>",
    )
    page = page.replace('<a href="/" id="home">geokg</a>', "geokg")
    links = "iri" if server is None else server.rstrip("/")
    page = page.replace(
        '<div id="explorer" ',
        f'<div id="explorer" data-links="{links}" data-as-of="{as_of or ""}" '
        'data-deployments="none" ',
    )
    inline = [_data("explorer-data", data)]
    if map:
        inline.append(_data("explorer-centroids", _json("explorer/centroids.json")))
        inline.append(_data("explorer-atlas", _json("vendor/world-atlas/countries-50m.json")))
    inline += [_script(_static(path)) for path in _SCRIPTS]
    page = page.replace("</body>", "\n".join(inline) + "\n</body>")
    if not map:
        page = page.replace(
            '<button type="button" id="layout-map"', '<button type="button" id="layout-map" hidden'
        )
    counts = {"nodes": len(data["nodes"]), "ties": len(data["ties"])}
    return View("Alliance explorer", page, counts, height)


def _json(path: str):
    import json

    return json.loads(_static(path))


__all__ = ["explore"]
