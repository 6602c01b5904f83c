"""geokg benchmark: load and query the synthetic graphs with geokg's store, raw pyoxigraph and
rdflib's in-memory Graph, in one run; check that the three agree; print medians and ratios.

    python bench/run.py --scales 10k,100k [--repeat 5] [--skip-rdflib-above 100k]
    python bench/run.py --scales 10k --repeat 1            # the quick run for CI (< 1 minute)

Each engine runs in its own subprocess (so that its peak RSS is its own, and so that rdflib can be
given a per-query time limit): it loads the file, then runs every query in bench/queries once to
warm up (that answer is the one compared) and ``--repeat`` times more, timed, with the result
fully consumed into Python values. Loads are timed without validation (as ``--no-validate``);
validation (``kg.check``) is timed in a subprocess of its own and reported on its own line.
Exits 1 if the engines disagree on any answer.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

QUERIES_DIR = HERE / "queries"
RESULTS_DIR = HERE / "results"
GRAPH = "https://w3id.org/geokg/graph/bench"
ENGINES = ("geokg", "pyoxigraph", "rdflib", "pyoxigraph-mem")
#: Reference only (not in the targets): raw pyoxigraph with an in-memory store, to show what the
#: on-disk storage costs.
REFERENCE = "pyoxigraph-mem"
#: Queries on which geokg must be at least 20x faster than rdflib (by their file-name prefix).
SPEEDUP_QUERIES = ("1-", "2-")
TARGET_RATIO = 1.3
TARGET_SPEEDUP = 20.0

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {
    XSD + name
    for name in (
        "integer decimal double float long int short byte nonNegativeInteger positiveInteger "
        "nonPositiveInteger negativeInteger unsignedLong unsignedInt unsignedShort unsignedByte"
    ).split()
}


# -- normalised answers (outside the timed part) ------------------------------------------------


def _canonical_number(text: str) -> str:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return text
    if not value.is_finite():
        return str(value)
    value = value.normalize()
    return format(value, "f") if value == value.to_integral() else str(value)


def norm_term(term) -> str:
    """A canonical string for an rdflib or pyoxigraph term (numbers by value: 3 == 3.0)."""
    if term is None:
        return "UNDEF"
    kind = type(term).__name__
    if kind in ("URIRef", "NamedNode"):
        return f"<{term}>" if kind == "URIRef" else f"<{term.value}>"
    if kind in ("BNode", "BlankNode"):
        return "_:b"  # blank node labels differ between engines; none in the bench data
    if kind == "Literal":
        if hasattr(term, "value") and not hasattr(term, "toPython"):  # pyoxigraph
            lexical, lang = term.value, term.language
            datatype = term.datatype.value if term.datatype is not None else None
        else:  # rdflib
            lexical, lang = str(term), term.language
            datatype = str(term.datatype) if term.datatype is not None else None
        if lang:
            return json.dumps(lexical, ensure_ascii=False) + "@" + lang.lower()
        datatype = datatype or XSD + "string"
        if datatype in NUMERIC:
            return "num:" + _canonical_number(lexical)
        return json.dumps(lexical, ensure_ascii=False) + f"^^<{datatype}>"
    return repr(term)


def norm_answer(kind: str, items) -> dict:
    """What is compared between engines: sorted rows, or the set of triples (with counts)."""
    if kind == "boolean":
        return {"kind": kind, "value": bool(items), "count": 1}
    if kind == "solutions":
        rows = sorted("\t".join(norm_term(t) for t in row) for row in items)
        return {"kind": kind, "rows": rows, "count": len(rows)}
    lines = ["{} {} {} .".format(*(norm_term(t) for t in triple)) for triple in items]
    distinct = sorted(set(lines))
    return {"kind": kind, "rows": distinct, "count": len(distinct), "raw_count": len(lines)}


# -- one engine, in a worker subprocess -------------------------------------------------------


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout()


def rss_mib() -> tuple[float, float]:
    """(current RSS, peak RSS) of this process in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    current = peak
    try:
        with open("/proc/self/statm") as statm:
            current = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        pass
    return current, peak


