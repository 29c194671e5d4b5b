"""The rakor query and a two-word search on a large store (built by :mod:`pipeline.bench.scale_store`).

Both are timed as the CLI runs them: a fresh read-only connection per query.

    python -m pipeline.bench.query_scale [--articles 1000000]

builds the store in a temporary folder, times both, and removes it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.query import rakor_events
from pipeline.store import Store
from pipeline.store.search import search_articles, update_search_index

SEARCH_QUERY = "netralitas asn"


def _timed_ms(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return (time.perf_counter() - started) * 1000, result


def time_query(path: Path, runs: int = 7) -> dict[str, Any]:
    """``pantau query rakor``: all rakor, and one week's."""
    timings, rows = [], []
    for _ in range(runs):
        ms, rows = _timed_ms(lambda: rakor_events(path))
        timings.append(ms)
    week = [_timed_ms(lambda: rakor_events(path, dt.date(2024, 9, 16), dt.date(2024, 9, 22)))[0]
            for _ in range(runs)]
    return {
        "rakor_rows": len(rows),
        "query_rakor_ms": round(statistics.median(timings), 1),
        "query_rakor_first_ms": round(timings[0], 1),
        "query_rakor_week_ms": round(statistics.median(week), 1),
    }


def time_search(path: Path, text: str = SEARCH_QUERY, runs: int = 7) -> dict[str, Any]:
    """A two-word search through the adapter above; the first run counted apart (cold caches)."""
    timings, hits = [], []
    for _ in range(runs):
        ms, hits = _timed_ms(lambda: search_articles(path, text))
        timings.append(ms)
    return {
        "search_query": text,
        "search_hits": len(hits),
        "search_ms": round(statistics.median(timings), 1),
        "search_first_ms": round(timings[0], 1),
    }


def main(argv: list[str] | None = None) -> int:
    from pipeline.bench.scale_store import build_store

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    figures: dict[str, Any] = {"articles": args.articles}
    with tempfile.TemporaryDirectory(prefix="pantau-scale-") as tmp:
        db = Path(tmp) / "scale.duckdb"
        figures.update(build_store(db, args.articles))
        with Store(db) as store:
            started = time.perf_counter()
            update_search_index(store)
            figures["search_index_s"] = round(time.perf_counter() - started, 1)
        figures.update(time_query(db))
        figures.update(time_search(db))
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
