"""A non-editable install ships the right packages and the bundled data, and nothing in the
repository shadows it: ``import geokg`` from the repository root loads the installed copy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def target(tmp_path_factory) -> Path:
    """``pip install --no-deps --target DIR .``: the wheel pip builds from the repository."""
    target = tmp_path_factory.mktemp("wheel") / "site"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target)]
        + [str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    return target


def probe(code: str, cwd: Path, target: Path) -> list[str]:
    """Run ``python -c code`` in ``cwd`` with the installed copy on PYTHONPATH; its output lines."""
    env = dict(os.environ, PYTHONPATH=str(target))
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, env=env
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.splitlines()


def test_wheel_install_has_geokg_only_with_its_data(target, tmp_path):
    top_level = {p.name for p in target.iterdir() if not p.name.endswith(".dist-info")} - {"bin"}
    assert top_level == {"geokg"}  # no top-level `graph` or `api` package
    installed = target / "geokg"
    assert (installed / "graph" / "store.py").is_file() and (installed / "api" / "app.py").is_file()
    assert (installed / "cli.py").is_file()
    assert (installed / "ontology" / "geokg.ttl").is_file()
    assert (installed / "ontology" / "shapes.ttl").is_file()
    assert list((installed / "ontology" / "kb").glob("*.ttl"))
    assert (installed / "ontology" / "kb" / "not-claims.txt").is_file()  # geokg check-quotes
    yasgui = installed / "api" / "static" / "vendor" / "yasgui"  # the query page, offline
    for name in ("yasgui.min.js", "yasgui.min.css", "VERSION", "LICENSE"):
        assert (yasgui / name).is_file(), name
    for name in ("query.html", "query.js", "query-results.js", "query-complete.js", "query.css"):
        assert (installed / "api" / "static" / name).is_file(), name
    static = installed / "api" / "static"  # the explorer's files and vendored libraries
    for name in ("sigma/sigma.min.js", "graphology/LICENSE", "world-atlas/countries-50m.json"):
        assert (static / "vendor" / name).is_file(), name
    assert (static / "explorer" / "explorer.js").is_file()
    assert (static / "explorer" / "centroids.json").is_file()

    # Run from elsewhere, so that the source tree cannot stand in for the installed package.
    code = (
        "import geokg; print(geokg.__file__); kg = geokg.open_store(None); "
        "print(sorted(kg.counts()))"
    )
    lines = probe(code, tmp_path, target)
    assert lines[0].startswith(str(installed))
    assert "https://w3id.org/geokg/graph/kb" in lines[1]
    assert "https://w3id.org/geokg/graph/ontology" in lines[1]


def test_import_from_the_repository_root_loads_the_installed_copy(target):
    """From the root, ``''`` (the root) is first on sys.path: no folder there may be ``geokg``."""
    assert not (ROOT / "geokg").exists()
    code = (
        "import json, geokg, geokg.api, geokg.graph, geokg.graph.importers, geokg.ontology\n"
        "import geokg.cli\n"
        "from geokg.api.app import create_app\n"
        "mods = (geokg, geokg.api, geokg.graph, geokg.graph.importers, geokg.ontology)\n"
        "print(json.dumps([p for m in mods for p in m.__path__] + [geokg.cli.__file__]))\n"
        "print(len(create_app(geokg.open_store(None)).routes))"
    )
    found, routes = probe(code, ROOT, target)
    paths = [Path(p) for p in json.loads(found)]
    assert len(paths) == 6, paths  # one folder per package: nothing from the source tree beside it
    assert all(p.is_relative_to(target / "geokg") for p in paths), paths
    assert int(routes) > 5
