"""Title, author, canonical URL (and, via ``published``, the date) of a parsed page.

Machine metadata (JSON-LD, Open Graph, ``<link rel=canonical>``) is preferred
but checked: a canonical link to another site or to the home page is a CMS
mistake, an "author" that is the outlet's own name is no author, and a
headline is taken from the page's ``<h1>`` when the machine title agrees.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from pipeline.extract.published import foreign, read_published
from pipeline.urls import canonical_url, host_and_port

logger = logging.getLogger(__name__)

ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
                 "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "socialmediaposting",
                 "liveblogposting", "report", "techarticle", "scholarlyarticle"}
SECOND_LEVEL = {"co", "go", "ac", "or", "web", "my", "sch", "mil", "net", "com", "org", "ponpes", "desa", "biz"}


@dataclass(frozen=True)
class PageMetadata:
    title: str | None
    author: str | None
    canonical_url: str
    published: str | None
    published_source: str | None
    page_type: str | None  # og:type or the JSON-LD @type of the main entity
    has_article_markup: bool
    claimed_canonical_url: str | None = None  # named on another host: see read_canonical


def registered_domain(host: str) -> str:
    """``nasional.kompas.com`` -> ``kompas.com``; ``x.tribunnews.co.id`` -> ``tribunnews.co.id``."""
    labels = (host or "").lower().split(".")
    if len(labels) >= 3 and labels[-2] in SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _text(el: HtmlElement) -> str:
    return re.sub(r"\s+", " ", el.text_content() or "").strip()


def _meta(tree: HtmlElement) -> dict[str, str]:
    found: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = (el.get("content") or "").strip()
        if key and value and key not in found:
            found[key] = value
    return found


def _jsonld_items(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            try:
                data = json.loads(re.sub(r",\s*([}\]])", r"\1", re.sub(r"[\x00-\x1f]", " ", raw)))
            except ValueError:
                continue
        yield from _walk(data)


def _walk(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _walk(item)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _walk(graph)


def _types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds if k}


def _main_entity(tree: HtmlElement) -> dict[str, Any] | None:
    items = list(_jsonld_items(tree))
    for item in items:
        if _types(item) & ARTICLE_TYPES:
            return item
    return None


def _person_name(value: Any) -> str | None:
    if isinstance(value, list):
        names = [n for n in (_person_name(v) for v in value) if n]
        return ", ".join(dict.fromkeys(names)) or None
    if isinstance(value, dict):
        value = value.get("name")
    if isinstance(value, str) and value.strip() and not value.strip().startswith("http"):
        return re.sub(r"\s+", " ", value).strip()
    return None


def _clean_author(value: str | None, host: str = "") -> str | None:
    """A person's name, or None for the outlet posing as the author ("Kompas Cyber Media")."""
    if not value:
        return None
    squashed = re.sub(r"[^a-z0-9]", "", value.lower())
    site = registered_domain(host).split(".")[0]
    if (site and len(site) > 3 and site in squashed) or re.search(r"\bPT\.?\s|\.(com|co\.id|id)\b", value):
        return None
    value = re.sub(r"^(penulis|reporter|pewarta|oleh|by|editor)\s*[:|]?\s*", "", value.strip(), flags=re.IGNORECASE)
    value = re.split(r"\s*[|]\s*|\s+-\s+|\s*,\s*(?:editor|redaktur)\b", value)[0].strip(" ,.-")
    return value or None


def _strip_site_suffix(title: str, host: str) -> str:
    site = registered_domain(host).split(".")[0]
    parts = re.split(r"\s+[|\-–—:]\s+", title)
    if len(parts) > 1:
        tail = re.sub(r"[^a-z0-9]", "", parts[-1].lower())
        if (site and (site in tail or tail in site)) or len(parts[-1].split()) <= 2:
            return " - ".join(parts[:-1]).strip()
    return title.strip()


