"""``geokg ingest``'s extraction: candidate claims from short French and English articles that
the tests write themselves (hedges, ranges, shares, attribution, aliases, date precision)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from geokg.graph.ingest.candidate import ID, MSR, ORG, QUAL, Candidate
from geokg.graph.ingest.dates import find_dates
from geokg.graph.ingest.extract import propose
from geokg.graph.ingest.figures import find_figures

import geokg
from geokg.cli import cli

STATE = ID + "state/"
PERSON = ID + "person/"
PLACE = ID + "place/"


@pytest.fixture(scope="module")
def kg():
    """The bundled knowledge base, in memory; spaCy's pipeline is loaded once per process."""
    store = geokg.open_store(None)
    yield store
    store.close()


def only(candidates: list[Candidate], kind: str = "quantity") -> Candidate:
    """The one candidate of ``kind`` (the test fails if there are more or none)."""
    found = [c for c in candidates if c.kind == kind]
    assert len(found) == 1, found
    return found[0]


# -- hedges ----------------------------------------------------------------------------------

FRENCH_HEDGES = [
    ("environ 6 000 soldats", "approximately", 6000, None, None),
    ("jusqu'à 12 000 soldats", "up-to", None, None, 12000),
    ("plus de 13 000 soldats", "more-than", None, 13000, None),
    ("près de 1 500 soldats", "nearly", 1500, None, None),
    ("moins de 500 soldats", "less-than", None, None, 500),
    ("au moins 10 000 soldats", "at-least", None, 10000, None),
]
ENGLISH_HEDGES = [
    ("at least 10,000 troops", "at-least", None, 10000, None),
    ("up to 12,000 troops", "up-to", None, None, 12000),
    ("about 6,000 troops", "approximately", 6000, None, None),
    ("more than 1,500 troops", "more-than", None, 1500, None),
]


TEMPLATES = {
    "fr": "Selon le NIS, la Corée du Nord a envoyé {} en Russie.",
    "en": "According to the NIS, North Korea has sent {} to Russia.",
}


@pytest.mark.parametrize(
    ("lang", "words", "hedge", "value", "low", "high"),
    [("fr", *h) for h in FRENCH_HEDGES] + [("en", *h) for h in ENGLISH_HEDGES],
)
def test_each_hedge_gives_its_qualifier_and_bound(kg, lang, words, hedge, value, low, high):
    c = only(propose(kg, TEMPLATES[lang].format(words), lang=lang))
    assert c.qualifiers == (QUAL + hedge,)
    assert (c.value, c.min_value, c.max_value) == (value, low, high)
    assert c.measure == MSR + "troops-deployed"
    assert c.attributed_to == ORG + "nis"


def test_a_figure_without_hedge_has_no_qualifier(kg):
    c = only(propose(kg, "Le NIS estime que 3 000 soldats sont arrivés.", lang="fr"))
    assert (c.value, c.qualifiers) == (3000, ())


def test_at_least_then_up_to_in_one_sentence_is_one_range(kg):
    text = "Le NIS estime la force à au moins 10 000 soldats, et jusqu'à 15 000 hommes."
    c = only(propose(kg, text, lang="fr"))
    assert (c.min_value, c.max_value) == (10000, 15000)
    assert c.qualifiers == (QUAL + "at-least", QUAL + "up-to")


# -- ranges and shares -----------------------------------------------------------------------


def test_french_range_entre_et(kg):
    text = "Les analystes estiment que le contingent compte entre 10 000 et 12 000 soldats."
    c = only(propose(kg, text, lang="fr"))
    assert (c.value, c.min_value, c.max_value) == (None, 10000, 12000)
    assert c.qualifiers == (QUAL + "between",)
    assert c.figure == "10000–12000"


def test_english_range_to(kg):
    c = only(propose(kg, "Officials said 10,000 to 12,000 soldiers were deployed.", lang="en"))
    assert (c.min_value, c.max_value, c.qualifiers) == (10000, 12000, (QUAL + "between",))
    assert c.attributed_text == "Officials"


