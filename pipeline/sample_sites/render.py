"""Render the five offline sample outlets from article data and per-site Jinja templates.

Content (``data/sample_sites/articles/*.yaml``) is kept apart from markup
(``data/sample_sites/<site>/templates``) so one article can be dressed as any
platform, and a benchmark can pour thousands of generated texts through the same
templates with :func:`render_article_page`. Every absolute URL (canonical,
og:url, feeds, sitemaps) is built from the base URL the site is served on, so
tests on random ports see self-consistent sites.
"""

from __future__ import annotations

import email.utils
import functools
import math
import re
import zlib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import jinja2
import yaml
from markupsafe import Markup, escape

SITE_IDS = ("exposetimur", "tribunpontianak", "bawaslubuol", "kaltengnetwork", "mediavers")
DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "sample_sites"
HTML_TYPE = "text/html; charset=utf-8"
Page = tuple[str, bytes]  # (content type, body)

_OFFSETS = {"WIB": 7, "WITA": 8, "WIT": 9}
_ZONES = {timedelta(hours=h): name for name, h in _OFFSETS.items()}
_DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
           "Oktober", "November", "Desember")
_MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
# Every optional article field a template may test, so StrictUndefined catches only real typos.
_OPTIONAL = ("editor", "caption", "image_alt", "photo_credit", "teaser", "source_line", "credit", "place",
             "seed", "syndicated_from", "event_date", "summary")


def tanggal(value: datetime, fmt: str = "{day}, {d} {month} {yyyy}") -> str:
    """Indonesian date text ("Rabu, 18 September 2024"), which strftime cannot do without a locale."""
    zone = _ZONES.get(value.utcoffset() or timedelta(0), "UTC")
    return fmt.format(
        day=_DAYS[value.weekday()], d=value.day, dd=f"{value.day:02d}", month=_MONTHS[value.month - 1],
        mon=_MONTHS_SHORT[value.month - 1], m=value.month, mm=f"{value.month:02d}", yyyy=value.year,
        HH=f"{value.hour:02d}", MM=f"{value.minute:02d}", tz=zone,
    )


def _utc_iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def route_key(target: str) -> str:
    """The lookup key of a request target: path plus sorted, re-encoded query (order-insensitive)."""
    parts = urlsplit(target)
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return (parts.path or "/") + (f"?{query}" if query else "")


def slugify(title: str, limit: int = 90) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug if len(slug) <= limit else slug[:limit].rsplit("-", 1)[0]


@functools.cache
def site_config(site_id: str) -> dict[str, Any]:
    if site_id not in SITE_IDS:
        raise KeyError(f"unknown sample site {site_id!r}; known: {', '.join(SITE_IDS)}")
    config = yaml.safe_load((DATA_DIR / site_id / "site.yaml").read_text(encoding="utf-8"))
    config["tz"] = timezone(timedelta(hours=_OFFSETS[config["timezone"]]))
    return dict(config)


@functools.cache
def load_articles() -> tuple[dict[str, Any], ...]:
    """All article records, syndicated copies filled in from their original."""
    files = sorted((DATA_DIR / "articles").glob("*.yaml"))
    raw = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in files]
    by_id: dict[str, dict[str, Any]] = {}
    for record in raw:
        if record["id"] in by_id:
            raise ValueError(f"duplicate article id {record['id']!r}")
        if record["site"] not in SITE_IDS:
            raise ValueError(f"{record['id']}: unknown site {record['site']!r}")
        by_id[record["id"]] = record
    for record in raw:
        origin = by_id.get(record.get("syndicated_from") or "")
        if origin is not None:
            record.setdefault("title", origin["title"])
            record.setdefault("body", origin["body"])
    return tuple(raw)


def site_articles(site_id: str) -> list[dict[str, Any]]:
    """One site's article records, newest first."""
    tz = site_config(site_id)["tz"]
    records = [a for a in load_articles() if a["site"] == site_id]
    return sorted(records, key=lambda a: _parse_dt(a["published"], tz), reverse=True)


def _parse_dt(value: Any, tz: timezone) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


@functools.cache
def _environment(site_id: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(DATA_DIR / site_id / "templates"),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        tanggal=tanggal, iso=datetime.isoformat, utc_iso=_utc_iso, rfc822=email.utils.format_datetime,
        gmt=lambda d: email.utils.format_datetime(d.astimezone(UTC), usegmt=True),
    )
    return env


def _article_path(site: dict[str, Any], record: dict[str, Any], published: datetime) -> str:
    slug = record.get("slug") or slugify(record["title"])
    path = site["article_path"].format(yyyy=published.year, mm=f"{published.month:02d}",
                                       dd=f"{published.day:02d}", slug=slug)
    return site["blocked_prefix"] + path if record.get("blocked") else path


