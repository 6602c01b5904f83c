"""Import ATOP (Alliance Treaty Obligations and Provisions) alliances.

Mapping (see ontology/README.md, "Imported data"):

- one ``gk:Treaty`` per atopid, ``id/treaty/atop-<atopid>``, or the curated treaty with the same
  ``gk:atopId`` (one node, not two: the import then adds its member phases, the ATOP members the
  curated parties lack, ATOP's obligation types and ATOP as a source, and never a triple that
  another graph states); parties: every member ever; ``gk:signedOn`` and ``gk:inForceFrom`` the
  alliance's begin date, ``gk:inForceUntil`` its end (none when ATOP codes the end as 0: ongoing
  or unknown); ``gk:obligation`` / ``gk:conditionalObligation`` for the alliance-level defense,
  offense, neutral, nonagg, consul codes and their conditions; ``gk:asymmetric``;
- one ``gk:Participation`` per row of the member-level file (member × phase): ``gk:inTreaty``
  its treaty, ``gk:memberState`` the state of the COW code on the entry date, ``gk:entryDate``,
  ``gk:exitDate`` (none when ATOP codes 0), ``gk:phase``, and that member's ``gk:obligation`` and
  ``gk:conditionalObligation`` values. A row whose code covers several states over time and whose
  dates span a succession (COW 365: the USSR until 1991-12-25, Russia from 1991-12-26; 345) is
  split at the succession date into one participation per state (``…/participation/365-0-SUN``
  and ``…-RUS``), each with the same phase and obligations and a ``skos:editorialNote`` naming
  the row it comes from;
- every node ``prov:wasDerivedFrom`` the ATOP source document (data set, version, citation).

>>> from geokg.graph import open_store
>>> kg = open_store(None)
>>> result = import_atop(kg, "tests/data/atop/atop-alliance-level.csv",
...                      "tests/data/atop/atop-member-level.csv", validate=False)  # doctest: +SKIP
>>> result["treaties"], result["member_rows"], result["split_rows"]  # doctest: +SKIP
(745, 2398, 28)
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import Literal, URIRef

from ..namespaces import GRAPH, ID
from .common import (
    GK,
    PROV,
    PROVISION,
    RDF,
    RDFS,
    SKOS,
    SRC,
    XSD,
    Triples,
    load,
    source_document,
)
from .csvrows import csv_file_rows
from .reconcile import Resolver

ATOP_GRAPH = GRAPH["import/atop"]
TREATY = str(ID) + "treaty/"

#: ATOP obligation columns → (provision concept, condition column at member level).
OBLIGATIONS = {
    "defense": ("defense", "defcon"),
    "offense": ("offense", "offcon"),
    "neutral": ("neutrality", "neucon"),
    "nonagg": ("non-aggression", None),
    "consul": ("consultation", "concon"),
}

_ALLIANCE_COLUMNS = ("atopid", "begyr", "begmo", "begday", "endyr", "endmo", "endday")
_MEMBER_COLUMNS = (
    "atopid",
    "member",
    "yrent",
    "moent",
    "dayent",
    "yrexit",
    "moexit",
    "dayexit",
    "phase",
    *OBLIGATIONS,
)

#: The curated treaties that carry an atopId, with every fact stated about them outside the import.
_CURATED = """PREFIX gk: <https://w3id.org/geokg/ontology#>
SELECT DISTINCT ?t ?id ?p ?o WHERE {
    GRAPH ?g { ?t gk:atopId ?id } FILTER (?g != <%(atop)s>)
    GRAPH ?h { ?t ?p ?o } FILTER (?h != <%(atop)s>)
}"""


def _source(version: str) -> dict:
    return {
        "label_en": f"ATOP: Alliance Treaty Obligations and Provisions, v{version}",
        "label_fr": f"ATOP : obligations et dispositions des traités d'alliance, v{version}",
        "title": "Alliance Treaty Obligations and Provisions (ATOP)",
        "publisher": "ATOP project (atopdata.org)",
        "date": "2018",
        "version": version,
        "citation": "Leeds, Brett Ashley, Jeffrey M. Ritter, Sara McLaughlin Mitchell, and Andrew G. "
        'Long. 2002. "Alliance Treaty Obligations and Provisions, 1815-1944." International '
        "Interactions 28: 237-260.",
        "note": "Files atop-alliance-level.csv and atop-member-level.csv, supplied by the user; "
        "free for use with citation. ATOP codes an unknown or ongoing end date as 0.",
    }


def import_atop(
    kg, alliances, members, *, validate: bool = True, progress=None, resolver=None
) -> dict:
    """Import ATOP's alliance-level and member-level files into ``graph/import/atop``.

    Returns counts: ``treaties``, ``participations`` (member phases, once the rows that span
    a succession of states are split), ``member_rows``, ``split_rows``, ``linked`` (the atopids
    of curated treaties), ``unmatched`` member codes, ``triples``, ``seconds``.
    """
    resolver = resolver or Resolver.from_store(kg)
    curated: dict[int, dict] = {}
    for t, atopid, p, o in kg.query(_CURATED % {"atop": ATOP_GRAPH}):
        curated.setdefault(int(atopid), {"iri": t, "facts": set()})["facts"].add((p, o))

    treaties: dict[int, dict] = {}
    version = "4.01"
    for row in csv_file_rows(alliances, required=_ALLIANCE_COLUMNS, progress=progress):
        atopid = row.integer("atopid")
        if atopid in treaties:
            raise row.error("atopid", "appears twice in the alliance-level file")
        version = row.text("version", required=False) or version
        begin = row.date("begyr", "begmo", "begday")
        if begin is None:
            raise row.error("begyr", "is not a begin year")
        treaties[atopid] = {
            "begin": begin,
            "end": row.date("endyr", "endmo", "endday"),
            "obligations": [c for c in OBLIGATIONS if (row.integer(c, False) or 0) > 0],
            "conditional": [
                c
                for c, (_, con) in OBLIGATIONS.items()
                if con and (row.integer(con, False) or 0) > 0
            ],
            "asymmetric": (row.integer("asymm", False) or 0) > 0,
            "parties": [],
            "row": row.line,
        }

    out = Triples()
    source = SRC[f"atop-{version.replace('.', '-')}"]
    source_document(out, source, _source(version))
    seen: dict[tuple, int] = defaultdict(int)
    unmatched: dict[int, int] = defaultdict(int)
    participations = rows = split = 0
    for row in csv_file_rows(members, required=_MEMBER_COLUMNS, progress=progress):
        atopid = row.integer("atopid")
        if atopid not in treaties:
            raise row.error("atopid", "is not an alliance of the alliance-level file")
        treaty = curated.get(atopid, {}).get("iri") or URIRef(f"{TREATY}atop-{atopid}")
        code = row.integer("member")
        phase = row.integer("phase")
        entry = row.date("yrent", "moent", "dayent")
        if entry is None:
            raise row.error("yrent", "is not an entry year")
        exit_ = row.date("yrexit", "moexit", "dayexit")
        key = (atopid, code, phase)
        seen[key] += 1
        suffix = f"{code}-{phase}" + (f"-{seen[key]}" if seen[key] > 1 else "")
        spans = resolver.cow_spans(code, str(entry), None if exit_ is None else str(exit_))
        rows += 1
        split += len(spans) > 1
        for state, start, end in spans:
            local = "" if len(spans) == 1 else "-" + str(state).rsplit("/", 1)[-1]
            node = URIRef(f"{TREATY}atop-{atopid}/participation/{suffix}{local}")
            out.add(node, GK.inTreaty, treaty)
            out.add(node, RDF.type, GK.Participation)
            if state is None:
                unmatched[code] += 1
                out.add(node, GK.dataSetCode, Literal(str(code)))
                state = _unmatched_actor(out, code, source)
            else:
                out.add(node, GK.memberState, state)
            treaties[atopid]["parties"].append(state)
            out.add(node, GK.entryDate, entry if start == str(entry) else _day(start))
            if end is not None:
                out.add(node, GK.exitDate, exit_ if end == str(exit_) else _day(end))
            if len(spans) > 1:
                note = _split_note(row.line, atopid, code, phase, entry, exit_, state, resolver)
                out.add(node, SKOS.editorialNote, Literal(note, lang="en"))
            _member_facts(out, node, row, phase)
            defence_conditions(out, node, row, resolver, start)
            out.add(node, PROV.wasDerivedFrom, source)
            participations += 1

    for atopid, t in treaties.items():
        _treaty(out, atopid, t, curated.get(atopid), resolver, source)
    result = load(kg, out, ATOP_GRAPH, "ATOP", validate, progress)
    result.update(
        treaties=len(treaties),
        participations=participations,
        member_rows=rows,
        split_rows=split,
        linked=sorted(a for a in treaties if a in curated),
        unmatched={str(c): n for c, n in sorted(unmatched.items())},
    )
    return result


def _day(text: str) -> Literal:
    return Literal(text, datatype=XSD.date)


def _unmatched_actor(out: Triples, code: int, source: URIRef) -> URIRef:
    """A party all the same (a treaty has two): an actor that only ATOP names."""
    actor = URIRef(f"{ID}actor/atop-member-{code}")
    out.add(actor, RDF.type, GK.Actor)
    label = f"ATOP member {code} (not a Correlates of War state)"
    out.add(actor, RDFS.label, Literal(label, lang="en"))
    label = f"Membre ATOP {code} (pas un État Correlates of War)"
    out.add(actor, RDFS.label, Literal(label, lang="fr"))
    out.add(actor, GK.dataSetCode, Literal(str(code)))
    out.add(actor, PROV.wasDerivedFrom, source)
    return actor


def _member_facts(out: Triples, node: URIRef, row, phase: int) -> None:
    """The phase number and that member's obligations, conditions and asymmetry."""
    out.add(node, GK.phase, Literal(phase, datatype=XSD.integer))
    for column, (concept, condition) in OBLIGATIONS.items():
        if (row.integer(column, False) or 0) > 0:
            out.add(node, GK.obligation, PROVISION[concept])
            if condition and (row.integer(condition, False) or 0) > 0:
                out.add(node, GK.conditionalObligation, PROVISION[concept])
    if "asymm" in row.cells:
        asymmetric = (row.integer("asymm", False) or 0) > 0
        out.add(node, GK.asymmetric, Literal(asymmetric))


