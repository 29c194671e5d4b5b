"""Analysts' questions, answered from a read-only connection.

Every value from the command line reaches DuckDB as a bound parameter, never
as SQL text, so "'; DROP TABLE events; --" is just a string that matches
nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.store import connect_readonly

RAKOR_COLUMNS = ("event_id", "date", "organizer", "organizer_region", "venue", "venue_region", "online",
                 "participant_regions", "articles")


class QueryError(ValueError):
    """A query argument that cannot be used; the message says which and why."""


def parse_date(value: str | None, name: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise QueryError(f"{name} must be a date like 2024-09-17, not {value!r}") from exc


_EVENT_ROWS = """
    SELECT e.event_id, e.date, e.organizer, e.organizer_region, e.venue, e.venue_region, e.online,
           e.participant_regions, list(DISTINCT a.url ORDER BY a.url) AS articles
    FROM events e
    JOIN event_articles ea ON ea.event_id = e.event_id
    JOIN articles a ON a.article_id = ea.article_id
    WHERE e.type = $type
      AND ($from IS NULL OR e.date >= $from) AND ($to IS NULL OR e.date <= $to)
      AND (e.date IS NOT NULL OR ($from IS NULL AND $to IS NULL))
      AND (len($regions) = 0 OR list_contains($regions, e.organizer_region)
           OR list_has_any(e.participant_regions, $regions))
      AND ($regency IS NULL OR e.organizer_region = $regency OR e.venue_region = $regency
           OR list_contains(e.participant_regions, $regency))
      AND ($organizer IS NULL OR contains(lower(e.organizer), lower($organizer)))
    GROUP BY ALL
    ORDER BY e.date NULLS LAST, e.organizer_region, e.event_id
"""


def event_rows(db: Path, event_type: str = "rakor", date_from: dt.date | None = None,
               date_to: dt.date | None = None, regions: Sequence[str] = (), regency: str | None = None,
               organizer: str | None = None) -> list[dict[str, Any]]:
    """One row per real-world event of ``event_type``, in the columns of the rakor answer.

    ``regions``: official names (a province and its kabupaten/kota) the organiser or a participant must be
    in; ``regency``: a kabupaten/kota that organised, hosted or took part; ``organizer``: words of the
    organiser's name. Events with unknown dates are included unless a date bound is given.
    """
    con = connect_readonly(db)
    try:
        rows = con.execute(_EVENT_ROWS, {"type": event_type, "from": date_from, "to": date_to,
                                         "regions": list(regions), "regency": regency,
                                         "organizer": organizer}).fetchall()
    finally:
        con.close()
    events = []
    for row in rows:
        record = dict(zip(RAKOR_COLUMNS, row, strict=True))
        record["date"] = record["date"].isoformat() if record["date"] else None
        record["participant_regions"] = list(record["participant_regions"] or [])
        record["articles"] = list(record["articles"] or [])
        events.append(record)
    return events


def rakor_events(db: Path, date_from: dt.date | None = None, date_to: dt.date | None = None) -> list[dict[str, Any]]:
    """One row per real-world neutrality rakor (see ../shared/contract/README.md)."""
    return event_rows(db, "rakor", date_from, date_to)


def render(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str) -> str:
    """Rows as json, csv or a plain-text table."""
    if fmt == "json":
        return json.dumps(list(rows), ensure_ascii=False, indent=2)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["; ".join(map(str, v)) if isinstance(v, list) else ("" if v is None else v)
                             for v in (row[c] for c in columns)])
        return buffer.getvalue()
    if fmt == "table":
        return _table(rows, columns)
    raise QueryError(f"unknown format {fmt!r}; use table, json or csv")


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _cell(value: Any, width: int = 48) -> str:
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    # Scraped text may carry terminal escape sequences; a table cell shows them as nothing.
    text = "-" if value is None else _CONTROL.sub(" ", str(value))
    return text if len(text) <= width else text[: width - 1] + "…"


_UNLIMITED = ("participant_regions", "titles")


def _table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """A plain-text table: region lists in full (they are the answer), long texts and URL lists shortened."""
    if not rows:
        return "(no rows)"
    shown = [c for c in columns if c not in ("event_id",)]

    def cell(column: str, value: Any) -> str:
        if column == "articles" and isinstance(value, list):
            first = _cell(value[0], 50) if value else "-"
            return f"{len(value)}: {first}" + (" …" if len(value) > 1 else "")
        return _cell(value, 10_000 if column in _UNLIMITED else 40)

    cells = [[cell(c, row[c]) for c in shown] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(shown)]
    line = "  ".join(c.ljust(w) for c, w in zip(shown, widths, strict=True))
    out = [line.rstrip(), "  ".join("-" * w for w in widths)]
    out += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    out.append(f"({len(rows)} {'row' if len(rows) == 1 else 'rows'})")
    return "\n".join(out)


# -- regions given by users ------------------------------------------------------------

def resolve_region(text: str) -> tuple[str, str]:
    """(name, code) of a region written the way users write it ("Kalbar", "Kab. Mempawah", "Nasional")."""
    from pipeline.nlp.components import shared_gazetteer

    if text.strip().lower() in ("nasional", "national", "ri", "pusat"):
        return "Nasional", "00"
    gazetteer = shared_gazetteer()
    region = gazetteer.resolve(text)
    if region is None or not _close_enough(text, region):
        suggestions = ", ".join(r.name for r in gazetteer.close_matches(text, n=5))
        hint = f"; did you mean: {suggestions}" if suggestions else ""
        raise QueryError(f"unknown region {text!r}{hint}")
    return region.name, region.code


def _close_enough(text: str, region: Any) -> bool:
    """The lenient resolver also finds regions inside longer strings; a user's argument must name one."""
    from pipeline.nlp.gazetteer import surface_key

    key = surface_key(text)
    words = set(key.split()) - {"kabupaten", "kab", "kota", "provinsi", "prov", "pemkab", "pemkot", "pemprov"}
    return bool(words) and (words <= set(surface_key(region.name).split()) or len(words) <= 2)


