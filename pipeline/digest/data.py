"""The week's data for the digest: typed records read with SQL from a read-only connection.

A week is an ISO week, Monday to Sunday. An event belongs to the week when it
took place in it; an event whose date the news did not state belongs to the
week in which it was first reported. Every value reaches DuckDB as a bound
parameter.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from pipeline.store import connect_readonly

WEEK_PATTERN = re.compile(r"^(\d{4})-[Ww](\d{1,2})$")
TOP_OFFICIALS = 10


class DigestError(ValueError):
    """A digest that cannot be made as asked; the message says why and what to give instead."""


@dataclass(frozen=True)
class Week:
    year: int
    number: int

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @property
    def start(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.number, 1)

    @property
    def end(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.number, 7)

    @property
    def days(self) -> tuple[dt.date, ...]:
        return tuple(self.start + dt.timedelta(days=i) for i in range(7))


def parse_week(text: str) -> Week:
    """``"2024-W38"`` -> Week(2024, 38); anything else is a ``DigestError`` saying what is expected."""
    match = WEEK_PATTERN.match(text.strip()) if isinstance(text, str) else None
    if not match:
        raise DigestError(f"week must be an ISO week like 2024-W38 (year, '-W', week number), not {text!r}")
    year, number = int(match.group(1)), int(match.group(2))
    weeks_in_year = dt.date(year, 12, 28).isocalendar().week
    if not 1 <= number <= weeks_in_year:
        raise DigestError(f"{year} has ISO weeks 1 to {weeks_in_year}; {text!r} is not one of them")
    return Week(year, number)


@dataclass(frozen=True)
class SourceArticle:
    article_id: str
    url: str
    title: str | None
    source_id: str | None
    outlet: str
    published_date: dt.date | None


@dataclass(frozen=True)
class DigestEvent:
    """One real-world neutrality event and the articles that report it."""

    event_id: str
    type: str
    date: dt.date | None  # when it took place, if the news says
    first_reported: dt.date | None
    organizer: str | None
    organizer_region: str | None
    venue: str | None
    venue_region: str | None
    online: bool | None
    participant_regions: tuple[str, ...]
    articles: tuple[SourceArticle, ...]

    @property
    def day(self) -> dt.date | None:
        """The date the digest files it under: the event's own, else its first report."""
        return self.date or self.first_reported


@dataclass(frozen=True)
class ViolationFigure:
    """A count as one or more articles report it ("23 dugaan pelanggaran" in Kota Pontianak)."""

    event_id: str
    event_type: str
    event_date: dt.date | None
    what: str
    number: float
    scope: str | None
    articles: tuple[SourceArticle, ...]


@dataclass(frozen=True)
class QuotedOfficial:
    name: str
    title: str | None
    region: str | None
    institution: str | None
    articles: int