@pytest.mark.parametrize(
    ("sentence", "lang"),
    [("Le contingent est passé de 10 000 à 12 000 soldats.", "fr"),
     ("The force rose from 10,000 to 12,000 troops.", "en")],
)  # fmt: skip
def test_a_change_from_one_figure_to_another_is_no_range(sentence, lang):
    assert [(f.value, f.min_value, f.max_value) for f in find_figures(sentence, lang)] == [
        (10000, None, None), (12000, None, None),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("words", "value", "high"),
    [("un tiers des obus", 1 / 3, None), ("la moitié des obus", 0.5, None),
     ("1 % des obus", 0.01, None), ("moins de 1 % des obus", None, 0.01)],
)  # fmt: skip
def test_shares_are_fractions(words, value, high):
    [f] = find_figures(f"Selon l'ISW, {words} viennent de Corée du Nord.", "fr")
    assert f.unit == "share"
    assert f.value == pytest.approx(value) if value is not None else f.value is None
    assert f.max_value == high


def test_share_of_shells_gets_its_measure(kg):
    text = "Les analystes militaires occidentaux estiment qu'environ un tiers des obus viennent de Corée du Nord."
    c = only(propose(kg, text, lang="fr"))
    assert c.measure == MSR + "share-of-artillery-shells"
    assert c.value == pytest.approx(1 / 3) and c.unit == "share"


def test_money_carries_its_currency_and_a_conversion_is_the_texts_own(kg):
    text = "Selon le NIS, chaque soldat reçoit une prime de 400 000 roubles (3 800 euros)."
    rub, eur = [c for c in propose(kg, text, lang="fr") if c.kind == "quantity"]
    assert (rub.value, rub.unit, rub.attributed_to) == (400000, "RUB", ORG + "nis")
    assert (eur.value, eur.unit, eur.attributed_to, eur.attributed_text) == (
        3800,
        "EUR",
        None,
        None,
    )
    assert rub.measure == eur.measure == MSR + "enlistment-bonus"


@pytest.mark.parametrize(
    "sentence",
    [
        "Le traité a été signé le 19 juin 2024 à Pyongyang.",
        "L'article 4 du traité et la résolution 2397 sont en cause.",
        "Des obus de 122 mm, des fusils AK-47, un reportage de France 24.",
        "Depuis 1961, en moins de 24 heures, il y a trois ans.",
    ],
)
def test_years_dates_references_calibres_and_names_are_no_figures(kg, sentence):
    assert [c for c in propose(kg, sentence, lang="fr") if c.kind == "quantity"] == []


def test_a_four_digit_number_is_a_year_unless_it_counts_something():
    figures = find_figures("En 2024, 1500 soldats et 2000 obus ; depuis 2022, 1961.", "fr")
    assert [f.value for f in figures] == [1500, 2000]


# -- attribution -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "agent"),
    [
        ("Selon le NIS, 3 000 soldats sont en Russie.", "fr", ORG + "nis"),
        ("D'après les services de renseignement britanniques, plus de 6 000 soldats ont été "
         "tués ou blessés.", "fr", ORG + "uk-intelligence"),
        ("Environ 3 000 soldats sont arrivés, a déclaré Zelensky.", "fr",
         PERSON + "volodymyr-zelensky"),
        ("According to British intelligence, more than 6,000 North Korean soldiers were killed "
         "or wounded.", "en", ORG + "uk-intelligence"),
        ("Zelensky said that about 3,000 troops had arrived.", "en", PERSON + "volodymyr-zelensky"),
        ("Le renseignement sud-coréen, connu sous le nom de KCIA, a révélé que 1 500 soldats "
         "s'entraînent.", "fr", ORG + "nis"),
        ("Pyongyang n'a reconnu officiellement que 350 morts.", "fr", STATE + "PRK"),
        ("Le régime de Kim Jong-un n'a reconnu que 350 morts.", "fr", STATE + "PRK"),
    ],
)  # fmt: skip
def test_the_agent_the_text_credits(kg, text, lang, agent):
    c = only(propose(kg, text, lang=lang))
    assert c.attributed_to == agent
    assert c.attributed_text and c.attributed_text in text


def test_a_credit_closing_the_sentence_covers_the_figures_before_it(kg):
    text = (
        "North Korea has sent about 3,000 more troops to Russia, South Korea's National "
        "Intelligence Service said on Thursday, bringing the total to some 14,000."
    )
    more, total = [c for c in propose(kg, text, lang="en") if c.kind == "quantity"]
    assert more.attributed_to == total.attributed_to == ORG + "nis"
    assert more.measure == MSR + "reinforcements-announced"
    assert total.measure != MSR + "reinforcements-announced"  # its own clause says "total"
    opening = "Pyongyang a envoyé 3 000 soldats, et le NIS a déclaré que 500 sont morts."
    sent, dead = [c for c in propose(kg, opening, lang="fr") if c.kind == "quantity"]
    assert (sent.attributed_to, dead.attributed_to) == (None, ORG + "nis")


