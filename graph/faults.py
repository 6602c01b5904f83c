"""Named points in a write where a fault test may stop the process (``GEOKG_FAULT_PAUSE``).

With ``GEOKG_FAULT_PAUSE=bulk-load`` (several names: comma-separated; ``all``: every
point), a write that reaches that point writes ``geokg-fault-pause: bulk-load`` on
standard error and sleeps, so that a test can kill it there with SIGKILL. Unset (always,
outside the tests) this costs one dictionary lookup per point.

The points of a load, in order: ``early`` (parsed and validated, nothing written),
``undo`` (the undo checkpoint made), ``drop`` (the replaced graphs dropped),
``bulk-load`` (half of the input read by the bulk loader), ``derive`` (the data written,
the derived graph not yet rebuilt), ``commit`` (all written, the undo not yet discarded),
``committed`` (done).

>>> pause("derive")   # nothing happens unless GEOKG_FAULT_PAUSE names it
"""

from __future__ import annotations

import os
import sys
import time

VARIABLE = "GEOKG_FAULT_PAUSE"
PHASES = ("early", "undo", "drop", "bulk-load", "derive", "commit", "committed")


def named(phase: str) -> bool:
    """Whether ``GEOKG_FAULT_PAUSE`` names ``phase`` (a write then pauses there).

    >>> named("derive")
    False
    """
    wanted = os.environ.get(VARIABLE)
    if not wanted:
        return False
    names = {name.strip() for name in wanted.split(",")}
    return phase in names or "all" in names


def pause(phase: str) -> None:
    """Announce ``phase`` and sleep until killed, if ``GEOKG_FAULT_PAUSE`` names it."""
    if not named(phase):
        return
    sys.stderr.write(f"geokg-fault-pause: {phase}\n")
    sys.stderr.flush()
    time.sleep(3600)


__all__ = ["PHASES", "VARIABLE", "named", "pause"]
