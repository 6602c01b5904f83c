"""Curation of candidate claims (issue 17): the candidates graph of an article, accepting (with
edits) and rejecting, all-or-nothing writes, remembered decisions, check-quotes, and the
``geokg curate`` commands.

The candidates are written here by hand, as the extraction would give them (the
:class:`Candidate` contract): curation is tested on given candidates. The stored data are read
back with plain SPARQL, not with the curation module's own readers.
"""

from __future__ import annotations

import dataclasses

import pytest
from conftest import geokg as geokg_command
from geokg.api.entities import describe
from geokg.graph import GeokgError, ValidationError
from geokg.graph.ingest import Candidate
from geokg.graph.ingest.candidates_graph import CURATED_CLAIMS_GRAPH
from geokg.graph.ingest.curation import (
    Article,
    Edits,
    accept,
    reject,
    source_view,
    store_candidates,
)
from geokg.graph.quotes import check_quotes, count_quotes

import geokg

ID = "https://w3id.org/geokg/id/"
GK = "https://w3id.org/geokg/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DEP = ID + "deployment/prk-expeditionary-force-russia"
NIS, PRK = ID + "org/nis", ID + "state/PRK"
ZELENSKY = ID + "person/volodymyr-zelensky"
MSR, QUAL = ID + "measure/", ID + "qualifier/"

S1 = (
    "Le 18 octobre 2024, selon le NIS, environ 1 500 soldats nord-coréens s'entraînent "
    "dans l'Extrême-Orient russe."
)
S2 = "Pyongyang dément toute présence de ses troupes en Russie."
S3 = "Jusqu'à 12 000 hommes pourraient être envoyés, a déclaré Zelensky."
TEXT = f"{S1}\n\n{S2} {S3}\n"


def article(title: str, text: str = TEXT) -> Article:
    return Article(text=text, title=title, date="2024-10", publisher="Le Quotidien", lang="fr")


def proposals(text: str = TEXT) -> list[Candidate]:
    """What an extraction would propose for TEXT: two figures and a denial."""
    at = text.index
    return [
        Candidate(
            kind="quantity",
            quote=S1,
            start=at(S1),
            end=at(S1) + len(S1),
            measure=MSR + "troops-in-training",
            value=1500,
            qualifiers=(QUAL + "approximately",),
            attributed_to=NIS,
            attributed_text="le NIS",
            about=DEP,
            as_of="2024-10-18",
            as_of_precision="date",
            confidence=0.9,
        ),
        Candidate(
            kind="statement",
            quote=S2,
            start=at(S2),
            end=at(S2) + len(S2),
            attributed_to=PRK,
            attributed_text="Pyongyang",
            about=DEP,
            statement="North Korea denies that its troops are in Russia.",
            confidence=0.6,
        ),
        Candidate(
            kind="quantity",
            quote=S3,
            start=at(S3),
            end=at(S3) + len(S3),
            measure=MSR + "troops-planned",
            max_value=12000,
            qualifiers=(QUAL + "up-to",),
            attributed_to=ZELENSKY,
            attributed_text="Zelensky",
            about=DEP,
            confidence=0.7,
            new_actors=("Sa Majesté <b>X</b>",),
        ),
    ]


@pytest.fixture(scope="module")
def kg():
    """The bundled knowledge base in memory; each test curates an article of its own."""
    return geokg.open_store(None)


def nquads(kg) -> set[str]:
    """Every quad of the store, as N-Quads lines (to show that nothing changed)."""
    return set(kg.dump(None, "nq").decode("utf-8").splitlines())


def select(kg, query: str) -> list[tuple]:
    return [tuple(row) for row in kg.query(query, prefixes=True)]


def claim_description(kg, claim: str) -> dict[str, set]:
    """Predicate → objects of ``claim`` in the curated-claims graph."""
    rows = kg.query(
        f"SELECT ?p ?o WHERE {{ GRAPH <{CURATED_CLAIMS_GRAPH}> {{ <{claim}> ?p ?o }} }}"
    )
    found: dict[str, set] = {}
    for p, o in rows:
        found.setdefault(str(p), set()).add(o)
    return found


# -- the candidates graph ---------------------------------------------------------------------


