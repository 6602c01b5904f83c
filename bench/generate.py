"""Synthetic geokg knowledge graphs at about 10k, 100k and 1M triples, as N-Triples.

Deterministic (seeded): the same scale and seed give the same bytes. The data use geokg's own
vocabulary (DESIGN.md, ontology/geokg.ttl): about 200 states labelled in English and French at
every scale; government agencies; treaties with 2-30 parties, signature and entry-into-force dates
(xsd:date, some xsd:gYear), sometimes an end date, and numbered articles with a provision type;
military deployments with a legal basis (a treaty article); sourced quantity claims about the
deployments (a value or a min/max range, attributed to an agency, derived from a source document,
with a French quote); and the derived state-to-state ``gk:alliedWith`` edges (both directions) of
the treaties in force with an alliance provision. In geokg proper the derived edges live in a
derived named graph rebuilt by the engine; here they are simply emitted with the rest.

    python bench/generate.py --scales 10k,100k,1m       # writes bench/data/kg-{10k,100k,1m}.nt
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from states import STATES  # noqa: E402

DATA_DIR = Path(__file__).resolve().parent / "data"
SEED = 20240601

ID = "https://w3id.org/geokg/id/"
GK = "https://w3id.org/geokg/ontology#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
XSD = "http://www.w3.org/2001/XMLSchema#"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
DCT = "http://purl.org/dc/terms/"

ALLIANCE_PROVISIONS = ["defense", "offense", "neutrality", "non-aggression", "consultation"]
COOPERATION_PROVISIONS = [
    "military-cooperation",
    "technology-cooperation",
    "economic-cooperation",
]
MEASURES = ["troops-deployed", "troops-engaged", "killed", "killed-acknowledged", "losses"]
AGENCY_KINDS = [
    ("Ministry of Defence", "ministère de la Défense"),
    ("Ministry of Foreign Affairs", "ministère des Affaires étrangères"),
    ("Intelligence Service", "service de renseignement"),
]
TREATY_KINDS = [
    ("Treaty of Friendship and Mutual Assistance", "alliance"),
    ("Mutual Defence Treaty", "alliance"),
    ("Non-Aggression Pact", "alliance"),
    ("Agreement on Military Cooperation", "cooperation"),
    ("Agreement on Defence Technology", "cooperation"),
    ("Economic Partnership Agreement", "cooperation"),
    ("Status of Forces Agreement", "cooperation"),
]
TODAY = dt.date(2025, 1, 1)

SCALES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}


def scale_triples(name: str) -> int:
    """Triples for a scale name: ``10k``, ``100k``, ``1m`` (or any ``<n>k`` / ``<n>m``)."""
    key = name.lower()
    if key in SCALES:
        return SCALES[key]
    if key.endswith("k"):
        return int(float(key[:-1]) * 1_000)
    if key.endswith("m"):
        return int(float(key[:-1]) * 1_000_000)
    return int(key)


def data_path(scale: str, data_dir: Path = DATA_DIR) -> Path:
    return data_dir / f"kg-{scale.lower()}.nt"


def iri(path: str) -> str:
    return f"<{ID}{path}>"


def gk(name: str) -> str:
    return f"<{GK}{name}>"


def lit(text: str, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def typed(value, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


class Writer:
    """Counts and writes N-Triples lines."""

    def __init__(self, out):
        self.out = out
        self.count = 0

    def t(self, s: str, p: str, o: str) -> None:
        self.out.write(f"{s} {p} {o} .\n")
        self.count += 1


def _date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    span = max((end - start).days, 1)
    return start + dt.timedelta(days=rng.randrange(span))


def _date_literal(day: dt.date, year_only: bool) -> str:
    return typed(day.year, "gYear") if year_only else typed(day.isoformat(), "date")


def generate(target: int, out, seed: int = SEED) -> dict[str, int]:
    """Write about ``target`` triples to ``out``; return counts of what was written."""
    rng = random.Random(seed)
    w = Writer(out)
    stats = {"states": 0, "agencies": 0, "treaties": 0, "articles": 0, "deployments": 0}
    stats |= {"claims": 0, "sources": 0, "alliedWith": 0}

    # -- states -------------------------------------------------------------------------------
    codes = [code for code, *_ in STATES]
    by_region: dict[str, list[str]] = {}
    names = {}
    # Reference documents behind the curated resources (every curated resource has a source).
    n_source = 0

    def reference_source(title: str, day: dt.date) -> str:
        nonlocal n_source
        n_source += 1
        doc = iri(f"source/s{n_source}")
        w.t(doc, RDF_TYPE, gk("SourceDocument"))
        w.t(doc, LABEL, lit(title, "en"))
        w.t(doc, f"<{DCT}title>", lit(title))
        w.t(doc, f"<{DCT}date>", typed(day.isoformat(), "date"))
        w.t(doc, f"<{DCT}language>", lit("en"))
        w.t(doc, f"<{DCT}publisher>", lit("United Nations"))
        stats["sources"] += 1
        return doc

    directory = reference_source("ISO 3166 country codes and government directory", TODAY)
    for code, en, fr, region in STATES:
        s = iri(f"state/{code}")
        w.t(s, RDF_TYPE, gk("State"))
        w.t(s, LABEL, lit(en, "en"))
        w.t(s, LABEL, lit(fr, "fr"))
        w.t(s, gk("isoAlpha3"), lit(code))
        w.t(s, f"<{PROV}wasDerivedFrom>", directory)
        by_region.setdefault(region, []).append(code)
        names[code] = (en, fr)
        stats["states"] += 1
    # A few states are far more active (sending troops, signing treaties): Zipf-like weights.
    activity = {code: 1.0 / (1 + rng.random() * 30) for code in codes}
    for code in ("USA", "RUS", "CHN", "FRA", "GBR", "TUR", "IND", "PRK", "IRN", "DEU"):
        activity[code] = 1.5

    # -- government agencies (1 per state at 10k, up to 3 per state) ------------------------
    per_state = max(1, min(len(AGENCY_KINDS), target // 300_000 + 1 + (target >= 100_000)))
    agencies: dict[str, list[str]] = {}
    n_agency = 0
    for code in codes:
        for en_kind, fr_kind in AGENCY_KINDS[:per_state]:
            n_agency += 1
            a = iri(f"org/agency{n_agency}")
            w.t(a, RDF_TYPE, gk("GovernmentAgency"))
            w.t(a, LABEL, lit(f"{en_kind} of {names[code][0]}", "en"))
            w.t(a, LABEL, lit(f"{fr_kind} ({names[code][1]})", "fr"))
            w.t(a, gk("agencyOf"), iri(f"state/{code}"))
            w.t(a, f"<{PROV}wasDerivedFrom>", directory)
            agencies.setdefault(code, []).append(a)
            stats["agencies"] += 1

    # -- treaties (up to about 38 % of the triples; their derived edges come on top) ----------
    treaty_budget = int(target * 0.38)
    allied: set[tuple[str, str]] = set()
    by_state: dict[str, list[tuple[list[str], list[tuple[str, str]]]]] = {c: [] for c in codes}
    weights = [activity[c] for c in codes]
    n_treaty = 0
    while w.count < treaty_budget:
        n_treaty += 1
        t = iri(f"treaty/t{n_treaty}")
        title, kind = rng.choice(TREATY_KINDS)
        # Mostly bilateral; large multilateral alliances are rare (ATOP-like), cooperation less so.
        roll = rng.random()
        bilateral, small = (0.75, 0.97) if kind == "alliance" else (0.6, 0.9)
        n_parties = (
            2 if roll < bilateral else rng.randint(3, 8) if roll < small else rng.randint(9, 30)
        )
        first = rng.choices(codes, weights)[0]
        if rng.random() < 0.75:
            pool = [c for c in by_region[STATES[codes.index(first)][3]] if c != first]
        else:
            pool = [c for c in codes if c != first]
        parties = [first] + rng.sample(pool, min(n_parties - 1, len(pool)))
        if len(parties) < n_parties:
            rest = [c for c in codes if c not in parties]
            parties += rng.sample(rest, n_parties - len(parties))
        signed = _date(rng, dt.date(1945, 1, 1), dt.date(2024, 6, 30))
        year_only = rng.random() < 0.15
        in_force = signed + dt.timedelta(days=rng.randrange(0, 730))
        if len(parties) == 2:
            label = f"{title} between {names[parties[0]][0]} and {names[parties[1]][0]}"
        else:
            label = f"{title} no. {n_treaty} ({len(parties)} parties)"
        if n_treaty % 50 == 1:  # one volume of the treaty series per 50 treaties
            volume = reference_source(
                f"Treaty Series, volume {n_treaty // 50 + 1}", dt.date(2024, 1, 1)
            )
        w.t(t, RDF_TYPE, gk("Treaty"))
        w.t(t, LABEL, lit(f"{label} ({signed.year})", "en"))
        w.t(t, f"<{PROV}wasDerivedFrom>", volume)
        for code in parties:
            w.t(t, gk("party"), iri(f"state/{code}"))
        w.t(t, gk("signedOn"), _date_literal(signed, year_only))
        w.t(t, gk("inForceFrom"), _date_literal(in_force, year_only))
        ended = False
        if rng.random() < 0.3:
            until = in_force + dt.timedelta(days=rng.randrange(5 * 365, 40 * 365))
            if until < TODAY:
                w.t(t, gk("inForceUntil"), _date_literal(until, year_only))
                ended = True
        articles = []
        alliance = False
        for k in range(1, rng.randint(1, 10) + 1):
            if kind == "alliance" and (k == 1 or rng.random() < 0.3):
                provision = rng.choice(ALLIANCE_PROVISIONS)
            else:
                provision = rng.choice(COOPERATION_PROVISIONS)
            alliance = alliance or provision in ALLIANCE_PROVISIONS
            a = iri(f"treaty/t{n_treaty}/article/{k}")
            w.t(t, gk("hasArticle"), a)
            w.t(a, RDF_TYPE, gk("TreatyArticle"))
            w.t(a, gk("articleNumber"), typed(k, "integer"))
            w.t(a, gk("provision"), iri(f"provision/{provision}"))
            w.t(a, LABEL, lit(f"Article {k} of treaty t{n_treaty}", "en"))
            w.t(a, f"<{PROV}wasDerivedFrom>", volume)
            articles.append((a, provision))
            stats["articles"] += 1
        if alliance and not ended:
            for x in parties:
                for y in parties:
                    if x != y:
                        allied.add((x, y))
        for code in parties:
            by_state[code].append((parties, articles))
        stats["treaties"] += 1
    for x, y in sorted(allied):
        w.t(iri(f"state/{x}"), gk("alliedWith"), iri(f"state/{y}"))
    stats["alliedWith"] = len(allied)

    # -- deployments, with claims and their sources (the rest) --------------------------------
    senders = [c for c in codes if by_state[c]]
    send_weights = [activity[c] ** 2 for c in senders]
    n_deployment = n_claim = 0
    while w.count < target:
        n_deployment += 1
        d = iri(f"deployment/d{n_deployment}")
        sender = rng.choices(senders, send_weights)[0]
        parties, articles = rng.choice(by_state[sender])
        host = rng.choice([c for c in parties if c != sender])
        basis = next((a for a, p in articles if p in ("defense", "military-cooperation")), None)
        basis = basis or rng.choice(articles)[0]
        start = _date(rng, dt.date(1950, 1, 1), dt.date(2024, 12, 1))
        n_source += 1
        source = iri(f"source/s{n_source}")
        w.t(d, RDF_TYPE, gk("MilitaryDeployment"))
        w.t(d, LABEL, lit(f"{names[sender][0]} forces in {names[host][0]} ({start.year})", "en"))
        w.t(d, LABEL, lit(f"Forces ({names[sender][1]}) – {names[host][1]} ({start.year})", "fr"))
        w.t(d, f"<{PROV}wasDerivedFrom>", source)
        w.t(d, gk("sendingState"), iri(f"state/{sender}"))
        w.t(d, gk("hostState"), iri(f"state/{host}"))
        w.t(d, gk("startDate"), _date_literal(start, rng.random() < 0.1))
        w.t(d, gk("legalBasis"), basis)
        stats["deployments"] += 1
        size = rng.choice([200, 500, 1_000, 3_000, 10_000, 12_000, 40_000])
        first_claim = True
        for _ in range(rng.randint(1, 7)):
            n_claim += 1
            c = iri(f"claim/c{n_claim}")
            measure = rng.choice(MEASURES)
            value = max(1, int(size * rng.uniform(0.05, 1.2)))
            if measure.startswith("killed") or measure == "losses":
                value = max(1, value // 20)
            if first_claim or rng.random() < 0.4:  # a new report (the first one was announced)
                if not first_claim:
                    n_source += 1
                    source = iri(f"source/s{n_source}")
                first_claim = False
                title = f"Rapport no {n_source} sur les forces étrangères"
                w.t(source, RDF_TYPE, gk("SourceDocument"))
                w.t(source, LABEL, lit(title, "fr"))
                w.t(source, f"<{DCT}title>", lit(title, "fr"))
                w.t(source, f"<{DCT}date>", typed(_date(rng, start, TODAY).isoformat(), "date"))
                w.t(source, f"<{DCT}language>", lit("fr"))
                w.t(source, f"<{DCT}publisher>", lit("Agence de presse"))
                stats["sources"] += 1
            agency = rng.choice(agencies[rng.choice([sender, host, rng.choice(codes)])])
            w.t(c, RDF_TYPE, gk("QuantityClaim"))
            w.t(c, gk("about"), d)
            w.t(c, gk("measure"), iri(f"measure/{measure}"))
            if rng.random() < 0.75:
                w.t(c, f"<{SCHEMA}value>", typed(value, "integer"))
                words = f"environ {value:,}".replace(",", "\u202f")
            else:
                high = value + max(1, value // 2)
                w.t(c, f"<{SCHEMA}minValue>", typed(value, "integer"))
                w.t(c, f"<{SCHEMA}maxValue>", typed(high, "integer"))
                words = f"entre {value} et {high}"
            as_of = _date(rng, start, TODAY)
            w.t(c, gk("asOf"), typed(as_of.isoformat(), "date"))
            w.t(c, f"<{PROV}wasAttributedTo>", agency)
            w.t(c, f"<{PROV}wasDerivedFrom>", source)
            w.t(c, gk("quote"), lit(f"Selon nos informations, {words} ({measure}).", "fr"))
            stats["claims"] += 1
    stats["triples"] = w.count
    return stats


def ensure(scale: str, data_dir: Path = DATA_DIR, seed: int = SEED, force: bool = False) -> Path:
    """The N-Triples file for ``scale``, generated if missing."""
    path = data_path(scale, data_dir)
    if path.exists() and not force:
        return path
    data_dir.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".nt.partial")
    with open(partial, "w", encoding="utf-8", newline="\n") as out:
        stats = generate(scale_triples(scale), out, seed)
    partial.replace(path)
    summary = ", ".join(f"{k} {v}" for k, v in stats.items())
    print(f"generated {path.name}: {summary}", file=sys.stderr)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="10k,100k,1m", help="comma-separated: 10k,100k,1m")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="folder (bench/data)")
    parser.add_argument("--force", action="store_true", help="regenerate existing files")
    args = parser.parse_args(argv)
    for scale in args.scales.split(","):
        print(ensure(scale.strip(), args.out, args.seed, args.force))
    return 0


if __name__ == "__main__":
    sys.exit(main())