def read_title(tree: HtmlElement, meta: dict[str, str], entity: dict[str, Any] | None, url: str) -> str | None:
    host = urlsplit(url).hostname or ""
    headings = [_text(h) for h in tree.iter("h1")]
    headings = [h for h in headings if 3 <= len(h.split()) <= 40]
    candidates = []
    if entity and isinstance(entity.get("headline"), str):
        candidates.append(entity["headline"])
    for key in ("og:title", "twitter:title", "title"):
        if meta.get(key):
            candidates.append(meta[key])
    title_el = tree.find(".//title")
    if title_el is not None and _text(title_el):
        candidates.append(_text(title_el))
    for cand in candidates:
        cand = re.sub(r"\s+", " ", cand).strip()
        for h in headings:  # the visible headline, when the machine title agrees with it
            if h.lower() in cand.lower():
                return h  # the machine title had a site suffix
            if cand.lower() in h.lower():
                return cand  # the heading had a logo or rubric glued to it
    if candidates:
        return _strip_site_suffix(re.sub(r"\s+", " ", candidates[0]), host) or None
    return headings[0] if headings else None


def _host_key(url: str) -> str:
    """host[:port] as ``canonical_url`` normalises it (no www./m./amp. prefix, no default port)."""
    return host_and_port(canonical_url(url))


def read_canonical(tree: HtmlElement, meta: dict[str, str], url: str,
                   outlet_hosts: Iterable[str] = ()) -> tuple[str, str | None]:
    """(the key URL, a canonical URL claimed on another host or None).

    ``<link rel=canonical>`` or ``og:url`` is the key only when it is a plausible story URL on the page's
    own host or one of ``outlet_hosts``. A page cannot be trusted to name another outlet's story: outlets
    share registered domains (tribunnews.com, antaranews.com) and a host serves outlets on several ports, so a
    hostile page could otherwise overwrite another outlet's article. Such a URL is returned as a claim.
    """
    page = urlsplit(url)
    trusted = {_host_key(url)} | {_host_key(f"http://{host}/") for host in outlet_hosts if host}
    candidates = [el.get("href") for el in tree.xpath('//link[@rel="canonical" or @rel="Canonical"]')]
    candidates.append(meta.get("og:url"))
    claim = None
    for href in candidates:
        if not href:
            continue
        try:
            absolute = urljoin(url, href.strip())
            parts = urlsplit(absolute)
            host = _host_key(absolute)
        except ValueError:
            continue  # a malformed URL (http://[::1, a port over 65535)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            continue
        if registered_domain(parts.hostname) != registered_domain(page.hostname or ""):
            continue  # syndication targets and CMS mistakes; dedup links those instead
        if parts.path in ("", "/") and page.path not in ("", "/"):
            continue  # a template pointing every page at the home page
        if host not in trusted:
            claim = claim or canonical_url(absolute)
            continue
        return canonical_url(absolute), None
    return canonical_url(url), claim


def read_author(tree: HtmlElement, meta: dict[str, str], entity: dict[str, Any] | None, url: str) -> str | None:
    host = urlsplit(url).hostname or ""
    candidates: list[str] = []
    if entity:
        name = _person_name(entity.get("author"))
        if name:
            candidates.append(name)
    for key in ("author", "article:author", "dc.creator", "parsely-author", "content_author", "byl"):
        value = meta.get(key)
        if value and not value.startswith("http"):
            candidates.append(value)
    for el in tree.xpath('//*[@rel="author" or @itemprop="author"]'):
        if not foreign(el) and _text(el) and len(_text(el)) <= 80:
            candidates.append(_text(el))
    for value in candidates:
        name = _clean_author(value, host)
        if name:
            return name
    return None


def read_metadata(tree: HtmlElement, url: str, *, timezone_name: str = "WIB",
                  listed_date: str | None = None, outlet_hosts: Iterable[str] = ()) -> PageMetadata:
    meta = _meta(tree)
    entity = _main_entity(tree)
    published, source = read_published(tree, meta, entity, url, listed_date, timezone_name)
    canonical, claim = read_canonical(tree, meta, url, outlet_hosts)
    page_type = meta.get("og:type")
    if entity:
        page_type = sorted(_types(entity))[0]
    has_article = bool(entity) or (page_type or "").lower() == "article" or "article:published_time" in meta
    return PageMetadata(
        title=read_title(tree, meta, entity, url),
        author=read_author(tree, meta, entity, url),
        canonical_url=canonical,
        claimed_canonical_url=claim,
        published=published,
        published_source=source,
        page_type=page_type,
        has_article_markup=has_article,
    )
