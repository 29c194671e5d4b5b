"""Read snapshots: readers that must never wait for, nor stall, the daily run read a published copy.

DuckDB lets one process write a file only while no other process holds it. A
web server that kept the live file open would make every daily run wait (and
fail after its lock timeout); one that opened it per request would fail
requests while a run writes. So after a run has finished writing, the daily
flow *publishes* a snapshot: under a read-only connection (which keeps writers
out while the bytes are copied) the database is copied to a new file in
``<db>.snapshots/``, then ``CURRENT`` is pointed at it by an atomic rename.
Readers open whatever ``CURRENT`` names, read-only. A published file is never
rewritten, only unlinked once newer ones exist; on Linux a reader that still
has it open keeps reading it, so a request that started on the last run's data
finishes on it, and the next request sees the new run. The full-text index beside
the file (``pipeline.store.search``) is published with it, as hard links to its
immutable segment files, in ``<snapshot>.search/``.
"""

from __future__ import annotations

import logging
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from pipeline.store.connection import DEFAULT_LOCK_TIMEOUT_S, connect_readonly
from pipeline.store.search import copy_search_index, remove_search_index

log = logging.getLogger(__name__)

KEEP = 3  # published files kept; older ones are unlinked


def snapshot_dir(db: Path | str) -> Path:
    db = Path(db)
    return db.with_name(db.name + ".snapshots")


def current_snapshot(db: Path | str) -> Path | None:
    """The snapshot ``CURRENT`` names, or None when none has been published."""
    folder = snapshot_dir(db)
    try:
        name = (folder / "CURRENT").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    path = folder / name
    return path if name and path.exists() else None


def publish_snapshot(db: Path | str, *, lock_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S) -> Path:
    """Copy ``db`` into a new snapshot file and make it current; returns its path."""
    db = Path(db)
    folder = snapshot_dir(db)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{stamp}.duckdb"
    partial = folder / f"{stamp}.duckdb.partial"
    con = connect_readonly(db, lock_timeout_s=lock_timeout_s)  # holds writers off during the copy
    try:
        shutil.copyfile(db, partial)
        wal = db.with_name(db.name + ".wal")
        if wal.exists():  # a writer that died before its checkpoint; the copy must carry its log
            shutil.copyfile(wal, partial.with_name(target.name + ".wal"))
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        copy_search_index(db, target)  # under the same hold: the index of this very state of the file
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)  # a failed copy is never published, nor left behind
        remove_search_index(target)
        raise
    finally:
        con.close()
    pointer = folder / "CURRENT.partial"
    pointer.write_text(target.name + "\n", encoding="utf-8")
    os.replace(pointer, folder / "CURRENT")
    _prune(folder, keep=target.name)
    log.info("published read snapshot %s", target)
    return target


def _prune(folder: Path, keep: str) -> None:
    published = sorted(folder.glob("*.duckdb"), reverse=True)
    for old in published[KEEP:]:
        if old.name != keep:
            old.unlink(missing_ok=True)
            old.with_name(old.name + ".wal").unlink(missing_ok=True)
            remove_search_index(old)
