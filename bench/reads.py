"""Query workers on disk or in memory (issue 19, part 4), against Oxigraph in memory, same run.

For each scale, a geokg store is built from bench/generate.py's file (``open_store(dir).load``,
the derived graph included, as a server would hold it). Then, one after the other:

- **start**: a query worker (api/worker.py) is started on the store with ``GEOKG_READS=disk``,
  then ``memory``, alone and two at once (a write restarts every worker at once); the time
  until it says it is ready, and its peak RSS (``VmHWM``) then;
- **queries**: a :class:`geokg.api.pool.WorkerPool` of ``--workers`` workers in each mode, and
  raw pyoxigraph (an in-memory ``Store`` bulk-loaded from the N-Quads dump of the same store, in
  this process: the same queries with ``use_default_graph_as_union=True`` and the same JSON
  serialisation, no pipe, no pool), run join, aggregate, date filter (bench/queries 1, 2, 4) and
  a lookup (France's triples), native JSON results (no row cap): one warm-up each, then
  ``--repeat`` rounds in which the three take turns (median); each worker's peak RSS afterwards.
  Also timed: writing that dump and loading it (what a worker would spend if the writer left a
  dump after each write).

The answers of the three are compared (rows in order for ORDER BY queries, else sorted); the
script exits 1 if they differ.

    python bench/reads.py --scales 100k,1m --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import ensure  # noqa: E402

GRAPH = "https://w3id.org/geokg/graph/bench"
QUERIES = {
    "join": (HERE / "queries" / "1-join-articles-by-provision.rq").read_text(),
    "aggregate": (HERE / "queries" / "2-aggregate-claims-per-deployment.rq").read_text(),
    "date filter": (HERE / "queries" / "4-in-force-on-date.rq").read_text(),
    "lookup": "SELECT ?p ?o WHERE { <https://w3id.org/geokg/id/state/FRA> ?p ?o }",
}
ORDERED = {"join"}


def request(query: str) -> dict:
    """A worker request as the endpoint sends it: union default graph, JSON, no row cap."""
    return {"query": query, "results": "json", "rdf": "ttl", "union": True, "max_rows": None}


def rows(json_bytes: bytes, ordered: bool) -> list:
    """The solutions of a JSON result, comparable (sorted unless ``ordered``)."""
    bindings = json.loads(json_bytes)["results"]["bindings"]
    out = [json.dumps(b, sort_keys=True) for b in bindings]
    return out if ordered else sorted(out)


def mib(pid: int | str, field: str) -> float:
    """``VmHWM`` (peak RSS) or ``VmRSS`` of a process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


# -- worker start -------------------------------------------------------------------------------


def start_workers(store: Path, reads: str, count: int) -> tuple[float, list[tuple[float, float]]]:
    """Seconds until ``count`` workers started at once are all ready; their RSS and peak RSS
    (MiB) then."""
    from geokg.api.pool import WORKER_SCRIPT

    env = {**os.environ, "GEOKG_READS": reads}
    begin = time.perf_counter()
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER_SCRIPT), str(store)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        for _ in range(count)
    ]
    try:
        for proc in procs:
            (size,) = struct.unpack(">I", proc.stdout.read(4))
            hello = pickle.loads(proc.stdout.read(size))
            if hello[0] != "ready":
                raise RuntimeError(f"worker did not start: {hello}")
        seconds = time.perf_counter() - begin
        return seconds, [(mib(p.pid, "VmRSS"), mib(p.pid, "VmHWM")) for p in procs]
    finally:
        for proc in procs:
            proc.kill()
            proc.wait()
            proc.stdin.close()
            proc.stdout.close()


# -- queries: worker pools and raw pyoxigraph, interleaved -------------------------------------


class Reference:
    """Raw pyoxigraph: an in-memory Store bulk-loaded from ``dump``, queried as a worker does."""

    def __init__(self, dump: Path):
        import pyoxigraph as ox

        self.ox = ox
        start = time.perf_counter()
        self.store = ox.Store()
        self.store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
        self.load_s = time.perf_counter() - start
        self.rss = self.loaded_rss(dump)

    @staticmethod
    def loaded_rss(dump: Path) -> tuple[float, float]:
        """RSS and peak RSS (MiB) of a fresh process that imports pyoxigraph and loads ``dump``
        into memory (this process's heap holds what the store build left: not comparable)."""
        code = (
            "import sys, pyoxigraph as ox; s = ox.Store(); "
            "s.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS); "
            "print(open('/proc/self/status').read())"
        )
        status = subprocess.run(
            [sys.executable, "-c", code, str(dump)], capture_output=True, text=True, check=True
        ).stdout
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        return tuple(int(fields[f].split()[0]) / 1024 for f in ("VmRSS", "VmHWM"))

    def run(self, query: str) -> bytes:
        result = self.store.query(query, use_default_graph_as_union=True)
        return result.serialize(format=self.ox.QueryResultsFormat.JSON)


def pool(store: Path, reads: str, workers: int):
    """A :class:`geokg.api.pool.WorkerPool` whose workers read as ``reads`` says."""
    from geokg.api.pool import WorkerPool

    os.environ["GEOKG_READS"] = reads  # the pool's workers inherit it
    try:
        return WorkerPool(store, workers)
    finally:
        os.environ.pop("GEOKG_READS", None)