@dataclass(frozen=True)
class WeekData:
    week: Week
    events: tuple[DigestEvent, ...]
    figures: tuple[ViolationFigure, ...]
    officials: tuple[QuotedOfficial, ...]
    articles: tuple[SourceArticle, ...]

    @property
    def empty(self) -> bool:
        return not self.events

    @property
    def rakor(self) -> tuple[DigestEvent, ...]:
        return tuple(e for e in self.events if e.type == "rakor")

    @property
    def other_events(self) -> dict[str, tuple[DigestEvent, ...]]:
        grouped: dict[str, list[DigestEvent]] = defaultdict(list)
        for event in self.events:
            if event.type != "rakor":
                grouped[event.type].append(event)
        return {t: tuple(v) for t, v in grouped.items()}

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(sorted({a.outlet for a in self.articles}))

    def per_day(self) -> dict[dt.date, dict[str, int]]:
        """Events that took place on each day of the week, by type (undated events are left out)."""
        counts: dict[dt.date, dict[str, int]] = {day: {} for day in self.week.days}
        for event in self.events:
            if event.date in counts:
                counts[event.date][event.type] = counts[event.date].get(event.type, 0) + 1
        return counts

    @property
    def undated(self) -> int:
        return sum(1 for e in self.events if e.date is None)

    def undated_by_type(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for event in self.events:
            if event.date is None:
                counts[event.type] = counts.get(event.type, 0) + 1
        return counts


# The week's events: those that took place in it, and undated ones first reported in it. ``stories`` maps
# every article to the story it repeats (``duplicate_of``) or itself: the digest counts and lists stories,
# so one story syndicated under 123 URLs is one source, not 123.
_WEEK_EVENTS = """
    WITH stories AS (
        SELECT d.article_id, coalesce(o.article_id, d.article_id) AS story_id
        FROM articles d LEFT JOIN articles o ON o.article_id = d.duplicate_of
    ),
    reports AS (
        SELECT ea.event_id, min(a.published_date) AS first_reported
        FROM event_articles ea JOIN articles a ON a.article_id = ea.article_id
        GROUP BY ea.event_id
    ),
    week_events AS (
        SELECT e.*, r.first_reported
        FROM events e LEFT JOIN reports r ON r.event_id = e.event_id
        WHERE e.date BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
           OR (e.date IS NULL AND r.first_reported BETWEEN CAST($start AS DATE) AND CAST($end AS DATE))
    )
"""

_ARTICLE_COLUMNS = """a.article_id, a.url, a.title, a.source_id, coalesce(s.name, a.source_id, '') AS outlet,
                      a.published_date"""


def _article(row: tuple[Any, ...]) -> SourceArticle:
    return SourceArticle(article_id=row[0], url=row[1], title=row[2], source_id=row[3], outlet=row[4] or "",
                         published_date=row[5])


def load_week(db: Path, week: Week) -> WeekData:
    """Everything the digest shows for ``week``, read from ``db`` without writing to it."""
    con = connect_readonly(db)
    try:
        params = {"start": week.start, "end": week.end}
        return WeekData(
            week=week,
            events=_events(con, params),
            figures=_figures(con, params),
            officials=_officials(con, params),
            articles=_articles(con, params),
        )
    finally:
        con.close()


def _events(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> tuple[DigestEvent, ...]:
    links: dict[str, list[SourceArticle]] = defaultdict(list)
    for row in con.execute(
        _WEEK_EVENTS + f"""
        SELECT DISTINCT ea.event_id, {_ARTICLE_COLUMNS}
        FROM week_events w
        JOIN event_articles ea ON ea.event_id = w.event_id
        JOIN stories st ON st.article_id = ea.article_id
        JOIN articles a ON a.article_id = st.story_id
        LEFT JOIN sources s ON s.source_id = a.source_id
        ORDER BY a.published_date NULLS LAST, outlet, a.url
        """,
        params,
    ).fetchall():
        links[row[0]].append(_article(row[1:]))
    rows = con.execute(
        _WEEK_EVENTS + """
        SELECT event_id, type, date, first_reported, organizer, organizer_region, venue, venue_region, online,
               participant_regions
        FROM week_events
        ORDER BY coalesce(date, first_reported), date NULLS LAST, type, organizer_region NULLS LAST, event_id
        """,
        params,
    ).fetchall()
    return tuple(
        DigestEvent(event_id=r[0], type=r[1], date=r[2], first_reported=r[3], organizer=r[4],
                    organizer_region=r[5], venue=r[6], venue_region=r[7], online=r[8],
                    participant_regions=tuple(r[9] or ()), articles=tuple(links.get(r[0], ())))
        for r in rows
    )


def _figures(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> tuple[ViolationFigure, ...]:
    rows = con.execute(
        _WEEK_EVENTS + f"""
        SELECT w.event_id, w.type, w.date, CAST(m.figures AS VARCHAR), {_ARTICLE_COLUMNS}
        FROM week_events w
        JOIN event_articles ea ON ea.event_id = w.event_id
        JOIN event_mentions m ON m.mention_id = ea.mention_id
        JOIN stories st ON st.article_id = ea.article_id
        JOIN articles a ON a.article_id = st.story_id
        LEFT JOIN sources s ON s.source_id = a.source_id
        WHERE m.figures IS NOT NULL
        ORDER BY coalesce(w.date, w.first_reported), w.event_id, a.published_date NULLS LAST, outlet, a.url
        """,
        params,
    ).fetchall()
    # The same count in two reports of one event is one figure with two sources.
    merged: dict[tuple[str, str, float, str | None], tuple[tuple[Any, ...], list[SourceArticle]]] = {}
    for event_id, event_type, date, figures_json, *article_row in rows:
        try:
            figures = json.loads(figures_json) or []
        except (TypeError, ValueError):
            continue
        article = _article(tuple(article_row))
        for figure in figures:
            if not isinstance(figure, dict) or figure.get("number") is None:
                continue
            what = str(figure.get("what") or "").strip()
            scope = figure.get("scope") or None
            key = (event_id, " ".join(what.lower().split()), float(figure["number"]), scope)
            sources = merged.setdefault(key, ((event_id, event_type, date, what, scope), []))[1]
            if article not in sources:
                sources.append(article)
    return tuple(
        ViolationFigure(event_id=head[0], event_type=head[1], event_date=head[2], what=head[3],
                        number=key[2], scope=head[4], articles=tuple(sources))
        for key, (head, sources) in merged.items()
    )


# The week's relevant articles: published in the week, or reporting one of the week's events.
_WEEK_ARTICLES = _WEEK_EVENTS + """
    , week_articles AS (
        SELECT a.article_id FROM articles a
        WHERE a.published_date BETWEEN CAST($start AS DATE) AND CAST($end AS DATE)
        UNION
        SELECT ea.article_id FROM event_articles ea JOIN week_events w ON w.event_id = ea.event_id
    )
"""


def _officials(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> tuple[QuotedOfficial, ...]:
    # A syndicated copy of a story (duplicate_of) is not a second quotation.
    rows = con.execute(
        _WEEK_ARTICLES + """
        SELECT o.name, mode(o.title), mode(o.region), mode(o.institution),
               count(DISTINCT coalesce(a.duplicate_of, a.article_id)) AS n
        FROM official_mentions o
        JOIN week_articles w ON w.article_id = o.article_id
        JOIN articles a ON a.article_id = o.article_id
        WHERE a.relevant
        GROUP BY o.name
        ORDER BY n DESC, o.name
        LIMIT $limit
        """,
        {**params, "limit": TOP_OFFICIALS},
    ).fetchall()
    return tuple(QuotedOfficial(name=r[0], title=r[1], region=r[2], institution=r[3], articles=int(r[4]))
                 for r in rows)


def _articles(con: duckdb.DuckDBPyConnection, params: dict[str, Any]) -> tuple[SourceArticle, ...]:
    rows = con.execute(
        _WEEK_ARTICLES + f"""
        SELECT DISTINCT {_ARTICLE_COLUMNS}
        FROM week_articles w
        JOIN articles d ON d.article_id = w.article_id
        JOIN stories st ON st.article_id = d.article_id
        JOIN articles a ON a.article_id = st.story_id
        LEFT JOIN sources s ON s.source_id = a.source_id
        WHERE d.relevant OR d.article_id IN (SELECT article_id FROM event_articles
                                             JOIN week_events USING (event_id))
        ORDER BY a.published_date NULLS LAST, outlet, a.title, a.url
        """,
        params,
    ).fetchall()
    return tuple(_article(r) for r in rows)
