"""Conditional GET for an outlet's indexes: its home page, feeds, sitemaps and listing pages.

A daily run fetches the same indexes every day, and most have not changed
since yesterday. The ETag and Last-Modified a server sent are stored per URL
(``http_validators``, loaded by the parent like the rest of the spool) and
sent back as If-None-Match / If-Modified-Since; an unchanged index answers
304 with no body, and its links, all followed yesterday, are not followed
again. Articles are never conditional: a stored article is not requested at
all.

Two cases must not leave a link unfollowed: a crawl that stopped at its page
limit, or in which an article request failed, *forgets* the validators of its
outlet so that the next crawl downloads the indexes in full; and indexes known
from earlier crawls (a feed named on the home page, the sitemaps of an index)
are requested directly, since a 304 on the page that names them no longer
names them. Scrapy's HttpCacheMiddleware with its RFC 2616 policy would do the
revalidation, but it also stores every body a second time, articles included;
Pantau already keeps raw pages, so only the validators are kept.
"""

from __future__ import annotations

import json
from pathlib import Path

from scrapy.http import Response

from pipeline.records import HttpValidator

CONDITIONAL_ROLES = ("home", "feed", "sitemap", "probe", "listing")
NOT_MODIFIED = 304


def load_validators(path: str) -> dict[str, HttpValidator]:
    """The validators the parent exported (url -> record); none when there is no file."""
    if not path or not Path(path).exists():
        return {}
    records = json.loads(Path(path).read_text(encoding="utf-8"))
    return {url: HttpValidator(url=url, **record) for url, record in records.items()}


def conditional_headers(validator: HttpValidator | None) -> dict[str, str]:
    headers = {}
    if validator is not None and validator.etag:
        headers["If-None-Match"] = validator.etag
    if validator is not None and validator.last_modified:
        headers["If-Modified-Since"] = validator.last_modified
    return headers


def validator_of(response: Response, source_id: str, role: str) -> HttpValidator:
    """What the response says identifies its version (both may be absent)."""
    etag = response.headers.get(b"ETag")
    modified = response.headers.get(b"Last-Modified")
    url = response.request.url if response.request is not None else response.url
    return HttpValidator(url=url, source_id=source_id, role=role,
                         etag=etag.decode("latin-1") if etag else None,
                         last_modified=modified.decode("latin-1") if modified else None)
