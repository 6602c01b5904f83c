"""The ontology, shapes and knowledge base that ship with geokg.

They live in the ``ontology/`` folder of the source tree, installed as
``geokg/ontology``. Each bundled data set goes to its own named graph.

>>> [str(g).rsplit("/", 1)[1] for g, _ in bundled_datasets()]
['ontology', 'shapes', 'kb']
"""

from __future__ import annotations

from pathlib import Path

import geokg

from .namespaces import KB_GRAPH, ONTOLOGY_GRAPH, SHAPES_GRAPH


def data_dir() -> Path:
    """The folder of the bundled ontology: ``geokg/ontology`` in an installed package, the
    ``ontology/`` folder at the root of a source checkout (``src/geokg`` → ``ontology``)."""
    package = Path(geokg.__file__).resolve().parent
    installed = package / "ontology"
    return installed if installed.is_dir() else package.parents[1] / "ontology"


def shapes_file() -> Path:
    """The SHACL shapes file."""
    return data_dir() / "shapes.ttl"


def ontology_files() -> list[Path]:
    """The OWL ontology and SKOS concept schemes (every top-level Turtle file but the shapes)."""
    return sorted(p for p in data_dir().glob("*.ttl") if p.name != "shapes.ttl")


def kb_files() -> list[Path]:
    """The curated knowledge base files."""
    return sorted((data_dir() / "kb").glob("*.ttl"))


def questions_dir() -> Path:
    """The competency questions (``NN-name.rq`` with expected answers in ``NN-name.csv``)."""
    return data_dir() / "questions"


def bundled_datasets() -> list[tuple[str, list[Path]]]:
    """Each bundled data set as (named graph IRI, files), in load order."""
    return [
        (str(ONTOLOGY_GRAPH), ontology_files()),
        (str(SHAPES_GRAPH), [shapes_file()] if shapes_file().exists() else []),
        (str(KB_GRAPH), kb_files()),
    ]
