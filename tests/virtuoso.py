"""A throw-away Virtuoso server for tests and benchmarks (Debian's ``virtuoso-opensource``).

:class:`Virtuoso` copies the packaged ``virtuoso.ini`` into a temporary folder, points every
file at that folder, picks free ports for SQL and HTTP, runs ``virtuoso-t -f`` (foreground) in
a subprocess, waits (bounded) until ``/sparql`` answers, and lets the SPARQL user update
(``GRANT SPARQL_UPDATE TO "SPARQL"`` through ``isql-vt``), so that the plain ``/sparql`` and
``/sparql-graph-crud`` endpoints take SPARQL Update and Graph Store Protocol requests with no
credential. (``/sparql-auth`` and ``/sparql-graph-crud-auth`` want HTTP digest as ``dba``.)
:meth:`Virtuoso.stop` kills it and removes nothing but its own process.

Used by the session fixture ``virtuoso`` in ``tests/conftest.py`` and by ``bench/remote.py``.
"""

from __future__ import annotations

import configparser
import shutil
import socket
import subprocess
import time
from pathlib import Path

import httpx

PACKAGED_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
START_TIMEOUT = 90.0


def available() -> bool:
    """Whether the Virtuoso server and its SQL client are installed."""
    return shutil.which("virtuoso-t") is not None and shutil.which("isql-vt") is not None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Virtuoso:
    """One Virtuoso server on 127.0.0.1 with its database in ``folder``."""

    def __init__(self, folder: Path, *, buffers: int = 100_000):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.sql_port = free_port()
        self.http_port = free_port()
        self.buffers = buffers
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def sparql(self) -> str:
        return f"{self.base}/sparql"

    @property
    def graph_crud(self) -> str:
        return f"{self.base}/sparql-graph-crud"

    def _ini(self) -> Path:
        ini = configparser.RawConfigParser(strict=False, inline_comment_prefixes=(";",))
        ini.optionxform = str  # keep the keys' case
        ini.read(PACKAGED_INI)
        db = self.folder
        ini["Database"].update(
            {
                "DatabaseFile": str(db / "virtuoso.db"),
                "ErrorLogFile": str(db / "virtuoso.log"),
                "LockFile": str(db / "virtuoso.lck"),
                "TransactionFile": str(db / "virtuoso.trx"),
                "xa_persistent_file": str(db / "virtuoso.pxa"),
            }
        )
        ini["TempDatabase"].update(
            {
                "DatabaseFile": str(db / "virtuoso-temp.db"),
                "TransactionFile": str(db / "virtuoso-temp.trx"),
            }
        )
        ini["Parameters"].update(
            {
                "ServerPort": f"127.0.0.1:{self.sql_port}",
                "DirsAllowed": f"., {db}, /usr/share/virtuoso-opensource-7/vad",
                "NumberOfBuffers": str(self.buffers),
                "MaxDirtyBuffers": str(self.buffers * 3 // 4),
            }
        )
        ini["HTTPServer"].update(
            {
                "ServerPort": f"127.0.0.1:{self.http_port}",
                "ServerRoot": "/var/lib/virtuoso-opensource-7/vsp",
                "MaxClientConnections": "20",
                "ServerThreads": "20",
            }
        )
        ini["URIQA"]["DefaultHost"] = f"127.0.0.1:{self.http_port}"
        ini["SPARQL"].update(
            {
                "ResultSetMaxRows": "100000000",
                "MaxQueryExecutionTime": "600",
                "MaxQueryCostEstimationTime": "0",
                "MaxSortedTopRows": "100000000",
            }
        )
        path = db / "virtuoso.ini"
        with path.open("w") as file:
            ini.write(file)
        return path

    def start(self) -> Virtuoso:
        ini = self._ini()
        self.log = open(self.folder / "stdout.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            ["virtuoso-t", "-f", "-c", str(ini)],
            cwd=self.folder,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t ended at start:\n{self._tail()}")
            try:
                reply = httpx.get(
                    self.sparql,
                    params={"query": "ASK {}"},
                    headers={"Accept": "application/sparql-results+json"},
                    timeout=2,
                )
                if reply.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"virtuoso-t did not answer in {START_TIMEOUT:g} s")
            time.sleep(0.3)
        self.isql('GRANT SPARQL_UPDATE TO "SPARQL";')
        return self

    def isql(self, statement: str) -> str:
        done = subprocess.run(
            ["isql-vt", str(self.sql_port), "dba", "dba", f"exec={statement}"],
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql-vt {statement!r}: {done.stdout}{done.stderr}")
        return done.stdout

    def _tail(self) -> str:
        log = self.folder / "virtuoso.log"
        text = log.read_text(errors="replace") if log.exists() else ""
        return "\n".join(text.splitlines()[-20:])

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        if getattr(self, "log", None) is not None:
            self.log.close()
            self.log = None

    def __enter__(self) -> Virtuoso:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
