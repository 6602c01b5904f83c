"""The cost of crash-safe writes (issue 12): a load with and without the undo checkpoint.

Same run, same machine, on-disk stores: each scale's file is loaded into an empty store
(a new graph), then loaded again with ``replace`` (the graph dropped and written anew),
once with the undo checkpoint (geokg as shipped) and once without it (the write runs
bare, as before issue 12). The derived graph's rebuild is left out of both (it is the
same work either way), so the figures are the write itself.

    python bench/crash_overhead.py --scales 100k,1m
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import ensure  # noqa: E402
from geokg.graph import open_store  # noqa: E402

GRAPH = "https://w3id.org/geokg/graph/bench"


def timed_loads(data: Path, folder: Path, safe: bool) -> tuple[float, float]:
    """Seconds for a load into a new graph, then for a ``replace`` of it."""
    kg = open_store(folder, bundled=False, server=False)
    kg._derive = lambda changed: None
    if not safe:
        kg.backend.writing = contextlib.nullcontext
    start = time.perf_counter()
    kg.load(data, GRAPH, validate=False)
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    kg.load(data, GRAPH, validate=False, replace=True)
    replaced = time.perf_counter() - start
    kg.close()
    return loaded, replaced


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="100k,1m")
    args = parser.parse_args(argv)
    print("| scale | write | before (no undo) | crash-safe | overhead |")
    print("|---|---|---|---|---|")
    for scale in args.scales.split(","):
        data = ensure(scale)
        with tempfile.TemporaryDirectory() as tmp:
            results = {}
            for safe in (False, True):
                results[safe] = timed_loads(data, Path(tmp) / f"store-{safe}", safe)
                shutil.rmtree(Path(tmp) / f"store-{safe}")
        for i, what in enumerate(("new graph", "replace")):
            before, after = results[False][i], results[True][i]
            print(f"| {scale} | {what} | {before:.2f} s | {after:.2f} s | {after / before:.2f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
