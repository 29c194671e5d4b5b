"""The weekly digest: one ISO week of neutrality events as HTML, Markdown and PDF.

``render_digest(db, "2024-W38", out_dir)`` reads the week from a read-only
connection (``data``), words it in Indonesian or English (``labels``), lays it
out once (``view``) and writes it three ways (``html``, ``markdown``, ``pdf``).
The map (``tilemap``) and the chart (``charts``) are inline SVG.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from pipeline.digest.data import DigestError, Week, WeekData, load_week, parse_week
from pipeline.digest.labels import LANGUAGES, labels_for

log = logging.getLogger(__name__)

__all__ = [
    "LANGUAGES",
    "DigestError",
    "DigestFiles",
    "Week",
    "WeekData",
    "load_week",
    "parse_week",
    "render_digest",
]


@dataclass(frozen=True)
class DigestFiles:
    """What ``render_digest`` wrote. ``pdf`` is None when it was skipped or failed; ``pdf_note`` says why."""

    week: str
    lang: str
    html: Path
    markdown: Path
    pdf: Path | None
    pdf_note: str | None
    pdf_failed: bool
    events: int
    rakor: int

    @property
    def paths(self) -> tuple[Path, ...]:
        return tuple(p for p in (self.html, self.markdown, self.pdf) if p is not None)


def digest_stem(week: Week, lang: str) -> str:
    """``digest-2024-W38`` in Indonesian, ``digest-2024-W38-en`` for another language."""
    return f"digest-{week.label}" if lang == "id" else f"digest-{week.label}-{lang}"


def render_digest(db: Path, week: str, out_dir: Path, *, lang: str = "id", pdf: bool = True) -> DigestFiles:
    """Write ``digest-<week>.html``, ``.md`` and (with Chromium) ``.pdf`` into ``out_dir``.

    A malformed week or an unknown language raises ``DigestError``/``ValueError`` before
    anything is read; a week without events gives a "no events" digest. A missing
    Chromium skips the PDF (``pdf_note`` says so) instead of failing.
    """
    from pipeline.digest.html import render_html
    from pipeline.digest.markdown import render_markdown
    from pipeline.digest.view import build_view

    parsed = parse_week(week)
    labels = labels_for(lang)
    data = load_week(Path(db), parsed)
    view = build_view(data, labels)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = digest_stem(parsed, lang)
    html_path = out_dir / f"{stem}.html"
    md_path = out_dir / f"{stem}.md"
    html_path.write_text(render_html(view, labels, parsed), encoding="utf-8")
    md_path.write_text(render_markdown(view, labels, parsed), encoding="utf-8")

    pdf_path: Path | None = None
    note: str | None = None
    failed = False
    if pdf:
        from pipeline.digest.pdf import ChromiumFailed, ChromiumMissing, print_pdf

        try:
            pdf_path = print_pdf(html_path, out_dir / f"{stem}.pdf")
        except ChromiumMissing as exc:
            note = f"PDF skipped: {exc}"
        except ChromiumFailed as exc:
            note, failed = f"PDF failed: {exc}", True
        if note:
            log.warning("%s", note)
    return DigestFiles(week=parsed.label, lang=lang, html=html_path, markdown=md_path, pdf=pdf_path,
                       pdf_note=note, pdf_failed=failed, events=len(data.events), rakor=len(data.rakor))
