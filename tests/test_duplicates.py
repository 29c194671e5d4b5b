"""Duplicate detection against the store: the same links as the in-memory index, by index probes only."""

from __future__ import annotations

import hashlib
import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from pipeline.duplicates import DuplicateFinder
from pipeline.extract.dedup import DuplicateIndex, band_keys, text_signature
from pipeline.records import ExtractedArticle
from pipeline.store import Store
from pipeline.store.writer import ProcessedPage
from pipeline.urls import canonical_url, stable_id

_rng = random.Random(13)
VOCAB = ["".join(_rng.choice("bcdgjklmnprstw") + _rng.choice("aiueo") for _ in range(_rng.randint(2, 4)))
         for _ in range(400)]


def story(seed: int, words: int = 120) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(VOCAB) for _ in range(words))


def near_copy(text: str, seed: int, changed: int = 2, dateline: str = "KOTA, LAIN.COM -") -> str:
    """The same story with a few words changed and another dateline: shingle Jaccard around 0.8."""
    rng = random.Random(seed)
    words = text.split()
    for _ in range(changed):
        words[rng.randrange(len(words))] = rng.choice(VOCAB)
    return f"{dateline} " + " ".join(words)


def art(url: str, text: str, published: str | None, canonical: str | None = None) -> ExtractedArticle:
    canonical = canonical or canonical_url(url)
    return ExtractedArticle(
        article_id=stable_id(canonical), canonical_url=canonical, url=url, source_id="s", title="t", text=text,
        published=published, published_source="input", author=None, lang="id",
        content_hash=hashlib.sha1(" ".join(text.lower().split()).encode()).hexdigest(), extractor_version="x",
    )


def _save(store: Store, items: list[tuple[ExtractedArticle, str | None]]) -> None:
    pages = []
    for article, original in items:
        signature = text_signature(article.text)
        pages.append(ProcessedPage(f"page-{article.article_id}", "ok", "x", article, None, original,
                                   signature.tobytes() if signature is not None else None))
    store.save_processed_pages(pages)


def _old_seeded_index(store: Store, window_days: int = 30) -> DuplicateIndex:
    """The finder before the store kept keys: every original loaded, signatures of the window."""
    index = DuplicateIndex()
    rows = store.query(
        "WITH newest AS (SELECT max(published_date) AS day FROM articles) "
        "SELECT a.article_id, a.url, a.canonical_url, a.content_hash, "
        "CASE WHEN a.published_date >= newest.day - ? THEN a.minhash END "
        "FROM articles a, newest WHERE a.duplicate_of IS NULL", [window_days])
    for article_id, url, canonical, content_hash, signature in rows:
        index.seed(article_id, [url, canonical], content_hash or "",
                   np.frombuffer(signature, dtype=np.uint64) if signature else None)
    return index


