"""Downloader middlewares: record every attempt, keep each outlet within its hosts.

``StrictRobotsTxtMiddleware`` is Scrapy's robots.txt middleware, except that a
robots.txt too big to download (over ``DOWNLOAD_MAXSIZE``) disallows the whole
host instead of allowing it: Scrapy treats any failed robots.txt as "no rules",
so an outlet could lift its rules for us by padding the file past the cap.
``FetchLogMiddleware`` sits next to the downloader, so retries and redirects
each leave a fetch record. ``OutletBoundsMiddleware`` refuses a request (a
redirect target, typically) whose host is not one of its outlet's hosts, and
hosts that resolve to private or loopback addresses unless the outlet itself
lives there (the sample outlets do; a real outlet redirecting into the LAN
must not be followed).
"""

from __future__ import annotations

import ipaddress
import logging
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

from crawlers.discovery import netloc
from pipeline.records import Fetch
from pipeline.urls import content_id

log = logging.getLogger(__name__)


def _now_iso() -> str:
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="milliseconds")


class OffsiteRedirect(IgnoreRequest):
    """A redirect left the outlet's hosts."""


def _is_private_host(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host in ("localhost",) or host.endswith(".localhost")
    return address.is_private or address.is_loopback or address.is_link_local or address.is_reserved


class OutletBoundsMiddleware:
    def process_request(self, request: Request, spider: Spider) -> None:
        hosts: frozenset[str] | None = request.meta.get("outlet_hosts")
        if not hosts or not request.meta.get("redirect_urls"):
            return
        target = netloc(request.url)
        if target in hosts:
            return
        source_id = request.meta.get("source_id", "?")
        reason = f"redirect to {target} left the outlet's hosts ({', '.join(sorted(hosts))})"
        host = urlsplit(request.url).hostname or ""
        if _is_private_host(host):
            reason = f"redirect to private/loopback address {target} refused"
        log.warning("%s: %s: %s", source_id, request.meta["redirect_urls"][0], reason)
        raise OffsiteRedirect(reason)


class DisallowAll:
    """The rules of a robots.txt that could not be read because it was over the size cap."""

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return False


def is_oversize(exception: BaseException) -> bool:
    return describe_failure(exception).startswith("oversize")


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    """See the module docstring: an oversize robots.txt means "disallow all" for its host."""

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if not is_oversize(exc):
            super()._robots_error(exc, netloc)
            return
        log.warning("robots.txt of %s is over the size cap: nothing on that host is fetched", netloc)
        self._stats.inc_value("robotstxt/oversize")
        pending = self._parsers[netloc]
        rules = DisallowAll()
        self._parsers[netloc] = rules  # type: ignore[assignment]
        if hasattr(pending, "callback"):
            pending.callback(rules)


class FetchLogMiddleware:
    """Write one ``Fetch`` per network attempt to the spider's spool."""

    def process_request(self, request: Request, spider: Spider) -> None:
        request.meta["pantau_started"] = time.monotonic()

    def _record(self, request: Request, spider: Spider, status: int | None, error: str | None,
                size: int = 0, content_type: str | None = None) -> None:
        spool = getattr(spider, "spool", None)
        if spool is None:
            return
        started = request.meta.get("pantau_started", time.monotonic())
        attempt = request.meta.get("retry_times", 0)
        hops = len(request.meta.get("redirect_urls", []))
        fetched_at = _now_iso()
        spool.record_fetch(Fetch(
            fetch_id=content_id(spider.crawl_id, request.url, str(attempt), str(hops), fetched_at),
            crawl_id=spider.crawl_id,
            source_id=request.meta.get("source_id", ""),
            url=request.url,
            status=status,
            error=error,
            duration_ms=round((time.monotonic() - started) * 1000, 1),
            fetched_at=fetched_at,
            size_bytes=size,
            content_type=content_type,
        ))

    def process_response(self, request: Request, response: Response, spider: Spider) -> Response:
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        error = None if 200 <= response.status < 400 else f"HTTP {response.status}"
        self._record(request, spider, response.status, error, len(response.body), content_type)
        return response

    def process_exception(self, request: Request, exception: Exception, spider: Spider) -> Any:
        if isinstance(exception, IgnoreRequest):
            return None  # refused before any network traffic (robots.txt, bounds): the spider records it
        self._record(request, spider, None, describe_failure(exception))
        return None


def describe_failure(exception: BaseException) -> str:
    """A short, stable description of a download failure for the fetches table."""
    name = type(exception).__name__
    text = str(exception).strip().splitlines()[0] if str(exception).strip() else ""
    lowered = f"{name} {text}".lower()
    if "timeout" in lowered or "timed out" in lowered:
        kind = "timeout"
    elif "dns" in lowered or "lookup" in lowered:
        kind = "dns failure"
    elif "maxsize" in lowered or "max size" in lowered or "larger than download" in lowered:
        kind = "oversize"
    elif "connectionrefused" in lowered or "connection was refused" in lowered:
        kind = "connection refused"
    elif "connectionlost" in lowered or "reset" in lowered or "connectiondone" in lowered:
        kind = "connection lost"
    elif "cancel" in lowered:
        kind = "cancelled (oversize or aborted)"
    else:
        kind = "error"
    detail = f"{name}: {text}" if text else name
    return f"{kind}: {detail}"[:500]