def test_candidates_go_to_the_articles_own_graph_never_the_curated_one(kg):
    kb_before = kg.counts()["https://w3id.org/geokg/graph/kb"]
    quotes_before = count_quotes(kg)
    result = store_candidates(kg, article("Stored"), proposals())
    assert result.graph.startswith("https://w3id.org/geokg/graph/candidates/")
    assert result.source.startswith(ID + "source/")
    assert [s.status for s in result.new] == ["proposed"] * 3
    counts = kg.counts()
    assert counts["https://w3id.org/geokg/graph/kb"] == kb_before
    assert CURATED_CLAIMS_GRAPH not in counts
    # the source document, with the text as given
    doc = select(
        kg,
        f"""SELECT ?title ?date ?lang ?publisher ?text ?file WHERE {{ GRAPH <{result.graph}> {{
          <{result.source}> a gk:SourceDocument ; dcterms:title ?title ; dcterms:date ?date ;
            dcterms:language ?lang ; dcterms:publisher ?publisher ; gk:articleText ?text ;
            gk:fileName ?file }} }}""",
    )
    assert len(doc) == 1
    title, date, lang, publisher, text, file = doc[0]
    assert (str(title), title.language, str(lang), str(publisher)) == (
        "Stored",
        "fr",
        "fr",
        "Le Quotidien",
    )
    assert (str(date), str(date.datatype)) == ("2024-10", XSD + "gYearMonth")
    assert str(text) == TEXT and str(file).endswith(".txt")
    # each candidate: its fields, offsets into the text, confidence, status; never a claim
    rows = select(
        kg,
        f"""SELECT ?c ?class ?start ?end ?quote ?conf ?status WHERE {{ GRAPH <{result.graph}> {{
          ?c a gk:Candidate ; gk:foundIn <{result.source}> ; gk:candidateClass ?class ;
             gk:startOffset ?start ; gk:endOffset ?end ; gk:quote ?quote ;
             gk:confidence ?conf ; gk:status ?status }} }} ORDER BY ?start""",
    )
    assert len(rows) == 3
    for (_, cls, start, end, quote, conf, status), given in zip(rows, proposals(), strict=True):
        assert TEXT[int(start) : int(end)] == str(quote) == given.quote
        assert quote.language == "fr" and str(status) == "proposed"
        assert float(conf) == pytest.approx(given.confidence)
        assert str(cls) == GK + ("QuantityClaim" if given.kind == "quantity" else "StatementClaim")
    first = rows[0][0]
    fields = select(
        kg,
        f"""SELECT ?measure ?value ?qual ?agent ?about ?asOf WHERE {{ <{first}> gk:measure ?measure ;
          schema:value ?value ; gk:qualifier ?qual ; prov:wasAttributedTo ?agent ; gk:about ?about ;
          gk:asOf ?asOf }}""",
    )
    assert [tuple(map(str, r)) for r in fields] == [
        (MSR + "troops-in-training", "1500", QUAL + "approximately", NIS, DEP, "2024-10-18")
    ]
    assert not kg.query(
        "ASK { VALUES ?t { gk:Claim gk:QuantityClaim gk:StatementClaim } "
        f"GRAPH <{result.graph}> {{ ?c a ?t }} }}",
        prefixes=True,
    )
    # unreviewed proposals are not claims: check-quotes and the claim queries do not see them
    assert count_quotes(kg) == quotes_before
    assert not kg.query(
        f"ASK {{ ?c a gk:Candidate ; gk:foundIn <{result.source}> ; prov:wasDerivedFrom ?d }}",
        prefixes=True,
    )
    assert kg.validate(result.graph).conforms
    # nor does an entity page's table of claims about the deployment
    claims_shown = {row["claim"]["iri"] for row in describe(kg, DEP)["claims"]}
    assert claims_shown and not any(iri.startswith(ID + "candidate/") for iri in claims_shown)


def test_hostile_text_is_stored_exactly(kg):
    text = 'Titre """ \\ <script>alert(1)</script> "><img src=x onerror=alert(2)>\r\nfin ' + S2
    candidate = dataclasses.replace(
        proposals()[1], start=text.index(S2), end=text.index(S2) + len(S2)
    )
    hostile = Article(text=text, title='"><img src=x onerror=alert(3)>', date="2025", lang="fr")
    result = store_candidates(kg, hostile, [candidate])
    view = source_view(kg, result.graph.rsplit("/", 1)[-1])
    assert view.text == text and view.title == hostile.title
    assert view.candidates[0].candidate.quote == S2


