"""ATOP's alliances on a date, straight from the CSV files with pandas (no geokg code): the
independent side of the tests of cascades and of the alliance-structure notebook.

A member is in an alliance on a day when the alliance is in force (alliance-level begin and
end dates) and one of its member phases covers the day; dates keep their precision (a month or
day coded 0 is unknown: a start at the start of its year or month, an end at its end); an end
year of 0 is open (ongoing).
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pandas as pd

DATA = Path(__file__).parent / "data"
ATOP = DATA / "atop"
#: COW codes that cover several states over time (issue 11): the first day of each state.
SUCCESSIONS = {
    365: (("0000", "RUS"), ("1922-12-30", "SUN"), ("1991-12-26", "RUS")),
    345: (("0000", "SRB"), ("1918-12-01", "YUG"), ("2003-02-04", "SCG"), ("2006-06-05", "SRB")),
}


def covers(day: str, frame: pd.DataFrame, start: str, end: str) -> pd.Series:
    """Whether each row's period (columns ``<start>yr/mo/day``, ``<end>yr/mo/day``) covers ``day``."""
    y, m, d = (int(x) for x in day.split("-"))
    begin = zip(frame[start + "yr"], frame[start + "mo"], frame[start + "day"], strict=True)
    finish = zip(frame[end + "yr"], frame[end + "mo"], frame[end + "day"], strict=True)
    ok = [
        (a, b or 1, c or 1) <= (y, m, d) and (e == 0 or (e, f or 12, g or 31) >= (y, m, d))
        for (a, b, c), (e, f, g) in zip(begin, finish, strict=True)
    ]
    return pd.Series(ok, index=frame.index)


def phases(day: str) -> pd.DataFrame:
    """ATOP member phases in force on ``day``, of alliances in force on ``day``."""
    alliances = pd.read_csv(ATOP / "atop-alliance-level.csv")
    members = pd.read_csv(ATOP / "atop-member-level.csv").rename(
        columns={"yrent": "entyr", "moent": "entmo", "dayent": "entday"}
        | {"yrexit": "exityr", "moexit": "exitmo", "dayexit": "exitday"}
    )
    alive = alliances[covers(day, alliances, "beg", "end")].atopid
    members = members[members.atopid.isin(alive)]
    return members[covers(day, members, "ent", "exit")]


def state(code: int, day: str) -> tuple[int, str | None]:
    """Which state a COW code is on ``day``: (code, the successive state's name, if any)."""
    periods = SUCCESSIONS.get(code)
    if not periods:
        return (code, None)
    return (code, [name for start, name in periods if start <= day][-1])


def pairs(day: str) -> tuple[set[frozenset], int]:
    """The allied pairs of states (see :func:`state`) on ``day`` and the number of alliances
    with two members or more."""
    found: set[frozenset] = set()
    alliances = 0
    for _, group in phases(day).groupby("atopid"):
        states = sorted({state(c, day) for c in group.member})
        alliances += len(states) > 1
        found.update(frozenset(p) for p in combinations(states, 2))
    return found, alliances


def iso() -> dict[int, str]:
    """COW code → ISO alpha-3, from the OWID crosswalk (states with an ISO code)."""
    crosswalk = pd.read_csv(DATA / "countries" / "owid_countries_regions_2022.csv")
    crosswalk = crosswalk.dropna(subset=["cow_code", "iso_alpha3"])
    return {int(c): i for c, i in zip(crosswalk.cow_code, crosswalk.iso_alpha3, strict=True)}


def name(key: tuple[int, str | None], day: str) -> str | None:
    """The ISO code of a state of :func:`state` (SUN for 365 in the USSR's years, …)."""
    code, successive = key
    return successive or iso().get(code)
