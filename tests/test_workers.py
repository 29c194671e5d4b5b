"""Extraction and annotation on worker processes (issue 13, item 1).

The five sample outlets are crawled once over HTTP; copies of the crawled store are then processed with one
worker and with two, and every table that processing writes must hold the same rows. The pool itself is
checked on its own: order kept, a dead worker costs only its page.
"""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

import pytest

from pipeline.crawl import run_crawl
from pipeline.process import ingest_articles, process_pages
from pipeline.records import ExtractedArticle
from pipeline.settings import Paths
from pipeline.store import connect_readonly
from pipeline.workers import ENV_WORKERS, WorkerPool, default_workers

# What processing writes, without the columns that record when (updated_at, created_at ...).
COMPARED = {
    "raw_pages": "SELECT page_id, extracted_with, extract_status, extract_failures FROM raw_pages",
    "articles": ("SELECT article_id, canonical_url, url, title, text, published, content_hash, duplicate_of, "
                 "relevant, annotator_version, minhash FROM articles"),
    "article_aliases": "SELECT * FROM article_aliases",
    "officials": "SELECT * FROM officials",
    "region_mentions": "SELECT * FROM region_mentions",
    "event_mentions": "SELECT * FROM event_mentions",
    "events": ("SELECT event_id, type, date, organizer, organizer_region, venue, venue_region, online, "
               "participant_regions FROM events"),
    "event_articles": "SELECT * FROM event_articles",
}


@pytest.fixture(scope="module")
def crawled(sample_sites, tmp_path_factory) -> Paths:  # type: ignore[no-untyped-def]
    _, registry = sample_sites
    paths = Paths.under(tmp_path_factory.mktemp("crawled"))
    run_crawl(paths, [registry], fast=True)
    return paths


def _copy(paths: Paths, target: Path) -> Paths:
    copy = Paths.under(target)
    shutil.copytree(paths.raw, copy.raw)
    shutil.copy2(paths.db, copy.db)
    return copy


def _tables(paths: Paths) -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    con = connect_readonly(paths.db)
    try:
        return {name: sorted(con.execute(sql).fetchall(), key=repr) for name, sql in COMPARED.items()}
    finally:
        con.close()


def test_two_workers_store_exactly_what_one_worker_stores(crawled: Paths, tmp_path: Path) -> None:
    one, two = _copy(crawled, tmp_path / "one"), _copy(crawled, tmp_path / "two")
    by_one = process_pages(one, workers=1)
    by_two = process_pages(two, workers=2)
    assert by_one.pages == by_two.pages > 30
    assert (by_one.articles, by_one.duplicates, by_one.relevant, by_one.events) == \
        (by_two.articles, by_two.duplicates, by_two.relevant, by_two.events)
    assert by_one.relevant > 0 and by_one.events > 0
    tables_one, tables_two = _tables(one), _tables(two)
    for name in COMPARED:
        assert tables_one[name] == tables_two[name], name


def test_ingest_on_two_workers_matches_one(tmp_path: Path) -> None:
    text = ("Bawaslu Kabupaten Buol menggelar rapat koordinasi netralitas ASN pada Senin, 16 September 2024, "
            "di aula kantor bupati. Ketua Bawaslu Buol, Moh. Nasir, meminta ASN menjaga netralitas. ")
    articles = [ExtractedArticle(article_id=f"a{i}", canonical_url=f"https://buol.example/{i}",
                                 url=f"https://buol.example/{i}", source_id="buol", title=f"Rakor netralitas {i}",
                                 text=text * (1 + i % 3) + f"Berita nomor {i}.", published="2024-09-16",
                                 published_source="meta", author=None, lang="id")
                for i in range(12)]
    one, two = Paths.under(tmp_path / "one"), Paths.under(tmp_path / "two")
    by_one, by_two = ingest_articles(one, articles, workers=1), ingest_articles(two, articles, workers=2)
    assert (by_one.articles, by_one.duplicates, by_one.relevant) == (by_two.articles, by_two.duplicates,
                                                                     by_two.relevant)
    assert by_one.articles == by_one.relevant == 12 and by_one.duplicates > 0
    assert _tables(one) == _tables(two)


def _square(value: int) -> int:
    return value * value


def _die_on_seven(value: int) -> int:
    if value == 7:
        os.kill(os.getpid(), signal.SIGKILL)
    return value


def _died(value: int) -> int:
    return -value


def test_the_pool_keeps_the_order_of_its_inputs() -> None:
    with WorkerPool(2) as pool:
        assert list(pool.map(_square, range(200))) == [i * i for i in range(200)]


def test_a_worker_killed_by_one_item_costs_only_that_item() -> None:
    with WorkerPool(2) as pool:
        results = list(pool.map(_die_on_seven, range(40), on_death=_died))
    assert results == [-7 if i == 7 else i for i in range(40)]


def test_the_number_of_workers_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_WORKERS, "3")
    assert default_workers() == 3
    monkeypatch.setenv(ENV_WORKERS, "none")
    with pytest.raises(ValueError, match=ENV_WORKERS):
        default_workers()
    monkeypatch.delenv(ENV_WORKERS)
    assert default_workers() >= 1
