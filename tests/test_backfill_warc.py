"""Reading archives: which WARC records are outlet pages, the counts of the rest, broken and split files."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from backfill_archives import REGISTRY, base_url, corrupt_after, outlet_pages, truncate_last_record

from pipeline.backfill.archive_writer import noise, outlet_noise, write_warc
from pipeline.backfill.shards import outlets_by_host, plan_shards, warc_dated
from pipeline.backfill.warc import ReadCounts, WarcPage, host_of, read_pages
from pipeline.records import ExtractedArticle


@pytest.fixture(scope="module")
def hosts() -> frozenset[str]:
    return frozenset(outlets_by_host((str(REGISTRY),), None))


def test_keeps_outlet_html_200_and_counts_every_skip(tmp_path: Path, hosts: frozenset[str]) -> None:
    pages = outlet_pages("exposetimur")[:6]
    path = tmp_path / "a.warc.gz"
    write_warc(path, noise(2) + pages + outlet_noise(base_url("exposetimur")))
    counts = ReadCounts()
    kept = list(read_pages(path, hosts, counts=counts))
    assert [p.url for p in kept] == [p.url for p in pages]
    assert [p.body for p in kept] == [p.body for p in pages]
    assert all(p.warc_date == "2024-09-20T03:00:00Z" and p.content_type == "text/html" for p in kept)
    # one request record before every response or revisit
    assert counts.skipped == {"request": 4 + 6 + 3, "other host": 2, "revisit": 2 + 1, "HTTP 404": 1,
                              "not HTML": 1}
    assert counts.records == 13 + 13 and counts.kept == 6 and counts.error is None


def test_offsets_are_provenance(tmp_path: Path, hosts: frozenset[str]) -> None:
    pages = outlet_pages("mediavers")[:3]
    path = tmp_path / "b.warc"
    offsets = write_warc(path, pages, gzip=False)
    kept = list(read_pages(path, hosts))
    assert [p.offset for p in kept] == offsets
    # reading from a page's offset gives that page first: the archive holds the raw HTML
    assert next(read_pages(path, hosts, start=offsets[1])).url == pages[1].url


def test_truncated_record_is_skipped(tmp_path: Path, hosts: frozenset[str]) -> None:
    pages = outlet_pages("bawaslubuol")[:3]
    path = tmp_path / "c.warc.gz"
    write_warc(path, pages)
    truncate_last_record(path)
    counts = ReadCounts()
    kept = [p.url for p in read_pages(path, hosts, counts=counts)]
    assert kept == [p.url for p in pages[:2]]
    assert counts.skipped["truncated or corrupt body"] == 1 or counts.error


def test_broken_gzip_member_stops_the_file_and_says_why(tmp_path: Path, hosts: frozenset[str]) -> None:
    pages = outlet_pages("kaltengnetwork")[:5]
    path = tmp_path / "d.warc.gz"
    offsets = write_warc(path, pages)
    corrupt_after(path, offsets[3])
    counts = ReadCounts()
    kept = [p.url for p in read_pages(path, hosts, counts=counts)]
    assert kept == [p.url for p in pages[:3]]
    assert counts.error and "after" in counts.error


def test_ranges_cover_every_record_once(tmp_path: Path, hosts: frozenset[str]) -> None:
    pages = [p for site in ("exposetimur", "tribunpontianak") for p in outlet_pages(site)]
    path = tmp_path / "big.warc.gz"
    write_warc(path, pages)
    specs = plan_shards([path], split_bytes=path.stat().st_size // 5)
    assert len(specs) >= 4
    assert specs[0].start == 0 and specs[-1].end is None
    assert all(a.end == b.start for a, b in itertools.pairwise(specs))
    read = [p.url for s in specs for p in read_pages(path, hosts, s.start, s.end)]
    assert read == [p.url for p in pages]
    assert len({s.shard_id for s in specs}) == len(specs)
    assert plan_shards([path], split_bytes=path.stat().st_size // 5) == specs  # stable ids for a rerun


def test_hosts_compare_without_www_and_default_port() -> None:
    assert host_of("https://WWW.Tribunnews.com:443/x") == "tribunnews.com"
    assert host_of("http://127.0.0.1:8701/a") == "127.0.0.1:8701"


def test_domains_file_adds_hosts(tmp_path: Path) -> None:
    domains = tmp_path / "domains.txt"
    domains.write_text("# extra outlets\nwww.Example-News.com\n", encoding="utf-8")
    hosts = outlets_by_host((str(REGISTRY),), str(domains))
    assert "example-news.com" in hosts and hosts["127.0.0.1:8701"].source_id == "exposetimur"
    counts = ReadCounts()
    path = tmp_path / "e.warc.gz"
    write_warc(path, noise(1))
    assert [p.host for p in read_pages(path, frozenset(hosts), counts=counts)] == ["example-news.com"]


def test_warc_date_is_the_last_fallback() -> None:
    warc = WarcPage("http://127.0.0.1:8701/x", "127.0.0.1:8701", "f", 0, "2024-09-20T23:30:00Z", "text/html", None,
                    b"", None)
    undated = ExtractedArticle("a", "u", "u", "s", "t", "text", None, None, None, "id")
    assert warc_dated(undated, warc, "WITA").published == "2024-09-21T07:30:00+08:00"
    assert warc_dated(undated, warc, "WITA").published_source == "warc"
    dated = ExtractedArticle("a", "u", "u", "s", "t", "text", "2024-09-17", "json-ld", None, "id")
    assert warc_dated(dated, warc, "WITA") == dated
