"""Generate ontology/kb/states.ttl: every state of the COW state system (v2016) and every UN member.

Run from the repository root with the data files beside it (tests/data by default):

    python scripts/make_states.py [--data tests/data] [--out ontology/kb/states.ttl]

Inputs (committed in tests/data with their citations, see tests/data/README.md): the Correlates of War state system
membership list v2016 (states/cow_states2016.csv) and Our World in Data's country crosswalk
(countries/owid_countries_regions_2022.csv); English and French names from pycountry (ISO 3166,
offline, with its gettext translations). The output is deterministic: run it twice, get the same file.

IRIs: ``id/state/<ISO 3166-1 alpha-3>`` for states with a code; former states with an ISO 3166-3
alpha-3 code keep it (DDR, CSK, YMD); every other historical state is ``id/state/cow-<ccode>``.
States curated in ontology/kb/actors.ttl keep their labels there: only what they lack is added
(membership spells, missing codes).

Succession (:data:`SUCCESSIONS`): where one COW code covers several states over time, each state
is its own node carrying the code, and every COW membership spell is split at the succession
dates and given to the state of its dates. COW 255 ("Germany" in the COW list from 1816) is
Prussia (state:cow-255) until 1871-01-17 and Germany (state:DEU) from the proclamation of the
German Empire on 1871-01-18, the day COW ends the membership of Bavaria, Baden and Württemberg. COW 365 ("Russia" in the COW list, one spell from
1816-01-01) is Russia until 1922-12-29, the USSR (the curated state:SUN) from its founding on
1922-12-30 to its dissolution on 1991-12-25, and Russia (state:RUS) from 1991-12-26. COW 345
("Yugoslavia", spells 1878-07-13 to 1941-04-20 and from 1944-10-20) is Serbia (state:SRB) until
1918-11-30, Yugoslavia (state:YUG, ISO 3166-3 YUCS: the Kingdom of Serbs, Croats and Slovenes,
the Kingdom of Yugoslavia, the SFRY and the FRY, which ISO kept as YUG in 1992) from 1918-12-01
to 2003-02-03, Serbia and Montenegro (state:SCG, ISO 3166-3 CSXX) from its Constitutional Charter
of 2003-02-04 to 2006-06-04, and Serbia (state:SRB) from 2006-06-05, when Serbia declared itself
the continuation of the state union after Montenegro's independence.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import gettext
from pathlib import Path

import pycountry
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDFS, SKOS

ROOT = Path(__file__).resolve().parents[1]
GK = "https://w3id.org/geokg/ontology#"
STATE = "https://w3id.org/geokg/id/state/"

#: Former states with an ISO 3166-3 alpha-3 code, by COW code.
ISO_FORMER = {265: "DDR", 315: "CSK", 680: "YMD"}

#: COW codes that cover several states over time: (first day, state local name), in order.
#: See the module docstring for the dates and their grounds.
SUCCESSIONS = {
    255: (("", "cow-255"), ("1871-01-18", "DEU")),
    345: (("", "SRB"), ("1918-12-01", "YUG"), ("2003-02-04", "SCG"), ("2006-06-05", "SRB")),
    365: (("", "RUS"), ("1922-12-30", "SUN"), ("1991-12-26", "RUS")),
}

#: States that a COW code covers for a while and that neither COW nor the crosswalk names:
#: (English, French, English aliases, French aliases, ISO 3166-1 alpha-2 or None, note).
SUCCESSOR_STATES = {
    "cow-255": (
        "Prussia",
        "Prusse",
        ["Kingdom of Prussia", "North German Confederation"],
        ["Royaume de Prusse", "Confédération de l'Allemagne du Nord"],
        None,
        "COW code 255 (named Germany in the COW list from 1816) until the proclamation of the "
        "German Empire on 1871-01-18, the day COW ends the membership of Bavaria, Baden and "
        "Württemberg: the Kingdom of Prussia (from 1867 at the head of the North German "
        "Confederation). From 1871-01-18 code 255 is Germany (state:DEU).",
    ),
    "YUG": (
        "Yugoslavia",
        "Yougoslavie",
        [
            "Kingdom of Serbs, Croats and Slovenes",
            "Kingdom of Yugoslavia",
            "Socialist Federal Republic of Yugoslavia",
            "Federal Republic of Yugoslavia",
        ],
        ["Royaume des Serbes, Croates et Slovènes", "République fédérale de Yougoslavie"],
        "YU",
        "COW code 345 (named Yugoslavia in the COW list) from 1918-12-01, the union of Serbia "
        "with the Kingdom of Serbs, Croats and Slovenes, to 2003-02-03; ISO 3166 kept the code YUG "
        "for the Federal Republic of Yugoslavia after 27 April 1992 (ISO 3166-3: YUCS, withdrawn "
        "2003). Before 1918-12-01 code 345 is Serbia (state:SRB), after 2003-02-03 Serbia and "
        "Montenegro (state:SCG).",
    ),
    "SCG": (
        "Serbia and Montenegro",
        "Serbie-et-Monténégro",
        ["State Union of Serbia and Montenegro"],
        ["Communauté d'États Serbie-et-Monténégro"],
        None,  # its alpha-2 CS was Czechoslovakia's before: left out, so that CS stays one state
        "COW code 345 from the Constitutional Charter of 2003-02-04 to 2006-06-04; from "
        "2006-06-05 Serbia (state:SRB), the continuing state after Montenegro's independence "
        "(ISO 3166-3: CSXX, withdrawn 2006).",
    ),
}
#: The note on the state that keeps a code's IRI when the code covers several states.
SUCCESSION_NOTES = {
    345: "COW code 345 (named Yugoslavia in the COW list, one code from 1878-07-13) is Serbia "
    "until 1918-11-30 and again from 2006-06-05, when Serbia declared itself the continuation of "
    "Serbia and Montenegro after Montenegro's independence; from 1918-12-01 to 2003-02-03 it is "
    "Yugoslavia (state:YUG), from 2003-02-04 to 2006-06-04 Serbia and Montenegro (state:SCG).",
    365: "COW code 365 (named Russia in the COW list, one code from 1816-01-01) is Russia (the "
    "Russian Empire, then Soviet Russia) until 1922-12-29 and the Russian Federation from "
    "1991-12-26; from the founding of the USSR on 1922-12-30 to its dissolution on 1991-12-25 it "
    "is the Soviet Union (state:SUN).",
}
#: Successions that are also legal continuity (gk:successorOf): successor → predecessor.
SUCCESSOR_OF = {"DEU": "cow-255", "SCG": "YUG", "SRB": "SCG"}
END_OF_DATA = datetime.date(2016, 12, 31)
ONE_DAY = datetime.timedelta(days=1)

#: Names of the historical states that have no ISO 3166-1 entry: (English, French).
HISTORICAL_NAMES = {
    240: ("Hanover", "Hanovre"),
    245: ("Bavaria", "Bavière"),
    260: ("West Germany (Federal Republic of Germany)", "Allemagne de l'Ouest (RFA)"),
    265: ("East Germany (German Democratic Republic)", "Allemagne de l'Est (RDA)"),
    267: ("Baden", "Bade"),
    269: ("Saxony", "Saxe"),
    271: ("Württemberg", "Wurtemberg"),
    273: ("Hesse-Kassel (Electoral Hesse)", "Hesse électorale (Hesse-Cassel)"),
    275: ("Hesse-Darmstadt (Grand Ducal Hesse)", "Hesse grand-ducale (Hesse-Darmstadt)"),
    280: ("Mecklenburg-Schwerin", "Mecklembourg-Schwerin"),
    300: ("Austria-Hungary", "Autriche-Hongrie"),
    315: ("Czechoslovakia", "Tchécoslovaquie"),
    329: ("Kingdom of the Two Sicilies", "Royaume des Deux-Siciles"),
    332: ("Modena", "Modène"),
    335: ("Parma", "Parme"),
    337: ("Tuscany", "Toscane"),
    347: ("Kosovo", "Kosovo"),
    511: ("Zanzibar", "Zanzibar"),
    678: ("Yemen Arab Republic (North Yemen)", "République arabe du Yémen (Yémen du Nord)"),
    680: (
        "People's Democratic Republic of Yemen (South Yemen)",
        "République démocratique populaire du Yémen (Yémen du Sud)",
    ),
    730: ("Korea (1887–1905)", "Corée (1887–1905)"),
    817: ("Republic of Vietnam (South Vietnam)", "République du Viêt Nam (Viêt Nam du Sud)"),
}

SOURCES = """src:cow-states-2016
    a gk:SourceDocument ;
    rdfs:label "Correlates of War Project: State System Membership List, v2016"@en ,
        "Projet Correlates of War : liste des membres du système des États, v2016"@fr ;
    dcterms:title "State System Membership List, v2016"@en ;
    dcterms:publisher "Correlates of War Project" ;
    dcterms:date "2017"^^xsd:gYear ;
    dcterms:language "en" ;
    owl:versionInfo "2016" ;
    dcterms:bibliographicCitation "Correlates of War Project. 2017. \\"State System Membership List, v2016.\\" Online, http://correlatesofwar.org"@en ;
    skos:editorialNote "File states/cow_states2016.csv (one row per membership spell). Not redistributed by geokg: the facts (codes, names, dates) are in this file."@en .

