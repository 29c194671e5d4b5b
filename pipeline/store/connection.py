"""Opening the DuckDB file: one writer, many read-only readers, bounded waiting.

DuckDB lets one process open a file read-write, or several processes open it
read-only, never both. A writer that finds the file held (an analyst's notebook,
another run) waits with exponential backoff up to a bound, then fails with a
message that says who to close; it never half-opens.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)

DEFAULT_LOCK_TIMEOUT_S = 30.0


class StoreError(RuntimeError):
    """The store cannot be used; the message says why and what to do."""


class StoreLockedError(StoreError):
    """Another process holds the database file."""


# Threads of one process share DuckDB's in-process database cache; opening the same file from two
# threads while a third process holds it fails with "Unique file handle conflict" rather than waiting.
_OPENING = threading.Lock()


def _is_lock_conflict(exc: Exception) -> bool:
    text = str(exc).lower()
    return ("lock" in text or "conflicting" in text or "being used by another" in text
            or "unique file handle conflict" in text)


def open_connection(
    path: Path | str,
    *,
    read_only: bool,
    lock_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S,
) -> duckdb.DuckDBPyConnection:
    """Open ``path``, retrying while another process holds a conflicting lock."""
    path = Path(path)
    if read_only and not path.exists():
        raise StoreError(f"no database at {path}; run `pantau crawl` and `pantau process` (or `make demo`) first")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + lock_timeout_s
    delay = 0.05
    attempt = 0
    while True:
        attempt += 1
        try:
            with _OPENING:
                return duckdb.connect(str(path), read_only=read_only)
        except (duckdb.IOException, duckdb.BinderException) as exc:
            if not _is_lock_conflict(exc):
                raise StoreError(f"cannot open {path}: {exc}") from exc
            if time.monotonic() >= deadline:
                mode = "read-only" if read_only else "for writing"
                raise StoreLockedError(
                    f"cannot open {path} {mode}: another process holds it "
                    f"(waited {lock_timeout_s:.0f} s over {attempt} attempts). Close the other "
                    f"connection (a notebook, a running `pantau` command) and retry. Detail: {exc}"
                ) from exc
            log.info("database %s is busy; retrying in %.2f s", path, delay)
            time.sleep(min(delay, max(0.0, deadline - time.monotonic())) + random.uniform(0, 0.02))
            delay = min(delay * 2, 2.0)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open {path}: {exc}") from exc


def connect_readonly(path: Path | str, *, lock_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S) -> duckdb.DuckDBPyConnection:
    """What every reader (CLI queries, digest, notebooks) uses."""
    return open_connection(path, read_only=True, lock_timeout_s=lock_timeout_s)
