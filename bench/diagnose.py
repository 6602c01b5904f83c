"""Where geokg's time goes, relative to raw pyoxigraph: a breakdown of loads and queries.

    python bench/diagnose.py --scale 100k [--repeat 5]

For the load: the syntax pass that ``KnowledgeGraph.load`` makes before writing (pyoxigraph's
parser yielding Python objects, then one new ``Quad`` per triple to move it into the target
graph) against pyoxigraph's bulk load. For each query: the engine alone (the same call as
raw pyoxigraph), the conversion of every term to rdflib, and building the ``Rows`` or the
``rdflib.Graph``; plus prototypes of cheaper conversions (measured here only; geokg's code is
not changed by this script).
"""

from __future__ import annotations

import argparse
import gc
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import pyoxigraph as ox  # noqa: E402
from geokg.graph import open_store  # noqa: E402
from geokg.graph.namespaces import PREFIXES  # noqa: E402
from geokg.graph.store import _Counting  # noqa: E402
from geokg.graph.terms import to_rdflib  # noqa: E402
from rdflib import Graph, Literal, URIRef  # noqa: E402

GRAPH = "https://w3id.org/geokg/graph/bench"


def timed(fn, repeat: int) -> float:
    """Median seconds of ``repeat`` calls after one warm-up."""
    fn()
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.2f}"


class CachedConverter:
    """Prototype: to_rdflib with a cache of IRIs and literals (values repeat a lot in results)."""

    def __init__(self):
        self.cache: dict = {}

    def __call__(self, term):
        if term is None:
            return None
        key = term  # pyoxigraph terms are hashable and compare by value
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = to_rdflib(term)
        return found


def _derived_graph() -> str | None:
    try:
        from geokg.graph import DERIVED_GRAPH
    except ImportError:
        return None
    return str(DERIVED_GRAPH)


