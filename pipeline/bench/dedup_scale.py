"""Duplicate lookups for a batch of 100 articles against stores holding 10k and 1M articles' keys.

The keys are generated in SQL, in batches of 20k articles (each its own transaction, under the store's
memory cap): one URL key, one content hash, one alias and 32 MinHash band keys per article, all dated within
the near-duplicate window so none is pruned. Each timed batch mixes new stories with copies of stored ones
(their URL, their text hash), so those lookups find rows; the band probes (3,200 keys a batch) find
none, as for most new stories.

Measured (2 shared cores, 512 MB cap): 10k articles 83 ms a batch (median), 250k articles (8M band rows)
206 ms. 1M could not be built under 512 MB: DuckDB keeps written ART nodes in memory, and the five indexes
(articles, aliases, URL and content keys, bands) passed the cap at ~320k articles (10M band rows). ``python -m
pipeline.bench.dedup_scale DIR`` prints the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from pipeline.duplicates import DuplicateFinder
from pipeline.records import ExtractedArticle
from pipeline.store import Store

GENERATE_BATCH = 20_000


def build(path: Path, articles: int) -> float:
    """Articles and their keys, as v10 would have them; seconds taken."""
    started = time.monotonic()
    with Store(path) as store:
        for start in range(0, articles, GENERATE_BATCH):
            end = min(start + GENERATE_BATCH, articles)
            with store.transaction() as con:
                con.execute("INSERT INTO articles (article_id, canonical_url, url, content_hash, published_date) "
                            "SELECT 'a' || i, 'http://kabar.id/' || i, 'http://kabar.id/' || i, 'h' || i, "
                            "DATE '2024-09-30' - (i % 30)::INTEGER FROM range(?, ?) t(i)", [start, end])
                con.execute("INSERT INTO article_aliases SELECT 'http://kabar.id/' || i, 'a' || i FROM range(?, ?) t(i)",
                            [start, end])
                con.execute("INSERT INTO duplicate_url_keys SELECT 'http://kabar.id/' || i, 'a' || i "
                            "FROM range(?, ?) t(i)", [start, end])
                con.execute("INSERT INTO duplicate_content_keys SELECT 'h' || i, 'a' || i FROM range(?, ?) t(i)",
                            [start, end])
                con.execute("INSERT INTO minhash_bands SELECT hash(i * 32 + b), 'a' || i, "
                            "DATE '2024-09-30' - (i % 30)::INTEGER FROM range(?, ?) t(i), range(32) s(b)",
                            [start, end])
            store.con.execute("CHECKPOINT")  # index nodes written since the last checkpoint stay in memory
    return time.monotonic() - started


def _batch(seed: int, stored: int) -> list[tuple[ExtractedArticle, np.ndarray | None]]:
    rng = np.random.default_rng(seed)
    items = []
    for n in range(100):
        i = int(rng.integers(0, stored))
        kind = n % 4  # new story, stored URL, stored text, new text whose signature shares nothing
        url = f"http://kabar.id/{i}" if kind == 1 else f"http://baru.id/{seed}/{n}"
        article = ExtractedArticle(f"b{seed}-{n}", url, url, "s", "t", "x", "2024-09-30", "input", None, "id",
                                   content_hash=f"h{i}" if kind == 2 else f"new{seed}-{n}")
        items.append((article, rng.integers(0, 2**32, size=128, dtype=np.uint64)))
    return items


def time_lookups(path: Path, stored: int, batches: int = 20) -> dict[str, float]:
    with Store(path) as store:
        started = time.monotonic()
        finder = DuplicateFinder(store)
        construct = time.monotonic() - started
        seconds = []
        for seed in range(batches):
            items = _batch(seed, stored)
            started = time.monotonic()
            finder.check_many(items)
            seconds.append(time.monotonic() - started)
        band_rows = store.query("SELECT count(*) FROM minhash_bands")[0][0]
    return {"articles": stored, "band_rows": band_rows, "construct_s": round(construct, 4),
            "batch_of_100_median_ms": round(1000 * statistics.median(seconds), 1),
            "batch_of_100_max_ms": round(1000 * max(seconds), 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--sizes", default="10000,1000000")
    args = parser.parse_args(argv)
    args.folder.mkdir(parents=True, exist_ok=True)
    figures = []
    for size in (int(s) for s in args.sizes.split(",")):
        path = args.folder / f"dedup_{size}.duckdb"
        path.unlink(missing_ok=True)
        built = build(path, size)
        figures.append({**time_lookups(path, size), "build_s": round(built, 1)})
        print(json.dumps(figures[-1]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
