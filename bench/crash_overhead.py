"""The cost of crash-safe writes (issue 12): a load with and without the undo checkpoint.

Same run, same machine, on-disk stores: each scale's file is loaded into an empty store
(a new graph), then loaded again with ``replace`` (the graph dropped and written anew),
with the undo checkpoint (geokg as shipped) and without it (the write runs bare, as
before issue 12), the two alternated, medians shown. The derived graph's rebuild is left out of both (it is the
same work either way), so the figures are the write itself.

    python bench/crash_overhead.py --scales 100k,1m --replace-up-to 100k --repeat 2
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import ensure  # noqa: E402
from geokg.graph import open_store  # noqa: E402

GRAPH = "https://w3id.org/geokg/graph/bench"


def timed_loads(data: Path, folder: Path, safe: bool, replace: bool) -> list[float]:
    """Seconds for a load into a new graph, then (``replace``) for a ``replace`` of it."""
    kg = open_store(folder, bundled=False, server=False)
    kg._derive = lambda changed, loaded=None: None
    if not safe:
        kg.backend.writing = contextlib.nullcontext
    start = time.perf_counter()
    kg.load(data, GRAPH, validate=False)
    seconds = [time.perf_counter() - start]
    if replace:
        start = time.perf_counter()
        kg.load(data, GRAPH, validate=False, replace=True)
        seconds.append(time.perf_counter() - start)
    kg.close()
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="100k,1m")
    parser.add_argument("--replace-up-to", default="100k", help="largest scale also replaced")
    parser.add_argument("--repeat", type=int, default=2, help="runs per variant, alternated")
    args = parser.parse_args(argv)
    print("| scale | write | before (no undo), median | crash-safe, median | ratio |")
    print("|---|---|---|---|---|")
    scales = args.scales.split(",")
    for scale in scales:
        data = ensure(scale)
        replace = scales.index(scale) <= scales.index(args.replace_up_to)
        runs: dict[bool, list[list[float]]] = {False: [], True: []}
        with tempfile.TemporaryDirectory() as tmp:
            for n in range(args.repeat):
                for safe in (False, True) if n % 2 == 0 else (True, False):
                    folder = Path(tmp) / f"store-{safe}-{n}"
                    runs[safe].append(timed_loads(data, folder, safe, replace))
                    shutil.rmtree(folder)
        for i, what in enumerate(("new graph", "replace")[: 1 + replace]):
            before = statistics.median(r[i] for r in runs[False])
            after = statistics.median(r[i] for r in runs[True])
            print(f"| {scale} | {what} | {before:.2f} s | {after:.2f} s | {after / before:.2f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
