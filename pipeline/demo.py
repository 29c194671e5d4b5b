"""``make demo``: serve the sample outlets, crawl them over HTTP, process, answer.

Everything is real: a Scrapy crawl of five local websites (robots.txt,
sitemaps, feeds, listings), extraction, annotation and DuckDB. The sample
sites run on fixed ports (8701-8705) so a second demo finds the same URLs and
fetches nothing new; if a ``pantau sample-sites serve`` already holds them, it
is used as it is.
"""

from __future__ import annotations

import argparse
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

    from pipeline.crawl import run_crawl
    from pipeline.process import process_pages
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
        step("crawling them (robots.txt, sitemaps, feeds, listing pages)")

        def show(line: str) -> None:
            if "PROGRESS" in line:
                print("    " + line.split("PROGRESS ", 1)[-1], flush=True)

        crawl = run_crawl(paths, [SAMPLE_REGISTRY], fast=True, on_line=show)
        print(f"    {crawl.fetches} requests, {crawl.pages_stored} new pages stored, {crawl.failures} failures "
              f"recorded, in {crawl.seconds:.1f} s")
    finally:
        if server is not None:
            server.stop()

    step("extracting and annotating the stored pages")

    def progress(done: int, total: int) -> None:
        if done == total or done % 10 == 0:
            print(f"    {done}/{total} pages", flush=True)

    summary = process_pages(paths, on_progress=progress)
    print(f"    {summary.articles} articles ({summary.relevant} relevant, {summary.duplicates} duplicates), "
          f"{summary.rejected} non-article pages, {summary.events} events, in {summary.seconds:.1f} s")

    step(f"pantau query rakor --db {paths.db}")
    print(render(rakor_events(paths.db), RAKOR_COLUMNS, "table"))
    print(f"\ndone in {time.monotonic() - started:.0f} s; database: {paths.db}")
    print("try: .venv/bin/pantau query rakor --format json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
