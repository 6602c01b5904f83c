"""SHACL validation: pySHACL against pyshacl-turbo (geokg's engine), same files, one run.

Each (data set, engine) is measured in a fresh subprocess: ``kg.check(files)``, i.e. what
``geokg validate FILE`` and a validated load or import do (parse, add the store's
neighbourhood, validate with the bundled shapes and ontology), timed with ``perf_counter``;
peak RSS is the subprocess's ``ru_maxrss`` (and ``VmHWM`` in /proc), and the RSS before the
check is shown beside it. Data sets:

- ``kb``: the bundled knowledge base files, checked on a store holding the bundled data
  (``geokg validate ontology/kb/*.ttl``);
- ``atop``: the ATOP import (tests/data/atop) as N-Triples, checked on a store holding the
  bundled data (the validation step of ``geokg import atop``);
- ``100k``, ``1m``: bench/generate.py's synthetic graphs, checked on an empty store.

    python bench/validation.py                                  # kb, atop, 100k, 1m
    python bench/validation.py --scales kb,atop --timeout 120
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DATA = BENCH / "data"
ENGINES = ("pyshacl", "turbo")
SCALES = ("kb", "atop", "100k", "1m")


def peak_rss_mib() -> tuple[float, float]:
    """(peak RSS by getrusage, peak RSS by /proc VmHWM) of this process, in MiB."""
    rusage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    hwm = rusage
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            hwm = int(line.split()[1]) / 1024
    return rusage, hwm


def cpu_seconds() -> float:
    """User plus system CPU time of this process so far (all its threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def current_rss_mib() -> float:
    """The resident set size of this process now, in MiB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def files_for(scale: str) -> tuple[list[Path], bool]:
    """The files of a data set, and whether they are checked on a store with the bundled data.

    >>> files_for("kb")[1]
    True
    """
    from geokg.graph.bundled import kb_files

    if scale == "kb":
        return kb_files(), True
    if scale == "atop":
        return [atop_file()], True
    sys.path.insert(0, str(BENCH))
    from generate import ensure

    return [ensure(scale)], False


def atop_file() -> Path:
    """bench/data/atop.nt: the ATOP import's graph, made once (import with validate=False)."""
    path = DATA / "atop.nt"
    if not path.exists():
        from geokg.graph.importers import import_atop
        from geokg.graph.namespaces import GRAPH

        import geokg

        kg = geokg.open_store(None)
        atop = ROOT / "tests/data/atop"
        import_atop(
            kg, atop / "atop-alliance-level.csv", atop / "atop-member-level.csv", validate=False
        )
        DATA.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as out:
            kg.dump(out, "nt", str(GRAPH["import/atop"]))
    return path


def worker(args) -> int:
    """One measurement, in this (fresh) process; prints a JSON report as its last line."""
    os.environ["GEOKG_SHACL_ENGINE"] = args.engine
    import geokg

    files, bundled = files_for(args.scale)
    kg = geokg.open_store(None, bundled=bundled)
    before = current_rss_mib()
    cpu = cpu_seconds()
    start = time.perf_counter()
    report = kg.check(files)
    seconds = time.perf_counter() - start
    cpu = cpu_seconds() - cpu
    rusage, hwm = peak_rss_mib()
    triples = sum(1 for path in files for _ in _triples(path))
    out = {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "conforms": report.conforms,
        "results": len(report.violations),
        "rss_before_mib": before,
        "peak_rss_mib": rusage,
        "vmhwm_mib": hwm,
        "triples": triples,
    }
    print(json.dumps(out))
    return 0


def _triples(path: Path):
    import pyoxigraph as ox

    return ox.parse(path=str(path))


def measure(scale: str, engine: str, timeout: float) -> tuple[dict | None, str]:
    """Run :func:`worker` in a subprocess; (its report or None, why not)."""
    argv = [sys.executable, __file__, "--worker", "--scale", scale, "--engine", engine]
    try:
        done = subprocess.run(argv, timeout=timeout or None, capture_output=True, text=True)
    except subprocess.TimeoutExpired:
        return None, f"> {timeout:.0f} s (stopped)"
    if done.returncode != 0:
        return None, f"failed (exit {done.returncode}): {done.stderr.strip()[-500:]}"
    return json.loads(done.stdout.strip().splitlines()[-1]), ""


def row(scale: str, engine: str, result: dict | None, note: str) -> str:
    if result is None:
        return f"| {scale} | {engine} | | {note} | | | | |"
    verdict = "conforms" if result["conforms"] else f"{result['results']} results"
    return (
        f"| {scale} | {engine} | {result['triples']:,} | {result['seconds']:.2f} s "
        f"| {result['cpu_seconds']:.2f} s "
        f"| {result['peak_rss_mib']:,.0f} MiB | {result['rss_before_mib']:,.0f} MiB | {verdict} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default=",".join(SCALES), help="kb,atop,100k,1m")
    parser.add_argument("--engines", default=",".join(ENGINES), help="pyshacl,turbo")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per run (0: none)")
    parser.add_argument(
        "--skip-pyshacl-above",
        default="100k",
        help="run pySHACL only up to this data set (it does not finish 1m in 5 minutes)",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--scale", help=argparse.SUPPRESS)
    parser.add_argument("--engine", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args)
    scales = args.scales.split(",")
    limit = SCALES.index(args.skip_pyshacl_above) if args.skip_pyshacl_above else len(SCALES)
    for scale in scales:
        files_for(scale)  # make the data files before any timing
    lines = [
        "| data | engine | triples | time | CPU | peak RSS | RSS before | report |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for scale in scales:
        for engine in args.engines.split(","):
            if engine == "pyshacl" and SCALES.index(scale) > limit:
                lines.append(row(scale, engine, None, f"not run (above {args.skip_pyshacl_above})"))
                continue
            print(f"[{scale}] {engine} ...", file=sys.stderr, flush=True)
            lines.append(row(scale, engine, *measure(scale, engine, args.timeout)))
            print(lines[-1], file=sys.stderr, flush=True)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