def fixture() -> tuple[list[ExtractedArticle], list[list[ExtractedArticle]]]:
    """Stored articles, then three batches: aliases, copies and near-copies of stored and new stories."""
    stored = [art(f"https://www.kabar{i}.id/berita/{i}", story(i), f"2024-09-{i + 10:02d}") for i in range(10)]
    old = art("https://kabar.id/lama", story(100), "2024-06-01")  # outside the 30-day window
    undated = art("https://kabar.id/tanpa-tanggal", story(101), None)
    stored += [old, undated]
    n1 = art("https://baru.id/n1", story(200), "2024-09-25")
    n_old = art("https://baru.id/arsip", story(201), "2024-05-01")  # an old story fed in this run
    near_n1 = art("https://lain.id/n1-salinan", near_copy(n1.text, 1), "2024-09-25")
    batch1 = [
        n1,
        near_n1,  # near-copy within the batch
        art("https://lain.id/s1", near_copy(stored[1].text, 2), "2024-09-26"),  # near-copy of a stored one
        art("https://lain.id/old", near_copy(old.text, 3), "2024-09-26"),  # its original is out of the window
        art("https://lain.id/undated", near_copy(undated.text, 4), "2024-09-26"),  # undated: never seeded
        art("https://salin.id/s2", stored[2].text, "2024-09-26"),  # verbatim copy of a stored one
        # Another URL of stored[3] (mobile host, tracking parameter) naming another canonical URL.
        art("https://m.kabar3.id/berita/3?utm_source=wa", stored[3].text + " tambahan", "2024-09-26",
            canonical="https://kabar3.id/berita/3-amp-lain"),
        art(stored[4].url, stored[4].text, stored[4].published),  # the very same page again
        n_old,
        art("https://beda.id/1", story(300), "2024-09-27"),
    ]
    copy_of_copy = near_n1.text + " Penulis: Redaksi"  # near the copy and, as much, near the first
    batch2 = [
        art("https://lain2.id/n1", copy_of_copy, "2024-09-28"),  # a copy of a copy: points at the first
        art("https://lain2.id/arsip", near_copy(n_old.text, 6), "2024-09-28"),  # in-run original, old date
        art("https://m.lain.id/n1-salinan?fbclid=1", near_n1.text + " x", "2024-09-28",
            canonical="https://lain.id/n1-salinan-kanonik"),  # another URL of a duplicate: its original
        art("https://beda.id/2", story(301), "2024-09-28"),
        art("https://lain.id/jauh", near_copy(stored[5].text, 7, changed=30), "2024-09-28"),  # too different
    ]
    batch3 = [
        art("https://lain3.id/n1", copy_of_copy, "2024-09-29"),  # the text of a duplicate: still the first
        art("https://lain3.id/beda2", near_copy(batch2[3].text, 8), "2024-09-29"),  # across batches
        art("https://lain3.id/beda2-lagi", near_copy(batch2[3].text, 9), "2024-09-29"),
        art("https://beda.id/3", story(302), "2024-09-30"),
    ]
    return stored, [batch1, batch2, batch3]


def test_the_store_backed_finder_links_exactly_as_the_in_memory_index(tmp_path: Path) -> None:
    stored, batches = fixture()
    with Store(tmp_path / "d.duckdb") as store:
        _save(store, [(a, None) for a in stored])
        old = _old_seeded_index(store)
        finder = DuplicateFinder(store)
        reasons = []
        for batch in batches:
            expected = []
            for article in batch:
                match = old.add(article, text_signature(article.text))
                reasons.append(match.reason if match else None)
                expected.append(match.duplicate_of if match and match.duplicate_of != article.article_id else None)
            found = finder.check_many([(a, text_signature(a.text)) for a in batch])
            assert found == expected
            _save(store, list(zip(batch, found, strict=True)))
    # The fixture exercises every rule, within a batch and across batches.
    assert {"url_alias", "content_hash", "near_duplicate"} <= set(reasons)
    assert sum(r is not None for r in reasons) >= 9
    assert found[:3] == [batches[0][0].article_id, batches[1][3].article_id, batches[1][3].article_id]  # batch 3


def test_a_chain_of_copies_points_at_the_first_and_out_of_window_originals_are_not_candidates(tmp_path: Path) -> None:
    stored, (b1, b2, _) = fixture()
    with Store(tmp_path / "d.duckdb") as store:
        _save(store, [(a, None) for a in stored])
        finder = DuplicateFinder(store)
        found1 = finder.check_many([(a, text_signature(a.text)) for a in b1])
        _save(store, list(zip(b1, found1, strict=True)))
        found2 = finder.check_many([(a, text_signature(a.text)) for a in b2])
    n1, old_copy, undated_copy = b1[0], b1[3], b1[4]
    assert found1[1] == n1.article_id and found1[2] == stored[1].article_id
    assert found1[3] is None and found1[4] is None, (old_copy.url, undated_copy.url)
    assert found1[5] == stored[2].article_id and found1[6] == stored[3].article_id
    assert found1[7] is None  # the same page again is not its own copy
    assert found2[0] == n1.article_id and found2[1] == b1[8].article_id and found2[2] == n1.article_id


