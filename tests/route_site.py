"""A tiny outlet served on 127.0.0.1 from a dict of routes, for crawler tests of one hostile page at a time."""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler

from tests.local_site import LocalSite

ARTICLE = """<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="2024-09-17T10:00:00+07:00">{head}</head>
<body><article><h1>{title}</h1>
<p>PONTIANAK - Badan Pengawas Pemilu (Bawaslu) Kalbar menggelar rapat koordinasi netralitas ASN
di Pontianak, Selasa (17/9/2024). Kegiatan ini dihadiri perwakilan pemerintah kabupaten.</p>
<p>Ketua Bawaslu Kalbar mengingatkan seluruh aparatur sipil negara agar menjaga netralitas
menjelang Pilkada serentak 2024 dan tidak terlibat politik praktis.</p></article></body></html>"""


def article(title: str, head: str = "") -> str:
    return ARTICLE.format(title=title, head=head)


class RouteSite(LocalSite):
    """``routes`` maps a path to (status, content type, body); anything else is a 404."""

    def __init__(self, routes: dict[str, tuple[int, str, bytes | str]]) -> None:
        self.routes = routes
        self.hits: dict[str, int] = {}
        super().__init__()

    def registry_yaml(self, source_id: str = "routes", extra: str = "") -> str:
        return (f"sources:\n  - id: {source_id}\n    name: Route Outlet\n    home: {self.base}/\n"
                f"    regions: ['61']\n    rate: {{delay_s: 0, concurrency: 4}}\n{extra}")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                site.hits[path] = site.hits.get(path, 0) + 1
                status, content_type, body = site.routes.get(path, (404, "text/plain", b"not found"))
                data = body.encode() if isinstance(body, str) else body
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler
