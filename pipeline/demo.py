"""``make demo``: serve the sample outlets, run the daily Prefect flow on them, answer.

Everything is real: the daily flow (``flows.daily.daily_run``) runs one Scrapy
crawl task per local website (robots.txt, sitemaps, feeds, listings), then
extraction, annotation and DuckDB, and publishes its run summary. The sample
sites run on fixed ports (8701-8705) so a second demo finds the same URLs and
fetches nothing new; if a ``pantau sample-sites serve`` already holds them, it
is used as it is.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import urllib.request
from pathlib import Path

from pipeline.settings import SAMPLE_REGISTRY, Paths

PORT_BASE = 8701


def _already_served(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def step(message: str) -> None:
    print(f"\n==> {message}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pantau-demo", description=__doc__)
    parser.add_argument("--db", type=Path, help="database file (default data/pantau.duckdb)")
    parser.add_argument("--data", type=Path, help="data folder for raw pages and spool (default data/)")
    args = parser.parse_args(argv)

    # Before prefect is imported: no telemetry from an offline demo.
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from pipeline.query import RAKOR_COLUMNS, rakor_events, render
    from pipeline.sample_sites.server import SampleSites

    paths = Paths.under(args.data, args.db) if args.data else Paths.default(args.db)
    started = time.monotonic()
    server = None
    if _already_served(PORT_BASE):
        step(f"sample outlets already served on 127.0.0.1:{PORT_BASE}-{PORT_BASE + 4}; using them")
    else:
        step("serving the five sample outlets on 127.0.0.1")
        server = SampleSites()
        server.start(port_base=PORT_BASE)
        for site, url in server.base_urls.items():
            print(f"    {site:16} {url}")
    try:
        step("running the daily flow (Prefect): one crawl task per outlet, then extract + annotate + resolve")
        print("    the first Prefect run in a process starts a temporary local API server (~10-15 s)", flush=True)
        from flows.daily import daily_run

        state = daily_run(str(paths.data), [str(SAMPLE_REGISTRY)], fast=True, db=str(paths.db), return_state=True)
    finally:
        if server is not None:
            server.stop()

    summary = state.result(raise_on_failure=False)
    step(f"Prefect flow run finished in state {state.type.value.title()}: {state.message or ''}")
    if not hasattr(summary, "to_markdown"):
        print(f"    the flow did not produce a summary: {summary}", file=sys.stderr)
        return 1
    print(summary.to_markdown())

    step(f"pantau query rakor --db {paths.db}")
    print(render(rakor_events(paths.db), RAKOR_COLUMNS, "table"))
    print(f"\ndone in {time.monotonic() - started:.0f} s; database: {paths.db}")
    print("try: .venv/bin/pantau query rakor --format json")
    return 1 if summary.status == "failed" else 0


if __name__ == "__main__":
    sys.exit(main())
