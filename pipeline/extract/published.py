"""The publication date of a page, from the most trustworthy source it offers.

The date decides which week's digest a story lands in. Sources, in order of
trust: JSON-LD ``datePublished``; publication meta tags and schema.org
microdata (``meta``); the feed or sitemap date the crawler saw (``listed``); a
date in the URL path (``url``); the byline date printed in the article header
(``dateline``). Dates inside related-article boxes, sidebars and comment
threads are never used: an HTML date counts only from an element with no such
container among its ancestors. A date-only source may borrow the time of a
later source that agrees on the day.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from pipeline.extract.dates import find_dates, parse_iso, plausible, to_outlet_iso

# Meta tags that state the publication time (not the modification time), most specific first.
PUBLISHED_META = (
    "article:published_time", "og:article:published_time", "og:published_time", "datepublished",
    "article.published", "pubdate", "publishdate", "publish-date", "publish_date", "publication_date",
    "date.published", "dc.date.issued", "dcterms.issued", "dc.date.created", "dcterms.created",
    "sailthru.date", "parsely-pub-date", "content_publisheddate", "dtk:publishdate", "originalpublicationdate",
    "article_date_original", "cxenseparse:recs:publishtime", "publish_time", "published_time", "date",
    "dc.date", "dcterms.date", "citation_publication_date",
)
# Containers whose dates belong to other stories or to readers, never to this article.
# Matched against whole class names and ids ("sidebar", "related-posts", "PopularPosts1").
FOREIGN_CONTAINER = re.compile(
    r"([a-z0-9]+[-_])*(comments?|komentar|disqus|respond|related|relatedposts|terkait|sidebar|aside|footer|"
    r"popular|popularposts\d*|populer|terpopuler|recommend(ed|ation)?s?|rekomendasi|baca-?juga|bacajuga|"
    r"read-?more|read-?also|more-?news|latest|latest-?news|terbaru|trending|berita-?lain(nya)?|other-?news|"
    r"news-?feed|list-?berita|indeks|breadcrumbs?|nav|navbar|navigation|menu|terkini|share|social)([-_][a-z0-9]+)*",
    re.IGNORECASE,
)
DATE_CONTAINER = re.compile(r"date|time|tanggal|waktu|publish|posted|byline|meta|info|author|tgl|jam", re.IGNORECASE)
URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|-|\d|$)")


def _text(el: HtmlElement) -> str:
    return re.sub(r"\s+", " ", el.text_content() or "").strip()


def foreign(el: HtmlElement) -> bool:
    """Whether the element sits in a sidebar, related box, comment thread or page footer."""
    for node in [el, *el.iterancestors()]:
        if node.tag in ("aside", "footer", "nav"):
            return True
        names = (node.get("class") or "").split() + ([node.get("id", "")] if node.get("id") else [])
        if any(FOREIGN_CONTAINER.fullmatch(name) for name in names):
            return True
    return False


def _microdata_date(tree: HtmlElement) -> tuple[date, datetime | None] | None:
    """``itemprop="datePublished"`` (schema.org microdata), outside foreign boxes."""
    for el in tree.xpath("//*[@itemprop='datePublished']"):
        value = el.get("datetime") or el.get("content") or el.get("title") or _text(el)
        parsed = parse_iso(value) if value else None
        if parsed and not foreign(el):
            return parsed
    return None


def _header_date(tree: HtmlElement) -> tuple[date, datetime | None] | None:
    """The byline date printed with the article, from a date element outside foreign boxes."""
    for el in tree.xpath("//time[@datetime]"):
        parsed = parse_iso(el.get("datetime", ""))
        if parsed and not foreign(el):
            return parsed
    for el in tree.iter("time", "span", "div", "p", "small", "li", "a"):
        marker = f"{el.get('class', '')} {el.get('id', '')}"
        if not DATE_CONTAINER.search(marker):
            continue
        text = _text(el)
        if not text or len(text) > 160:
            continue
        found = find_dates(text)
        if found and not foreign(el):
            item = found[0]
            stamp = datetime.combine(item.day, item.clock, item.zone) if item.clock else None
            return item.day, stamp
    return None


def read_published(tree: HtmlElement, meta: dict[str, str], entity: dict[str, Any] | None, url: str,
                   listed_date: str | None, timezone_name: str) -> tuple[str | None, str | None]:
    """``(iso, source)`` from the most trustworthy source that gives a plausible date."""
    candidates: list[tuple[str, tuple[date, datetime | None] | None]] = []
    if entity:
        for key in ("datePublished", "dateCreated"):
            if isinstance(entity.get(key), str):
                candidates.append(("json-ld", parse_iso(entity[key])))
                break
    for key in PUBLISHED_META:
        if meta.get(key):
            candidates.append(("meta", parse_iso(meta[key])))
            break
    candidates.append(("meta", _microdata_date(tree)))
    if listed_date:
        candidates.append(("listed", parse_iso(listed_date)))
    match = URL_DATE.search(urlsplit(url).path)
    if match:
        with contextlib.suppress(ValueError):
            candidates.append(("url", (date(int(match[1]), int(match[2]), int(match[3])), None)))
    candidates.append(("dateline", _header_date(tree)))
    return choose_date(candidates, timezone_name)


def choose_date(candidates: list[tuple[str, tuple[date, datetime | None] | None]],
                timezone_name: str) -> tuple[str | None, str | None]:
    """First plausible candidate; a later one on the same day may supply the time."""
    usable = [(src, c) for src, c in candidates if c is not None and plausible(c[0])]
    if not usable:
        return None, None
    source, (day, stamp) = usable[0]
    if stamp is None:
        for other_source, (other_day, other_stamp) in usable[1:]:
            if other_stamp is not None and other_day == day:
                return to_outlet_iso(other_day, other_stamp, timezone_name), other_source
    return to_outlet_iso(day, stamp, timezone_name), source
