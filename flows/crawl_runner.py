"""One outlet's crawl stage (``pipeline.crawl.run_crawl``) in a process of its own: ``python -m flows.crawl_runner``.

The daily flow runs several outlets at once. Were their ``run_crawl`` calls
threads of one process, they would share one in-process DuckDB instance, and
while another process (an analyst's notebook) holds the file, concurrent
connection attempts from threads fail with "Unique file handle conflict"
instead of waiting. One process per outlet makes every wait a plain
file-lock wait, which the store retries with backoff. Prefect-free: the
child prints the crawler's lines, then one result line of JSON;
``crawl_in_subprocess`` is the parent's side.

Exit status: 0 done (result printed), 2 bad registry or arguments, 75 the
database stayed locked, other values a crash.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from types import FrameType
from typing import Any

from pipeline.crawl import CrawlSummary, OutletCrawl, run_crawl
from pipeline.registry import RegistryError
from pipeline.settings import Paths
from pipeline.store import StoreLockedError

RESULT_PREFIX = "PANTAU-CRAWL-RESULT "
EXIT_CONFIG = 2
EXIT_LOCKED = 75  # EX_TEMPFAIL


class CrawlerCrashed(RuntimeError):
    """The crawl process exited abnormally (killed, out of memory, an unhandled error): worth a retry."""


class CrawlConfigError(ValueError):
    """The registry or the arguments are wrong for this outlet: another attempt would fail the same way."""


def crawl_in_subprocess(paths: Paths, registry: Sequence[str], source_id: str, *, fast: bool = False,
                        max_pages: int | None = None, lock_timeout_s: float = 120.0,
                        on_line: Callable[[str], None] | None = None) -> CrawlSummary:
    """Run this module for one outlet and return its ``CrawlSummary``; ``paths.spool`` must be the outlet's own.

    Raises ``StoreLockedError`` (the database stayed locked), ``CrawlConfigError`` or
    ``CrawlerCrashed`` (also when Scrapy itself exited abnormally).
    """
    command = [sys.executable, "-m", "flows.crawl_runner", "--data", str(paths.data), "--db", str(paths.db),
               "--spool", str(paths.spool), "--source", source_id, "--lock-timeout", str(lock_timeout_s),
               "--parent-pid", str(os.getpid()),
               *[arg for p in registry for arg in ("--registry", str(p))]]
    command += ["--fast"] if fast else []
    command += ["--max-pages", str(max_pages)] if max_pages else []
    # A session of its own: the child kills its group (itself and Scrapy) when this process dies.
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               errors="replace", start_new_session=True)
    assert process.stdout is not None
    result: dict[str, Any] | None = None
    tail: list[str] = []
    try:
        for line in process.stdout:
            line = line.rstrip()
            if line.startswith(RESULT_PREFIX):
                result = json.loads(line[len(RESULT_PREFIX):])
                continue
            tail = ([*tail, line])[-20:]
            if on_line is not None:
                on_line(line)
        code = process.wait()
    finally:
        if process.poll() is None:  # interrupted here: take the crawl down too
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    last = tail[-1] if tail else ""
    if code == EXIT_LOCKED:
        raise StoreLockedError(f"{source_id}: {last}")
    if code == EXIT_CONFIG:
        raise CrawlConfigError(f"{source_id}: {last}")
    if code != 0 or result is None:
        raise CrawlerCrashed(f"crawl of {source_id} exited with {code}: " + " | ".join(tail[-3:]))
    outlets = {sid: OutletCrawl(**o) for sid, o in result.pop("outlets").items()}
    crawl = CrawlSummary(outlets=outlets, **result)
    if crawl.exit_code != 0:
        raise CrawlerCrashed(f"the crawler for {source_id} exited with {crawl.exit_code} "
                             f"({crawl.pages_stored} pages stored before it stopped)")
    return crawl


def _die_with_parent(parent_pid: int | None) -> None:
    """If the flow process dies (even by SIGKILL), stop this crawl and its Scrapy child.

    The parent starts us in a new process group; on SIGTERM (sent by the kernel
    when the parent dies, Linux only) we kill the whole group, as a dying
    machine would, so no orphan keeps writing the spool a rerun is loading.
    """

    def stop(signum: int, frame: FrameType | None) -> None:
        os.killpg(os.getpgrp(), signal.SIGKILL)

    signal.signal(signal.SIGTERM, stop)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if parent_pid is not None and os.getppid() != parent_pid:  # the parent died before the line above
        stop(signal.SIGTERM, None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="flows.crawl_runner", description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--spool", type=Path, required=True, help="this outlet's own spool folder")
    parser.add_argument("--registry", type=Path, action="append", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--fast", action="store_true")
    parser.add_argument("--max-pages", type=int)
    parser.add_argument("--lock-timeout", type=float, default=120.0)
    parser.add_argument("--parent-pid", type=int, help="stop at once if this process is no longer the parent")
    args = parser.parse_args(argv)
    _die_with_parent(args.parent_pid)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stdout)
    base = Paths.under(args.data, args.db)
    paths = Paths(data=base.data, db=base.db, raw=base.raw, spool=args.spool)
    try:
        summary = run_crawl(paths, args.registry, [args.source], fast=args.fast, max_pages=args.max_pages,
                            on_line=lambda line: print(line, flush=True), lock_timeout_s=args.lock_timeout)
    except StoreLockedError as exc:
        print(f"error: {exc}", flush=True)
        return EXIT_LOCKED
    except (RegistryError, ValueError) as exc:
        print(f"error: {exc}", flush=True)
        return EXIT_CONFIG
    print(RESULT_PREFIX + json.dumps(asdict(summary)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