src:owid-countries-regions-2022
    a gk:SourceDocument ;
    rdfs:label "Our World in Data: countries and regions crosswalk (2022)"@en ,
        "Our World in Data : table de correspondance des pays et régions (2022)"@fr ;
    dcterms:title "countries_regions.csv (owid-grapher)"@en ;
    dcterms:publisher "Our World in Data" ;
    dcterms:date "2022"^^xsd:gYear ;
    dcterms:language "en" ;
    dcterms:license <https://opensource.org/licenses/MIT> ;
    dcterms:bibliographicCitation "Our World in Data, owid-grapher: countries_regions.csv (2022 version), MIT licence"@en ;
    skos:editorialNote "Crosswalk of ISO 3166 alpha-2 and alpha-3 codes, Correlates of War codes and Wikidata entities."@en .
"""

HEADER = """# States of the Correlates of War state system (v2016) and every current UN member, with
# English and French names, ISO 3166 codes, COW code and abbreviation, Wikidata link and the
# spells of state-system membership. GENERATED by scripts/make_states.py: do not edit by hand,
# change the script and run it again. States curated in actors.ttl keep their labels there.

@prefix gk:      <https://w3id.org/geokg/ontology#> .
@prefix owl:     <http://www.w3.org/2002/07/owl#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix src:     <https://w3id.org/geokg/id/source/> .
@prefix state:   <https://w3id.org/geokg/id/state/> .
@prefix wd:      <http://www.wikidata.org/entity/> .

