"""Query execution with a time limit: a pool of worker processes over read-only opens.

pyoxigraph 0.5 cannot cancel a running query from Python, so queries do not
run in the server's process. Each worker (see :mod:`geokg.api.worker`) opens
the on-disk store with ``Store.read_only`` and runs one query at a time. A
query past its time limit gets its worker killed (SIGKILL: the CPU is freed at
once) and a fresh worker takes its place; the other workers go on serving.

Opening read-only while another process writes is undefined behaviour, so the
server's process, which keeps the writable store, writes only under the pool's
write lock: it waits for running queries to finish, stops every worker, writes,
flushes, bumps the data version and starts fresh workers that see the new data.

The endpoint uses :meth:`WorkerPool.arun` on its event loop: a query takes a free worker (or
waits for one on a future), writes its request to the worker's pipe and awaits the answer
(``loop.add_reader``), all without a thread; threads serve only what blocks (starting a
worker in place of one killed, a read hold while a write has the lock). :meth:`WorkerPool.run`
is the same for threads.

An in-memory store cannot be opened from another process: :class:`InlineExecutor`
then runs queries in threads of the server's process; the client still gets the
timeout error on time, but the query runs on to its end.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from pathlib import Path

from . import sandbox, worker

WORKER_SCRIPT = Path(worker.__file__).resolve()


class QueryTimeout(Exception):
    """The query ran past its time limit and was stopped."""


class ServerBusy(Exception):
    """No worker became free within the time limit."""


class _Demoted(Exception):
    """A query ran past the short time while every long slot was taken (see WorkerPool)."""


class RWLock:
    """Many readers or one writer; a waiting writer holds off new readers. The writer may re-enter."""

    def __init__(self):
        self._cond = threading.Condition()
        self._readers = 0
        self._writer: int | None = None
        self._depth = 0
        self._waiting_writers = 0

    @contextmanager
    def read(self):
        me = threading.get_ident()
        if self._writer == me:  # a write that reads: already exclusive
            yield
            return
        with self._cond:
            while self._writer is not None or self._waiting_writers:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            self.release_read()

    def try_read(self) -> bool:
        """Take a read hold at once if no writer holds or awaits the lock (never blocks)."""
        with self._cond:
            if self._writer is not None or self._waiting_writers:
                return False
            self._readers += 1
            return True

    def wait_read(self) -> None:
        """Take a read hold, waiting for the writers (blocks: not on an event loop)."""
        with self._cond:
            while self._writer is not None or self._waiting_writers:
                self._cond.wait()
            self._readers += 1

    def release_read(self) -> None:
        with self._cond:
            self._readers -= 1
            self._cond.notify_all()

    @contextmanager
    def write(self):
        me = threading.get_ident()
        with self._cond:
            if self._writer == me:
                self._depth += 1
            else:
                self._waiting_writers += 1
                while self._writer is not None or self._readers:
                    self._cond.wait()
                self._waiting_writers -= 1
                self._writer, self._depth = me, 1
        try:
            yield
        finally:
            with self._cond:
                self._depth -= 1
                if self._depth == 0:
                    self._writer = None
                    self._cond.notify_all()

    def writing(self) -> bool:
        """Whether the calling thread holds the write lock."""
        return self._writer == threading.get_ident()


#: Attempts at a query whose worker was dead or could not open the store before it got the query.
ATTEMPTS = 4
#: Seconds between two looks for dead idle workers.
REAP_EVERY = 0.5
#: Seconds a query may hold a worker before it needs one of the pool's long slots (see
#: :class:`WorkerPool`): cheap queries finish well within it.
SHORT_SECONDS = 2.0
#: While other queries wait for a worker, the short time shrinks (``SHORT_SECONDS`` divided by
#: one more than the number waiting), down to this: a burst of runaways ahead of a cheap query
#: uses up the reserve for a fraction of a second each, not 2 seconds each.
SHORT_FLOOR = 0.2
#: How often a query in its short time looks again at how many queries wait (seconds).
SHORT_POLL = 0.05
#: Seconds a worker may take to start (open the store, copy it into memory with ``--reads
#: memory``) before a query that times out waiting for it stops it: a query that times out
#: earlier leaves it starting for the next query, so a slow start is paid once, not per query.
START_LIMIT = 600.0
#: What a read-only open says when the writer's compaction removed a file under it (issue 13).
STALE_VIEW = ("No such file or directory", "Corruption", "IO error")


class _Worker:
    """One worker process and its pipes."""

    def __init__(self, path: str, network: bool = False):
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER_SCRIPT), path, *(["--network"] if network else [])],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        os.set_blocking(self.process.stdout.fileno(), False)  # read when ready, never wait
        self.started = time.monotonic()
        self.ready = False
        self.sent = False  # whether the current request reached the worker

    def alive(self) -> bool:
        return self.process.poll() is None

    def _read_exactly(self, size: int, deadline: float) -> bytes:
        out = self.process.stdout
        chunks, missing = [], size
        fd = out.fileno()
        while missing:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise QueryTimeout
            readable, _, _ = select.select([fd], [], [], remaining)
            if not readable:
                raise QueryTimeout
            try:
                chunk = os.read(fd, min(missing, 1 << 20))
            except BlockingIOError:
                continue
            if not chunk:
                raise EOFError("the query worker ended")
            chunks.append(chunk)
            missing -= len(chunk)
        return b"".join(chunks)

    def _receive(self, deadline: float):
        (size,) = struct.unpack(">I", self._read_exactly(4, deadline))
        return pickle.loads(self._read_exactly(size, deadline))

    def call(self, request: dict, deadline: float):
        if not self.ready:
            self._hello(self._receive(deadline))
        self._send(request)
        return self._receive(deadline)

    async def acall(
        self,
        request: dict,
        deadline: float,
        short: Callable[[], float] | None = None,
        may_run_long: Callable[[], bool] | None = None,
    ):
        """:meth:`call` on the event loop: waits for the answer without a thread.

        With ``short`` (seconds, asked again as the wait goes on: it shrinks while other
        queries wait) and ``may_run_long``: if no answer has begun ``short()`` seconds after
        the request was sent, go on waiting only if ``may_run_long()`` says so, else raise
        :class:`_Demoted` (nothing of the answer has been read)."""
        if not self.ready:
            self._hello(await self._areceive(deadline))
        self._send(request)
        if short is not None and may_run_long is not None:
            sent, fd = time.monotonic(), self.process.stdout.fileno()
            while (limit := sent + short()) < deadline:
                try:
                    await _readable(fd, min(limit, time.monotonic() + SHORT_POLL))
                    break  # the answer has begun
                except QueryTimeout:
                    if time.monotonic() >= limit:
                        if not may_run_long():
                            raise _Demoted from None
                        break
        return await self._areceive(deadline)

    def _hello(self, hello) -> None:
        if hello[0] != "ready":
            raise EOFError(hello[1])
        self.ready = True

    def _send(self, request: dict) -> None:
        """Write the request (the idle worker is reading its standard input: this does not
        wait on it for long)."""
        data = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        frame = struct.pack(">I", len(data)) + data
        fd = self.process.stdin.fileno()
        while frame:  # one write for a request (the pipe takes 64 KiB at once)
            frame = frame[os.write(fd, frame) :]
        self.sent = True

    async def _areceive(self, deadline: float):
        """The next framed reply, read as it comes (the length and a small answer: one read)."""
        fd = self.process.stdout.fileno()
        chunks: list[bytes] = []
        have, size = 0, None
        while size is None or have < 4 + size:
            missing = (4 if size is None else 4 + size) - have
            try:
                chunk = os.read(fd, min(max(missing, 1 << 16), 1 << 20))
            except BlockingIOError:
                await _readable(fd, deadline)
                continue
            if not chunk:
                raise EOFError("the query worker ended")
            chunks.append(chunk)
            have += len(chunk)
            if size is None and have >= 4:
                (size,) = struct.unpack_from(">I", b"".join(chunks[:4]))
        if have > 4 + size:  # one reply per request: anything more is a broken worker
            raise EOFError("the query worker sent more than its reply")
        data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
        return pickle.loads(memoryview(data)[4:])

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass


async def _readable(fd: int, deadline: float) -> None:
    """Wait until ``fd`` can be read; QueryTimeout past ``deadline``."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise QueryTimeout
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    loop.add_reader(fd, _settle, ready, True)
    timer = loop.call_later(remaining, _settle, ready, False)
    try:
        if not await ready:
            raise QueryTimeout
    finally:
        timer.cancel()
        loop.remove_reader(fd)