def test_an_inverted_subject_after_a_weekday_a_verb_of_killing_and_a_bare_range(kg):
    text = (
        "Les forces ukrainiennes ont tué ou blessé quelque 4 000 militaires nord-coréens dans "
        "la région de Koursk, a déclaré mercredi le président Volodymyr Zelensky. D'après "
        "l'état-major ukrainien, 200 soldats ont été tués. Le Pentagone estime que 11 000 à "
        "12 000 soldats nord-coréens ont été envoyés en Russie à l'automne 2024."
    )
    lost, killed, sent = [c for c in propose(kg, text, lang="fr", published="2025-03-13")]
    assert (lost.measure, lost.attributed_to, lost.as_of) == (
        MSR + "losses", PERSON + "volodymyr-zelensky", "2025-03-12",
    )  # fmt: skip
    assert killed.quote.startswith("D'après l'état-major")  # one sentence, not cut at « -major »
    assert (killed.measure, killed.attributed_text) == (MSR + "killed", "état-major ukrainien")
    assert (sent.min_value, sent.max_value, sent.attributed_to) == (11000, 12000, ORG + "us-dod")
    assert (sent.as_of, sent.as_of_precision) == ("2024", "gYear")
    assert sent.about == ID + "deployment/prk-expeditionary-force-russia"


def test_english_citing_half_of_losing_and_a_period_start(kg):
    text = (
        "South Korean lawmakers said Pyongyang had sent roughly 11,000 troops, citing the NIS. "
        "North Korea supplies nearly half of Russia's artillery shells, according to estimates "
        "by Ukrainian military intelligence. Russia was losing about 1,500 soldiers a day, the "
        "UK Ministry of Defence estimated. The war, which began in February 2022, has "
        "displaced over 6 million people, the UN says."
    )
    sent, half, losing, displaced = propose(kg, text, lang="en", published="2024-12-24")
    assert (sent.value, sent.attributed_to) == (11000, ORG + "nis")  # not "said Pyongyang"
    assert (half.value, half.unit, half.measure) == (
        0.5,
        "share",
        MSR + "share-of-artillery-shells",
    )
    assert (half.attributed_to, half.attributed_text) == (None, "Ukrainian military intelligence")
    assert (losing.measure, losing.attributed_to) == (MSR + "losses", ORG + "uk-mod")
    assert (displaced.min_value, displaced.as_of) == (6_000_000, None)  # 2022: when it began


def test_an_agent_the_graph_does_not_know_is_proposed_as_a_new_actor(kg):
    c = only(propose(kg, "John Kirby said that about 8,000 troops were in Kursk.", lang="en"))
    assert (c.attributed_to, c.attributed_text, c.new_actors) == (
        None,
        "John Kirby",
        ("John Kirby",),
    )


def test_a_figure_credited_to_nobody_is_the_texts_own_voice_not_an_agency(kg):
    text = "La région de Koursk couvre environ 29 800 km². Selon le NIS, 3 000 soldats y sont."
    area, troops = [c for c in propose(kg, text, lang="fr") if c.kind == "quantity"]
    assert (area.attributed_to, area.attributed_text) == (None, None)
    assert (area.measure, area.unit, area.about) == (MSR + "area", "km2", PLACE + "kursk-oblast")
    assert troops.attributed_to == ORG + "nis"


def test_two_figures_of_one_sentence_credited_to_their_own_speakers(kg):
    text = ("Séoul a révélé que Pyongyang avait perdu près de 2 000 combattants, alors que le "
            "régime de Kim Jong-un n'a reconnu officiellement que 350 morts.")  # fmt: skip
    lost, dead = [c for c in propose(kg, text, lang="fr") if c.kind == "quantity"]
    assert (lost.measure, lost.attributed_to) == (MSR + "losses", STATE + "KOR")
    assert (dead.measure, dead.attributed_to) == (MSR + "killed-acknowledged", STATE + "PRK")