def test_a_resaved_article_that_became_a_copy_leaves_no_keys(tmp_path: Path) -> None:
    stored, _ = fixture()
    with Store(tmp_path / "d.duckdb") as store:
        _save(store, [(a, None) for a in stored[:3]])
        target = stored[2].article_id
        assert store.query("SELECT count(*) FROM minhash_bands WHERE article_id = ?", [target]) == [(32,)]
        _save(store, [(stored[2], stored[1].article_id)])
        assert store.query("SELECT count(*) FROM minhash_bands WHERE article_id = ?", [target]) == [(0,)]
        assert store.query("SELECT count(*) FROM duplicate_content_keys WHERE article_id = ?", [target]) == [(0,)]
        edited = replace(stored[1], text=story(999), content_hash="edited")
        _save(store, [(edited, None)])
        keys = {k for (k,) in store.query("SELECT band_key FROM minhash_bands WHERE article_id = ?",
                                         [edited.article_id])}
        assert keys == set(band_keys(text_signature(edited.text)))  # type: ignore[arg-type]
        assert store.query("SELECT content_hash FROM duplicate_content_keys WHERE article_id = ?",
                           [edited.article_id]) == [("edited",)]


def test_every_archive_wide_lookup_is_an_index_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """DuckDB probes the ART index only for literal IN lists: a join or unnest would scan the whole table.
    The band keys are the exception: a join over one window of originals (see the pruning test)."""
    stored, batches = fixture()
    with Store(tmp_path / "d.duckdb") as store:
        _save(store, [(a, None) for a in stored] + [(a, None) for a in batches[0]])
        finder = DuplicateFinder(store)
        seen: list[tuple[str, list[object]]] = []
        real = finder._query
        monkeypatch.setattr(finder, "_query", lambda sql, params: seen.append((sql, list(params))) or real(sql, params))
        finder.check_many([(a, text_signature(a.text)) for a in batches[1]])
        tables = set()
        for sql, params in seen:
            if "minhash_bands" in sql:
                continue
            plan = store.query("EXPLAIN ANALYZE " + sql, params)[0][1]
            assert "Index Scan" in plan and "Sequential Scan" not in plan, sql
            tables.add(sql.split(" FROM ")[1].split()[0])
    assert tables == {"article_aliases", "duplicate_url_keys", "duplicate_content_keys", "articles"}
    assert any("minhash_bands" in sql for sql, _ in seen)


def _v9_store(path: Path, monkeypatch: pytest.MonkeyPatch, articles: int) -> None:
    """A store at schema version 9 (before the duplicate keys) holding ``articles`` articles."""
    import pipeline.store.writer as writer
    from pipeline.store.rows import insert_select

    with monkeypatch.context() as m:
        m.setattr(writer, "MIGRATIONS", writer.MIGRATIONS[:9])
        m.setattr(writer, "LATEST_VERSION", 9)
        with Store(path) as store:
            rng = np.random.default_rng(9)
            rows = []
            for i in range(articles):
                duplicate_of = f"a{i - 1:05d}" if i % 10 == 9 else None
                day = None if i % 50 == 0 else f"2024-{5 + (i % 5):02d}-{1 + i % 28:02d}"  # May to September
                signature = rng.integers(0, 2**32, size=128, dtype=np.uint64).tobytes() if i % 7 else None
                rows.append((f"a{i:05d}", f"http://kabar.id/{i}", f"https://www.kabar.id/{i}?utm_source=x",
                             f"h{i // 2:05d}", duplicate_of, day, signature))
            insert_select(store.con, "INSERT INTO articles (article_id, canonical_url, url, content_hash, "
                          "duplicate_of, published_date, minhash)", rows,
                          ("VARCHAR",) * 5 + ("DATE", "BLOB"))


