"""Reading WARC and WARC.gz files: which records are outlet pages, and why the others are not.

FastWARC reads records (it was ~4x faster than warcio on the bench WARC; see the
README's "Backfill" section). A record is kept when it is a ``response`` with
HTTP status 200, an HTML content type, a host that belongs to an outlet, and an
intact body; every other record is counted under the reason it was skipped, so
a run can say what an archive held besides news.

A byte range (``start``, ``end``) selects the records that *begin* in it: WARC
records are independent (and in WARC.gz each is its own gzip member), so a
reader may seek to any record's offset. :func:`record_offsets` finds them.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from fastwarc.warc import ArchiveIterator, WarcRecordType

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class WarcPage:
    """One kept response: the HTML body and where in the archive it lies (its provenance)."""

    url: str
    host: str  # host[:port], lower case, as the registry's Source.hosts
    warc_file: str
    offset: int  # byte offset of the record in the (compressed) file
    warc_date: str  # ISO datetime, UTC: when the archive fetched it
    content_type: str
    charset: str | None
    body: bytes
    digest: str | None  # WARC-Payload-Digest


@dataclass
class ReadCounts:
    """Records read and skipped (by reason) in one file or range; ``error`` when reading stopped early."""

    records: int = 0
    kept: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    error: str | None = None


def host_of(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    host = host[4:] if host.startswith("www.") else host
    try:
        port = parts.port
    except ValueError:
        port = None
    return host if port is None or port in (80, 443) else f"{host}:{port}"


def normalise_host(host: str) -> str:
    """A registry or ``--domains`` host compared as :func:`host_of` gives it (no ``www.``, no default port)."""
    host = host.strip().lower()
    host = host[4:] if host.startswith("www.") else host
    return host.removesuffix(":80").removesuffix(":443")


def _open(path: Path, start: int):  # type: ignore[no-untyped-def]
    handle = path.open("rb")
    if start:
        handle.seek(start)
    return handle


def record_offsets(path: Path) -> list[int]:
    """The byte offset of every record, without parsing HTTP (for splitting a large file into ranges)."""
    with path.open("rb") as handle:
        return [record.stream_pos for record in ArchiveIterator(handle, parse_http=False)]


def _skip_reason(record, hosts: frozenset[str]) -> str | None:  # type: ignore[no-untyped-def]
    """Why a record is not an outlet page, checked cheapest first; None when it is one."""
    if record.record_type != WarcRecordType.response:
        return str(record.record_type)  # request, revisit, metadata, warcinfo...
    url = record.headers.get("WARC-Target-URI") or ""
    if host_of(url) not in hosts:
        return "other host"
    http = record.http_headers
    if http is None:
        return "no HTTP headers"
    if http.status_code != 200:
        return f"HTTP {http.status_code}"
    content_type = (record.http_content_type or "").lower()
    if not content_type.startswith(HTML_TYPES):
        return "not HTML"
    return None


def read_pages(path: Path, hosts: frozenset[str], start: int = 0, end: int | None = None,
               counts: ReadCounts | None = None) -> Iterator[WarcPage]:
    """The outlet pages among the records that begin in [start, end); skips are counted in ``counts``.

    A file that cannot be read on (a broken gzip member, garbage) stops the iteration: what was read
    before it is kept, and ``counts.error`` says where and why.
    """
    counts = counts if counts is not None else ReadCounts()
    name = str(path)
    try:
        with _open(path, start) as handle:
            for record in ArchiveIterator(handle, parse_http=True):
                offset = record.stream_pos  # absolute: FastWARC counts from the handle's position
                if end is not None and offset >= end:
                    break
                counts.records += 1
                reason = _skip_reason(record, hosts)
                if reason is not None:
                    counts.skipped[reason] += 1
                    continue
                digest = record.headers.get("WARC-Payload-Digest")
                # A record cut short (the file was truncated, a copy failed) fails its payload digest.
                if digest and not record.verify_payload_digest(consume=False):
                    counts.skipped["truncated or corrupt body"] += 1
                    continue
                body = record.reader.read()
                counts.kept += 1
                yield WarcPage(
                    url=record.headers.get("WARC-Target-URI") or "",
                    host=host_of(record.headers.get("WARC-Target-URI") or ""),
                    warc_file=name,
                    offset=offset,
                    warc_date=record.headers.get("WARC-Date") or "",
                    content_type=record.http_content_type or "text/html",
                    charset=record.http_charset,
                    body=body,
                    digest=digest,
                )
    except (OSError, ValueError, EOFError) as exc:
        counts.error = f"{type(exc).__name__}: {exc} (after {counts.records} records)"
        log.warning("%s: %s", path, counts.error)
