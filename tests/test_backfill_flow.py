"""The backfill flow for real: Prefect (one test harness) driving a local Dask cluster of 2 worker processes.

- a 2-worker backfill of WARC files (the sample outlets' pages among other hosts, revisits, 404s, images and
  a truncated record, plus a file with a broken gzip member) stores what ``pantau ingest`` of the same pages
  stores, and answers the rakor question the same way;
- the broken file is reported and the others are loaded;
- a rerun builds no shard, loads nothing and changes no row; a shard loaded by older versions is loaded again;
- a worker killed mid-task (SIGKILL) has its task run again, and the result is complete.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from backfill_archives import REGISTRY, corrupt_after, write_archives

from pipeline.backfill.archive_writer import noise, write_warc

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def prefect_harness() -> Iterator[str]:
    """One Prefect test server for this module (its start needs more than the default 30 s on 2 cores)."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield str(PREFECT_API_URL.value())


def _backfill(files: list[Path], db: Path, shards: Path, workers: int = 2, **kwargs: Any) -> Any:
    from flows.backfill import run_backfill

    return run_backfill([str(f) for f in files], str(db), str(shards), [str(REGISTRY)], workers=workers,
                        dashboard=None, **kwargs)


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# A crawl dates a page in its outlet's timezone, ingest in WIB: the same instant. A page with no date of its
# own gets the archive's (published_source 'warc'), which ingest cannot know.
ARTICLES = ("SELECT article_id, canonical_url, title, text, duplicate_of, relevant, CASE WHEN published_source = "
            "'warc' THEN NULL ELSE CAST(published AS TIMESTAMPTZ) END FROM articles ORDER BY article_id")
MENTIONS = ("SELECT mention_id, type, date, organizer, organizer_region, venue, venue_region, participant_regions "
            "FROM event_mentions ORDER BY mention_id")
EVERYTHING = {
    "articles": "SELECT * FROM articles ORDER BY article_id",
    "raw_pages": "SELECT * FROM raw_pages ORDER BY page_id",
    "event_mentions": "SELECT * FROM event_mentions ORDER BY mention_id",
    "events": "SELECT * FROM events ORDER BY event_id",
    "backfill_shards": "SELECT * FROM backfill_shards ORDER BY shard_id",
}


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], Path, Path]:
    folder = tmp_path_factory.mktemp("warc")
    files, jsonl = write_archives(folder)
    broken = folder / "broken.warc.gz"
    offsets = write_warc(broken, noise(3))
    corrupt_after(broken, offsets[1])
    return files, broken, jsonl


@pytest.fixture(scope="module")
def first_run(prefect_harness: str, archives: tuple[list[Path], Path, Path],
              tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Any]:
    files, broken, _ = archives
    work = tmp_path_factory.mktemp("backfill")
    db, shards = work / "pantau.duckdb", work / "shards"
    return db, shards, _backfill([*files, broken], db, shards)