def _split_note(line, atopid, code, phase, entry, exit_, state, resolver: Resolver) -> str:
    """Where a part of a member phase split at a succession of states comes from."""
    until = exit_ if exit_ is not None else "none (0: in force at the end of the data)"
    return (
        f"Part of one row of ATOP's member-level file (line {line}: atopid {atopid}, member "
        f"{code}, phase {phase}, entry {entry}, exit {until}), split at a succession of states: "
        f"COW code {code} covers several states over time; this part is {resolver.label(state)}'s."
    )


#: ATOP's member-level columns of the kinds of condition on a defence obligation → concept.
DEFENCE_CONDITIONS = {
    "defcoadv": "specific-adversary",
    "defcoloc": "location",
    "defcocon": "specific-conflict",
    "defconum": "number-of-attackers",
    "defcodem": "non-compliance-with-demands",
    "defconpr": "non-provocation",
}
#: ATOP's columns of the states an alliance names as specific threats (COW codes).
THREATS = ("statthr1", "statthr2")
CONDITION = str(ID) + "condition/"


def defence_conditions(out: Triples, node: URIRef, row, resolver: Resolver, on: str) -> None:
    """What conditions a member's defence obligation (``gk:defenceCondition``, one concept per
    ``defco*`` column coded 1) and the states the alliance names as threats (``statthr1``,
    ``statthr2``): the COW code as ATOP gives it (``gk:namedThreatCode``) and, when it matches
    a state, the state of that code on ``on`` (``gk:namedThreat``). Columns absent from the
    file are skipped: they are not required."""
    for column, concept in DEFENCE_CONDITIONS.items():
        if (row.integer(column, False) or 0) > 0:
            out.add(node, GK.defenceCondition, URIRef(CONDITION + concept))
    for column in THREATS:
        code = row.integer(column, False)
        if code:
            out.add(node, GK.namedThreatCode, Literal(str(code)))
            state = resolver.cow(code, on)
            if state is not None:
                out.add(node, GK.namedThreat, state)


