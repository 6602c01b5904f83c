"""geokg's SPARQL server against a minimal FastAPI + pyoxigraph app and Oxigraph's own server.

    python bench/server.py                        # bundled KB + ATOP, and the 100k graph
    python bench/server.py --datasets kb-atop --seconds 2 --clients 1,8

In one run, for each data set: builds a geokg store (``kb-atop``: the bundled knowledge base
plus the ATOP import from tests/data, with the derived graph; ``100k``: bench/generate.py's
100k graph), copies its folder three times and serves the four copies at once:

- **geokg**: ``geokg serve --store COPY`` with its defaults (query workers, time limit, row
  cap, query inspection, read-only sealed workers; ``--reads auto``: workers hold a copy in
  memory for a store of up to 50 MB on disk: the run prints each store's size);
- **geokg-disk**: the same with ``--reads disk`` (workers read RocksDB, as the minimal app does);
- **minimal**: the app in :func:`minimal_app` (FastAPI, one GET endpoint: ``store.query`` then
  pyoxigraph's native JSON serializer, union default graph) under uvicorn, no access log;
- **oxigraph**: ``oxigraph serve-read-only --union-default-graph`` (the ``oxigraph`` CLI of
  ``pip install oxigraph``, same Oxigraph version as pyoxigraph).

All four read the same RocksDB files (geokg's memory workers copy them at start). It first checks that they give the same answer to each
query, then for each query (``lookup``, ``aggregate``, ``date filter``, ``join``) and each
number of clients (keep-alive connections, each sending its next query once the last answer
is in) it measures the four servers in turn for ``--seconds``, ``--rounds`` times, and keeps
each server's best round (the machine is shared: other work only ever slows a round down),
and also gives the median over the rounds of geokg / minimal within the round (steadier when
one server has a lucky round):
requests per second, median and 99th-percentile latency, and the server's CPU time per
request (the server's process and its children, from /proc). Every request has a query text of its own
(a varying parameter and a counter in a comment), so no cache answers it. The load generator
is a small asyncio HTTP/1.1 client in this process (it shares the machine's cores with the
servers: compare the ratios within one run).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

RESULTS_DIR = HERE / "results"
SERVERS = ("geokg", "geokg-disk", "minimal", "oxigraph")
PREFIXES = (
    "PREFIX gk: <https://w3id.org/geokg/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
    "PREFIX state: <https://w3id.org/geokg/id/state/>\n"
)
#: States that are parties to treaties in both data sets (the lookup and join cycle over them).
CODES = ("FRA", "USA", "GBR", "DEU", "RUS", "CHN", "ITA", "ESP", "POL", "TUR", "JPN", "BRA")


def lookup(n: int) -> str:
    """One state's labels by its ISO code: a cheap query (1–2 rows)."""
    code = CODES[n % len(CODES)]
    return (
        f"# request {n}\n{PREFIXES}"
        f'SELECT ?state ?label WHERE {{ ?state gk:isoAlpha3 "{code}" ; rdfs:label ?label }}'
    )


def aggregate(n: int) -> str:
    """Treaties per party over the whole graph (one row per state)."""
    return (
        f"# request {n}\n{PREFIXES}"
        "SELECT ?party (COUNT(DISTINCT ?treaty) AS ?treaties) "
        "WHERE { ?treaty gk:party ?party } GROUP BY ?party ORDER BY DESC(?treaties) ?party"
    )


def date_filter(n: int) -> str:
    """Treaties in force on a date (gYear or date precision, as bench/queries/4-…)."""
    day = dt.date(1950, 1, 1) + dt.timedelta(days=(n * 97) % 25_000)
    return (
        f"# request {n}\n{PREFIXES}"
        "SELECT ?treaty ?from ?until WHERE {\n"
        "  ?treaty a gk:Treaty ; gk:inForceFrom ?from .\n"
        "  OPTIONAL { ?treaty gk:inForceUntil ?until }\n"
        "  BIND (IF(DATATYPE(?from) = xsd:gYear,"
        ' STRDT(CONCAT(STR(?from), "-01-01"), xsd:date), ?from) AS ?start)\n'
        "  BIND (IF(DATATYPE(?until) = xsd:gYear,"
        ' STRDT(CONCAT(STR(?until), "-12-31"), xsd:date), ?until) AS ?end)\n'
        f'  FILTER (?start <= "{day}"^^xsd:date && (!BOUND(?until) || ?end >= "{day}"^^xsd:date))\n'
        "}"
    )