def test_a_quote_that_is_not_the_text_at_its_offsets_is_refused(kg):
    wrong = dataclasses.replace(proposals()[0], start=0, end=10)
    before = nquads(kg)
    with pytest.raises(GeokgError, match="not the article's text"):
        store_candidates(kg, article("Wrong offsets"), [wrong])
    assert nquads(kg) == before


# -- accepting ----------------------------------------------------------------------------------


def test_accepting_writes_a_claim_like_the_curated_ones(kg):
    result = store_candidates(kg, article("Accepted"), proposals())
    first = result.new[0]
    claim = accept(kg, first.id)
    d = claim_description(kg, claim)
    assert {str(t) for t in d["http://www.w3.org/1999/02/22-rdf-syntax-ns#type"]} == {
        GK + "QuantityClaim"
    }
    (quote,) = d[GK + "quote"]
    assert (str(quote), quote.language) == (S1, "fr")
    assert {str(o) for o in d["http://www.w3.org/ns/prov#wasDerivedFrom"]} == {result.source}
    assert {str(o) for o in d["http://www.w3.org/ns/prov#wasAttributedTo"]} == {NIS}
    assert {str(o) for o in d[GK + "about"]} == {DEP}
    assert {str(o) for o in d[GK + "measure"]} == {MSR + "troops-in-training"}
    assert {str(o) for o in d[GK + "qualifier"]} == {QUAL + "approximately"}
    assert [int(v) for v in d["https://schema.org/value"]] == [1500]
    (as_of,) = d[GK + "asOf"]
    assert (str(as_of), str(as_of.datatype)) == ("2024-10-18", XSD + "date")
    # the candidate is marked accepted and points to its claim
    assert kg.query(
        f'ASK {{ GRAPH <{result.graph}> {{ <{first.iri}> gk:status "accepted" ; '
        f"gk:acceptedAs <{claim}> }} }}",
        prefixes=True,
    )
    # the claim is judged by the same shapes as the knowledge base's, and so is the store
    assert kg.validate().conforms
    assert kg.query(f"ASK {{ <{claim}> a gk:QuantityClaim }}", prefixes=True)
    with pytest.raises(GeokgError, match="already accepted"):
        accept(kg, first.id)


def test_a_share_is_kept_in_percent_like_the_knowledge_bases_shares(kg):
    """The extractor proposes « environ un tiers » as the fraction 1/3 with unit "share";
    accepted, it is 33.3333 percent, as the curated shares are (« moins de 1 % » → 1)."""
    sentence = "Environ un tiers des obus viendraient de Pyongyang, selon le NIS."
    share = Candidate(
        kind="quantity",
        quote=sentence,
        start=0,
        end=len(sentence),
        measure=MSR + "share-of-artillery-shells",
        value=1 / 3,
        unit="share",
        qualifiers=(QUAL + "approximately",),
        attributed_to=NIS,
        attributed_text="le NIS",
        about=DEP,
        as_of="2024-10",
        as_of_precision="gYearMonth",
    )
    result = store_candidates(kg, article("Shares", sentence + "\n"), [share])
    (stored,) = result.new
    assert stored.candidate.unit == "share"  # kept in the candidates graph
    d = claim_description(kg, accept(kg, stored.id))
    assert [float(v) for v in d["https://schema.org/value"]] == [33.3333]
    assert {str(u) for u in d["https://schema.org/unitText"]} == {"percent"}
    assert kg.validate().conforms


