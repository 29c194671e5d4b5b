"""The daily run: crawl each outlet (one task per outlet), then extract, annotate and resolve once.

Thin on purpose: the work is ``pipeline.crawl.run_crawl`` and
``pipeline.process.process_pages``; this module adds retries, isolation,
concurrency and a summary. Tasks get paths and ids as strings.

- **Per-outlet isolation.** Each outlet is its own crawler process and task. An
  outlet whose task fails (after retries) makes the run *partially
  successful*: the flow still completes, processes what the others stored,
  and its summary names the failed outlets. Only a run where every outlet
  failed, or where processing failed, ends Failed.
- **Retries.** A crawler process that ran and recorded failed requests is a
  result, not an exception. What is retried (2 retries, exponential backoff
  from 10 s with jitter): a database still held by another process after
  ``LOCK_TIMEOUT_S``, and a crawl process that crashed (killed, out of memory,
  non-zero exit). An outlet that answered none of its requests fails without a
  retry (Scrapy already retried each request; tomorrow's run tries again), as
  does a bad registry entry or a bug.
- **Concurrency.** Crawl tasks run on a thread pool (``CRAWL_WORKERS``), each
  running ``run_crawl`` for its outlet in a process of its own
  (``flows.crawl_runner``): threads of one process share one DuckDB instance,
  and while a notebook holds the file their concurrent connection attempts fail
  ("Unique file handle conflict") instead of waiting; separate processes wait
  on the file lock with backoff (up to ``LOCK_TIMEOUT_S``, then a retry). Each
  crawl also gets its own spool folder (``spool/outlets/<id>/``): ``run_crawl``
  loads every spool file in its folder as the leftover of an interrupted crawl,
  which in a shared folder would steal a neighbour's file mid-write.
- **Resumability.** Every stage is idempotent by stable ids; a run killed at
  any point leaves spool files and unprocessed pages that the next run loads
  and processes first. A crawl process dies with the flow process (Linux), so
  no orphan keeps writing a spool that the rerun is loading.
"""

from __future__ import annotations

import dataclasses
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, runtime, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.states import Completed, Failed, State
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.tasks import exponential_backoff

from flows.crawl_runner import CrawlerCrashed, crawl_in_subprocess
from flows.summary import ERROR, DailySummary, OutletResult, outlet_result
from pipeline.alerts import WatchDelivery, send_alerts
from pipeline.crawl import load_leftover_spools
from pipeline.health import SourceHealth, crawl_plan, mark_verified, source_health
from pipeline.process import ProcessSummary, process_pages
from pipeline.registry import load_registry
from pipeline.settings import Paths
from pipeline.store import Store, StoreLockedError
from pipeline.store.snapshot import publish_snapshot
from pipeline.watchlist import DEFAULT_WATCHLIST

CRAWL_WORKERS = 4  # crawler processes at once; see the module docstring and flows/README.md
LOCK_TIMEOUT_S = 120.0  # an analyst's notebook may hold the file; wait, then retry the task
RETRY_BACKOFF_S = 10.0  # first retry after ~10 s, the second after ~20 s (plus jitter)
ARTIFACT_KEY = "pantau-daily-summary"


class OutletUnreachable(RuntimeError):
    """The crawler ran, but the outlet answered none of its requests: the task fails, not retried."""

    def __init__(self, message: str, outlet: OutletResult | None = None) -> None:
        super().__init__(message, outlet)  # both in args, so the exception survives pickling
        self.outlet = outlet

    def __str__(self) -> str:
        return str(self.args[0])


TRANSIENT = (StoreLockedError, CrawlerCrashed)


def is_transient(task: Any, task_run: Any, state: State[Any]) -> bool:
    """``retry_condition_fn``: retry only what another attempt can fix."""
    error = state.data if isinstance(state.data, BaseException) else state.result(raise_on_failure=False)
    return isinstance(error, TRANSIENT)


def _paths(data_dir: str, db: str | None) -> Paths:
    return Paths.under(Path(data_dir), Path(db) if db else None)


def outlet_paths(data_dir: str, db: str | None, source_id: str) -> Paths:
    """The outlet's own spool folder, so concurrent crawls never load each other's spool."""
    paths = _paths(data_dir, db)
    return dataclasses.replace(paths, spool=paths.spool / "outlets" / source_id)


_RETRIED = {"retries": 2, "retry_delay_seconds": exponential_backoff(RETRY_BACKOFF_S),
            "retry_jitter_factor": 0.5, "retry_condition_fn": is_transient, "cache_policy": NO_CACHE}


