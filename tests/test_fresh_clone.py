"""A fresh clone of the repository passes its tests on its own, with no ``shared`` folder
beside it (CI has one; a user who clones the repository does not).

The committed HEAD is cloned into a temporary folder, installed (non-editable) into a folder of
its own, and a fast subset of the suite that reads the committed data files (tests/data) runs
there with the current interpreter, on the clone's code and data only.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Tests that read tests/data (ATOP, COW states, OWID, MDI, US troops) or check quotes.
FAST_SUBSET = [
    "tests/test_import_states.py",
    "tests/test_check_quotes.py",
    "tests/test_import_atop.py::test_counts_of_treaties_and_member_phases",
    "tests/test_import_atop.py::test_nato_members_with_their_entry_years",
    "tests/test_import_atop.py::test_row_errors_name_file_line_column_and_value",
    "tests/test_import_deployments.py::test_mdi_deployments_and_claims",
    "tests/test_import_deployments.py::test_us_troops_deployments_and_claims",
    "tests/test_reconcile.py::test_codes_and_names_resolve_to_one_iri",
]
#: What no file may mention (written in two pieces so that this file does not).
OUTSIDE = b".." + b"/shared"
#: Folders whose files must not point outside the repository.
SEARCHED = ["tests", "notebooks", "bench", "scripts", "src", "graph", "api", "ontology"]


def run(*command: str, cwd: Path, env: dict | None = None, timeout: float = 300):
    done = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def test_a_fresh_clone_passes_its_tests_without_shared(tmp_path):
    head = run("git", "rev-parse", "HEAD", cwd=ROOT).strip()
    clone = tmp_path / "geokg"
    run("git", "clone", "--quiet", "--no-checkout", str(ROOT), str(clone), cwd=tmp_path)
    run("git", "checkout", "--quiet", "--detach", head, cwd=clone)
    assert run("git", "rev-parse", "HEAD", cwd=clone).strip() == head
    assert not (clone.parent / "shared").exists()

    # Nothing in the clone points at the shared folder (CI's own script, .ci/run, may).
    pointing = [
        str(path.relative_to(clone))
        for folder in SEARCHED
        for path in (clone / folder).rglob("*")
        if path.is_file() and OUTSIDE in path.read_bytes()
    ]
    assert pointing == []
    assert list((clone / "tests" / "data").rglob("*.csv"))  # the data files are committed

    site = tmp_path / "site"
    run(
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--target",
        str(site),
        str(clone),
        cwd=tmp_path,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GEOKG_", "PYTEST_"))}
    env["PYTHONPATH"] = str(site)
    where = run(sys.executable, "-c", "import geokg; print(geokg.__file__)", cwd=clone, env=env)
    assert Path(where.strip()).is_relative_to(site)  # the clone's code, not this checkout's

    out = run(
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        *FAST_SUBSET,
        cwd=clone,
        env=env,
        timeout=600,
    )
    summary = out.strip().splitlines()[-1]
    assert " passed" in summary and "failed" not in summary and "error" not in summary, out
    assert int(summary.split(" passed")[0].split()[-1]) >= len(FAST_SUBSET)