class Engine:
    """Load a file and run queries; ``run`` returns (kind, materialised items)."""

    name = ""

    def after_load(self, report: dict) -> None:
        pass

    def load(self, path: Path) -> int:
        raise NotImplementedError

    def run(self, sparql: str):
        raise NotImplementedError

    def close(self) -> None:
        pass


class GeokgEngine(Engine):
    name = "geokg"

    def __init__(self):
        from geokg.graph import open_store

        self.open_store = open_store
        self.kg = None
        self.dir = None

    def load(self, path):
        self.close()
        self.dir = tempfile.mkdtemp(prefix="geokg-bench-")
        self.path = path
        self.kg = self.open_store(self.dir, bundled=False)
        return self.kg.load([path], GRAPH, validate=False).triples

    def after_load(self, report: dict) -> None:
        """If geokg keeps a derived graph (rebuilt on every load), time its rebuild on its own,
        check its ``gk:alliedWith`` edges against the generator's, then drop it, so that the
        three engines query the same triples."""
        try:
            from geokg.graph import DERIVED_GRAPH
            from geokg.graph.derived import rebuild_derived
        except ImportError:
            return
        derived = str(DERIVED_GRAPH)
        if derived not in self.kg.graphs():
            return
        start = time.perf_counter()
        rebuild_derived(self.kg)
        report["derive_s"] = time.perf_counter() - start
        # The same load with the derivation switched off (on this instance only), timed.
        plain = []
        for _ in range(len(report["load_s"])):
            folder = tempfile.mkdtemp(prefix="geokg-bench-")
            kg = self.open_store(folder, bundled=False)
            kg._derive = lambda changed, loaded=None: None
            gc.collect()
            start = time.perf_counter()
            kg.load([self.path], GRAPH, validate=False)
            plain.append(time.perf_counter() - start)
            kg.close()
            del kg
            gc.collect()
            shutil.rmtree(folder, ignore_errors=True)
        report["load_no_derive_s"] = plain
        report["derived_triples"] = self.kg.counts().get(derived, 0)
        edges = "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{}> {{ ?a <{}> ?b }} MINUS {{ GRAPH <{}> {{ ?a <{}> ?b }} }} }}"
        allied = "https://w3id.org/geokg/ontology#alliedWith"
        report["derived_alliedWith_not_in_file"] = int(
            self.kg.query(edges.format(derived, allied, GRAPH, allied))[0][0]
        )
        report["file_alliedWith_not_derived"] = int(
            self.kg.query(edges.format(GRAPH, allied, derived, allied))[0][0]
        )
        self.kg.drop_graph(derived)

    def run(self, sparql):
        result = self.kg.query(sparql)
        if isinstance(result, bool):
            return "boolean", result
        if hasattr(result, "vars"):
            return "solutions", list(result)
        len(result)
        return "triples", list(result)

    def close(self):
        if self.kg is not None:
            self.kg.close()
            self.kg = None
            gc.collect()
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None


class PyoxigraphEngine(Engine):
    name = "pyoxigraph"

    def __init__(self):
        import pyoxigraph as ox

        self.ox = ox
        self.store = None
        self.dir = None

    def load(self, path):
        ox = self.ox
        self.close()
        self.dir = tempfile.mkdtemp(prefix="pyoxigraph-bench-")
        self.store = ox.Store(self.dir)
        self.store.bulk_load(
            path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(GRAPH)
        )
        self.store.flush()
        return len(self.store)

    def run(self, sparql):
        ox = self.ox
        result = self.store.query(sparql, use_default_graph_as_union=True)
        if isinstance(result, ox.QueryBoolean):
            return "boolean", bool(result)
        if isinstance(result, ox.QuerySolutions):
            return "solutions", [tuple(solution) for solution in result]
        return "triples", [(t.subject, t.predicate, t.object) for t in result]

    def close(self):
        if self.store is not None:
            self.store = None
            gc.collect()
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None


class PyoxigraphMemoryEngine(PyoxigraphEngine):
    name = "pyoxigraph-mem"

    def load(self, path):
        ox = self.ox
        self.close()
        self.store = ox.Store()
        self.store.bulk_load(
            path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(GRAPH)
        )
        return len(self.store)


