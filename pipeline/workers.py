"""Worker processes for the CPU-bound stages: extraction and annotation, on every core.

One process does the writing (DuckDB allows one writer) and hands the work out
in order: ``WorkerPool.map`` yields results in the order of its inputs, so a
run with N workers saves exactly what a run with one saves, in the same order
(duplicate links depend on that order).

Workers are forked from the process that has already loaded the annotator, so
each holds the models once, shares their pages with the parent until written,
and starts in milliseconds instead of re-importing spaCy and torch (≈2.5 s a
process). The pool is started before the store is opened: a fork never copies
DuckDB's threads mid-operation. Where fork is not available (or
``PANTAU_WORKER_START=spawn``), workers start fresh and load the models in their
initializer.

A worker that dies (killed for memory, a crash in C code) breaks the pool; the
pages it had in hand are retried one by one in a fresh pool, and a page that
kills a worker on its own is returned as that page's failure: one page never
stops a run.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

log = logging.getLogger(__name__)

ENV_WORKERS = "PANTAU_WORKERS"
ENV_START = "PANTAU_WORKER_START"  # fork (default where available) | spawn | forkserver
# Items handed to a worker at a time: large enough that pickling and queueing cost little next to a page's
# extraction (~10 ms), small enough that every worker stays busy to the end of a run.
CHUNK_ITEMS = 8
# Chunks in flight per worker: enough work (~2 s) for the workers to go on while the writer saves a batch of
# 500 pages (~0.8 s); results are saved in order, so a slow page holds back only this many.
CHUNKS_AHEAD = 16

Item = TypeVar("Item")
Result = TypeVar("Result")

# The state a worker's function reads (the annotator): set by the parent before forking, or built by the
# initializer in a spawned worker. Module-global because that is what survives a fork.
_STATE: dict[str, Any] = {}


def default_workers() -> int:
    """``PANTAU_WORKERS`` or the machine's cores (the ones this process may run on)."""
    configured = os.environ.get(ENV_WORKERS)
    if configured:
        try:
            value = int(configured)
        except ValueError as exc:
            raise ValueError(f"{ENV_WORKERS}={configured!r} is not a number of worker processes") from exc
        if value < 1:
            raise ValueError(f"{ENV_WORKERS}={configured!r}: at least one worker is needed")
        return value
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def worker_state() -> dict[str, Any]:
    """The worker's shared objects (in the parent too, where one worker runs in-process)."""
    return _STATE


def _start_method() -> str:
    method = os.environ.get(ENV_START) or ("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    if method not in multiprocessing.get_all_start_methods():
        raise ValueError(f"{ENV_START}={method!r} is not a start method here "
                         f"({', '.join(multiprocessing.get_all_start_methods())})")
    return method


def _run_chunk(function: Callable[[Any], Any], items: list[Any]) -> list[Any]:
    return [function(item) for item in items]


def _initialise(setup: Callable[[dict[str, Any]], None] | None, fork: bool) -> None:
    if setup is not None and not fork:
        setup(_STATE)


class WorkerPool:
    """``workers`` processes applying module-level functions to items, results in input order.

    ``setup(state)`` fills :func:`worker_state` (for example with the annotator): once in the parent before
    forking, or once in each spawned worker. With one worker nothing is started: functions run here.
    """

    def __init__(self, workers: int, *, setup: Callable[[dict[str, Any]], None] | None = None) -> None:
        if workers < 1:
            raise ValueError("at least one worker is needed")
        self.workers = workers
        self.setup = setup
        self.method = _start_method()
        self._executor: ProcessPoolExecutor | None = None
        if setup is not None and (workers == 1 or self.method == "fork"):
            setup(_STATE)
        if workers > 1:
            self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        executor = self._executor_of(self.workers)
        # Forked workers all start at the first submit: make that now, before the caller opens the store.
        executor.submit(os.getpid).result()
        return executor

    def _executor_of(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(self.method),
                                   initializer=_initialise, initargs=(self.setup, self.method == "fork"))

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers and wait for them (so their peak memory is counted as the children's)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def map(self, function: Callable[[Item], Result], items: Iterable[Item],
            on_death: Callable[[Item], Result] | None = None) -> Iterator[Result]:
        """Results of ``function(item)`` in the order of ``items``, reading ``items`` only as work is handed out.

        ``function`` must be importable by name (module level). ``on_death(item)`` gives the result for an
        item that kills its worker on its own; without it, that raises ``BrokenProcessPool``.
        """
        if self._executor is None:
            for item in items:
                yield function(item)
            return
        source = iter(items)
        pending: deque[tuple[list[Item], Future[list[Result]]]] = deque()
        window = self.workers * CHUNKS_AHEAD

        def refill() -> None:
            while len(pending) < window:
                chunk = [item for _, item in zip(range(CHUNK_ITEMS), source, strict=False)]
                if not chunk:
                    return
                assert self._executor is not None
                pending.append((chunk, self._executor.submit(_run_chunk, function, chunk)))

        refill()
        while pending:
            chunk, future = pending.popleft()
            try:
                results = future.result()
            except BrokenProcessPool:
                yield from self._after_death(function, on_death, [chunk, *(c for c, _ in pending)])
                pending.clear()
                self._executor = self._start()
                refill()
                continue
            yield from results
            refill()

    def _after_death(self, function: Callable[[Item], Result], on_death: Callable[[Item], Result] | None,
                     chunks: list[list[Item]]) -> Iterator[Result]:
        """The items in hand when a worker died, each alone in a fresh one-worker pool."""
        log.warning("a worker process died; retrying its %d pages one by one", sum(map(len, chunks)))
        assert self._executor is not None
        self._executor.shutdown(wait=True, cancel_futures=True)
        for chunk in chunks:
            for item in chunk:
                single = self._executor_of(1)
                try:
                    yield single.submit(function, item).result()
                except BrokenProcessPool:
                    if on_death is None:
                        raise
                    yield on_death(item)
                finally:
                    single.shutdown(wait=True, cancel_futures=True)
