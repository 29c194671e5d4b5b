"""The ``backfill`` flow: one task per WARC file (or byte range) on a Dask cluster, then one writer.

Thin on purpose: the work is ``pipeline.backfill`` (``plan_shards``,
``build_shard``, ``load_shards``); this module adds the cluster, retries and
a summary.

- **Cluster.** Tasks run through ``prefect_dask.DaskTaskRunner``: a
  ``distributed.LocalCluster`` of N single-threaded worker processes by
  default (the annotator is pure Python, so processes, not threads), or the
  cluster at ``--scheduler`` (``tcp://host:8786``). Progress shows in the
  Dask dashboard (the flow logs its link) and as task runs in Prefect.
- **Paths, not objects.** A task gets a ``ShardSpec`` (file path, byte range)
  and the shard folder's path, loads the registry and the spaCy pipeline
  once per worker process, and writes Parquet there; so the WARC files and
  the shard folder must be at the same path on every machine.
- **Retries.** A task that raises is retried twice by Prefect; a worker that
  dies mid-task (killed, out of memory) has its task re-run on another worker
  by Dask's scheduler. Either way the shard is written under a temporary name
  and renamed when complete, so a half-written shard is never loaded.
- **One writer.** ``ShardLoader`` runs in the flow's own process and is the
  only code that opens the database; it loads each shard as soon as it and
  the shards before it are done, so loading overlaps the workers.
"""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task, unmapped
from prefect.cache_policies import NO_CACHE
from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect_dask import DaskTaskRunner

from pipeline.backfill.load import LoadSummary, ShardLoader
from pipeline.backfill.shards import (
    DEFAULT_SPLIT_BYTES,
    ShardResult,
    ShardSpec,
    build_shard,
    file_shards,
    record_starts,
)

# Test hook for "a worker killed mid-task is retried": when set to a folder, the first task to start
# there kills its own worker process (SIGKILL, as the OOM killer would) after leaving a marker file.
CRASH_ONCE_ENV = "PANTAU_BACKFILL_CRASH_ONCE"


@dataclass(frozen=True)
class BackfillSummary:
    files: int
    shards: int
    shards_reused: int  # found complete on disk by this run
    records: int
    articles: int  # articles the files hold (stored now or by an earlier run)
    kept: int
    skipped: dict[str, int]
    rejected: int
    failed_pages: int
    broken: tuple[str, ...]  # "file: why" for files that could not be read to the end, or whose task failed
    load: LoadSummary
    seconds: float
    extra: dict[str, Any] = field(default_factory=dict)

    def line(self) -> str:
        """The contract's summary line: ``backfill: R records read, A articles stored, ...``."""
        skipped = sum(self.skipped.values())
        reasons = ", ".join(f"{n} {why}" for why, n in sorted(self.skipped.items(), key=lambda kv: -kv[1]))
        events = "events unchanged" if self.load.events is None else f"{self.load.events} events"
        return (f"backfill: {self.records} records read, {self.articles} articles stored "
                f"({self.load.new_articles} new, {self.load.duplicates} duplicates), {self.kept} outlet pages "
                f"({self.rejected} not articles, {self.failed_pages} failed), {skipped} skipped"
                f"{f' ({reasons})' if reasons else ''}; {self.shards} shards ({self.shards_reused} already built, "
                f"{self.load.shards_already} already loaded); {len(self.broken)} broken files; {events}; "
                f"{self.seconds:.1f} s")


def _crash_once() -> None:
    folder = os.environ.get(CRASH_ONCE_ENV)
    if not folder:
        return
    marker = Path(folder) / "crashed"
    try:
        marker.touch(exist_ok=False)
    except FileExistsError:
        return
    os.kill(os.getpid(), signal.SIGKILL)


@task(name="backfill-shard", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE,
      task_run_name="shard {spec.shard_id}")
def shard_task(spec: ShardSpec, shard_dir: str, registry: tuple[str, ...], domains: str | None) -> ShardResult:
    _crash_once()
    return build_shard(spec, Path(shard_dir), registry, domains)


@task(name="backfill-index", retries=2, retry_delay_seconds=2, cache_policy=NO_CACHE,
      task_run_name="index {warc_file}")
