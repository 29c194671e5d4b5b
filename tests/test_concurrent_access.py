"""An analyst's read-only connection and the daily write: they take turns, nothing breaks.

DuckDB allows one writing process or many reading ones. The writer waits (with
backoff, bounded) for a reader to close; a reader waits for the writer; a
writer that waits too long fails with a message naming the cause.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pipeline.process import ProcessSummary, ingest_articles
from pipeline.records import ExtractedArticle
from pipeline.settings import Paths
from pipeline.store import StoreLockedError, connect_readonly
from pipeline.urls import stable_id

READER = textwrap.dedent("""
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    print(con.execute("SELECT count(*) FROM articles").fetchone()[0], flush=True)
    time.sleep(float(sys.argv[2]))
""")


def _article(n: int) -> ExtractedArticle:
    url = f"https://contoh.example/berita/{n}"
    return ExtractedArticle(stable_id(url), url, url, None, f"Judul {n}",
                            f"Bawaslu Kabupaten Sambas menggelar rapat koordinasi netralitas ASN ke-{n}, "
                            "Selasa (17/9/2024).", "2024-09-18", "input", None, "id")


def _hold(db: Path, seconds: float) -> subprocess.Popen[str]:
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db), str(seconds)], stdout=subprocess.PIPE,
                              text=True)
    assert reader.stdout is not None
    reader.stdout.readline()  # the analyst's connection is open
    return reader


def test_the_daily_write_waits_for_an_analyst_to_close(tmp_path: Path) -> None:
    paths = Paths.under(tmp_path)
    ingest_articles(paths, [_article(1)])
    reader = _hold(paths.db, 2.0)
    try:
        started = time.monotonic()
        summary: ProcessSummary = ingest_articles(paths, [_article(2)], lock_timeout_s=60)
        waited = time.monotonic() - started
    finally:
        reader.wait()
    assert summary.articles == 1 and waited > 1.0
    con = connect_readonly(paths.db)
    try:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 2  # type: ignore[index]
    finally:
        con.close()


def test_a_reader_held_too_long_gives_a_clear_error_and_loses_nothing(tmp_path: Path) -> None:
    paths = Paths.under(tmp_path)
    ingest_articles(paths, [_article(1)])
    reader = _hold(paths.db, 30.0)
    try:
        with pytest.raises(StoreLockedError, match=r"another process holds it.*Close the other connection"):
            ingest_articles(paths, [_article(2)], lock_timeout_s=1.5)
    finally:
        reader.kill()
        reader.wait()
    assert ingest_articles(paths, [_article(2)]).articles == 1  # the rerun does it
