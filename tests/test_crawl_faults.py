"""The crawler against an outlet that fails in every common way: the run finishes and records each failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from faulty_site import FaultySite
from pipeline.crawl import CrawlSummary, run_crawl
from pipeline.settings import Paths
from pipeline.store import connect_readonly


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Paths, CrawlSummary, CrawlSummary, FaultySite]:
    data = tmp_path_factory.mktemp("faulty")
    with FaultySite(hang_s=6) as site:
        registry = data / "registry.yaml"
        registry.write_text(site.registry_yaml(), encoding="utf-8")
        paths = Paths.under(data)
        first = run_crawl(paths, [registry], fast=True, timeout_s=2, max_size=1024 * 1024)
        second = run_crawl(paths, [registry], fast=True, timeout_s=2, max_size=1024 * 1024)
        return paths, first, second, site


def _errors(paths: Paths) -> dict[str, list[str]]:
    con = connect_readonly(paths.db)
    try:
        rows = con.execute("SELECT url, coalesce(error, '') FROM fetches WHERE error IS NOT NULL").fetchall()
    finally:
        con.close()
    found: dict[str, list[str]] = {}
    for url, error in rows:
        found.setdefault(url.rsplit("/", 1)[-1], []).append(error)
    return found


def test_the_crawl_finishes_and_stores_the_healthy_articles(crawled) -> None:  # type: ignore[no-untyped-def]
    paths, first, _, _ = crawled
    assert first.exit_code == 0
    assert first.pages_stored == 5  # three healthy articles, the charset liar and the broken markup
    con = connect_readonly(paths.db)
    try:
        urls = {r[0] for r in con.execute("SELECT url FROM raw_pages").fetchall()}
    finally:
        con.close()
    assert {u.rsplit("-", 1)[-1] for u in urls} == {"1", "2", "3", "berbohong", "valid"}
    for relative in (paths.raw / "faulty").rglob("*.html.gz"):
        assert relative.stat().st_size > 0


def test_every_failure_is_recorded_with_its_kind(crawled) -> None:  # type: ignore[no-untyped-def]
    errors = _errors(crawled[0])
    assert any(e == "HTTP 500" for e in errors["halaman-error-server"])
    assert any(e.startswith("timeout") for e in errors["halaman-yang-lambat-sekali"])
    assert any(e.startswith("oversize") for e in errors["halaman-sangat-besar-sekali"])
    assert any("redirect" in e for e in errors["redirect-loop-tanpa-akhir"])
    assert any("not HTML" in e for e in errors["berkas-pdf-bukan-html"])
    assert any("refused" in e for e in errors["di-luar"]), "the off-site redirect to localhost is not followed"
    assert any("left the outlet" in e for e in errors["di-tempat-lain"]), "a redirect to another domain is refused"
    assert any(e.startswith(("connection lost", "error")) for e in errors["koneksi-diputus-tiba-tiba"])
    assert any("oversize" in e or "cancel" in e or "max size" in e.lower() for e in errors["bom-gzip-raksasa"])


def test_lying_charsets_and_broken_markup_still_give_articles(crawled) -> None:  # type: ignore[no-untyped-def]
    from pipeline.process import process_pages

    paths = crawled[0]
    summary = process_pages(paths)
    assert summary.failed == 0
    con = connect_readonly(paths.db)
    try:
        texts = dict(con.execute("SELECT url, text FROM articles").fetchall())
    finally:
        con.close()
    liar = next(t for u, t in texts.items() if u.endswith("charset-berbohong"))
    assert "“terima kasih”" in liar and "café" in liar
    assert any(u.endswith("html-rusak-tidak-valid") for u in texts)


def test_robots_txt_is_obeyed(crawled) -> None:  # type: ignore[no-untyped-def]
    paths, _, _, site = crawled
    assert not any(path.startswith("/private/") for path in site.hits)
    assert any("robots.txt" in e for e in _errors(paths)["rahasia-tidak-boleh-diambil"])


def test_a_second_crawl_refetches_no_stored_page(crawled) -> None:  # type: ignore[no-untyped-def]
    _, _, second, site = crawled
    assert second.pages_stored == 0
    for n in (1, 2, 3):
        assert site.hits[f"/berita/2024/09/17/artikel-sehat-nomor-{n}"] == 1


def test_a_dead_outlet_does_not_stop_the_others(tmp_path: Path) -> None:
    with FaultySite() as site:
        registry = tmp_path / "registry.yaml"
        registry.write_text(
            site.registry_yaml("alive") + "  - id: dead\n    name: Dead Outlet\n    home: http://127.0.0.1:9/\n"
            "    regions: ['61']\n    rate: {delay_s: 0, concurrency: 1}\n",
            encoding="utf-8",
        )
        summary = run_crawl(Paths.under(tmp_path), [registry], ["alive", "dead"], fast=True, timeout_s=2)
    assert summary.outlets["alive"].pages_stored >= 3
    assert summary.outlets["dead"].pages_stored == 0
    assert summary.outlets["dead"].failures >= 1
    assert any("refused" in e for e in summary.outlets["dead"].errors)


def test_a_malformed_registry_fails_before_crawling(tmp_path: Path) -> None:
    from pipeline.registry import RegistryError

    registry = tmp_path / "bad.yaml"
    registry.write_text("sources:\n  - id: xx\n    name: X\n    home: nope\n    regions: ['61']\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"(?s)bad.yaml.*field 'home'"):
        run_crawl(Paths.under(tmp_path), [registry], fast=True)
    assert not (tmp_path / "pantau.duckdb").exists()


def test_a_running_crawls_spool_is_not_taken_by_another(tmp_path: Path) -> None:
    from pipeline.crawl import _abandoned, _claim

    spool = tmp_path / "crawl-1.jsonl"
    spool.write_text("", encoding="utf-8")
    with _claim(spool):
        assert not _abandoned(spool)
    assert _abandoned(spool)
