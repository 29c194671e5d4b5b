"""The one generic spider: every outlet in the registry, discovered the same way.

For each outlet it reads robots.txt (for ``Sitemap:`` lines; obeying it is
Scrapy's RobotsTxtMiddleware), the home page (for ``<link rel="alternate">``
feeds and links), the registry's feeds, sitemaps and listing pages, and, when
none of those names a feed or sitemap, the usual places (/feed, /sitemap.xml).
Articles are stored raw; URLs already stored (passed in from the database) are
never requested again. One outlet's failures never stop the others: every
request has an errback that records the failure and moves on.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawlers.conditional import (
    CONDITIONAL_ROLES,
    NOT_MODIFIED,
    conditional_headers,
    load_validators,
    validator_of,
)
from crawlers.discovery import (
    feeds_from_html,
    links_from_html,
    looks_like_article,
    looks_like_feed_or_sitemap,
    looks_like_listing,
    parse_feed,
    parse_sitemap,
    sitemaps_from_robots,
    within,
)
from crawlers.middlewares import describe_failure
from crawlers.spool import Spool, raw_page_path, sha256
from pipeline.records import Fetch, HttpValidator, RawPage
from pipeline.registry import Source, load_registry
from pipeline.urls import canonical_url, content_id, exact_id

log = logging.getLogger(__name__)

FALLBACK_FEEDS = ("feed/", "rss/", "feed.xml", "rss.xml")
FALLBACK_SITEMAPS = ("sitemap.xml", "sitemap_index.xml", "news-sitemap.xml", "sitemap-news.xml")
MAX_LISTING_PAGES = 40
HTML_TYPES = ("text/html", "application/xhtml")


@dataclass
class OutletState:
    source: Source
    article_re: re.Pattern[str] | None
    allow: tuple[re.Pattern[str], ...]
    deny: tuple[re.Pattern[str], ...]
    requested: set[str] = field(default_factory=set)
    discovery_seen: set[str] = field(default_factory=set)
    feeds_or_sitemaps_found: bool = False
    initial_pending: int = 2  # robots.txt and home page
    articles: int = 0
    listings: int = 0
    stored: int = 0
    validated: dict[str, HttpValidator] = field(default_factory=dict)  # indexes answered this crawl
    incomplete: bool = False  # an article request failed: forget the validators (crawlers.conditional)


def _now_iso() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="milliseconds")


class OutletSpider(Spider):
    name = "outlets"

    def __init__(self, registry: str, crawl_id: str, spool: str, raw_root: str,
                 sources: str = "", known_urls: str = "", max_pages: str = "", validators: str = "",
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        reg = load_registry(*(Path(p) for p in registry.split(",") if p))
        selected = reg.select([s for s in sources.split(",") if s] or None)
        self.crawl_id = crawl_id
        self.spool = Spool(Path(spool), Path(raw_root))
        self.max_pages_override = int(max_pages) if max_pages else None
        self.validators = load_validators(validators)
        self.known: set[str] = set()
        if known_urls and Path(known_urls).exists():
            self.known = {line.strip() for line in Path(known_urls).read_text(encoding="utf-8").splitlines()
                          if line.strip()}
        self.outlets = {
            s.id: OutletState(
                source=s,
                article_re=re.compile(s.article_pattern) if s.article_pattern else None,
                allow=tuple(re.compile(p) for p in s.allow),
                deny=tuple(re.compile(p) for p in s.deny),
            )
            for s in selected
        }

    def closed(self, reason: str) -> None:
        for state in self.outlets.values():
            forget = state.incomplete or state.articles >= self._limit(state)
            for validator in state.validated.values():
                self.spool.record_validator(replace(validator, forget=forget or validator.forget))
        self.spool.close()
        for state in self.outlets.values():
            log.info("PROGRESS outlet=%s stored=%d articles_requested=%d listings=%d",
                     state.source.id, state.stored, state.articles, state.listings)

    # -- requests --------------------------------------------------------------

    def _request(self, state: OutletState, url: str, role: str, callback: Any, **meta: Any) -> Request:
        source = state.source
        headers = conditional_headers(self.validators.get(url)) if role in CONDITIONAL_ROLES else {}
        if headers:
            meta["handle_httpstatus_list"] = [NOT_MODIFIED]
        return Request(
            url,
            callback=callback,
            headers=headers,
            errback=self.on_error,
            # The spider de-duplicates itself (per outlet, by canonical URL); Scrapy's filter would
            # also swallow redirect loops silently instead of letting them fail and be recorded.
            dont_filter=True,
            meta={
                "source_id": source.id,
                "role": role,
                "download_slot": source.id,
                "outlet_hosts": source.hosts,
                **({"dont_obey_robotstxt": True} if role == "robots" else {}),
                **meta,
            },
        )

    async def start(self) -> AsyncIterator[Request]:
        for request in self._initial_requests():
            yield request

    def _initial_requests(self) -> Iterator[Request]:
        for state in self.outlets.values():
            source = state.source
            yield self._request(state, urljoin(source.home, "/robots.txt"), "robots", self.parse_robots)
            yield self._request(state, source.home, "home", self.parse_listing, listing_depth=0)
            for url in source.feeds:
                state.feeds_or_sitemaps_found = True
                yield from self._discovery(state, url, "feed")
            for url in source.sitemaps:
                state.feeds_or_sitemaps_found = True
                yield from self._discovery(state, url, "sitemap")
            for url in source.listing_pages:
                state.discovery_seen.add(url)
                yield self._request(state, url, "listing", self.parse_listing, listing_depth=1)
            # Indexes found by earlier crawls: a 304 on the page naming them would hide them.
            for validator in self.validators.values():
                if validator.source_id != source.id or validator.url in state.discovery_seen:
                    continue
                if validator.role == "listing" and within(validator.url, source.hosts):
                    state.discovery_seen.add(validator.url)
                    state.listings += 1
                    yield self._request(state, validator.url, "listing", self.parse_listing, listing_depth=1)
                elif validator.role in ("feed", "sitemap", "probe"):
                    yield from self._discovery(state, validator.url, validator.role)

    def _discovery(self, state: OutletState, url: str, role: str) -> Iterator[Request]:
        if url in state.discovery_seen or not within(url, state.source.hosts):
            return
        state.discovery_seen.add(url)
        yield self._request(state, url, role, self.parse_discovery_document)

    def _limit(self, state: OutletState) -> int:
        return self.max_pages_override or state.source.rate.max_pages

    def _allowed(self, state: OutletState, url: str) -> bool:
        if not within(url, state.source.hosts):
            return False
        if state.allow and not any(p.search(url) for p in state.allow):
            return False
        return not any(p.search(url) for p in state.deny)

    def _article(self, state: OutletState, url: str, via: str, found_on: str | None,
                 listed_date: str | None = None) -> Iterator[Request]:
        if not self._allowed(state, url):
            return
        key = canonical_url(url)
        if key in state.requested or key in self.known or url in self.known:
            return
        if state.articles >= self._limit(state):
            return
        state.requested.add(key)
        state.articles += 1
        yield self._request(state, url, "article", self.parse_article,
                            discovered_via=via, discovered_from=found_on, listed_date=listed_date)

    def _after_initial(self, state: OutletState) -> Iterator[Request]:
        """Once robots.txt and the home page are in, probe the usual places if nothing was named."""
        state.initial_pending -= 1
        if state.initial_pending or state.feeds_or_sitemaps_found:
            return
        for path in (*FALLBACK_FEEDS[:1], *FALLBACK_SITEMAPS[:2]):
            url = urljoin(state.source.home, "/" + path)
            yield from self._discovery(state, url, "probe")

    # -- callbacks ---------------------------------------------------------------

    def parse_robots(self, response: Response) -> Iterator[Request]:
        state = self.outlets[response.meta["source_id"]]
        if response.status == 200 and isinstance(response, TextResponse):
            rejected: list[str] = []
            for url in sitemaps_from_robots(response.body, response.url, rejected):
                state.feeds_or_sitemaps_found = True
                yield from self._discovery(state, url, "sitemap")
            self._note_rejected(response, rejected)
        yield from self._after_initial(state)

    def _unchanged(self, state: OutletState, response: Response) -> bool:
        """Keep the index's validators; True when it answered 304 (its links were followed before)."""
        role = response.meta["role"]
        if response.status == NOT_MODIFIED:
            url = response.request.url if response.request is not None else response.url
            state.validated[url] = self.validators.get(url) or validator_of(response, state.source.id, role)
            return True
        if role in CONDITIONAL_ROLES and 200 <= response.status < 300:
            validator = validator_of(response, state.source.id, role)
            if validator.etag or validator.last_modified:
                state.validated[validator.url] = validator
        return False

    def parse_listing(self, response: Response) -> Iterator[Request]:
        state = self.outlets[response.meta["source_id"]]
        if self._unchanged(state, response):
            if response.meta["role"] == "home":
                yield from self._after_initial(state)
            return
        depth = response.meta.get("listing_depth", 1)
        role = response.meta["role"]
        if isinstance(response, TextResponse) and self._is_html(response):
            rejected: list[str] = []
            for feed in feeds_from_html(response.body, response.url, rejected):
                state.feeds_or_sitemaps_found = True
                yield from self._discovery(state, feed, "feed")
            for url in links_from_html(response.body, response.url, rejected):
                if looks_like_article(url, state.article_re):
                    yield from self._article(state, url, "listing" if depth else "home", response.url)
                elif (depth < 2 and looks_like_listing(url) and state.listings < MAX_LISTING_PAGES
                      and self._allowed(state, url) and url not in state.discovery_seen):
                    state.discovery_seen.add(url)
                    state.listings += 1
                    yield self._request(state, url, "listing", self.parse_listing, listing_depth=depth + 1)
            self._note_rejected(response, rejected)
        if role == "home":
            yield from self._after_initial(state)

    def parse_discovery_document(self, response: Response) -> Iterator[Request]:
        state = self.outlets[response.meta["source_id"]]
        if self._unchanged(state, response):
            state.feeds_or_sitemaps_found = True
            return
        kind = looks_like_feed_or_sitemap(response.body)
        rejected: list[str] = []
        if kind == "sitemap":
            state.feeds_or_sitemaps_found = True
            sitemap_kind, entries = parse_sitemap(response.body, rejected)
            for entry in entries:
                if sitemap_kind == "index":
                    yield from self._discovery(state, entry.url, "sitemap")
                elif self._listed_article(state, entry.url):
                    yield from self._article(state, entry.url, "sitemap", response.url, entry.date)
        elif kind == "feed":
            state.feeds_or_sitemaps_found = True
            for item in parse_feed(response.body, rejected):
                if self._listed_article(state, item.url):
                    yield from self._article(state, item.url, "feed", response.url, item.date)
        else:
            log.info("%s: %s is neither a feed nor a sitemap", state.source.id, response.url)
        self._note_rejected(response, rejected)

    def parse_article(self, response: Response) -> Iterator[Request]:
        state = self.outlets[response.meta["source_id"]]
        if not self._is_html(response):
            self._note(response, f"not stored: content type {self._content_type(response)!r} is not HTML")
            return
        if not within(response.url, state.source.hosts):
            self._note(response, f"not stored: ended off-site at {response.url}")
            return
        requested = response.request.url if response.request else response.url
        original = (response.meta.get("redirect_urls") or [requested])[0]
        page_id = exact_id(original)
        page = RawPage(
            page_id=page_id,
            source_id=state.source.id,
            url=original,
            final_url=response.url,
            fetched_at=_now_iso(),
            http_status=response.status,
            content_type=self._content_type(response),
            path=raw_page_path(state.source.id, page_id),
            sha256=sha256(response.body),
            size_bytes=len(response.body),
            discovered_via=response.meta.get("discovered_via", "listing"),
            discovered_from=response.meta.get("discovered_from"),
            listed_date=response.meta.get("listed_date"),
        )
        self.spool.store_page(response.body, page)
        state.stored += 1
        if state.stored % 10 == 0:
            log.info("PROGRESS outlet=%s stored=%d", state.source.id, state.stored)
        # Articles link to related stories: a cheap way to reach what feeds no longer list.
        if isinstance(response, TextResponse):
            rejected: list[str] = []
            for url in links_from_html(response.body, response.url, rejected):
                if looks_like_article(url, state.article_re):
                    yield from self._article(state, url, "listing", response.url)
            self._note_rejected(response, rejected)

    def on_error(self, failure: Failure) -> None:
        request: Request = failure.request  # type: ignore[attr-defined]
        source_id = request.meta.get("source_id", "")
        value = failure.value
        message = str(value)
        if isinstance(value, HttpError):
            pass  # the status of every attempt is already in the fetch log
        elif isinstance(value, IgnoreRequest):
            if "robots" in message.lower():
                error = "blocked by robots.txt"
            elif "maxsize" in message.lower() or "decompress" in message.lower():
                error = f"oversize: {message}"  # a gzip bomb stops at the size cap while decompressing
            elif "max redirections" in message.lower() or "redirect" in message.lower():
                error = f"redirect refused: {message}"
            else:
                error = f"ignored: {message or type(value).__name__}"
            self._spool_error(request, source_id, None, error)
        log.info("%s: %s failed: %s", source_id, request.url, describe_failure(value))
        if request.meta.get("role") == "robots" and describe_failure(value).startswith("oversize"):
            self._spool_error(request, source_id, None, "robots.txt over the size cap: treated as disallowing "
                              "everything on this outlet (crawlers.middlewares.StrictRobotsTxtMiddleware)")
        state = self.outlets.get(source_id)
        if state is not None and request.meta.get("role") == "article":
            state.incomplete = True
        elif state is not None and request.meta.get("role") in CONDITIONAL_ROLES and request.url in self.validators:
            # A vanished index (404, timeout...) is downloaded in full if it comes back.
            state.validated[request.url] = replace(self.validators[request.url], forget=True)
        if state is not None and request.meta.get("role") in ("robots", "home"):
            # A dead home page or robots.txt must not stall discovery of the rest.
            for follow_up in self._after_initial(state):
                self.crawler.engine.crawl(follow_up)

    # -- helpers --------------------------------------------------------------------

    @staticmethod
    def _listed_article(state: OutletState, url: str) -> bool:
        """Sitemaps and feeds list sections too ("/berita"): a one-segment path must look like a story."""
        if state.article_re is not None:
            return bool(state.article_re.search(url))
        segments = [s for s in urlsplit(url).path.split("/") if s]
        return len(segments) > 1 or looks_like_article(url)

    @staticmethod
    def _content_type(response: Response) -> str:
        return response.headers.get(b"Content-Type", b"").decode("latin-1")

    def _is_html(self, response: Response) -> bool:
        content_type = self._content_type(response).lower()
        if any(t in content_type for t in HTML_TYPES):
            return True
        return not content_type and response.body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))

    def _note_rejected(self, response: Response, rejected: list[str]) -> None:
        """Malformed links a page holds are skipped, and recorded once per page so the summary shows them."""
        if rejected:
            shown = ", ".join(repr(href[:200]) for href in rejected[:5])
            more = f" and {len(rejected) - 5} more" if len(rejected) > 5 else ""
            self._note(response, f"skipped {len(rejected)} malformed link(s): {shown}{more}")

    def _note(self, response: Response, error: str) -> None:
        log.info("%s: %s", response.url, error)
        self._spool_error(response.request, response.meta.get("source_id", ""), response.status, error)

    def _spool_error(self, request: Request | None, source_id: str, status: int | None, error: str) -> None:
        url = request.url if request is not None else ""
        fetched_at = _now_iso()
        self.spool.record_fetch(Fetch(
            fetch_id=content_id(self.crawl_id, url, "note", fetched_at),
            crawl_id=self.crawl_id,
            source_id=source_id,
            url=url,
            status=status,
            error=error,
            duration_ms=0.0,
            fetched_at=fetched_at,
        ))
