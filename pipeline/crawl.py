"""The crawl stage: run the spider in a subprocess, then load what it spooled.

The parent process owns the database: it exports the URLs already stored (so
the spider never re-fetches them), runs ``python -m crawlers.run``, and loads
the spool into DuckDB in one transaction per file. Spool files left by a crawl
that was killed are loaded first, so a rerun loses nothing.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import logging
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from crawlers.spool import read_spool, read_validators
from pipeline.registry import load_registry
from pipeline.settings import Paths
from pipeline.store import Store

log = logging.getLogger(__name__)


@dataclass
class OutletCrawl:
    source_id: str
    fetches: int = 0
    pages_stored: int = 0
    failures: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass
class CrawlSummary:
    crawl_id: str
    seconds: float
    exit_code: int
    outlets: dict[str, OutletCrawl]

    @property
    def pages_stored(self) -> int:
        return sum(o.pages_stored for o in self.outlets.values())

    @property
    def fetches(self) -> int:
        return sum(o.fetches for o in self.outlets.values())

    @property
    def failures(self) -> int:
        return sum(o.failures for o in self.outlets.values())


def new_crawl_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:8]


# A page whose stored raw file could not be read (missing, truncated) is fetched again, not treated as known.
RAW_FILE_LOST = ("extract_status LIKE 'error: FileNotFoundError%' OR extract_status LIKE 'error: BadGzipFile%' "
                 "OR extract_status LIKE 'error: EOFError%'")


def _export_known_urls(store: Store, target: Path) -> int:
    rows = store.query(
        f"SELECT url FROM raw_pages WHERE NOT coalesce({RAW_FILE_LOST}, false) "
        f"UNION SELECT final_url FROM raw_pages WHERE final_url IS NOT NULL AND NOT coalesce({RAW_FILE_LOST}, false) "
        "UNION SELECT url FROM article_aliases"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(r[0] for r in rows), encoding="utf-8")
    return len(rows)


def _die_with_parent() -> None:
    """In the crawler child: the kernel kills it if the parent dies, so no orphan writes a spool."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


@contextlib.contextmanager
def _claim(spool_file: Path):  # type: ignore[no-untyped-def]
    """Hold an exclusive lock on a spool file's lock for as long as its crawl runs (released by the OS
    if the process dies), so a concurrent crawl never loads a spool that is still being written."""
    lock_path = spool_file.with_suffix(".lock")
    with lock_path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    lock_path.unlink(missing_ok=True)


def _abandoned(spool_file: Path) -> bool:
    """A spool whose crawl is gone (no live process holds its lock)."""
    lock_path = spool_file.with_suffix(".lock")
    if not lock_path.exists():
        return True
    with lock_path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
    return True


def load_spool_file(store: Store, path: Path, outlets: dict[str, OutletCrawl] | None = None) -> tuple[int, int]:
    """Load one spool file (idempotent: ids are stable) and move it to spool/loaded/."""
    fetches, pages = read_spool(path)
    page_ids = {p.url: p.page_id for p in pages}
    fetches = [f if f.page_id or f.url not in page_ids else replace(f, page_id=page_ids[f.url]) for f in fetches]
    store.record_fetches(fetches)
    store.upsert_raw_pages(pages)
    store.upsert_validators(read_validators(path))
    if outlets is not None:
        for f in fetches:
            outlet = outlets.setdefault(f.source_id, OutletCrawl(f.source_id))
            outlet.fetches += 1
            if f.error:
                outlet.failures += 1
                if len(outlet.errors) < 20:
                    outlet.errors.append(f"{f.url}: {f.error}")
        for p in pages:
            outlets.setdefault(p.source_id, OutletCrawl(p.source_id)).pages_stored += 1
    done = path.parent / "loaded"
    done.mkdir(exist_ok=True)
    path.replace(done / path.name)
    return len(fetches), len(pages)