def test_accepting_with_edits(kg):
    result = store_candidates(kg, article("Edited"), proposals())
    third = result.new[2]
    edits = Edits(
        measure="troops-deployed",
        min_value=10000,
        max_value=12000,
        qualifiers=("between",),
        agent="org:nis",
        as_of="2024-11",
        about="deployment:prk-expeditionary-force-russia",
    )
    claim = accept(kg, third.id, edits)
    d = claim_description(kg, claim)
    assert {str(o) for o in d[GK + "measure"]} == {MSR + "troops-deployed"}
    assert [int(v) for v in d["https://schema.org/minValue"]] == [10000]
    assert [int(v) for v in d["https://schema.org/maxValue"]] == [12000]
    assert "https://schema.org/value" not in d
    assert {str(o) for o in d[GK + "qualifier"]} == {QUAL + "between"}
    assert {str(o) for o in d["http://www.w3.org/ns/prov#wasAttributedTo"]} == {NIS}
    (as_of,) = d[GK + "asOf"]
    assert (str(as_of), str(as_of.datatype)) == ("2024-11", XSD + "gYearMonth")
    (note,) = d["http://www.w3.org/2004/02/skos/core#editorialNote"]
    assert "measure" in note and "agent" in note and "as_of" in note
    (quote,) = d[GK + "quote"]
    assert str(quote) == S3  # the sentence stays verbatim whatever is edited


def test_an_undated_claim_takes_the_documents_date_and_says_so(kg):
    result = store_candidates(kg, article("Undated"), proposals())
    claim = accept(kg, result.new[1].id)  # the denial: no date in the text
    d = claim_description(kg, claim)
    assert {str(t) for t in d["http://www.w3.org/1999/02/22-rdf-syntax-ns#type"]} == {
        GK + "StatementClaim"
    }
    (as_of,) = d[GK + "asOf"]
    assert (str(as_of), str(as_of.datatype)) == ("2024-10", XSD + "gYearMonth")
    (note,) = d["http://www.w3.org/2004/02/skos/core#editorialNote"]
    assert note.startswith("Undated in the text: the source document's date")
    (statement,) = d[GK + "statement"]
    assert statement.language == "en"


@pytest.mark.parametrize(
    "edits, message",
    [
        (Edits(min_value=5000, max_value=2000), "range is inverted"),
        (Edits(as_of="2024-13"), "Ill-formed or ill-typed date on gk:asOf"),
        (Edits(measure="troops-invented"), "not a concept of the measure scheme"),
        (Edits(agent="measure:killed"), "not an agent"),
    ],
)
def test_an_accepted_edit_that_violates_a_shape_writes_nothing(kg, edits, message):
    result = store_candidates(kg, article(f"Refused {message}"), proposals())
    before = nquads(kg)
    with pytest.raises(ValidationError) as refused:
        accept(kg, result.new[0].id, edits)
    assert any(message in v.message for v in refused.value.report.violations), (
        refused.value.report.text()
    )
    assert nquads(kg) == before  # no claim, and the candidate is still proposed
    assert [s.status for s in source_view(kg, result.graph.rsplit("/", 1)[-1]).candidates] == [
        "proposed"
    ] * 3


def test_an_unknown_agent_or_a_missing_one_writes_nothing(kg):
    result = store_candidates(kg, article("Unknown agent"), proposals())
    before = nquads(kg)
    with pytest.raises(GeokgError, match="not in the store"):
        accept(kg, result.new[0].id, Edits(agent="org:nobody-of-that-name"))
    no_agent = dataclasses.replace(proposals()[2], attributed_to=None)
    other = store_candidates(kg, article("No agent"), [no_agent])
    before = nquads(kg)
    with pytest.raises(ValidationError, match="not attributed"):
        accept(kg, other.new[0].id)
    assert nquads(kg) == before


def test_ids_and_iris_that_would_break_out_of_a_query_are_refused(kg):
    result = store_candidates(kg, article("Hostile ids"), proposals())
    before = nquads(kg)
    for bad in ("x> } ; DROP ALL/1", "../x/1", "Slug/1", f"{result.new[0].id}x"):
        with pytest.raises(GeokgError, match="candidate id|no candidate"):
            accept(kg, bad)
    with pytest.raises(GeokgError, match="not an article's slug"):
        source_view(kg, "x> } }")
    for field in ("agent", "about"):
        with pytest.raises(GeokgError, match="is not an IRI"):
            accept(kg, result.new[0].id, Edits(**{field: "org:x> } ; DROP ALL"}))
    assert nquads(kg) == before


# -- remembering ----------------------------------------------------------------------------------


