"""From a stored page (or the contract's text input) to an ``ExtractedArticle``.

This is the stage's entry point: decode, parse, read metadata, extract and
clean the body, decide whether the page is an article at all, and derive the
ids. Listing pages, section fronts and near-empty pages come back as
``NotAnArticle`` with a reason, so the store can count them without mistaking
a page of forty headlines for a story about forty regencies.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from lxml.html import HtmlElement
from trafilatura.utils import load_html

from pipeline.extract.chrome import (
    BYLINE_RULES,
    clean_text,
    is_date_stamp,
    is_prose,
    is_title_case,
    load_rules,
    normalise_line,
    rule_for,
    split_header,
)
from pipeline.extract.dates import find_dates, parse_iso, plausible, to_outlet_iso
from pipeline.extract.decode import decode_html
from pipeline.extract.html_body import raw_body
from pipeline.extract.language import detect_language
from pipeline.extract.metadata import PageMetadata, read_metadata
from pipeline.records import ExtractedArticle
from pipeline.urls import canonical_url, stable_id

logger = logging.getLogger(__name__)

# Bump when a change to the rules, the config or the code changes what a page yields:
# stored extractions carry it, so a re-extraction can find what is stale.
# 1.1: canonical URLs on another host are claims, not keys (stored pages are re-extracted once).
EXTRACTOR_VERSION = f"pantau-extract/1.1+chrome{load_rules().version}"

MIN_BODY_CHARS = 200  # below this a page has no story we could annotate
MIN_PHOTO_STORY_CHARS = 120
STATIC_PAGE_CHARS = 400  # "Redaksi", "Pedoman Media Siber": undated, unmarked and short
_FEED = re.compile(r"<(rss|feed|rdf:RDF|urlset|sitemapindex)\b")
_HTML_START = re.compile(r"<(html|head|body|!doctype)\b", re.IGNORECASE)
_SECTION_PATH = re.compile(r"^/?([\w-]+/?){0,2}$")


@dataclass(frozen=True)
class NotAnArticle:
    """A page that yields no article (listing page, too short, no body...)."""

    url: str
    reason: str


def normalised_for_hash(text: str) -> str:
    """Lower-case words only: the hash survives re-wrapping, quotes and punctuation."""
    return " ".join(re.findall(r"\w+", text.lower()))


def content_hash(text: str) -> str:
    return hashlib.sha1(normalised_for_hash(text).encode("utf-8")).hexdigest()


def prose_share(text: str) -> float:
    """Share of the text's characters that sit in prose lines (not headlines)."""
    lines = [normalise_line(x) for x in text.split("\n") if x.strip()]
    total = sum(len(x) for x in lines)
    if not total:
        return 0.0
    return sum(len(x) for x in lines if is_prose(x)) / total


def _is_feed(text: str) -> bool:
    """An RSS/Atom feed or a sitemap stored where a page was expected."""
    head = text[:2000]
    feed = _FEED.search(head)
    html = _HTML_START.search(head)
    return feed is not None and (html is None or feed.start() < html.start())


def _anchor_texts(tree: HtmlElement) -> set[str]:
    """Normalised texts of links long enough to be headlines."""
    texts = set()
    for a in tree.iter("a"):
        key = normalised_for_hash(a.text_content() or "")
        if key.count(" ") >= 2:
            texts.add(key)
    return texts


def link_share(text: str, anchors: set[str]) -> float:
    """Share of the text's characters in lines that are the text of a link on the page."""
    lines = [x for x in text.split("\n") if x.strip()]
    total = sum(len(x) for x in lines)
    if not total:
        return 0.0
    return sum(len(x) for x in lines if normalised_for_hash(x) in anchors) / total


def _looks_like_listing(tree: HtmlElement, url: str, meta: PageMetadata, text: str) -> str | None:
    """Why the page is a listing (section front, index, tag page), or None for a story.

    The strong signal is that the "body" is made of link texts: an index page's
    teasers are links, an article's sentences are not. Missing article markup on
    a front-page or short section path backs it up.
    """
    anchors = _anchor_texts(tree)
    share = link_share(text, anchors)
    if share >= 0.5:
        return f"listing page ({share:.0%} of the text is link text)"
    parts = urlsplit(url)
    path = parts.path or "/"
    if path in ("", "/") and not parts.query:
        return "listing page (site front page)"  # even when the template claims og:type=article
    if meta.has_article_markup:
        return None
    if re.fullmatch(r"/(index|indeks|home|beranda)(\.\w+)?/?", path, re.IGNORECASE):
        return "listing page (site front page)"
    if (_SECTION_PATH.match(path) and "-" not in path and not re.search(r"\d{4,}", path)
            and prose_share(text) < 0.3 and len(anchors) >= 30):
        return "listing page (headlines on a section path)"
    return None


