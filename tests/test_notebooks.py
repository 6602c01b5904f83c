"""The research notebooks run top to bottom (on the bundled data, and notebook 01 on ATOP) and\nfind what they say, checked against independent references where the data allow."""

from __future__ import annotations

import json
import re
from pathlib import Path

import atop_reference
import nbclient
import nbformat
import networkx as nx
import pandas as pd
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
    """Notebook 01 runs on ATOP; its key numbers equal a pandas computation from the CSV."""
    text, notebook = run(NAMES[0])
    dates = ["1914-06-28", "1939-08-31", "1962-10-15", "1980-06-30", "2016-06-30"]
    shown = {
        day: tuple(int(x) for x in found)
        for day, *found in re.findall(
            r"alliances on (\S+): (\d+) states, (\d+) allied pairs, (\d+) alliances in force", text
        )
    }
    reference = {day: atop_reference.pairs(day) for day in dates}
    for day in dates:
        pairs, alliances = reference[day]
        states = set().union(*pairs)
        assert shown[day] == (len(states), len(pairs), alliances), day
        degree = pd.Series([c for p in pairs for c in p]).value_counts()
        (line,) = re.findall(rf"top five by degree on {day}: (.*)", text)
        top = [item.rsplit(" ", 1) for item in line.split(", ")]
        assert [int(n) for _, n in top] == sorted(degree, reverse=True)[:5], day
        for label, n in top:
            codes = [c for c in degree.index if atop_reference.name(c) == label]
            assert not codes or int(degree[codes[0]]) == int(n), (day, label)
        graph = nx.Graph(list(map(tuple, pairs)))
        between = nx.betweenness_centrality(graph)
        broker = max(sorted(between, key=str), key=lambda c: between[c])
        assert f"broker on {day}: {atop_reference.name(broker)} " in text
    degree = pd.Series([c for p in reference["2016-06-30"][0] for c in p]).value_counts()
    assert f"Russia's partners on 2016-06-30: {degree['RUS']}" in text
    added = reference["2016-06-30"][0] - reference["1980-06-30"][0]
    removed = reference["1980-06-30"][0] - reference["2016-06-30"][0]
    assert f"added {len(added)}, removed {len(removed)}" in text
    assert re.search(r"blocs on 2016-06-30: \d+; largest: ", text)
    html = [
        o for c in notebook.cells for o in c.get("outputs", []) if "text/html" in o.get("data", {})
    ]
    assert any("<iframe srcdoc=" in o.data["text/html"] for o in html)
    assert "alliances-2016.gexf" in text and "alliances-2016.graphml" in text


def test_russia_north_korea():
    text, notebook = run(NAMES[1])
    assert re.search(r"round 1: PRK via article 4 of Treaty on Comprehensive Strategic", text)
    assert "states drawn in: 1 in 1 round" in text  # by default, round 1 only
    assert "conditional: 0; bound to both sides: 0" in text
    assert "round 2: CHN via article 2, if the attacker's side attacks North Korea" in text
    assert "states drawn in if the war spreads: 2 in 2 rounds" in text
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
