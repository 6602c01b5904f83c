"""State-year and dyad-year panels of the Correlates of War state system, with ATOP's obligations.

Like R's peacesciencer (``create_stateyears()``, ``create_dyadyears()``,
``add_atop_alliance()``), but from the knowledge graph, with the geokg IRI and ISO code of every
state and the ATOP ids behind every 1. The joins run in the engine (one SPARQL query through
``kg.query``: COW membership spells and ATOP member phases with their obligations); the
expansion into years is pandas.

Semantics (each sentence citable; README, "Panels"):

- **The yearly rule** (``rule="any-day"``, the default): a state is in the system in a year when
  one of its COW membership spells (``gk:systemMembership``) covers at least one day of that year,
  as in the COW state-year file and peacesciencer's ``create_stateyears()`` (which expand each
  spell from its start year to its end year); a dyad exists in a year when both states do; and a
  tie counts for a year when the two states were members of the same ATOP alliance on at least
  one common day of it (their member phases, ``gk:Participation``, overlap each other, the
  treaty's period in force and the year), the convention of the dyadic alliance files (a dyad-year
  is recorded when "the dyad members were members of the alliance for at least one common day").
  ``rule="year-end"`` counts a state, a dyad or a tie for a year only if it holds on 31 December.
- **Indicators**: ``atop_defense`` … ``atop_consul`` are 1 when such a tie carries that
  obligation, read from ATOP's member-level codes (each member phase says which obligations *that
  member* took on): in a non-directed dyad, when either member's phase carries it; in a directed
  dyad ``ccode1 → ccode2``, when the phase of ``ccode1`` carries it (ccode1 owes ccode2 — so
  the one-way guarantees of asymmetric alliances keep their direction). ``atop_<type>_ids``
  lists the ATOP ids of the alliances behind a 1 (``"3180;3740"``), empty for a 0.
- **States**: one row per geokg state, so a COW code that covers several states over time gives
  several IRIs (365: Russia, the USSR, Russia; 345; 255), each with its own spells; a state and
  its predecessor under the same code never form a dyad. Dyads are non-directed by default
  (``ccode1 < ccode2``, peacesciencer's convention). COW and ATOP end in 2016: a spell or a phase
  open at the end of the data counts as continuing.

>>> import geokg
>>> kg = geokg.open_store(None)
>>> sy = state_years(kg, 1946, 1948)
>>> sorted(sy[sy.ccode == 255].year), sorted(sy[sy.ccode == 365].iso3.unique())
([], ['SUN'])
>>> dy = dyad_years(kg, 2016, 2016)
>>> list(dy.columns[:7])
['year', 'ccode1', 'ccode2', 'iso3_1', 'iso3_2', 'iri1', 'iri2']
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .errors import GeokgError
from .projection import _rows

if TYPE_CHECKING:
    from .store import KnowledgeGraph

#: ATOP's obligation columns (peacesciencer's names ``atop_<type>``) → provision concepts.
OBLIGATIONS = {
    "defense": "defense",
    "offense": "offense",
    "neutral": "neutrality",
    "nonagg": "non-aggression",
    "consul": "consultation",
}
RULES = ("any-day", "year-end")
#: The years a panel may span: COW's first year to a century after its data.
FIRST_YEAR, LAST_YEAR = 1816, 2100
_OPEN = np.datetime64("9999-12-31")
Progress = Callable[[str, int, int], None] | None

PANEL_QUERY = """
SELECT * WHERE {
  { SELECT ?state ?spell (SAMPLE(?c) AS ?ccode) (SAMPLE(?i) AS ?iso3) (SAMPLE(?w) AS ?wikidata)
           (SAMPLE(?l) AS ?name) (SAMPLE(?s) AS ?start) (SAMPLE(?e) AS ?end) WHERE {
      ?state gk:systemMembership ?spell ; gk:cowCode ?c .
      OPTIONAL { ?spell gk:startDate ?s } OPTIONAL { ?spell gk:endDate ?e }
      OPTIONAL { ?state gk:isoAlpha3 ?i }
      OPTIONAL { ?state owl:sameAs ?w FILTER(STRSTARTS(STR(?w), "http://www.wikidata.org/entity/")) }
      OPTIONAL { ?state rdfs:label ?l FILTER(langMatches(lang(?l), "en")) }
    } GROUP BY ?state ?spell }
  UNION
  { SELECT ?phase (SAMPLE(?t) AS ?treaty) (SAMPLE(?a) AS ?atopid) (SAMPLE(?m) AS ?member)
           (SAMPLE(?in) AS ?entry) (SAMPLE(?out) AS ?exit) (SAMPLE(?f) AS ?from)
           (SAMPLE(?u) AS ?until)
           (GROUP_CONCAT(DISTINCT STRAFTER(STR(?o), "/provision/"); separator=" ") AS ?obligations)
    WHERE {
      ?phase gk:inTreaty ?t ; gk:memberState ?m .
      ?t gk:atopId ?a .
      OPTIONAL { ?phase gk:entryDate ?in } OPTIONAL { ?phase gk:exitDate ?out }
      OPTIONAL { ?phase gk:obligation ?o }
      OPTIONAL { ?t gk:inForceFrom ?f0 } OPTIONAL { ?t gk:signedOn ?s0 }
      BIND(COALESCE(?f0, ?s0) AS ?f)
      OPTIONAL { ?t gk:inForceUntil ?u }
    } GROUP BY ?phase }
}"""


# -- dates and years ---------------------------------------------------------------------------


def first_day(text: str | None) -> np.datetime64:
    """The first day of a date at its precision (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``).

    >>> str(first_day("1961")), str(first_day("1961-07"))
    ('1961-01-01', '1961-07-01')
    """
    if not text:
        return np.datetime64("0001-01-01")
    text = str(text)[:10]
    return np.datetime64({4: text + "-01-01", 7: text + "-01"}.get(len(text), text), "D")


def last_day(text: str | None) -> np.datetime64:
    """The last day of a date at its precision; open (no date): far in the future.

    >>> str(last_day("1996")), str(last_day("2016-02")), str(last_day(None))
    ('1996-12-31', '2016-02-29', '9999-12-31')
    """
    if not text:
        return _OPEN
    text = str(text)[:10]
    if len(text) == 4:
        return np.datetime64(text + "-12-31", "D")
    if len(text) == 7:
        year, month = int(text[:4]), int(text[5:7])
        return np.datetime64(f"{text}-{calendar.monthrange(year, month)[1]:02d}", "D")
    return np.datetime64(text, "D")


def year_span(starts, ends, rule: str = "any-day") -> tuple[np.ndarray, np.ndarray]:
    """The first and last year that periods ``[start, end]`` (days, both included) count for.

    ``any-day``: every year with at least one day in the period; ``year-end``: every year
    whose 31 December is in it (none: last < first).

    >>> s, e = np.array(["1990-10-03"], "datetime64[D]"), np.array(["1991-12-25"], "datetime64[D]")
    >>> [int(x[0]) for x in year_span(s, e)], [int(x[0]) for x in year_span(s, e, "year-end")]
    ([1990, 1991], [1990, 1990])
    """
    starts = np.asarray(starts, dtype="datetime64[D]")
    ends = np.asarray(ends, dtype="datetime64[D]")
    first = starts.astype("datetime64[Y]").astype(int) + 1970
    last = ends.astype("datetime64[Y]").astype(int) + 1970
    if rule == "year-end":
        year_end = (ends + 1).astype("datetime64[Y]") != ends.astype("datetime64[Y]")
        last = np.where(year_end, last, last - 1)
    return first, last


def expand_years(frame: pd.DataFrame, first, last, start: int, end: int) -> pd.DataFrame:
    """One row of ``frame`` per year from ``first`` to ``last`` (arrays), within
    ``start``–``end``; a column ``year`` is added."""
    first = np.maximum(np.asarray(first), start)
    last = np.minimum(np.asarray(last), end)
    counts = np.clip(last - first + 1, 0, None)
    index = np.repeat(np.arange(len(frame)), counts)
    out = frame.iloc[index].reset_index(drop=True)
    offsets = np.arange(len(index)) - np.repeat(np.cumsum(counts) - counts, counts)
    out.insert(0, "year", (np.repeat(first, counts) + offsets).astype("int32"))
    return out


def _check(start, end, rule: str, system: str = "cow") -> tuple[int, int]:
    if system != "cow":
        raise GeokgError(f"unknown state system {system!r}: geokg holds the COW system ('cow')")
    if rule not in RULES:
        raise GeokgError(f"unknown yearly rule {rule!r}: use 'any-day' or 'year-end'")
    try:
        start, end = int(start), int(end)
    except (TypeError, ValueError):
        raise GeokgError(f"not years: {start!r}, {end!r}") from None
    if not FIRST_YEAR <= start <= end <= LAST_YEAR:
        raise GeokgError(
            f"years {start}–{end}: give {FIRST_YEAR} <= start <= end <= {LAST_YEAR} "
            "(the COW state system begins in 1816)"
        )
    return start, end


def _provisions(provisions) -> list[str]:
    """The obligation types asked for (names of :data:`OBLIGATIONS` or their concepts)."""
    if provisions is None or provisions == "all":
        return list(OBLIGATIONS)
    if isinstance(provisions, str):
        provisions = provisions.replace(",", " ").split()
    concepts = {concept: name for name, concept in OBLIGATIONS.items()}
    names = []
    for given in provisions:
        name = concepts.get(str(given), str(given))
        if name not in OBLIGATIONS:
            raise GeokgError(
                f"not an ATOP obligation type: {given!r} (use {', '.join(OBLIGATIONS)})"
            )
        names.append(name)
    return list(dict.fromkeys(names))


# -- the data, from one query -------------------------------------------------------------------


def panel_data(kg: KnowledgeGraph) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(states, spells, phases) from :data:`PANEL_QUERY`.

    ``states``: one row per state (index ``sid``): ``iri``, ``ccode``, ``iso3``, ``wikidata``,
    ``name``; ``spells``: ``sid``, ``start``, ``end`` (days); ``phases``: ``treaty``,
    ``atopid``, ``sid`` (None for a member that is no COW state), ``start``, ``end`` (the
    phase within the treaty's period in force), ``mask`` (a bit per obligation type, in the
    order of :data:`OBLIGATIONS`).
    """
    spell_rows, phase_rows = [], []
    for row in _rows(kg, PANEL_QUERY):
        (spell_rows if row.get("spell") is not None else phase_rows).append(row)
    spells = pd.DataFrame(spell_rows, columns=["state", "ccode", "iso3", "wikidata", "name"])
    spells["start"] = np.array([first_day(r.get("start")) for r in spell_rows], "datetime64[D]")
    spells["end"] = np.array([last_day(r.get("end")) for r in spell_rows], "datetime64[D]")
    states = (
        spells.drop_duplicates("state")
        .sort_values(["ccode", "state"])
        .rename(columns={"state": "iri"})[["iri", "ccode", "iso3", "wikidata", "name"]]
        .reset_index(drop=True)
    )
    states["ccode"] = states["ccode"].astype("int32")
    states["wikidata"] = states["wikidata"].map(
        lambda w: w.rsplit("/", 1)[-1] if isinstance(w, str) else None
    )
    sid = {iri: i for i, iri in enumerate(states["iri"])}
    spells = pd.DataFrame(
        {"sid": spells["state"].map(sid), "start": spells["start"], "end": spells["end"]}
    )
    bits = {concept: 1 << i for i, concept in enumerate(OBLIGATIONS.values())}
    phases = pd.DataFrame(
        {
            "treaty": [r["treaty"] for r in phase_rows],
            "atopid": np.array([int(r["atopid"]) for r in phase_rows], dtype="int32"),
            "sid": [sid.get(r["member"]) for r in phase_rows],
            "start": np.array(
                [max(first_day(r.get("entry")), first_day(r.get("from"))) for r in phase_rows],
                "datetime64[D]",
            ),
            "end": np.array(
                [min(last_day(r.get("exit")), last_day(r.get("until"))) for r in phase_rows],
                "datetime64[D]",
            ),
            "mask": np.array(
                [
                    sum(bits.get(o, 0) for o in set((r.get("obligations") or "").split()))
                    for r in phase_rows
                ],
                "int64",
            ),
        }
    )
    return states, spells, phases


