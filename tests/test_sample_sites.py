"""The five offline sample outlets: served over HTTP, crawlable, and faithful to their data."""

from __future__ import annotations

import html
import re
import urllib.error
import urllib.request
import urllib.robotparser
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from pipeline.registry import load_registry
from pipeline.sample_sites.render import (
    SITE_IDS,
    load_articles,
    prepare_article,
    render_article_page,
    render_site,
    route_key,
    site_config,
)
from pipeline.sample_sites.server import REGISTRY_PATH, SampleSites, registry_for

SEEDS_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEED_SITES = {"000": "exposetimur", "001": "bawaslubuol", "002": "mediavers", "003": "kaltengnetwork",
              "004": "tribunpontianak"}
OFFSETS = {"WIB": "+07:00", "WITA": "+08:00"}
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM_NS = "{http://www.w3.org/2005/Atom}"


class _Links(HTMLParser):
    """<a href> targets, <link rel=alternate> feeds and the <title> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.anchors: list[str] = []
        self.feeds: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "a" and values.get("href"):
            self.anchors.append(values["href"])
        if tag == "link" and "alternate" in values.get("rel", "") and "xml" in values.get("type", ""):
            self.feeds.append(values["href"])
        self._in_title = tag == "title" and not self.title

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False if tag == "title" else self._in_title

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def _get(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _text(page: bytes) -> str:
    """Visible-ish text: tags dropped, entities decoded, whitespace collapsed."""
    return _norm(html.unescape(re.sub(r"<[^>]+>", " ", page.decode("utf-8"))))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _parse(page: bytes) -> _Links:
    parser = _Links()
    parser.feed(page.decode("utf-8"))
    return parser


def _records(site_id: str, blocked: bool | None = None) -> list[dict]:
    return [a for a in load_articles()
            if a["site"] == site_id and (blocked is None or bool(a.get("blocked")) == blocked)]


@pytest.fixture(scope="module")
def sites() -> Iterator[SampleSites]:
    with SampleSites().start(port_base=None) as running:
        yield running


def test_each_site_gets_its_own_free_port(sites: SampleSites) -> None:
    assert list(sites.base_urls) == list(SITE_IDS)
    netlocs = {urlsplit(u).netloc for u in sites.base_urls.values()}
    assert len(netlocs) == 5 and all(n.startswith("127.0.0.1:") for n in netlocs)


@pytest.mark.parametrize("site_id", SITE_IDS)
def test_robots_disallows_a_path_and_blocks_the_linked_preview(sites: SampleSites, site_id: str) -> None:
    base = sites.base_urls[site_id]
    status, headers, body = _get(base + "/robots.txt")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert re.search(r"^Disallow: /\S+", body.decode(), re.MULTILINE)
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(body.decode().splitlines())
    home_links = {urljoin(base + "/", h) for h in _parse(_get(base + "/")[2]).anchors}
    for record in _records(site_id, blocked=True):
        url = prepare_article(site_id, base, record)["url"]
        assert url in home_links, f"{url} must be linked from the home page"
        assert not robots.can_fetch("PantauBot", url)
        assert _get(url)[0] == 200  # served all the same: only robots.txt keeps a crawler out
    for record in _records(site_id, blocked=False):
        assert robots.can_fetch("PantauBot", prepare_article(site_id, base, record)["url"])


def test_most_robots_files_name_a_sitemap(sites: SampleSites) -> None:
    with_sitemap = [s for s, base in sites.base_urls.items() if b"Sitemap:" in _get(base + "/robots.txt")[2]]
    assert len(with_sitemap) >= 3


def _listed_urls(base: str, url: str, seen: set[str]) -> set[str]:
    """Article URLs a feed or sitemap lists, following sitemap indexes."""
    if url in seen:
        return set()
    seen.add(url)
    status, headers, body = _get(url)
    assert status == 200 and "xml" in headers["Content-Type"], url
    root = ET.fromstring(body)
    if root.tag == f"{SITEMAP_NS}sitemapindex":
        children = [loc.text or "" for loc in root.iter(f"{SITEMAP_NS}loc")]
        return set().union(*(_listed_urls(base, child, seen) for child in children))
    found = {loc.text or "" for loc in root.iter(f"{SITEMAP_NS}loc")}
    found |= {item.findtext("link") or "" for item in root.iter("item")}
    found |= {link.get("href", "") for entry in root.iter(f"{ATOM_NS}entry")
              for link in entry.iter(f"{ATOM_NS}link") if link.get("rel") == "alternate"}
    return found


@pytest.mark.parametrize("site_id", SITE_IDS)
def test_feeds_and_sitemaps_parse_and_list_every_public_article(sites: SampleSites, site_id: str) -> None:
    base = sites.base_urls[site_id]
    robots = _get(base + "/robots.txt")[2].decode()
    documents = re.findall(r"^Sitemap: (\S+)", robots, re.MULTILINE)
    documents += [urljoin(base + "/", f) for f in _parse(_get(base + "/")[2]).feeds]
    documents += [base + f["path"] for f in site_config(site_id)["files"] if "xml" in f["type"]]
    assert documents
    seen: set[str] = set()
    listed = set().union(*(_listed_urls(base, d, seen) for d in documents))
    assert all(u == base or u.startswith(base + "/") for u in listed if u)
    public = {prepare_article(site_id, base, r)["url"] for r in _records(site_id, blocked=False)}
    blocked = {prepare_article(site_id, base, r)["url"] for r in _records(site_id, blocked=True)}
    assert public <= listed
    assert not blocked & listed


@pytest.mark.parametrize("site_id", SITE_IDS)
def test_article_pages_carry_title_body_and_site_timezone(sites: SampleSites, site_id: str) -> None:
    base = sites.base_urls[site_id]
    offset = OFFSETS[site_config(site_id)["timezone"]]
    for record in _records(site_id):
        article = prepare_article(site_id, base, record)
        status, headers, body = _get(article["url"])
        assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
        assert article["title"] in html.unescape(_parse(body).title)
        text = _text(body)
        for paragraph in article["paragraphs"]:
            assert _norm(paragraph) in text, f"{record['id']}: paragraph missing: {paragraph[:60]}"
        assert record["published"].endswith(offset), record["id"]
        assert date(2024, 9, 1) <= datetime.fromisoformat(record["published"]).date() <= date(2024, 11, 25)


@pytest.mark.parametrize("site_id", SITE_IDS)
def test_every_internal_link_resolves(site_id: str) -> None:
    base = "http://127.0.0.1:9"
    routes = render_site(site_id, base)
    for key, (content_type, body) in routes.items():
        if not content_type.startswith("text/html"):
            continue
        for href in _parse(body).anchors:
            url = urljoin(base + key, href)
            if not url.startswith(base + "/"):
                continue
            target = url[len(base):].split("#")[0]
            path = urlsplit(target).path
            assert route_key(target) in routes or path in routes or path + "/" in routes, f"{key} -> {target}"


@pytest.mark.parametrize("site_id", SITE_IDS)
def test_listings_paginate(site_id: str) -> None:
    routes = render_site(site_id, "http://127.0.0.1:9")
    second_pages = [k for k in routes if re.search(r"/page/2/?$|[?&]page=[12]$|updated-max=", k)]
    assert second_pages, f"{site_id} has no second listing page"
    html_pages = [k for k, (t, _) in routes.items() if t.startswith("text/html")]
    articles = {prepare_article(site_id, "http://127.0.0.1:9", r)["path"] for r in _records(site_id)}
    assert len(set(html_pages) - articles) >= 4  # home, listings, sections, static pages


def test_seeds_live_on_their_sites_verbatim() -> None:
    seeds = [a for a in load_articles() if a["kind"] == "seed"]
    assert sorted(SEED_SITES[a["seed"][:3]] for a in seeds) == sorted(SEED_SITES.values())
    for record in seeds:
        assert record["site"] == SEED_SITES[record["seed"][:3]]
        source = SEEDS_DIR / f"{record['seed']}.txt"
        if not source.exists():
            continue
        seed_text = _norm(source.read_text(encoding="utf-8"))
        for paragraph in record["body"]:
            assert _norm(paragraph) in seed_text, f"{record['id']} differs from {source.name}"


def test_corpus_is_varied_enough() -> None:
    articles = load_articles()
    assert len(articles) >= 30
    assert sum(a["kind"] == "near_miss" for a in articles) >= 5
    assert min(Counter(a["site"] for a in articles).values()) >= 5
    assert sum(a["kind"] != "seed" for a in articles) >= 25
    week38 = [a for a in articles if a["kind"] == "written" and "rakor" in a["title"].lower()
              and "2024-09-16" <= a["event_date"] <= "2024-09-22" and not a.get("syndicated_from")]
    assert len(week38) >= 2
    copies = [a for a in articles if a.get("syndicated_from")]
    assert copies
    by_id = {a["id"]: a for a in articles}
    for copy in copies:
        original = by_id[copy["syndicated_from"]]
        assert copy["site"] != original["site"] and copy["body"] == original["body"] and copy.get("credit")


def test_registry_for_actual_ports_loads(sites: SampleSites, tmp_path: Path) -> None:
    path = tmp_path / "sample.yaml"
    path.write_text(registry_for(sites.base_urls), encoding="utf-8")
    registry = load_registry(path)
    assert [s.id for s in registry.sources] == list(SITE_IDS)
    for source in registry.sources:
        assert source.hosts == {urlsplit(sites.base_urls[source.id]).netloc}
        for url in (source.home, *source.feeds, *source.sitemaps, *source.listing_pages):
            assert _get(url)[0] == 200, url


def test_shipped_registry_loads_with_fixed_ports() -> None:
    registry = load_registry(REGISTRY_PATH)
    assert [s.id for s in registry.sources] == list(SITE_IDS)
    assert [urlsplit(s.home).port for s in registry.sources] == [8701, 8702, 8703, 8704, 8705]
    assert sum(not s.feeds and not s.sitemaps for s in registry.sources) >= 2
    assert all(s.rate.delay_s <= 0.1 for s in registry.sources)


def test_unknown_paths_404_head_and_slash_redirect(sites: SampleSites) -> None:
    base = sites.base_urls["exposetimur"]
    status, headers, body = _get(base + "/tidak-ada/")
    assert status == 404 and headers["Content-Type"].startswith("text/html") and b"404" in body
    status, headers, body = _get(base + "/feed/", method="HEAD")
    assert status == 200 and headers["Content-Type"].startswith("application/rss+xml") and body == b""
    assert int(headers["Content-Length"]) > 0
    status, _, _ = _get(base + "/feed")  # urllib follows the 301 to /feed/
    assert status == 200
    mediavers = sites.base_urls["mediavers"]
    assert _get(mediavers + "/feeds/posts/default")[1]["Content-Type"].startswith("application/atom+xml")


def test_render_article_page_accepts_any_text() -> None:
    page = render_article_page("tribunpontianak", "http://example.test", {
        "title": "Judul Uji Coba", "body": "Paragraf pertama.\n\nParagraf kedua.",
        "published": "2024-10-01T10:00:00", "related_links": ["Berita Lain di Daerah Lain"],
    })
    assert "Judul Uji Coba" in page and "Paragraf kedua." in page
    assert '"datePublished": "2024-10-01T10:00:00+07:00"' in page
    assert "Baca juga:" in page and "http://example.test/2024/" in page
