"""States and places by name: ``"Russia"``, ``"Russie"``, ``"Kursk"`` as well as ``"RUS"``.

A name matches the English or French labels and aliases (``rdfs:label``, ``skos:altLabel``)
of states and places, ignoring case, accents and punctuation; failing an exact match, a
name that is a whole word of exactly one resource's names (``"Kursk"`` in "Kursk Oblast").
A place stands for the state it lies in (``gk:locatedIn``). An unknown or ambiguous name is
an error that lists the candidates.

>>> import geokg
>>> kg = geokg.open_store(None)
>>> [resolve_state(kg, n)[-3:] for n in ("Russia", "russie", "KURSK", "RUS", "kursk-oblast")]
['RUS', 'RUS', 'RUS', 'RUS', 'RUS']
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

from .errors import GeokgError
from .lookup import fold
from .projection import actor_iri

if TYPE_CHECKING:
    from .store import KnowledgeGraph

PLACE = "https://w3id.org/geokg/id/place/"
_NAMES = """SELECT ?s ?name ?kind WHERE {
  VALUES ?kind { gk:State gk:Place } ?s a ?kind ; rdfs:label|skos:altLabel ?name }"""


def normal(name: str) -> str:
    """A name folded for comparison: no accents, no case, punctuation as spaces.

    >>> normal("  Côte-d’Ivoire "), normal("RUSSIE")
    ('cote d ivoire', 'russie')
    """
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(str(name)).casefold()).split())


def resolve_state(kg: KnowledgeGraph, name: str) -> str:
    """The IRI of the state ``name`` designates: an IRI, ``state:XXX``, an ISO 3166 alpha-3
    code, a place slug (``"kursk-oblast"``), or an English or French name of a state or of a
    place (then the state it lies in)."""
    iri = _by_code(kg, str(name).strip())
    if iri is not None:
        return _state_of(kg, iri, name)
    found = _by_name(kg, name)
    states = sorted({_state_of(kg, i, name) for i in found})
    if len(states) > 1:  # names of things in different states
        raise GeokgError(f"{name!r} is ambiguous: {_list(kg, found)}; give an ISO code or an IRI")
    return states[0]


def _by_code(kg: KnowledgeGraph, text: str) -> str | None:
    """An IRI, a ``state:`` name, an ISO code of a known state, or a known place slug."""
    if text.startswith(("http://", "https://", "state:")):
        return actor_iri(text)
    if re.fullmatch(r"[A-Za-z]{3}", text):
        iri = actor_iri(text)
        if kg.query(f"ASK {{ <{iri}> a gk:State }}", prefixes=True):
            return iri
    if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", text):
        iri = PLACE + text
        if kg.query(f"ASK {{ <{iri}> ?p ?o }}"):
            return iri
    return None


def _by_name(kg: KnowledgeGraph, name: str) -> list[str]:
    """The states and places of that name (exactly, else as a whole word of one of their
    names); an error listing close names when there are none."""
    wanted = normal(name)
    if not wanted:
        raise GeokgError("no state or place given")
    names: dict[str, set[str]] = {}
    for s, label, _kind in kg.query(_NAMES, prefixes=True):
        names.setdefault(str(s), set()).add(normal(str(label)))
    exact = sorted(s for s, found in names.items() if wanted in found)
    if exact:
        return exact
    word = re.compile(rf"(^| ){re.escape(wanted)}( |$)")
    partial = sorted(s for s, found in names.items() if any(word.search(n) for n in found))
    if partial:
        return partial
    every = {n: s for s, found in names.items() for n in found}
    close = difflib.get_close_matches(wanted, list(every), n=5, cutoff=0.75)
    hint = f"; did you mean {_list(kg, sorted({every[n] for n in close}))}?" if close else ""
    raise GeokgError(f"{name!r}: no state or place of that name{hint}")


def _list(kg: KnowledgeGraph, iris: list[str]) -> str:
    """``Label <IRI>`` for each candidate (at most ten)."""
    labels = {}
    if iris:
        values = " ".join(f"<{i}>" for i in iris[:10])
        rows = kg.query(
            f"""SELECT ?s (SAMPLE(?l) AS ?label) WHERE {{ VALUES ?s {{ {values} }}
              ?s rdfs:label ?l FILTER(langMatches(lang(?l), "en")) }} GROUP BY ?s""",
            prefixes=True,
        )
        labels = {str(s): str(label) for s, label in rows}
    shown = [f"{labels.get(i, i.rsplit('/', 1)[-1])} <{i}>" for i in iris[:10]]
    return ", ".join(shown) + (f" and {len(iris) - 10} more" if len(iris) > 10 else "")


def _state_of(kg: KnowledgeGraph, iri: str, name) -> str:
    """``iri`` if it is a state, else the state a place lies in."""
    if kg.query(f"ASK {{ <{iri}> a gk:State }}", prefixes=True):
        return iri
    rows = kg.query(
        f"SELECT DISTINCT ?s WHERE {{ <{iri}> gk:locatedIn+ ?s . ?s a gk:State }} ORDER BY ?s",
        prefixes=True,
    )
    if len(rows):
        return str(rows[0][0])
    if iri.startswith(PLACE) or not kg.query(f"ASK {{ <{iri}> ?p ?o }}"):
        raise GeokgError(f"{name!r}: neither a state nor a place located in a state")
    return iri


__all__ = ["normal", "resolve_state"]
