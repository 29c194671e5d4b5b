"""Serve the five sample outlets over real HTTP on 127.0.0.1, one port per outlet.

The crawler tells outlets apart by host:port, so each site gets its own
``ThreadingHTTPServer``. Pages are rendered once per start (for the actual base
URL, so absolute links point back at this server) and served from memory.
``registry_for`` rewrites ``data/sample_sites/registry.yaml`` for whatever ports
were picked, so tests on random ports can load a matching source registry.

    python -m pipeline.sample_sites.server --port-base 8701
"""

from __future__ import annotations

import argparse
import functools
import logging
import signal
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any
from urllib.parse import urlsplit

import yaml

from pipeline.sample_sites.render import (
    DATA_DIR,
    SITE_IDS,
    Page,
    render_not_found,
    render_site,
    route_key,
    site_config,
)

log = logging.getLogger(__name__)
REGISTRY_PATH = DATA_DIR / "registry.yaml"


@dataclass
class Outlet:
    """One site's rendered pages, filled in once its port (and so its base URL) is known."""

    routes: dict[str, Page] = field(default_factory=dict)
    not_found: bytes = b""
    server_header: str = "nginx"


class OutletHandler(BaseHTTPRequestHandler):
    """GET/HEAD from one outlet's in-memory pages; 301 to the slash form like WordPress; else 404."""

    protocol_version = "HTTP/1.0"

    def __init__(self, *args: Any, outlet: Outlet, **kwargs: Any) -> None:
        self.outlet = outlet  # set first: the base class handles the request inside __init__
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def version_string(self) -> str:
        return self.outlet.server_header

    def _respond(self, send_body: bool) -> None:
        key = route_key(self.path)
        path = urlsplit(self.path).path or "/"
        # Unknown query parameters (utm_*, ?page=all, ?share=...) fall back to the page itself.
        routes = self.outlet.routes
        page = routes.get(key) or routes.get(path)
        if page is None and not path.endswith("/") and route_key(path + "/") in routes:
            self._send(301, "text/html; charset=utf-8", b"", send_body, location=path + "/")
            return
        if page is None:
            self._send(404, "text/html; charset=utf-8", self.outlet.not_found, send_body)
            return
        self._send(200, page[0], page[1], send_body)

    def _send(self, status: int, content_type: str, body: bytes, send_body: bool,
              location: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if location:
            self.send_header("Location", location)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)


class SampleSites:
    """The five outlets on local ports; a context manager that starts on enter and stops on exit."""

    def __init__(self, site_ids: Iterable[str] = SITE_IDS) -> None:
        self.site_ids = tuple(site_ids)
        self.base_urls: dict[str, str] = {}
        self._servers: list[tuple[ThreadingHTTPServer, threading.Thread]] = []

    def start(self, host: str = "127.0.0.1", ports: dict[str, int] | None = None,
              port_base: int | None = None) -> SampleSites:
        """Bind every site (port 0 = a free port), render it for its base URL, serve in threads.

        ``ports`` names a port per site id; otherwise ``port_base`` gives consecutive ports in
        ``SITE_IDS`` order; with neither, every site gets a free port.
        """
        if self._servers:
            raise RuntimeError("sample sites are already running")
        try:
            for site_id in self.site_ids:
                default = port_base + SITE_IDS.index(site_id) if port_base else 0
                port = (ports or {}).get(site_id, default)
                self._start_one(site_id, host, port)
        except BaseException:
            self.stop()
            raise
        log.info("sample sites: %s", ", ".join(f"{k}={v}" for k, v in self.base_urls.items()))
        return self

    def _start_one(self, site_id: str, host: str, port: int) -> None:
        outlet = Outlet(server_header=site_config(site_id).get("server_header", "nginx"))
        server = ThreadingHTTPServer((host, port), functools.partial(OutletHandler, outlet=outlet))
        server.daemon_threads = True
        bound_host, bound_port = server.server_address[:2]
        base = f"http://{bound_host!s}:{bound_port}"
        outlet.routes = render_site(site_id, base)  # before serve_forever, so no request sees it empty
        outlet.not_found = render_not_found(site_id, base)
        serve = functools.partial(server.serve_forever, poll_interval=0.1)
        thread = threading.Thread(target=serve, name=f"sample-site-{site_id}", daemon=True)
        thread.start()
        self._servers.append((server, thread))
        self.base_urls[site_id] = base

    def stop(self) -> None:
        for server, thread in self._servers:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)
        self._servers.clear()

    def registry_yaml(self) -> str:
        return registry_for(self.base_urls)

    def __enter__(self) -> SampleSites:
        return self if self._servers else self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def registry_for(base_urls: dict[str, str], path: Path = REGISTRY_PATH) -> str:
    """The sample registry as YAML text, with each source's URLs moved onto its actual base URL."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for source in data["sources"]:
        base = base_urls.get(source["id"])
        if base is None:
            continue
        old = "{0.scheme}://{0.netloc}".format(urlsplit(source["home"]))
        new = base.rstrip("/")
        source["home"] = source["home"].replace(old, new, 1)
        for key in ("feeds", "sitemaps", "listing_pages"):
            source[key] = [url.replace(old, new, 1) for url in source.get(key) or []]
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the five offline sample outlets until interrupted.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port-base", type=int, default=8701, help="first port (0 = free ports)")
    parser.add_argument("--write-registry", type=Path, help="also write the registry for these ports here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    stopping = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, _stop)
    sites = SampleSites().start(host=args.host, port_base=args.port_base or None)
    try:
        for site_id, base in sites.base_urls.items():
            print(f"{site_id:16} {base}/", flush=True)
        if args.write_registry:
            args.write_registry.write_text(sites.registry_yaml(), encoding="utf-8")
            print(f"registry written to {args.write_registry}", flush=True)
        while not stopping.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        sites.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
