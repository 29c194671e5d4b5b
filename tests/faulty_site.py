"""A small outlet that misbehaves on purpose, served on 127.0.0.1 for crawler tests.

Healthy articles are discoverable from its sitemap and home page; the faulty
ones (500, hanging, redirect loop, oversize, off-site redirect, non-HTML,
robots-disallowed) are linked from the home page so the spider meets them all.
"""

from __future__ import annotations

import gzip
import socket
import struct
import time
from http.server import BaseHTTPRequestHandler

from tests.local_site import LocalSite

ARTICLE = """<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="2024-09-17T10:00:00+07:00"></head>
<body><article><h1>{title}</h1>
<p>PONTIANAK - Badan Pengawas Pemilu (Bawaslu) Kalbar menggelar rapat koordinasi netralitas ASN
di Pontianak, Selasa (17/9/2024). Kegiatan ini dihadiri perwakilan pemerintah kabupaten.</p>
<p>Ketua Bawaslu Kalbar mengingatkan seluruh aparatur sipil negara agar menjaga netralitas
menjelang Pilkada serentak 2024 dan tidak terlibat politik praktis.</p>
<p>{extra}</p></article></body></html>"""


class FaultySite(LocalSite):
    """Start with ``with FaultySite() as site:``; ``site.base`` is its URL."""

    def __init__(self, big_bytes: int = 3 * 1024 * 1024, hang_s: float = 5.0) -> None:
        self.big_bytes = big_bytes
        self.hang_s = hang_s
        self.hits: dict[str, int] = {}
        # 64 MB of zeros compress to ~64 KB: a gzip bomb for the decompression cap.
        self.gzip_bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)
        super().__init__()

    def registry_yaml(self, source_id: str = "faulty") -> str:
        return (
            "sources:\n"
            f"  - id: {source_id}\n"
            "    name: Faulty Outlet\n"
            f"    home: {self.base}/\n"
            "    regions: ['61']\n"
            "    rate: {delay_s: 0, concurrency: 4}\n"
        )

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8",
                      headers: dict[str, str] | None = None) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    for key, value in (headers or {}).items():
                        self.send_header(key, value)
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the crawler gave up on us (timeout, size cap): that is the point

            def do_GET(self) -> None:
                path = self.path
                site.hits[path] = site.hits.get(path, 0) + 1
                base = site.base
                if path == "/robots.txt":
                    self._send(200, f"User-agent: *\nDisallow: /private/\nSitemap: {base}/sitemap.xml\n".encode(),
                               "text/plain")
                elif path == "/sitemap.xml":
                    urls = "".join(
                        f"<url><loc>{base}/berita/2024/09/17/artikel-sehat-nomor-{i}</loc>"
                        f"<lastmod>2024-09-17</lastmod></url>" for i in (1, 2, 3)
                    )
                    self._send(200, ("<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/"
                                     f"sitemap/0.9'>{urls}</urlset>").encode(), "application/xml")
                elif path == "/":
                    links = "".join(f"<a href='{p}'>{p}</a> " for p in (
                        "/berita/2024/09/17/artikel-sehat-nomor-1", "/berita/2024/09/18/halaman-error-server",
                        "/berita/2024/09/18/halaman-yang-lambat-sekali", "/berita/2024/09/18/redirect-loop-tanpa-akhir",
                        "/berita/2024/09/18/halaman-sangat-besar-sekali", "/berita/2024/09/18/redirect-ke-luar-situs",
                        "/berita/2024/09/18/berkas-pdf-bukan-html", "/private/2024/09/18/rahasia-tidak-boleh-diambil",
                        "/berita/2024/09/18/koneksi-diputus-tiba-tiba", "/berita/2024/09/18/bom-gzip-raksasa",
                        "/berita/2024/09/18/redirect-ke-domain-lain", "/berita/2024/09/18/charset-berbohong",
                        "/berita/2024/09/18/html-rusak-tidak-valid",
                    ))
                    self._send(200, f"<html><body><nav>{links}</nav></body></html>".encode())
                elif path.startswith("/berita/2024/09/17/artikel-sehat-nomor-"):
                    n = path.rsplit("-", 1)[-1]
                    self._send(200, ARTICLE.format(title=f"Rakor netralitas ASN bagian {n}",
                                                   extra=f"Bagian {n} dari laporan.").encode())
                elif path.endswith("halaman-error-server"):
                    self._send(500, b"<html><body>Internal Server Error</body></html>")
                elif path.endswith("halaman-yang-lambat-sekali"):
                    time.sleep(site.hang_s)
                    self._send(200, ARTICLE.format(title="Lambat", extra="").encode())
                elif path.endswith("redirect-loop-tanpa-akhir"):
                    self._send(302, b"", headers={"Location": path})
                elif path.endswith("halaman-sangat-besar-sekali"):
                    self._send(200, b"<html><body>" + b"a" * site.big_bytes + b"</body></html>")
                elif path.endswith("redirect-ke-luar-situs"):
                    self._send(302, b"", headers={"Location": "http://localhost:9/berita/2024/09/18/di-luar"})
                elif path.endswith("berkas-pdf-bukan-html"):
                    self._send(200, b"%PDF-1.4 not html", "application/pdf")
                elif path.endswith("koneksi-diputus-tiba-tiba"):
                    # RST instead of a response: SO_LINGER with a zero timeout resets the connection.
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()
                elif path.endswith("bom-gzip-raksasa"):
                    self._send(200, site.gzip_bomb, headers={"Content-Encoding": "gzip"})
                elif path.endswith("redirect-ke-domain-lain"):
                    self._send(302, b"", headers={"Location": "http://example.org/berita/2024/09/18/di-tempat-lain"})
                elif path.endswith("charset-berbohong"):
                    body = ARTICLE.format(title="Rapat koordinasi di Pontianak", extra="Ucapan “terima kasih” — "
                                          "café, naïve, résumé.").encode("windows-1252")
                    self._send(200, body, "text/html; charset=utf-8")  # declared utf-8, sent windows-1252
                elif path.endswith("html-rusak-tidak-valid"):
                    body = ARTICLE.format(title="Halaman rusak", extra="Tanpa penutup").replace(
                        "</p>", "").replace("</article></body></html>", "<div><span><p>").encode()
                    self._send(200, body)
                elif path.startswith("/private/"):
                    self._send(200, ARTICLE.format(title="Rahasia", extra="").encode())
                else:
                    self._send(404, b"<html><body>Tidak ditemukan</body></html>")

            do_HEAD = do_GET

        return Handler
