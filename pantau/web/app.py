"""The analysts' web app: server-rendered pages over the last published read snapshot.

Starlette with Jinja2, no JavaScript for any page, no request to anything but
this server. Every response carries a strict Content-Security-Policy; every
scraped string passes through autoescaping, and bidirectional-override and
control characters are dropped on the way out (``_visible``) so a title cannot
reorder what is around it. Source links are rendered only when they are http(s)
(``pipeline.digest.view.safe_url``). A token, when set, is checked on every
request (``TokenGuard``); ``pantau serve`` insists on one off loopback.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hmac
import logging
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pantau.web import data
from pantau.web.labels import web_labels
from pipeline import query
from pipeline.digest.labels import EVENT_TYPES, LANGUAGES, Labels
from pipeline.digest.view import safe_url
from pipeline.store import StoreError, connect_readonly
from pipeline.store.snapshot import current_snapshot

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"
DIGEST_CSS = Path(__file__).resolve().parents[2] / "pipeline" / "digest" / "templates" / "digest.css"
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")
# A downloaded digest is the digest's own self-contained file: its styles are inline.
DIGEST_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'"
TOKEN_COOKIE = "pantau_token"

# Bidi embeddings/overrides/isolates and C0/C1 controls (tab and newline kept).
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible(value: Any) -> Any:
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return _INVISIBLE.sub("", value)


@dataclass(frozen=True)
class Reader:
    """Where requests read: the snapshot the daily run published last, else the database itself."""

    db: Path

    def path(self) -> Path:
        return current_snapshot(self.db) or self.db

    def published(self) -> dt.datetime | None:
        snap = current_snapshot(self.db)
        return dt.datetime.fromtimestamp(snap.stat().st_mtime, dt.UTC) if snap else None


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, finalize=_visible)
    env.globals.update(safe_url=safe_url, event_types=EVENT_TYPES, region_code=_region_code,
                       region_names=_region_names)
    return env


def _region_names() -> dict[str, list[str]]:
    """Province and kabupaten/kota names for the filters' suggestion lists (``<datalist>``, no script)."""
    from pipeline.nlp.components import shared_gazetteer

    gazetteer = shared_gazetteer()
    return {"provinces": [r.name for r in gazetteer.provinces()], "regencies": [r.name for r in gazetteer.regencies()]}


def _region_code(name: str | None) -> str | None:
    """The Kemendagri code of a region's official name, for links to its page."""
    from pipeline.nlp.components import shared_gazetteer

    if not name:
        return None
    if name.strip().lower() == "nasional":
        return "00"
    region = shared_gazetteer().by_name(name)
    return region.code if region else None


