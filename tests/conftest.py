"""Shared fixtures: the real ``geokg`` command in a subprocess, on stores in temporary folders."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

GEOKG = str(Path(sys.executable).with_name("geokg"))
#: Debian's Chromium, headless, with no traffic of its own (this machine has no internet).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]


@dataclass
class Run:
    """What one ``geokg`` invocation did."""

    code: int
    out: str
    err: str


def geokg(
    *args: str, store: Path | None = None, input: str | None = None, timeout: float = 300
) -> Run:
    """Run the installed ``geokg`` command (``--store`` given when ``store`` is)."""
    env = {k: v for k, v in os.environ.items() if k != "GEOKG_STORE"}
    env["COLUMNS"] = "200"
    command = [GEOKG, *args] + (["--store", str(store)] if store is not None else [])
    done = subprocess.run(
        command, capture_output=True, text=True, env=env, input=input, timeout=timeout
    )
    return Run(done.returncode, done.stdout, done.stderr)


def count(store: Path, where: str = "?s ?p ?o") -> int:
    """How many solutions ``where`` has in the store, through ``geokg query --format csv``."""
    run = geokg(
        "query", "--format", "csv", f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}", store=store
    )
    assert run.code == 0, run.err
    return int(run.out.splitlines()[1])


@pytest.fixture(scope="session")
def bundled_store(tmp_path_factory) -> Path:
    """An on-disk store with the bundled data, shared by tests that only read it."""
    store = tmp_path_factory.mktemp("bundled") / "store"
    assert geokg("info", store=store).code == 0
    return store


@pytest.fixture
def store(tmp_path, bundled_store) -> Path:
    """A fresh on-disk store with the bundled data (a copy of the shared one)."""
    import shutil

    copy = tmp_path / "store"
    shutil.copytree(bundled_store, copy)
    return copy


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A Virtuoso server of our own on 127.0.0.1 (free ports, temporary database), for the
    remote-store tests (issue 7); stopped at the end of the session. See tests/virtuoso.py."""
    from virtuoso import Virtuoso, available

    assert available(), "Virtuoso is not installed: run scripts/test.sh (virtuoso-opensource)"
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso")).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def kg():
    """The bundled ontology, shapes and knowledge base, in memory, loaded by geokg's own loader.

    One per test module; the bundled data hold no import (ATOP etc.), so the numbers are the KB's.
    """
    import geokg

    return geokg.open_store(None)


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (/usr/bin/chromium) driven by Playwright, one per test module."""
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def overlapped_loads(monkeypatch) -> list:
    """The loads that ran their syntax pass beside the bulk loader
    (``KnowledgeGraph._load_overlapped``), one entry each, in order."""
    from geokg.graph import KnowledgeGraph

    seen: list = []
    original = KnowledgeGraph._load_overlapped

    def spy(self, *args):
        seen.append(args)
        return original(self, *args)

    monkeypatch.setattr(KnowledgeGraph, "_load_overlapped", spy)
    return seen
