"""Independent references for the ATOP tests, computed with pandas straight from the raw CSV files
in tests/data/atop (never through geokg's code).

How ATOP's member-level dates are read (ATOP v4.01 member-level file: ``yrent``, ``moent``,
``dayent``; ``yrexit``, ``moexit``, ``dayexit``):

- entry: the day given; a missing day is the first day of the month (a missing month, the
  first day of the year);
- exit: ``yrexit`` 0 means the member is still in the alliance at the end of the data (open);
  a missing day is the last day of the month (a missing month, the last day of the year);
- a member is in the alliance on day D when entry <= D <= exit (both days included).

Succession, by COW code and date (the semantics geokg documents, written out again here):
255 is Prussia (cow-255) until 1871-01-17 and Germany (DEU) from 1871-01-18; 365 is Russia until 1922-12-29, the USSR (SUN) from 1922-12-30 to 1991-12-25, Russia (RUS)
from 1991-12-26; 345 is Serbia (SRB) until 1918-11-30, Yugoslavia (YUG) from 1918-12-01 to
2003-02-03, Serbia and Montenegro (SCG) from 2003-02-04 to 2006-06-04, Serbia from 2006-06-05.
Every other code is its own key (the code as an int).

>>> state_key(365, pd.Timestamp("1962-06-30")), state_key(345, pd.Timestamp("2016-06-30"))
('SUN', 'SRB')
"""

from __future__ import annotations

import calendar
from itertools import combinations
from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parent / "data" / "atop"
ALLIANCES = DATA / "atop-alliance-level.csv"
MEMBERS = DATA / "atop-member-level.csv"
COW_STATES = DATA.parent / "states" / "cow_states2016.csv"
#: ATOP's five obligation columns (member level: that member's own obligations).
OBLIGATIONS = ["defense", "offense", "neutral", "nonagg", "consul"]

#: code → [(first day, key)], in order; the first key holds from the beginning of time.
SUCCESSION = {
    255: [("0001-01-01", "cow-255"), ("1871-01-18", "DEU")],
    365: [("0001-01-01", "RUS"), ("1922-12-30", "SUN"), ("1991-12-26", "RUS")],
    345: [
        ("0001-01-01", "SRB"),
        ("1918-12-01", "YUG"),
        ("2003-02-04", "SCG"),
        ("2006-06-05", "SRB"),
    ],
}


def state_key(code: int, day: pd.Timestamp) -> str | int:
    """The state a COW code designates on ``day``: a key of :data:`SUCCESSION`, else the code."""
    periods = SUCCESSION.get(int(code))
    if periods is None:
        return int(code)
    key = periods[0][1]
    for first, successor in periods:
        if pd.Timestamp(first) <= day:
            key = successor
    return key


def _day(year, month, day, last: bool) -> pd.Timestamp | None:
    if pd.isna(year) or int(year) == 0:
        return None
    year = int(year)
    month = 0 if pd.isna(month) else int(month)
    if month == 0:
        return pd.Timestamp(year, 12, 31) if last else pd.Timestamp(year, 1, 1)
    if pd.isna(day) or int(day) == 0:
        return pd.Timestamp(year, month, calendar.monthrange(year, month)[1] if last else 1)
    return pd.Timestamp(year, month, int(day))


def members() -> pd.DataFrame:
    """One row per member-level row: atopid, member, phase, entry, exit (NaT: open), and the
    member's obligations (0/1 columns :data:`OBLIGATIONS`)."""
    raw = pd.read_csv(MEMBERS)
    starts = zip(raw.yrent, raw.moent, raw.dayent, strict=True)
    ends = zip(raw.yrexit, raw.moexit, raw.dayexit, strict=True)
    entry = [_day(y, m, d, False) for y, m, d in starts]
    exit_ = [_day(y, m, d, True) for y, m, d in ends]
    return pd.DataFrame(
        {
            "atopid": raw.atopid,
            "member": raw.member,
            "phase": raw.phase,
            "entry": pd.to_datetime(entry),
            "exit": pd.to_datetime(exit_),
            **{column: (raw[column].fillna(0) > 0).astype(int) for column in OBLIGATIONS},
        }
    )


def alliances() -> pd.DataFrame:
    """One row per alliance: atopid, begin, end (NaT: ATOP's 0, in force at the end of the data);
    a missing day or month read as for member entry (begin) and exit (end)."""
    raw = pd.read_csv(ALLIANCES)
    begins = zip(raw.begyr, raw.begmo, raw.begday, strict=True)
    ends = zip(raw.endyr, raw.endmo, raw.endday, strict=True)
    return pd.DataFrame(
        {
            "atopid": raw.atopid,
            "begin": pd.to_datetime([_day(y, m, d, False) for y, m, d in begins]),
            "end": pd.to_datetime([_day(y, m, d, True) for y, m, d in ends]),
        }
    )


