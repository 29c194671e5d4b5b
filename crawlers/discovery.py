"""Finding article URLs: robots.txt, sitemaps, feeds and listing pages.

Pure functions over response bodies, so they are tested without a network.
Parsing is forgiving (``recover=True``): outlets serve feeds with stray bytes
and sitemaps with wrong namespaces, and a half-broken feed still lists links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html
from scrapy.utils.sitemap import sitemap_urls_from_robots

from pipeline.urls import host_and_port

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/xml", "text/xml")

# Paths that are never articles on any outlet: archives, tags, authors, media, feeds, search.
_NOT_ARTICLE = re.compile(
    r"/(tag|tags|topik|topic|author|penulis|category|kategori|kanal|indeks|index|search|cari|page|halaman|"
    r"feed|rss|login|wp-admin|wp-login|user|admin|video|foto|galeri|gallery|label|amp-stories)(/|$|\?)",
    re.IGNORECASE,
)
_ASSET = re.compile(r"\.(jpe?g|png|gif|webp|svg|css|js|pdf|zip|mp4|mp3|ico|xml|json)(\?|$)", re.IGNORECASE)
_DATED_PATH = re.compile(r"/(19|20)\d{2}/\d{1,2}(/\d{1,2})?/")
_SLUG = re.compile(r"/[^/?#]*[a-z0-9]+-[a-z0-9]+-[a-z0-9]+[^/?#]*(\.html?)?/?$", re.IGNORECASE)
_NUMERIC_ID = re.compile(r"/(berita|read|news|post|artikel|detail)/\d+", re.IGNORECASE)


@dataclass(frozen=True)
class Listed:
    """A URL found in a sitemap or feed, with the date the listing gives it."""

    url: str
    date: str | None = None


def netloc(url: str) -> str:
    """host[:port] of a URL, an internationalised host in punycode (as the registry's hosts are); "" for a
    URL that cannot be parsed (so it is on no outlet's hosts)."""
    return host_and_port(url)


def checked_url(href: str, base_url: str = "") -> str | None:
    """The absolute http(s) URL ``href`` names, or None when it is malformed (``http://[::1``, a port
    above 65535, no host): pages are written by strangers, and one bad link must not cost the others."""
    try:
        url = urljoin(base_url, href.strip()) if base_url else href.strip()
        parts = urlsplit(url)
        _ = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return url


def sitemaps_from_robots(body: bytes, base_url: str, rejected: list[str] | None = None) -> list[str]:
    """``Sitemap:`` lines of a robots.txt (Scrapy's parser), malformed ones left out (and in ``rejected``)."""
    found = []
    for line in body.splitlines():
        if line.lstrip()[:8].lower() != b"sitemap:":
            continue
        for url in _one_sitemap_line(line, base_url):
            checked = checked_url(url)
            if checked:
                found.append(checked)
            elif rejected is not None:
                rejected.append(url)
    return found


def _one_sitemap_line(line: bytes, base_url: str) -> list[str]:
    try:
        return list(sitemap_urls_from_robots(line, base_url))
    except ValueError:  # urljoin of a malformed URL
        return [line.partition(b":")[2].strip().decode("utf-8", "replace")]


def _xml_root(body: bytes) -> etree._Element | None:
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body.strip(), parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    return root


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(element: etree._Element, *names: str) -> str | None:
    for child in element.iter():
        if _local(child.tag) in names and child.text and child.text.strip():
            return child.text.strip()
    return None


def _listed(url: str, date: str | None, rejected: list[str] | None) -> Listed | None:
    checked = checked_url(url)
    if checked is None and rejected is not None:
        rejected.append(url)
    return Listed(checked, date) if checked else None


def parse_sitemap(body: bytes, rejected: list[str] | None = None) -> tuple[str, list[Listed]]:
    """Return ('index', sitemaps) or ('urlset', pages); news sitemaps give publication dates.

    Scrapy's ``Sitemap`` reads only each entry's direct children, and Google News sitemaps nest the
    publication date (``<news:news><news:publication_date>``), hence this reader. Malformed locations are
    left out (and appended to ``rejected``).
    """
    root = _xml_root(body)
    if root is None:
        return "invalid", []
    kind = _local(root.tag)
    entries: list[Listed] = []
    child_name = "sitemap" if kind == "sitemapindex" else "url"
    for node in root:
        if _local(node.tag) != child_name:
            continue
        loc = _child_text(node, "loc")
        listed = _listed(loc, _child_text(node, "publication_date", "lastmod"), rejected) if loc else None
        if listed:
            entries.append(listed)
    return ("index" if kind == "sitemapindex" else "urlset"), entries


def parse_feed(body: bytes, rejected: list[str] | None = None) -> list[Listed]:
    """Items of an RSS 2.0, RSS 1.0 or Atom feed; malformed links left out (and appended to ``rejected``)."""
    root = _xml_root(body)
    if root is None:
        return []
    items: list[Listed] = []
    for node in root.iter():
        name = _local(node.tag)
        if name == "item":
            link = _child_text(node, "link") or _child_text(node, "guid")
            listed = _listed(link, _child_text(node, "pubdate", "date", "published"), rejected) if link else None
            if listed:
                items.append(listed)
        elif name == "entry":
            href = None
            for child in node:
                if _local(child.tag) == "link" and child.get("rel", "alternate") == "alternate":
                    href = child.get("href")
                    break
            listed = _listed(href, _child_text(node, "published", "updated"), rejected) if href else None
            if listed:
                items.append(listed)
    return items


def looks_like_feed_or_sitemap(body: bytes) -> str | None:
    head = body[:600].lower()
    if b"<urlset" in head or b"<sitemapindex" in head:
        return "sitemap"
    if b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return "feed"
    return None


def _html_root(body: bytes | str, base_url: str) -> lxml_html.HtmlElement | None:
    try:
        return lxml_html.fromstring(body, base_url=base_url)
    except (etree.ParserError, ValueError):
        return None


def feeds_from_html(body: bytes | str, base_url: str, rejected: list[str] | None = None) -> list[str]:
    """Feeds a page advertises with <link rel="alternate" type="application/rss+xml">; malformed hrefs
    are left out (and appended to ``rejected``)."""
    root = _html_root(body, base_url)
    if root is None:
        return []
    feeds = []
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower()
        href = link.get("href")
        if "alternate" in rel and kind in FEED_TYPES and href:
            url = checked_url(href, base_url)
            if url:
                feeds.append(url)
            elif rejected is not None:
                rejected.append(href)
    return feeds


def links_from_html(body: bytes | str, base_url: str, rejected: list[str] | None = None) -> list[str]:
    """Every <a href> on the page, absolute, without fragments, in document order; malformed hrefs are
    left out (and appended to ``rejected``)."""
    root = _html_root(body, base_url)
    if root is None:
        return []
    seen: dict[str, None] = {}
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "tel:", "#", "whatsapp:")):
            continue
        scheme = href.split(":", 1)[0].lower() if ":" in href.split("/", 1)[0] else ""
        if scheme and scheme not in ("http", "https"):
            continue  # another scheme (ftp:, data:, intent:) is not a bad link, just not ours
        url = checked_url(href, base_url)
        if url is None:
            if rejected is not None:
                rejected.append(href)
            continue
        seen.setdefault(url.split("#", 1)[0], None)
    return list(seen)


