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
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return host if parts.port is None else f"{host}:{parts.port}"


def sitemaps_from_robots(text: str, base_url: str) -> list[str]:
    found = []
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and value.strip():
            found.append(urljoin(base_url, value.strip()))
    return found


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


def parse_sitemap(body: bytes) -> tuple[str, list[Listed]]:
    """Return ('index', sitemaps) or ('urlset', pages); news sitemaps give publication dates."""
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
        if loc:
            entries.append(Listed(loc, _child_text(node, "publication_date", "lastmod")))
    return ("index" if kind == "sitemapindex" else "urlset"), entries


def parse_feed(body: bytes) -> list[Listed]:
    """Items of an RSS 2.0, RSS 1.0 or Atom feed."""
    root = _xml_root(body)
    if root is None:
        return []
    items: list[Listed] = []
    for node in root.iter():
        name = _local(node.tag)
        if name == "item":
            link = _child_text(node, "link") or _child_text(node, "guid")
            if link:
                items.append(Listed(link, _child_text(node, "pubdate", "date", "published")))
        elif name == "entry":
            href = None
            for child in node:
                if _local(child.tag) == "link" and child.get("rel", "alternate") == "alternate":
                    href = child.get("href")
                    break
            if href:
                items.append(Listed(href, _child_text(node, "published", "updated")))
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


def feeds_from_html(body: bytes | str, base_url: str) -> list[str]:
    """Feeds a page advertises with <link rel="alternate" type="application/rss+xml">."""
    root = _html_root(body, base_url)
    if root is None:
        return []
    feeds = []
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower()
        if "alternate" in rel and kind in FEED_TYPES and link.get("href"):
            feeds.append(urljoin(base_url, link.get("href", "")))
    return feeds


def links_from_html(body: bytes | str, base_url: str) -> list[str]:
    """Every <a href> on the page, absolute, without fragments, in document order."""
    root = _html_root(body, base_url)
    if root is None:
        return []
    seen: dict[str, None] = {}
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "tel:", "#", "whatsapp:")):
            continue
        url = urljoin(base_url, href).split("#", 1)[0]
        if url.startswith(("http://", "https://")):
            seen.setdefault(url, None)
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
    return netloc(url) in set(hosts)