def _export_validators(store: Store, source_ids: Sequence[str], target: Path) -> int:
    """The ETag / Last-Modified of the outlets' feeds, sitemaps and listing pages, for conditional GETs."""
    rows = store.query("SELECT url, source_id, role, etag, last_modified FROM http_validators "
                       "WHERE source_id IN (SELECT unnest(CAST(? AS VARCHAR[])))", [list(source_ids)])
    target.write_text(json.dumps({url: {"source_id": sid, "role": role, "etag": etag, "last_modified": modified}
                                  for url, sid, role, etag, modified in rows}), encoding="utf-8")
    return len(rows)


def load_leftover_spools(store: Store, spool_dir: Path) -> list[Path]:
    """Load the spool files that interrupted crawls left in ``spool_dir``; a spool whose crawl is still
    running (its lock is held) is left alone. The one implementation, for ``pantau crawl`` and the daily
    flow alike. Returns the files loaded."""
    loaded = []
    for leftover in sorted(spool_dir.glob("*.jsonl")) if spool_dir.exists() else []:
        if _abandoned(leftover):
            log.warning("loading spool %s left by an interrupted crawl", leftover.name)
            load_spool_file(store, leftover)
            loaded.append(leftover)
        else:
            log.info("spool %s belongs to a crawl still running; left alone", leftover.name)
    return loaded


def run_crawl(
    paths: Paths,
    registry_paths: Sequence[Path],
    source_ids: Sequence[str] = (),
    *,
    fast: bool = False,
    max_pages: int | None = None,
    timeout_s: float | None = None,
    max_size: int | None = None,
    on_line: Callable[[str], None] | None = None,
    lock_timeout_s: float = 30.0,
) -> CrawlSummary:
    """Crawl the selected outlets (all when none are named) and load the results."""
    registry = load_registry(*registry_paths)  # fail early and clearly on a bad registry
    selected = registry.select(list(source_ids) or None)
    crawl_id = new_crawl_id()
    paths.spool.mkdir(parents=True, exist_ok=True)
    known_file = paths.spool / f"{crawl_id}.known.txt"
    validators_file = paths.spool / f"{crawl_id}.validators.json"
    with Store(paths.db, lock_timeout_s=lock_timeout_s) as store:
        store.upsert_sources(selected)
        load_leftover_spools(store, paths.spool)
        _export_known_urls(store, known_file)
        _export_validators(store, [s.id for s in selected], validators_file)

    spool_file = paths.spool / f"{crawl_id}.jsonl"
    command = [
        sys.executable, "-m", "crawlers.run",
        *[arg for p in registry_paths for arg in ("--registry", str(p))],
        "--sources", ",".join(s.id for s in selected),
        "--crawl-id", crawl_id,
        "--spool", str(spool_file),
        "--raw-root", str(paths.raw),
        "--known-urls", str(known_file),
        "--validators", str(validators_file),
    ]
    if fast:
        command.append("--fast")
    if max_pages:
        command += ["--max-pages", str(max_pages)]
    if timeout_s:
        command += ["--timeout", str(timeout_s)]
    if max_size:
        command += ["--max-size", str(max_size)]
    started = time.monotonic()
    with _claim(spool_file):
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   errors="replace", preexec_fn=_die_with_parent)
        assert process.stdout is not None
        tail: list[str] = []
        for line in process.stdout:
            line = line.rstrip()
            tail = ([*tail, line])[-40:]
            if on_line is not None:
                on_line(line)
        exit_code = process.wait()
    if exit_code != 0:
        log.error("crawler exited with %d:\n%s", exit_code, "\n".join(tail))

    outlets = {s.id: OutletCrawl(s.id) for s in selected}
    with Store(paths.db, lock_timeout_s=lock_timeout_s) as store:
        if spool_file.exists():
            load_spool_file(store, spool_file, outlets)
    known_file.unlink(missing_ok=True)
    validators_file.unlink(missing_ok=True)
    return CrawlSummary(crawl_id, time.monotonic() - started, exit_code, outlets)
