"""The events-per-day chart: stacked bars, one per day of the week, as inline SVG."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from markupsafe import Markup, escape

from pipeline.digest.labels import EVENT_TYPES, Labels

# One colour per event type; rakor in the map's red so the two read together.
TYPE_COLOURS = {
    "rakor": "#b2182b",
    "sosialisasi": "#2166ac",
    "deklarasi": "#67a9cf",
    "apel": "#1b7837",
    "pakta_integritas": "#7fbc41",
    "pelanggaran": "#e08214",
    "sanksi": "#762a83",
    "pengawasan": "#6d7b8a",
}
OTHER_COLOUR = "#9aa5b1"

WIDTH, PLOT_H = 640, 200
LEFT, RIGHT, TOP, AXIS_LABELS = 36, 12, 18, 44


def type_colour(event_type: str) -> str:
    return TYPE_COLOURS.get(event_type, OTHER_COLOUR)


def ordered_types(types: set[str]) -> list[str]:
    return [t for t in EVENT_TYPES if t in types] + sorted(types - set(EVENT_TYPES))


def render_per_day_chart(per_day: Mapping[dt.date, Mapping[str, int]], labels: Labels, undated: int = 0,
                         undated_by_type: Mapping[str, int] | None = None) -> Markup:
    """Bars for Monday..Sunday (and one for undated events when there are any), stacked by type."""
    columns: list[tuple[str, str, Mapping[str, int]]] = [
        (labels.day_short(day), labels.date_short(day), counts) for day, counts in per_day.items()
    ]
    if undated and undated_by_type:
        columns.append((labels("undated_short"), "", undated_by_type))
    types = ordered_types({t for _, _, counts in columns for t in counts})
    peak = max([sum(c.values()) for _, _, c in columns] + [1])
    top = max(2, peak + (peak % 2))  # an even axis maximum keeps the half-way tick whole
    legend = _legend_layout(types, labels)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, PLOT_H
    height = TOP + plot_h + AXIS_LABELS + (legend[-1][2] + 6 if legend else 0)
    slot = plot_w / len(columns)
    bar = min(46.0, slot * 0.6)
    parts = [(f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
              f'aria-labelledby="chart-title"><title id="chart-title">{escape(labels("sec_chart"))}</title>')]
    for tick in range(0, top + 1, max(1, top // 4)):
        y = TOP + plot_h - tick / top * plot_h
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dde3ea" '
                     f'stroke-width="1"/>')
        parts.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
                     f'fill="#5b6672">{tick}</text>')
    for i, (day, date, counts) in enumerate(columns):
        cx = LEFT + slot * i + slot / 2
        y = TOP + plot_h
        for event_type in types:
            n = counts.get(event_type, 0)
            if not n:
                continue
            h = n / top * plot_h
            y -= h
            tip = f"{day} {date}: {labels.event_type(event_type)} {n}".strip()
            parts.append(f'<rect x="{cx - bar / 2:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                         f'fill="{type_colour(event_type)}" stroke="#ffffff" stroke-width="1">'
                         f'<title>{escape(tip)}</title></rect>')
        total = sum(counts.values())
        if total:
            parts.append(f'<text x="{cx:.1f}" y="{y - 5:.1f}" text-anchor="middle" font-size="11.5" '
                         f'font-weight="700" fill="#1d2a3a">{total}</text>')
        parts.append(f'<text x="{cx:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle" font-size="11.5" '
                     f'font-weight="600" fill="#1d2a3a">{escape(day)}</text>')
        parts.append(f'<text x="{cx:.1f}" y="{TOP + plot_h + 30}" text-anchor="middle" font-size="10.5" '
                     f'fill="#5b6672">{escape(date)}</text>')
    parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" '
                 f'stroke="#5b6672" stroke-width="1"/>')
    for event_type, x, y in legend:
        y += TOP + plot_h + AXIS_LABELS
        parts.append(f'<rect x="{x:.1f}" y="{y - 9}" width="11" height="11" rx="2" '
                     f'fill="{type_colour(event_type)}"/>')
        parts.append(f'<text x="{x + 16:.1f}" y="{y}" font-size="11" fill="#2b3440">'
                     f'{escape(labels.event_type(event_type))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _legend_layout(types: list[str], labels: Labels) -> list[tuple[str, float, int]]:
    """(type, x, baseline below the axis labels) for each legend entry, wrapping at the chart's width."""
    out = []
    x, y = float(LEFT), 12
    for event_type in types:
        width = 26 + len(labels.event_type(event_type)) * 6.2
        if x + width > WIDTH - RIGHT and x > LEFT:
            x, y = float(LEFT), y + 17
        out.append((event_type, x, y))
        x += width
    return out
