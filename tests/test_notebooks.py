"""The research notebooks run top to bottom on the bundled data and find what they say."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbclient
import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ["01-alliance-structure", "02-russia-north-korea", "03-conflicting-figures"]


def run(name: str) -> tuple[str, nbformat.NotebookNode]:
    """Execute a notebook in its folder; return all its printed text and the notebook."""
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute()
    text = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            assert output.output_type != "error", output
            if output.output_type == "stream":
                text.append(output.text)
            elif "text/plain" in output.get("data", {}):
                text.append(output.data["text/plain"])
    return "\n".join(text), notebook


@pytest.mark.parametrize("name", NAMES)
def test_committed_clean(name):
    raw = (NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8")
    notebook = json.loads(raw)
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    markdown = [c for c in notebook["cells"] if c["cell_type"] == "markdown"]
    assert len(markdown) >= 4 and len(code) >= 5
    assert "/work/" not in raw and "/home/" not in raw and "/tmp/" not in raw
    assert len(raw) < 50_000


def test_alliance_structure():
    text, notebook = run(NAMES[0])
    assert "alliances on 2024-12-31: 7 states, 8 treaty edges" in text
    assert "broker on 2024-12-31: PRK" in text
    assert "blocs on 2024-12-31: 2" in text
    assert "added: 1 removed: 1" in text
    assert "{'nodes': 7, 'edges': 8}" in text
    html = [
        o for c in notebook.cells for o in c.get("outputs", []) if "text/html" in o.get("data", {})
    ]
    assert any("<iframe srcdoc=" in o.data["text/html"] for o in html)
    assert "alliances-2024.gexf" in text and "alliances-2024.graphml" in text


def test_russia_north_korea():
    text, notebook = run(NAMES[1])
    assert re.search(r"round 1: PRK via article 4 of Treaty on Comprehensive Strategic", text)
    assert "states drawn in: 2 in 2 rounds" in text
    assert "drawn in on 2024-08-06: 0" in text
    assert "PRK → RUS legal basis: article 4 of Treaty on Comprehensive Strategic" in text
    assert "assistance militaire" in text  # the quoted words of Article 4
    html = [
        o for c in notebook.cells for o in c.get("outputs", []) if "text/html" in o.get("data", {})
    ]
    assert sum("<iframe srcdoc=" in o.data["text/html"] for o in html) == 2


def test_conflicting_figures():
    text, notebook = run(NAMES[2])
    assert "claims about the deployment: 17" in text
    assert "troop estimates: 10 from 4 agencies" in text
    assert "loss figures: 3" in text
    assert "troops-deployed: 2000–15000" in text
    assert "plotted 13 figures from 6 agencies" in text
    images = [
        o for c in notebook.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})
    ]
    assert len(images) == 1