def join(n: int) -> str:
    """One state's treaty partners with their English labels (party, party, label)."""
    code = CODES[n % len(CODES)]
    return (
        f"# request {n}\n{PREFIXES}"
        "SELECT ?treaty ?partner ?label WHERE {\n"
        f"  ?treaty gk:party state:{code}, ?partner .\n"
        f"  FILTER (?partner != state:{code})\n"
        '  ?partner rdfs:label ?label FILTER (LANG(?label) = "en")\n'
        "}"
    )


QUERIES: dict[str, Callable[[int], str]] = {
    "lookup": lookup,
    "aggregate": aggregate,
    "date filter": date_filter,
    "join": join,
}


# -- the data -----------------------------------------------------------------------------------


def build_store(dataset: str, folder: Path) -> int:
    """A geokg store of ``dataset`` at ``folder``; returns its number of triples."""
    from geokg.graph import open_store

    if dataset == "kb-atop":
        from geokg.graph.importers import import_atop

        kg = open_store(folder, bundled=True, server=False)
        atop = ROOT / "tests" / "data" / "atop"
        import_atop(
            kg, atop / "atop-alliance-level.csv", atop / "atop-member-level.csv", validate=False
        )
    else:
        import generate

        path = generate.data_path(dataset)
        if not path.exists():
            generate.main(["--scales", dataset])
        kg = open_store(folder, bundled=False, server=False)
        kg.load([path], "https://w3id.org/geokg/graph/bench", validate=False)
    triples = sum(kg.counts().values())
    kg.close()
    return triples


# -- the servers --------------------------------------------------------------------------------