def _province_codes(province: str | None) -> str | None:
    if province is None:
        return None
    name, code = resolve_region(province)
    if "." in code or code == "00":
        raise QueryError(f"{province!r} is {name}, not a province")
    return code


REGION_COLUMNS = ("date", "type", "role", "organizer", "organizer_region", "venue", "participant_regions",
                  "articles")


def region_timeline(db: Path, region: str, date_from: dt.date | None = None,
                    date_to: dt.date | None = None) -> list[dict[str, Any]]:
    """Everything a region did: events it held, attended, hosted or was the scope of."""
    name, _ = resolve_region(region)
    con = connect_readonly(db)
    try:
        rows = con.execute(
            """
            SELECT e.date, e.type,
                   CASE WHEN e.organizer_region = $region THEN 'held'
                        WHEN list_contains(e.participant_regions, $region) THEN 'attended'
                        ELSE 'venue' END AS role,
                   e.organizer, e.organizer_region, e.venue, e.participant_regions,
                   list(DISTINCT a.url ORDER BY a.url) AS articles
            FROM events e
            JOIN event_articles ea ON ea.event_id = e.event_id
            JOIN articles a ON a.article_id = ea.article_id
            WHERE (e.organizer_region = $region OR list_contains(e.participant_regions, $region)
                   OR e.venue_region = $region)
              AND ($from IS NULL OR e.date >= $from) AND ($to IS NULL OR e.date <= $to)
            GROUP BY ALL ORDER BY e.date NULLS LAST, e.type
            """,
            {"region": name, "from": date_from, "to": date_to},
        ).fetchall()
    finally:
        con.close()
    return [_jsonable(dict(zip(REGION_COLUMNS, row, strict=True))) for row in rows]


OFFICIAL_COLUMNS = ("name", "titles", "region", "institution", "articles", "first_seen", "last_seen")


def officials(db: Path, region: str | None = None, province: str | None = None,
              date_from: dt.date | None = None, date_to: dt.date | None = None) -> list[dict[str, Any]]:
    """Office holders named in relevant articles, one row per person and region."""
    region_name = resolve_region(region)[0] if region else None
    province_code = _province_codes(province)
    con = connect_readonly(db)
    try:
        rows = con.execute(
            """
            SELECT o.name, list(DISTINCT o.title ORDER BY o.title) AS titles, o.region,
                   mode(o.institution) AS institution, count(DISTINCT o.article_id) AS articles,
                   min(a.published_date) AS first_seen, max(a.published_date) AS last_seen
            FROM official_mentions o
            JOIN articles a ON a.article_id = o.article_id
            LEFT JOIN regions r ON r.name = o.region
            WHERE a.relevant
              AND ($region IS NULL OR o.region = $region)
              AND ($province IS NULL OR r.province_code = $province)
              AND ($from IS NULL OR a.published_date >= $from) AND ($to IS NULL OR a.published_date <= $to)
            GROUP BY o.name, o.region
            ORDER BY articles DESC, o.name
            """,
            {"region": region_name, "province": province_code, "from": date_from, "to": date_to},
        ).fetchall()
    finally:
        con.close()
    return [_jsonable(dict(zip(OFFICIAL_COLUMNS, row, strict=True))) for row in rows]


SEARCH_COLUMNS = ("score", "published", "title", "url")


def search(db: Path, text: str, limit: int = 20, *, date_from: dt.date | None = None,
           date_to: dt.date | None = None, region: str | None = None,
           event_type: str | None = None) -> list[dict[str, Any]]:
    """Full-text search (BM25) over article titles and texts, from the search index beside ``db``.

    ``region`` is written as users write it ("Kalbar"): articles naming it or a place inside it.
    """
    from pipeline.store.search import search_articles

    if event_type is not None:
        from pipeline.nlp.event_cues import EVENT_TYPES

        if event_type not in EVENT_TYPES:
            raise QueryError(f"unknown event type {event_type!r}; use one of {', '.join(EVENT_TYPES)}")
    hits = search_articles(db, text, limit=limit, date_from=date_from, date_to=date_to, region=region,
                           event_type=event_type)
    return [{**{c: hit[c] for c in SEARCH_COLUMNS}, "article_id": hit["article_id"]} for hit in hits]


def filter_by_province(rows: list[dict[str, Any]], province: str | None) -> list[dict[str, Any]]:
    """Rakor whose organiser or participants lie in the province."""
    code = _province_codes(province)
    if code is None:
        return rows
    from pipeline.nlp.components import shared_gazetteer

    gazetteer = shared_gazetteer()

    def inside(name: str | None) -> bool:
        region = gazetteer.by_name(name) if name else None
        return bool(region and region.province_code == code)

    return [r for r in rows if inside(r["organizer_region"]) or any(inside(p) for p in r["participant_regions"])]


def _jsonable(record: dict[str, Any]) -> dict[str, Any]:
    for key, value in record.items():
        if isinstance(value, dt.date):
            record[key] = value.isoformat()
        elif isinstance(value, tuple):
            record[key] = list(value)
    return record
