"""Entry point of the crawl subprocess: ``python -m crawlers.run ...``.

Twisted's reactor cannot be restarted inside a long-lived process (a Prefect
worker, the CLI running crawl then process), so every crawl is its own process.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawlers import settings as default_settings
from pipeline.registry import RegistryError, load_registry


def build_settings(registry: list[Path], source_ids: list[str], fast: bool, log_level: str) -> Settings:
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    reg = load_registry(*registry)
    slots = {}
    for source in reg.select(source_ids or None):
        slots[source.id] = {
            "concurrency": source.rate.concurrency,
            "delay": 0.0 if fast else source.rate.delay_s,
            "randomize_delay": not fast,
        }
    settings.set("DOWNLOAD_SLOTS", slots, priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    if fast:
        # Local outlets (tests, the demo, benchmarks): politeness delays off, robots still obeyed.
        settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
        settings.set("DOWNLOAD_DELAY", 0, priority="cmdline")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 8, priority="cmdline")
    return settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="crawlers.run", description=__doc__)
    parser.add_argument("--registry", action="append", required=True, type=Path)
    parser.add_argument("--sources", default="")
    parser.add_argument("--crawl-id", required=True)
    parser.add_argument("--spool", required=True, type=Path)
    parser.add_argument("--raw-root", required=True, type=Path)
    parser.add_argument("--known-urls", default="")
    parser.add_argument("--validators", default="", help="JSON of ETag/Last-Modified per URL (conditional GET)")
    parser.add_argument("--max-pages", default="")
    parser.add_argument("--timeout", type=float, default=None, help="download timeout in seconds")
    parser.add_argument("--max-size", type=int, default=None, help="largest response body in bytes")
    parser.add_argument("--fast", action="store_true", help="no politeness delays (local outlets only)")
    parser.add_argument("--log-level", default="INFO")
    args = parser.parse_args(argv)
    source_ids = [s for s in args.sources.split(",") if s]
    try:
        settings = build_settings(args.registry, source_ids, args.fast, args.log_level)
    except RegistryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.timeout:
        settings.set("DOWNLOAD_TIMEOUT", args.timeout, priority="cmdline")
    if args.max_size:
        settings.set("DOWNLOAD_MAXSIZE", args.max_size, priority="cmdline")
        settings.set("DOWNLOAD_WARNSIZE", args.max_size, priority="cmdline")
    process = CrawlerProcess(settings, install_root_handler=True)
    logging.getLogger("scrapy.core.scraper").setLevel(logging.WARNING)
    process.crawl(
        "outlets",
        registry=",".join(str(p) for p in args.registry),
        crawl_id=args.crawl_id,
        spool=str(args.spool),
        raw_root=str(args.raw_root),
        sources=args.sources,
        known_urls=args.known_urls,
        validators=args.validators,
        max_pages=args.max_pages,
    )
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