# -- state-years --------------------------------------------------------------------------------


def _state_years(states, spells, start, end, rule) -> pd.DataFrame:
    """(year, sid): the states in the system each year, under ``rule``."""
    first, last = year_span(spells["start"].to_numpy(), spells["end"].to_numpy(), rule)
    years = expand_years(spells[["sid"]], first, last, start, end)
    return years.drop_duplicates().sort_values(["year", "sid"]).reset_index(drop=True)


def _ties(phases: pd.DataFrame, start, end, rule, directed: bool) -> pd.DataFrame:
    """(year, a, b, atopid, mask): every two states in the same ATOP alliance in a year, with
    the obligations the tie carries (``a``'s own for a directed tie a → b; either's else)."""
    known = phases[phases["sid"].notna()].astype({"sid": "int32"})
    pairs = known.merge(known, on="treaty", suffixes=("_a", "_b"))
    pairs = pairs[pairs["sid_a"] != pairs["sid_b"]]
    s = np.maximum(pairs["start_a"].to_numpy(), pairs["start_b"].to_numpy())
    e = np.minimum(pairs["end_a"].to_numpy(), pairs["end_b"].to_numpy())
    mask = pairs["mask_a"].to_numpy()
    if not directed:
        mask = mask | pairs["mask_b"].to_numpy()
    ties = pd.DataFrame(
        {
            "a": pairs["sid_a"].to_numpy(),
            "b": pairs["sid_b"].to_numpy(),
            "atopid": pairs["atopid_a"].to_numpy(),
            "mask": mask,
        }
    )
    keep = s <= e
    first, last = year_span(s[keep], e[keep], rule)
    return expand_years(ties[keep].reset_index(drop=True), first, last, start, end)