def _drop_title_lines(text: str, title: str | None) -> str:
    """Drop lines that repeat the headline: the title is its own field, and a
    headline line at the end of a body is a related box linking back to it."""
    if not title:
        return text
    key = normalised_for_hash(title)

    def repeats_title(line: str) -> bool:
        words = normalised_for_hash(line)
        # "In Picture: <headline>", "VIDEO: <headline>": a label glued to the headline
        return words == key or (words.endswith(key) and not is_prose(line) and len(words) - len(key) < 25)

    lines = [x for x in text.split("\n") if not repeats_title(x)]
    flat_title = " ".join(title.split()).lower()
    for i, line in enumerate(lines):
        flat = " ".join(line.split())
        if flat.lower().startswith(flat_title + " ") and len(flat) > len(flat_title) + 40:
            lines[i] = clean_text(flat[len(flat_title):])  # headline glued before the text
    return "\n".join(lines).strip()


def _article(url: str, canonical: str, source_id: str | None, title: str | None, text: str,
             published: str | None, source: str | None, author: str | None,
             page_id: str | None, claimed_canonical: str | None = None) -> ExtractedArticle:
    return ExtractedArticle(
        article_id=stable_id(canonical),
        canonical_url=canonical,
        url=url,
        source_id=source_id,
        title=title,
        text=text,
        published=published,
        published_source=source,
        author=author,
        lang=detect_language(text if len(text) > 80 else f"{title or ''}\n{text}"),
        page_id=page_id,
        content_hash=content_hash(text),
        extractor_version=EXTRACTOR_VERSION,
        claimed_canonical_url=claimed_canonical,
    )


def parse_html(html: bytes | str, http_charset: str | None = None) -> HtmlElement | None:
    text, encoding = decode_html(html, http_charset)
    logger.debug("decoded page as %s", encoding)
    tree = load_html(text)
    return tree if isinstance(tree, HtmlElement) else None


def extract_html(html: bytes | str, url: str, *, timezone: str = "WIB", listed_date: str | None = None,
                 source_id: str | None = None, page_id: str | None = None,
                 http_charset: str | None = None, outlet_hosts: Iterable[str] = ()) -> ExtractedArticle | NotAnArticle:
    """Extract one stored page; ``NotAnArticle`` when it holds no story.

    ``outlet_hosts`` (host[:port]) are where the page's outlet publishes: a canonical URL elsewhere is kept
    as a claim, not as the article's key (see ``read_canonical``).
    """
    decoded, _encoding = decode_html(html, http_charset)
    if _is_feed(decoded):
        return NotAnArticle(url, "feed, not an article page")
    tree = load_html(decoded)
    if not isinstance(tree, HtmlElement):
        return NotAnArticle(url, "unparseable page")
    meta = read_metadata(tree, url, timezone_name=timezone, listed_date=listed_date, outlet_hosts=outlet_hosts)
    raw = raw_body(tree, url)
    text = _drop_title_lines(clean_text(raw), meta.title)
    # A dated page marked up as an article may be a photo story with a two-sentence body.
    min_chars = MIN_PHOTO_STORY_CHARS if meta.has_article_markup and meta.published else MIN_BODY_CHARS
    if len(text) < min_chars:
        return NotAnArticle(url, f"too short ({len(text)} characters of body)" if text else "no body")
    listing = _looks_like_listing(tree, url, meta, text)
    if listing:
        return NotAnArticle(url, listing)
    published, source = meta.published, meta.published_source
    if published is None:
        published, source = _text_date(raw, timezone)
    if published is None and not meta.has_article_markup and len(text) < STATIC_PAGE_CHARS:
        return NotAnArticle(url, "static page (no date, no article markup, short text)")
    return _article(url, meta.canonical_url, source_id, meta.title, text, published, source,
                    meta.author, page_id, meta.claimed_canonical_url)


def _text_date(raw: str, timezone: str) -> tuple[str | None, str | None]:
    """A byline date stamp among the first lines of the text ("Senin, 23/9/2024 | 15:51 WIB")."""
    for line in raw.split("\n")[:12]:
        norm = normalise_line(line)
        if not norm:
            continue
        rule = rule_for(norm)
        if not is_date_stamp(norm) and not (rule is not None and rule.id in BYLINE_RULES):
            continue
        for item in find_dates(norm):
            if plausible(item.day):
                stamp = datetime.combine(item.day, item.clock, item.zone) if item.clock else None
                return to_outlet_iso(item.day, stamp, timezone), "text"
    return None, None


def article_from_text(url: str, title: str | None, text: str, published: str | None = None,
                      timezone: str = "WIB") -> ExtractedArticle:
    """The contract's text input: same chrome filter, ids and checks as for HTML."""
    source: str | None = None
    iso: str | None = None
    if published:
        parsed = parse_iso(published)
        if parsed and plausible(parsed[0]):
            iso, source = to_outlet_iso(parsed[0], parsed[1], timezone), "input"
    if iso is None:
        iso, source = _text_date(text, timezone)
    header, body = split_header(text)
    if title is None and header:
        headlines = [h for h in header if is_title_case(h) and not rule_for(h)]
        title = max(headlines, key=len) if headlines else None
    cleaned = _drop_title_lines(clean_text(body), title)
    canonical = canonical_url(url)
    return _article(url, canonical, None, title.strip() if title else None, cleaned, iso, source, None, None)
