"""Writing CC-NEWS-style WARC files, for tests and ``make bench`` (warcio's writer).

Each record is its own gzip member, with a request before each response and
payload digests, as Common Crawl writes them. :func:`noise` adds what a real
archive holds besides outlet articles: other hosts, revisits, 404s, images.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

_REASONS = {200: "OK", 301: "Moved Permanently", 404: "Not Found", 500: "Internal Server Error"}


@dataclass(frozen=True)
class ArchivedResponse:
    url: str
    body: bytes
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    date: str = "2024-09-20T03:00:00Z"
    revisit: bool = False  # a revisit record (the body is elsewhere in the archive)


def write_warc(path: Path, responses: Iterable[ArchivedResponse], *, gzip: bool = True) -> list[int]:
    """Write the responses (each after its request record); returns each response record's offset."""
    offsets = []
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        for item in responses:
            request = writer.create_warc_record(
                item.url, "request", http_headers=StatusAndHeaders(
                    f"GET {item.url} HTTP/1.1", [("User-Agent", "CCBot/2.0")], is_http_request=True),
                warc_headers_dict={"WARC-Date": item.date})
            writer.write_record(request)
            offsets.append(handle.tell())
            http = StatusAndHeaders(f"{item.status} {_REASONS.get(item.status, 'OK')}",
                                    [("Content-Type", item.content_type), ("Content-Length", str(len(item.body)))],
                                    protocol="HTTP/1.1")
            if item.revisit:
                record = writer.create_revisit_record(item.url, digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                                      refers_to_uri=item.url, refers_to_date=item.date,
                                                      http_headers=http)
            else:
                record = writer.create_warc_record(item.url, "response", payload=io.BytesIO(item.body),
                                                   http_headers=http, warc_headers_dict={"WARC-Date": item.date})
            writer.write_record(record)
    return offsets


def noise(count: int = 1) -> list[ArchivedResponse]:
    """Records a backfill must skip: another host, a revisit, a 404, an image, a PDF."""
    items = []
    for n in range(count):
        items += [
            ArchivedResponse(f"https://www.example-news.com/2024/09/{n}/berita-lain",
                             b"<html><head><title>Lain</title></head><body><p>Berita lain.</p></body></html>"),
            ArchivedResponse(f"https://nasional.example.org/read/{n}", b"<html><body>x</body></html>", revisit=True),
        ]
    return items


def outlet_noise(base: str, count: int = 1) -> list[ArchivedResponse]:
    """Records on an outlet's own host that are not pages to extract: a 404, an image, a revisit."""
    base = base.rstrip("/")
    items = []
    for n in range(count):
        items += [
            ArchivedResponse(f"{base}/tidak-ada-{n}/", b"<html><body><h1>404</h1></body></html>", status=404),
            ArchivedResponse(f"{base}/wp-content/uploads/foto-{n}.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 64,
                             content_type="image/jpeg"),
            ArchivedResponse(f"{base}/arsip-{n}/", b"", revisit=True),
        ]
    return items