def test_a_sentence_going_on_from_a_credited_one_keeps_its_credit(kg):
    text = ("Les analystes militaires occidentaux estiment que 300 missiles ont été livrés. "
            "Le régime a également fourni plus de 20 000 conteneurs de munitions.\n"
            "Le régime a fourni 100 missiles.")  # fmt: skip
    first, second, third = [c for c in propose(kg, text, lang="fr") if c.kind == "quantity"]
    assert (
        second.attributed_to == first.attributed_to == ORG + "unnamed-western-military-analysts-004"
    )
    assert second.measure == MSR + "munitions-containers"
    assert third.attributed_to is None  # a new paragraph, and no « également »
    assert third.confidence < first.confidence


# -- aliases and links -----------------------------------------------------------------------


def test_aliases_resolve_to_the_graphs_entities(kg):
    text = "Selon le KCIA, Pyongyang a envoyé près de 1 500 militaires qui s'entraînent près de Koursk."
    c = only(propose(kg, text, lang="fr"))
    assert c.attributed_to == ORG + "nis"
    assert c.measure == MSR + "troops-in-training"
    assert c.about == ID + "deployment/prk-expeditionary-force-russia"


@pytest.mark.parametrize(
    ("text", "lang", "agent"),
    [
        ("Comme l'explique pour l'AFP, Vladimir Tikhonov, spécialiste des questions coréennes, "
         "ces soldats libèrent des forces russes.", "fr", PERSON + "vladimir-tikhonov"),
        ("Pour les experts, il s'agit de renforcer l'alliance.", "fr", None),
        ("The troops are poorly trained, Zelensky told Reuters.", "en",
         PERSON + "volodymyr-zelensky"),
    ],
)  # fmt: skip
def test_statements_credit_their_speaker(kg, text, lang, agent):
    c = only(propose(kg, text, lang=lang), "statement")
    assert c.attributed_to == agent and c.attributed_text
    assert c.attributed_text in text


def test_a_statement_without_figure_is_credited(kg):
    c = only(propose(kg, "Le Kremlin a démenti toute présence de soldats nord-coréens.", lang="fr"),
             "statement")  # fmt: skip
    assert c.attributed_to == ORG + "kremlin"
    assert c.statement == c.quote


@pytest.mark.parametrize(
    ("text", "lang", "article"),
    [
        ("Pour les experts, la Russie semble avoir invoqué l'article 4 de son nouvel accord "
         "avec la Corée du Nord.", "fr", "rus-prk-2024-comprehensive-strategic-partnership/article/4"),
        ("Selon Moscou, le quatrième article du traité avec Pyongyang engage la Corée du Nord.",
         "fr", "rus-prk-2024-comprehensive-strategic-partnership/article/4"),
        ("NATO said Article 5 of the North Atlantic Treaty was not at stake.", "en",
         "north-atlantic-treaty/article/5"),
    ],
)  # fmt: skip
def test_a_statement_about_a_treaty_article_links_to_it(kg, text, lang, article):
    c = only(propose(kg, text, lang=lang), "statement")
    assert c.about == ID + "treaty/" + article


def test_an_article_number_that_fits_no_treaty_links_to_nothing(kg):
    text = "Selon Moscou, l'article 77 du traité avec Pyongyang est clair."
    assert only(propose(kg, text, lang="fr"), "statement").about is None


# -- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "published", "as_of", "precision"),
    [
        ("Le 26 avril 2025, le NIS a estimé que 3 000 soldats étaient là.", None, "2025-04-26", "date"),
        ("En août 2024, le NIS a estimé que 3 000 soldats étaient là.", None, "2024-08", "gYearMonth"),
        ("Fin 2023, le NIS a estimé que 3 000 soldats étaient là.", None, "2023", "gYear"),
        ("Le NIS a estimé que 3 000 soldats étaient là.", "2024-10-25", None, None),
        ("Le 17 octobre, le NIS a estimé que 3 000 soldats étaient là.", "2024-11-25", "2024-10-17", "date"),
        ("En août, le NIS a estimé que 3 000 soldats étaient là.", "2024-11-25", "2024-08", "gYearMonth"),
        ("Le NIS a révélé vendredi que 3 000 soldats étaient là.", "2024-10-25", "2024-10-25", "date"),
        ("Le NIS a révélé mercredi que 3 000 soldats étaient là.", "2024-10", "2024-10", "gYearMonth"),
        ("Le NIS a révélé mercredi que 3 000 soldats étaient là.", None, None, None),
        ("On Wednesday, the NIS said 3,000 troops were there.", "2024-10-25", "2024-10-23", "date"),
        ("In June 2025, British intelligence said 6,000 were lost.", None, "2025-06", "gYearMonth"),
        ("By late 2023, the NIS said 3,000 troops were there.", None, "2023", "gYear"),
    ],
)  # fmt: skip
def test_as_of_date_at_the_texts_precision(kg, sentence, published, as_of, precision):
    lang = "fr" if sentence[0] in "LEF" and " the " not in sentence else "en"
    c = only(propose(kg, sentence, lang=lang, published=published))
    assert (c.as_of, c.as_of_precision) == (as_of, precision)


