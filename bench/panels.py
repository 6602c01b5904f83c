"""Benchmark of the dyad-year panel: ``geokg.dyad_years`` against the pandas a researcher writes.

Both build every non-directed dyad-year of the COW state system 1816–2016 with ATOP's five
obligation indicators, from the real files in ``tests/data`` (COW v2016, ATOP 4.01), in one run:

- **geokg**: ``geokg.dyad_years(kg, 1816, 2016)`` on an in-memory store holding the bundled data
  and ATOP (``import_atop``, timed apart): one SPARQL query, the years in pandas; it also gives
  both states' ISO codes and IRIs, the ATOP ids behind every 1, the succession of states (one
  row per state: the USSR and Russia apart) and the common-day rule for ties.
- **by hand**: what a researcher writes with pandas from the two CSV files (peacesciencer's
  recipe): COW spells expanded from start year to end year, a cross join per year with
  ``ccode1 < ccode2``; ATOP member rows expanded from entry year to exit year (0: 2016), joined
  per alliance and year, the five obligations maxed per dyad-year and left-joined; no ids, no
  succession, years rather than days.

Each is timed ``--repeat`` times, the two interleaved (median), then run once more under
``tracemalloc`` for its peak memory (Python and numpy allocations during the call). Prints the figures and the ratio
(target: geokg within 2× of the hand-written pandas).

    python bench/panels.py --repeat 3
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
ATOP = ROOT / "tests" / "data" / "atop"
COW = ROOT / "tests" / "data" / "states" / "cow_states2016.csv"
TYPES = ["defense", "offense", "neutral", "nonagg", "consul"]


def by_hand(start: int = 1816, end: int = 2016) -> pd.DataFrame:
    """Non-directed dyad-years with ATOP's five indicators, as a researcher writes it."""
    states = pd.read_csv(COW)[["ccode", "styear", "endyear"]]
    years = states.loc[states.index.repeat(states.endyear - states.styear + 1)].copy()
    years["year"] = years.groupby(level=0).cumcount() + years.styear
    years = years[(years.year >= start) & (years.year <= end)][["ccode", "year"]].drop_duplicates()
    dyads = years.merge(years, on="year", suffixes=("1", "2"))
    dyads = dyads[dyads.ccode1 < dyads.ccode2]

    members = pd.read_csv(ATOP / "atop-member-level.csv")
    members["yrexit"] = members.yrexit.where(members.yrexit > 0, end)
    members = members[["atopid", "member", "yrent", "yrexit", *TYPES]]
    rows = members.loc[members.index.repeat(members.yrexit - members.yrent + 1)].copy()
    rows["year"] = rows.groupby(level=0).cumcount() + rows.yrent
    rows = rows[["atopid", "member", "year", *TYPES]]
    pairs = rows.merge(rows, on=["atopid", "year"], suffixes=("1", "2"))
    pairs = pairs[pairs.member1 < pairs.member2]
    for t in TYPES:
        pairs[f"atop_{t}"] = np.maximum(pairs[f"{t}1"], pairs[f"{t}2"])
    ties = (
        pairs.rename(columns={"member1": "ccode1", "member2": "ccode2"})
        .groupby(["ccode1", "ccode2", "year"])[[f"atop_{t}" for t in TYPES]]
        .max()
        .reset_index()
    )
    out = dyads.merge(ties, on=["ccode1", "ccode2", "year"], how="left")
    for t in TYPES:
        out[f"atop_{t}"] = out[f"atop_{t}"].fillna(0).astype("int8")
    return out.sort_values(["year", "ccode1", "ccode2"]).reset_index(drop=True)


def timed(function) -> float:
    began = time.perf_counter()
    function()
    return time.perf_counter() - began


def peak_of(function) -> tuple[int, object]:
    """(peak bytes allocated under tracemalloc during the call, its result)."""
    tracemalloc.start()
    result = function()
    found = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return found, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from geokg.graph.importers import import_atop

    import geokg

    kg = geokg.open_store(None)
    began = time.perf_counter()
    import_atop(
        kg, ATOP / "atop-alliance-level.csv", ATOP / "atop-member-level.csv", validate=False
    )
    imported = time.perf_counter() - began

    def ours_now():
        return geokg.dyad_years(kg, 1816, 2016)

    times: dict[str, list[float]] = {"hand": [], "ours": []}
    for _ in range(args.repeat):  # interleaved: both see the same load on a shared machine
        times["hand"].append(timed(by_hand))
        times["ours"].append(timed(ours_now))
    hand_s, ours_s = statistics.median(times["hand"]), statistics.median(times["ours"])
    hand_peak, hand = peak_of(by_hand)
    ours_peak, ours = peak_of(ours_now)

    print(
        "Non-directed dyad-years 1816-2016, five ATOP indicators (median of", args.repeat, "runs)"
    )
    print(f"{'':34} {'seconds':>8} {'peak MB':>8} {'rows':>10} {'defence dyad-years':>19}")
    for name, seconds, peak, frame in (
        ("pandas by hand (CSV files)", hand_s, hand_peak, hand),
        ("geokg.dyad_years (store)", ours_s, ours_peak, ours),
    ):
        print(
            f"{name:34} {seconds:8.2f} {peak / 1e6:8.0f} {len(frame):10,} "
            f"{int(frame.atop_defense.sum()):19,}"
        )
    print(
        f"ratio geokg / by hand: {ours_s / hand_s:.2f}x time, {ours_peak / hand_peak:.2f}x memory"
    )
    print(f"(ATOP import into the store, once: {imported:.1f} s)")


if __name__ == "__main__":
    main()
