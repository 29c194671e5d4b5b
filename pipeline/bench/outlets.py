"""The generated pages served as five local outlets, and the crawl stage timed against them.

Each sample outlet gets its own ``ThreadingHTTPServer`` on 127.0.0.1 (the
crawler tells outlets apart by host:port) serving the outlet's own sample site
plus the generated pages, listed in a ``/bench-sitemap.xml`` that the registry
names. The crawl is Pantau's own: ``pipeline.crawl.run_crawl`` with the
politeness delays off (``fast=True``), robots.txt still obeyed.
"""

from __future__ import annotations

import functools
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from xml.sax.saxutils import escape

import yaml

from pipeline.bench.corpus import BenchPage
from pipeline.crawl import run_crawl
from pipeline.sample_sites.render import (
    HTML_TYPE,
    SITE_IDS,
    render_not_found,
    render_site,
    route_key,
    site_config,
)
from pipeline.sample_sites.server import Outlet, OutletHandler, registry_for
from pipeline.settings import Paths

SITEMAP_PATH = "/bench-sitemap.xml"
SITEMAP_TYPE = "application/xml; charset=UTF-8"


class BenchOutlets:
    """Five outlets on free ports; bind first (the pages need their base URLs), then ``serve``."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.servers: dict[str, ThreadingHTTPServer] = {}
        self.outlets: dict[str, Outlet] = {}
        self.base_urls: dict[str, str] = {}
        self._threads: list[threading.Thread] = []
        for site_id in SITE_IDS:
            outlet = Outlet(server_header=site_config(site_id).get("server_header", "nginx"))
            server = ThreadingHTTPServer((host, 0), functools.partial(OutletHandler, outlet=outlet))
            server.daemon_threads = True
            server.request_queue_size = 128
            self.servers[site_id] = server
            self.outlets[site_id] = outlet
            self.base_urls[site_id] = f"http://{host}:{server.server_address[1]}"

    def serve(self, pages: list[BenchPage]) -> None:
        """The sample site of each outlet, its generated pages and a sitemap listing them."""
        for site_id, outlet in self.outlets.items():
            base = self.base_urls[site_id]
            routes = render_site(site_id, base)
            own = [p for p in pages if p.site == site_id]
            for page in own:
                routes[route_key(page.url[len(base):])] = (HTML_TYPE, page.html.encode("utf-8"))
            routes[route_key(SITEMAP_PATH)] = (SITEMAP_TYPE, sitemap(p.url for p in own))
            outlet.routes = routes
            outlet.not_found = render_not_found(site_id, base)
            thread = threading.Thread(target=functools.partial(self.servers[site_id].serve_forever, 0.1),
                                      name=f"bench-outlet-{site_id}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def registry_yaml(self, max_pages: int) -> str:
        """The sample registry on these ports, each outlet naming the bench sitemap, delays off."""
        data = yaml.safe_load(registry_for(self.base_urls))
        for source in data["sources"]:
            source["sitemaps"] = [*source.get("sitemaps", []), self.base_urls[source["id"]] + SITEMAP_PATH]
            source["rate"] = {"delay_s": 0.0, "concurrency": 8, "max_pages": max_pages}  # wins over a profile's
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)

    def close(self) -> None:
        for server in self.servers.values():
            if self._threads:
                server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def sitemap(urls: Any) -> bytes:
    entries = "".join(f"<url><loc>{escape(u)}</loc></url>" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>\n').encode()


def time_crawl(outlets: BenchOutlets, workdir: Path, max_pages: int) -> dict[str, Any]:
    """Crawl the five outlets into a fresh store; pages fetched and stored per second."""
    registry = workdir / "bench-registry.yaml"
    registry.write_text(outlets.registry_yaml(max_pages), encoding="utf-8")
    paths = Paths.under(workdir / "crawl")
    summary = run_crawl(paths, [registry], fast=True, timeout_s=20)
    return {
        "crawl_pages_stored": summary.pages_stored,
        "crawl_fetches": summary.fetches,
        "crawl_failures": summary.failures,
        "crawl_s": round(summary.seconds, 2),
        "crawl_exit_code": summary.exit_code,
        "crawl_pages_per_s": round(summary.pages_stored / summary.seconds, 1) if summary.seconds else 0.0,
        "crawl_fetches_per_s": round(summary.fetches / summary.seconds, 1) if summary.seconds else 0.0,
    }
