"""RDF and SPARQL-results formats: names, file extensions and media types.

>>> rdf_format_for("kb.ttl").name
'Turtle'
>>> rdf_format_named("nq").name
'N-Quads'
"""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import QueryResultsFormat, RdfFormat

from .errors import FormatError

#: Short names used on the command line, with their pyoxigraph format.
RDF_FORMATS: dict[str, RdfFormat] = {
    "ttl": RdfFormat.TURTLE,
    "trig": RdfFormat.TRIG,
    "nt": RdfFormat.N_TRIPLES,
    "nq": RdfFormat.N_QUADS,
    "rdf": RdfFormat.RDF_XML,
    "jsonld": RdfFormat.JSON_LD,
}

#: Aliases accepted for the short names (file extensions, common spellings).
_ALIASES = {
    "turtle": "ttl",
    "ntriples": "nt",
    "n-triples": "nt",
    "nquads": "nq",
    "n-quads": "nq",
    "xml": "rdf",
    "rdfxml": "rdf",
    "owl": "rdf",
    "json-ld": "jsonld",
    "json": "jsonld",
}

RESULTS_FORMATS: dict[str, QueryResultsFormat] = {
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
}


def rdf_format_named(name: str) -> RdfFormat:
    """The RDF format for a short name or alias such as ``ttl`` or ``json-ld``."""
    key = name.lower().lstrip(".")
    key = _ALIASES.get(key, key)
    if key not in RDF_FORMATS:
        known = ", ".join(RDF_FORMATS)
        raise FormatError(f"unknown RDF format {name!r}: use one of {known}")
    return RDF_FORMATS[key]


def rdf_format_for(path: str | Path) -> RdfFormat:
    """The RDF format of a file, from its extension (``.ttl``, ``.nq``, ``.jsonld``…)."""
    suffix = Path(path).suffix
    if not suffix:
        raise FormatError(f"{path}: no file extension to tell its RDF format; name it")
    try:
        return rdf_format_named(suffix)
    except FormatError:
        known = ", ".join("." + k for k in RDF_FORMATS)
        raise FormatError(f"{path}: unknown RDF file extension {suffix!r} ({known})") from None