def minimal_app(path: str):
    """The reference: one endpoint, the query to pyoxigraph, its native JSON serializer.

    >>> app = minimal_app(None)
    >>> [r.path for r in app.routes][-1]
    '/sparql'
    """
    import pyoxigraph as ox
    from fastapi import FastAPI, Response

    store = ox.Store(path)
    app = FastAPI()

    @app.get("/sparql")
    def sparql(query: str) -> Response:
        result = store.query(query, use_default_graph_as_union=True)
        data = result.serialize(format=ox.QueryResultsFormat.JSON)
        return Response(data, media_type="application/sparql-results+json")

    return app


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One server process on a port of its own."""

    def __init__(self, name: str, command: list[str], port: int, log: Path):
        self.name, self.port, self.log = name, port, log
        with open(log, "wb") as sink:  # a pipe would fill up with the access log
            self.process = subprocess.Popen(
                command, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} ended: {self.log.read_text()[-2000:]}")
            try:
                status, _, _ = asyncio.run(_one(self.port, "ASK { }"))
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer within {timeout:g} s")

    def cpu_seconds(self) -> float:
        """User + system CPU time of the process and its live descendants."""
        return sum(_cpu(pid) for pid in _tree(self.process.pid))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _tree(root: int) -> list[int]:
    """``root`` and its descendants (from /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_servers(store: Path, work: Path) -> dict[str, Server]:
    """geokg on ``store``, the minimal app and Oxigraph on copies of it."""
    bin_dir = Path(sys.executable).parent
    copies = {}
    for name in ("geokg-disk", "minimal", "oxigraph"):
        copies[name] = work / f"store-{name}"
        shutil.copytree(store, copies[name])
    ports = {name: _free_port() for name in SERVERS}
    servers = {
        "geokg": Server(
            "geokg",
            [str(bin_dir / "geokg"), "serve", "--store", str(store), "--port", str(ports["geokg"])],
            ports["geokg"],
            work / "geokg.log",
        ),
        "geokg-disk": Server(
            "geokg-disk",
            [
                str(bin_dir / "geokg"),
                "serve",
                "--reads",
                "disk",
                "--store",
                str(copies["geokg-disk"]),
                "--port",
                str(ports["geokg-disk"]),
            ],
            ports["geokg-disk"],
            work / "geokg-disk.log",
        ),
        "minimal": Server(
            "minimal",
            [sys.executable, __file__, "--minimal", str(copies["minimal"]), str(ports["minimal"])],
            ports["minimal"],
            work / "minimal.log",
        ),
        "oxigraph": Server(
            "oxigraph",
            [
                shutil.which("oxigraph", path=str(bin_dir)) or "oxigraph",
                "serve-read-only",
                "--location",
                str(copies["oxigraph"]),
                "--bind",
                f"127.0.0.1:{ports['oxigraph']}",
                "--union-default-graph",
            ],
            ports["oxigraph"],
            work / "oxigraph.log",
        ),
    }
    for server in servers.values():
        server.wait_ready()
    return servers


# -- the load generator -------------------------------------------------------------------------


class Connection:
    """One keep-alive HTTP/1.1 connection that sends GET /sparql?query=… and reads the answer."""

    def __init__(self, port: int):
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, query: str) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        target = "/sparql?query=" + urllib.parse.quote(query, safe="")
        self.writer.write(
            f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
            "Accept: application/sparql-results+json\r\n\r\n".encode()
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = await self._chunked()
        else:
            body = b""
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, headers, body

    async def _chunked(self) -> bytes:
        chunks = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")
                return b"".join(chunks)
            chunks.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


async def _one(port: int, query: str) -> tuple[int, dict[str, str], bytes]:
    connection = Connection(port)
    try:
        return await connection.request(query)
    finally:
        await connection.close()


async def _load(
    port: int, make: Callable[[int], str], clients: int, seconds: float, start: int
) -> tuple[list[float], int, float]:
    """Latencies of the answered requests, the failures and the elapsed seconds."""
    counter = itertools.count(start)
    latencies: list[float] = []
    failures = 0
    stop_at = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal failures
        connection = Connection(port)
        try:
            while time.perf_counter() < stop_at:
                query = make(next(counter))
                began = time.perf_counter()
                status, _, _ = await connection.request(query)
                if status == 200:
                    latencies.append(time.perf_counter() - began)
                else:
                    failures += 1
        finally:
            await connection.close()

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return latencies, failures, time.perf_counter() - began


def measure(
    server: Server,
    make: Callable[[int], str],
    clients: int,
    seconds: float,
    start: int,
    warm_up: bool = True,
) -> dict:
    """req/s, p50 and p99 (ms), CPU ms per request for ``server`` under ``clients`` clients."""
    if warm_up:
        asyncio.run(_load(server.port, make, clients, min(0.5, seconds / 4), start + 500_000))
    cpu = server.cpu_seconds()
    latencies, failures, elapsed = asyncio.run(_load(server.port, make, clients, seconds, start))
    cpu = server.cpu_seconds() - cpu
    latencies.sort()
    n = len(latencies)
    return {
        "rps": n / elapsed,
        "p50": statistics.median(latencies) * 1000 if n else float("nan"),
        "p99": latencies[min(n - 1, int(n * 0.99))] * 1000 if n else float("nan"),
        "cpu_ms": cpu / n * 1000 if n else float("nan"),
        "requests": n,
        "failures": failures,
    }


# -- checking and reporting ---------------------------------------------------------------------


def _rows(body: bytes) -> list[tuple]:
    """The solutions of a SPARQL JSON answer, as sorted canonical rows."""
    doc = json.loads(body)
    names = doc["head"].get("vars", [])
    rows = []
    for binding in doc["results"]["bindings"]:
        rows.append(tuple(json.dumps(binding.get(n), sort_keys=True) for n in names))
    return sorted(rows)


def check_agreement(servers: dict[str, Server]) -> dict[str, int]:
    """The number of rows each query gives; SystemExit if the servers disagree."""
    sizes = {}
    for name, make in QUERIES.items():
        answers = {}
        for server in servers.values():
            status, headers, body = asyncio.run(_one(server.port, make(0)))
            if status != 200:
                raise SystemExit(f"{server.name} answered {status} to {name}: {body[:300]!r}")
            answers[server.name] = _rows(body)
        first = answers["geokg"]
        for other, rows in answers.items():
            if rows != first:
                raise SystemExit(f"{name}: {other} gives {len(rows)} rows, geokg {len(first)}")
        sizes[name] = len(first)
    return sizes


def table(results: list[dict]) -> str:
    head = (
        "| data | query (rows) | clients | geokg req/s | p50 / p99 ms | CPU ms/req "
        "| geokg-disk req/s | minimal req/s | p50 / p99 ms | CPU ms/req | oxigraph req/s "
        "| p50 / p99 ms | geokg / minimal | same, median of rounds | geokg-disk / minimal "
        "| geokg / oxigraph |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    lines = []
    for r in results:
        g, d, m, o = (r[s] for s in SERVERS)
        lines.append(
            f"| {r['data']} | {r['query']} ({r['rows']}) | {r['clients']} "
            f"| {g['rps']:,.0f} | {g['p50']:.2f} / {g['p99']:.2f} | {g['cpu_ms']:.2f} "
            f"| {d['rps']:,.0f} "
            f"| {m['rps']:,.0f} | {m['p50']:.2f} / {m['p99']:.2f} | {m['cpu_ms']:.2f} "
            f"| {o['rps']:,.0f} | {o['p50']:.2f} / {o['p99']:.2f} "
            f"| **{g['rps'] / m['rps']:.2f}** | {statistics.median(r['ratios']):.2f} "
            f"| {d['rps'] / m['rps']:.2f} "
            f"| {g['rps'] / o['rps']:.2f} |"
        )
    return head + "\n".join(lines) + "\n"


def run(
    datasets: list[str], clients: list[int], seconds: float, queries: list[str], rounds: int
) -> str:
    results = []
    for dataset in datasets:
        with tempfile.TemporaryDirectory(prefix="geokg-server-bench-") as tmp:
            work = Path(tmp)
            began = time.perf_counter()
            triples = build_store(dataset, work / "store-geokg")
            from geokg.api.worker_store import folder_mb, resolve_reads

            size = folder_mb(work / "store-geokg")
            mode = resolve_reads("auto", work / "store-geokg")
            print(
                f"{dataset}: {triples:,} triples ({time.perf_counter() - began:.1f} s), "
                f"{size:.0f} MB on disk: geokg's default workers read from {mode}"
            )
            servers = start_servers(work / "store-geokg", work)
            try:
                sizes = check_agreement(servers)
                print(f"{dataset}: the four servers agree ({sizes})")
                start = 1
                for name in queries:
                    for n in clients:
                        row = {"data": dataset, "query": name, "rows": sizes[name], "clients": n}
                        row["ratios"] = []  # geokg / minimal within each round
                        for round_ in range(rounds):  # the servers in turn, best round kept
                            this_round = {}
                            for server in servers.values():
                                got = measure(server, QUERIES[name], n, seconds, start, round_ == 0)
                                start += 1_000_000
                                if got["failures"]:
                                    print(f"  {server.name}: {got['failures']} requests failed")
                                this_round[server.name] = got["rps"]
                                best = row.get(server.name)
                                if best is None or got["rps"] > best["rps"]:
                                    row[server.name] = got
                            row["ratios"].append(this_round["geokg"] / this_round["minimal"])
                        results.append(row)
                        print(table([row]).splitlines()[-1], flush=True)
            finally:
                for server in servers.values():
                    server.stop()
    return table(results)


def main(argv: list[str] | None = None) -> int:
    if argv is None and sys.argv[1:2] == ["--minimal"]:
        import uvicorn

        path, port = sys.argv[2], int(sys.argv[3])
        uvicorn.run(
            minimal_app(path), host="127.0.0.1", port=port, log_level="warning", access_log=False
        )
        return 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the servers on the way out
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", default="kb-atop,100k", help="kb-atop and/or 10k,100k,1m")
    parser.add_argument("--clients", default="1,8", help="comma-separated (default: 1,8)")
    parser.add_argument("--seconds", type=float, default=2.0, help="timed seconds per round")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds per cell, servers in turn; the best is kept"
    )
    parser.add_argument(
        "--queries", default=",".join(QUERIES), help=f"comma-separated: {', '.join(QUERIES)}"
    )
    args = parser.parse_args(argv)
    text = run(
        args.datasets.split(","),
        [int(c) for c in args.clients.split(",")],
        args.seconds,
        args.queries.split(","),
        args.rounds,
    )
    print()
    print(text)
    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"server-{dt.datetime.now():%Y%m%d-%H%M%S}.md"
    out.write_text(text, encoding="utf-8")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
