"""The vendored JavaScript is what scripts/vendor_js.py pins, with its licence beside it."""

from __future__ import annotations

import doctest
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location("vendor_js", ROOT / "scripts" / "vendor_js.py")
vendor_js = importlib.util.module_from_spec(SPEC)
sys.modules["vendor_js"] = vendor_js  # dataclasses look their module up there
SPEC.loader.exec_module(vendor_js)


@pytest.mark.parametrize("package", vendor_js.PACKAGES, ids=lambda p: p.folder)
def test_vendored_files_match_the_pinned_versions(package):
    folder = vendor_js.VENDOR / package.folder
    version = (folder / "VERSION").read_text(encoding="utf-8").splitlines()
    assert version[0] == f"{package.name} {package.version}"
    assert any(line.startswith("integrity: sha512-") for line in version)
    assert len((folder / "LICENSE").read_text(encoding="utf-8")) > 200
    for name in package.files:
        shipped = folder / Path(name).name
        assert shipped.stat().st_size > 0
        assert b"sourceMappingURL" not in shipped.read_bytes()[-300:]
    # nothing in the folder that the script did not put there
    wanted = {Path(n).name for n in package.files} | {"VERSION", "LICENSE"}
    assert {p.name for p in folder.iterdir()} == wanted


def test_every_vendored_folder_is_pinned():
    pinned = {p.folder for p in vendor_js.PACKAGES}
    assert {p.name for p in vendor_js.VENDOR.iterdir() if p.is_dir()} == pinned


def test_script_docstring_examples():
    assert doctest.testmod(vendor_js).failed == 0
