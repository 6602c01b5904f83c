"""How a query worker holds the store: a read-only open of the on-disk store, or a copy in memory.

``GEOKG_READS`` (``geokg serve --reads``) says which; the worker reads it from its environment,
as it reads ``GEOKG_WORKER_MEMORY_MB``:

- ``disk``: ``Store.read_only(path)``; every query reads RocksDB (its block cache included);
- ``memory``: the same read-only open, copied quad for quad into an in-memory ``Store``
  (``bulk_extend``), every named graph listed in the store kept (even an empty one); the disk
  handle is then closed. Joins and aggregates run 3–10× faster, within 1.1× of Oxigraph in
  memory at 1M triples (bench/reads.py), and the answers are the same: the copy holds the same
  quads, so the union default graph is the same union of the same graphs. The copy is
  read-only by construction: nothing is ever written back, and the pool starts fresh workers
  after every write, so a copy is never stale. It costs its size in every worker (about
  500 MiB at 1M triples, 680 at the peak of the copy) and a start of 2–2.5 s per 100k triples
  (decoding every term from RocksDB) after every write;
- ``auto`` (the default): ``memory`` when the store's folder is at most
  :data:`AUTO_MEMORY_MB` on disk, else ``disk``.

The worker builds the copy after sealing itself (:mod:`geokg.api.sandbox`: the copy only reads
files) and before capping its memory, so the cap is what a query may add to the copy.

>>> import tempfile, pyoxigraph as ox
>>> folder = tempfile.mkdtemp()
>>> s = ox.Store(folder); s.add(ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://p"),
...     ox.Literal("x"), ox.NamedNode("http://g"))); s.add_graph(ox.NamedNode("http://empty"))
>>> s.flush(); del s
>>> mem = for_queries(ox.Store.read_only(folder), folder, "memory")
>>> len(mem), sorted(g.value for g in mem.named_graphs())
(1, ['http://empty', 'http://g'])
>>> resolve_reads("auto", folder)
'memory'
"""

from __future__ import annotations

import os

import pyoxigraph as ox

#: The environment variable that says how workers read (``disk``, ``memory`` or ``auto``).
READS_ENV = "GEOKG_READS"
READS = ("disk", "memory", "auto")
#: ``auto`` copies stores up to this size on disk (MB) into memory: about 150k triples, a copy
#: of about 3 s (100k triples: 42 MB on disk, 90 MiB copied; 1M: 548 MB, 500 MiB).
AUTO_MEMORY_MB = 50


def reads_from_env(env=None) -> str:
    """The reads mode from ``GEOKG_READS`` (default ``auto``); ValueError if unknown.

    >>> reads_from_env({}), reads_from_env({"GEOKG_READS": "Memory"})
    ('auto', 'memory')
    """
    value = ((os.environ if env is None else env).get(READS_ENV) or "auto").strip().lower()
    if value not in READS:
        raise ValueError(f"{READS_ENV} must be one of {', '.join(READS)}, not {value!r}")
    return value


def folder_mb(path: str | os.PathLike) -> float:
    """The size of the files under ``path``, in MB (10⁶ bytes)."""
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.stat(os.path.join(root, name)).st_size
            except OSError:  # removed by a compaction meanwhile
                pass
    return total / 1e6


def resolve_reads(reads: str, path: str | os.PathLike) -> str:
    """``disk`` or ``memory``: ``auto`` decided by the size of the store's folder."""
    if reads != "auto":
        return reads
    return "memory" if folder_mb(path) <= AUTO_MEMORY_MB else "disk"


def memory_copy(disk: ox.Store) -> ox.Store:
    """An in-memory store holding every quad and every named graph of ``disk``."""
    memory = ox.Store()
    memory.bulk_extend(disk.quads_for_pattern(None, None, None, None))
    for graph in disk.named_graphs():  # an empty named graph is listed, as on disk
        memory.add_graph(graph)
    return memory


def for_queries(disk: ox.Store, path: str | os.PathLike, reads: str | None = None) -> ox.Store:
    """The store a worker queries, given its read-only open ``disk`` of the store at ``path``:
    ``disk`` itself or its copy in memory, as ``reads`` (default: ``GEOKG_READS``) says."""
    if resolve_reads(reads or reads_from_env(), path) == "disk":
        return disk
    return memory_copy(disk)  # the caller drops ``disk``: RocksDB closes, its cache goes
