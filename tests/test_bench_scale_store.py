"""The bench's generated large store: built in batches under a small memory cap, shaped like a processed year."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pipeline.bench.scale_store import build_store
from pipeline.nlp.annotator import annotator_version
from pipeline.process import count_pending_pages
from pipeline.query import rakor_events
from pipeline.store import Store

ARTICLES = 3_000


@pytest.fixture(scope="module")
def scale_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scale") / "scale.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PANTAU_DB_MEMORY_LIMIT", "64MB")
        figures = build_store(path, ARTICLES, batch=1_000)
    assert figures["rows_articles"] == ARTICLES
    return path


def _one(store: Store, sql: str) -> object:
    return store.query(sql)[0][0]


def test_counts_and_proportions(scale_db: Path) -> None:
    with Store(scale_db) as store:
        relevant = ARTICLES // 50
        assert _one(store, "SELECT count(*) FROM raw_pages") == ARTICLES
        assert _one(store, "SELECT count(*) FROM article_aliases") == ARTICLES
        assert _one(store, "SELECT count(*) FROM region_mentions") == ARTICLES * 10
        assert _one(store, "SELECT count(*) FROM articles WHERE relevant") == relevant
        assert _one(store, "SELECT count(*) FROM event_mentions") == relevant
        assert _one(store, "SELECT count(*) FROM event_articles") == relevant
        assert _one(store, "SELECT count(*) FROM events") == relevant // 3
        assert _one(store, "SELECT count(*) FROM official_mentions") == 2 * relevant
        assert _one(store, "SELECT count(*) FROM event_mention_vectors") == relevant
        assert _one(store, "SELECT count(DISTINCT source_id) FROM articles") > 400
        assert _one(store, "SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'scale%'") == 0
        assert _one(store, "SELECT max(published_date) - min(published_date) FROM articles") >= 360
        # every event's reports are of one type, published within a day of each other
        assert _one(store, "SELECT max(n) FROM (SELECT count(DISTINCT m.type) AS n FROM event_articles ea "
                           "JOIN event_mentions m USING (mention_id) GROUP BY ea.event_id)") == 1


def test_texts_are_news_length_and_distinct(scale_db: Path) -> None:
    with Store(scale_db) as store:
        mean, distinct_hashes, distinct_texts = store.query(
            "SELECT avg(length(text)), count(DISTINCT content_hash), count(DISTINCT text) FROM articles")[0]
        assert 2_500 < mean < 3_600
        assert distinct_hashes == distinct_texts == ARTICLES
        assert "Bawaslu" in _one(store, "SELECT text FROM articles WHERE relevant LIMIT 1")
        signatures = [row[0] for row in store.query("SELECT minhash FROM articles")]
    assert len(set(signatures)) == ARTICLES
    values = np.frombuffer(signatures[0], dtype="<u8")
    assert values.shape == (128,) and int(values.max()) < 2**32 and len(set(values.tolist())) > 100


def test_nothing_would_be_processed_again(scale_db: Path) -> None:
    with Store(scale_db) as store:
        assert count_pending_pages(store) == 0
        assert store.query("SELECT count(*) FROM articles WHERE annotator_version IS DISTINCT FROM ?",
                           [annotator_version()])[0][0] == 0


def test_rakor_query_answers(scale_db: Path) -> None:
    rows = rakor_events(scale_db)
    assert rows and all(len(row["articles"]) == 3 for row in rows)


def test_resolution_keeps_the_stored_events(scale_db: Path, tmp_path: Path) -> None:
    """Resolving the stored mentions again finds the same events: the generated reports agree as real ones do."""
    import shutil

    from pipeline.resolve import resolve_events

    copy = tmp_path / "copy.duckdb"
    shutil.copy(scale_db, copy)
    with Store(copy) as store:
        assert resolve_events(store) == ARTICLES // 50 // 3
