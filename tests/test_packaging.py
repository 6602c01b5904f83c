"""A non-editable install ships the right packages and the bundled data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_install_has_geokg_only_with_its_data(tmp_path):
    target = tmp_path / "site"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    top_level = {p.name for p in target.iterdir() if not p.name.endswith(".dist-info")} - {"bin"}
    assert top_level == {"geokg"}  # no top-level `graph` or `api` package
    installed = target / "geokg"
    assert (installed / "graph" / "store.py").is_file() and (installed / "api" / "app.py").is_file()
    assert (installed / "ontology" / "geokg.ttl").is_file()
    assert (installed / "ontology" / "shapes.ttl").is_file()
    assert list((installed / "ontology" / "kb").glob("*.ttl"))
    static = installed / "api" / "static"  # the explorer's files and vendored libraries
    for name in ("sigma/sigma.min.js", "graphology/LICENSE", "world-atlas/countries-50m.json"):
        assert (static / "vendor" / name).is_file(), name
    assert (static / "explorer" / "explorer.js").is_file()
    assert (static / "explorer" / "centroids.json").is_file()

    # Run from elsewhere, so that the source tree cannot stand in for the installed package.
    env = dict(os.environ, PYTHONPATH=str(target))
    probe = (
        "import geokg; print(geokg.__file__); kg = geokg.open_store(None); "
        "print(sorted(kg.counts()))"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0].startswith(str(installed))
    assert "https://w3id.org/geokg/graph/kb" in run.stdout
    assert "https://w3id.org/geokg/graph/ontology" in run.stdout
