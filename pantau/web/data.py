"""What the web pages read: filtered event rows, one event with its evidence, a region, sources.

Each function opens the read snapshot (``pantau.web.app.Reader``) read-only and
closes it before returning. Every filter reaches DuckDB as a bound parameter;
region names are resolved with the gazetteer first, so a filter on a province
is a list parameter of its region names, never SQL text. The rakor rows keep
the columns and order of ``pipeline.query.rakor_events`` so the page, its CSV
and its JSON are the rows of ``pantau query rakor``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import query
from pipeline.query import QueryError, parse_date, resolve_region
from pipeline.store import connect_readonly


@dataclass(frozen=True)
class EventFilter:
    """The analyst's filters, already checked: dates parsed, regions resolved to official names."""

    type: str = "rakor"
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    province: str | None = None  # as written by the user, kept for the form
    province_code: str | None = None
    province_names: tuple[str, ...] = ()
    regency: str | None = None  # official name, "Kabupaten Poso"
    organizer: str | None = None

    @classmethod
    def parse(cls, params: dict[str, str], event_types: tuple[str, ...]) -> EventFilter:
        def given(key: str) -> str | None:
            value = (params.get(key) or "").strip()
            return value or None

        kind = given("type") or "rakor"
        if kind not in event_types:
            raise QueryError(f"unknown event type {kind!r}; use one of {', '.join(event_types)}")
        province, code, names = given("province"), None, ()
        if province:
            code, names = province_regions(province)
        regency = given("regency")
        if regency:
            name, region_code = resolve_region(regency)
            if "." not in region_code:
                raise QueryError(f"{regency!r} is {name}, not a kabupaten or kota")
            regency = name
        return cls(type=kind, date_from=parse_date(given("from"), "from"), date_to=parse_date(given("to"), "to"),
                   province=province, province_code=code, province_names=names, regency=regency,
                   organizer=given("organizer"))


def province_regions(text: str) -> tuple[str, tuple[str, ...]]:
    """(code, names of the province and its kabupaten/kota) for a province as users write it."""
    from pipeline.nlp.components import shared_gazetteer

    name, code = resolve_region(text)
    if "." in code or code == "00":
        raise QueryError(f"{text!r} is {name}, not a province")
    gazetteer = shared_gazetteer()
    names = tuple(r.name for r in (*gazetteer.provinces(), *gazetteer.regencies()) if r.province_code == code)
    return code, names


def event_rows(db: Path, f: EventFilter) -> list[dict[str, Any]]:
    """Events of ``f.type`` matching the filters, as ``pantau query rakor`` rows (one query, in ``pipeline.query``)."""
    return query.event_rows(db, f.type, f.date_from, f.date_to, f.province_names, f.regency, f.organizer)


def latest_rakor(db: Path, limit: int = 5) -> list[dict[str, Any]]:
    con = connect_readonly(db)
    try:
        rows = con.execute(
            "SELECT event_id, date, organizer, organizer_region, venue FROM events WHERE type = 'rakor' "
            "ORDER BY date DESC NULLS LAST, event_id LIMIT ?", [int(limit)]).fetchall()
    finally:
        con.close()
    return [dict(zip(("event_id", "date", "organizer", "organizer_region", "venue"), r, strict=True))
            for r in rows]


# -- one event and its evidence ------------------------------------------------------

FIELDS = ("date", "organizer", "organizer_region", "venue", "venue_region", "online", "participant_regions")


@dataclass(frozen=True)
class Report:
    number: int
    article_id: str
    url: str
    title: str | None
    outlet: str
    published: dt.date | None
    evidence: tuple[tuple[str, bool], ...]  # (text, highlighted) pieces of the evidence sentence
    values: dict[str, Any]


@dataclass(frozen=True)
class FieldSource:
    field: str
    value: Any
    stated_by: tuple[int, ...]  # report numbers whose mention gives the merged value
    others: tuple[tuple[str, tuple[int, ...]], ...]  # other values reports gave, with who gave them