"""


def lit(text: str, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


def date(day: datetime.date) -> str:
    return f'"{day.isoformat()}"^^xsd:date'


def spell_dates(row: dict) -> tuple[datetime.date, datetime.date | None]:
    """A COW spell's start and end (None: still a member at the end of the data, 2016-12-31)."""
    start = datetime.date(int(row["styear"]), int(row["stmonth"]), int(row["stday"]))
    end = datetime.date(int(row["endyear"]), int(row["endmonth"]), int(row["endday"]))
    return start, (None if end == END_OF_DATA else end)


def split_spells(ccode: int, rows: list[dict]) -> dict[str, list[tuple]]:
    """The COW spells of ``ccode`` by state local name: (start, end, note) at the succession
    dates of :data:`SUCCESSIONS` (one state and no note for a code that is one state).

    >>> spell = dict(statenme="Russia", styear=1816, stmonth=1, stday=1, endyear=2016,
    ...              endmonth=12, endday=31)
    >>> pieces = split_spells(365, [spell])
    >>> [(s, str(a), str(b)) for s, spells in pieces.items() for a, b, _ in spells]
    [('RUS', '1816-01-01', '1922-12-29'), ('RUS', '1991-12-26', 'None'), ('SUN', '1922-12-30', '1991-12-25')]
    """
    periods = SUCCESSIONS.get(ccode)
    if periods is None:
        return {"": [(*spell_dates(row), None) for row in rows]}
    out: dict[str, list[tuple]] = {}
    for row in rows:
        start, end = spell_dates(row)
        for i, (first, local) in enumerate(periods):
            begin = datetime.date.fromisoformat(first) if first else datetime.date.min
            after = periods[i + 1][0] if i + 1 < len(periods) else None
            last = datetime.date.fromisoformat(after) - ONE_DAY if after else None
            piece_start = max(start, begin)
            piece_end = end if last is None else (last if end is None else min(end, last))
            if piece_end is not None and piece_end < piece_start:
                continue
            whole = (piece_start, piece_end) == (start, end)
            note = (
                None
                if whole
                else (
                    f"Part of the COW state-system spell of code {ccode} ({row['statenme']}) from "
                    f"{start.isoformat()} to {(end or END_OF_DATA).isoformat()}, split at the "
                    "succession of states: COW codes the successive states with one code."
                )
            )
            out.setdefault(local, []).append((piece_start, piece_end, note))
    return out


