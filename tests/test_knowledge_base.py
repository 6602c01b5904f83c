"""The ontology, SKOS schemes, SHACL shapes and curated knowledge base in ``ontology/``.

- the shipped knowledge base conforms to the shapes (pySHACL, ontology and schemes as
  ``ont_graph``, no inference: targets reach subclasses through the mixed-in class hierarchy);
- every term of the ontology and every concept is labelled in English and French and defined;
- every claim has a source, an attributed agent, a quote and a date (quotes are checked
  verbatim against the articles by ``geokg check-quotes``: tests/test_check_quotes.py),
  every quantity claim a measure and a figure;
- the expected counts of curated resources;
- planted errors: the knowledge base plus one bad snippet fails, and the report names the
  planted focus node with a message that describes the problem.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, SKOS

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"
GK = Namespace("https://w3id.org/geokg/ontology#")
ID = "https://w3id.org/geokg/id/"

PREFIXES = """
PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX sh: <http://www.w3.org/ns/shacl#>
"""


def parse(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def ontology() -> Graph:
    """The OWL ontology and the SKOS schemes (the ``ont_graph`` of validation)."""
    return parse(ONTOLOGY / "geokg.ttl", ONTOLOGY / "schemes.ttl")


@pytest.fixture(scope="module")
def vocabulary() -> Graph:
    return parse(ONTOLOGY / "geokg.ttl")


@pytest.fixture(scope="module")
def schemes() -> Graph:
    return parse(ONTOLOGY / "schemes.ttl")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return parse(ONTOLOGY / "shapes.ttl")


@pytest.fixture(scope="module")
def kb() -> Graph:
    return parse(*sorted((ONTOLOGY / "kb").glob("*.ttl")))


@pytest.fixture(scope="module")
def everything(ontology: Graph, kb: Graph) -> Graph:
    return ontology + kb


def shacl(data: Graph, shapes: Graph, ontology: Graph) -> tuple[bool, list[dict[str, str]]]:
    """Validate ``data``; return conformance and the results (focus, message, path, value)."""
    conforms, report, _ = validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True
    )
    results = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        results.append(
            {
                key: str(report.value(result, predicate) or "")
                for key, predicate in (
                    ("focus", SH.focusNode),
                    ("message", SH.resultMessage),
                    ("path", SH.resultPath),
                    ("value", SH.value),
                    ("severity", SH.resultSeverity),
                )
            }
        )
    return conforms, results


def rows(graph: Graph, query: str) -> list[tuple]:
    return [tuple(row) for row in graph.query(PREFIXES + query)]


# --------------------------------------------------------------------------------------------
# The shipped knowledge base
# --------------------------------------------------------------------------------------------


def test_shipped_knowledge_base_conforms(kb, shapes, ontology):
    conforms, results = shacl(kb, shapes, ontology)
    assert conforms, "\n".join(f"{r['focus']}: {r['message']}" for r in results)


def test_knowledge_base_conforms_as_one_graph(everything, shapes):
    """The same data, ontology mixed in by hand (how a store holding everything validates)."""
    conforms, results = shacl(everything, shapes, Graph())
    assert conforms, "\n".join(f"{r['focus']}: {r['message']}" for r in results)


def test_every_ontology_term_is_labelled_in_english_and_french_and_defined(vocabulary):
    missing = rows(
        vocabulary,
        """
        SELECT ?term ?what WHERE {
          ?term a ?kind .
          FILTER (?kind IN (owl:Class, owl:ObjectProperty, owl:DatatypeProperty, owl:AnnotationProperty))
          FILTER (STRSTARTS(STR(?term), "https://w3id.org/geokg/ontology#"))
          { FILTER NOT EXISTS { ?term rdfs:label ?l FILTER (LANGMATCHES(LANG(?l), "en")) } BIND ("label@en" AS ?what) }
          UNION
          { FILTER NOT EXISTS { ?term rdfs:label ?l FILTER (LANGMATCHES(LANG(?l), "fr")) } BIND ("label@fr" AS ?what) }
          UNION
          { FILTER NOT EXISTS { ?term skos:definition ?d FILTER (LANGMATCHES(LANG(?d), "en")) } BIND ("definition@en" AS ?what) }
          UNION
          { FILTER NOT EXISTS { ?term skos:definition ?d FILTER (LANGMATCHES(LANG(?d), "fr")) } BIND ("definition@fr" AS ?what) }
        }""",
    )
    assert not missing, missing
    terms = rows(
        vocabulary,
        """SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a ?k .
           FILTER (STRSTARTS(STR(?t), "https://w3id.org/geokg/ontology#")) }""",
    )
    assert int(terms[0][0]) >= 90


def test_core_vocabulary_contract(vocabulary):
    """The names researchers' queries rely on (DESIGN.md) exist, with their superclasses."""
    g = vocabulary
    prov = Namespace("http://www.w3.org/ns/prov#")
    eli = Namespace("http://data.europa.eu/eli/ontology#")
    rdfs_sub = URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf")
    assert (GK.Actor, rdfs_sub, prov.Agent) in g
    for cls in ("State", "InternationalOrganization", "GovernmentAgency", "Person"):
        assert (GK[cls], rdfs_sub, GK.Actor) in g
    assert (GK.Treaty, rdfs_sub, eli.LegalResource) in g
    assert (GK.TreatyArticle, rdfs_sub, eli.LegalResourceSubdivision) in g
    assert (GK.QuantityClaim, rdfs_sub, GK.Claim) in g
    assert (GK.Claim, rdfs_sub, prov.Entity) in g
    for name in (
        "agencyOf party signedOn inForceFrom inForceUntil hasArticle articleNumber provision text "
        "sendingState hostState location startDate endDate legalBasis supplier recipient about "
        "measure asOf quote isoAlpha3 isoAlpha2 cowCode cowAbbreviation alliedWith boundToAssist "
        "obligor beneficiary viaTreaty viaArticle"
    ).split():
        assert (GK[name], RDF.type, None) in g, name
    for cls in ("MilitaryDeployment", "ArmsTransfer", "SourceDocument", "AssistanceObligation"):
        assert (GK[cls], RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in g
    ontology_iri = URIRef("https://w3id.org/geokg/ontology")
    assert (ontology_iri, URIRef("http://www.w3.org/2002/07/owl#versionIRI"), None) in g
    assert (ontology_iri, URIRef("http://purl.org/vocab/vann/preferredNamespacePrefix"), None) in g


def test_every_concept_is_labelled_defined_in_a_scheme_with_a_notation(schemes):
    missing = rows(
        schemes,
        """
        SELECT ?c ?what WHERE {
          ?c a skos:Concept .
          { FILTER NOT EXISTS { ?c skos:prefLabel ?l FILTER (LANGMATCHES(LANG(?l), "en")) } BIND ("prefLabel@en" AS ?what) }
          UNION { FILTER NOT EXISTS { ?c skos:prefLabel ?l FILTER (LANGMATCHES(LANG(?l), "fr")) } BIND ("prefLabel@fr" AS ?what) }
          UNION { FILTER NOT EXISTS { ?c skos:definition ?d FILTER (LANGMATCHES(LANG(?d), "en")) } BIND ("definition" AS ?what) }
          UNION { FILTER NOT EXISTS { ?c skos:inScheme ?s } BIND ("inScheme" AS ?what) }
          UNION { FILTER NOT EXISTS { ?c skos:notation ?n } BIND ("notation" AS ?what) }
        }""",
    )
    assert not missing, missing


def test_provision_scheme_is_aligned_with_atop(schemes):
    notations = dict(
        rows(
            schemes,
            """SELECT ?c ?n WHERE { ?c skos:inScheme <https://w3id.org/geokg/id/scheme/provision> ;
                                       skos:notation ?n }""",
        )
    )
    expected = {
        "defense": "defense",
        "offense": "offense",
        "neutrality": "neutral",
        "non-aggression": "nonagg",
        "consultation": "consul",
    }
    for slug, atop in expected.items():
        assert str(notations[URIRef(ID + "provision/" + slug)]) == atop
    for slug in ("military-cooperation", "technology-cooperation", "economic-cooperation"):
        assert URIRef(ID + "provision/" + slug) in notations


def test_closed_concept_lists_in_shapes_match_the_schemes(schemes, shapes):
    """The sh:in lists of the concept-membership shapes list exactly each scheme's concepts."""
    gksh = Namespace("https://w3id.org/geokg/shapes#")
    in_scheme = URIRef("http://www.w3.org/2004/02/skos/core#inScheme")
    for shape, scheme in (
        ("ProvisionConcept", "provision"),
        ("MeasureConcept", "measure"),
        ("MaterielConcept", "materiel"),
        ("QualifierConcept", "qualifier"),
        ("AssessmentConcept", "assessment"),
    ):
        listed = set(Collection(shapes, shapes.value(gksh[shape], SH["in"])))
        concepts = set(schemes.subjects(in_scheme, URIRef(ID + "scheme/" + scheme)))
        assert listed == concepts, (shape, listed ^ concepts)


def test_every_shape_constraint_has_a_message(shapes):
    silent = rows(
        shapes,
        """
        SELECT ?shape WHERE {
          { ?shape sh:path ?p } UNION { ?x sh:sparql ?shape } UNION { ?shape sh:or ?o ; a sh:NodeShape }
          UNION { ?shape sh:in ?l }
          FILTER NOT EXISTS { ?shape sh:message ?m }
          FILTER NOT EXISTS { ?parent sh:or/rdf:rest*/rdf:first ?shape }
          FILTER NOT EXISTS { ?parent sh:qualifiedValueShape ?shape }
        }""",
    )
    assert not silent, silent


# --------------------------------------------------------------------------------------------
# Claims and provenance
# --------------------------------------------------------------------------------------------


def test_every_claim_has_source_agent_quote_date_and_subject(everything):
    incomplete = rows(
        everything,
        """
        SELECT ?claim ?missing WHERE {
          ?claim a/rdfs:subClassOf* gk:Claim .
          { FILTER NOT EXISTS { ?claim prov:wasDerivedFrom ?s . ?s a gk:SourceDocument } BIND ("source" AS ?missing) }
          UNION { FILTER NOT EXISTS { ?claim prov:wasAttributedTo ?a } BIND ("agent" AS ?missing) }
          UNION { FILTER NOT EXISTS { ?claim gk:quote ?q } BIND ("quote" AS ?missing) }
          UNION { FILTER NOT EXISTS { ?claim gk:asOf ?d } BIND ("asOf" AS ?missing) }
          UNION { FILTER NOT EXISTS { ?claim gk:about ?x } BIND ("about" AS ?missing) }
        }""",
    )
    assert not incomplete, incomplete


def test_every_quantity_claim_has_a_measure_and_a_figure(everything):
    incomplete = rows(
        everything,
        """
        SELECT ?claim WHERE {
          ?claim a gk:QuantityClaim .
          FILTER (NOT EXISTS { ?claim gk:measure ?m }
                  || NOT EXISTS { ?claim schema:value|schema:minValue|schema:maxValue ?v })
        }""",
    )
    assert not incomplete, incomplete


def test_quotes_are_french_and_attributed_agents_are_agents(everything):
    wrong = rows(
        everything,
        """
        SELECT ?claim ?problem WHERE {
          ?claim a/rdfs:subClassOf* gk:Claim .
          { ?claim gk:quote ?q FILTER (LANG(?q) != "fr") BIND ("quote not @fr" AS ?problem) }
          UNION
          { ?claim prov:wasAttributedTo ?a
            FILTER NOT EXISTS { ?a a/rdfs:subClassOf* <http://www.w3.org/ns/prov#Agent> }
            BIND ("agent not typed" AS ?problem) }
        }""",
    )
    assert not wrong, wrong


def test_every_curated_resource_has_provenance(everything):
    unsourced = rows(
        everything,
        """
        SELECT ?x WHERE {
          ?x a ?c .
          FILTER (STRSTARTS(STR(?x), "https://w3id.org/geokg/id/"))
          FILTER (!STRSTARTS(STR(?x), "https://w3id.org/geokg/id/source/"))
          FILTER (!STRSTARTS(STR(?x), "https://w3id.org/geokg/id/cited-work/"))
          FILTER NOT EXISTS { ?c a owl:Class FILTER (STRSTARTS(STR(?c), "http://www.w3.org/2004/02/skos")) }
          FILTER NOT EXISTS { ?x a skos:Concept }
          FILTER NOT EXISTS { ?x a skos:ConceptScheme }
          FILTER NOT EXISTS { ?x prov:wasDerivedFrom ?s }
        }""",
    )
    assert not unsourced, unsourced


def test_nis_and_kcia_are_one_entity(kb):
    """'KCIA' (source 003) and 'NIS' (sources 000, 004) are one agency with both aliases."""
    skos = Namespace("http://www.w3.org/2004/02/skos/core#")
    nis = URIRef(ID + "org/nis")
    assert {"NIS", "KCIA"} <= {str(a) for a in kb.objects(nis, skos.altLabel)}
    kcia_nodes = {s for s in kb.subjects() if "kcia" in str(s).lower() and "/claim/" not in str(s)}
    assert not kcia_nodes, kcia_nodes
    prov = Namespace("http://www.w3.org/ns/prov#")
    source_003 = URIRef(ID + "source/anon-2024-soldats-nord-coreens-soutenir-ukraine")
    nis_claims_in_003 = {
        c
        for c in kb.subjects(prov.wasAttributedTo, nis)
        if (c, prov.wasDerivedFrom, source_003) in kb
    }
    assert len(nis_claims_in_003) >= 4


def test_states_have_codes_and_certain_wikidata_links(everything):
    states = rows(
        everything,
        """SELECT ?s ?a3 WHERE { ?s a gk:State ; gk:isoAlpha3 ?a3 .
             FILTER (STR(?s) = CONCAT("https://w3id.org/geokg/id/state/", ?a3)) }""",
    )
    historical = rows(  # former states with no ISO code: id/state/cow-<COW code>
        everything,
        """SELECT ?s WHERE { ?s a gk:State ; gk:cowCode ?c FILTER NOT EXISTS { ?s gk:isoAlpha3 ?a3 }
             FILTER (STR(?s) = CONCAT("https://w3id.org/geokg/id/state/cow-", STR(?c))) }""",
    )
    assert len(states) + len(historical) == len(list(everything.subjects(RDF.type, GK.State)))
    owl_same = URIRef("http://www.w3.org/2002/07/owl#sameAs")
    wd = "http://www.wikidata.org/entity/"
    expected = {
        "RUS": "Q159",
        "PRK": "Q423",
        "KOR": "Q884",
        "CHN": "Q148",
        "UKR": "Q212",
        "USA": "Q30",
    }
    for code, qid in expected.items():
        assert (URIRef(ID + "state/" + code), owl_same, URIRef(wd + qid)) in everything
    treaty_1961 = URIRef(ID + "treaty/sun-prk-1961-friendship-cooperation-mutual-assistance")
    assert (treaty_1961, GK.party, URIRef(ID + "state/SUN")) in everything
    assert (treaty_1961, GK.party, URIRef(ID + "state/RUS")) not in everything


@pytest.mark.parametrize(
    ("cls", "at_least"),
    [
        ("State", 14),
        ("InternationalOrganization", 4),
        ("GovernmentAgency", 20),
        ("Organization", 12),
        ("Person", 20),
        ("UnnamedGroup", 5),
        ("Treaty", 5),
        ("TreatyArticle", 6),
        ("MilitaryDeployment", 4),
        ("ArmsTransfer", 6),
        ("QuantityClaim", 34),
        ("StatementClaim", 70),
        ("SourceDocument", 6),
        ("Tenure", 15),
        ("Place", 15),
        ("Ratification", 5),
    ],
)
def test_counts(kb, cls, at_least):
    assert len(set(kb.subjects(RDF.type, GK[cls]))) >= at_least


def test_events_and_claims_by_measure(everything):
    events = rows(
        everything, "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a/rdfs:subClassOf* gk:Event }"
    )
    assert int(events[0][0]) >= 37
    by_measure = dict(
        (str(m).rsplit("/", 1)[-1], int(n))
        for m, n in rows(
            everything, "SELECT ?m (COUNT(?c) AS ?n) WHERE { ?c gk:measure ?m } GROUP BY ?m"
        )
    )
    assert by_measure["troops-deployed"] == 4
    assert by_measure["losses"] == 2
    assert by_measure["killed-acknowledged"] == 1
    assert by_measure["munitions-containers"] == 2
    assert by_measure["share-of-artillery-shells"] == 1
    assert by_measure["losses-share-of-initial-force"] == 1


def test_a_date_the_quote_does_not_write_is_explained(everything):
    """A claim dated to a year its quote does not give says where the date comes from.

    « le 18 octobre » (source 000) dated 2024-10-18: the year is inferred from the document's
    date, and the editorial note says so; so does every claim dated to its source's date.
    """
    unexplained = rows(
        everything,
        """
        SELECT ?claim ?asOf WHERE {
          ?claim gk:asOf ?asOf ; gk:quote ?quote .
          FILTER (!CONTAINS(STR(?quote), SUBSTR(STR(?asOf), 1, 4)))
          FILTER NOT EXISTS { ?claim skos:editorialNote ?note
                              FILTER (REGEX(STR(?note), "undated|dated|date|inferred", "i")) }
        }""",
    )
    assert not unexplained, unexplained
    for claim, year in (
        ("s000-clip-troops-at-sergeyevka", "2024"),
        ("s001-zelensky-several-thousand", "2024"),
    ):
        notes = " ".join(
            map(str, everything.objects(URIRef(ID + "claim/" + claim), SKOS.editorialNote))
        )
        assert f"the year ({year}) is inferred from the document's date" in notes, claim


def test_shares_are_figures(everything):
    """« environ un tiers » and « près de la moitié » (source 004) are quantity claims."""
    figures = {
        str(claim).rsplit("/", 1)[1]: (
            str(measure).rsplit("/", 1)[1],
            value,
            str(qualifier).rsplit("/", 1)[1],
            unit,
        )
        for claim, measure, value, qualifier, unit in rows(
            everything,
            """SELECT ?claim ?measure ?value ?qualifier ?unit WHERE {
                 ?claim a gk:QuantityClaim ; gk:measure ?measure ; schema:value ?value ;
                        gk:qualifier ?qualifier ; schema:unitText ?unit .
                 ?measure skos:inScheme <https://w3id.org/geokg/id/scheme/measure> }""",
        )
    }
    assert figures["s004-one-third-of-shells"][0] == "share-of-artillery-shells"
    assert float(figures["s004-one-third-of-shells"][1]) == pytest.approx(100 / 3, abs=0.05)
    assert figures["s004-one-third-of-shells"][2:] == ("approximately", Literal("percent"))
    assert figures["s004-uk-losses-half-of-initial-force"][:3] == (
        "losses-share-of-initial-force",
        Literal(50),
        "nearly",
    )


def test_a_share_a_statement_quotes_is_also_a_figure(everything):
    """A sentence that gives a share (« un tiers », « la moitié », « un quart », « … % ») is
    quoted by a quantity claim in percent, not only by statement claims or by a count that the
    same sentence gives (the defects of issue 18)."""
    only_stated = rows(
        everything,
        """
        SELECT ?claim WHERE {
          ?claim a gk:StatementClaim ; gk:quote ?quote .
          FILTER (REGEX(STR(?quote), "(^|[^\\\\w])(tiers|moitié|quarts?)([^\\\\w]|$)|%", "i"))
          FILTER NOT EXISTS { ?figure a gk:QuantityClaim ; gk:quote ?quote ; schema:unitText "percent" }
        }""",
    )
    assert not only_stated, only_stated


def test_attributions_and_aliases_as_the_sources_write_them(everything):
    claim, person, org = (Namespace(ID + kind + "/") for kind in ("claim", "person", "org"))
    prov = Namespace("http://www.w3.org/ns/prov#")
    mfa = claim["s001-chinese-mfa-vague-neutral"]
    assert set(everything.objects(mfa, prov.wasAttributedTo)) == {person["ines-ferreira"]}
    assert org["chn-mfa"] in set(everything.objects(mfa, GK.about))
    treasury = claim["s002-treasury-investigations"]
    about = set(everything.objects(treasury, GK.about))
    assert URIRef(ID + "sanctions/un-dprk") not in about
    assert {everything.value(x, GK.actingBody) for x in about} == {org["us-treasury"]}
    assert Literal("Andriï Sybiga", lang="fr") in set(
        everything.objects(person["andrii-sybiha"], SKOS.altLabel)
    )
    wave = rows(
        everything,
        """SELECT ?e WHERE { ?e a/rdfs:subClassOf* gk:Event ; gk:concerns ?d ; rdfs:label ?l .
             ?d a gk:MilitaryDeployment FILTER (CONTAINS(LCASE(STR(?l)), "troisième vague")) }""",
    )
    assert len(wave) == 1


# --------------------------------------------------------------------------------------------
# Planted errors: the knowledge base plus one bad snippet
# --------------------------------------------------------------------------------------------

SNIPPET_PREFIXES = """
@prefix gk: <https://w3id.org/geokg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix id: <https://w3id.org/geokg/id/> .
@prefix src: <https://w3id.org/geokg/id/source/> .
@prefix state: <https://w3id.org/geokg/id/state/> .
@prefix org: <https://w3id.org/geokg/id/org/> .
@prefix dep: <https://w3id.org/geokg/id/deployment/> .
@prefix msr: <https://w3id.org/geokg/id/measure/> .
@prefix prv: <https://w3id.org/geokg/id/provision/> .
"""

GOOD_CLAIM = """
    a gk:QuantityClaim ; gk:about dep:prk-expeditionary-force-russia ; gk:measure msr:troops-deployed ;
    gk:asOf "2024-10"^^xsd:gYearMonth ; prov:wasAttributedTo org:nis ;
    gk:quote "Le NIS estime que cette force nord-coréenne comprendrait au moins 10 000 soldats"@fr ;
"""

PLANTED = {
    "claim-without-source": (
        "claim/planted",
        f"""<https://w3id.org/geokg/id/claim/planted> {GOOD_CLAIM} schema:value 10000 .""",
        r"Claim has no source",
    ),
    "range-min-greater-than-max": (
        "claim/planted",
        f"""<https://w3id.org/geokg/id/claim/planted> {GOOD_CLAIM}
            prov:wasDerivedFrom src:arrouart-2024-envoi-soldats-nord-coreens ;
            schema:minValue 15000 ; schema:maxValue 10000 .""",
        r"range is inverted: schema:minValue is greater than schema:maxValue",
    ),
    "deployment-without-host": (
        "deployment/planted",
        """dep:planted a gk:MilitaryDeployment ; rdfs:label "Planted deployment"@en ;
            gk:sendingState state:PRK ; prov:wasDerivedFrom src:background .""",
        r"Deployment has no host state",
    ),
    "impossible-date": (
        "claim/planted",
        """<https://w3id.org/geokg/id/claim/planted> a gk:QuantityClaim ;
            gk:about dep:prk-expeditionary-force-russia ; gk:measure msr:troops-deployed ;
            gk:asOf "2024-13-01"^^xsd:date ; prov:wasAttributedTo org:nis ;
            prov:wasDerivedFrom src:arrouart-2024-envoi-soldats-nord-coreens ;
            gk:quote "au moins 10 000 soldats"@fr ; schema:minValue 10000 .""",
        r"Ill-formed or ill-typed date on gk:asOf",
    ),
    "impossible-year-month": (
        "claim/planted",
        """<https://w3id.org/geokg/id/claim/planted> a gk:QuantityClaim ;
            gk:about dep:prk-expeditionary-force-russia ; gk:measure msr:troops-deployed ;
            gk:asOf "2024-13"^^xsd:gYearMonth ; prov:wasAttributedTo org:nis ;
            prov:wasDerivedFrom src:arrouart-2024-envoi-soldats-nord-coreens ;
            gk:quote "au moins 10 000 soldats"@fr ; schema:minValue 10000 .""",
        r"Ill-formed or ill-typed date on gk:asOf",
    ),
    "treaty-with-one-party": (
        "treaty/planted",
        """<https://w3id.org/geokg/id/treaty/planted> a gk:Treaty ; rdfs:label "Planted treaty"@en ;
            gk:party state:RUS ; gk:signedOn "2024-06-19"^^xsd:date ; prov:wasDerivedFrom src:background .""",
        r"Treaty has fewer than two parties",
    ),
    "actor-without-french-label": (
        "org/planted",
        """org:planted a gk:GovernmentAgency ; rdfs:label "Planted agency"@en ;
            gk:agencyOf state:RUS ; prov:wasDerivedFrom src:background .""",
        r"Actor has no French label",
    ),
    "signed-after-entry-into-force": (
        "treaty/planted",
        """<https://w3id.org/geokg/id/treaty/planted> a gk:Treaty ; rdfs:label "Planted treaty"@en ;
            gk:party state:RUS , state:PRK ; gk:signedOn "2024-06"^^xsd:gYearMonth ;
            gk:inForceFrom "2024"^^xsd:gYear , "2023-12-04"^^xsd:date ; prov:wasDerivedFrom src:background .""",
        r"Treaty is signed \(2024-06\) after it enters into force \(2023-12-04\)",
    ),
    "article-in-two-treaties": (
        "treaty/rus-prk-2024-comprehensive-strategic-partnership/article/4",
        """<https://w3id.org/geokg/id/treaty/north-atlantic-treaty> gk:hasArticle
            <https://w3id.org/geokg/id/treaty/rus-prk-2024-comprehensive-strategic-partnership/article/4> .""",
        r"Treaty article must belong to exactly one treaty",
    ),
    "period-ends-before-it-starts": (
        "deployment/planted",
        """dep:planted a gk:MilitaryDeployment ; rdfs:label "Planted deployment"@en ;
            gk:sendingState state:PRK ; gk:hostState state:RUS ; prov:wasDerivedFrom src:background ;
            gk:startDate "2024-10"^^xsd:gYearMonth ; gk:endDate "2024-09-30"^^xsd:date .""",
        r"Period ends \(2024-09-30\) before it starts \(2024-10\)",
    ),
    "claim-without-quote": (
        "claim/planted",
        """<https://w3id.org/geokg/id/claim/planted> a gk:QuantityClaim ;
            gk:about dep:prk-expeditionary-force-russia ; gk:measure msr:troops-deployed ;
            gk:asOf "2024-10"^^xsd:gYearMonth ; prov:wasAttributedTo org:nis ;
            prov:wasDerivedFrom src:arrouart-2024-envoi-soldats-nord-coreens ; schema:value 10000 .""",
        r"Claim has no quote",
    ),
}


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_planted_error_is_reported_on_its_focus_node(name, kb, shapes, ontology):
    focus, snippet, message = PLANTED[name]
    data = Graph()
    data += kb
    data.parse(data=SNIPPET_PREFIXES + snippet, format="turtle")
    conforms, results = shacl(data, shapes, ontology)
    assert not conforms, f"{name}: the planted error was not detected"
    focus_iri = ID + focus
    on_focus = [r for r in results if r["focus"] == focus_iri]
    assert on_focus, (
        f"{name}: no result on {focus_iri}; got {[(r['focus'], r['message']) for r in results]}"
    )
    assert any(re.search(message, r["message"]) for r in on_focus), (
        f"{name}: no message matching {message!r}; got {[r['message'] for r in on_focus]}"
    )
    # The error is the planted one: the shipped knowledge base contributes no result.
    assert {r["focus"] for r in results} == {focus_iri}, {r["focus"] for r in results}


def test_signing_and_entry_into_force_compared_at_common_precision(kb, shapes, ontology):
    """Signed 19 June 2024, in force "2024": same year, so no violation (no false positive)."""
    data = Graph()
    data += kb
    data.parse(
        data=SNIPPET_PREFIXES
        + """<https://w3id.org/geokg/id/treaty/planted> a gk:Treaty ; rdfs:label "Planted treaty"@en ;
            gk:party state:RUS , state:PRK ; gk:signedOn "2024-06-19"^^xsd:date ;
            gk:inForceFrom "2024"^^xsd:gYear ; prov:wasDerivedFrom src:background .""",
        format="turtle",
    )
    conforms, results = shacl(data, shapes, ontology)
    assert conforms, [(r["focus"], r["message"]) for r in results]
