"""Remote (Virtuoso) against embedded (Oxigraph in memory): load throughput and the researcher
query set (bench/queries/*.rq), one run each, medians of ``--repeat`` runs per query.

    python bench/remote.py bench/data/kg-100k.nt [--repeat 3] [--endpoint URL]

Without ``--endpoint`` a throw-away Virtuoso is started (tests/virtuoso.py) and stopped.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from geokg.graph import open_endpoint, open_store  # noqa: E402

GRAPH = "https://w3id.org/geokg/graph/bench"


def measure(kg, data: Path, queries: list[Path], repeat: int) -> dict:
    start = time.perf_counter()
    report = kg.load(data, GRAPH, validate=False, replace=True)
    load = time.perf_counter() - start
    out = {"triples": report.triples, "load_s": load, "queries": {}}
    for q in queries:
        text = q.read_text(encoding="utf-8")
        times, n = [], None
        for _ in range(repeat):
            t = time.perf_counter()
            try:
                result = kg.query(text)
            except Exception as error:  # noqa: BLE001 - a failed query is a result too
                n = f"failed: {str(error)[:90]}"
                break
            n = len(result) if not isinstance(result, bool) else 1
            times.append(time.perf_counter() - t)
        out["queries"][q.stem] = (statistics.median(times) if times else float("nan"), n)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--endpoint")
    args = parser.parse_args()
    queries = sorted((HERE / "queries").glob("*.rq"))
    embedded = measure(open_store(None, bundled=False), args.data, queries, args.repeat)
    server = None
    url = args.endpoint
    if url is None:
        from virtuoso import Virtuoso

        server = Virtuoso(Path(tempfile.mkdtemp(prefix="geokg-bench-virtuoso-"))).start()
        url = server.sparql
    try:
        remote = measure(open_endpoint(url), args.data, queries, args.repeat)
    finally:
        if server is not None:
            server.stop()
    n = embedded["triples"]
    print(f"## {args.data.name}: {n:,} triples (median of {args.repeat} runs per query)\n")
    print("| | embedded (Oxigraph, memory) | Virtuoso (remote) | ratio |")
    print("|---|---:|---:|---:|")
    e, r = embedded["load_s"], remote["load_s"]
    print(f"| load | {n / e:,.0f} triples/s ({e:.2f} s) | {n / r:,.0f} triples/s ({r:.2f} s) "
          f"| {r / e:.1f}× |")  # fmt: skip
    for name, (et, en) in embedded["queries"].items():
        rt, rn = remote["queries"][name]
        same = "" if en == rn else f" ({rn})" if isinstance(rn, str) else f" (rows {en}/{rn})"
        print(f"| {name} | {et * 1000:.1f} ms | {rt * 1000:.1f} ms | {rt / et:.1f}×{same} |")


if __name__ == "__main__":
    main()
