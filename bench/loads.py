"""Loads with the derived graph against raw pyoxigraph's bulk load, small loads into a big
store, and what ``Store.optimize()`` costs and buys after a load (issue 19).

    python bench/loads.py --scales 100k,1m [--repeat 3] [--query-repeat 5]

Every load runs in a fresh subprocess into a fresh on-disk store (``tempfile``, same disk),
one after the other; with ``--repeat N`` the three loads alternate N times (medians):

- **raw pyoxigraph**: ``Store(dir).bulk_load(path=file, to_graph=G)`` then ``flush()``;
- **geokg**: ``open_store(dir, bundled=False).load([file], G, validate=False)``: the syntax
  pass, the bulk load and the derived graph (geokg.graph.derived), flushed;
- **geokg, derivation off**: the same load with ``kg._derive`` switched off;
- **raw pyoxigraph, file and derived triples**: raw pyoxigraph bulk-loading the file and then
  the derived graph (precomputed once, ``bench/data/kg-SCALE-derived.nq``): what writing the
  derived triples costs by itself, the floor of any load that keeps them.

After its first load, the geokg subprocess also times, on that store: a load of 10,000 triples
of the same file that the derivation does not read (claims, sources: into a new graph; the
rebuild is skipped), a load of one new treaty (a defence article between two states: the
derived graph is recomputed from every input of the store and only the difference written),
``rebuild_derived`` alone, and ``Store.optimize()``: run on a checkpoint copy of the store
(``Store.backup``: the same files), timed, then the queries of bench/queries (aggregate, date
filter and the others) on the copy and on the store, alternated run by run (medians of
``--query-repeat``; raw pyoxigraph, results consumed).
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

GRAPH = "https://w3id.org/geokg/graph/bench"
QUERIES = sorted((HERE / "queries").glob("*.rq"))
TARGET = 1.3
ONE_TREATY = """@prefix gk: <https://w3id.org/geokg/ontology#> .
@prefix state: <https://w3id.org/geokg/id/state/> .
<https://example.org/treaty/new> a gk:Treaty ; gk:party state:FRA , state:DEU ;
    gk:hasArticle <https://example.org/treaty/new/1> .