def _key(year, a, b=None) -> np.ndarray:
    """One int64 per (year, state[, state]) (state ids are below 10,000)."""
    key = np.asarray(year, dtype="int64") * 10_000 + np.asarray(a, dtype="int64")
    return key if b is None else key * 10_000 + np.asarray(b, dtype="int64")


def _indicators(
    keys: np.ndarray, ties: pd.DataFrame, names: list[str]
) -> dict[str, pd.Categorical]:
    """For rows with the sorted int64 ``keys``: per obligation type, the ATOP ids of the ties
    (``ties``: ``key``, ``atopid``, ``mask``) that carry it, joined by ``;`` (``""``: none),
    as a categorical (few distinct lists of ids: lean in memory)."""
    types = list(OBLIGATIONS)
    out = {}
    for name in names:
        bit = 1 << types.index(name)
        carries = (ties["mask"].to_numpy() & bit) > 0
        k, atopid = ties["key"].to_numpy()[carries], ties["atopid"].to_numpy()[carries]
        order = np.lexsort((atopid, k))
        k, atopid = k[order], atopid[order]
        fresh = np.r_[True, (k[1:] != k[:-1]) | (atopid[1:] != atopid[:-1])] if len(k) else []
        k, atopid = k[fresh], atopid[fresh]  # each alliance once per row
        starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]]) if len(k) else np.zeros(0, int)
        ends = np.r_[starts[1:], len(k)].astype(int) if len(k) else starts
        ids = [str(i) for i in atopid.tolist()]
        joined = [";".join(ids[s:e]) for s, e in zip(starts, ends, strict=True)]
        codes = np.zeros(len(keys), dtype="int32")  # 0: no tie, ""
        categories = [""]
        if len(starts) and len(keys):
            where = np.minimum(np.searchsorted(keys, k[starts]), len(keys) - 1)
            found = keys[where] == k[starts]  # a tie with a state out of the system: no row
            index, lists = pd.factorize(np.array(joined, dtype=object)[found])
            codes[where[found]] = index + 1
            categories += list(lists)
        out[name] = pd.Categorical.from_codes(codes, categories=categories)
    return out


