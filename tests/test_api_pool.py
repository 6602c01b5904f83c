"""The worker pool on the event loop (``WorkerPool.arun``): no thread per query, same guarantees.

A query waits for its worker's answer on the event loop; past the time limit the worker is
killed and replaced; more queries than workers wait their turn (or get ServerBusy past the
limit); a write stops the workers and the next queries see the new data; a query cancelled
while its worker runs leaves no answer behind for the next one.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time

import pyoxigraph as ox
import pytest
from geokg.api.pool import QueryTimeout, ServerBusy, WorkerPool

EX = "http://example.org/"
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
NEW = f"ASK {{ <{EX}new> <{EX}p> 1 }}"


def _request(query: str) -> dict:
    return {"query": query, "results": "json", "rdf": "ttl", "max_rows": 1000}


def _count(reply: tuple) -> int:
    assert reply[0] == "ok", reply
    return int(json.loads(reply[3])["results"]["bindings"][0]["n"]["value"])


@pytest.fixture()
def store(tmp_path):
    path = tmp_path / "store"
    store = ox.Store(str(path))
    for i in range(1_000):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.Literal(i)))
    store.flush()
    yield store, path
    del store


@pytest.fixture()
def pool(store):
    pool = WorkerPool(store[1], 2)
    yield pool
    pool.close()


def _count_query(i: int) -> str:
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{EX}p> ?o FILTER(?o < {i}) }}"


def test_more_queries_than_workers_are_all_answered(pool):
    async def main():
        replies = await asyncio.gather(
            *(pool.arun(_request(_count_query(i)), 30) for i in range(12))
        )
        return [_count(r) for r in replies]

    assert asyncio.run(main()) == list(range(12))
    assert len(pool._idle) == 2 and pool.killed == 0 and pool.replaced == 0
    assert _count(pool.run(_request(_count_query(5)), 30)) == 5  # the threaded path still works


def test_past_the_limit_the_worker_is_killed_and_replaced(pool):
    async def main():
        began = time.monotonic()
        with pytest.raises(QueryTimeout):
            await pool.arun(_request(EXPENSIVE), 1.0)
        stopped = time.monotonic() - began
        cheap = await pool.arun(_request(_count_query(3)), 30)
        return stopped, cheap

    stopped, cheap = asyncio.run(main())
    assert 0.9 < stopped < 5
    assert pool.killed == 1 and _count(cheap) == 3
    pids = {w.process.pid for w in pool._idle}
    assert len(pids) == 2 and all(w.alive() for w in pool._idle)


def test_no_free_worker_within_the_limit_is_busy(store):
    pool = WorkerPool(store[1], 1)
    try:

        async def main():
            expensive = asyncio.ensure_future(pool.arun(_request(EXPENSIVE), 3.0))
            await asyncio.sleep(0.3)
            with pytest.raises(ServerBusy):
                await pool.arun(_request(_count_query(1)), 0.5)
            with pytest.raises(QueryTimeout):
                await expensive
            return await pool.arun(_request(_count_query(2)), 30)

        assert _count(asyncio.run(main())) == 2
    finally:
        pool.close()


def test_a_write_recycles_the_workers_and_waiting_queries_see_it(store, pool):
    writable, _ = store

    async def main():
        before = json.loads((await pool.arun(_request(NEW), 30))[3])["boolean"]
        writing, written = threading.Event(), threading.Event()

        def write():
            with pool.writing():
                writing.set()
                time.sleep(0.5)  # queries arriving now wait for the write
                writable.add(
                    ox.Quad(ox.NamedNode(f"{EX}new"), ox.NamedNode(f"{EX}p"), ox.Literal(1))
                )
                writable.flush()
                written.set()

        thread = threading.Thread(target=write)
        thread.start()
        await asyncio.to_thread(writing.wait)
        during = await pool.arun(_request(NEW), 30)
        assert written.is_set()  # it waited for the write to end
        await asyncio.to_thread(thread.join)
        return before, json.loads(during[3])["boolean"]

    assert asyncio.run(main()) == (False, True)
    assert len(pool._idle) == 2


def test_a_cancelled_query_leaves_no_answer_for_the_next(pool):
    async def main():
        task = asyncio.ensure_future(pool.arun(_request(EXPENSIVE), 30))
        await asyncio.sleep(0.5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return await asyncio.gather(*(pool.arun(_request(_count_query(i)), 30) for i in (4, 6)))

    assert [_count(r) for r in asyncio.run(main())] == [4, 6]
    assert len(pool._idle) == 2 and all(w.alive() for w in pool._idle)


def _slow_start(monkeypatch, tmp_path, seconds: float) -> None:
    """Workers that take ``seconds`` to start (as a copy of a big store into memory does)."""
    from geokg.api import pool as pool_module

    real = pool_module.WORKER_SCRIPT
    wrapper = tmp_path / "slow_worker.py"
    wrapper.write_text(
        "import runpy, sys, time\n"
        f"time.sleep({seconds})\n"
        f"sys.path.insert(0, {str(real.parent)!r})\n"
        f"sys.argv = [{str(real)!r}, *sys.argv[1:]]\n"
        f"runpy.run_path({str(real)!r}, run_name='__main__')\n"
    )
    monkeypatch.setattr(pool_module, "WORKER_SCRIPT", wrapper)


def test_a_worker_slow_to_start_is_left_to_start(store, tmp_path, monkeypatch):
    """A query that times out while its worker is still starting leaves the worker starting
    (not killed, not started again): the next query gets it as soon as it is ready."""
    _slow_start(monkeypatch, tmp_path, 2.0)
    pool = WorkerPool(store[1], 1)
    try:
        (worker,) = pool._idle
        with pytest.raises(QueryTimeout):
            asyncio.run(pool.arun(_request(_count_query(5)), 0.3))
        assert pool.killed == 0 and pool._idle == [worker] and worker.alive()
        assert _count(asyncio.run(pool.arun(_request(_count_query(5)), 30))) == 5
        assert pool._idle == [worker]  # the same process answered
    finally:
        pool.close()


def test_a_worker_that_never_starts_is_replaced_past_the_start_limit(store, tmp_path, monkeypatch):
    from geokg.api import pool as pool_module

    _slow_start(monkeypatch, tmp_path, 3600)
    monkeypatch.setattr(pool_module, "START_LIMIT", 0.2)
    pool = WorkerPool(store[1], 1)
    try:
        (worker,) = pool._idle
        with pytest.raises(QueryTimeout):
            asyncio.run(pool.arun(_request(_count_query(5)), 0.5))
        assert pool.killed == 1 and not worker.alive() and pool._idle != [worker]
    finally:
        pool.close()


@pytest.mark.parametrize("short", [0.3, float("inf")], ids=["reserve", "no-reserve"])
def test_eight_runaways_do_not_starve_cheap_queries(store, short):
    """Two workers, one kept for short queries: with 8 runaways at once, cheap queries are
    all answered while the runaways run (a runaway past ``short`` seconds needs the one long
    slot; without it, its worker is stopped and it waits). Without the reserve (``short``
    longer than the runaways' limit), the same cheap queries find no worker."""
    pool = WorkerPool(store[1], 2, short_seconds=short)
    try:

        async def main():
            runaways = [
                asyncio.ensure_future(pool.arun(_request(EXPENSIVE), 10.0)) for _ in range(8)
            ]
            await asyncio.sleep(0.2)
            answered, busy, latencies = 0, 0, []
            end = time.monotonic() + 5.0
            i = 0
            while time.monotonic() < end and not all(r.done() for r in runaways):
                i += 1
                began = time.monotonic()
                try:
                    assert _count(await pool.arun(_request(_count_query(i % 50)), 6.0)) == i % 50
                    answered += 1
                    latencies.append(time.monotonic() - began)
                except ServerBusy:
                    busy += 1
            outcomes = await asyncio.gather(*runaways, return_exceptions=True)
            return answered, busy, latencies, outcomes

        answered, busy, latencies, outcomes = asyncio.run(main())
    finally:
        pool.close()
    assert all(isinstance(o, (QueryTimeout, ServerBusy)) for o in outcomes), outcomes
    latencies.sort()
    p99 = latencies[int(0.99 * (len(latencies) - 1))] if latencies else None
    print(f"\nshort={short}: {answered} cheap answered (p99 {p99} s), {busy} busy,")
    print(f"demoted {pool.demoted}")
    if short < 1:  # at worst a cheap query waits for the runaways ahead of it to be demoted
        assert busy == 0 and answered >= 20 and pool.demoted >= 1
    else:
        assert busy >= 1 and pool.demoted == 0  # what the reserve prevents
