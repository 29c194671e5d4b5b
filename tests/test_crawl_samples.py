"""The spider against the five sample outlets on 127.0.0.1, and the demo path end to end.

One crawl per test session (module fixture); the assertions read what it stored.
"""

from __future__ import annotations

import pytest

from pipeline.crawl import CrawlSummary, run_crawl
from pipeline.process import ProcessSummary, process_pages
from pipeline.query import rakor_events
from pipeline.settings import Paths
from pipeline.store import connect_readonly

SITES = ("exposetimur", "tribunpontianak", "bawaslubuol", "kaltengnetwork", "mediavers")


@pytest.fixture(scope="module")
def crawled(sample_sites, tmp_path_factory):  # type: ignore[no-untyped-def]
    _, registry = sample_sites
    paths = Paths.under(tmp_path_factory.mktemp("samples"))
    first = run_crawl(paths, [registry], fast=True)
    second = run_crawl(paths, [registry], fast=True)
    processed = process_pages(paths)
    return paths, first, second, processed


def _rows(paths: Paths, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    con = connect_readonly(paths.db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_every_outlet_yields_articles(crawled) -> None:  # type: ignore[no-untyped-def]
    first: CrawlSummary = crawled[1]
    assert first.exit_code == 0
    for site in SITES:
        assert first.outlets[site].pages_stored >= 5, first.outlets[site]


def test_feeds_and_sitemaps_are_discovered_when_the_registry_names_none(crawled) -> None:  # type: ignore[no-untyped-def]
    rows = _rows(crawled[0], "SELECT source_id, url FROM fetches WHERE status = 200 AND "
                             "(url LIKE '%sitemap%' OR url LIKE '%feed%')")
    found = {(source, url.rsplit("/", 2)[-2] + "/" + url.rsplit("/", 1)[-1]) for source, url in rows}
    for site in ("exposetimur", "kaltengnetwork"):  # their registry entries list no feed or sitemap
        assert [u for s, u in found if s == site], found
    # exposetimur's sitemap index is named only in robots.txt; its feed only in <link rel="alternate">.
    assert any(s == "exposetimur" and "sitemap_index" in u for s, u in found)
    assert any(s == "exposetimur" and "feed" in u for s, u in found)


def test_robots_disallowed_pages_are_never_fetched(crawled) -> None:  # type: ignore[no-untyped-def]
    paths = crawled[0]
    blocked = _rows(paths, "SELECT url FROM fetches WHERE error = 'blocked by robots.txt'")
    assert blocked, "the sample outlets link pages that their robots.txt disallows"
    stored = {r[0] for r in _rows(paths, "SELECT url FROM raw_pages")}
    assert not stored & {r[0] for r in blocked}
    fetched = _rows(paths, "SELECT count(*) FROM fetches WHERE status IS NOT NULL AND url IN "
                           "(SELECT url FROM fetches WHERE error = 'blocked by robots.txt')")
    assert fetched == [(0,)]


def test_a_second_crawl_fetches_nothing_new(crawled) -> None:  # type: ignore[no-untyped-def]
    paths, _, second = crawled[0], crawled[1], crawled[2]
    assert second.pages_stored == 0
    refetched = _rows(paths, "SELECT url, count(*) FROM fetches WHERE url IN (SELECT url FROM raw_pages) "
                             "AND status = 200 GROUP BY url HAVING count(*) > 1")
    assert refetched == []


def test_stored_tables_pass_data_checks(crawled) -> None:  # type: ignore[no-untyped-def]
    paths = crawled[0]
    for table, key in (("raw_pages", "page_id"), ("articles", "article_id"), ("fetches", "fetch_id"),
                       ("event_mentions", "mention_id"), ("events", "event_id")):
        assert _rows(paths, f"SELECT count(*) - count(DISTINCT {key}) FROM {table}") == [(0,)]
        assert _rows(paths, f"SELECT count(*) FROM {table} WHERE {key} IS NULL") == [(0,)]
    assert _rows(paths, "SELECT count(*) FROM articles WHERE text IS NULL OR length(text) < 200") == [(0,)]
    for path, in _rows(paths, "SELECT path FROM raw_pages"):
        assert (paths.raw / path).exists()


def test_listing_pages_are_not_articles(crawled) -> None:  # type: ignore[no-untyped-def]
    paths = crawled[0]
    urls = [r[0] for r in _rows(paths, "SELECT url FROM articles")]
    assert not [u for u in urls if u.rstrip("/").endswith(("/berita", "/category/berita", "/index-news"))]


def test_the_demo_answer_names_the_seed_regions(crawled) -> None:  # type: ignore[no-untyped-def]
    paths: Paths = crawled[0]
    processed: ProcessSummary = crawled[3]
    assert processed.articles >= 30 and processed.failed == 0
    answer = rakor_events(paths.db)
    named = {r for event in answer for r in [*event["participant_regions"], event["organizer_region"] or ""]}
    for region in ("Kabupaten Majene", "Kabupaten Buol", "Kabupaten Wajo", "Provinsi Kalimantan Tengah",
                   "Provinsi Kalimantan Barat", "Kabupaten Mempawah"):
        assert region in named, (region, named)
    national = [e for e in answer if e["date"] == "2024-09-17" and e["organizer_region"] == "Nasional"]
    assert len(national) == 1, "the Bawaslu RI rakornas reported by three outlets is one event"
    assert {"Kabupaten Majene", "Kabupaten Buol", "Kabupaten Wajo"} <= set(national[0]["participant_regions"])
    assert len(national[0]["articles"]) >= 3


def test_reprocessing_changes_nothing(crawled) -> None:  # type: ignore[no-untyped-def]
    paths: Paths = crawled[0]
    tables = ("articles", "official_mentions", "region_mentions", "event_mentions", "events", "event_articles")
    before = {t: _rows(paths, f"SELECT count(*) FROM {t}")[0][0] for t in tables}
    again = process_pages(paths)
    assert again.pages == 0
    assert {t: _rows(paths, f"SELECT count(*) FROM {t}")[0][0] for t in tables} == before


def test_the_cli_answers_in_json_and_refuses_bad_dates(crawled, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from pipeline.cli import main

    paths: Paths = crawled[0]
    assert main(["query", "rakor", "--db", str(paths.db), "--format", "json", "--from", "2024-09-01",
                 "--to", "2024-09-30"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all("2024-09-01" <= r["date"] <= "2024-09-30" for r in rows)
    assert main(["query", "rakor", "--db", str(paths.db), "--from", "2024-09-01'; DROP TABLE events; --"]) == 2
    assert "must be a date" in capsys.readouterr().err
    assert rakor_events(paths.db)  # still there