@task(name="prepare-store", **_RETRIED)  # type: ignore[call-overload]
def prepare_store(data_dir: str, db: str | None) -> int:
    """Create or migrate the database once before crawls run concurrently, and load spool files
    that a killed ``pantau crawl`` left in the shared spool folder. Returns how many were loaded."""
    paths = _paths(data_dir, db)
    with Store(paths.db, lock_timeout_s=LOCK_TIMEOUT_S) as store:
        leftovers = load_leftover_spools(store, paths.spool)  # a running `pantau crawl`'s spool stays its own
    for leftover in leftovers:
        get_run_logger().warning("loaded spool %s left by an interrupted crawl", leftover.name)
    return len(leftovers)


@task(name="crawl-outlet", task_run_name="crawl-{source_id}", **_RETRIED)  # type: ignore[call-overload]
def crawl_outlet(data_dir: str, db: str | None, registry: list[str], source_id: str, fast: bool = False,
                 max_pages: int | None = None) -> OutletResult:
    """One outlet, one crawl process (``flows.crawl_runner``); its pages are in DuckDB when this returns."""
    logger = get_run_logger()

    def forward(line: str) -> None:
        if "PROGRESS " in line:
            logger.info("%s", line.split("PROGRESS ", 1)[1])
        elif " ERROR" in line or line.startswith(("ERROR", "WARNING", "error:")):
            logger.warning("%s", line.split("] ", 1)[-1])

    crawl = crawl_in_subprocess(outlet_paths(data_dir, db, source_id), registry, source_id, fast=fast,
                                max_pages=max_pages, lock_timeout_s=LOCK_TIMEOUT_S, on_line=forward)
    result = outlet_result(source_id, crawl, attempts=runtime.task_run.run_count or 1)
    if result.failed:
        raise OutletUnreachable(f"{source_id}: {result.reason}", result)
    logger.info("%s: %d new pages, %d requests, %d failed", source_id, result.pages_stored, result.fetches,
                result.failures)
    return result


@task(name="process-pages", **_RETRIED)  # type: ignore[call-overload]
def process_stored_pages(data_dir: str, db: str | None) -> ProcessSummary:
    """Extract, annotate and resolve events for every stored page not yet processed (all outlets)."""
    logger = get_run_logger()

    def progress(done: int, total: int) -> None:
        if done == total or done % 25 == 0:
            logger.info("processed %d/%d pages", done, total)

    return process_pages(_paths(data_dir, db), on_progress=progress, lock_timeout_s=LOCK_TIMEOUT_S)


@task(name="plan-crawls", **_RETRIED)  # type: ignore[call-overload]
def plan_crawls(data_dir: str, db: str | None, source_ids: list[str]) -> tuple[list[str], dict[str, Any]]:
    """Leave out quarantined outlets until their retry day (``pipeline.health``)."""
    return crawl_plan(_paths(data_dir, db).db, source_ids)


@task(name="source-health", **_RETRIED)  # type: ignore[call-overload]
def assess_sources(data_dir: str, db: str | None, source_ids: list[str]) -> tuple[SourceHealth, ...]:
    """Record newly verified outlets, then each outlet's health and alerts after this run."""
    path = _paths(data_dir, db).db
    with Store(path, lock_timeout_s=LOCK_TIMEOUT_S) as store:
        verified = mark_verified(store)
    if verified:
        get_run_logger().info("verified by this run (articles extracted): %s", ", ".join(verified))
    return tuple(source_health(path, source_ids))


@task(name="notify-watchers", **_RETRIED)  # type: ignore[call-overload]
def notify_watchers(data_dir: str, db: str | None, watchlist: str) -> tuple[WatchDelivery, ...]:
    """New events matching the analysts' watch list, sent once each (``pipeline.alerts``)."""
    deliveries = tuple(send_alerts(_paths(data_dir, db).db, watchlist, lock_timeout_s=LOCK_TIMEOUT_S))
    for d in deliveries:
        if d.events:
            get_run_logger().info("watch %s: %d new events, %s", d.watch, d.events, d.detail)
    return deliveries


@task(name="publish-snapshot", **_RETRIED)  # type: ignore[call-overload]
def publish_read_snapshot(data_dir: str, db: str | None) -> str:
    """Copy the finished run's database for readers (``pantau serve``), see ``pipeline.store.snapshot``."""
    return str(publish_snapshot(_paths(data_dir, db).db, lock_timeout_s=LOCK_TIMEOUT_S))