class RdflibEngine(Engine):
    name = "rdflib"

    def __init__(self):
        from rdflib import Graph

        self.Graph = Graph
        self.graph = None

    def load(self, path):
        self.graph = self.Graph()
        self.graph.parse(str(path), format="nt")
        return len(self.graph)

    def run(self, sparql):
        result = self.graph.query(sparql)
        if result.type == "ASK":
            return "boolean", bool(result.askAnswer)
        if result.type == "SELECT":
            return "solutions", list(result)
        return "triples", list(result)


def worker(args) -> int:
    """Load one file with one engine and run every query; write a JSON report."""
    engine = {
        "geokg": GeokgEngine,
        "pyoxigraph": PyoxigraphEngine,
        "rdflib": RdflibEngine,
        "pyoxigraph-mem": PyoxigraphMemoryEngine,
    }[args.worker]()
    _, baseline = rss_mib()
    report = {"engine": engine.name, "baseline_rss_mib": baseline, "queries": {}}
    loads = []
    for _ in range(args.load_repeat):
        gc.collect()
        start = time.perf_counter()
        triples = engine.load(Path(args.file))
        loads.append(time.perf_counter() - start)
    report |= {"load_s": loads, "triples": triples}
    report["rss_after_load_mib"], report["peak_rss_load_mib"] = rss_mib()
    engine.after_load(report)
    signal.signal(signal.SIGALRM, _alarm)
    for query_file in sorted(QUERIES_DIR.glob("*.rq")):
        sparql = query_file.read_text(encoding="utf-8")
        entry = report["queries"][query_file.stem] = {"times": []}
        try:
            signal.alarm(args.timeout if args.timeout else 0)
            start = time.perf_counter()
            kind, items = engine.run(sparql)
            warm = time.perf_counter() - start
            signal.alarm(0)
        except Timeout:
            entry["timeout"] = args.timeout
            continue
        entry["warmup_s"] = warm
        entry["answer"] = norm_answer(kind, items)
        del items
        # Slow engines get fewer repetitions (at least one) within a budget per query.
        runs = args.repeat
        if args.budget and warm * args.repeat > args.budget:
            runs = max(1, int(args.budget / max(warm, 1e-9)))
        for _ in range(runs):
            start = time.perf_counter()
            engine.run(sparql)
            entry["times"].append(time.perf_counter() - start)
    report["rss_end_mib"], report["peak_rss_mib"] = rss_mib()
    engine.close()
    Path(args.out).write_text(json.dumps(report), encoding="utf-8")
    return 0


def validate_worker(args) -> int:
    """Time ``kg.check([file])`` (SHACL validation of the file) on an empty store."""
    from geokg.graph import open_store
    from geokg.graph.validation import shapes_graph
    from rdflib import RDF, SH

    shapes = shapes_graph()
    n_shapes = len(set(shapes.subjects(RDF.type, SH.NodeShape)))
    kg = open_store(None, bundled=False)
    start = time.perf_counter()
    report = kg.check([Path(args.file)])
    elapsed = time.perf_counter() - start
    _, peak = rss_mib()
    out = {
        "seconds": elapsed,
        "conforms": report.conforms,
        "violations": len(report.violations),
        "first": [str(v) for v in report.violations[:5]],
        "node_shapes": n_shapes,
        "shape_triples": len(shapes),
        "peak_rss_mib": peak,
    }
    Path(args.out).write_text(json.dumps(out), encoding="utf-8")
    return 0


# -- the run, in the parent process -----------------------------------------------------------


