"""Benchmarks of the network layer: derived-graph rebuild, projections, view HTML, Chromium drawing.

Three scales, each loaded with the bundled ontology and KB:

- ``atop``: the real ATOP 4.01 data (745 alliances, 2,398 member phases) imported by
  ``geokg.graph.importers.import_atop`` from ``--atop-dir`` (default ``tests/data/atop``;
  skipped when absent);
- ``100k``: the synthetic 100k-triple graph (bench/generate.py, seeded): about 200 states
  and 820 treaties with numbered articles;
- ``1m``: the synthetic 1M-triple graph (about 8,900 treaties and 11,000 deployments).

Measured: the load (with its derived-graph rebuild), ``rebuild_derived`` alone, each
projection (``alliance_graph`` with every treaty and on a date, ``obligation_graph``,
``deployment_graph``), centrality, a cascade, the alliance view's HTML, and the time headless
Chromium takes from receiving the page to a stable drawing (physics off, positions
precomputed: the first drawing is the stable one). Median of ``--repeat`` runs.
Targets (issue 5): projection at ATOP scale < 200 ms; view HTML < 1 s; stable drawing < 1.5 s.

At ATOP scale, the alliance explorer (issue 16, ``/views/alliances``) on a real server in a
thread: ``explorer_data`` (every tie with its interval and the layout, computed once per data
version), then in headless Chromium the time from ``goto`` to the first drawing of the 2016
network (positions precomputed: the first drawing is the stable one), a timeline step (median
of yearly steps 1962 → 2016, and the single jump 1962 → 2016) and a search ("Turquie": match,
select, highlight, fill the side panel). Targets: drawing < 1.5 s, timeline step < 200 ms.

    python bench/networks.py                       # every scale, with Chromium
    python bench/networks.py --scales atop,100k --no-chromium

Measured on 2026-11-21 (2-core VM shared with other test runs, load average 2.5-3; medians):

| | ATOP 4.01 | 100k | 1M |
|---|---|---|---|
| rebuild_derived | 217 ms | 116 ms | 1.6 s (2.9 s under load) |
| alliance_graph, every treaty | 59 ms | 100 ms | 2.8 s (162,199 edges) |
| alliance_graph on 2000-01-01 | 71 ms | 64 ms | 1.7 s |
| obligation_graph on 2000-01-01 | 166 ms | 56 ms | 1.8 s |
| deployment_graph on 2010-01-01 | (no claims) | 204 ms | 4.5 s |
| alliance view HTML, every treaty | 254 ms | 341 ms | 5.3 s (18,802 edges) |
| alliance view HTML on 2000-01-01 | 131 ms | 138 ms | 1.1 s |
| Chromium to stable drawing, every treaty | 862 ms | 971 ms | 2.1 s |
| Chromium to stable drawing, 2000-01-01 | 545 ms | 544 ms | 1.0 s |

Explorer at ATOP scale, measured on 2026-12-01 (load average 8-9 on the 2 cores; medians of 3):
``explorer_data`` 1.6-2.4 s (212 states, 16,287 ties, 747 treaties; once per data version);
goto to first drawing of 2016 1.18 s wall, 0.80 s in the page from navigation (first visit,
data not yet cached: 3.1 s); timeline step, yearly 1962 → 2016: 25 ms (slowest 136 ms); jump
1962 → 2016: 45 ms; search "Turquie" with selection and panel: 26 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate  # noqa: E402
from geokg.graph.derived import rebuild_derived  # noqa: E402

import geokg  # noqa: E402

SCALES = {"atop": "ATOP 4.01", "100k": "100k", "1m": "1m"}
ATOP_DIR = Path(__file__).resolve().parents[1] / "tests" / "data" / "atop"
GRAPH = "https://w3id.org/geokg/graph/bench"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]
TARGETS = {"projection": 0.2, "view": 1.0, "drawing": 1.5, "step": 0.2}


def timed(function, repeat: int):
    """(median seconds, last result) of ``repeat`` calls."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def chromium_drawing(pages: list[str], repeat: int) -> list[tuple[float, float]]:
    """For each page: (median wall seconds from set_content to drawn, median in-page ms)."""
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            for html in pages:
                walls, inside = [], []
                for _ in range(repeat):
                    context = browser.new_context(offline=True)
                    page = context.new_page()
                    start = time.perf_counter()
                    page.set_content(html, wait_until="commit")
                    page.wait_for_function(
                        "window.geokgView && window.geokgView.drawn", timeout=60000
                    )
                    walls.append(time.perf_counter() - start)
                    inside.append(page.evaluate("window.geokgView.drawnAfter"))
                    context.close()
                results.append((statistics.median(walls), statistics.median(inside)))
        finally:
            browser.close()
    return results


