"""An outlet on 127.0.0.1 whose indexes honour If-None-Match and If-Modified-Since, counting full downloads.

Robots.txt names a sitemap index (ETag), which names a sitemap (ETag and
Last-Modified); the home page (Last-Modified only) advertises a feed (ETag) and
links a section page (Last-Modified only). ``publish()`` adds a story to the
feed and the section, changing their versions.
"""

from __future__ import annotations

from collections import Counter
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler

from faulty_site import ARTICLE
from tests.local_site import LocalSite

INDEXES = ("/", "/sitemap_index.xml", "/sitemap-berita.xml", "/feed/", "/kategori/politik")
SITEMAP_STORIES = tuple(f"/berita/2024/09/17/rakor-netralitas-bagian-{i}" for i in (1, 2, 3))
MODIFIED_AT = 1_726_000_000.0  # a fixed Last-Modified, before any run


class ConditionalSite(LocalSite):
    """Start with ``with ConditionalSite() as site:``; ``site.full[path]`` counts 200s, ``site.not_modified`` 304s."""

    def __init__(self) -> None:
        self.full: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self.feed_stories: list[str] = ["/berita/2024/09/18/apel-netralitas-asn-kubu-raya"]
        self.version = 1
        super().__init__()

    def publish(self, path: str) -> None:
        """A new story in the feed and on the section page: both change version."""
        self.feed_stories.append(path)
        self.version += 1

    def registry_yaml(self, source_id: str = "kondisional") -> str:
        return (f"sources:\n  - id: {source_id}\n    name: Outlet Kondisional\n    home: {self.base}/\n"
                "    regions: ['61']\n    rate: {delay_s: 0, concurrency: 4}\n")

    def _document(self, path: str) -> tuple[bytes, str, str | None, float | None] | None:
        """(body, content type, ETag, Last-Modified time) of an index; None for anything else."""
        base, v = self.base, self.version
        if path == "/":
            body = (f"<html><head><link rel='alternate' type='application/rss+xml' href='{base}/feed/'></head>"
                    f"<body><a href='/kategori/politik'>Politik</a></body></html>")
            return body.encode(), "text/html; charset=utf-8", None, MODIFIED_AT
        if path == "/sitemap_index.xml":
            body = ("<?xml version='1.0'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
                    f"<sitemap><loc>{base}/sitemap-berita.xml</loc></sitemap></sitemapindex>")
            return body.encode(), "application/xml", '"index-1"', None
        if path == "/sitemap-berita.xml":
            urls = "".join(f"<url><loc>{base}{p}</loc></url>" for p in SITEMAP_STORIES)
            body = f"<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{urls}</urlset>"
            return body.encode(), "application/xml", '"sitemap-1"', MODIFIED_AT
        if path == "/feed/":
            items = "".join(f"<item><title>t</title><link>{base}{p}</link></item>" for p in self.feed_stories)
            body = f"<?xml version='1.0'?><rss version='2.0'><channel><title>f</title>{items}</channel></rss>"
            return body.encode(), "application/rss+xml", f'"feed-{v}"', None
        if path == "/kategori/politik":
            links = "".join(f"<a href='{p}'>{p}</a> " for p in self.feed_stories)
            return f"<html><body>{links}</body></html>".encode(), "text/html", None, MODIFIED_AT + v
        return None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str]) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def _unchanged(self, etag: str | None, modified: float | None) -> bool:
                if etag is not None and self.headers.get("If-None-Match") is not None:
                    return self.headers["If-None-Match"] == etag  # If-None-Match wins over If-Modified-Since
                since = self.headers.get("If-Modified-Since")
                if modified is None or since is None:
                    return False
                return parsedate_to_datetime(since).timestamp() >= int(modified)

            def do_GET(self) -> None:
                path = self.path
                if path == "/robots.txt":
                    self._send(200, f"User-agent: *\nSitemap: {site.base}/sitemap_index.xml\n".encode(),
                               "text/plain", {})
                    return
                document = site._document(path)
                if document is None:
                    if path.startswith("/berita/"):
                        slug = path.rsplit("/", 1)[-1].replace("-", " ")
                        self._send(200, ARTICLE.format(title=slug.capitalize(), extra=slug).encode(),
                                   "text/html; charset=utf-8", {})
                    else:
                        self._send(404, b"not found", "text/plain", {})
                    return
                body, content_type, etag, modified = document
                headers = {}
                if etag is not None:
                    headers["ETag"] = etag
                if modified is not None:
                    headers["Last-Modified"] = formatdate(modified, usegmt=True)
                if self._unchanged(etag, modified):
                    site.not_modified[path] += 1
                    self.send_response(304)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    return
                site.full[path] += 1
                self._send(200, body, content_type, headers)

        return Handler