def load_breakdown(path: Path, repeat: int) -> None:
    graph = ox.NamedNode(GRAPH)

    def parse_only():
        for _ in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES):
            pass

    def parse_and_rewrap():  # what geokg.graph.store._quads does for a triples format
        for item in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES):
            ox.Quad(item.subject, item.predicate, item.object, graph)

    def bulk(memory: bool, stream: bool = False):
        def run():
            folder = None if memory else tempfile.mkdtemp(prefix="diag-")
            store = ox.Store(folder) if folder else ox.Store()
            if stream:  # from a Python binary stream, as geokg passes it (through _Counting)
                with open(path, "rb") as raw:
                    counted = _Counting(raw, path.stat().st_size, "loading", None)
                    store.bulk_load(input=counted, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
            else:
                store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
            if folder:
                store.flush()
                del store
                gc.collect()
                shutil.rmtree(folder, ignore_errors=True)

        return run

    def geokg_load():
        folder = tempfile.mkdtemp(prefix="diag-")
        kg = open_store(folder, bundled=False)
        kg.load([path], GRAPH, validate=False)
        kg.close()
        del kg
        gc.collect()
        shutil.rmtree(folder, ignore_errors=True)

    def derive_alone():  # geokg's derived-graph rebuild, which its load runs after writing
        from geokg.graph.derived import rebuild_derived

        rebuild_derived(derive_alone.kg)

    def transactional_load():  # Store.load: atomic by itself, no separate syntax pass
        folder = tempfile.mkdtemp(prefix="diag-")
        store = ox.Store(folder)
        store.load(path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
        store.flush()
        del store
        gc.collect()
        shutil.rmtree(folder, ignore_errors=True)

    print(f"\n## load of {path.name} (medians of {repeat})\n")
    print("| step | ms |")
    print("|---|---:|")
    rows = [
        ("geokg KnowledgeGraph.load(validate=False), on disk", geokg_load),
        ("raw pyoxigraph bulk_load + flush, on disk", bulk(False)),
        (
            "raw pyoxigraph bulk_load from a Python stream (geokg's _Counting), on disk",
            bulk(False, True),
        ),
        ("  syntax pass: ox.parse, objects only", parse_only),
        ("  syntax pass as geokg does it: ox.parse + new Quad per triple", parse_and_rewrap),
        ("raw pyoxigraph Store.load (transactional), on disk", transactional_load),
        ("raw pyoxigraph bulk_load, in memory", bulk(True)),
    ]
    try:
        folder = tempfile.mkdtemp(prefix="diag-")
        derive_alone.kg = open_store(folder, bundled=False)
        derive_alone.kg.load([path], GRAPH, validate=False)
        rows.insert(1, ("  of which the derived-graph rebuild (timed alone)", derive_alone))
    except ImportError:
        pass
    for label, fn in rows:
        print(f"| {label} | {ms(timed(fn, repeat))} |")


def _one_query(kg, query_file: Path, repeat: int) -> None:
    backend = kg.backend
    sparql = query_file.read_text(encoding="utf-8")
    first = backend.query(sparql, union=True)
    is_solutions = isinstance(first, ox.QuerySolutions)

    def engine():
        result = backend.query(sparql, union=True)
        if isinstance(result, ox.QuerySolutions):
            return [tuple(row) for row in result]
        return [(t.subject, t.predicate, t.object) for t in result]

    raw = engine()

    def full():
        result = kg.query(sparql)
        return list(result)

    def convert():
        return [tuple(to_rdflib(t) for t in row) for row in raw]

    def convert_cached():
        conv = CachedConverter()
        return [tuple(conv(t) for t in row) for row in raw]

    converted = convert()

    def build():
        if is_solutions:
            return list(converted)
        graph = Graph()
        for prefix, iri in PREFIXES.items():
            graph.bind(prefix, iri, override=True)
        for triple in converted:
            graph.add(triple)
        return graph

    def empty_graph():
        graph = Graph()
        for prefix, iri in PREFIXES.items():
            graph.bind(prefix, iri, override=True)

    cells = [timed(f, repeat) for f in (full, engine, convert, build, convert_cached)]
    graph_cell = "–" if is_solutions else ms(timed(empty_graph, repeat))
    print(
        f"| {query_file.stem} | {len(raw):,} | "
        + " | ".join(ms(c) for c in cells)
        + f" | {graph_cell} |"
    )


def query_breakdown(path: Path, repeat: int) -> None:
    folder = tempfile.mkdtemp(prefix="diag-")
    kg = open_store(folder, bundled=False)
    kg.load([path], GRAPH, validate=False)
    derived = _derived_graph()
    if derived and derived in kg.graphs():
        kg.drop_graph(derived)  # as run.py does: query the same triples as raw pyoxigraph
    backend = kg.backend
    print(f"\n## queries on {path.name} (geokg on disk; medians of {repeat}, ms)\n")
    print(
        "| query | results | geokg kg.query | engine only (raw) | uncached to_rdflib of every term "
        "| Rows / Graph building | cached to_rdflib (as Rows does since b862128) | Graph() with prefixes |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for query_file in sorted((HERE / "queries").glob("*.rq")):
        _one_query(kg, query_file, repeat)

    # Cost per term by kind, on a sample of the data.
    def sample(where: str) -> list:
        query = f"SELECT ?o WHERE {{ ?s ?p ?o {where} }} LIMIT 20000"
        return [row[0] for row in backend.query(query, union=True)]

    kinds = {
        "IRI": sample("FILTER(isIRI(?o))"),
        "typed literal (integer, date)": sample(
            "FILTER(DATATYPE(?o) IN (<http://www.w3.org/2001/XMLSchema#integer>, "
            "<http://www.w3.org/2001/XMLSchema#date>))"
        ),
        "language-tagged literal": sample("FILTER(LANG(?o) != '')"),
    }
    print("\n| term kind | to_rdflib µs/term | URIRef(str) / Literal(str) alone µs/term |")
    print("|---|---:|---:|")
    for kind, terms in kinds.items():
        if not terms:
            continue
        per = timed(lambda terms=terms: [to_rdflib(t) for t in terms], repeat) / len(terms)
        values = [t.value for t in terms]
        if kind == "IRI":
            alone = timed(lambda v=values: [URIRef(x) for x in v], repeat) / len(terms)
        else:
            alone = timed(lambda v=values: [Literal(x) for x in v], repeat) / len(terms)
        print(f"| {kind} ({len(terms):,}) | {per * 1e6:.2f} | {alone * 1e6:.2f} |")
    kg.close()
    shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="100k")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-load", action="store_true")
    args = parser.parse_args(argv)
    path = generate.ensure(args.scale)
    if not args.skip_load:
        load_breakdown(path, args.repeat)
    query_breakdown(path, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