def test_a_rejection_is_remembered_and_a_rerun_proposes_nothing_new(kg):
    a = article("Rerun")
    result = store_candidates(kg, a, proposals())
    reject(kg, result.new[1].id)
    accept(kg, result.new[0].id)
    assert kg.query(
        f'ASK {{ GRAPH <{result.graph}> {{ <{result.new[1].iri}> gk:status "rejected" }} }}',
        prefixes=True,
    )
    before = nquads(kg)
    again = store_candidates(kg, a, proposals())
    assert again.new == [] and again.already_decided == 3
    assert nquads(kg) == before  # nothing written at all
    # a new proposal in the same article is numbered after the others
    extra = dataclasses.replace(proposals()[2], max_value=15000)
    more = store_candidates(kg, a, [*proposals(), extra])
    assert [s.id.rsplit("/", 1)[1] for s in more.new] == ["4"]
    with pytest.raises(GeokgError, match="already rejected"):
        accept(kg, result.new[1].id)


def test_figures_the_article_already_has_are_not_proposed(kg):
    """An article curated by hand (a seed article): ingested again under its title, the figures
    its claims quote are not proposed again; under another title (another article that copies
    the sentence), they are."""
    (quote, value, title), *_ = select(
        kg,
        """SELECT ?q ?v ?title WHERE { ?c a gk:QuantityClaim ; gk:quote ?q ; schema:value ?v ;
           prov:wasAttributedTo org:nis ; prov:wasDerivedFrom/dcterms:title ?title } ORDER BY ?q""",
    )
    text = f"Un chapeau.\n{quote}\nUne suite."
    start = text.index(str(quote))
    same = Candidate(
        kind="quantity",
        quote=str(quote),
        start=start,
        end=start + len(quote),
        value=float(value),
        attributed_to=NIS,
    )
    other_figure = dataclasses.replace(same, value=float(value) + 1)
    result = store_candidates(kg, article(str(title).upper(), text), [same, other_figure])
    assert result.already_curated == 1
    assert [s.candidate.value for s in result.new] == [float(value) + 1]
    copied = store_candidates(kg, article("Another outlet", text), [same])
    assert copied.already_curated == 0 and len(copied.new) == 1


# -- check-quotes -------------------------------------------------------------------------------


def test_check_quotes_holds_for_accepted_claims(kg, tmp_path):
    result = store_candidates(kg, article("Checked"), proposals())
    claims = [accept(kg, s.id) for s in result.new[:2]]
    view = source_view(kg, result.graph.rsplit("/", 1)[-1])
    empty = tmp_path / "empty"
    empty.mkdir()
    missing = {p.claim for p in check_quotes(kg, empty) if p.source == result.source}
    assert missing == set(claims)  # the accepted claims are checked …
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / f"{view.slug}.txt").write_text(view.text, encoding="utf-8")
    assert [p for p in check_quotes(kg, folder) if p.source == result.source] == []  # … and hold


# -- the command line -----------------------------------------------------------------------------


def test_curate_commands(store):
    on_disk = geokg.open_store(store)
    result = store_candidates(on_disk, article("On the command line"), proposals())
    on_disk.close()
    slug = result.graph.rsplit("/", 1)[-1]
    listed = geokg_command("curate", "list", store=store)
    assert listed.code == 0, listed.err
    assert slug in listed.out and "On the command line" in listed.out
    shown = geokg_command("curate", "list", slug, store=store)
    assert shown.code == 0 and f"{slug}/1" in shown.out and "proposed" in shown.out
    bad = geokg_command(
        "curate", "accept", f"{slug}/1", "--min", "5000", "--max", "2000", store=store
    )
    assert bad.code == 1 and "nothing loaded" in bad.err and "range is inverted" in bad.err
    ok = geokg_command(
        "curate",
        "accept",
        f"{slug}/3",
        "--measure",
        "troops-deployed",
        "--as-of",
        "2024",
        "--qualifier",
        "",
        store=store,
    )
    assert ok.code == 0, ok.err
    claim = ok.out.strip()
    assert claim == f"{ID}claim/{slug}-3"
    rejected = geokg_command("curate", "reject", f"{slug}/2", store=store)
    assert rejected.code == 0, rejected.err
    again = geokg_command("curate", "reject", f"{slug}/2", store=store)
    assert again.code == 1 and "already rejected" in again.err
    answer = geokg_command(
        "query",
        "--format",
        "csv",
        f"SELECT ?m ?asOf ?q WHERE {{ <{claim}> gk:measure ?m ; gk:asOf ?asOf "
        f"OPTIONAL {{ <{claim}> gk:qualifier ?q }} }}",
        store=store,
    )
    assert answer.out.splitlines()[1:] == [f"{MSR}troops-deployed,2024,"]
    text = geokg_command("curate", "text", slug, store=store)
    assert text.out == TEXT
    statuses = geokg_command("curate", "list", slug, store=store).out
    assert "accepted" in statuses and "rejected" in statuses and "proposed" in statuses


