"""Vendor the JavaScript the pages use from npm into ``api/static/vendor/<name>/``.

One mechanism for every library (the query page's YASGUI, the explorer's sigma.js,
graphology, Louvain, TopoJSON and world outline): the versions pinned in ``PACKAGES`` are
installed with npm's own client (``--ignore-scripts``) into a temporary folder, and the
files the pages load are copied beside a ``VERSION`` file (name, version, licence, tarball
and its integrity from npm's lock file) and a ``LICENSE`` file (the package's licence text
and, for a bundle that includes its dependencies, the licence of every one of them).
Source-map comments are dropped (the maps are not shipped). The files are committed: the
pages work offline and ship in the wheel.

Run from the repository root, then commit ``api/static/vendor/``::

    python scripts/vendor_js.py            # every package
    python scripts/vendor_js.py sigma      # only the packages named

Change a version in ``PACKAGES`` to upgrade; a package's folder is replaced whole.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "api" / "static" / "vendor"
LICENCE_NAMES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "license", "LICENSE-MIT")

MIT = """MIT License

Copyright (c) Triply and Zazuko GmbH (the authors and contributors named in the
package.json of @zazuko/yasgui)

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""

NATURAL_EARTH = """
---
The outlines themselves are Natural Earth's (https://www.naturalearthdata.com),
public domain: "All versions of Natural Earth raster + vector map data found on
this website are in the public domain." world-atlas converts them to TopoJSON.
"""


@dataclass(frozen=True)
class Package:
    """One pinned npm package and the files the pages load from it.

    ``folder``: the name of its folder under ``api/static/vendor/``. ``bundles``: the
    files include the package's dependencies (their licences are added). ``licence``:
    the licence text when the package ships none; ``note``: text added to ``LICENSE``.
    """

    name: str
    version: str
    folder: str
    files: tuple[str, ...]
    bundles: bool = False
    licence: str = ""
    note: str = ""


PACKAGES = [
    # the query page (issue 15): highlighting, tabs, history, result table, charts
    Package(
        "@zazuko/yasgui",
        "4.6.2",
        "yasgui",
        ("build/yasgui.min.js", "build/yasgui.min.css"),
        bundles=True,
        licence=MIT,
    ),
    # the explorer (issue 16): WebGL renderer, its graph model, Louvain blocs, the world map
    Package("sigma", "3.0.2", "sigma", ("dist/sigma.min.js",)),
    Package("graphology", "0.26.0", "graphology", ("dist/graphology.umd.min.js",)),
    Package(
        "graphology-library", "0.8.0", "graphology-library", ("dist/graphology-library.min.js",)
    ),
    Package("topojson-client", "3.1.0", "topojson-client", ("dist/topojson-client.min.js",)),
    Package("world-atlas", "2.0.2", "world-atlas", ("countries-50m.json",), note=NATURAL_EARTH),
]


def licence_text(folder: Path) -> str:
    """The first licence file of an installed package, or ``""``."""
    for name in LICENCE_NAMES:
        if (folder / name).is_file():
            return (folder / name).read_text(encoding="utf-8", errors="replace").strip()
    return ""


def dependencies(tree: dict) -> dict[str, str]:
    """Every package below ``tree`` (a node of ``npm ls --all --json``): name → version.

    >>> dependencies({"dependencies": {"a": {"version": "1", "dependencies": {"b": {"version": "2"}}}}})
    {'a': '1', 'b': '2'}
    """
    found: dict[str, str] = {}
    for name, node in (tree.get("dependencies") or {}).items():
        found[name] = node.get("version", "?")
        found.update(dependencies(node))
    return found


def without_source_maps(text: str) -> str:
    """``text`` without the comments that ask a browser for a source map we do not ship.

    >>> without_source_maps("a();\\n//# sourceMappingURL=a.js.map\\n")
    'a();\\n'
    """
    lines = [
        x
        for x in text.splitlines()
        if not x.startswith(("//# sourceMappingURL", "/*# sourceMappingURL"))
    ]
    return "\n".join(lines) + "\n"


def vendor(package: Package, work: Path, lock: dict, tree: dict) -> None:
    """Copy ``package`` from the npm install in ``work`` into its vendor folder."""
    installed = work / "node_modules" / package.name
    meta = json.loads((installed / "package.json").read_text(encoding="utf-8"))
    if meta["version"] != package.version:
        sys.exit(f"{package.name}: npm installed {meta['version']}, not {package.version}")
    entry = lock["packages"][f"node_modules/{package.name}"]
    target = VENDOR / package.folder
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in package.files:
        source = installed / name
        if source.suffix in (".js", ".css"):
            text = source.read_text(encoding="utf-8")
            (target / source.name).write_text(without_source_maps(text), encoding="utf-8")
        else:
            shutil.copyfile(source, target / source.name)
    declared = meta.get("license", "(not declared)")
    tarball = f"{package.name.split('/')[-1]}-{package.version}.tgz"
    source = entry.get("resolved", f"https://registry.npmjs.org/{package.name}/-/{tarball}")
    (target / "VERSION").write_text(
        f"{package.name} {package.version}\nlicense: {declared}\n"
        f"integrity: {entry['integrity']}\nsource: {source}\n"
        f"files: {', '.join(package.files)} (source maps left out)\n"
        "vendored by scripts/vendor_js.py\n",
        encoding="utf-8",
    )
    own = licence_text(installed)
    if not own and not package.licence:
        sys.exit(f"{package.name}: no licence text in the package and none given here")
    if not own:
        own = (
            f"{package.name} {package.version} is {declared}-licensed (its package.json); the npm\n"
            f"package ships no licence text, so the {declared} terms are given here.\n\n"
            + package.licence.strip()
        )
    sections = [own + "\n" + package.note]
    if package.bundles:
        below = dependencies(tree["dependencies"][package.name])
        sections.append(
            f"{package.name}'s bundle includes the packages npm installs with it; "
            "their licences follow.\n"
        )
        for name, version in sorted(below.items()):
            folder = work / "node_modules" / name
            their = json.loads((folder / "package.json").read_text(encoding="utf-8"))
            licence = their.get("license", "(not declared)")
            text = licence_text(folder) or f"(no licence file in the package; {licence})"
            sections.append(f"== {name} {version} ({licence})\n\n{text}\n")
    (target / "LICENSE").write_text("\n".join(sections), encoding="utf-8")
    print(f"vendored {package.name} {package.version} into {target}")


def main(names: list[str]) -> None:
    chosen = [p for p in PACKAGES if not names or p.name in names or p.folder in names]
    if not chosen:
        sys.exit(f"no such package: {names}; known: {[p.name for p in PACKAGES]}")
    with tempfile.TemporaryDirectory(prefix="vendor-js-") as temp:
        work = Path(temp)
        (work / "package.json").write_text('{"private": true}\n')
        specs = [f"{p.name}@{p.version}" for p in chosen]
        npm = ["npm", "--no-audit", "--no-fund"]
        subprocess.run([*npm, "install", "--ignore-scripts", *specs], cwd=work, check=True)
        lock = json.loads((work / "package-lock.json").read_text(encoding="utf-8"))
        listing = subprocess.run(
            [*npm, "ls", "--all", "--json"], cwd=work, check=True, capture_output=True, text=True
        )
        tree = json.loads(listing.stdout)
        for package in chosen:
            vendor(package, work, lock, tree)


if __name__ == "__main__":
    main(sys.argv[1:])