def state_id(ccode: int, owid: dict | None) -> tuple[str, str | None]:
    """The local name of a state's IRI and its ISO alpha-3 code (None for cow-NNN)."""
    if owid and not owid["code"].startswith("OWID_") and owid["iso_alpha3"]:
        return owid["iso_alpha3"], owid["iso_alpha3"]
    if ccode in ISO_FORMER:
        return ISO_FORMER[ccode], ISO_FORMER[ccode]
    return f"cow-{ccode}", None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "tests" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "ontology" / "kb" / "states.ttl")
    args = parser.parse_args()
    print(generate(args.data, args.out))


def generate(data: Path, out: Path) -> str:
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    curated = Graph().parse(ROOT / "ontology" / "kb" / "actors.ttl")

    with open(data / "states" / "cow_states2016.csv", newline="", encoding="utf-8") as f:
        spells = list(csv.DictReader(f))
    with open(
        data / "countries" / "owid_countries_regions_2022.csv", newline="", encoding="utf-8"
    ) as f:
        owid = {int(float(r["cow_code"])): r for r in csv.DictReader(f) if r["cow_code"].strip()}

    by_code: dict[int, list[dict]] = {}
    for spell in spells:
        by_code.setdefault(int(spell["ccode"]), []).append(spell)

    blocks = [HEADER, SOURCES]
    n_states = n_current = n_spells = 0
    for ccode in sorted(by_code):
        rows = by_code[ccode]
        crosswalk = owid.get(ccode)
        default, iso3 = state_id(ccode, crosswalk)
        for local, pieces in split_spells(ccode, rows).items():
            local = local or default
            facts = state_facts(
                ccode,
                local,
                iso3 if local == default else None if local.startswith("cow-") else local,
                rows,
                crosswalk if local == default else None,
                curated,
                french,
            )
            spell_iris = [
                f"<{STATE}{local}/system-membership/{i}>" for i in range(1, len(pieces) + 1)
            ]
            facts.insert(-1, "gk:systemMembership " + " , ".join(spell_iris))
            n_states += 1
            n_current += any(end is None for _, end, _ in pieces)
            n_spells += len(pieces)
            blocks.append(f"state:{local}\n    " + " ;\n    ".join(facts) + " .\n")
            for spell_iri, (start, end, note) in zip(spell_iris, pieces, strict=True):
                lines = ["a gk:SystemMembership", "gk:startDate " + date(start)]
                if end is not None:
                    lines.append("gk:endDate " + date(end))
                if note:
                    lines.append("skos:editorialNote " + lit(note, "en"))
                lines.append("prov:wasDerivedFrom src:cow-states-2016")
                blocks.append(f"{spell_iri}\n    " + " ;\n    ".join(lines) + " .\n")
    out.write_text("\n".join(blocks), encoding="utf-8")
    return (
        f"{out}: {len(by_code)} COW codes, {n_states} states ({n_current} members of the state "
        f"system at the end of 2016, {n_states - n_current} historical), {n_spells} membership "
        f"spells ({len(spells)} COW spells, split at successions)"
    )