def _key_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with Store(path) as store:
        return {table: store.query(f"SELECT * FROM {table} ORDER BY ALL")
                for table in ("duplicate_url_keys", "duplicate_content_keys", "minhash_bands")}


def test_migration_fills_the_keys_in_batches_under_a_small_memory_cap_and_resumes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    import pipeline.store.writer as writer
    from pipeline.store.duplicate_keys import fill_duplicate_keys

    monkeypatch.setenv("PANTAU_DB_MEMORY_LIMIT", "64MB")
    whole, killed = tmp_path / "whole.duckdb", tmp_path / "killed.duckdb"
    _v9_store(whole, monkeypatch, 2_500)
    shutil.copy(whole, killed)
    at = next(i for i, m in enumerate(writer.MIGRATIONS) if m.fill is fill_duplicate_keys)
    keys_migration = writer.MIGRATIONS[at]
    assert keys_migration.version > 9
    small = replace(keys_migration, fill_batch=300)
    monkeypatch.setattr(writer, "MIGRATIONS", (*writer.MIGRATIONS[:at], small, *writer.MIGRATIONS[at + 1:]))

    reference = _key_rows(whole)
    # Independent expectations: both URLs of every article canonicalise to one key (2,500 keys); one text
    # hash per pair of articles, kept for originals; 32 bands per original with a signature dated within
    # 30 days of the newest date (2024-09-28: every September row).
    assert len(reference["duplicate_url_keys"]) == 2_500
    originals = [i for i in range(2_500) if i % 10 != 9]
    assert len(reference["duplicate_content_keys"]) == len({i // 2 for i in originals})
    in_window = [i for i in originals if i % 7 and i % 50 and i % 5 == 4]
    assert len(reference["minhash_bands"]) == 32 * len(in_window) > 0

    calls = 0

    def dies_on_the_third_batch(con, position, batch):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 3:
            raise KeyboardInterrupt  # killed mid-fill
        return fill_duplicate_keys(con, position, batch)

    monkeypatch.setattr(writer, "MIGRATIONS", (*writer.MIGRATIONS[:at], replace(small, fill=dies_on_the_third_batch),
                                               *writer.MIGRATIONS[at + 1:]))
    with pytest.raises(KeyboardInterrupt):
        Store(killed)
    monkeypatch.setattr(writer, "MIGRATIONS", (*writer.MIGRATIONS[:at], small, *writer.MIGRATIONS[at + 1:]))
    with Store(killed) as store:  # the rerun finishes the fill from its last batch
        assert store.schema_version() == writer.LATEST_VERSION
        assert store.query("SELECT count(*) FROM migration_progress") == [(0,)]
    assert _key_rows(killed) == reference  # nothing twice, nothing missing
    assert _key_rows(killed) == reference  # and opening it again adds nothing


def test_band_keys_hold_one_window_of_originals_whatever_the_archive(tmp_path: Path) -> None:
    """The band table is joined whole by every lookup: each finder start prunes it to the near-duplicate window
    (originals published within 30 days of the newest article), so its size follows the daily volume."""
    stored, _ = fixture()
    with Store(tmp_path / "d.duckdb") as store:
        _save(store, [(a, None) for a in stored])
        before = {a for (a,) in store.query("SELECT DISTINCT article_id FROM minhash_bands")}
        DuplicateFinder(store)
        after = {a for (a,) in store.query("SELECT DISTINCT article_id FROM minhash_bands")}
        dates = dict(store.query("SELECT article_id, published_date FROM articles"))
    newest = max(d for d in dates.values() if d is not None)
    assert before - after == {a for a in before if dates[a] is None or (newest - dates[a]).days > 30} != set()
    assert all(dates[a] is not None and (newest - dates[a]).days <= 30 for a in after) and after
