"""The DuckDB store: migrations, idempotent upserts, one writer, read-only readers."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from pipeline.records import (
    Annotation,
    EventMention,
    ExtractedArticle,
    Fetch,
    Official,
    RawPage,
    RegionMention,
)
from pipeline.store import Store, StoreLockedError, connect_readonly
from pipeline.store.schema import LATEST_VERSION
from pipeline.urls import stable_id

URL = "https://pontianak.tribunnews.com/2024/11/18/pj-bupati-mempawah-hadiri-rakor"


def _article() -> ExtractedArticle:
    return ExtractedArticle(
        article_id=stable_id(URL), canonical_url=URL, url=URL + "?utm_source=wa", source_id="tribunpontianak",
        title="Pj Bupati Mempawah Hadiri Rakor", text="Isi berita.", published="2024-11-18T10:00:00+07:00",
        published_source="json-ld", author="Ramadhan", lang="id", content_hash="h1", extractor_version="x1",
    )


def _annotation() -> Annotation:
    return Annotation(
        url=URL, title="t", published_date="2024-11-18", lang="id", relevant=True,
        officials=(Official("Ismail", "Pj Bupati", "Kabupaten Mempawah", "61.02", "Pemerintah Kabupaten Mempawah"),),
        regions=(RegionMention("61.02", "Kabupaten Mempawah", "Mempawah", 0, 8),
                 RegionMention("61", "Provinsi Kalimantan Barat", "Kalbar", 20, 26)),
        events=(EventMention("rakor", "2024-11-18", "Senin 18 November 2024", "Bawaslu Provinsi Kalimantan Barat",
                             "Provinsi Kalimantan Barat", "Hotel Golden Tulip Pontianak", "Kota Pontianak", False,
                             ("Kabupaten Mempawah",)),),
        annotator_version="a1",
    )


def _counts(db: Path) -> dict[str, int]:
    con = connect_readonly(db)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
                for t in ("articles", "article_aliases", "official_mentions", "region_mentions", "event_mentions",
                          "raw_pages", "fetches")}
    finally:
        con.close()


def test_empty_file_migrates_to_latest(tmp_path: Path) -> None:
    from pipeline.store.schema import MIGRATIONS

    db = tmp_path / "new.duckdb"
    with Store(db) as store:
        assert store.schema_version() == LATEST_VERSION
        tables = {r[0] for r in store.query("SELECT table_name FROM information_schema.tables")}
    assert {"sources", "fetches", "raw_pages", "articles", "official_mentions", "region_mentions", "events",
            "event_articles", "schema_version"} <= tables
    with Store(db) as store:  # reopening applies nothing twice
        assert store.query("SELECT count(*) FROM schema_version")[0][0] == len(MIGRATIONS)


def test_an_existing_empty_duckdb_file_is_migrated(tmp_path: Path) -> None:
    db = tmp_path / "plain.duckdb"
    duckdb.connect(str(db)).close()
    with Store(db) as store:
        assert store.schema_version() == LATEST_VERSION


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "future.duckdb"
    with Store(db) as store:
        store.con.execute("INSERT INTO schema_version VALUES (999, 'from the future', now())")
    with pytest.raises(Exception, match="newer than this Pantau"):
        Store(db)


def test_reloading_the_same_records_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "p.duckdb"
    page = RawPage("p1", "tribunpontianak", URL, URL, "2024-11-18T03:00:00", 200, "text/html", "t/p1.html.gz",
                   "abc", 100, "sitemap")
    fetch = Fetch("f1", "c1", "tribunpontianak", URL, 200, None, 12.5, "2024-11-18T03:00:00", 100, "text/html", "p1")
    for _ in range(3):
        with Store(db) as store:
            store.record_fetches([fetch])
            store.upsert_raw_pages([page])
            store.save_processed_page("p1", "ok", "x1", _article(), _annotation())
    counts = _counts(db)
    assert counts == {"articles": 1, "article_aliases": 2, "official_mentions": 1, "region_mentions": 2,
                      "event_mentions": 1, "raw_pages": 1, "fetches": 1}


def test_reannotation_replaces_rather_than_adds(tmp_path: Path) -> None:
    db = tmp_path / "p.duckdb"
    with Store(db) as store:
        store.upsert_article(_article())
        store.replace_annotation(_article().article_id, _annotation())
        fewer = Annotation(url=URL, title="t", published_date=None, lang="id", relevant=False, annotator_version="a2")
        store.replace_annotation(_article().article_id, fewer)
        assert store.query("SELECT relevant, annotator_version FROM articles") == [(False, "a2")]
    assert _counts(db)["region_mentions"] == 0


def test_a_failed_transaction_leaves_nothing_half_written(tmp_path: Path) -> None:
    db = tmp_path / "p.duckdb"
    with Store(db) as store:
        store.upsert_article(_article())
        broken = Annotation(url=URL, title="t", published_date=None, lang="id", relevant=True,
                            regions=(RegionMention("61", "Provinsi Kalimantan Barat", "Kalbar", 0, 6),),
                            events=(EventMention("rakor", "not-a-date", None, None, None, None, None, None),),
                            annotator_version="bad")
        with pytest.raises(duckdb.Error):
            store.replace_annotation(_article().article_id, broken)
        assert store.query("SELECT annotator_version FROM articles") == [(None,)]
    assert _counts(db)["region_mentions"] == 0


HOLD_DB = textwrap.dedent("""
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])
    print("holding", flush=True)
    time.sleep(float(sys.argv[2]))