def explorer_timings(kg, repeat: int) -> dict:
    """The explorer served from ``kg`` (uvicorn in a thread), timed in headless Chromium."""
    import socket
    import threading

    import uvicorn
    from geokg.api.app import create_app
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(kg), port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    found: dict[str, list[float]] = {
        "wall": [],
        "inside": [],
        "steps": [],
        "jump": [],
        "search": [],
    }
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for i in range(repeat + 1):  # the first run computes (and caches) the data
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                start = time.perf_counter()
                page.goto(f"{base}/views/alliances?as_of=2016-12-31")
                page.wait_for_selector("#explorer[data-ready=true]", state="attached")
                wall = time.perf_counter() - start
                inside = page.evaluate("window.geokgExplorer.drawnAfter")
                if i == 0:
                    found["first"] = [wall]
                    page.close()
                    continue
                found["wall"].append(wall)
                found["inside"].append(inside)
                page.evaluate("window.geokgExplorer.step('1962-06-01')")
                for year in range(1963, 2017):
                    found["steps"].append(
                        page.evaluate(f"window.geokgExplorer.step('{year}-06-01')")
                    )
                page.evaluate("window.geokgExplorer.step('1962-06-01')")
                found["jump"].append(page.evaluate("window.geokgExplorer.step('2016-12-31')"))
                found["search"].append(
                    page.evaluate("window.geokgExplorer.timeSearch('Turquie').ms")
                )
                page.close()
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return {k: statistics.median(v) for k, v in found.items()} | {"max_step": max(found["steps"])}