async def _in_thread_held(acquire, release) -> None:
    """``await acquire()`` in a thread; if cancelled meanwhile, release once it is acquired."""
    task = asyncio.ensure_future(asyncio.to_thread(acquire))
    try:
        await asyncio.shield(task)
    except asyncio.CancelledError:
        task.add_done_callback(lambda t: t.cancelled() or t.exception() or release())
        raise


def _settle(future: asyncio.Future, value=None) -> None:
    if not future.done():
        future.set_result(value)


class WorkerPool:
    """``size`` worker processes over read-only opens of the store at ``path``.

    The workers cannot open network sockets (:mod:`geokg.api.sandbox`) unless ``network``
    (SERVICE allowed for some IRIs).
    """

    def __init__(
        self,
        path: str | os.PathLike,
        size: int,
        network: bool = False,
        short_seconds: float = SHORT_SECONDS,
    ):
        self.path = str(path)
        self.network = network
        self.size = max(1, size)
        #: Workers kept for short queries: at most ``size - reserved`` queries hold a worker
        #: past ``short_seconds`` at once (the long slots), so runaways cannot starve the rest.
        self.reserved = 0 if self.size < 2 else max(1, self.size // 4)
        self.short_seconds = short_seconds
        self._long = threading.BoundedSemaphore(self.size - self.reserved)
        self.demoted = 0  # queries stopped past the short time, to run again with a long slot
        self.lock = RWLock()
        self._idle: list[_Worker] = []
        self._cond = threading.Condition()
        #: Queries on the event loop waiting for a free worker: (loop, future), woken in turn.
        self._waiters: deque[tuple[asyncio.AbstractEventLoop, asyncio.Future]] = deque()
        self._closed = False
        self.killed = 0  # workers stopped for running past the limit (for tests and logs)
        self.replaced = 0  # dead workers replaced (for tests and logs)
        self._start_all()
        threading.Thread(target=self._reap, name="pool-reaper", daemon=True).start()

    def _reap(self) -> None:
        """Replace dead idle workers (killed from outside, out of memory) as soon as seen."""
        while not self._closed:
            time.sleep(REAP_EVERY)
            with self.lock.read():  # never while a write runs (its workers are stopped)
                self._replace_dead()

    def _replace_dead(self) -> None:
        """Start a fresh worker for each dead idle one."""
        with self._cond:
            dead = [w for w in self._idle if not w.alive()]
            if not dead or self._closed:
                return
            self._idle = [w for w in self._idle if w.alive()]
        fresh = [_Worker(self.path, self.network) for _ in dead]
        for w in dead:
            w.kill()
        with self._cond:
            if self._closed:
                for w in fresh:
                    w.kill()
                return
            self._idle += fresh
            self.replaced += len(dead)
            self._cond.notify_all()
            for _ in fresh:
                self._wake_one()

    def _put_back(self, w: _Worker) -> None:
        """Make ``w`` free again (or stop it if the pool is closed); wake one waiting query."""
        with self._cond:
            if self._closed:
                w.kill()
                return
            self._idle.append(w)
            self._cond.notify()
            self._wake_one()

    def _wake_one(self) -> None:
        """Wake the first query waiting on the event loop for a worker (``_cond`` held)."""
        while self._waiters:
            loop, future = self._waiters.popleft()
            if not future.done():
                loop.call_soon_threadsafe(self._woken, future)
                return

    def _woken(self, future: asyncio.Future) -> None:
        if future.done():  # it gave up meanwhile: the next one gets the worker
            with self._cond:
                self._wake_one()
        else:
            future.set_result(None)

    async def _acheckout(self, deadline: float) -> _Worker:
        """:meth:`_checkout` on the event loop: waits for a free worker without a thread."""
        loop = asyncio.get_running_loop()
        while True:
            with self._cond:
                if self._idle:
                    w = self._idle.pop()
                    break
                if self._closed:
                    raise ServerBusy
                future = loop.create_future()
                self._waiters.append((loop, future))
            remaining = deadline - time.monotonic()
            try:
                if remaining <= 0:
                    raise TimeoutError
                async with asyncio.timeout(remaining):
                    await future
            except TimeoutError:
                with self._cond:
                    future.cancel()
                    if self._idle:  # a wake-up that came too late goes to the next one
                        self._wake_one()
                raise ServerBusy from None
        if not w.alive():
            w.kill()
            self.replaced += 1
            w = await asyncio.to_thread(_Worker, self.path, self.network)
        return w

    def _checkout(self, deadline: float) -> _Worker:
        """A free worker, alive (a dead one is replaced on the spot)."""
        with self._cond:
            while not self._idle:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closed:
                    raise ServerBusy
                self._cond.wait(remaining)
            w = self._idle.pop()
        if not w.alive():
            w.kill()
            self.replaced += 1
            w = _Worker(self.path, self.network)
        return w

    def _start_all(self) -> None:
        with self._cond:
            self._idle = [_Worker(self.path, self.network) for _ in range(self.size)]
            self._cond.notify_all()
            for _ in self._idle:
                self._wake_one()

    def _stop_all(self) -> None:
        with self._cond:
            idle, self._idle = self._idle, []
        for w in idle:
            w.kill()

    def run(self, request: dict, timeout: float):
        """Run a request in a free worker; raise QueryTimeout past ``timeout`` seconds.

        A worker found dead, or one that could not open the store (the writer's compaction
        removed a file under its read-only open), is replaced and the query goes to the
        new one: no query fails because a worker died idle or a write happened."""
        deadline = time.monotonic() + timeout
        with self.lock.read():
            for attempt in range(ATTEMPTS):
                reply, retry = self._attempt(request, deadline)
                if not retry or attempt == ATTEMPTS - 1:
                    return reply
                time.sleep(0.05 * (attempt + 1))
            return reply  # pragma: no cover - the loop returns

    async def arun(self, request: dict, timeout: float):
        """:meth:`run` on the event loop: no thread waits on the worker (the usual case takes
        no thread at all; a worker to replace is started in one).

        **Short and long queries.** A query holds its worker for up to ``short_seconds``;
        past that it goes on only with one of the pool's long slots (``size - reserved``).
        If every long slot is taken (by runaways), its worker is stopped and replaced, the
        query waits for a long slot within its time limit (ServerBusy if none comes) and
        runs again from the start: so ``reserved`` workers are never held longer than
        ``short_seconds``, and cheap queries are answered while runaways run."""
        deadline = time.monotonic() + timeout
        if not self.lock.try_read():  # a write holds or awaits the lock: wait in a thread
            await _in_thread_held(self.lock.wait_read, self.lock.release_read)
        holds_long = False

        def may_run_long() -> bool:
            nonlocal holds_long
            holds_long = self._long.acquire(blocking=False)
            return holds_long

        try:
            for attempt in range(ATTEMPTS):
                w = await self._acheckout(deadline)
                short = None if holds_long or not self.reserved else self._short
                try:
                    reply = await w.acall(request, deadline, short, may_run_long)
                except _Demoted:
                    self.demoted += 1
                    w.kill()  # it still runs the query: stopped, a fresh worker in its place
                    self._put_back(await asyncio.to_thread(_Worker, self.path, self.network))
                    holds_long = await self._long_slot(deadline)
                    continue  # again from the start, with a long slot
                except (QueryTimeout, EOFError, OSError, pickle.UnpicklingError) as error:
                    reply, retry = await asyncio.to_thread(self._settle, w, None, error)
                except BaseException:  # cancelled: the worker's state is unknown once sent
                    if w.sent:
                        w.kill()
                        w = _Worker(self.path, self.network)
                    self._put_back(w)  # unsent: still starting, its hello not yet read
                    raise
                else:
                    if _stale(reply):
                        reply, retry = await asyncio.to_thread(self._settle, w, reply, None)
                    else:
                        w.sent = False
                        self._put_back(w)
                        return reply
                if not retry or attempt == ATTEMPTS - 1:
                    return reply
                await asyncio.sleep(0.05 * (attempt + 1))
            return reply  # pragma: no cover - the loop returns
        finally:
            if holds_long:
                self._long.release()
            self.lock.release_read()

    def _short(self) -> float:
        """The short time now: ``short_seconds``, shrunk while other queries wait."""
        waiting = len(self._waiters)
        return max(min(SHORT_FLOOR, self.short_seconds), self.short_seconds / (1 + waiting))

    async def _long_slot(self, deadline: float) -> bool:
        """Wait for a long slot until ``deadline`` (True once held); ServerBusy past it."""
        while not self._long.acquire(blocking=False):
            if time.monotonic() >= deadline or self._closed:
                raise ServerBusy
            await asyncio.sleep(0.05)
        return True

    def _attempt(self, request: dict, deadline: float) -> tuple[tuple, bool]:
        """One try: (reply, whether to try again on a fresh worker)."""
        w = self._checkout(deadline)
        try:
            reply = w.call(request, deadline)
        except (QueryTimeout, EOFError, OSError, pickle.UnpicklingError) as error:
            return self._settle(w, None, error)
        return self._settle(w, reply, None)

    def _settle(self, w: _Worker, reply, error: BaseException | None) -> tuple[tuple, bool]:
        """After a try on ``w``: (reply, whether to try again on a fresh worker); ``w``, or a
        fresh worker in its place, is free again. Raises QueryTimeout."""
        replacement, retry = w, False
        try:
            if isinstance(error, QueryTimeout):
                if not w.sent and time.monotonic() - w.started < START_LIMIT:
                    raise error  # still starting (a copy into memory): left to finish

                w.kill()
                self.killed += 1
                replacement = _Worker(self.path, self.network)
                raise error
            if error is not None:
                w.kill()
                replacement = _Worker(self.path, self.network)
                retry = not w.sent  # dead before the query reached it: not the query's fault
                return ("error", f"the query worker failed: {error}"), retry
            if _stale(reply):
                w.kill()  # its read-only view of the store is stale: a fresh open sees it whole
                replacement, retry = _Worker(self.path, self.network), True
            return reply, retry
        finally:
            w.sent = False
            self._put_back(replacement)

    @contextmanager
    def writing(self):
        """Hold off queries, stop the workers; on exit start fresh ones that see the new data."""
        if self.lock.writing():
            yield
            return
        with self.lock.write():
            self._stop_all()
            try:
                yield
            finally:
                if not self._closed:
                    self._start_all()

    def close(self) -> None:
        self._closed = True
        self._stop_all()
        with self._cond:
            while self._waiters:
                self._wake_one()


def _stale(reply: tuple) -> bool:
    """Whether a worker's reply says its read-only view of the store is stale (issue 13)."""
    return reply[0] == "error" and any(m in reply[1] for m in STALE_VIEW)


class InlineExecutor:
    """Queries in threads of this process (in-memory stores): the limit is on the answer only."""

    def __init__(self, store, size: int, network: bool = False):
        self.store = store
        self.lock = RWLock()
        self.killed = 0
        self._threads = ThreadPoolExecutor(
            max_workers=max(2, size),
            thread_name_prefix="query",
            initializer=None if network else sandbox.seal,
        )

    def run(self, request: dict, timeout: float):
        with self.lock.read():
            future = self._threads.submit(worker.execute, self.store, request)
            try:
                return future.result(timeout=timeout)
            except FutureTimeout:
                raise QueryTimeout from None

    @contextmanager
    def writing(self):
        with self.lock.write():
            yield

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)
