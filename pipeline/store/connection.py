"""Opening the DuckDB file: one writer, many read-only readers, bounded waiting.

DuckDB lets one process open a file read-write, or several processes open it
read-only, never both. A writer that finds the file held (an analyst's notebook,
another run) waits with exponential backoff up to a bound, then fails with a
message that says who to close; it never half-opens.
"""

from __future__ import annotations

import logging
import random
import re
import threading
import time
from contextlib import suppress
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)

DEFAULT_LOCK_TIMEOUT_S = 30.0


class StoreError(RuntimeError):
    """The store cannot be used; the message says why and what to do."""


class StoreLockedError(StoreError):
    """Another process holds the database file."""


class StoreDamagedError(StoreError):
    """The file is not a readable DuckDB database: damaged, truncated, or not a database at all."""


# Threads of one process share DuckDB's in-process database cache; opening the same file from two
# threads while a third process holds it fails with "Unique file handle conflict" rather than waiting.
_OPENING = threading.Lock()


# DuckDB's messages for a file held by another process (IOException), or by another connection of this
# process while it opens (BinderException). Matched exactly: a damaged file's "...in block at location..."
# once matched a loose "lock" and was waited on for 30 s, then reported as busy.
_LOCK_CONFLICTS: tuple[tuple[type[Exception], re.Pattern[str]], ...] = (
    (duckdb.IOException, re.compile(r"IO Error: Could not set lock on file .*: Conflicting lock is held", re.S)),
    (duckdb.IOException, re.compile(r"IO Error: .*being used by another process", re.S)),  # Windows
    (duckdb.BinderException, re.compile(r"Binder Error: Unique file handle conflict")),
)
# DuckDB's messages for a file it cannot read as a database.
_DAMAGE = re.compile(r"Corrupt database file|checksum .* does not match|Could not read enough bytes|"
                     r"not a valid DuckDB database file|database file .* is not valid|"
                     r"INTERNAL Error|Serialization Error|Failed to load metadata", re.I | re.S)


def _is_lock_conflict(exc: Exception) -> bool:
    return any(isinstance(exc, kind) and pattern.match(str(exc)) for kind, pattern in _LOCK_CONFLICTS)


def is_damage(exc: BaseException) -> bool:
    """Whether a DuckDB error says the file itself is unreadable (rather than busy or misused)."""
    return isinstance(exc, duckdb.Error) and bool(_DAMAGE.search(str(exc)))


def damaged(path: Path, exc: BaseException) -> StoreDamagedError:
    """The one-line message for an unreadable database file, with what to do about it."""
    return StoreDamagedError(
        f"the database file is damaged or is not a DuckDB database: {path} ({str(exc).splitlines()[0]}). "
        f"Restore it from a backup (cp BACKUP {path}), or move it aside (mv {path} {path}.damaged) and "
        f"rebuild it with `pantau crawl` and `pantau process`"
    )


def _check_header(path: Path) -> None:
    """A file that exists but does not start like a DuckDB database is refused before DuckDB sees it
    (given an SQLite file, DuckDB would try to download its SQLite extension)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(12)
    except FileNotFoundError:
        return
    except IsADirectoryError as exc:
        raise StoreError(f"{path} is a folder; name a database file") from exc
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if head[8:12] != b"DUCK":
        raise damaged(path, ValueError("it does not start with DuckDB's file header"))


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
    _check_header(path)
    deadline = time.monotonic() + lock_timeout_s
    delay = 0.05
    attempt = 0
    while True:
        attempt += 1
        try:
            with _OPENING:
                con = duckdb.connect(str(path), read_only=read_only)
                _no_progress_bar(con)
                return con
        except (duckdb.IOException, duckdb.BinderException) as exc:
            if is_damage(exc):
                raise damaged(path, exc) from exc
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
            if is_damage(exc):
                raise damaged(path, exc) from exc
            raise StoreError(f"cannot open {path}: {exc}") from exc


def _no_progress_bar(con: duckdb.DuckDBPyConnection) -> None:
    """DuckDB draws a progress bar on stdout during long statements, inside a command's output. In Jupyter it
    is a widget instead, and changing the setting there fails without ipywidgets: that one is left alone."""
    with suppress(duckdb.InvalidInputException):
        con.execute("SET enable_progress_bar = false")


def connect_readonly(path: Path | str, *, lock_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S) -> duckdb.DuckDBPyConnection:
    """What every reader (CLI queries, digest, notebooks) uses; refuses a database that is not Pantau's."""
    con = open_connection(path, read_only=True, lock_timeout_s=lock_timeout_s)
    try:
        known = con.execute("SELECT count(*) FROM information_schema.tables "
                            "WHERE table_name = 'schema_version'").fetchone()
    except duckdb.Error as exc:
        con.close()
        if is_damage(exc):
            raise damaged(Path(path), exc) from exc
        raise StoreError(f"cannot read {path}: {exc}") from exc
    if not known or not known[0]:
        con.close()
        raise StoreError(f"{path} is not a Pantau database (no schema_version table); name the right --db path")
    return con