def _subprocess(argv: list[str], timeout: float | None) -> tuple[dict | None, str]:
    """Run a worker; (its JSON report or None, a note)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    try:
        done = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), *argv, "--out", out],
            timeout=timeout,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            return None, f"failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}"
        return json.loads(Path(out).read_text(encoding="utf-8")), ""
    except subprocess.TimeoutExpired:
        return None, f"> {timeout:.0f} s (stopped)"
    finally:
        Path(out).unlink(missing_ok=True)


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def fmt_ms(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    ms = seconds * 1000
    return f"{ms:.2f}" if ms < 10 else f"{ms:.1f}" if ms < 1000 else f"{ms:,.0f}"


def fmt_ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a is not None and b else "–"


def compare(name: str, reports: dict[str, dict]) -> list[str]:
    """Differences between the engines' answers to one query (empty: they agree)."""
    answers = {
        e: r["queries"][name]["answer"]
        for e, r in reports.items()
        if r and "answer" in r["queries"].get(name, {})
    }
    problems = []
    items = list(answers.items())
    for engine, answer in items[1:]:
        first, reference = items[0]
        if answer["kind"] != reference["kind"] or answer.get("value") != reference.get("value"):
            problems.append(f"{engine} vs {first}: {answer['kind']} vs {reference['kind']}")
        elif answer.get("rows") != reference.get("rows"):
            mine, theirs = set(answer["rows"]), set(reference["rows"])
            only_mine = sorted(mine - theirs)[:3]
            only_theirs = sorted(theirs - mine)[:3]
            problems.append(
                f"{engine} ({answer['count']} rows) vs {first} ({reference['count']} rows): "
                f"only in {engine}: {only_mine}; only in {first}: {only_theirs}"
            )
    return problems