def cow_spells() -> pd.DataFrame:
    """COW state-system spells (ccode, start, end), each split at the successions of its code
    into one spell per state (``key``), from the raw COW v2016 file."""
    raw = pd.read_csv(COW_STATES)
    rows = []
    for r in raw.itertuples():
        start = pd.Timestamp(r.styear, r.stmonth, r.stday)
        end = pd.Timestamp(r.endyear, r.endmonth, r.endday)
        for key, s, e in split(r.ccode, start, end):
            rows.append({"ccode": int(r.ccode), "key": key, "start": s, "end": e})
    return pd.DataFrame(rows)


def split(code: int, start: pd.Timestamp, end) -> list[tuple]:
    """(key, start, end) parts of a period of ``code``, split at the successions it spans
    (``end`` NaT or None: open).

    >>> [(k, str(s.date())) for k, s, _ in split(365, pd.Timestamp("1990-01-01"), None)]
    [('SUN', '1990-01-01'), ('RUS', '1991-12-26')]
    """
    cuts = [pd.Timestamp(first) for first, _ in SUCCESSION.get(int(code), [])[1:]]
    cuts = [c for c in cuts if start < c and (end is None or pd.isna(end) or c <= end)]
    bounds = [start, *cuts]
    parts = []
    for i, s in enumerate(bounds):
        e = bounds[i + 1] - pd.Timedelta(days=1) if i + 1 < len(bounds) else end
        parts.append((state_key(code, s), s, e))
    return parts


def in_force(frame: pd.DataFrame, day: str) -> pd.DataFrame:
    """The member rows in force on ``day``, with the state ``key`` of each on that day."""
    d = pd.Timestamp(day)
    rows = frame[(frame.entry <= d) & (frame.exit.isna() | (frame.exit >= d))].copy()
    rows["key"] = [state_key(c, d) for c in rows.member]
    return rows


def dyads(frame: pd.DataFrame, day: str) -> set[tuple[int, frozenset]]:
    """(atopid, {key, key}) for every two distinct states in the same alliance on ``day``."""
    found = set()
    for atopid, group in in_force(frame, day).groupby("atopid"):
        keys = sorted(set(group.key), key=str)
        found.update((int(atopid), frozenset(pair)) for pair in combinations(keys, 2))
    return found


def partners(frame: pd.DataFrame, day: str) -> dict:
    """Distinct alliance partners of every state on ``day``, over all alliances."""
    out: dict = {}
    for _, pair in dyads(frame, day):
        a, b = tuple(pair)
        out.setdefault(a, set()).add(b)
        out.setdefault(b, set()).add(a)
    return {key: len(found) for key, found in out.items()}


def pieces(frame: pd.DataFrame) -> int:
    """How many member phases the rows make once each is split at the successions it spans
    (a succession date strictly after its entry and not after its exit)."""
    total = 0
    for row in frame.itertuples():
        total += 1
        for first, _ in SUCCESSION.get(int(row.member), [])[1:]:
            day = pd.Timestamp(first)
            total += row.entry < day and (pd.isna(row.exit) or day <= row.exit)
    return total


def phases(day: str) -> pd.DataFrame:
    """The raw member-level rows (every ATOP column: ``defense``, ``defcon``, ``statthr1``…)
    of the members in an alliance on ``day``: the alliance in force (alliance-level begin and
    end) and the member's own entry and exit covering the day, dates read as above."""
    d = pd.Timestamp(day)
    dated, spans = members(), alliances()
    alive = spans[(spans.begin <= d) & (spans.end.isna() | (spans.end >= d))].atopid
    covered = (dated.entry <= d) & (dated.exit.isna() | (dated.exit >= d))
    return pd.read_csv(MEMBERS)[(covered & dated.atopid.isin(alive)).to_numpy()]


def pairs(day: str) -> tuple[set[frozenset], int]:
    """The allied pairs of states (keys of :func:`state_key`) on ``day``, and the number of
    alliances in force with two members or more."""
    found: set[frozenset] = set()
    alliances_ = 0
    d = pd.Timestamp(day)
    for _, group in phases(day).groupby("atopid"):
        keys = sorted({state_key(c, d) for c in group.member}, key=str)
        alliances_ += len(keys) > 1
        found.update(frozenset(p) for p in combinations(keys, 2))
    return found, alliances_


def iso() -> dict[int, str]:
    """COW code → ISO alpha-3, from the OWID crosswalk (states with an ISO code)."""
    crosswalk = pd.read_csv(DATA.parent / "countries" / "owid_countries_regions_2022.csv")
    crosswalk = crosswalk.dropna(subset=["cow_code", "iso_alpha3"])
    return {int(c): i for c, i in zip(crosswalk.cow_code, crosswalk.iso_alpha3, strict=True)}


def name(key: str | int) -> str | None:
    """The ISO code of a :func:`state_key` (its own name for a successive state: SUN, SCG…)."""
    return key if isinstance(key, str) else iso().get(key)
