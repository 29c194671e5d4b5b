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


def rakor_events(db: Path, date_from: dt.date | None = None, date_to: dt.date | None = None) -> list[dict[str, Any]]:
    """One row per real-world neutrality rakor (see ../shared/contract/README.md)."""
    con = connect_readonly(db)
    try:
        rows = con.execute(
            """
            SELECT e.event_id, e.date, e.organizer, e.organizer_region, e.venue, e.venue_region, e.online,
                   e.participant_regions,
                   list(DISTINCT a.url ORDER BY a.url) AS articles
            FROM events e
            JOIN event_articles ea ON ea.event_id = e.event_id
            JOIN articles a ON a.article_id = ea.article_id
            WHERE e.type = 'rakor'
              AND (CAST(? AS DATE) IS NULL OR e.date >= CAST(? AS DATE))
              AND (CAST(? AS DATE) IS NULL OR e.date <= CAST(? AS DATE))
              AND (e.date IS NOT NULL OR (CAST(? AS DATE) IS NULL AND CAST(? AS DATE) IS NULL))
            GROUP BY ALL
            ORDER BY e.date NULLS LAST, e.organizer_region, e.event_id
            """,
            [date_from, date_from, date_to, date_to, date_from, date_to],
        ).fetchall()
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


def _cell(value: Any, width: int = 48) -> str:
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    text = "-" if value is None else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    if not rows:
        return "(no rows)"
    shown = [c for c in columns if c not in ("event_id",)]
    cells = [[_cell(row[c], 60 if c == "articles" else 40) for c in shown] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(shown)]
    line = "  ".join(c.ljust(w) for c, w in zip(shown, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in cells]
    out.append(f"({len(rows)} {'row' if len(rows) == 1 else 'rows'})")
    return "\n".join(out)