def via(pool) -> callable:
    def run(query: str) -> bytes:
        reply = pool.run(request(query), timeout=600)
        if reply[0] != "ok":
            raise RuntimeError(str(reply))
        return reply[3]

    return run


def interleaved(runners: dict, repeat: int) -> tuple[dict, dict]:
    """Per query and runner: median seconds of ``repeat`` runs taken in turns (so that a busy
    moment of a shared machine falls on all of them), and the answer of a warm-up run."""
    seconds: dict = {}
    answers: dict = {}
    for name, query in QUERIES.items():
        times: dict = {runner: [] for runner in runners}
        for runner, run in runners.items():
            answers[(runner, name)] = rows(run(query), name in ORDERED)
        for _ in range(repeat):
            for runner, run in runners.items():
                start = time.perf_counter()
                run(query)
                times[runner].append(time.perf_counter() - start)
        for runner in runners:
            seconds[(runner, name)] = statistics.median(times[runner])
    return seconds, answers


# -- one scale ----------------------------------------------------------------------------------


def build_store(scale: str, folder: Path) -> tuple[int, float]:
    """A geokg store of ``scale`` in ``folder``: (quads, size on disk in MB)."""
    from geokg.api.worker_store import folder_mb
    from geokg.graph import open_store

    kg = open_store(folder, bundled=False, server=False)
    kg.load([ensure(scale)], GRAPH, validate=False)
    quads = sum(kg.counts().values())
    kg.close()
    return quads, folder_mb(folder)


def dump_store(store: Path, target: Path) -> float:
    """Seconds to write the N-Quads dump of ``store`` (read-only open) to ``target``."""
    import pyoxigraph as ox

    start = time.perf_counter()
    disk = ox.Store.read_only(str(store))
    disk.dump(str(target), format=ox.RdfFormat.N_QUADS)
    del disk
    return time.perf_counter() - start


def run_scale(scale: str, args) -> tuple[list[str], bool]:
    folder = Path(tempfile.mkdtemp(prefix=f"geokg-reads-{scale}-"))
    pools = {}
    try:
        store = folder / "store"
        quads, disk_mb = build_store(scale, store)
        starts = {
            (reads, n): start_workers(store, reads, n)
            for reads in ("disk", "memory")
            for n in (1, args.workers)
        }
        dump = folder / "dump.nq"
        dump_s = dump_store(store, dump)
        ref = Reference(dump)
        pools = {reads: pool(store, reads, args.workers) for reads in ("disk", "memory")}
        runners = {"disk": via(pools["disk"]), "memory": via(pools["memory"]), "oxigraph": ref.run}
        seconds, answers = interleaved(runners, args.repeat)
        peaks = {r: [mib(w.process.pid, "VmHWM") for w in p._idle] for r, p in pools.items()}
    finally:
        for p in pools.values():
            p.close()
        shutil.rmtree(folder, ignore_errors=True)
    same = all(len({repr(answers[(r, q)]) for r in runners}) == 1 for q in QUERIES)
    lines = [
        f"### {scale}: {quads:,} quads (derived graph included), {disk_mb:,.0f} MB on disk",
        "",
        "| query (ms) | rows | disk workers | memory workers | Oxigraph in memory "
        "| disk / Oxigraph | memory / Oxigraph |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for q in QUERIES:
        d, m, o = (seconds[(r, q)] * 1000 for r in ("disk", "memory", "oxigraph"))
        lines.append(
            f"| {q} | {len(answers[('oxigraph', q)]):,} | {d:,.1f} | {m:,.1f} | {o:,.1f} "
            f"| {d / o:.2f} | {m / o:.2f} |"
        )
    lines += [
        "",
        f"Same answers from the three: {'yes' if same else 'NO'}.",
        "",
        f"| worker | start, 1 worker | start, {args.workers} at once | RSS (peak) once started "
        "| peak RSS after the queries |",
        "|---|---:|---:|---:|---:|",
    ]
    for reads in ("disk", "memory"):
        one, many = starts[(reads, 1)], starts[(reads, args.workers)]
        lines.append(
            f"| {reads} | {one[0]:.2f} s | {many[0]:.2f} s "
            f"| {one[1][0][0]:,.0f} ({one[1][0][1]:,.0f}) MiB "
            f"| {' / '.join(f'{p:,.0f}' for p in peaks[reads])} MiB "
            f"(total {sum(peaks[reads]):,.0f}) |"
        )
    lines += [
        "",
        f"Oxigraph in memory, loaded in a fresh process: RSS {ref.rss[0]:,.0f} MiB (peak "
        f"{ref.rss[1]:,.0f}). A dump of the "
        f"store as N-Quads: written in {dump_s:.2f} s, bulk-loaded into memory in "
        f"{ref.load_s:.2f} s.",
        "",
    ]
    return lines, same


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="100k,1m")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per query (median)")
    parser.add_argument("--workers", type=int, default=2, help="workers per pool")
    args = parser.parse_args(argv)
    agree = True
    for scale in args.scales.split(","):
        lines, same = run_scale(scale, args)
        agree &= same
        print("\n".join(lines), flush=True)
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
