"""IRIs that geokg's code and researchers' queries share.

>>> from geokg.graph.namespaces import GK, STATE
>>> GK.Treaty
rdflib.term.URIRef('https://w3id.org/geokg/ontology#Treaty')
>>> STATE["PRK"]
rdflib.term.URIRef('https://w3id.org/geokg/id/state/PRK')
"""

from rdflib import Namespace

GK = Namespace("https://w3id.org/geokg/ontology#")
ID = Namespace("https://w3id.org/geokg/id/")
STATE = Namespace("https://w3id.org/geokg/id/state/")
GRAPH = Namespace("https://w3id.org/geokg/graph/")

#: Named graph of the OWL ontology and its SKOS concept schemes.
ONTOLOGY_GRAPH = GRAPH["ontology"]
#: Named graph of the SHACL shapes.
SHAPES_GRAPH = GRAPH["shapes"]
#: Named graph of the curated knowledge base.
KB_GRAPH = GRAPH["kb"]
#: Named graph of edges derived from the others (rebuilt, never edited).
DERIVED_GRAPH = GRAPH["derived"]

#: Prefixes predeclared for researchers' queries (endpoint, query page, CLI) and used in the
#: examples, the README and Turtle output: one set, everywhere. A query may redeclare any of them.
PREFIXES: dict[str, str] = {
    "gk": str(GK),
    "id": str(ID),
    "state": str(STATE),
    "treaty": f"{ID}treaty/",
    "org": f"{ID}org/",
    "person": f"{ID}person/",
    "place": f"{ID}place/",
    "deployment": f"{ID}deployment/",
    "transfer": f"{ID}arms-transfer/",
    "materiel": f"{ID}materiel/",
    "event": f"{ID}event/",
    "claim": f"{ID}claim/",
    "assessment": f"{ID}assessment/",
    "source": f"{ID}source/",
    "provision": f"{ID}provision/",
    "measure": f"{ID}measure/",
    "scheme": f"{ID}scheme/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "schema": "https://schema.org/",
    "wd": "http://www.wikidata.org/entity/",
}


def sparql_prefixes() -> str:
    """The PREFIX lines for :data:`PREFIXES`, to put before a query.

    >>> sparql_prefixes().splitlines()[0]
    'PREFIX gk: <https://w3id.org/geokg/ontology#>'
    """
    return "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()) + "\n"