class TokenGuard:
    """Every request must carry the token: ``Authorization: Bearer``, the cookie, or ``?token=`` once."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app, self.token = app, token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        set_cookie = False
        if self.token:
            offered = [request.headers.get("authorization", "").removeprefix("Bearer ").strip(),
                       request.cookies.get(TOKEN_COOKIE, "")]
            from_query = request.query_params.get("token", "")
            if not any(o and hmac.compare_digest(o, self.token) for o in offered):
                if from_query and hmac.compare_digest(from_query, self.token):
                    set_cookie = True
                else:
                    await PlainTextResponse("401: a valid token is required", status_code=401,
                                            headers=_security_headers())(scope, receive, send)
                    return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for key, value in _security_headers().items():
                    if key.lower().encode() not in present:
                        headers.append((key.lower().encode(), value.encode()))
                if set_cookie:
                    headers.append((b"set-cookie", f"{TOKEN_COOKIE}={self.token}; HttpOnly; SameSite=Strict; "
                                                   "Path=/".encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _security_headers() -> dict[str, str]:
    return {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
            "X-Frame-Options": "DENY", "Cache-Control": "no-store"}


class Pages:
    """The route handlers; each reads through ``reader`` and renders one template."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.env = _environment()

    # -- helpers -----------------------------------------------------------------------

    def labels(self, request: Request) -> Labels:
        lang = request.query_params.get("lang", "id")
        return web_labels(lang if lang in LANGUAGES else "id")

    def render(self, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        labels = self.labels(request)
        params = dict(request.query_params)
        params.pop("token", None)

        def url(path: str, **values: Any) -> str:
            given = {k: v for k, v in values.items() if v not in (None, "")}
            if labels.lang != "id":
                given["lang"] = labels.lang
            return path + ("?" + urlencode(given) if given else "")

        switched = {**params, "lang": "en" if labels.lang == "id" else "id"}
        if switched["lang"] == "id":
            switched.pop("lang")
        published = self.reader.published()
        html = self.env.get_template(template).render(
            L=labels, url=url, request_path=request.url.path, params=params,
            switch_url=request.url.path + ("?" + urlencode(switched) if switched else ""),
            snapshot=labels("snapshot_note", when=published.strftime("%Y-%m-%d %H:%M UTC")) if published
            else labels("snapshot_live"), **context)
        return HTMLResponse(html, status_code=status)

    def error(self, request: Request, status: int, message: str) -> HTMLResponse:
        return self.render(request, "error.html.j2", status=status, message=message)

    # -- routes ------------------------------------------------------------------------

    def healthz(self, request: Request) -> Response:
        try:
            con = connect_readonly(self.reader.path(), lock_timeout_s=2)
            try:
                con.execute("SELECT count(*) FROM events").fetchone()
            finally:
                con.close()
        except Exception as exc:  # any failure to read is the answer, not a crash
            return PlainTextResponse(f"unavailable: {type(exc).__name__}", status_code=503)
        return PlainTextResponse("ok")

    def overview(self, request: Request) -> Response:
        from pipeline.digest import load_week, parse_week
        from pipeline.digest.view import build_view
        from pipeline.health import today_in_jakarta
        from pipeline.nlp.components import shared_gazetteer

        labels = self.labels(request)
        today = today_in_jakarta()
        week_text = request.query_params.get("week") or f"{today.isocalendar().year}-W{today.isocalendar().week:02d}"
        week = parse_week(week_text)
        db = self.reader.path()
        gazetteer = shared_gazetteer()
        view = build_view(load_week(db, week), labels, gazetteer)
        involved = data.regions_with_events(db, week.start, week.end)
        provinces = gazetteer.provinces()
        regencies = gazetteer.regencies()
        quiet_provinces = [p for p in provinces
                           if p.name not in involved
                           and not any(r.name in involved for r in regencies if r.province_code == p.code)]
        quiet_regencies = [(p, [r for r in regencies if r.province_code == p.code and r.name not in involved])
                           for p in provinces if p not in quiet_provinces]
        return self.render(request, "overview.html.j2", v=view, week=week,
                           weeks=data.digest_weeks(db)[:12], latest=data.latest_rakor(db),
                           quiet_provinces=quiet_provinces, quiet_regencies=[q for q in quiet_regencies if q[1]])

    def rakor(self, request: Request) -> Response:
        params = dict(request.query_params)
        f = data.EventFilter.parse(params, EVENT_TYPES)
        rows = data.event_rows(self.reader.path(), f)
        fmt = params.get("format", "html")
        if fmt in ("csv", "json"):
            body = query.render(rows, query.RAKOR_COLUMNS, fmt)
            media = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
            return Response(body, media_type=media, headers={
                "Content-Disposition": f'attachment; filename="pantau-{f.type}.{fmt}"'})
        if fmt != "html":
            raise query.QueryError(f"unknown format {fmt!r}; use html, csv or json")
        exports = {k: v for k, v in params.items() if k not in ("format", "lang", "token")}
        return self.render(request, "rakor.html.j2", rows=rows, f=f, exports=exports)

    def event(self, request: Request) -> Response:
        detail = data.event_detail(self.reader.path(), request.path_params["event_id"])
        if detail is None:
            return self.error(request, 404, self.labels(request)("not_found"))
        return self.render(request, "event.html.j2", e=detail)

    def region(self, request: Request) -> Response:
        from pipeline.nlp.components import shared_gazetteer

        code = request.path_params["code"]
        gazetteer = shared_gazetteer()
        region = gazetteer.nasional if code == "00" else gazetteer.get(code)
        if region is None:
            return self.error(request, 404, self.labels(request)("not_found"))
        db = self.reader.path()
        params = dict(request.query_params)
        date_from = query.parse_date(params.get("from") or None, "from")
        date_to = query.parse_date(params.get("to") or None, "to")
        regencies = [r for r in gazetteer.regencies() if r.province_code == region.code] \
            if region.kind == "provinsi" else []
        return self.render(request, "region.html.j2", region=region, regencies=regencies,
                           province=gazetteer.province_of(region) if "." in region.code else None,
                           events=data.region_events(db, region.name, date_from, date_to),
                           violations=data.region_violations(db, region.name),
                           officials=data.region_officials(db, region.name))

    def officials(self, request: Request) -> Response:
        params = dict(request.query_params)
        rows = query.officials(self.reader.path(), params.get("regency") or None, params.get("province") or None,
                               query.parse_date(params.get("from") or None, "from"),
                               query.parse_date(params.get("to") or None, "to"))
        return self.render(request, "officials.html.j2", rows=rows)

    def search(self, request: Request) -> Response:
        params = dict(request.query_params)
        words = (params.get("q") or "").strip()
        kind = params.get("type") or ""
        # Search is over all articles unless a type is asked for ("" = any type).
        f = dataclasses.replace(data.EventFilter.parse({**params, "type": kind or "rakor"}, EVENT_TYPES), type=kind)
        rows = data.search_articles(self.reader.path(), words, f) if words else []
        return self.render(request, "search.html.j2", rows=rows, words=words, f=f)

    def digests(self, request: Request) -> Response:
        return self.render(request, "digests.html.j2", weeks=data.digest_weeks(self.reader.path()))

    def digest_file(self, request: Request) -> Response:
        from pipeline.digest import digest_stem, parse_week, render_digest

        week = parse_week(request.path_params["week"])
        fmt = request.path_params["fmt"]
        lang = self.labels(request).lang
        if fmt not in ("html", "md", "pdf"):
            return self.error(request, 404, self.labels(request)("not_found"))
        with tempfile.TemporaryDirectory(prefix="pantau-digest-") as out:
            files = render_digest(self.reader.path(), week.label, Path(out), lang=lang, pdf=fmt == "pdf")
            path = {"html": files.html, "md": files.markdown, "pdf": files.pdf}[fmt]
            if path is None:
                return self.error(request, 503, files.pdf_note or "PDF unavailable")
            body = path.read_bytes()
        media = {"html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8",
                 "pdf": "application/pdf"}[fmt]
        name = f"{digest_stem(week, lang)}.{fmt}"
        return Response(body, media_type=media, headers={
            "Content-Security-Policy": DIGEST_CSP, "Content-Disposition": f'attachment; filename="{name}"'})

    def sources(self, request: Request) -> Response:
        from pipeline.health import source_health

        db = self.reader.path()
        return self.render(request, "sources.html.j2", health=source_health(db), activity=data.source_activity(db))

    def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        path = {"app.css": TEMPLATES / "app.css", "digest.css": DIGEST_CSS}.get(name)
        if path is None:
            return PlainTextResponse("not found", status_code=404)
        return FileResponse(path, media_type="text/css")


def create_app(db: Path | str, token: str | None = None) -> ASGIApp:
    """The ASGI app over ``db`` (its published snapshot when there is one)."""
    pages = Pages(Reader(Path(db)))

    def guarded(handler: Any) -> Any:
        async def endpoint(request: Request) -> Response:
            from starlette.concurrency import run_in_threadpool

            try:
                return await run_in_threadpool(handler, request)  # type: ignore[no-any-return]
            except (query.QueryError, ValueError) as exc:
                return pages.error(request, 400, str(exc))
            except StoreError as exc:
                log.warning("store unavailable: %s", exc)
                return pages.error(request, 503, str(exc))
        return endpoint

    routes = [
        Route("/", guarded(pages.overview)),
        Route("/rakor", guarded(pages.rakor)),
        Route("/events/{event_id}", guarded(pages.event)),
        Route("/regions/{code}", guarded(pages.region)),
        Route("/officials", guarded(pages.officials)),
        Route("/search", guarded(pages.search)),
        Route("/digests", guarded(pages.digests)),
        Route("/digests/{week}.{fmt}", guarded(pages.digest_file)),
        Route("/sources", guarded(pages.sources)),
        Route("/healthz", guarded(pages.healthz)),
        Route("/static/{name}", guarded(pages.static)),
    ]
    return TokenGuard(Starlette(routes=routes), token)