def _outlet_outcome(source_id: str, state: State[Any]) -> OutletResult:
    if state.is_completed():
        result: OutletResult = state.result()
        return result
    error = state.result(raise_on_failure=False)
    if isinstance(error, OutletUnreachable) and error.outlet is not None:
        return error.outlet
    detail = f"{type(error).__name__}: {error}" if isinstance(error, BaseException) else (state.message or "")
    attempts = 1 + int(_RETRIED["retries"]) if isinstance(error, TRANSIENT) else 1
    return OutletResult(source_id, ERROR, attempts=attempts, errors=(detail[:500],))


def _settled(future: Any) -> State[Any]:
    future.wait()
    return future.state  # type: ignore[no-any-return]


@flow(name="pantau-daily", task_runner=ThreadPoolTaskRunner(max_workers=CRAWL_WORKERS))
def daily_run(data_dir: str, registry: list[str], sources: list[str] | None = None, fast: bool = False,
              db: str | None = None, max_pages: int | None = None, watchlist: str | None = None) -> DailySummary:
    """Crawl the registry's outlets (or ``sources``), one task each, then process what they stored."""
    logger = get_run_logger()
    started_at, started = datetime.now(UTC), time.monotonic()
    # A malformed registry or an unknown source id fails the run before anything is fetched.
    source_ids = [s.id for s in load_registry(*[Path(p) for p in registry]).select(sources or None)]
    logger.info("crawling %d outlets: %s", len(source_ids), ", ".join(source_ids))

    leftovers = prepare_store(data_dir, db)
    due, quarantined = plan_crawls(data_dir, db, source_ids)
    for sid, retry in quarantined.items():
        logger.warning("outlet %s is quarantined; next retry on %s", sid, retry)
    futures = {sid: crawl_outlet.submit(data_dir, db, list(registry), sid, fast, max_pages) for sid in due}
    outlets = tuple(_outlet_outcome(sid, _settled(future)) for sid, future in futures.items())
    for outlet in outlets:
        if outlet.failed:
            logger.warning("outlet %s failed: %s", outlet.source_id, outlet.reason)

    # Processing runs even if every outlet failed: earlier runs may have left pages unprocessed.
    process_state = process_stored_pages(data_dir, db, return_state=True)
    process: ProcessSummary | None = None
    process_error = None
    if process_state.is_completed():
        process = process_state.result()
    else:
        error = process_state.result(raise_on_failure=False)
        process_error = f"{type(error).__name__}: {error}" if isinstance(error, BaseException) else "failed"
    health_state = assess_sources(data_dir, db, source_ids, return_state=True)
    health = health_state.result() if health_state.is_completed() else ()
    if not health_state.is_completed():
        logger.warning("outlet health could not be assessed: %s", health_state.message)
    watchlist = watchlist or (str(DEFAULT_WATCHLIST) if DEFAULT_WATCHLIST.exists() else None)
    deliveries: tuple[WatchDelivery, ...] = ()
    if watchlist is not None and process is not None:
        notify_state = notify_watchers(data_dir, db, watchlist, return_state=True)
        if notify_state.is_completed():
            deliveries = notify_state.result()
        else:
            logger.warning("alerts to analysts failed: %s", notify_state.message)

    # Last, after every write: the web app switches to this run's data only once it is complete.
    snapshot_state = publish_read_snapshot(data_dir, db, return_state=True)
    if not snapshot_state.is_completed():
        logger.warning("read snapshot not published; readers keep the previous run: %s", snapshot_state.message)

    summary = DailySummary(started_at=started_at, seconds=round(time.monotonic() - started, 2), outlets=outlets,
                           process=process, process_error=process_error,
                           flow_run_id=str(runtime.flow_run.id) if runtime.flow_run.id else None,
                           flow_run_name=runtime.flow_run.name,
                           leftover_spools=leftovers, health=health, watch_alerts=deliveries,
                           quarantined=tuple(f"{sid} (next retry {day})" for sid, day in quarantined.items()))
    create_markdown_artifact(markdown=summary.to_markdown(), key=ARTIFACT_KEY, description=summary.headline())
    logger.info("%s", summary.headline())
    logger.info("per outlet (new pages/requests/failed requests): %s", "; ".join(
        f"{o.source_id} {o.pages_stored}/{o.fetches}/{o.failures}{'' if o.ok else ' ' + o.status.upper()}"
        for o in outlets))
    if summary.status == "failed":
        return Failed(message=summary.headline(), data=summary)  # type: ignore[return-value]
    return Completed(message=summary.headline(), data=summary)  # type: ignore[return-value]