@pytest.fixture(scope="module")
def ingested(archives: tuple[list[Path], Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pipeline.cli import main

    db = tmp_path_factory.mktemp("ingest") / "pantau.duckdb"
    assert main(["ingest", "--input", str(archives[2]), "--db", str(db)]) == 0
    return db


def test_backfill_equals_ingest_of_the_same_pages(first_run: tuple[Path, Path, Any], ingested: Path) -> None:
    db, _, summary = first_run
    assert _rows(db, ARTICLES) == _rows(ingested, ARTICLES)
    assert _rows(db, MENTIONS) == _rows(ingested, MENTIONS)
    assert summary.load.new_articles == len(_rows(ingested, ARTICLES)) > 30
    warc_dated = _rows(db, "SELECT article_id FROM articles WHERE published_source = 'warc' ORDER BY 1")
    assert warc_dated == _rows(ingested, "SELECT article_id FROM articles WHERE published IS NULL ORDER BY 1")

    from pipeline.query import rakor_events

    ours, theirs = rakor_events(db, None, None), rakor_events(ingested, None, None)
    assert ours == theirs and len(ours) >= 3


def test_only_outlet_pages_are_kept_and_skips_are_counted(first_run: tuple[Path, Path, Any]) -> None:
    db, _, summary = first_run
    outlets = {row[0] for row in _rows(db, "SELECT DISTINCT source_id FROM articles")}
    assert outlets == {"exposetimur", "tribunpontianak", "bawaslubuol", "kaltengnetwork", "mediavers"}
    assert not _rows(db, "SELECT url FROM raw_pages WHERE url NOT LIKE 'http://127.0.0.1:870_/%' "
                         "OR url LIKE '%/terpotong/%' OR url LIKE '%.jpg' OR url LIKE '%/tidak-ada-%'")
    # per outlet file: a 404, an image, 2 revisits, 1 other host, 1 truncated record
    assert summary.skipped["HTTP 404"] == 5 and summary.skipped["not HTML"] == 5
    assert summary.skipped["other host"] == 5 + 1 and summary.skipped["revisit"] == 10
    assert summary.skipped["truncated or corrupt body"] == 5
    assert summary.line().startswith(f"backfill: {summary.records} records read, {summary.articles} articles stored")


def test_raw_html_stays_in_the_archive(first_run: tuple[Path, Path, Any]) -> None:
    from pipeline.backfill.warc import read_pages

    db, _, _ = first_run
    rows = _rows(db, "SELECT url, path, extract_status FROM raw_pages WHERE extract_status = 'ok' LIMIT 3")
    for url, path, _status in rows:
        assert path.startswith("warc:")
        warc_file, offset = path[len("warc:"):].rsplit("@", 1)
        page = next(read_pages(Path(warc_file), frozenset({"127.0.0.1:8701", "127.0.0.1:8702", "127.0.0.1:8703",
                                                           "127.0.0.1:8704", "127.0.0.1:8705"}), int(offset)))
        assert page.url == url and b"<html" in page.body.lower()


def test_broken_file_is_reported_and_the_others_loaded(first_run: tuple[Path, Path, Any],
                                                       archives: tuple[list[Path], Path, Path]) -> None:
    _, _, summary = first_run
    assert len(summary.broken) == 1 and summary.broken[0].startswith(str(archives[1].resolve()))
    assert "Gzip" in summary.broken[0] or "gzip" in summary.broken[0]
    assert summary.load.shards_loaded == summary.shards == len(archives[0]) + 1


def test_rerun_changes_nothing(first_run: tuple[Path, Path, Any], archives: tuple[list[Path], Path, Path]) -> None:
    db, shards, _ = first_run
    before = {table: _rows(db, sql) for table, sql in EVERYTHING.items()}
    again = _backfill([*archives[0], archives[1]], db, shards)
    assert again.shards_reused == again.shards and again.load.shards_loaded == 0
    assert again.load.events is None and again.load.new_articles == 0
    assert {table: _rows(db, sql) for table, sql in EVERYTHING.items()} == before


def test_shard_loaded_by_older_versions_is_loaded_again(first_run: tuple[Path, Path, Any],
                                                        archives: tuple[list[Path], Path, Path]) -> None:
    """After an extractor or annotator change, a rerun replaces what the older versions stored."""
    db, shards, _ = first_run
    before = _rows(db, ARTICLES), _rows(db, MENTIONS)
    con = duckdb.connect(str(db))
    try:
        # the outlet whose shard holds a syndicated copy: the duplicate link must survive the reload
        (stale,) = con.execute("SELECT shard_id FROM backfill_shards WHERE warc_file LIKE '%mediavers.warc.gz'"
                               ).fetchone() or (None,)
        con.execute("UPDATE backfill_shards SET extractor_version = 'older' WHERE shard_id = ?", [stale])
    finally:
        con.close()
    again = _backfill([*archives[0], archives[1]], db, shards)
    assert again.load.shards_loaded == 1 and again.load.events is not None
    assert _rows(db, f"SELECT extractor_version FROM backfill_shards WHERE shard_id = '{stale}'") != [("older",)]
    assert (_rows(db, ARTICLES), _rows(db, MENTIONS)) == before
    assert _rows(db, "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL AND source_id = 'mediavers'") != [(0,)]


def test_killed_worker_is_retried(prefect_harness: str, archives: tuple[list[Path], Path, Path],
                                  first_run: tuple[Path, Path, Any], tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.backfill import CRASH_ONCE_ENV

    monkeypatch.setenv(CRASH_ONCE_ENV, str(tmp_path))  # the first task kills its worker process
    files = archives[0][:2]
    # files cut into ~50 KB ranges: the ranges together give what whole files gave
    summary = _backfill(files, tmp_path / "pantau.duckdb", tmp_path / "shards", split_bytes=50_000)
    assert (tmp_path / "crashed").exists()
    assert not summary.broken and summary.load.shards_loaded == summary.shards > 2
    stored = _rows(tmp_path / "pantau.duckdb", "SELECT article_id FROM articles ORDER BY 1")
    expected = _rows(first_run[0], "SELECT article_id FROM articles WHERE source_id IN ('exposetimur', "
                                   "'tribunpontianak') ORDER BY 1")
    assert stored == expected and stored
    manifests = [json.loads(p.read_text()) for p in (tmp_path / "shards").glob("*/manifest.json")]
    assert len(manifests) == summary.shards and sum(m["articles"] for m in manifests) == len(stored)


def test_pantau_backfill_command(prefect_harness: str, archives: tuple[list[Path], Path, Path], tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    """The contract's command: a glob, 2 workers, the summary line last; the rakor answer from what it stored."""
    from pipeline.cli import main

    db = tmp_path / "pantau.duckdb"
    pattern = str(archives[0][0].parent / "bawaslu*.warc.gz")
    args = ["backfill", "--warc", pattern, "--db", str(db), "--workers", "2", "--registry", str(REGISTRY)]
    assert main(args) == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith("backfill: ") and " records read, " in line and " articles stored (" in line
    assert (tmp_path / "pantau.duckdb.shards").is_dir()
    assert main(["query", "rakor", "--db", str(db), "--format", "json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer and all(url.startswith("http://127.0.0.1:8703/") for event in answer for url in event["articles"])
