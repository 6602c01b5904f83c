"""Vendor YASGUI (``@zazuko/yasgui``, MIT) into ``api/static/vendor/yasgui/`` from npm.

The query page loads YASGUI from this server only (no CDN, works offline). This script
takes the pinned version below from the npm registry with npm's own client, into a
temporary folder, and copies the browser bundle beside a ``VERSION`` file (name,
version, tarball integrity) and a ``LICENSE`` file (YASGUI's licence and the licence
text of every package npm installed with it, since the bundle includes them).

Run from the repository root, then commit the folder::

    python scripts/vendor_yasgui.py

Change ``VERSION`` here to upgrade; the files are replaced whole.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PACKAGE = "@zazuko/yasgui"
VERSION = "4.6.2"
FILES = ["build/yasgui.min.js", "build/yasgui.min.css"]
TARGET = Path(__file__).resolve().parent.parent / "api" / "static" / "vendor" / "yasgui"
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


def npm(*args: str, cwd: Path) -> str:
    """Run npm in ``cwd``; its standard output."""
    done = subprocess.run(["npm", *args], cwd=cwd, check=True, capture_output=True, text=True)
    return done.stdout


def licences(modules: Path) -> list[str]:
    """The licence of every installed package, as sections of text (sorted by name)."""
    sections = []
    for manifest in sorted(modules.glob("**/package.json")):
        folder = manifest.parent
        if folder.parent.name != "node_modules" and folder.parent.parent.name != "node_modules":
            continue
        meta = json.loads(manifest.read_text(encoding="utf-8"))
        if "name" not in meta or "version" not in meta:
            continue
        texts = [folder / n for n in LICENCE_NAMES if (folder / n).is_file()]
        body = texts[0].read_text(encoding="utf-8", errors="replace") if texts else ""
        declared = meta.get("license", "(not declared)")
        if not body and meta["name"].startswith("@zazuko/"):
            body = f"(no licence file in the package; {declared}, as for @zazuko/yasgui above)"
        sections.append(f"== {meta['name']} {meta['version']} ({declared})\n\n{body.strip()}\n")
    return sections


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="vendor-yasgui-") as temp:
        work = Path(temp)
        (work / "package.json").write_text('{"private": true}\n')
        npm(
            "install",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            f"{PACKAGE}@{VERSION}",
            cwd=work,
        )
        package = work / "node_modules" / PACKAGE
        meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
        if meta["version"] != VERSION or meta.get("license") != "MIT":
            sys.exit(f"unexpected package: {meta['version']} {meta.get('license')}")
        lock = json.loads((work / "package-lock.json").read_text(encoding="utf-8"))
        integrity = lock["packages"][f"node_modules/{PACKAGE}"]["integrity"]
        if TARGET.exists():
            shutil.rmtree(TARGET)
        TARGET.mkdir(parents=True)
        for name in FILES:
            text = (package / name).read_text(encoding="utf-8")
            # the source maps are not shipped: drop the comment that would ask for them
            lines = [
                x
                for x in text.splitlines()
                if not x.startswith(("//# sourceMappingURL", "/*# sourceMappingURL"))
            ]
            (TARGET / Path(name).name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        (TARGET / "VERSION").write_text(
            f"{PACKAGE} {VERSION}\nlicense: MIT\nintegrity: {integrity}\n"
            f"source: https://registry.npmjs.org/{PACKAGE}/-/yasgui-{VERSION}.tgz\n"
            f"files: {', '.join(FILES)} (source maps left out)\n"
            "vendored by scripts/vendor_yasgui.py\n",
            encoding="utf-8",
        )
        header = (
            f"{PACKAGE} {VERSION} is MIT-licensed (its package.json); the npm package ships no\n"
            "licence text, so the MIT terms are given here. The bundle yasgui.min.js includes\n"
            "the packages npm installs with it; their licences follow.\n\n"
        )
        body = "\n".join(licences(work / "node_modules"))
        (TARGET / "LICENSE").write_text(header + MIT + "\n" + body, encoding="utf-8")
    print(f"vendored {PACKAGE} {VERSION} into {TARGET}")


if __name__ == "__main__":
    main()