def run_scale(scale: str, args, out) -> bool:
    """Benchmark one scale; print its table; return whether the engines agreed."""
    path = generate.ensure(scale)
    triples_in_file = sum(1 for _ in open(path, "rb"))
    size_mib = path.stat().st_size / 2**20
    out(f"\n## {scale}: {path.name} ({triples_in_file:,} triples, {size_mib:.0f} MiB)\n")
    skip_rdflib = args.skip_rdflib_above and (
        generate.scale_triples(scale) > generate.scale_triples(args.skip_rdflib_above)
    )
    reports: dict[str, dict | None] = {}
    notes = []
    for engine in ENGINES:
        if engine == "rdflib" and skip_rdflib:
            notes.append(
                f"rdflib skipped at {scale} (--skip-rdflib-above {args.skip_rdflib_above})"
            )
            reports[engine] = None
            continue
        argv = ["--worker", engine, "--file", str(path), "--repeat", str(args.repeat)]
        argv += ["--load-repeat", str(1 if engine == "rdflib" else args.load_repeat)]
        if engine == "rdflib":
            argv += ["--timeout", str(args.rdflib_timeout), "--budget", str(args.rdflib_budget)]
        print(f"[{scale}] {engine} ...", file=sys.stderr, flush=True)
        report, note = _subprocess(argv, None)
        reports[engine] = report
        if note:
            notes.append(f"{engine}: {note}")
    geokg_r, ox_r, rdf_r, mem_r = (reports[e] for e in ENGINES)

    # Load, memory.
    out("| engine | load (s), median | loads | triples | peak RSS, load (MiB) | peak RSS, all |")
    out("|---|---:|---:|---:|---:|---:|")
    loads = {}
    for engine in ENGINES:
        r = reports[engine]
        if not r:
            out(f"| {engine} | – | – | – | – | – |")
            continue
        loads[engine] = median(r["load_s"])
        out(
            f"| {engine} | {loads[engine]:.3f} | {len(r['load_s'])} | {r['triples']:,} "
            f"| {r['peak_rss_load_mib']:,.0f} | {r['peak_rss_mib']:,.0f} |"
        )
    out("")
    load_ratio = loads["geokg"] / loads["pyoxigraph"] if geokg_r and ox_r else None
    if geokg_r and "derive_s" in geokg_r:
        derive = geokg_r["derive_s"]
        plain = median(geokg_r["load_no_derive_s"])
        out(
            f"load: geokg's load includes rebuilding its derived graph "
            f"({geokg_r['derived_triples']:,} triples): {derive:.3f} s when timed on its own; "
            f"the same load with the derivation switched off: {plain:.3f} s, "
            f"geokg/pyoxigraph {plain / loads['pyoxigraph']:.2f}"
            f" (the derived graph is then dropped so that the engines query the same triples; "
            f"its gk:alliedWith edges vs the generator's: "
            f"{geokg_r['derived_alliedWith_not_in_file']} missing from the file, "
            f"{geokg_r['file_alliedWith_not_derived']} not derived)"
        )
    if load_ratio is not None:
        verdict = "met" if load_ratio <= TARGET_RATIO else "MISSED"
        out(
            f"load: geokg {loads['geokg']:.3f} s, raw pyoxigraph bulk_load {loads['pyoxigraph']:.3f}"
            f" s (both on disk, flushed): ratio {load_ratio:.2f} (target ≤ {TARGET_RATIO}: "
            f"{verdict})"
        )
    if "rdflib" in loads and "geokg" in loads:
        out(
            f"load: rdflib Graph().parse {loads['rdflib']:.2f} s: "
            f"{loads['rdflib'] / loads['geokg']:.1f}× geokg's load"
        )

    # Queries.
    out("")
    out(
        "| query | rows | geokg ms | pyoxigraph ms | rdflib ms | geokg/pyoxigraph | rdflib/geokg "
        "| pyoxigraph in memory ms (reference) |"
    )
    out("|---|---:|---:|---:|---:|---:|---:|---:|")
    agreed = True
    verdicts = []
    for query_file in sorted(QUERIES_DIR.glob("*.rq")):
        name = query_file.stem
        medians = {}
        cells = {}
        for engine in ENGINES:
            r = reports[engine]
            q = r["queries"].get(name, {}) if r else {}
            medians[engine] = median(q.get("times", []))
            if r is None:
                cells[engine] = "skipped"
            elif "timeout" in q:
                cells[engine] = f"> {q['timeout'] * 1000:,.0f}"
            else:
                n = len(q.get("times", []))
                cells[engine] = fmt_ms(medians[engine]) + (f" (n={n})" if n < args.repeat else "")
        answer = next((r["queries"][name]["answer"] for r in (geokg_r, ox_r) if r), None)
        count = "–"
        if answer:
            count = f"{answer['count']:,}"
            if answer.get("raw_count", answer["count"]) != answer["count"]:
                count += " triples"
        ratio = fmt_ratio(medians["geokg"], medians["pyoxigraph"])
        speedup = fmt_ratio(medians["rdflib"], medians["geokg"])
        if rdf_r and "timeout" in rdf_r["queries"].get(name, {}) and medians["geokg"]:
            speedup = f"> {rdf_r['queries'][name]['timeout'] / medians['geokg']:,.0f}"
        elif speedup != "–":
            speedup = f"{float(speedup):,.0f}" if float(speedup) >= 10 else speedup
        out(
            f"| {name} | {count} | {cells['geokg']} | {cells['pyoxigraph']} | {cells['rdflib']} "
            f"| {ratio} | {speedup} | {cells['pyoxigraph-mem']} |"
        )
        problems = compare(name, reports)
        if problems:
            agreed = False
            for problem in problems:
                notes.append(f"DISAGREEMENT on {name}: {problem}")
        if medians["geokg"] and medians["pyoxigraph"]:
            r = medians["geokg"] / medians["pyoxigraph"]
            if r > TARGET_RATIO:
                verdicts.append(f"{name}: geokg/pyoxigraph {r:.2f} > {TARGET_RATIO} (MISSED)")
        if name.startswith(SPEEDUP_QUERIES) and medians["geokg"]:
            if medians["rdflib"]:
                s = medians["rdflib"] / medians["geokg"]
                if s < TARGET_SPEEDUP:
                    verdicts.append(f"{name}: rdflib/geokg {s:.1f} < {TARGET_SPEEDUP} (MISSED)")
    out("")
    checked = [e for e in ENGINES if reports[e]]
    if mem_r and ox_r:
        out(
            "on disk vs in memory (raw pyoxigraph, same queries): "
            + ", ".join(
                f"{n.split('-')[0]}: {fmt_ratio(median(ox_r['queries'][n]['times']), median(t))}×"
                for n, t in ((n, q["times"]) for n, q in mem_r["queries"].items())
                if t and ox_r["queries"].get(n, {}).get("times")
            )
            + f"; load {fmt_ratio(loads.get('pyoxigraph'), loads.get('pyoxigraph-mem'))}×"
        )
    out(
        f"answers: {'the same' if agreed else 'DIFFERENT'} across {', '.join(checked)} "
        f"(SELECT: sorted rows of lexical values, numbers by value; CONSTRUCT/DESCRIBE: "
        f"sets of N-Triples lines)"
    )
    if verdicts:
        out("query targets missed: " + "; ".join(verdicts))
    else:
        out(
            f"query targets: every query ≤ {TARGET_RATIO}× raw pyoxigraph"
            + (
                f"; join and aggregate ≥ {TARGET_SPEEDUP:.0f}× faster than rdflib"
                if rdf_r
                else " (rdflib not run: speed-up target not measured)"
            )
        )

    # Validation.
    if args.skip_validate_above and generate.scale_triples(scale) > generate.scale_triples(
        args.skip_validate_above
    ):
        out(f"validation ({scale}): skipped (--skip-validate-above {args.skip_validate_above})")
    else:
        print(f"[{scale}] validation ...", file=sys.stderr, flush=True)
        v, note = _subprocess(
            ["--worker", "validate", "--file", str(path)], args.validate_timeout or None
        )
        if v is None:
            out(f"validation ({scale}): kg.check([{path.name}]) {note}")
        else:
            shapes = (
                f"{v['node_shapes']} node shapes"
                if v["shape_triples"]
                else "NO SHAPES (ontology/shapes.ttl absent or empty: only parsing is timed)"
            )
            verdict = (
                "conforms"
                if v["conforms"]
                else f"{v['violations']} violation(s), e.g. {v['first'][:2]}"
            )
            out(
                f"validation ({scale}): kg.check([{path.name}]) {v['seconds']:.2f} s, "
                f"peak RSS {v['peak_rss_mib']:,.0f} MiB; {shapes}; {verdict}"
            )
    for note in notes:
        out(f"note: {note}")
    return agreed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="10k,100k", help="comma-separated: 10k,100k,1m")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query (median)")
    parser.add_argument("--load-repeat", type=int, default=3, help="timed loads (not rdflib)")
    parser.add_argument("--skip-rdflib-above", default=None, help="e.g. 100k: no rdflib at 1m")
    parser.add_argument(
        "--rdflib-timeout", type=int, default=300, help="seconds per rdflib query (300)"
    )
    parser.add_argument(
        "--rdflib-budget",
        type=float,
        default=60,
        help="seconds of timed runs per rdflib query; slow ones get fewer repetitions (60)",
    )
    parser.add_argument(
        "--validate-timeout", type=float, default=30, help="seconds per scale (30; 0: no limit)"
    )
    parser.add_argument("--skip-validate-above", default=None, help="e.g. 100k")
    # Worker mode (internal).
    parser.add_argument("--worker", choices=[*ENGINES, "validate"], help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--timeout", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--budget", type=float, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker == "validate":
        return validate_worker(args)
    if args.worker:
        return worker(args)

    import pyoxigraph
    import rdflib

    stamp = dt.datetime.now()
    lines: list[str] = []

    def out(line: str = "") -> None:
        print(line, flush=True)
        lines.append(line)

    out(f"# geokg benchmark, {stamp:%Y-%m-%d %H:%M}")
    out("")
    out(
        f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"pyoxigraph {pyoxigraph.__version__}, rdflib {rdflib.__version__}; "
        f"query times are medians of {args.repeat} runs after a warm-up, result fully consumed "
        f"(geokg: Rows of rdflib terms / rdflib.Graph; pyoxigraph: tuples of its terms; "
        f"rdflib: list(g.query(q))); loads are medians of {args.load_repeat} (rdflib: 1), "
        f"without validation"
    )
    agreed = True
    for scale in args.scales.split(","):
        agreed = run_scale(scale.strip(), args, out) and agreed
    RESULTS_DIR.mkdir(exist_ok=True)
    result_file = RESULTS_DIR / f"{stamp:%Y-%m-%d-%H%M%S}.md"
    result_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\n(written to {result_file.relative_to(HERE.parent)})", file=sys.stderr)
    if not agreed:
        print("the engines DISAGREE on at least one answer", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
