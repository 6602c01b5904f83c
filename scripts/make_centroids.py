"""Write api/static/explorer/centroids.json: where the explorer's map puts each state.

Each ISO 3166 alpha-3 code with an outline in the vendored Natural Earth countries (world-atlas
1:50m TopoJSON, ids are ISO 3166 numeric codes, mapped to alpha-3 with pycountry) gets the
area-weighted centroid (longitude, latitude, planar) of its largest polygon, so that an
overseas territory never pulls a state into the sea. States of the past, which have no
outline of their own, stand in at the territory of the present-day state that holds it
(``STAND_IN``, keyed by the local name of the state's IRI): the explorer says so in the
state's panel. Run it again after scripts/vendor_js.py changes world-atlas.

Usage: .venv/bin/python scripts/make_centroids.py
"""

from __future__ import annotations

import json
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parents[1]
ATLAS = ROOT / "api/static/vendor/world-atlas/countries-50m.json"
OUT = ROOT / "api/static/explorer/centroids.json"

#: States of the past (IRI local name) → the present-day state whose territory they held.
STAND_IN = {
    "SUN": "RUS",  # Soviet Union
    "CSK": "CZE",  # Czechoslovakia
    "YUG": "SRB",  # Yugoslavia
    "SCG": "SRB",  # Serbia and Montenegro
    "DDR": "DEU",  # East Germany
    "YMD": "YEM",  # South Yemen
    "cow-260": "DEU",  # West Germany
    "cow-240": "DEU",  # Hanover
    "cow-245": "DEU",  # Bavaria
    "cow-255": "DEU",  # Prussia
    "cow-267": "DEU",  # Baden
    "cow-269": "DEU",  # Saxony
    "cow-271": "DEU",  # Württemberg
    "cow-273": "DEU",  # Hesse-Kassel
    "cow-275": "DEU",  # Hesse-Darmstadt
    "cow-280": "DEU",  # Mecklenburg-Schwerin
    "cow-300": "AUT",  # Austria-Hungary
    "cow-329": "ITA",  # Two Sicilies
    "cow-332": "ITA",  # Modena
    "cow-335": "ITA",  # Parma
    "cow-337": "ITA",  # Tuscany
    "cow-678": "YEM",  # North Yemen
    "cow-730": "KOR",  # Korea (1887-1905)
    "cow-817": "VNM",  # South Vietnam
}


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """The arcs of a quantized TopoJSON topology as (longitude, latitude) points."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs, indexes) -> list[tuple[float, float]]:
    """The points of a ring, longitudes unwrapped where it crosses the antimeridian."""
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc[1:] if points else arc)
    shift = 0.0
    unwrapped = points[:1]
    for (x0, _), (x1, y1) in zip(points, points[1:], strict=False):
        if x1 - x0 > 180:
            shift -= 360
        elif x0 - x1 > 180:
            shift += 360
        unwrapped.append((x1 + shift, y1))
    return unwrapped


def area_centroid(points) -> tuple[float, float, float]:
    """(|area|, x, y) of a closed ring, planar (shoelace formula)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if a == 0:
        x, y = points[0]
        return 0.0, x, y
    return abs(a / 2), cx / (3 * a), cy / (3 * a)


def centroids(topo: dict) -> dict[str, list[float]]:
    arcs = decode_arcs(topo)
    found = {}
    for geometry in topo["objects"]["countries"]["geometries"]:
        country = pycountry.countries.get(numeric=geometry.get("id") or "")
        if country is None or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        largest = max((area_centroid(ring(arcs, p[0])) for p in polygons), key=lambda c: c[0])
        longitude = (largest[1] + 180) % 360 - 180
        found[country.alpha_3] = [round(longitude, 2), round(largest[2], 2)]
    return dict(sorted(found.items()))


def main() -> None:
    topo = json.loads(ATLAS.read_text(encoding="utf-8"))
    table = {"centroids": centroids(topo), "stand_in": STAND_IN}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(table, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(table['centroids'])} centroids -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