def _with_indicators(out: pd.DataFrame, ids: dict[str, pd.Categorical]) -> pd.DataFrame:
    """Add ``atop_<type>`` (1 when there are ids, else 0) and ``atop_<type>_ids``."""
    for name, column in ids.items():
        out[f"atop_{name}"] = (column.codes > 0).astype("int8")
        out[f"atop_{name}_ids"] = column
    return out


def _side(states: pd.DataFrame, sids: np.ndarray, column: str):
    """A column of ``states`` for the given state ids (text as categorical: lean in memory)."""
    if column == "ccode":
        return states["ccode"].to_numpy()[sids]
    per_state = pd.Categorical(states[column].fillna(""))
    return pd.Categorical.from_codes(per_state.codes[sids], categories=per_state.categories)


def state_years(
    kg: KnowledgeGraph,
    start: int = FIRST_YEAR,
    end: int = 2016,
    system: str = "cow",
    *,
    provisions=None,
    rule: str = "any-day",
    progress: Progress = None,
) -> pd.DataFrame:
    """One row per state and year of the COW state system, ``start`` to ``end`` included.

    Columns: ``year``, ``ccode``, ``iso3``, ``iri`` (geokg's state), ``wikidata``, ``name``,
    then for each ATOP obligation type (``provisions``: all five by default) ``atop_<type>``, 1
    when the state has such a tie with at least one other state that year (the non-directed
    rule of :func:`dyad_years`, whatever the partner's membership of the system), and
    ``atop_<type>_ids``. A state is in the system in a year when one of its COW membership
    spells covers a day of it (``rule="year-end"``: 31 December of it); a state that leaves
    and re-enters has a row only for the years it is in. A COW code that covers several states
    over time gives a row per state (1991: the USSR and Russia, both coded 365).

    >>> import geokg
    >>> sy = state_years(geokg.open_store(None), 1991, 1992)
    >>> sorted(sy[sy.ccode == 365][["year", "iso3"]].itertuples(index=False, name=None))
    [(1991, 'RUS'), (1991, 'SUN'), (1992, 'RUS')]
    """
    start, end = _check(start, end, rule, system)
    names = _provisions(provisions)
    report = progress or (lambda *_: None)
    report("state-years", 0, 3)
    states, spells, phases = panel_data(kg)
    report("state-years", 1, 3)
    years = _state_years(states, spells, start, end, rule)
    ties = _ties(phases, start, end, rule, directed=False)
    ties["key"] = _key(ties["year"], ties["a"])
    report("state-years", 2, 3)
    sids = years["sid"].to_numpy()
    out = pd.DataFrame({"year": years["year"].to_numpy()})
    for column in ("ccode", "iso3", "iri", "wikidata", "name"):
        out[column] = _side(states, sids, column)
    out = _with_indicators(out, _indicators(_key(years["year"], sids), ties, names))
    report("state-years", 3, 3)
    return out