""")


def test_a_locked_database_gives_a_clear_error_after_bounded_retries(tmp_path: Path) -> None:
    db = tmp_path / "locked.duckdb"
    Store(db).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_DB, str(db), "30"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with pytest.raises(StoreLockedError, match="another process holds it"):
            Store(db, lock_timeout_s=1.0)
    finally:
        holder.kill()
        holder.wait()


def test_the_writer_waits_for_a_lock_that_is_released(tmp_path: Path) -> None:
    db = tmp_path / "busy.duckdb"
    Store(db).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_DB, str(db), "1.5"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with Store(db, lock_timeout_s=20.0) as store:
            assert store.schema_version() == LATEST_VERSION
    finally:
        holder.kill()
        holder.wait()


def test_readers_are_read_only(tmp_path: Path) -> None:
    db = tmp_path / "p.duckdb"
    Store(db).close()
    con = connect_readonly(db)
    try:
        with pytest.raises(duckdb.Error):
            con.execute("DELETE FROM articles")
    finally:
        con.close()


def test_reading_a_missing_database_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="no database at"):
        connect_readonly(tmp_path / "nothing.duckdb")


def test_an_old_database_is_migrated_forward_without_losing_rows(tmp_path: Path) -> None:
    from pipeline.store.schema import MIGRATIONS

    db = tmp_path / "v1.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)")
    for statement in MIGRATIONS[0].statements:
        con.execute(statement)
    con.execute("INSERT INTO schema_version VALUES (1, 'v1', now())")
    con.execute("INSERT INTO officials VALUES ('o1', 'a1', 'Ismail', 'Pj Bupati', 'Kabupaten Mempawah', '61.02', "
                "'Pemerintah Kabupaten Mempawah', 'v')")
    con.close()
    with Store(db) as store:
        assert store.schema_version() == LATEST_VERSION
        assert store.query("SELECT name FROM official_mentions") == [("Ismail",)]


def test_saving_input_articles_in_a_batch_keeps_the_last_copy_of_each(tmp_path: Path) -> None:
    db = tmp_path / "batch.duckdb"
    older = Annotation(url=URL, title="t", published_date=None, lang="id", relevant=False, annotator_version="a1")
    with Store(db) as store:
        store.save_articles([(_article(), older, None, None), (_article(), _annotation(), None, b"sig")])
        assert store.query("SELECT relevant, annotator_version, minhash FROM articles") == [(True, "a1", b"sig")]
        store.save_articles([])
    assert _counts(db)["region_mentions"] == 2


def test_evidence_offsets_are_stored_with_each_mention(tmp_path: Path) -> None:
    text = "Pj Bupati Mempawah Ismail memimpin rakor netralitas ASN di Pontianak."
    name_at, rakor_at = text.index("Ismail"), text.index("rakor")
    annotation = Annotation(
        url=URL, title="t", published_date="2024-11-18", lang="id", relevant=True,
        officials=(Official("Ismail", "Pj Bupati", "Kabupaten Mempawah", "61.02", None, "Pj Bupati Ismail",
                            name_at, name_at + 6),),
        events=(EventMention("rakor", None, None, None, None, None, None, None, evidence=text,
                             evidence_start=0, evidence_end=len(text), trigger_start=rakor_at,
                             trigger_end=rakor_at + 5),
                EventMention("apel", None, None, None, None, None, None, None)),  # offsets unknown
        annotator_version="a1",
    )
    with Store(tmp_path / "o.duckdb") as store:
        store.upsert_article(_article())
        store.replace_annotation(_article().article_id, annotation)
        assert store.query("SELECT name, name_start, name_end FROM official_mentions") == [
            ("Ismail", name_at, name_at + 6)]
        rows = store.query("SELECT type, evidence_start, evidence_end, trigger_start, trigger_end "
                           "FROM event_mentions ORDER BY type")
    assert rows == [("apel", None, None, None, None), ("rakor", 0, len(text), rakor_at, rakor_at + 5)]
    assert text[rows[1][3]:rows[1][4]] == "rakor"


def test_the_evidence_view_cuts_the_words_from_the_stored_text(tmp_path: Path) -> None:
    text = "“Bupati Mempawah Ismail memimpin rakor netralitas ASN.”\n\nSementara itu, apel digelar."  # “ ” count as one
    article = replace(_article(), text=text)
    ismail, rakor = text.index("Ismail"), text.index("rakor")
    annotation = Annotation(
        url=URL, title="t", published_date=None, lang="id", relevant=True,
        officials=(Official("Ismail", "Bupati", None, None, None, "Bupati Mempawah Ismail", ismail, ismail + 6),),
        events=(EventMention("rakor", None, None, None, None, None, None, None, evidence="x",
                             evidence_start=0, evidence_end=text.index("\n"), trigger_start=rakor, trigger_end=rakor + 5),
                EventMention("apel", None, None, None, None, None, None, None, evidence="x",
                             evidence_start=text.index("Sementara"), evidence_end=len(text))),
        annotator_version="a1",
    )
    with Store(tmp_path / "v.duckdb") as store:
        store.upsert_article(article)
        store.replace_annotation(article.article_id, annotation)
        rows = store.query("SELECT kind, value, words FROM mention_evidence ORDER BY kind, value")
    assert rows == [("event", "apel", "Sementara itu, apel digelar."), ("event", "rakor", "rakor"),
                    ("official", "Ismail", "Ismail")]


def test_rows_stored_before_the_offsets_migration_keep_null_offsets(tmp_path: Path) -> None:
    from pipeline.store.schema import MIGRATIONS

    db = tmp_path / "v5.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)")
    for migration in MIGRATIONS:
        if migration.version <= 5:
            for statement in migration.statements:
                con.execute(statement)
            con.execute("INSERT INTO schema_version VALUES (?, ?, now())", [migration.version, migration.description])
    con.execute("INSERT INTO official_mentions VALUES ('o1', 'a1', 'Ismail', 'Pj Bupati', 'Kabupaten Mempawah', "
                "'61.02', 'Pemerintah Kabupaten Mempawah', 'v')")
    con.execute("INSERT INTO event_mentions (mention_id, article_id, type, evidence) VALUES ('m1', 'a1', 'rakor', 'x')")
    con.close()
    with Store(db) as store:
        assert store.schema_version() == LATEST_VERSION
        assert store.query("SELECT name, name_start, name_end FROM official_mentions") == [("Ismail", None, None)]
        assert store.query("SELECT evidence, evidence_start, trigger_end FROM event_mentions") == [("x", None, None)]