def looks_like_article(url: str, article_pattern: re.Pattern[str] | None = None) -> bool:
    """Guess from the URL alone whether it is a story (cheap, so listings are not stored)."""
    if article_pattern is not None:
        return bool(article_pattern.search(url))
    path = urlsplit(url).path
    if _ASSET.search(path) or _NOT_ARTICLE.search(path) or path in ("", "/"):
        return False
    return bool(_DATED_PATH.search(path) or _SLUG.search(path) or _NUMERIC_ID.search(path))


def looks_like_listing(url: str) -> bool:
    """Section and archive pages worth following for more links."""
    parts = urlsplit(url)
    if _ASSET.search(parts.path):
        return False
    segments = [s for s in parts.path.split("/") if s]
    if re.search(r"(^|&)(page|paged|halaman)=\d+", parts.query) or re.search(r"/(page|halaman)/\d+/?$", parts.path):
        return True  # pagination of a listing: page 2 lists older stories
    if re.search(r"/(wp-admin|wp-login|login|admin|user|search|cari|feed|rss)(/|$)", parts.path, re.IGNORECASE):
        return False
    return len(segments) <= 2 and not looks_like_article(url)


def within(url: str, hosts: Iterable[str]) -> bool:
    found = netloc(url)
    return bool(found) and found in set(hosts)
