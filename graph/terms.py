"""Conversion between pyoxigraph terms and rdflib terms, at the edge.

geokg stores and queries with Oxigraph; Python users get rdflib terms.

>>> from collections.abc import Callable

import pyoxigraph as ox
>>> to_rdflib(ox.Literal("Corée du Nord", language="fr"))
rdflib.term.Literal('Corée du Nord', lang='fr')
>>> to_oxigraph(to_rdflib(ox.NamedNode("https://w3id.org/geokg/id/state/PRK")))
<NamedNode value=https://w3id.org/geokg/id/state/PRK>
"""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.DefaultGraph | None) -> Node:
    """The rdflib term for a pyoxigraph term (``None`` stays ``None``)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        # Oxigraph's IRIs are valid: skip rdflib's check (it is what URIRef() does after it).
        return str.__new__(URIRef, term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.DefaultGraph):
        return None
    raise TypeError(f"no rdflib term for {term!r}")


def cached_converter() -> Callable[[ox.NamedNode | ox.BlankNode | ox.Literal | None], Node]:
    """A :func:`to_rdflib` that remembers the terms it made, for one result set.

    Results repeat terms (states, measures, dates); an rdflib ``Literal`` costs
    microseconds to build, a dictionary look-up much less.

    >>> convert = cached_converter()
    >>> convert(ox.Literal("2024", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")))
    rdflib.term.Literal('2024', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYear'))
    """
    cache: dict = {}

    def convert(term):
        if term is None:
            return None
        try:
            return cache[term]
        except KeyError:
            made = cache[term] = to_rdflib(term)
            return made

    return convert


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term for an rdflib term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"no Oxigraph term for {term!r}")
