"""Where the crawler puts what it fetched: raw pages on disk and a JSONL spool.

The crawler never touches DuckDB. Each crawl writes one spool file of fetch and
page records (one JSON object per line, flushed as it goes) that
``pipeline.crawl`` loads after the crawl. If the crawl is killed, the lines
written so far are loaded on the next run, so nothing fetched is lost.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

from pipeline.records import Fetch, HttpValidator, RawPage


class Spool:
    """Append-only record of one crawl, plus the raw-page files it refers to."""

    def __init__(self, spool_path: Path, raw_root: Path) -> None:
        self.spool_path = spool_path
        self.raw_root = raw_root
        spool_path.parent.mkdir(parents=True, exist_ok=True)
        self._file: IO[str] = spool_path.open("a", encoding="utf-8")
        self._lock = threading.Lock()

    def close(self) -> None:
        self._file.close()

    def _write(self, kind: str, payload: dict[str, Any]) -> None:
        line = json.dumps({"kind": kind, **payload}, ensure_ascii=False)
        with self._lock:
            self._file.write(line + "\n")
            self._file.flush()

    def record_fetch(self, fetch: Fetch) -> None:
        self._write("fetch", asdict(fetch))

    def record_validator(self, validator: HttpValidator) -> None:
        self._write("validator", asdict(validator))

    def store_page(self, body: bytes, page: RawPage) -> RawPage:
        """Write the body gzip-compressed (atomically) and spool its record."""
        target = self.raw_root / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + f".{os.getpid()}.tmp")
        with gzip.open(tmp, "wb", compresslevel=6) as handle:
            handle.write(body)
        os.replace(tmp, target)
        self._write("page", asdict(page))
        return page


def raw_page_path(source_id: str, page_id: str) -> str:
    """Relative path of a raw page: per outlet, fanned out so no folder grows huge."""
    return f"{source_id}/{page_id[:2]}/{page_id}.html.gz"


def sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _spool_records(path: Path) -> Iterator[tuple[str | None, dict[str, Any]]]:
    """(kind, fields) of each spool line; a torn last line (the crawl was killed mid-write) is skipped."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            yield record.pop("kind", None), record


def read_spool(path: Path) -> tuple[list[Fetch], list[RawPage]]:
    """Parse a spool file's fetches and pages."""
    fetches: list[Fetch] = []
    pages: list[RawPage] = []
    for kind, record in _spool_records(path):
        if kind == "fetch":
            fetches.append(Fetch(**record))
        elif kind == "page":
            pages.append(RawPage(**record))
    return fetches, pages


def read_validators(path: Path) -> list[HttpValidator]:
    """The HTTP validators a spool file records (``read_spool`` leaves them out)."""
    return [HttpValidator(**record) for kind, record in _spool_records(path) if kind == "validator"]
