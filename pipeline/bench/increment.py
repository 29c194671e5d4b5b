"""The daily increment at two store sizes: the same new pages processed into 10k and 1M stored articles.

Each store is built by :func:`pipeline.bench.scale_store.build_store` (in a process of its own) in the
bench's temporary folder; the new pages are stored as a crawl leaves them (gzip files under that store's
``raw/`` folder and raw_pages rows), then ``process_pages`` runs over them with all workers, as ``pantau process`` does after a crawl.
``increment_growth`` (large / small) says how much of a run's cost grows with the archive: duplicate
lookups, event resolution, search indexing. The large store is kept for the query and search timings.
"""

from __future__ import annotations

import multiprocessing
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from pipeline.bench.corpus import BenchPage
from pipeline.bench.scale_store import build_store_apart
from pipeline.bench.stages import PeakMemory, store_raw_pages
from pipeline.process import process_pages
from pipeline.settings import Paths
from pipeline.store import Store
from pipeline.store.search import update_search_index


def time_increment(pages: list[BenchPage], folder: Path, articles: int, label: str,
                   workers: int | None, memory: PeakMemory) -> dict[str, Any]:
    """Build a store of ``articles`` under ``folder``, then time ``process_pages`` over ``pages`` into it."""
    paths = Paths.under(folder)
    paths.raw.mkdir(parents=True, exist_ok=True)
    build = build_store_apart(paths.db, articles)
    memory.after(f"build {label} store")
    store_raw_pages(pages, paths)
    # As `pantau process` runs it: a process that holds only what a daily run holds (the bench's own process
    # has the corpus, Dask's client and every earlier phase in its heap); its workers are forked from it.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        seconds, processed, events = pool.submit(_timed_run, paths, workers).result()
    memory.after(f"increment into {label} store")
    figures: dict[str, Any] = {f"{label}_articles": articles, f"increment_s_{label}": round(seconds, 2),
                               f"increment_{label}_articles": processed,
                               f"increment_{label}_events": events}
    figures.update({f"{label}_{key}": value for key, value in build.items()})
    return figures


def _timed_run(paths: Paths, workers: int | None) -> tuple[float, int, int]:
    """In a fresh process: load the models as the bench does before any clock, then time ``process_pages``."""
    from pipeline.bench.stages import warm_up

    annotator, _ = warm_up()
    started = time.perf_counter()
    summary = process_pages(paths, annotator=annotator, workers=workers)
    return time.perf_counter() - started, summary.articles, summary.events


def time_increments(pages: list[BenchPage], workdir: Path, small: int, large: int,
                    workers: int | None, memory: PeakMemory) -> tuple[dict[str, Any], Path]:
    """Both increments; returns the figures and the large store's path (its search index up to date)."""
    figures: dict[str, Any] = {"increment_pages": len(pages)}
    figures.update(time_increment(pages, workdir / "small", small, "small", workers, memory))
    shutil.rmtree(workdir / "small", ignore_errors=True)
    figures.update(time_increment(pages, workdir / "large", large, "large", workers, memory))
    figures["increment_growth"] = round(figures["increment_s_large"] / figures["increment_s_small"], 2)
    return figures, Paths.under(workdir / "large").db


def large_store_only(workdir: Path, large: int, memory: PeakMemory) -> tuple[dict[str, Any], Path]:
    """The large store without an increment (``--skip-increment``), its search index built, for the queries."""
    db = Paths.under(workdir / "large").db
    figures: dict[str, Any] = {"large_articles": large}
    figures.update({f"large_{key}": value for key, value in build_store_apart(db, large).items()})
    with Store(db) as store:
        started = time.perf_counter()
        update_search_index(store)
        figures["large_search_index_s"] = round(time.perf_counter() - started, 1)
    memory.after("build large store")
    return figures, db
