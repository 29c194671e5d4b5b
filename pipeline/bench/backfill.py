"""The backfill on Dask, for ``make bench``: pages per second with 1 and 2 workers, and the WARC readers.

One generated WARC.gz (the bench corpus's pages on the sample registry's hosts, each after its request
record, plus noise) is backfilled by the real flow (``flows.backfill.run_backfill``) into a fresh
database, first on a local cluster of one worker process, then of two. Each cluster is started and its
workers warmed (spaCy pipeline loaded) before the clock starts, as a long-running cluster would be: the
figure is the steady rate of the flow (planning, shard tasks, the writer's load and event resolution),
not the start-up of a cluster. The file is split into 16 ranges so two workers share it evenly.

Also timed: reading every record of the file with FastWARC and with warcio (bodies read, HTTP parsed),
and the filter alone (no outlet host kept), in MB of compressed WARC per second on one core.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

from pipeline.backfill.archive_writer import ArchivedResponse, noise, write_warc
from pipeline.backfill.warc import ReadCounts, read_pages
from pipeline.bench.corpus import BenchPage
from pipeline.settings import DATA_DIR

REGISTRY = DATA_DIR / "sample_sites" / "registry.yaml"
BASE_URLS = {site: f"http://127.0.0.1:{8701 + i}" for i, site in
             enumerate(("exposetimur", "tribunpontianak", "bawaslubuol", "kaltengnetwork", "mediavers"))}
RANGES = 16


def write_bench_warc(pages: list[BenchPage], path: Path) -> int:
    """The pages (with a little noise every 50) as one CC-NEWS-style WARC.gz; returns its size in bytes."""
    items: list[ArchivedResponse] = []
    for n, page in enumerate(pages):
        items.append(ArchivedResponse(page.url, page.html.encode("utf-8")))
        if n % 50 == 0:
            items += noise(1)
    write_warc(path, items)
    return path.stat().st_size


def _warmed_cluster(workers: int) -> Any:
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    client.run(_warm)
    return cluster, client


def _warm() -> None:
    from pipeline.backfill.shards import _annotator, annotator_version

    _annotator()
    annotator_version()


def time_backfill_run(warc: Path, workdir: Path, workers: int) -> dict[str, Any]:
    from flows.backfill import prefect_api_for_workers, run_backfill

    workdir.mkdir(parents=True, exist_ok=True)
    with prefect_api_for_workers():
        cluster, client = _warmed_cluster(workers)
        try:
            started = time.perf_counter()
            summary = run_backfill([str(warc)], str(workdir / f"w{workers}.duckdb"), str(workdir / f"shards{workers}"),
                                   [str(REGISTRY)], scheduler=cluster.scheduler_address,
                                   split_bytes=warc.stat().st_size // RANGES + 1)
            seconds = time.perf_counter() - started
        finally:
            client.close()
            cluster.close()
    return {"pages": summary.kept, "articles": summary.articles, "seconds": round(seconds, 2),
            "pps": round(summary.kept / seconds, 1), "shards": summary.shards, "broken": len(summary.broken)}


def time_readers(warc: Path) -> dict[str, Any]:
    """One core: FastWARC and warcio over every record (HTTP parsed, bodies read); the filter alone."""
    from fastwarc.warc import ArchiveIterator
    from warcio.archiveiterator import ArchiveIterator as WarcioIterator

    mb = warc.stat().st_size / 1e6
    figures: dict[str, Any] = {"backfill_warc_mb": round(mb, 1)}

    def fastwarc_all() -> int:
        with warc.open("rb") as handle:
            return sum(len(r.reader.read()) >= 0 for r in ArchiveIterator(handle, parse_http=True))

    def warcio_all() -> int:
        with warc.open("rb") as handle:
            return sum(len(r.content_stream().read()) >= 0 for r in WarcioIterator(handle))

    def filter_only() -> int:
        counts = ReadCounts()
        for _ in read_pages(warc, frozenset(), counts=counts):
            pass
        return counts.records

    for name, work in (("fastwarc", fastwarc_all), ("warcio", warcio_all), ("filter", filter_only)):
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            records = work()
            best = min(best, time.perf_counter() - started)
        figures[f"read_{name}_mb_per_s"] = round(mb / best, 1)
        figures[f"read_{name}_records_per_s"] = round(records / best)
    return figures


def time_backfill(pages: list[BenchPage], repeat: int = 2) -> dict[str, Any]:
    """Figures for the bench's JSON: ``backfill_1worker_pps``, ``backfill_pps`` (2 workers), the speedup.

    1 and 2 workers run ``repeat`` times, interleaved, and the best of each counts: on a shared machine
    the speedup is then taken under comparable load (the load averages are reported with it).
    """
    with tempfile.TemporaryDirectory(prefix="pantau-bench-backfill-") as tmp:
        workdir = Path(tmp)
        warc = workdir / "bench.warc.gz"
        write_bench_warc(pages, warc)
        figures: dict[str, Any] = time_readers(warc)
        runs: dict[int, list[dict[str, Any]]] = {1: [], 2: []}
        for round_ in range(max(1, repeat)):
            for workers in (1, 2):
                load = os.getloadavg()[0]
                run = time_backfill_run(warc, workdir / f"r{round_}", workers)
                runs[workers].append({**run, "load_avg": round(load, 2)})
        one = max(runs[1], key=lambda r: r["pps"])
        two = max(runs[2], key=lambda r: r["pps"])
    figures["backfill_runs"] = {f"{w}_workers": [(r["pps"], r["load_avg"]) for r in rs] for w, rs in runs.items()}
    figures.update({
        "backfill_pages": one["pages"], "backfill_articles": one["articles"], "backfill_shards": one["shards"],
        "backfill_1worker_pps": one["pps"], "backfill_1worker_s": one["seconds"],
        "backfill_pps": two["pps"], "backfill_s": two["seconds"],
        "backfill_speedup": round(two["pps"] / one["pps"], 2),
    })
    return figures


def main() -> int:
    """``python -m pipeline.bench.backfill [N [REPEAT]]``: this part of the bench alone, as JSON."""
    import json
    import sys

    from pipeline.bench.corpus import CorpusGenerator, render_pages

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    pages = render_pages(CorpusGenerator().records(n), BASE_URLS)
    print(json.dumps(time_backfill(pages, repeat)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