@dataclass(frozen=True)
class EventDetail:
    event_id: str
    type: str
    values: dict[str, Any]
    fields: tuple[FieldSource, ...]
    reports: tuple[Report, ...]
    participants: tuple[tuple[str, tuple[int, ...]], ...] = field(default_factory=tuple)


_REPORTS = """
    SELECT a.article_id, a.url, a.title, coalesce(s.name, a.source_id, '') AS outlet, a.published_date, a.text,
           m.date, m.organizer, m.organizer_region, m.venue, m.venue_region, m.online, m.participant_regions,
           m.evidence, m.evidence_start, m.evidence_end, m.trigger_start, m.trigger_end
    FROM event_articles ea
    JOIN articles a ON a.article_id = ea.article_id
    LEFT JOIN event_mentions m ON m.mention_id = ea.mention_id
    LEFT JOIN sources s ON s.source_id = a.source_id
    WHERE ea.event_id = ?
    ORDER BY a.published_date NULLS LAST, a.url
"""


def event_detail(db: Path, event_id: str) -> EventDetail | None:
    con = connect_readonly(db)
    try:
        event = con.execute("SELECT event_id, type, " + ", ".join(FIELDS) + " FROM events WHERE event_id = ?",
                            [event_id]).fetchone()
        if event is None:
            return None
        rows = con.execute(_REPORTS, [event_id]).fetchall()
        names = con.execute(
            "SELECT article_id, name_start, name_end FROM official_mentions "
            "WHERE article_id IN (SELECT article_id FROM event_articles WHERE event_id = ?) "
            "AND name_start IS NOT NULL", [event_id]).fetchall()
    finally:
        con.close()
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for article_id, start, end in names:
        spans[article_id].append((start, end))
    values = dict(zip(FIELDS, event[2:], strict=True))
    reports = []
    for number, row in enumerate(rows, 1):
        (article_id, url, title, outlet, published, text, *mention, evidence, es, ee, ts, te) = row
        reports.append(Report(number=number, article_id=article_id, url=url, title=title, outlet=outlet,
                              published=published,
                              evidence=evidence_pieces(text or "", evidence, es, ee, ts, te, spans[article_id]),
                              values=dict(zip(FIELDS, mention, strict=True))))
    return EventDetail(event_id=event[0], type=event[1], values=values,
                       fields=tuple(_provenance(f, values[f], reports) for f in FIELDS if f != "participant_regions"),
                       reports=tuple(reports),
                       participants=tuple((p, tuple(r.number for r in reports
                                                    if p in (r.values["participant_regions"] or ())))
                                          for p in values["participant_regions"] or ()))


def _provenance(name: str, merged: Any, reports: list[Report]) -> FieldSource:
    stated = tuple(r.number for r in reports if merged is not None and r.values.get(name) == merged)
    others: dict[str, list[int]] = defaultdict(list)
    for r in reports:
        value = r.values.get(name)
        if value is not None and value != merged:
            others[str(value)].append(r.number)
    return FieldSource(name, merged, stated, tuple((v, tuple(n)) for v, n in others.items()))


def evidence_pieces(text: str, evidence: str | None, es: int | None, ee: int | None, ts: int | None,
                    te: int | None, names: list[tuple[int, int]]) -> tuple[tuple[str, bool], ...]:
    """The evidence sentence cut from the article text, split into plain and highlighted pieces.

    Highlighted: the event's trigger words and officials' names inside the sentence. Offsets
    that do not fit the text (an article re-extracted since) fall back to the stored sentence.
    """
    if es is None or ee is None or not 0 <= es < ee <= len(text):
        return ((evidence, False),) if evidence else ()
    marks = sorted((max(s, es), min(e, ee)) for s, e in [(ts, te), *names]
                   if s is not None and e is not None and s < ee and e > es)
    pieces: list[tuple[str, bool]] = []
    at = es
    for start, end in marks:
        if start < at:  # overlapping marks: keep the first
            continue
        if start > at:
            pieces.append((text[at:start], False))
        pieces.append((text[start:end], True))
        at = end
    if at < ee:
        pieces.append((text[at:ee], False))
    return tuple(pieces)


