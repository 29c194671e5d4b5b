"""Read snapshots (``pipeline.store.snapshot``): published whole, switched atomically, old ones pruned."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipeline.store import StoreLockedError
from pipeline.store.snapshot import KEEP, current_snapshot, publish_snapshot, snapshot_dir


def _db(path: Path, rows: int) -> None:
    con = duckdb.connect(str(path))
    try:
        # A Pantau database as readers recognise it (a schema_version table), with a table that counts runs.
        con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER)")
        con.execute("CREATE OR REPLACE TABLE t AS SELECT range AS n FROM range(?)", [rows])
    finally:
        con.close()


def _count(path: Path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return int(con.execute("SELECT count(*) FROM t").fetchone()[0])  # type: ignore[index]
    finally:
        con.close()


def test_a_reader_keeps_its_snapshot_while_newer_ones_are_published(tmp_path: Path) -> None:
    db = tmp_path / "pantau.duckdb"
    assert current_snapshot(db) is None
    _db(db, 1)
    first = publish_snapshot(db)
    held = duckdb.connect(str(first), read_only=True)  # a request in flight on the first snapshot
    try:
        for rows in range(2, 2 + KEEP + 1):
            _db(db, rows)
            latest = publish_snapshot(db)
            assert current_snapshot(db) == latest and _count(latest) == rows
        assert not first.exists()  # pruned...
        assert held.execute("SELECT count(*) FROM t").fetchone() == (1,)  # ...yet still readable by its reader
    finally:
        held.close()
    assert len(list(snapshot_dir(db).glob("*.duckdb"))) == KEEP
    assert not list(snapshot_dir(db).glob("*.partial"))


def test_publishing_waits_for_a_writer_and_says_so(tmp_path: Path) -> None:
    db = tmp_path / "pantau.duckdb"
    _db(db, 1)
    import subprocess
    import sys

    writer = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('open', flush=True); time.sleep(30)", str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "open"
        with pytest.raises(StoreLockedError):
            publish_snapshot(db, lock_timeout_s=1)
        assert current_snapshot(db) is None  # nothing half-published
    finally:
        writer.kill()
        writer.wait()
