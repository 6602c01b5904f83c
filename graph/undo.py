"""Crash-safe writes to an on-disk Oxigraph store: an undo checkpoint beside the store.

pyoxigraph's ``Store.update`` is one transaction, but ``bulk_load`` is not, and a
transaction the size of a big load (a ``MOVE`` of a million triples from a staging graph
onto its target) takes minutes and gigabytes. So a write is made all or nothing one level
down, on the store's folder:

1. **begin**: ``Store.backup`` makes a checkpoint of the store as it is (hard links to its
   immutable files: a few milliseconds, whatever the size) in ``.NAME.geokg-undo-tmp``
   beside the store ``NAME``, renamed to ``.NAME.geokg-undo`` once complete;
2. the write runs on the store itself at full speed (drops, bulk loads, the derived graph);
3. **commit**: the store is flushed, then the undo checkpoint renamed away and deleted.

A failure in step 2 (disk full, I/O error) puts the checkpoint back in place of the store
and reopens it (which also clears the store's own error state: the next write works once
the cause is gone). A crash in step 2 leaves the undo checkpoint: the next open of the
store finds it and puts it back before anything reads the store. The renames are the
atomic steps; a crash between the two renames of a restore leaves no store and a
checkpoint, which the next open moves into place.

>>> undo_path(Path("/data/store")).name
'.store.geokg-undo'
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import uuid
from pathlib import Path

UNDO = ".geokg-undo"
#: A checkpoint being made (not yet valid).
PARTIAL = ".geokg-undo-tmp"
#: Folders renamed away: deleted at the next chance.
TRASH = ".geokg-trash-"
RECOVERY_LOCK = ".geokg-lock"


def undo_path(store: Path) -> Path:
    """The undo checkpoint of the store at ``store`` (beside it, hidden)."""
    return store.parent / f".{store.name}{UNDO}"


def _partial_path(store: Path) -> Path:
    return store.parent / f".{store.name}{PARTIAL}"


def _trash_path(store: Path) -> Path:
    return store.parent / f".{store.name}{TRASH}{uuid.uuid4().hex}"


@contextlib.contextmanager
def recovery_lock(store: Path):
    """Hold the lock that serialises opening and restoring the store at ``store``.

    Two processes opening a store at once must not both restore it (or one open the
    half-written store while the other moves it away)."""
    store.parent.mkdir(parents=True, exist_ok=True)
    lock = store.parent / f".{store.name}{RECOVERY_LOCK}"
    with open(lock, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def interrupted(store: Path) -> bool:
    """Whether a write to ``store`` began and neither committed nor rolled back."""
    return undo_path(store).is_dir()


def finish_restore(store: Path) -> None:
    """A restore that stopped between its two renames: move the checkpoint into place."""
    undo = undo_path(store)
    if not store.exists() and undo.is_dir():
        os.rename(undo, store)
        _sync_dir(store.parent)


def begin(store, path: Path) -> None:
    """Checkpoint the open ``store`` (a pyoxigraph Store at ``path``) as its undo."""
    partial, undo = _partial_path(path), undo_path(path)
    if undo.exists():  # the open store is not the one the checkpoint was made of
        raise OSError(f"an interrupted write left {undo}: open the store again to restore it")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        store.backup(str(partial))
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    os.rename(partial, undo)
    _sync_dir(path.parent)


def discard(path: Path) -> None:
    """Commit: the write is whole on disk, the undo checkpoint goes."""
    undo = undo_path(path)
    if undo.exists():
        trash = _trash_path(path)
        os.rename(undo, trash)
        _sync_dir(path.parent)
        shutil.rmtree(trash, ignore_errors=True)


def restore(path: Path) -> None:
    """Put the undo checkpoint in place of the (closed) store at ``path``."""
    undo = undo_path(path)
    if not undo.is_dir():
        return
    if path.exists():
        os.rename(path, _trash_path(path))
    os.rename(undo, path)
    _sync_dir(path.parent)
    remove_leftovers(path)


def remove_leftovers(path: Path) -> None:
    """Delete half-made checkpoints and folders renamed away (never the undo itself)."""
    shutil.rmtree(_partial_path(path), ignore_errors=True)
    for trash in path.parent.glob(f".{path.name}{TRASH}*"):
        shutil.rmtree(trash, ignore_errors=True)


def _sync_dir(folder: Path) -> None:
    """Make renames in ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


__all__ = ["begin", "discard", "interrupted", "recovery_lock", "restore", "undo_path"]