<https://example.org/treaty/new/1> gk:provision <https://w3id.org/geokg/id/provision/defense> .
"""
_INPUTS = (
    "#provision>",
    "#hasArticle>",
    "#party>",
    "#obligor>",
    "#beneficiary>",
    "#obligation>",
    "#inForceUntil>",
    "#inTreaty>",
    "#memberState>",
    "#exitDate>",
    "#Treaty>",
)


def _timed(action) -> float:
    gc.collect()
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _no_inputs(path: Path, count: int = 10_000) -> Path:
    """``count`` triples of ``path`` that the derivation does not read, as a file."""
    out = path.with_name(path.stem + "-no-inputs.nt")
    if not out.exists():
        with open(path, encoding="utf-8") as source, open(out, "w", encoding="utf-8") as sink:
            kept = 0
            for line in source:
                if not any(marker in line for marker in _INPUTS):
                    sink.write(line)
                    kept += 1
                    if kept == count:
                        break
    return out


def derived_file(path: Path) -> Path:
    """The derived graph of ``path`` (computed by geokg.graph.derivation), as N-Quads."""
    import datetime as dt

    import pyoxigraph as ox
    from geokg.graph import DERIVED_GRAPH
    from geokg.graph.derivation import Inputs, derive

    out = path.with_name(path.stem + "-derived.nq")
    if not out.exists():
        inputs = Inputs()
        inputs.add(ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES))
        graph = ox.NamedNode(str(DERIVED_GRAPH))
        triples = derive(inputs, dt.date.today().isoformat())
        quads = (ox.Quad(s, p, o, graph) for s, p, o in triples)
        ox.serialize(quads, str(out), format=ox.RdfFormat.N_QUADS)
    return out


def raw_load(path: Path, derived: Path | None = None) -> dict:
    import pyoxigraph as ox

    folder = tempfile.mkdtemp(prefix="loads-raw-")
    try:
        store = ox.Store(folder)

        def load():
            store.bulk_load(
                path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(GRAPH)
            )
            if derived is not None:
                store.bulk_load(path=str(derived), format=ox.RdfFormat.N_QUADS)
            store.flush()

        return {"seconds": _timed(load)}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def geokg_load(path: Path, derive: bool, extras: bool, query_repeat: int) -> dict:
    from geokg.graph import DERIVED_GRAPH, derived, open_store

    folder = tempfile.mkdtemp(prefix="loads-geokg-")
    try:
        kg = open_store(folder, bundled=False, server=False)
        if not derive:
            kg._derive = lambda changed, loaded=None: None
        out = {"seconds": _timed(lambda: kg.load([path], GRAPH, validate=False))}
        if derive:
            out["derived_triples"] = kg.counts().get(str(DERIVED_GRAPH), 0)
        if extras:
            done = []
            original = derived.refresh_derived
            derived.refresh_derived = lambda *a, **k: done.append(original(*a, **k)) or done[-1]
            small = _no_inputs(path)
            out["no_inputs_s"] = _timed(lambda: kg.load([small], GRAPH + "/extra", validate=False))
            out["one_treaty_s"] = _timed(
                lambda: kg.load_data(ONE_TREATY, format="ttl", graph=GRAPH + "/new", validate=False)
            )
            out["paths"] = list(done)
            out["rebuild_s"] = _timed(lambda: derived.rebuild_derived(kg))
            out |= _optimize(kg.backend.store, folder + "-copy", query_repeat)
        kg.close()
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _optimize(store, copy: str, repeat: int) -> dict:
    """``Store.optimize()`` on a checkpoint copy of ``store`` (same data, same files), timed;
    then every bench query on the two stores, alternated run by run (medians; raw pyoxigraph,
    result consumed), so that the machine's load weighs on both alike."""
    import pyoxigraph as ox

    store.backup(copy)
    optimized = ox.Store(copy)
    try:
        out = {"optimize_s": _timed(optimized.optimize), "queries": {}}
        for query in QUERIES:
            text = query.read_text(encoding="utf-8")
            runs: dict[str, list[float]] = {"before": [], "after": []}
            for _ in range(repeat + 1):  # the first run of each warms up
                for name, target in (("before", store), ("after", optimized)):
                    runs[name].append(_timed(lambda s=target, q=text: _consume(s, q)))
            out["queries"][query.stem] = {k: statistics.median(v[1:]) for k, v in runs.items()}
        return out
    finally:
        del optimized
        gc.collect()
        shutil.rmtree(copy, ignore_errors=True)


def _consume(store, sparql: str) -> None:
    """Run a query and read every term of its result (as bench/run.py does for pyoxigraph)."""
    import pyoxigraph as ox

    result = store.query(sparql, use_default_graph_as_union=True)
    if isinstance(result, ox.QuerySolutions):
        [tuple(row) for row in result]
    elif not isinstance(result, ox.QueryBoolean):
        [(t.subject, t.predicate, t.object) for t in result]