def test_the_candidate_shape_reports_a_malformed_candidate(kg):
    result = store_candidates(kg, article("Shape"), proposals()[:1])
    bad = f"""
    @prefix gk: <{GK}> .
    <{ID}candidate/planted/1> a gk:Candidate ; gk:foundIn <{result.source}> ;
        gk:candidateClass gk:Claim ; gk:startOffset 9 ; gk:endOffset 3 ; gk:confidence 1.5 ;
        gk:status "accepted" ; gk:quote "sans langue" .
    """
    before = nquads(kg)
    with pytest.raises(ValidationError) as refused:
        kg.load_data(bad, format="ttl", graph="https://example.org/planted")
    messages = {v.message for v in refused.value.report.violations}
    for expected in (
        "gk:candidateClass must be gk:QuantityClaim or gk:StatementClaim",
        "gk:startOffset must be less than its gk:endOffset",
        "gk:confidence: an xsd:decimal from 0 to 1",
        "gk:quote: its sentence, verbatim and language-tagged",
        'is "accepted" but names no claim with gk:acceptedAs',
    ):
        assert any(expected in m for m in messages), (expected, messages)
    assert nquads(kg) == before


def test_accepting_with_a_new_actor_the_text_credits(kg):
    credited = dataclasses.replace(proposals()[2], attributed_to=None, attributed_text="MI6")
    result = store_candidates(kg, article("New actor"), [credited])
    claim = accept(kg, result.new[0].id, Edits(new_agent="Le renseignement « britannique »"))
    actor = ID + "org/le-renseignement-britannique"
    d = claim_description(kg, claim)
    assert {str(o) for o in d["http://www.w3.org/ns/prov#wasAttributedTo"]} == {actor}
    labels = select(
        kg,
        f"""SELECT ?l WHERE {{ GRAPH <{CURATED_CLAIMS_GRAPH}> {{ <{actor}> a gk:Actor ;
          rdfs:label ?l ; prov:wasDerivedFrom <{result.source}> }} }} ORDER BY lang(?l)""",
    )
    assert [(str(label), label.language) for (label,) in labels] == [
        ("Le renseignement « britannique »", "en"),
        ("Le renseignement « britannique »", "fr"),
    ]
    assert kg.validate().conforms
    other = store_candidates(kg, article("New actor again"), [credited])
    with pytest.raises(GeokgError, match="already exists"):
        accept(kg, other.new[0].id, Edits(new_agent="Le renseignement britannique"))


def test_ingest_end_to_end_through_the_extractor(kg):
    """The real extractor (spaCy's French pipeline) proposes, curation stores; once one
    candidate is accepted and another rejected, ingesting the article again proposes
    nothing new."""
    from geokg.graph.ingest.curation import ingest_article

    text = (
        "Selon le NIS, environ 3 000 soldats nord-coréens supplémentaires ont été envoyés "
        "en Russie en janvier 2025.\n\nD'après Zelensky, plus de 4 000 soldats nord-coréens "
        "ont été tués ou blessés.\n"
    )
    first = ingest_article(kg, article("De bout en bout", text))
    figures = {(s.candidate.figure, s.candidate.attributed_to) for s in first.new}
    assert ("3000", NIS) in figures and ("≥4000", ZELENSKY) in figures, figures
    accept(kg, first.new[0].id)
    reject(kg, first.new[1].id)
    again = ingest_article(kg, article("De bout en bout", text))
    assert again.new == [] and again.already_decided == len(first.new)