def _treaty(out: Triples, atopid: int, t: dict, curated, resolver: Resolver, source) -> None:
    parties = list(dict.fromkeys(t["parties"]))
    if curated:
        _linked(out, curated, parties, t, source)
        return
    iri = URIRef(f"{TREATY}atop-{atopid}")
    year = str(t["begin"])[:4]
    names = [resolver.label(s) for s in parties[:4]] + (
        [f"{len(parties) - 4} more"] if len(parties) > 4 else []
    )
    en = f"ATOP alliance {atopid} ({year}): {', '.join(names)}"
    out.add(iri, RDFS.label, Literal(en, lang="en"))
    out.add(iri, RDFS.label, Literal(f"Alliance ATOP {atopid} ({year})", lang="fr"))
    out.add(iri, GK.signedOn, t["begin"])
    out.add(iri, GK.inForceFrom, t["begin"])
    if t["end"] is not None:
        out.add(iri, GK.inForceUntil, t["end"])
    out.add(iri, RDF.type, GK.Treaty)
    out.add(iri, GK.atopId, Literal(atopid, datatype=XSD.integer))
    for state in parties:
        out.add(iri, GK.party, state)
    _obligations(out, iri, t)
    out.add(iri, GK.asymmetric, Literal(t["asymmetric"]))
    out.add(iri, PROV.wasDerivedFrom, source)


def _obligations(out: Triples, iri: URIRef, t: dict) -> None:
    for column in t["obligations"]:
        out.add(iri, GK.obligation, PROVISION[OBLIGATIONS[column][0]])
    for column in t["conditional"]:
        out.add(iri, GK.conditionalObligation, PROVISION[OBLIGATIONS[column][0]])


def _linked(out: Triples, curated: dict, parties: list, t: dict, source) -> None:
    """One node for a curated treaty that ATOP also codes: the curated treaty keeps its own
    facts (labels, dates, articles, provenance); the import adds ATOP's members that the
    curated parties lack, ATOP's obligation types and ATOP as a source, and never restates a
    triple that another graph states (the default graph is a set: see DESIGN.md)."""
    mine = Triples()
    iri = curated["iri"]
    for state in parties:
        mine.add(iri, GK.party, state)
    _obligations(mine, iri, t)
    mine.add(iri, PROV.wasDerivedFrom, source)
    stated = {f"{iri.n3()} {p.n3()} {o.n3()} ." for p, o in curated["facts"]}
    for line in dict.fromkeys(mine.lines):
        if line not in stated:
            out.lines.append(line)
