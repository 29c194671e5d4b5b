"""The incremental full-text index (``pipeline.store.search``): in step with the store, crash-safe, filtered.

Articles are constructed here and saved through the real ``Store``; the index is the one the daily run keeps.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from pipeline import query
from pipeline.records import Annotation, EventMention, ExtractedArticle, RegionMention
from pipeline.store import Store
from pipeline.store import search as search_index
from pipeline.store.search import search_articles, search_index_dir, update_search_index
from pipeline.store.snapshot import publish_snapshot

MEMPAWAH = RegionMention("61.02", "Kabupaten Mempawah", "Mempawah", 0, 8)
POSO = RegionMention("72.02", "Kabupaten Poso", "Poso", 0, 4)


def _article(n: int, title: str, text: str, published: str | None = "2024-09-17") -> ExtractedArticle:
    url = f"https://contoh.example/berita/{n}"
    return ExtractedArticle(article_id=f"a{n:04d}", canonical_url=url, url=url, source_id="contoh", title=title,
                            text=text, published=published, published_source="meta", author=None, lang="id")


def _annotation(article: ExtractedArticle, regions: tuple[RegionMention, ...] = (),
                events: tuple[str, ...] = (), version: str = "t1") -> Annotation:
    mentions = tuple(EventMention(kind, None, None, None, None, None, None, None) for kind in events)
    return Annotation(url=article.url, title=article.title, published_date=article.published, lang="id",
                      relevant=bool(events), regions=regions, events=mentions, annotator_version=version,
                      article_id=article.article_id)


def _save(db: Path, *items: tuple[ExtractedArticle, Annotation]) -> None:
    with Store(db) as store:
        store.save_articles([(a, annotation, None, None) for a, annotation in items])


def _filler(start: int, count: int) -> list[tuple[ExtractedArticle, Annotation]]:
    out = []
    for n in range(start, start + count):
        a = _article(n, f"Berita harian {n}", f"Warga kota menikmati cuaca cerah pada hari ke {n} bulan ini.")
        out.append((a, _annotation(a)))
    return out


def _update(db: Path) -> int:
    with Store(db) as store:
        return update_search_index(store)


def _ids(db: Path, words: str, **filters: object) -> list[str]:
    return [hit["article_id"] for hit in search_articles(db, words, limit=100, **filters)]  # type: ignore[arg-type]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "pantau.duckdb"
    rakor = _article(1, "Bawaslu Mempawah gelar rakor netralitas",
                     "Rakor netralitas ASN menjelang Pemilú digelar di Mempawah. Netralitas dijaga.",
                     "2024-09-17")
    sosialisasi = _article(2, "Sosialisasi pengawasan di Poso",
                           "Bawaslu Poso sosialisasi pengawasan partisipatif menjelang pemilihan.", "2024-10-02")
    undated = _article(3, "Catatan netralitas", "Netralitas kepala desa dibahas.", None)
    _save(path, (rakor, _annotation(rakor, (MEMPAWAH,), ("rakor",))),
          (sosialisasi, _annotation(sosialisasi, (POSO,), ("sosialisasi",))),
          (undated, _annotation(undated)))
    assert _update(path) == 3
    return path


def test_a_second_update_indexes_only_what_is_new_or_changed(db: Path) -> None:
    assert _update(db) == 0
    _save(db, *_filler(100, 3))
    assert _update(db) == 3
    assert _update(db) == 0
    # Re-annotating one article changes its state: exactly that one is indexed again, with its new regions.
    with Store(db) as store:
        [(title, text)] = store.query("SELECT title, text FROM articles WHERE article_id = 'a0101'")
        article = _article(101, title, text)
        store.replace_annotation("a0101", _annotation(article, (POSO,), ("rakor",), version="t2"))
        assert update_search_index(store) == 1
    assert _ids(db, "cuaca", region="Kabupaten Poso") == ["a0101"]
    assert len(_ids(db, "cuaca")) == 3


def test_re_extracted_article_is_indexed_in_its_new_words(db: Path) -> None:
    changed = _article(2, "Sosialisasi pengawasan di Poso", "Kini teksnya tentang kampanye hitam.", "2024-10-02")
    _save(db, (changed, _annotation(changed, (POSO,), ("sosialisasi",))))
    assert _update(db) == 1
    assert _ids(db, "kampanye") == ["a0002"]
    assert _ids(db, "partisipatif") == []


def test_a_crash_after_the_store_commit_is_mended_by_the_next_update(db: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _save(db, *_filler(200, 4))  # the store committed; the run dies before the index does

    def die(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt("killed mid-indexing")

    with Store(db) as store:
        monkeypatch.setattr(search_index, "_document", die)
        with pytest.raises(KeyboardInterrupt):
            update_search_index(store)
        monkeypatch.undo()
    assert _ids(db, "cuaca") == []  # nothing of the killed update is visible
    assert _update(db) == 4
    assert len(_ids(db, "cuaca")) == 4


def test_a_crash_after_the_index_commit_re_adds_without_duplicates(db: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _save(db, *_filler(300, 2))

    def die(*args: object) -> None:
        raise KeyboardInterrupt("killed between the index commit and the markers")

    with Store(db) as store:
        monkeypatch.setattr(search_index, "_record", die)
        with pytest.raises(KeyboardInterrupt):
            update_search_index(store)
        monkeypatch.undo()
    assert sorted(_ids(db, "cuaca")) == ["a0300", "a0301"]  # the index committed them...
    assert _update(db) == 2  # ...the store did not record it, so they are indexed again
    assert sorted(_ids(db, "cuaca")) == ["a0300", "a0301"]  # once each
    assert _update(db) == 0


def test_filters_by_date_region_and_event_type(db: Path) -> None:
    everything = ["a0001", "a0002", "a0003"]
    assert sorted(_ids(db, "netralitas pengawasan")) == everything
    assert _ids(db, "netralitas pengawasan", date_from=dt.date(2024, 10, 1)) == ["a0002"]
    assert _ids(db, "netralitas pengawasan", date_to=dt.date(2024, 9, 30)) == ["a0001"]
    assert _ids(db, "netralitas pengawasan", date_from=dt.date(2024, 9, 17), date_to=dt.date(2024, 9, 17)) == ["a0001"]
    assert _ids(db, "netralitas pengawasan", region="Kabupaten Mempawah") == ["a0001"]
    assert _ids(db, "netralitas pengawasan", region="Kalbar") == ["a0001"]  # a place inside the province
    assert _ids(db, "netralitas pengawasan", region="Sulteng") == ["a0002"]
    assert _ids(db, "netralitas pengawasan", event_type="rakor") == ["a0001"]
    assert _ids(db, "netralitas pengawasan", event_type="sosialisasi") == ["a0002"]
    assert _ids(db, "netralitas pengawasan", event_type="rakor", region="Sulteng") == []
    with pytest.raises(query.QueryError, match="unknown region"):
        search_articles(db, "netralitas", region="Atlantis Raya")


def test_accents_and_case_are_folded(db: Path) -> None:
    assert _ids(db, "pemilu") == ["a0001"]  # stored as "Pemilú"
    assert _ids(db, "PEMILÚ") == ["a0001"]
    assert _ids(db, "RaKoR") == ["a0001"]


def test_the_article_saying_the_word_more_often_ranks_first(tmp_path: Path) -> None:
    path = tmp_path / "pantau.duckdb"
    once = _article(1, "Kabar desa", "Warga desa berkumpul. Pengawasan dibahas sekali saja di balai warga.")
    thrice = _article(2, "Kabar desa", "Warga desa berkumpul. Pengawasan, pengawasan, dan pengawasan di balai.")
    _save(path, (once, _annotation(once)), (thrice, _annotation(thrice)), *_filler(10, 5))
    _update(path)
    hits = search_articles(path, "pengawasan")
    assert [h["article_id"] for h in hits] == ["a0002", "a0001"]
    assert hits[0]["score"] > hits[1]["score"] > 0
    assert set(hits[0]) >= {"score", "published", "title", "url", "article_id"}
    assert hits[0]["url"] == "https://contoh.example/berita/2" and hits[0]["published"] == "2024-09-17"


def test_a_deleted_or_damaged_index_is_rebuilt_from_the_store(db: Path, caplog: pytest.LogCaptureFixture) -> None:
    shutil.rmtree(search_index_dir(db))
    with pytest.raises(query.QueryError, match="no search index yet"):
        search_articles(db, "netralitas")
    with caplog.at_level("WARNING", logger="pipeline.store.search"):
        assert _update(db) == 3
    assert "rebuilding" in caplog.text
    assert sorted(_ids(db, "netralitas pengawasan")) == ["a0001", "a0002", "a0003"]
    (search_index_dir(db) / "meta.json").write_text("{ not json", encoding="utf-8")  # damaged
    assert _update(db) == 3
    assert sorted(_ids(db, "netralitas pengawasan")) == ["a0001", "a0002", "a0003"]


def test_search_reads_a_published_snapshot_that_later_runs_leave_alone(db: Path) -> None:
    snapshot = publish_snapshot(db)
    assert _ids(snapshot, "netralitas", event_type="rakor") == ["a0001"]
    _save(db, *_filler(400, 2))
    assert _update(db) == 2
    assert _ids(snapshot, "cuaca") == []  # the snapshot is the state it was published in
    assert len(_ids(db, "cuaca")) == 2
    newer = publish_snapshot(db)
    assert len(_ids(newer, "cuaca")) == 2


def test_blank_words_and_a_missing_index_give_clear_errors(tmp_path: Path, db: Path) -> None:
    for blank in ("", "   "):
        with pytest.raises(query.QueryError, match="needs some words"):
            search_articles(db, blank)
    assert search_articles(db, "'); --") == []  # punctuation only: no words to find
    with pytest.raises(query.QueryError, match="no search index yet"):
        search_articles(tmp_path / "other.duckdb", "netralitas")


def test_query_search_keeps_its_columns_and_gains_the_filters(db: Path) -> None:
    rows = query.search(db, "netralitas", limit=5, region="Kalbar")
    assert [r["url"] for r in rows] == ["https://contoh.example/berita/1"]
    assert list(rows[0])[:4] == list(query.SEARCH_COLUMNS)
