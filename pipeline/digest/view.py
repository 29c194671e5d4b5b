"""What the digest shows, worded and numbered once for both the HTML and the Markdown.

``build_view`` turns ``WeekData`` into display rows: dates written out in the
digest's language, sources numbered in the order of the article list, and only
http(s) links kept (a scraped ``javascript:`` URL is shown as text, never
linked). Nothing here escapes: the HTML templates autoescape, the Markdown
renderer escapes for Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from markupsafe import Markup

from pipeline.digest.charts import render_per_day_chart, type_colour
from pipeline.digest.data import DigestEvent, SourceArticle, WeekData
from pipeline.digest.labels import EVENT_TYPES, Labels
from pipeline.digest.tilemap import HELD, ProvinceFootprint, RakorFootprint, rakor_footprint, render_tilemap
from pipeline.nlp.gazetteer import RegionGazetteer


def safe_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) link, else None (never link javascript:, data:, ...)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


@dataclass(frozen=True)
class SourceRef:
    number: int
    outlet: str
    url: str | None


@dataclass(frozen=True)
class ArticleRow:
    number: int
    title: str
    url: str | None
    outlet: str
    published: str


@dataclass(frozen=True)
class EventRow:
    event_id: str
    type: str
    type_label: str
    colour: str
    date: str  # "Selasa, 17 September 2024" or "tanggal tidak disebut · diberitakan 18 Sep 2024"
    date_short: str
    organizer: str
    organizer_region: str
    venue: str
    venue_region: str
    online: bool
    participants: tuple[str, ...]
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class FigureRow:
    number: str
    what: str
    scope: str
    event: str
    date: str
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class OfficialRow:
    rank: int
    name: str
    title: str
    institution: str
    articles: int
    share: float  # of the most quoted official's count, for the bar


@dataclass(frozen=True)
class Headline:
    value: str
    label: str
    accent: bool = False


@dataclass(frozen=True)
class ProvinceRow:
    province: str
    held: bool
    regencies: tuple[tuple[str, str], ...]  # (name, role label)


@dataclass(frozen=True)
class DigestView:
    lang: str
    week: str
    week_heading: str
    title: str
    subtitle: str
    empty: bool
    headlines: tuple[Headline, ...]
    rakor: tuple[EventRow, ...]
    other_groups: tuple[tuple[str, str, tuple[EventRow, ...]], ...]  # (type label, colour, rows)
    figures: tuple[FigureRow, ...]
    officials: tuple[OfficialRow, ...]
    articles: tuple[ArticleRow, ...]
    provinces: tuple[ProvinceRow, ...]
    map_notes: tuple[str, ...]
    per_day: tuple[tuple[str, dict[str, int], int], ...]  # (day label, counts by type, total)
    chart_note: str
    map_svg: Markup
    chart_svg: Markup
    glossary: tuple[tuple[str, str, str], ...]  # (type, label, colour)


def build_view(data: WeekData, labels: Labels, gazetteer: RegionGazetteer | None = None) -> DigestView:
    gazetteer = gazetteer or RegionGazetteer()
    numbers = {a.article_id: i for i, a in enumerate(data.articles, 1)}
    # An event source that is not in the article list (not relevant, say) still gets a number.
    extra: list[SourceArticle] = []
    for event in data.events:
        for article in event.articles:
            if article.article_id not in numbers:
                numbers[article.article_id] = len(numbers) + 1
                extra.append(article)
    articles = (*data.articles, *extra)

    def refs(items: tuple[SourceArticle, ...]) -> tuple[SourceRef, ...]:
        return tuple(SourceRef(numbers[a.article_id], a.outlet, safe_url(a.url)) for a in items)

    def row(event: DigestEvent) -> EventRow:
        return _event_row(event, labels, refs(event.articles))

    footprint = rakor_footprint(data.rakor, gazetteer)
    dash = labels("unknown")
    per_day = data.per_day()
    day_rows = [(f"{labels.day(day)}, {labels.date_short(day)}", dict(c), sum(c.values()))
                for day, c in per_day.items()]
    if data.undated:
        undated = data.undated_by_type()
        day_rows.append((labels("undated_short"), undated, sum(undated.values())))
    others = data.other_events
    return DigestView(
        lang=labels.lang,
        week=data.week.label,
        week_heading=labels("week_heading", week=data.week.label, start=labels.date(data.week.start),
                            end=labels.date(data.week.end)),
        title=labels("title"),
        subtitle=(labels("subtitle", articles=labels.count(len(articles), "article"),
                         outlets=labels.count(len({a.outlet for a in articles}), "outlet"))
                  if articles else labels("subtitle_empty")),
        empty=data.empty,
        headlines=_headlines(data, footprint, labels, len(articles), len({a.outlet for a in articles})),
        rakor=tuple(row(e) for e in data.rakor),
        other_groups=tuple((labels.event_type(t), type_colour(t), tuple(row(e) for e in others[t]))
                           for t in _type_order(others)),
        figures=tuple(
            FigureRow(number=labels.number(f.number), what=f.what or dash,
                      scope=_region(f.scope, labels) if f.scope else labels("no_scope"),
                      event=labels.event_type(f.event_type),
                      date=labels.date(f.event_date) if f.event_date else labels("undated"),
                      sources=refs(f.articles))
            for f in data.figures
        ),
        officials=_officials(data, labels),
        articles=tuple(ArticleRow(number=numbers[a.article_id], title=(a.title or "").strip() or a.url,
                                  url=safe_url(a.url), outlet=a.outlet or dash,
                                  published=labels.date(a.published_date))
                       for a in articles),
        provinces=tuple(
            ProvinceRow(province=p.province.bare, held=p.role == HELD,
                        regencies=tuple((name, labels("role_held" if role == HELD else "role_attended"))
                                        for name, role in _listed(p)))
            for p in footprint.provinces
        ),
        map_notes=_map_notes(footprint, labels),
        per_day=tuple(day_rows),
        chart_note=labels("chart_undated", events=labels.count(data.undated, "event")) if data.undated else "",
        map_svg=render_tilemap(footprint, labels, gazetteer),
        chart_svg=render_per_day_chart(per_day, labels, data.undated, data.undated_by_type()),
        glossary=tuple((t, labels.event_type(t), type_colour(t)) for t in EVENT_TYPES),
    )


def _type_order(groups: dict[str, tuple[DigestEvent, ...]]) -> list[str]:
    return [t for t in EVENT_TYPES if t in groups] + sorted(set(groups) - set(EVENT_TYPES))


def _region(name: str | None, labels: Labels) -> str:
    if not name:
        return ""
    return labels("region_nasional") if name.strip().lower() == "nasional" else name


def _event_date(event: DigestEvent, labels: Labels) -> tuple[str, str]:
    if event.date:
        return labels.date(event.date, weekday=True), labels.date_short(event.date)
    reported = labels("reported_on", date=labels.date(event.first_reported)) if event.first_reported else ""
    long = " · ".join(p for p in (labels("undated"), reported) if p)
    return long, labels("undated_short")


def _event_row(event: DigestEvent, labels: Labels, sources: tuple[SourceRef, ...]) -> EventRow:
    date, date_short = _event_date(event, labels)
    return EventRow(
        event_id=event.event_id,
        type=event.type,
        type_label=labels.event_type(event.type),
        colour=type_colour(event.type),
        date=date,
        date_short=date_short,
        organizer=event.organizer or labels("unknown"),
        organizer_region=_region(event.organizer_region, labels),
        venue=event.venue or ("" if event.online else labels("unknown")),
        venue_region=_region(event.venue_region, labels),
        online=bool(event.online),
        participants=tuple(_region(p, labels) for p in event.participant_regions),
        sources=sources,
    )


def _headlines(data: WeekData, footprint: RakorFootprint, labels: Labels, articles: int,
               outlets: int) -> tuple[Headline, ...]:
    def headline(n: int, key: str, accent: bool = False, **values: object) -> Headline:
        return Headline(str(n), labels(key, n=n, **values), accent)

    return (
        headline(len(data.rakor), "fig_rakor", accent=True),
        headline(len(data.events) - len(data.rakor), "fig_other"),
        headline(footprint.regency_count, "fig_regions"),
        headline(len(footprint.provinces), "fig_provinces"),
        headline(len(data.figures), "fig_violations"),
        headline(articles, "fig_articles", outlets=labels.count(outlets, "outlet")),
    )


def _officials(data: WeekData, labels: Labels) -> tuple[OfficialRow, ...]:
    top = max((o.articles for o in data.officials), default=1)
    rows = []
    for rank, official in enumerate(data.officials, 1):
        where = official.institution or _region(official.region, labels) or labels("unknown")
        rows.append(OfficialRow(rank=rank, name=official.name, title=official.title or labels("unknown"),
                                institution=where, articles=official.articles, share=official.articles / top))
    return tuple(rows)


def _listed(footprint: ProvinceFootprint) -> list[tuple[str, str]]:
    """The province itself first when it took part as a whole, then its kabupaten/kota."""
    own = [(footprint.province.name, footprint.own_role)] if footprint.own_role else []
    return own + [(r.region.name, r.role) for r in footprint.regencies]


def _map_notes(footprint: RakorFootprint, labels: Labels) -> tuple[str, ...]:
    notes = []
    if footprint.national:
        notes.append(labels("map_nasional", names=", ".join(footprint.national)))
    if footprint.unmapped:
        notes.append(labels("map_unmapped", names=", ".join(footprint.unmapped)))
    return tuple(notes)