def _dyads(states: pd.DataFrame, years: pd.DataFrame, directed: bool) -> pd.DataFrame:
    """(year, a, b): every two states in the system the same year, not under one COW code;
    non-directed: the lower COW code first. Sorted by year, a, b (state ids follow COW codes)."""
    ccode = states["ccode"].to_numpy()
    year, sid = years["year"].to_numpy(), years["sid"].to_numpy()
    found_year, found_a, found_b = (
        [np.zeros(0, "int64")],
        [np.zeros(0, "int64")],
        [np.zeros(0, "int64")],
    )
    for group in np.split(np.arange(len(year)), np.flatnonzero(np.diff(year)) + 1):
        s, n = sid[group], len(group)  # the states of one year, sorted
        i, j = np.divmod(np.arange(n * n), n) if directed else np.triu_indices(n, 1)
        keep = ccode[s[i]] != ccode[s[j]]  # also a state with itself
        found_a.append(s[i][keep])
        found_b.append(s[j][keep])
        found_year.append(np.full(int(keep.sum()), year[group[0]] if n else 0))
    return pd.DataFrame(
        {
            "year": np.concatenate(found_year),
            "a": np.concatenate(found_a),
            "b": np.concatenate(found_b),
        }
    )


def dyad_years(
    kg: KnowledgeGraph,
    start: int = FIRST_YEAR,
    end: int = 2016,
    directed: bool = False,
    provisions=None,
    *,
    rule: str = "any-day",
    system: str = "cow",
    progress: Progress = None,
) -> pd.DataFrame:
    """One row per dyad of states of the COW state system and year, with ATOP's obligations.

    A dyad exists in a year when both states are in the system that year (one of their COW
    spells covers a day of it; ``rule="year-end"``: 31 December) and they are not one state
    under two names (a COW code with successive states: no USSR–Russia dyad). Non-directed
    (default): one row per pair, ``ccode1 < ccode2``; ``directed=True``: both orders.

    Columns: ``year``, ``ccode1``, ``ccode2``, ``iso3_1``, ``iso3_2``, ``iri1``, ``iri2``,
    then per obligation type (``provisions``: all five by default, or a list such as
    ``["defense"]``) ``atop_<type>``: 1 when the two states were members of the same ATOP
    alliance on a common day of the year (under ``rule``) and the tie carries that obligation
    (non-directed: either member's phase codes it; directed: ``ccode1``'s phase does, ccode1
    owes ccode2), and ``atop_<type>_ids``: the ATOP ids behind the 1 (``"3180;3740"``).

    >>> import geokg
    >>> dy = dyad_years(geokg.open_store(None), 1992, 1992)
    >>> bool(((dy.iso3_1 == "SUN") | (dy.iso3_2 == "SUN")).any())
    False
    """
    start, end = _check(start, end, rule, system)
    names = _provisions(provisions)
    report = progress or (lambda *_: None)
    report("dyad-years", 0, 4)
    states, spells, phases = panel_data(kg)
    report("dyad-years", 1, 4)
    dyads = _dyads(states, _state_years(states, spells, start, end, rule), directed)
    report("dyad-years", 2, 4)
    ties = _ties(phases, start, end, rule, directed)
    if not directed:  # one orientation, as the dyads: the lower COW code first
        ccode = states["ccode"].to_numpy()
        ties = ties[ccode[ties["a"].to_numpy()] < ccode[ties["b"].to_numpy()]]
    ties = ties.assign(key=_key(ties["year"], ties["a"], ties["b"]))
    a, b = dyads["a"].to_numpy(), dyads["b"].to_numpy()
    ids = _indicators(_key(dyads["year"], a, b), ties, names)
    report("dyad-years", 3, 4)
    out = pd.DataFrame({"year": dyads["year"].to_numpy()})
    out["ccode1"], out["ccode2"] = _side(states, a, "ccode"), _side(states, b, "ccode")
    out["iso3_1"], out["iso3_2"] = _side(states, a, "iso3"), _side(states, b, "iso3")
    out["iri1"], out["iri2"] = _side(states, a, "iri"), _side(states, b, "iri")
    out = _with_indicators(out, ids)
    report("dyad-years", 4, 4)
    return out


