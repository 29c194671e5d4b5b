"""Errors a user can fix print one line and exit with status 2, never a traceback (issue 12, item 12).

Runs the command line as a user does (``python -m pipeline.cli``), so a traceback or an error at exit shows.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.store import Store
from pipeline.store.search import update_search_index

REPO = Path(__file__).resolve().parent.parent


def _run(*args: str | bytes, stdout: int | None = subprocess.PIPE, timeout: float = 120
         ) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], cwd=REPO, env=env, stdout=stdout,
                          stderr=subprocess.PIPE, timeout=timeout, check=False)


def _one_line_error(result: subprocess.CompletedProcess[bytes]) -> str:
    err = result.stderr.decode("utf-8", "replace").strip()
    assert result.returncode == 2, err
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    assert err.startswith("error: "), err
    return err


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "p.duckdb"
    with Store(path) as store:
        update_search_index(store)
    return path


def test_a_folder_as_input(tmp_path: Path) -> None:
    assert "folder" in _one_line_error(_run("annotate", "--input", str(tmp_path), "--output",
                                            str(tmp_path / "o.jsonl")))
    assert "folder" in _one_line_error(_run("ingest", "--input", str(tmp_path), "--db", str(tmp_path / "x.duckdb")))


def test_a_full_disk_for_standard_output() -> None:
    with open("/dev/full", "wb") as full:
        result = _run("sources", "list", stdout=full.fileno())
    assert "No space left" in _one_line_error(result)


def test_a_full_device_as_output(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"url": "https://a.example/x", "text": "Rakor."}\n', encoding="utf-8")
    assert "not a regular file" in _one_line_error(_run("annotate", "--input", str(source), "--output", "/dev/full"))


def test_a_negative_limit(db: Path) -> None:
    for args in (("process", "--limit", "-1", "--db", str(db)), ("search", "rakor", "--limit", "-1", "--db", str(db))):
        result = _run(*args)
        err = result.stderr.decode()
        assert result.returncode == 2 and "Traceback" not in err and "not a positive number" in err, err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders; the check needs a plain user")
def test_a_read_only_output_folder(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o500)
    try:
        assert "Permission denied" in _one_line_error(_run("digest", "--week", "2024-W38", "--no-pdf", "--out",
                                                           str(out), "--db", str(db)))
    finally:
        out.chmod(0o700)


def test_an_output_folder_nobody_may_write(db: Path) -> None:
    """/proc refuses new folders even to root: the same path as a read-only --out."""
    _one_line_error(_run("digest", "--week", "2024-W38", "--no-pdf", "--out", "/proc/pantau-digest", "--db", str(db)))


def test_an_output_folder_that_is_a_file(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "a-file"
    out.write_text("x", encoding="utf-8")
    _one_line_error(_run("digest", "--week", "2024-W38", "--no-pdf", "--out", str(out / "sub"), "--db", str(db)))


def test_search_words_that_are_not_utf8(db: Path) -> None:
    assert "UTF-8" in _one_line_error(_run("search", b"rakor\xff\xfe", "--db", str(db)))


def test_db_may_come_before_the_region_name(db: Path) -> None:
    before = _run("query", "region", "--db", str(db), "Kabupaten Buol", "--format", "json")
    after = _run("query", "region", "Kabupaten Buol", "--db", str(db), "--format", "json")
    assert before.returncode == after.returncode == 0, before.stderr.decode()
    assert before.stdout == after.stdout
    assert _run("query", "rakor", "--db", str(db), "stray", "words").returncode == 2