# -- regions -------------------------------------------------------------------------

_REGION_EVENTS = """
    SELECT e.event_id, e.date, e.type,
           CASE WHEN e.organizer_region = $region THEN 'held'
                WHEN e.venue_region = $region THEN 'hosted' ELSE 'attended' END AS role,
           e.organizer, e.organizer_region, e.venue, count(DISTINCT ea.article_id) AS reports
    FROM events e JOIN event_articles ea ON ea.event_id = e.event_id
    WHERE (e.organizer_region = $region OR e.venue_region = $region OR list_contains(e.participant_regions, $region))
      AND ($from IS NULL OR e.date >= $from) AND ($to IS NULL OR e.date <= $to)
    GROUP BY ALL ORDER BY e.date DESC NULLS LAST, e.type
"""


def region_events(db: Path, name: str, date_from: dt.date | None = None,
                  date_to: dt.date | None = None) -> list[dict[str, Any]]:
    con = connect_readonly(db)
    try:
        rows = con.execute(_REGION_EVENTS, {"region": name, "from": date_from, "to": date_to}).fetchall()
    finally:
        con.close()
    keys = ("event_id", "date", "type", "role", "organizer", "organizer_region", "venue", "reports")
    return [dict(zip(keys, r, strict=True)) for r in rows]


FIGURES_TYPE = '[{"what": "VARCHAR", "number": "DOUBLE", "scope": "VARCHAR"}]'


def region_violations(db: Path, name: str) -> list[dict[str, Any]]:
    """Violation counts reported with this region as their scope, as the articles state them."""
    con = connect_readonly(db)
    try:
        rows = con.execute(
            f"""
            WITH figs AS (
                SELECT ea.event_id, ea.article_id, unnest(from_json(em.figures, '{FIGURES_TYPE}')) AS f
                FROM event_articles ea JOIN event_mentions em ON em.mention_id = ea.mention_id
                WHERE em.figures IS NOT NULL)
            SELECT g.event_id, e.type, e.date, g.f.what, g.f.number, a.url
            FROM figs g JOIN events e ON e.event_id = g.event_id JOIN articles a ON a.article_id = g.article_id
            WHERE g.f.scope = ? ORDER BY e.date DESC NULLS LAST, g.f.number DESC
            """, [name]).fetchall()
    finally:
        con.close()
    keys = ("event_id", "type", "date", "what", "number", "url")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def region_officials(db: Path, name: str) -> list[dict[str, Any]]:
    con = connect_readonly(db)
    try:
        rows = con.execute(
            "SELECT name, titles, institution, articles, first_seen, last_seen FROM officials WHERE region = ? "
            "ORDER BY articles DESC, name", [name]).fetchall()
    finally:
        con.close()
    keys = ("name", "titles", "institution", "articles", "first_seen", "last_seen")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def regions_with_events(db: Path, start: dt.date, end: dt.date) -> set[str]:
    """Regions that organised, hosted or attended an event that took place between ``start`` and ``end``."""
    con = connect_readonly(db)
    try:
        rows = con.execute(
            """
            SELECT DISTINCT region FROM (
                SELECT organizer_region AS region FROM events WHERE date BETWEEN $s AND $e
                UNION ALL SELECT venue_region FROM events WHERE date BETWEEN $s AND $e
                UNION ALL SELECT unnest(participant_regions) FROM events WHERE date BETWEEN $s AND $e)
            WHERE region IS NOT NULL
            """, {"s": start, "e": end}).fetchall()
    finally:
        con.close()
    return {r[0] for r in rows}


# -- search, digests, sources ------------------------------------------------------------

_HIT_DETAILS = """
    SELECT h.article_id, coalesce(s.name, h.source_id, '') AS outlet,
           list(DISTINCT {'event_id': e.event_id, 'type': e.type}) FILTER (WHERE e.event_id IS NOT NULL)
    FROM (SELECT unnest(CAST($ids AS VARCHAR[])) AS article_id, unnest(CAST($sources AS VARCHAR[])) AS source_id) h
    LEFT JOIN sources s ON s.source_id = h.source_id
    LEFT JOIN event_articles ea ON ea.article_id = h.article_id
    LEFT JOIN events e ON e.event_id = ea.event_id
    GROUP BY ALL
"""


