"""The digest as Markdown, for email and chat: the same content as the HTML, in tables and lists.

Scraped text is escaped for Markdown (and for the HTML a Markdown renderer may
produce): ``<``, ``>``, ``|``, brackets, emphasis and code marks get a
backslash, so a title holding ``<script>`` stays text; a line starting like a
heading, list or quote is escaped too. URLs are percent-encoded to the
characters a link destination may hold: a newline or ``|`` in a scraped URL
would otherwise end the table row or cell and let the page write its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

from pipeline.digest.data import Week
from pipeline.digest.labels import Labels
from pipeline.digest.view import DigestView, EventRow, SourceRef

_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_BLOCK_START = re.compile(r"^([#+=-]|\d+(?=[.)]))")  # a heading, list item or setext underline at line start
# What stays literal in a link destination: RFC 3986's reserved and unreserved characters and "%" (existing
# escapes). Everything else (whitespace, line breaks, "|", "<", ">", backslash, backtick, quotes) is encoded.
_URL_SAFE = "/:?#[]@!$&'()*+,;=%-._~"


def md(text: object) -> str:
    """Escape one piece of scraped text for a Markdown paragraph or table cell (one line)."""
    flat = " ".join(str(text).split())
    escaped = _SPECIAL.sub(r"\\\1", flat)
    match = _BLOCK_START.match(escaped)
    if match and match.group(1)[0].isdigit():
        return escaped[:match.end()] + "\\" + escaped[match.end():]
    return "\\" + escaped if match else escaped


def _url(url: str) -> str:
    """A link destination in angle brackets, holding only characters that cannot end it, its line or its cell."""
    return "<" + quote(url.strip(), safe=_URL_SAFE) + ">"


def _sources(refs: Iterable[SourceRef]) -> str:
    out = []
    for ref in refs:
        label = f"\\[{ref.number}\\] {md(ref.outlet)}"
        out.append(f"[{label}]({_url(ref.url)})" if ref.url else label)
    return "<br>".join(out) if out else "—"


def _table(head: list[str], rows: Iterable[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(cell or "—" for cell in row) + " |" for row in rows]
    return lines


def _event_rows(rows: Iterable[EventRow], labels: Labels) -> list[str]:
    return _table(
        [labels("col_date"), labels("col_organizer"), labels("col_venue"), labels("col_participants"),
         labels("col_sources")],
        (
            [
                md(e.date),
                f"**{md(e.organizer)}**" + (f" ({md(e.organizer_region)})" if e.organizer_region else ""),
                md(e.venue) + (f" \\[{labels('online')}\\]" if e.online else "")
                + (f" ({md(e.venue_region)})" if e.venue_region else ""),
                ", ".join(md(p) for p in e.participants),
                _sources(e.sources),
            ]
            for e in rows
        ),
    )


def render_markdown(view: DigestView, labels: Labels, week: Week) -> str:
    out = [f"# {md(view.title)}", "", f"**{md(view.week_heading)}**", "", md(view.subtitle), ""]
    if view.empty:
        out += [f"## {labels('no_events')}", "",
                md(labels("no_events_note", start=labels.date(week.start), end=labels.date(week.end))), ""]
    else:
        out += [f"## {labels('headline')}", ""]
        out += [f"- **{md(h.value)}** {md(h.label)}" for h in view.headlines]
        out += ["", f"## {labels('sec_rakor')}", ""]
        if view.rakor:
            out += [md(labels("sec_rakor_lead")), "", *_event_rows(view.rakor, labels)]
        else:
            out.append(md(labels("rakor_none")))
        out += ["", f"## {labels('sec_map')}", ""]
        if view.provinces:
            for p in view.provinces:
                role = labels("map_held") if p.held else labels("map_attended")
                names = ", ".join(f"{md(name)} ({md(r)})" for name, r in p.regencies)
                out.append(f"- **{md(p.province)}** ({md(role.lower())})" + (f": {names}" if names else ""))
        else:
            out.append(md(labels("map_list_none")))
        out += [f"- {md(note)}" for note in view.map_notes]
        out += ["", f"## {labels('sec_chart')}", "", md(labels("sec_chart_lead")), ""]
        types = [t for t, _, _ in view.glossary if any(t in counts for _, counts, _ in view.per_day)]
        out += _table([labels("col_day"), *(md(labels.event_type(t)) for t in types), labels("col_total")],
                      ([md(day), *(str(counts.get(t, 0)) for t in types), f"**{total}**"]
                       for day, counts, total in view.per_day))
        if view.chart_note:
            out += ["", md(view.chart_note)]
        out += ["", f"## {labels('sec_other')}", ""]
        if view.other_groups:
            for label, _, rows in view.other_groups:
                out += [f"### {md(label)} ({len(rows)})", "", *_event_rows(rows, labels), ""]
        else:
            out += [md(labels("sec_other_none")), ""]
        out += [f"## {labels('sec_figures')}", ""]
        if view.figures:
            out += [md(labels("sec_figures_lead")), ""]
            out += _table([labels("col_number"), labels("col_what"), labels("col_scope"), labels("col_event"),
                           labels("col_sources")],
                          ([f"**{md(f.number)}**", md(f.what), md(f.scope), f"{md(f.event)}, {md(f.date)}",
                            _sources(f.sources)] for f in view.figures))
        else:
            out.append(md(labels("sec_figures_none")))
        out.append("")
    if not view.empty or view.officials:
        out += [f"## {labels('sec_officials')}", ""]
        if view.officials:
            out += _table(["#", labels("col_name"), labels("col_title"), labels("col_institution"),
                           labels("col_articles")],
                          ([str(o.rank), f"**{md(o.name)}**", md(o.title), md(o.institution), str(o.articles)]
                           for o in view.officials))
        else:
            out.append(md(labels("sec_officials_none")))
        out.append("")
    if not view.empty or view.articles:
        out += [f"## {labels('sec_articles')}", ""]
        for a in view.articles:
            title = f"[{md(a.title)}]({_url(a.url)})" if a.url else md(a.title)
            out.append(f"{a.number}. {title}: {md(a.outlet)}, {md(a.published)}")
        if not view.articles:
            out.append(md(labels("sec_articles_none")))
        out.append("")
    out += ["---", "", f"**{labels('method')}.** {md(labels('method_text'))}", "",
            f"*{md(labels('generated_from', week=view.week))}*", ""]
    return "\n".join(out)
