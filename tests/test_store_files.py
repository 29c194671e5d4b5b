"""Damaged, foreign and busy database files get the right one-line message (issue 12, items 8 and 12)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipeline.cli import main
from pipeline.store import Store, StoreDamagedError, StoreError, StoreLockedError, connect_readonly


def _pantau_db(path: Path) -> Path:
    with Store(path) as store:
        store.con.execute("CREATE TABLE filler AS SELECT range AS i, 'teks ' || range AS s FROM range(300000)")
    return path


def _corrupt(path: Path) -> None:
    """4 KB flipped at ten places across the data blocks (where the filler lands moves with the schema)."""
    data = bytearray(path.read_bytes())
    for place in range(10):
        start = len(data) * (30 + 6 * place) // 100
        for i in range(start, start + 4096):
            data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def test_a_corrupted_file_is_reported_as_damaged_at_once_not_as_a_lock(tmp_path: Path) -> None:
    path = _pantau_db(tmp_path / "p.duckdb")
    _corrupt(path)
    started = time.monotonic()
    with pytest.raises(StoreDamagedError) as raised, Store(path, lock_timeout_s=30) as store:
        store.query("SELECT sum(i), count(s) FROM filler")
    assert time.monotonic() - started < 10
    assert not isinstance(raised.value, StoreLockedError)
    message = str(raised.value)
    assert "the database file is damaged" in message and str(path) in message and "Restore" in message


@pytest.mark.parametrize("content", [b"", b"SQLite format 3\0" + b"x" * 5000], ids=["empty", "foreign bytes"])
def test_a_file_that_is_not_a_database_is_one_line(tmp_path: Path, content: bytes,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.duckdb"
    path.write_bytes(content)
    assert main(["query", "rakor", "--db", str(path)]) == 2
    assert main(["process", "--db", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("error: ") and "damaged" in line for line in err)
    assert path.read_bytes() == content


def test_a_truncated_pantau_file_is_damaged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _pantau_db(tmp_path / "p.duckdb")
    path.write_bytes(path.read_bytes()[:20000])
    assert main(["query", "rakor", "--db", str(path)]) == 2
    assert "damaged" in capsys.readouterr().err


def test_another_programs_duckdb_file_is_refused_and_left_untouched(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE invoices (n INTEGER)")
    con.close()
    with pytest.raises(StoreError, match="not Pantau's"):
        Store(path)
    assert main(["query", "rakor", "--db", str(path)]) == 2
    assert "not a Pantau database" in capsys.readouterr().err
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = {t for (t,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    finally:
        con.close()
    assert tables == {"invoices"}


def test_a_file_held_by_another_process_is_still_a_lock(tmp_path: Path) -> None:
    path = _pantau_db(tmp_path / "p.duckdb")
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(30)", str(path)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"held"
        with pytest.raises(StoreLockedError, match="another process holds it"):
            connect_readonly(path, lock_timeout_s=0.5)
    finally:
        holder.kill()
        holder.wait()


def test_a_checksum_error_mentioning_a_block_is_not_a_lock_conflict() -> None:
    from pipeline.store.connection import _is_lock_conflict, is_damage

    checksum = duckdb.IOException("IO Error: Corrupt database file: computed checksum 1 does not match stored "
                                  "checksum 2 in block at location 274432")
    held = duckdb.IOException('IO Error: Could not set lock on file "/x.duckdb": Conflicting lock is held in '
                              "python (PID 1). See also https://duckdb.org/docs/stable/connect/concurrency")
    assert not _is_lock_conflict(checksum) and is_damage(checksum)
    assert _is_lock_conflict(held) and not is_damage(held)