def state_facts(
    ccode: int, local: str, iso3: str | None, rows: list[dict], crosswalk, curated, french
) -> list[str]:
    """The Turtle predicate-object pairs of one state (all but its membership spells), the
    last being its sources; a curated state gets only what actors.ttl lacks."""
    iri = URIRef(STATE + local)
    has = lambda p: (iri, URIRef(p), None) in curated  # noqa: E731
    facts: list[str] = []
    if (iri, None, None) not in curated:
        facts.append("a gk:State")
    country = pycountry.countries.get(alpha_3=iso3) if iso3 else None
    if iso3 and not country:
        country = pycountry.historic_countries.get(alpha_3=iso3)
    successor = SUCCESSOR_STATES.get(local)
    if not has(str(RDFS.label)):
        alt_en, alt_fr = set(), set()
        if successor:
            en, fr, more_en, more_fr, _, _ = successor
            alt_en.update(more_en)
            alt_fr.update(more_fr)
        elif ccode in HISTORICAL_NAMES:
            en, fr = HISTORICAL_NAMES[ccode]
        else:
            en = crosswalk["name"]
            fr = french.gettext(getattr(country, "common_name", None) or country.name)
        if ccode not in SUCCESSIONS:  # COW's name is the code's, not each successive state's
            alt_en.add(rows[0]["statenme"])
        facts.append(f"rdfs:label {lit(en, 'en')} , {lit(fr, 'fr')}")
        if country is not None and hasattr(country, "official_name"):
            alt_en.add(country.official_name)
            alt_fr.add(french.gettext(country.official_name))
        if country is not None and ccode not in HISTORICAL_NAMES and not successor:
            alt_en.add(country.name)
            alt_fr.add(french.gettext(country.name))
        alts = [lit(a, "en") for a in sorted(alt_en - {en})]
        alts += [lit(a, "fr") for a in sorted(alt_fr - {fr})]
        if alts:
            facts.append("skos:altLabel " + " , ".join(alts))
    if iso3 and not has(GK + "isoAlpha3"):
        facts.append(f'gk:isoAlpha3 "{iso3}"')
    former = ccode in ISO_FORMER or successor is not None
    alpha2 = (crosswalk or {}).get("iso_alpha2") if iso3 and not former else None
    if former and country is not None:
        alpha2 = successor[4] if successor else getattr(country, "alpha_2", None)
        if not has(GK + "iso31663Code"):
            facts.append(f'gk:iso31663Code "{country.alpha_4}"')
    if alpha2 and not has(GK + "isoAlpha2"):
        facts.append(f'gk:isoAlpha2 "{alpha2}"')
    if not has(GK + "cowCode"):
        facts.append(f"gk:cowCode {ccode}")
    if not has(GK + "cowAbbreviation"):
        facts.append(f'gk:cowAbbreviation "{rows[0]["stateabb"]}"')
    if local in SUCCESSOR_OF and not has(GK + "successorOf"):
        facts.append(f"gk:successorOf state:{SUCCESSOR_OF[local]}")
    wikidata = (crosswalk or {}).get("wikidata_uri", "")
    if wikidata and not has(str(OWL.sameAs)) and local == (crosswalk or {}).get("code"):
        facts.append(f"owl:sameAs wd:{wikidata.rsplit('/', 1)[1]}")
    if successor:
        facts.append("skos:editorialNote " + lit(successor[5], "en"))
    elif ccode in SUCCESSIONS and not has(str(SKOS.editorialNote)):
        facts.append("skos:editorialNote " + lit(SUCCESSION_NOTES[ccode], "en"))
    derived = ["src:cow-states-2016"] + (["src:owid-countries-regions-2022"] if crosswalk else [])
    facts.append("prov:wasDerivedFrom " + " , ".join(derived))
    return facts


if __name__ == "__main__":
    main()