def test_a_period_is_dated_by_its_end_and_since_is_no_date():
    assert [d.value for d in find_dates("entre janvier et mars 2025", "fr")] == ["2025-03"]
    assert find_dates("plus de 13 000 conteneurs depuis août, depuis 2022", "fr", "2024-10") == []


# -- quotes ----------------------------------------------------------------------------------

ARTICLE = """Pertes lourdes et nouvelle vague
Les services sud-coréens estiment qu’environ 13\u00a0000 soldats nord-coréens ont participé aux combats.  En juin 2025, les renseignements britanniques ont évalué les pertes à plus de 6 000 hommes, soit près de la moitié des effectifs déployés initialement.

Selon les experts, le conflit a contribué à consolider une « axe des quatre ». Le Kremlin a nié.
"""


def test_every_quote_is_the_text_between_its_offsets(kg):
    candidates = propose(kg, ARTICLE, lang="fr", published="2025-07")
    assert len([c for c in candidates if c.kind == "quantity"]) == 3
    for c in candidates:
        assert c.quote == ARTICLE[c.start : c.end]
        assert c.quote == c.quote.strip() and "\n" not in c.quote
    engaged = candidates[0]
    assert (engaged.measure, engaged.value, engaged.attributed_to) == (
        MSR + "troops-engaged", 13000, ORG + "nis",
    )  # fmt: skip
    half = next(c for c in candidates if c.unit == "share")
    assert (half.measure, half.value, half.as_of) == (
        MSR + "losses-share-of-initial-force", 0.5, "2025-06",
    )  # fmt: skip


def test_english_quotes_are_the_text_between_their_offsets(kg):
    text = "Headline without stop\nThe Pentagon estimated that at least 1,000 were wounded.  Kirby said 500 died."
    candidates = propose(kg, text, lang="en")
    assert [c.quote for c in candidates] == [
        "The Pentagon estimated that at least 1,000 were wounded.",
        "Kirby said 500 died.",
    ]
    assert all(c.quote == text[c.start : c.end] for c in candidates)
    assert candidates[0].attributed_to == ORG + "us-dod"


def test_an_unknown_language_or_a_malformed_date_is_refused(kg):
    with pytest.raises(ValueError, match="French"):
        propose(kg, "Hallo", lang="de")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        propose(kg, "Selon le NIS, 3 000 soldats.", published="25/10/2024")


# -- the command -----------------------------------------------------------------------------


def test_geokg_ingest_prints_candidates_as_json_lines_and_as_a_table(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(
        "Selon le NIS, environ 6 000 militaires supplémentaires partiront [bold]bientôt[/bold].\n",
        encoding="utf-8",
    )
    store = ["--store", str(tmp_path / "store")]
    args = ["ingest", str(article), "--title", "T", "--date", "2025-07-01", *store]
    result = CliRunner().invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    [line] = [x for x in result.stdout.splitlines() if x.startswith("{")]
    row = json.loads(line)
    assert (row["figure"], row["measure"], row["attributed_to"]) == (
        "6000", MSR + "reinforcements-announced", ORG + "nis",
    )  # fmt: skip
    assert row["id"].endswith("/1")  # stored in the article's candidates graph
    slug = row["id"].rsplit("/", 1)[0]
    listed = CliRunner().invoke(cli, ["curate", "list", slug, *store])
    assert listed.exit_code == 0 and row["id"] in listed.stdout, listed.output
    again = CliRunner().invoke(cli, [*args, "--json"])  # nothing new the second time
    assert again.exit_code == 0 and not [x for x in again.stdout.splitlines() if x.startswith("{")]
    table = CliRunner().invoke(cli, [*args, "--dry-run"])  # printed, not stored
    assert table.exit_code == 0, table.output
    assert "org:nis" in table.stdout and "[bold]bientôt" in table.stdout
    bad = CliRunner().invoke(
        cli, ["ingest", str(article), "--title", "T", "--date", "juin", *store]
    )
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output
