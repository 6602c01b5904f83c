"""Crash-safe writes (issue 12): a load leaves the old state or the new, never a mix.

A load of a generated file runs as ``geokg load`` in a subprocess and is killed with SIGKILL,
at each named point of the write (``GEOKG_FAULT_PAUSE``: the process announces the point and
waits there) and at random times; the store is then reopened and every named graph, the
derived graph included, compared with the state before the load and the state after a load
that ran to its end (triple counts and an order-free hash of each graph's N-Quads). Also:
a full disk (a small tmpfs) and recovery once space is freed, without restarting; a server
whose idle query workers are all killed answers every next query; queries in a loop while
updates run never fail (issue 13: the read-only reopen after a write).
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from conftest import GEOKG
from geokg.graph import DERIVED_GRAPH, GeokgError, open_store
from geokg.graph.faults import PHASES, VARIABLE
from test_api_fixtures import run_server, wait_for_workers

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from generate import generate  # noqa: E402

TARGET = "https://w3id.org/geokg/graph/test-crash"
NEW = "https://w3id.org/geokg/graph/test-crash-new"
TRIPLES = 12_000
RANDOM_KILLS = 20
ONE = "<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n"


def _write(path: Path, seed: int) -> Path:
    with open(path, "w", encoding="utf-8") as out:
        generate(TRIPLES, out, seed=seed)
    return path


def snapshot(store: Path) -> dict[str, tuple[int, str]]:
    """Every named graph of the reopened store: (triples, hash of its sorted N-Quads)."""
    kg = open_store(store, bundled=False, server=False)
    try:
        data = kg.dump(None, "nq").decode("utf-8")
    finally:
        kg.close()
    lines: dict[str, list[str]] = {}
    for line in data.splitlines():
        if line.strip():
            graph = line.rstrip(" .").rsplit(" ", 1)[1]
            lines.setdefault(graph.strip("<>"), []).append(line)
    return {
        g: (len(ls), hashlib.sha256("\n".join(sorted(ls)).encode()).hexdigest())
        for g, ls in lines.items()
    }


def classify(state: dict, old: dict, new: dict, target: str) -> str:
    """old, new, lost (the target's data gone) or mixed (anything else)."""
    if state == old:
        return "old"
    if state == new:
        return "new"
    if target in old and target not in state:
        return "lost"
    return "mixed"


def _load_command(store: Path, data: Path, mode: str) -> list[str]:
    graph = TARGET if mode == "replace" else NEW
    extra = ["--replace"] if mode == "replace" else []
    return [
        GEOKG,
        "load",
        str(data),
        "--graph",
        graph,
        "--no-validate",
        *extra,
        "--store",
        str(store),
    ]


def _env(pause: str | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GEOKG_")}
    if pause:
        env[VARIABLE] = pause
    return env


@pytest.fixture(scope="module")
def crash_setup(tmp_path_factory):
    """Per mode: a base store (new graph: the bundled data; replace: the bundled data and a
    graph of generated data), the file to load, and the reference states: before, and after
    a load run to its end, with how long that load took."""
    tmp = tmp_path_factory.mktemp("crash")
    first, second = _write(tmp / "first.nt", 1), _write(tmp / "second.nt", 2)
    bases, old, new, seconds = {}, {}, {}, {}
    for mode in ("new", "replace"):
        base = bases[mode] = tmp / f"base-{mode}"
        kg = open_store(base, server=False)
        if mode == "replace":
            kg.load(first, TARGET, validate=False)
        kg.close()
        old[mode] = snapshot(base)
        done = tmp / f"done-{mode}"
        shutil.copytree(base, done)
        start = time.monotonic()
        subprocess.run(_load_command(done, second, mode), env=_env(), check=True, timeout=300)
        seconds[mode] = time.monotonic() - start
        new[mode] = snapshot(done)
    return tmp, bases, second, old, new, seconds


def _killed_run(tmp: Path, base: Path, data: Path, mode: str, *, pause=None, after=None):
    """Copy the base store, start the load, kill it (at ``pause`` or ``after`` seconds)."""
    store = tmp / f"run-{mode}-{time.monotonic_ns()}"
    shutil.copytree(base, store)
    process = subprocess.Popen(
        _load_command(store, data, mode),
        env=_env(pause),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if pause:
        for line in process.stderr:
            if line.startswith(f"geokg-fault-pause: {pause}"):
                break
        else:
            raise AssertionError(f"the load ended without reaching {pause}")
    else:
        time.sleep(after)
    process.send_signal(signal.SIGKILL)
    process.wait()
    return store


def _check(state, old, new, mode, wanted=None):
    target = TARGET if mode == "replace" else NEW
    outcome = classify(state, old, new, target)
    if wanted is not None:
        assert outcome == wanted, (outcome, {g: state.get(g) for g in (target, str(DERIVED_GRAPH))})
    return outcome


@pytest.mark.parametrize("mode", ["new", "replace"])
def test_kill_at_each_point_of_a_load(crash_setup, mode):
    """Killed at each named point: the old state until the commit, the new one after."""
    tmp, bases, data, old, new, _ = crash_setup
    old, new = old[mode], new[mode]
    assert old != new and old[str(DERIVED_GRAPH)] != new[str(DERIVED_GRAPH)]
    for phase in PHASES:
        if phase == "drop" and mode == "new":
            continue  # nothing is dropped when a new graph is loaded
        store = _killed_run(tmp, bases[mode], data, mode, pause=phase)
        _check(snapshot(store), old, new, mode, "new" if phase == "committed" else "old")
        assert not list(tmp.glob(f".{store.name}.geokg-*-*")), "leftovers not removed"
        shutil.rmtree(store)


def test_random_kills_leave_old_or_new(crash_setup):
    """20 kills at random times per mode (new graph, --replace): no mix, nothing lost."""
    tmp, bases, data, old, new, seconds = crash_setup
    rng = random.Random(12)
    counts = {}
    for mode in ("new", "replace"):
        seen = Counter()
        for _ in range(RANDOM_KILLS):
            after = rng.uniform(0.1, seconds[mode] * 1.05)
            store = _killed_run(tmp, bases[mode], data, mode, after=after)
            seen[_check(snapshot(store), old[mode], new[mode], mode)] += 1
            shutil.rmtree(store)
        counts[mode] = dict(seen)
    print(f"\nrandom kills (old/new/mixed/lost): {counts}")
    for mode, seen in counts.items():
        assert seen.get("mixed", 0) == 0 and seen.get("lost", 0) == 0, (mode, seen)
        assert sum(seen.values()) == RANDOM_KILLS


def test_disk_full_keeps_the_old_state_and_recovers(tmp_path):
    """A load that fills the disk fails clearly and keeps the old state; once space is
    freed the next write works in the same process (no restart)."""
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", str(mount)], check=True)
    try:
        kg = open_store(mount / "store", bundled=False, server=False)
        kg.load_data(ONE, format="nt", graph=TARGET, validate=False)
        before = kg.counts()
        filler = mount / "filler"
        free = shutil.disk_usage(mount).free
        with open(filler, "wb") as out:
            out.write(b"\0" * max(0, free - (4 << 20)))  # about 4 MB left
        big = _write(tmp_path / "big.nt", 3)  # outside the tmpfs
        with pytest.raises(GeokgError) as failed:
            kg.load(big, NEW, validate=False)
        assert "No space left" in str(failed.value) or "space" in str(failed.value).lower()
        assert kg.counts() == before  # the old state, at once
        filler.unlink()  # space is back
        kg.load_data(ONE.replace("/o>", "/o2>"), format="nt", graph=TARGET, validate=False)
        assert kg.counts()[TARGET] == before[TARGET] + 1
        kg.update(f"INSERT DATA {{ GRAPH <{TARGET}> {{ <urn:x:s> <urn:x:p> 3 }} }}")
        assert kg.counts()[TARGET] == before[TARGET] + 2
        kg.close()
        assert snapshot(mount / "store")[TARGET][0] == before[TARGET] + 2
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_all_idle_workers_killed_then_every_query_answers(tmp_path):
    """Kill every idle query worker of a running server: the next queries all answer 200."""
    store = tmp_path / "store"
    open_store(store, server=False).close()
    with run_server(tmp_path / "server.log", "--store", str(store), "--workers", "3") as (
        base,
        process,
    ):
        for _ in range(3):
            pids = wait_for_workers(process.pid, 3)  # the pool keeps its size
            assert len(pids) == 3, pids
            for pid in pids:
                os.kill(pid, signal.SIGKILL)
            statuses = [
                httpx.get(f"{base}/sparql", params={"query": f"ASK {{ ?s ?p {n} }}"}).status_code
                for n in range(6)
            ]
            assert statuses == [200] * 6


def test_queries_while_updates_run_never_fail(tmp_path):
    """Queries in a loop while updates and loads run (issue 13): every answer is 200."""
    store = tmp_path / "store"
    open_store(store, server=False).close()
    token = "crash-test-token"
    env = {"GEOKG_UPDATE_TOKEN": token}
    with run_server(tmp_path / "server.log", "--store", str(store), env=env) as (base, _):
        statuses: Counter = Counter()
        stop = threading.Event()

        def read():
            with httpx.Client(timeout=60) as client:
                while not stop.is_set():
                    reply = client.get(
                        f"{base}/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}
                    )
                    statuses[reply.status_code] += 1

        readers = [threading.Thread(target=read) for _ in range(3)]
        for reader in readers:
            reader.start()
        try:
            with httpx.Client(timeout=120) as client:
                for n in range(25):
                    reply = client.post(
                        f"{base}/sparql",
                        data={
                            "update": f"INSERT DATA {{ GRAPH <{TARGET}> {{ <urn:x:s> <urn:x:p> {n} }} }}"
                        },
                        headers={"Authorization": f"Bearer {token}"},
                    )
                    assert reply.status_code in (200, 204), reply.text
        finally:
            stop.set()
            for reader in readers:
                reader.join()
        assert set(statuses) == {200}, statuses
        assert statuses[200] > 25