PANEL_FORMATS = ("csv", "parquet", "dta")


def check_panel_path(path) -> str:
    """The format of a panel file by its extension (``csv``, ``parquet``, ``dta``), checked
    before any work: Parquet needs pyarrow."""
    suffix = str(path).rsplit(".", 1)[-1].lower() if "." in str(path) else ""
    if suffix not in PANEL_FORMATS:
        raise GeokgError(f"cannot tell the format of {path}: use .csv, .parquet or .dta")
    if suffix == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise GeokgError("writing Parquet needs pyarrow (pip install pyarrow)") from None
    return suffix


def write_panel(frame: pd.DataFrame, path) -> str:
    """Write a panel by the extension of ``path``: ``.csv``, ``.parquet`` (needs pyarrow) or
    ``.dta`` (Stata 14+, through pandas; text columns as strings). Returns the format."""
    suffix = check_panel_path(path)
    if suffix == "csv":
        frame.to_csv(path, index=False)
    elif suffix == "parquet":
        frame.to_parquet(path, index=False)
    else:
        text = [c for c in frame.columns if frame[c].dtype.name in ("category", "object")]
        frame.assign(**{c: frame[c].astype(str) for c in text}).to_stata(
            path, write_index=False, version=118
        )
    return suffix


__all__ = ["OBLIGATIONS", "RULES", "check_panel_path", "dyad_years", "state_years", "write_panel"]