def run(scale: str, repeat: int, chromium: bool, atop_dir: Path = ATOP_DIR):
    """The rows of the table for one scale (None when its data are missing)."""
    rows: list[tuple[str, str, str]] = []

    def add(name, seconds, detail="", target=None):
        mark = ""
        if target is not None:
            mark = " ✓" if seconds < TARGETS[target] else f" ✗ (target {TARGETS[target]} s)"
        rows.append((name, f"{seconds * 1000:,.0f} ms{mark}", detail))

    kg = geokg.open_store(None)
    start = time.perf_counter()
    if scale == "atop":
        alliances, members = (
            atop_dir / "atop-alliance-level.csv",
            atop_dir / "atop-member-level.csv",
        )
        if not alliances.exists():
            return None
        from geokg.graph.importers import import_atop

        import_atop(kg, alliances, members, validate=False)
        add("import ATOP (with derived rebuild)", time.perf_counter() - start, str(atop_dir))
    else:
        path = generate.ensure(SCALES[scale])
        kg.load(path, GRAPH, validate=False)
        add("load (with derived rebuild)", time.perf_counter() - start, path.name)
    seconds, _ = timed(lambda: rebuild_derived(kg), max(1, min(repeat, 3)))
    derived = kg.counts().get(str(geokg.DERIVED_GRAPH), 0)
    add("rebuild_derived", seconds, f"{derived:,} derived triples")

    seconds, g = timed(lambda: geokg.alliance_graph(kg, provisions="all"), repeat)
    states = g.number_of_nodes()
    treaties = len({k for *_, k in g.edges(keys=True)})
    detail = f"{states} actors, {treaties} treaties, {g.number_of_edges():,} edges"
    add("alliance_graph (every treaty)", seconds, detail, "projection")
    seconds, g2 = timed(lambda: geokg.alliance_graph(kg, as_of="2000-01-01"), repeat)
    detail = f"{g2.number_of_nodes()} actors, {g2.number_of_edges():,} edges"
    add("alliance_graph (alliances on 2000-01-01)", seconds, detail, "projection")
    seconds, o = timed(lambda: geokg.obligation_graph(kg, as_of="2000-01-01"), repeat)
    add("obligation_graph (2000-01-01)", seconds, f"{o.number_of_edges():,} edges", "projection")
    seconds, d = timed(lambda: geokg.deployment_graph(kg, as_of="2010-01-01"), repeat)
    claims = sum(len(e["claims"]) for *_, e in d.edges(data=True))
    add(
        "deployment_graph (2010-01-01)",
        seconds,
        f"{d.number_of_edges():,} deployments, {claims:,} claims",
        "projection",
    )
    seconds, c = timed(lambda: geokg.centrality(g2), repeat)
    add("centrality (on the 2000 graph)", seconds, f"{len(c)} actors")
    hub = c.iloc[0].iri
    seconds, cascade = timed(
        lambda: geokg.obligation_cascade(
            kg, attacked=hub, as_of="2000-01-01", graph=o, escalate=True
        ),
        repeat,
    )
    add(
        "obligation_cascade, escalated (projected graph given)",
        seconds,
        f"{len(cascade.entries)} drawn in, {len(cascade.rounds)} rounds",
    )

    seconds, view = timed(lambda: geokg.alliance_view(kg, provisions="all"), repeat)
    add(
        "alliance view HTML (every treaty)",
        seconds,
        f"{view.counts}, {len(view.html) / 1e6:.2f} MB",
        "view",
    )
    seconds, view2 = timed(lambda: geokg.alliance_view(kg, as_of="2000-01-01"), repeat)
    add("alliance view HTML (2000-01-01)", seconds, f"{view2.counts}", "view")
    if chromium:
        drawn = chromium_drawing([view.html, view2.html], max(1, min(repeat, 3)))
        for (wall, inside), name in zip(drawn, ("every treaty", "2000-01-01"), strict=True):
            add(
                f"Chromium: page to stable drawing ({name})",
                wall,
                f"in page: {inside:,.0f} ms",
                "drawing",
            )
    if scale == "atop":
        from geokg.graph.explorer import explorer_data

        seconds, data = timed(lambda: explorer_data(kg), max(1, min(repeat, 3)))
        detail = f"{len(data['nodes'])} states, {len(data['ties']):,} ties, {len(data['treaties'])} treaties"
        add("explorer_data (every tie with its interval, layout)", seconds, detail)
        if chromium:
            t = explorer_timings(kg, max(1, min(repeat, 3)))
            add(
                "explorer: goto to first drawing, 2016 (data cached)",
                t["wall"],
                f"in page: {t['inside']:,.0f} ms from navigation; first visit {t['first'] * 1000:,.0f} ms",
                "drawing",
            )
            add(
                "explorer: timeline step (yearly, 1962 → 2016)",
                t["steps"] / 1000,
                f"slowest {t['max_step']:,.0f} ms",
                "step",
            )
            add("explorer: timeline jump 1962 → 2016", t["jump"] / 1000, "", "step")
            add("explorer: search 'Turquie' (match, select, panel)", t["search"] / 1000)
    kg.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="atop,100k,1m", help="comma-separated: atop,100k,1m")
    parser.add_argument("--atop-dir", type=Path, default=ATOP_DIR)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-chromium", dest="chromium", action="store_false")
    parser.add_argument("--out", type=Path, help="also write the tables (Markdown) here")
    args = parser.parse_args(argv)
    lines = []
    for scale in args.scales.split(","):
        rows = run(scale.strip(), args.repeat, args.chromium, args.atop_dir)
        if rows is None:
            print(f"\n### {scale}: no data (see --atop-dir)", flush=True)
            continue
        lines += [
            f"\n### {scale} ({SCALES[scale]})\n",
            "| step | median | detail |",
            "|---|---|---|",
        ]
        lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
        print("\n".join(lines[-len(rows) - 3 :]), flush=True)
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
