"""Conditional GET: a daily crawl does not download unchanged feeds, sitemaps and listing pages again.

Real crawls (``run_crawl``, Scrapy in a subprocess) against ``conditional_site`` on 127.0.0.1, which
answers 304 to a matching If-None-Match / If-Modified-Since and counts every full download.
"""

from __future__ import annotations

from pathlib import Path

from conditional_site import INDEXES, ConditionalSite

from pipeline.crawl import run_crawl
from pipeline.settings import Paths
from pipeline.store import connect_readonly


def _rows(paths: Paths, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    con = connect_readonly(paths.db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _setup(tmp_path: Path, site: ConditionalSite) -> tuple[Paths, Path]:
    registry = tmp_path / "registry.yaml"
    registry.write_text(site.registry_yaml(), encoding="utf-8")
    return Paths.under(tmp_path / "data"), registry


def test_unchanged_indexes_are_not_downloaded_again(tmp_path: Path) -> None:
    with ConditionalSite() as site:
        paths, registry = _setup(tmp_path, site)
        first = run_crawl(paths, [registry], fast=True)
        assert first.exit_code == 0 and first.pages_stored == 4, first
        assert {p: site.full[p] for p in INDEXES} == dict.fromkeys(INDEXES, 1)
        validators = dict(_rows(paths, "SELECT url, coalesce(etag, '') || '|' || coalesce(last_modified, '') "
                                       "FROM http_validators"))
        assert validators[f"{site.base}/feed/"] == '"feed-1"|'
        assert validators[f"{site.base}/sitemap-berita.xml"].startswith('"sitemap-1"|') and "GMT" in \
            validators[f"{site.base}/sitemap-berita.xml"]
        assert validators[f"{site.base}/"].startswith("|") and validators[f"{site.base}/kategori/politik"]

        second = run_crawl(paths, [registry], fast=True)
        assert second.exit_code == 0 and second.pages_stored == 0
        # Nothing changed: every index answered 304, none was downloaded a second time.
        assert {p: site.full[p] for p in INDEXES} == dict.fromkeys(INDEXES, 1)
        assert {p: site.not_modified[p] for p in INDEXES} == dict.fromkeys(INDEXES, 1)
        statuses = _rows(paths, f"SELECT status, count(*) FROM fetches WHERE crawl_id = '{second.crawl_id}' "
                                "AND url NOT LIKE '%robots.txt' GROUP BY 1")
        assert statuses == [(304, len(INDEXES))]

        # A new story changes the feed and the section page; the sitemaps stay unchanged.
        site.publish("/berita/2024/09/19/sosialisasi-netralitas-mempawah")
        third = run_crawl(paths, [registry], fast=True)
        assert third.pages_stored == 1
        assert site.full["/feed/"] == 2 and site.full["/kategori/politik"] == 2
        assert site.full["/sitemap-berita.xml"] == 1 and site.full["/"] == 1
        # The feed is named only on the home page, which answered 304: it was requested as a known index.
        assert _rows(paths, "SELECT etag FROM http_validators WHERE url LIKE '%/feed/'") == [('"feed-2"',)]
        assert _rows(paths, "SELECT count(*) FROM raw_pages WHERE url LIKE '%sosialisasi-netralitas-mempawah'") \
            == [(1,)]


def test_a_crawl_stopped_at_its_page_limit_forgets_its_validators(tmp_path: Path) -> None:
    with ConditionalSite() as site:
        paths, registry = _setup(tmp_path, site)
        capped = run_crawl(paths, [registry], fast=True, max_pages=2)
        assert capped.pages_stored == 2
        assert _rows(paths, "SELECT count(*) FROM http_validators") == [(0,)]
        rest = run_crawl(paths, [registry], fast=True)
        # Downloaded in full again, so the links the capped crawl left behind are followed.
        assert rest.pages_stored == 2 and site.full["/sitemap-berita.xml"] == 2 and not site.not_modified
        assert _rows(paths, "SELECT count(*) FROM http_validators") == [(len(INDEXES),)]