def index_task(warc_file: str) -> list[int]:
    """Record offsets of a large file, to cut it into ranges (a fast pass, but a TB of them is not)."""
    return record_starts(Path(warc_file))


@flow(name="backfill", log_prints=False)
def backfill(warc_files: list[str], db: str, shard_dir: str, registry: list[str], domains: str | None = None,
             split_bytes: int = DEFAULT_SPLIT_BYTES) -> BackfillSummary:
    """WARC files -> shards on the cluster -> the store (once per shard) -> events resolved once."""
    logger = get_run_logger()
    started = time.monotonic()
    files = [Path(f).resolve() for f in warc_files]
    large = [str(f) for f in files if f.stat().st_size > split_bytes]
    offsets = dict(zip(large, [f.result() for f in index_task.map(large)], strict=True)) if large else {}
    specs = [spec for f in files for spec in file_shards(f, split_bytes, offsets.get(str(f)))]
    logger.info("backfill: %d files in %d shards into %s", len(warc_files), len(specs), shard_dir)
    Path(shard_dir).mkdir(parents=True, exist_ok=True)
    futures = shard_task.map(specs, unmapped(shard_dir), unmapped(tuple(registry)), unmapped(domains))
    results: list[ShardResult] = []
    broken: list[str] = []
    # The writer loads each shard, in plan order, as soon as it and those before it are done.
    with ShardLoader(Path(db), Path(shard_dir)) as loader:
        for spec, future in zip(specs, futures, strict=True):
            try:
                result = future.result()
            except Exception as exc:  # retries spent: report the file, load the others
                broken.append(f"{spec.warc_file}: {type(exc).__name__}: {exc}")
                logger.error("shard %s of %s failed: %s", spec.shard_id, spec.warc_file, exc)
                continue
            results.append(result)
            if result.error:
                broken.append(f"{result.warc_file}: {result.error}")
            loader.load(result)
        load = loader.finish()
    skipped: Counter[str] = Counter()
    for result in results:
        skipped.update(result.skipped)
    summary = BackfillSummary(
        files=len(warc_files), shards=len(specs), shards_reused=sum(r.reused for r in results),
        records=sum(r.records for r in results), articles=sum(r.articles for r in results), kept=sum(r.kept for r in results), skipped=dict(skipped),
        rejected=sum(r.rejected for r in results), failed_pages=sum(r.failed for r in results),
        broken=tuple(sorted(set(broken))), load=load, seconds=time.monotonic() - started,
    )
    logger.info(summary.line())
    return summary


def task_runner(workers: int = 2, scheduler: str | None = None, dashboard: str | None = ":8787") -> DaskTaskRunner:
    """The cluster at ``scheduler``, or a local one of ``workers`` single-threaded processes."""
    if scheduler:
        return DaskTaskRunner(address=scheduler)
    return DaskTaskRunner(cluster_class="distributed.LocalCluster",
                          cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                          "dashboard_address": dashboard})


@contextmanager
def prefect_api_for_workers() -> Iterator[str]:
    """The Prefect API every worker process reports its task runs to.

    prefect-dask does not hand the API address to the workers: without ``PREFECT_API_URL`` in their
    environment each local worker started an ephemeral server of its own (slow, and its task runs were
    invisible to the flow's). Local workers inherit the environment, so the address is exported there;
    with no server configured, the ephemeral one the flow would start is started first. Workers of a
    remote cluster need ``PREFECT_API_URL`` set on their machines (README "Backfill").
    """
    url = PREFECT_API_URL.value()
    if not url:
        from prefect.server.api.server import SubprocessASGIServer

        server = SubprocessASGIServer()  # the process's ephemeral server; Prefect stops it at exit
        server.start()
        url = server.api_url
    previous = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = url
    try:
        with temporary_settings({PREFECT_API_URL: url}):
            yield url
    finally:
        if previous is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = previous


def run_backfill(warc_files: list[str], db: str, shard_dir: str, registry: list[str], *, workers: int = 2,
                 scheduler: str | None = None, domains: str | None = None, split_bytes: int = DEFAULT_SPLIT_BYTES,
                 dashboard: str | None = ":8787") -> BackfillSummary:
    runner = task_runner(workers, scheduler, dashboard)
    with prefect_api_for_workers():
        return backfill.with_options(task_runner=runner)(warc_files, db, shard_dir, registry, domains, split_bytes)