def _paragraphs(body: Any) -> list[str]:
    if isinstance(body, str):
        return [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
    return [str(p).strip() for p in body if str(p).strip()]


def _related(site: dict[str, Any], base: str, record: dict[str, Any],
             published: datetime) -> list[dict[str, Any]]:
    """"Baca juga" targets: an article id or title on the same site, else an invented (dead) link."""
    same_site = [a for a in load_articles() if a["site"] == site["id"]]
    links = []
    for index, wanted in enumerate(record.get("related_links") or []):
        target = next((a for a in same_site if wanted in (a["id"], a.get("title"))), None)
        if target is None:
            target = {"title": wanted, "published": published - timedelta(days=index + 2)}
        when = _parse_dt(target["published"], site["tz"])
        links.append({"title": target["title"], "url": base + _article_path(site, target, when)})
    return links


def _blocks(paragraphs: list[str], related: list[dict[str, Any]],
            at: list[int] | None) -> list[dict[str, Any]]:
    """Body paragraphs with inline "Baca juga" links after the given paragraph numbers (1-based)."""
    count = len(paragraphs)
    positions = at or [max(1, math.ceil(count / 2)), max(1, count - 1)][: len(related)]
    blocks: list[dict[str, Any]] = []
    for number, text in enumerate(paragraphs, start=1):
        blocks.append({"type": "p", "text": text})
        blocks.extend({"type": "related", **link} for pos, link in zip(positions, related, strict=False) if pos == number)
    return blocks


def prepare_article(site_id: str, base_url: str, record: dict[str, Any]) -> dict[str, Any]:
    """The template view of one article: URLs, dates, paragraphs, inline links, ids."""
    site = site_config(site_id)
    base = base_url.rstrip("/")
    if not record.get("title") or not record.get("body"):
        raise ValueError("an article needs at least a title and a body")
    published = _parse_dt(record.get("published") or "2024-09-18T09:00:00", site["tz"])
    modified = _parse_dt(record["modified"], site["tz"]) if record.get("modified") else published
    paragraphs = _paragraphs(record["body"])
    related = _related(site, base, record, published)
    article_id = record.get("id") or "page-" + slugify(record["title"], 40)
    path = _article_path(site, record, published)
    section_id = record.get("section") or site["sections"][0]["id"]
    section = next((s for s in _sections(site, base) if s["id"] == section_id), None)
    if section is None:
        raise ValueError(f"{article_id}: {site_id} has no section {section_id!r}")
    lead = paragraphs[0]
    excerpt = lead if len(lead) <= 220 else lead[:217].rsplit(" ", 1)[0] + " [\u2026]"
    view = {key: record.get(key) for key in _OPTIONAL}
    view.update(
        id=article_id, title=record["title"], slug=record.get("slug") or slugify(record["title"]),
        kind=record.get("kind", "written"), author=record.get("author") or site["default_author"],
        published=published, modified=modified, path=path, url=base + path, section=section,
        paragraphs=paragraphs, related=related, blocks=_blocks(paragraphs, related, record.get("related_at")),
        tags=list(record.get("tags") or []), regions=list(record.get("regions") or []),
        blocked=bool(record.get("blocked")), excerpt=excerpt, words=sum(len(p.split()) for p in paragraphs),
        num=zlib.crc32(article_id.encode()) % 900000 + 100000, newer=None, older=None,
        body_html=Markup("\n").join(Markup("<p>{}</p>").format(escape(p)) for p in paragraphs),
    )
    view["archive_links"] = _archive_links(site, base, view)
    return view


def _archive_values(record: dict[str, Any], field: str) -> list[str]:
    value = record.get(field) or []
    return [value] if isinstance(value, str) else list(value)


def _archive_links(site: dict[str, Any], base: str, view: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """Tag and author archive links, keyed by field ("tags", "author"), for sites that have archives."""
    return {
        spec["field"]: [{"name": v, "url": base + spec["path"].format(slug=slugify(v))}
                        for v in _archive_values(view, spec["field"])]
        for spec in site.get("archives", [])
    }


def _sections(site: dict[str, Any], base: str) -> list[dict[str, Any]]:
    return [{**s, "url": base + s["path"]} for s in site["sections"]]


@functools.cache
def _site_view(site_id: str, base: str) -> dict[str, Any]:
    """What every page of a site shares: menus, the newest stories, the robots-blocked link."""
    site = site_config(site_id)
    prepared = [prepare_article(site_id, base, r) for r in site_articles(site_id)]
    public = [a for a in prepared if not a["blocked"]]
    for index, article in enumerate(public):  # Blogger's "Lebih baru / Lebih lama"
        article["newer"] = public[index - 1] if index else None
        article["older"] = public[index + 1] if index + 1 < len(public) else None
    return {
        "site": site, "base": base, "sections": _sections(site, base),
        "pages": [{**p, "url": base + p["path"]} for p in site.get("static_pages", [])],
        "articles": public, "recent": public[:5], "blocked": [a for a in prepared if a["blocked"]],
        "now": public[0]["modified"] if public else datetime(2024, 11, 25, tzinfo=site["tz"]),
    }


def _listings(view: dict[str, Any]) -> list[dict[str, Any]]:
    """Every listing page: site.yaml's own, one per section, one per tag/author archive value."""
    site = view["site"]
    specs = list(site["listings"]) + [
        {"path": s["path"], "page_path": site["section_page_path"], "section": s["id"], "title": s["name"]}
        for s in site["sections"]
    ]
    for archive in site.get("archives", []):
        everyone = view["articles"] + view["blocked"]  # a blocked page's tag links must resolve too
        values = sorted({v for a in everyone for v in _archive_values(a, archive["field"])})
        specs += [{"path": archive["path"].format(slug=slugify(v)), "title": archive["title"].format(name=v),
                   "page_path": site["section_page_path"], "field": archive["field"], "value": v}
                  for v in values]
    return [page for spec in specs for page in _paginate(view, spec)]


def _paginate(view: dict[str, Any], spec: dict[str, Any]) -> list[dict[str, Any]]:
    """One listing split into pages; page_path may use {path} {n} {n0} {size} and Blogger's {updated_max}."""
    base = view["base"]
    items = [a for a in view["articles"] if _listed(a, spec)]
    size = spec.get("page_size", view["site"]["page_size"])
    count = max(1, math.ceil(len(items) / size))
    paths = [spec["path"]]
    for n in range(2, count + 1):
        # Blogger pages by the date of the previous page's last post.
        last = items[(n - 1) * size - 1]["published"].isoformat()
        paths.append(spec["page_path"].format(path=spec["path"], n=n, n0=n - 1, size=size,
                                              updated_max=quote(last, safe=":")))
    links = [(n, base + p) for n, p in enumerate(paths, start=1)]
    return [{
        "path": path, "template": spec.get("template", "listing.html"), "title": spec.get("title", ""),
        "items": items[(number - 1) * size: number * size],
        "page": {"number": number, "count": count, "url": base + path, "links": links,
                 "prev": links[number - 2][1] if number > 1 else None,
                 "next": links[number][1] if number < count else None},
    } for number, path in enumerate(paths, start=1)]


def _listed(article: dict[str, Any], spec: dict[str, Any]) -> bool:
    if spec.get("section"):
        return bool(article["section"]["id"] == spec["section"])
    if spec.get("field"):
        return spec["value"] in _archive_values(article, spec["field"])
    return True


def render_site(site_id: str, base_url: str) -> dict[str, Page]:
    """Every page of one site, keyed by :func:`route_key` of its path."""
    view = _site_view(site_id, base_url.rstrip("/"))
    env = _environment(site_id)
    routes: dict[str, Page] = {}
    for listing in _listings(view):
        page = listing["page"]
        html = env.get_template(listing["template"]).render(
            **view, listing=listing, page=page, items=listing["items"], canonical=page["url"])
        routes[route_key(listing["path"])] = (HTML_TYPE, html.encode("utf-8"))
    for article in view["articles"] + view["blocked"]:
        html = env.get_template("article.html").render(**view, a=article, canonical=article["url"])
        routes[route_key(article["path"])] = (HTML_TYPE, html.encode("utf-8"))
    for static in view["pages"]:
        html = env.get_template("page.html").render(**view, p=static, canonical=static["url"])
        routes[route_key(static["path"])] = (HTML_TYPE, html.encode("utf-8"))
    for spec in site_config(site_id)["files"]:
        text = env.get_template(spec["template"]).render(**view, canonical=view["base"] + spec["path"])
        routes[route_key(spec["path"])] = (spec["type"], text.encode("utf-8"))
    return routes


def render_not_found(site_id: str, base_url: str) -> bytes:
    view = _site_view(site_id, base_url.rstrip("/"))
    html = _environment(site_id).get_template("404.html").render(**view, canonical=view["base"] + "/")
    return html.encode("utf-8")


def render_article_page(site_id: str, base_url: str, article: dict[str, Any]) -> str:
    """One article page in a site's template, from any record with at least ``title`` and ``body``.

    Optional keys follow the YAML records (published, author, section, related_links,
    caption, ...); a missing date becomes 2024-09-18 09:00 in the site's timezone.
    """
    view = _site_view(site_id, base_url.rstrip("/"))
    prepared = prepare_article(site_id, base_url, article)
    template = _environment(site_id).get_template("article.html")
    return template.render(**view, a=prepared, canonical=prepared["url"])