def search_articles(db: Path, words: str, f: EventFilter | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """BM25 over titles and texts from the search index, with the answer's filters (the type only when asked).

    The index answers the words, dates, regions (the province or kabupaten/kota, or a place inside it,
    named in the article) and the event type reported; the organiser filter narrows to the articles of
    resolved events it organised. The hits' outlets and events are then looked up by id.
    """
    from pipeline.store.search import search_articles as search_index

    f = f or EventFilter()
    codes = [c for c in (f.province_code, resolve_region(f.regency)[1] if f.regency else None) if c]
    con = connect_readonly(db)
    try:
        within = None
        if f.organizer:
            within = {r[0] for r in con.execute(
                "SELECT DISTINCT ea.article_id FROM event_articles ea JOIN events e ON e.event_id = ea.event_id "
                "WHERE contains(lower(e.organizer), lower(?))", [f.organizer]).fetchall()}
        hits = search_index(db, words, limit=limit, date_from=f.date_from, date_to=f.date_to,
                            event_type=f.type or None, region_codes=codes, article_ids=within)
        details = {r[0]: (r[1], r[2]) for r in con.execute(_HIT_DETAILS, {
            "ids": [h["article_id"] for h in hits], "sources": [h["source_id"] for h in hits]}).fetchall()}
    finally:
        con.close()
    return [{**h, "outlet": details.get(h["article_id"], ("", None))[0],
             "events": details.get(h["article_id"], ("", None))[1]} for h in hits]


def digest_weeks(db: Path) -> list[tuple[str, int, int]]:
    """(ISO week, events, rakor) for every week with an event, newest first."""
    con = connect_readonly(db)
    try:
        return [tuple(r) for r in con.execute(  # type: ignore[misc]
            """
            WITH firsts AS (SELECT ea.event_id, min(a.published_date) AS reported FROM event_articles ea
                            JOIN articles a ON a.article_id = ea.article_id GROUP BY 1)
            SELECT strftime(coalesce(e.date, f.reported), '%G-W%V') AS week, count(*),
                   count(*) FILTER (WHERE e.type = 'rakor')
            FROM events e LEFT JOIN firsts f ON f.event_id = e.event_id
            WHERE coalesce(e.date, f.reported) IS NOT NULL GROUP BY 1 ORDER BY 1 DESC
            """).fetchall()]
    finally:
        con.close()


def source_activity(db: Path, days: int = 14) -> dict[str, dict[str, Any]]:
    """Per outlet: its name and home, last fetch, failed requests, and new articles per day (last ``days``)."""
    con = connect_readonly(db)
    try:
        latest = con.execute("SELECT max(published_date) FROM articles").fetchone()
        end = (latest[0] if latest and latest[0] else dt.date.today())
        start = end - dt.timedelta(days=days - 1)
        out: dict[str, dict[str, Any]] = {}
        for sid, name, home in con.execute("SELECT source_id, name, home FROM sources").fetchall():
            out[sid] = {"name": name, "home": home, "last_fetch": None, "fetches": 0, "failures": 0,
                        "per_day": {start + dt.timedelta(days=i): 0 for i in range(days)}}
        for sid, last, total, failed in con.execute(
                "SELECT source_id, max(fetched_at), count(*), count(*) FILTER (WHERE error IS NOT NULL "
                "OR status >= 400 OR status IS NULL) FROM fetches GROUP BY 1").fetchall():
            if sid in out:
                out[sid].update(last_fetch=last, fetches=total, failures=failed)
        for sid, day, n in con.execute(
                "SELECT source_id, published_date, count(*) FROM articles WHERE published_date BETWEEN ? AND ? "
                "AND duplicate_of IS NULL GROUP BY 1, 2", [start, end]).fetchall():
            if sid in out:
                out[sid]["per_day"][day] = n
    finally:
        con.close()
    return out
