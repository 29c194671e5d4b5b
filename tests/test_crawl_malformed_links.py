"""A malformed link on a page is skipped and recorded; the outlet's other links, feeds and sitemaps
are still followed (issue 12, item 3)."""

from __future__ import annotations

from pathlib import Path

from route_site import RouteSite, article

from crawlers.discovery import feeds_from_html, links_from_html, netloc, sitemaps_from_robots
from pipeline.crawl import run_crawl
from pipeline.settings import Paths
from pipeline.store import connect_readonly

BAD_HREFS = ("http://[::1", "http://127.0.0.1:99999/berita/2024/09/17/port-terlalu-besar",
             "https://[oops/berita/a-b-c")


def test_bad_links_are_skipped_and_reported_not_raised() -> None:
    page = ("<html><head><link rel='alternate' type='application/rss+xml' href='http://[::1/feed'>"
            "<link rel='alternate' type='application/rss+xml' href='/feed/'></head><body>"
            + "".join(f"<a href='{href}'>x</a>" for href in BAD_HREFS)
            + "<a href='/berita/2024/09/17/rakor-netralitas-asn'>ok</a></body></html>")
    rejected: list[str] = []
    assert links_from_html(page, "http://example.id/", rejected) == [
        "http://example.id/berita/2024/09/17/rakor-netralitas-asn"]
    assert rejected == list(BAD_HREFS)
    assert feeds_from_html(page, "http://example.id/") == ["http://example.id/feed/"]
    assert netloc("http://127.0.0.1:99999/") == ""
    robots = b"User-agent: *\nSitemap: http://[::1/sitemap.xml\nSitemap: /sitemap.xml\n"
    assert sitemaps_from_robots(robots, "http://example.id/robots.txt") == ["http://example.id/sitemap.xml"]


def test_an_outlet_with_a_malformed_link_still_yields_its_articles(tmp_path: Path) -> None:
    home = ("<html><body>" + "".join(f"<a href='{href}'>x</a>" for href in BAD_HREFS)
            + "<a href='/berita/2024/09/17/rakor-dari-beranda'>beranda</a></body></html>")
    sitemap = ("<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
               "<url><loc>http://[::1/berita/2024/09/17/rusak</loc></url>"
               "<url><loc>{base}/berita/2024/09/17/rakor-dari-sitemap</loc></url></urlset>")
    routes: dict[str, tuple[int, str, bytes | str]] = {
        "/": (200, "text/html; charset=utf-8", home),
        "/robots.txt": (200, "text/plain", "User-agent: *\nAllow: /\nSitemap: /sitemap.xml\n"),
        "/berita/2024/09/17/rakor-dari-beranda": (200, "text/html; charset=utf-8", article("Rakor beranda")),
        "/berita/2024/09/17/rakor-dari-sitemap": (200, "text/html; charset=utf-8", article("Rakor sitemap")),
    }
    with RouteSite(routes) as site:
        routes["/sitemap.xml"] = (200, "application/xml", sitemap.format(base=site.base))
        registry = tmp_path / "registry.yaml"
        registry.write_text(site.registry_yaml(), encoding="utf-8")
        paths = Paths.under(tmp_path / "data")
        summary = run_crawl(paths, [registry], fast=True, timeout_s=5)
    assert summary.exit_code == 0
    con = connect_readonly(paths.db)
    try:
        stored = {url.rsplit("/", 1)[-1] for (url,) in con.execute("SELECT url FROM raw_pages").fetchall()}
        errors = " ".join(e for (e,) in con.execute("SELECT error FROM fetches WHERE error IS NOT NULL").fetchall())
    finally:
        con.close()
    assert stored == {"rakor-dari-beranda", "rakor-dari-sitemap"}
    assert "malformed link" in errors and "http://[::1" in errors


def test_a_robots_txt_over_the_size_cap_disallows_the_outlet(tmp_path: Path) -> None:
    """Scrapy treats an unreadable robots.txt as "no rules"; one padded past the cap must not lift them."""
    robots = "User-agent: *\nDisallow: /\n" + "# padding\n" * 200_000  # ~2 MB, over the 1 MB cap below
    routes: dict[str, tuple[int, str, bytes | str]] = {
        "/": (200, "text/html; charset=utf-8", "<a href='/berita/2024/09/17/rakor-asn'>x</a>"),
        "/robots.txt": (200, "text/plain", robots),
        "/berita/2024/09/17/rakor-asn": (200, "text/html; charset=utf-8", article("Rakor")),
    }
    with RouteSite(routes) as site:
        registry = tmp_path / "registry.yaml"
        registry.write_text(site.registry_yaml(), encoding="utf-8")
        paths = Paths.under(tmp_path / "data")
        run_crawl(paths, [registry], fast=True, timeout_s=5, max_size=1024 * 1024)
        hits = dict(site.hits)
    con = connect_readonly(paths.db)
    try:
        stored = con.execute("SELECT count(*) FROM raw_pages").fetchone()
        errors = " ".join(e for (e,) in con.execute("SELECT error FROM fetches WHERE error IS NOT NULL").fetchall())
    finally:
        con.close()
    assert stored == (0,)
    assert "/" not in hits and "/berita/2024/09/17/rakor-asn" not in hits, hits
    assert "robots.txt over the size cap" in errors