def _worker(args) -> int:
    path = Path(args.file)
    if args.worker == "raw":
        report = raw_load(path)
    elif args.worker == "raw+derived":
        report = raw_load(path, derived_file(path))
    else:
        report = geokg_load(path, args.worker == "geokg", args.extras, args.query_repeat)
    report["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    Path(args.out).write_text(json.dumps(report), encoding="utf-8")
    return 0


def _run(worker: str, path: Path, *extra: str) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    try:
        argv = [
            sys.executable,
            __file__,
            "--worker",
            worker,
            "--file",
            str(path),
            "--out",
            str(out),
        ]
        subprocess.run([*argv, *extra], check=True)
        return json.loads(out.read_text(encoding="utf-8"))
    finally:
        out.unlink(missing_ok=True)


def run_scale(scale: str, repeat: int, query_repeat: int, out) -> None:
    path = generate.ensure(scale)
    derived_file(path)
    loads: dict[str, list[float]] = {"raw": [], "geokg": [], "plain": [], "raw+derived": []}
    peaks: dict[str, float] = {}
    first = None
    for i in range(repeat):
        for worker in ("raw", "geokg", "plain", "raw+derived"):
            print(f"[{scale}] {worker} load {i + 1}/{repeat}", file=sys.stderr, flush=True)
            extra = (
                ["--extras", "--query-repeat", str(query_repeat)]
                if worker == "geokg" and i == 0
                else []
            )
            report = _run(worker, path, *extra)
            loads[worker].append(report["seconds"])
            peaks[worker] = max(peaks.get(worker, 0.0), report["peak_rss_mib"])
            if extra:
                first = report
    raw, geokg, plain, floor = (
        statistics.median(loads[k]) for k in ("raw", "geokg", "plain", "raw+derived")
    )
    ratio = geokg / raw
    out(
        f"| {scale} | {raw:.2f} s | {geokg:.2f} s | {ratio:.2f} ({'met' if ratio <= TARGET else 'missed'}) "
        f"| {plain:.2f} s ({plain / raw:.2f}) | {geokg - plain:.2f} s | {first['derived_triples']:,} "
        f"| {first['rebuild_s']:.2f} s | {first['no_inputs_s'] * 1000:.0f} ms ({first['paths'][0]}) "
        f"| {first['one_treaty_s'] * 1000:.0f} ms ({first['paths'][1]}) "
        f"| {floor:.2f} s ({floor / raw:.2f}) |"
    )
    runs = "; ".join(f"{k} " + ", ".join(f"{v:.2f}" for v in vs) for k, vs in loads.items())
    print(f"[{scale}] every load (s, in order): {runs}", file=sys.stderr, flush=True)
    first["runs"], first["peaks"] = loads, peaks
    return first


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="100k,1m")
    parser.add_argument("--repeat", type=int, default=1, help="alternated loads (median)")
    parser.add_argument("--query-repeat", type=int, default=5)
    parser.add_argument(
        "--worker", choices=["raw", "raw+derived", "geokg", "plain"], help=argparse.SUPPRESS
    )
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--extras", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return _worker(args)
    out = lambda line="": print(line, flush=True)  # noqa: E731
    out(
        "| scale | raw pyoxigraph bulk_load | geokg load (with derived graph) | ratio "
        "| geokg, derivation off (ratio) | derivation's share | derived triples "
        "| rebuild_derived alone | then 10k triples not read by it | then one treaty "
        "| raw pyoxigraph loading the file and its derived triples (ratio) |"
    )
    out("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    firsts = {s: run_scale(s, args.repeat, args.query_repeat, out) for s in args.scales.split(",")}
    for scale, first in firsts.items():
        out(
            f"\n{scale}, every load in seconds, in the order run: "
            + "; ".join(
                f"{k} " + ", ".join(f"{v:.2f}" for v in vs) for k, vs in first["runs"].items()
            )
        )
        peaks = ", ".join(f"{k} {v:,.0f}" for k, v in first["peaks"].items())
        out(f"{scale}, peak RSS of the loads' processes (MiB): {peaks}")
    out("")
    out("| scale | query | before optimize | after | after / before | optimize took |")
    out("|---|---|---:|---:|---:|---:|")
    for scale, first in firsts.items():
        for name, times in first["queries"].items():
            before, after = times["before"], times["after"]
            out(
                f"| {scale} | {name} | {before * 1000:.1f} ms | {after * 1000:.1f} ms "
                f"| {after / before:.2f} | {first['optimize_s']:.2f} s |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
