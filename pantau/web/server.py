"""``pantau serve``: safe defaults, a fresh snapshot at start, then uvicorn.

Off loopback the app answers only requests that carry the token; binding to
another address without one is refused, and binding with one prints a warning,
because the pages then reach whoever can reach the port.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import sys
from pathlib import Path

from pipeline.store import StoreError
from pipeline.store.snapshot import current_snapshot, publish_snapshot

log = logging.getLogger(__name__)


class ServeError(RuntimeError):
    """The server cannot start as asked; the message says why."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def refresh_snapshot(db: Path) -> Path | None:
    """Publish a snapshot when none exists or the database changed since (an ingest, a manual run).

    Never waits long: a database held by a running writer keeps the last snapshot, which the
    daily flow replaces when it ends.
    """
    snapshot = current_snapshot(db)
    if snapshot is not None and snapshot.stat().st_mtime >= db.stat().st_mtime:
        return snapshot
    try:
        return publish_snapshot(db, lock_timeout_s=5)
    except StoreError as exc:
        log.warning("kept the last read snapshot: %s", exc)
        return snapshot


def serve(db: Path, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
    import uvicorn

    from pantau.web.app import create_app

    token = token or os.environ.get("PANTAU_TOKEN") or None
    if not is_loopback(host):
        if not token:
            raise ServeError(f"--host {host} exposes the app beyond this machine: give --token (or set "
                             "PANTAU_TOKEN); every request must then carry it")
        print(f"warning: serving on {host}:{port}, reachable from other machines; every request must carry the "
              "token (Authorization: Bearer, or ?token= once in a browser)", file=sys.stderr)
    if not db.exists():
        raise ServeError(f"no database at {db}; run `pantau daily` or `pantau ingest` first")
    refresh_snapshot(db)
    uvicorn.run(create_app(db, token), host=host, port=port, log_level="info", server_header=False)
