"""The weekly digest: the ISO week just ended (Asia/Jakarta), as a Markdown file and a Prefect artifact.

When ``pipeline.digest`` provides ``render_digest(db, week, out_dir)``, it
renders the digest (HTML, Markdown, PDF); otherwise a minimal summary is written here: the week's
rakor (``pipeline.query.rakor_events``) and counts of the other event types.
Reads through read-only connections only.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.tasks import exponential_backoff

from flows.daily import LOCK_TIMEOUT_S, is_transient
from pipeline.query import rakor_events
from pipeline.settings import Paths
from pipeline.store import connect_readonly

JAKARTA = ZoneInfo("Asia/Jakarta")
ARTIFACT_KEY = "pantau-weekly-digest"
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True)
class WeeklyDigest:
    week: str
    first_day: date
    last_day: date
    path: str
    rakor: int
    other_events: dict[str, int]
    files: tuple[str, ...] = ()


def week_just_ended(now: datetime | None = None) -> str:
    """The ISO week before the current one in Jakarta, e.g. ``2024-W46``."""
    today = (now or datetime.now(JAKARTA)).astimezone(JAKARTA).date()
    year, week, _ = (today - timedelta(days=7)).isocalendar()
    return f"{year}-W{week:02d}"


def week_days(week: str) -> tuple[date, date]:
    """Monday and Sunday of an ISO week given as ``YYYY-Www``."""
    match = _WEEK.match(week)
    if not match:
        raise ValueError(f"week must look like 2024-W46, not {week!r}")
    monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    return monday, monday + timedelta(days=6)


def _external_renderer() -> Callable[[Path, str, Path], Any] | None:
    """``pipeline.digest.render_digest`` when the digest module has landed."""
    if importlib.util.find_spec("pipeline.digest") is None:
        return None
    try:
        renderer = getattr(importlib.import_module("pipeline.digest"), "render_digest", None)
    except ImportError as exc:  # a digest module that cannot load must not cost the week its summary
        get_run_logger().warning("pipeline.digest does not import (%s); writing the minimal digest", exc)
        return None
    return renderer if callable(renderer) else None


def _other_event_counts(db: str, first: date, last: date) -> dict[str, int]:
    con = connect_readonly(db, lock_timeout_s=LOCK_TIMEOUT_S)
    try:
        rows = con.execute(
            "SELECT type, count(*) FROM events WHERE type <> 'rakor' AND date BETWEEN ? AND ? "
            "GROUP BY type ORDER BY count(*) DESC, type", [first, last]).fetchall()
    finally:
        con.close()
    return {str(t): int(n) for t, n in rows}


def minimal_digest(db: str, week: str) -> tuple[str, int, dict[str, int]]:
    """The stand-in digest: Markdown text, rakor count, other event counts."""
    first, last = week_days(week)
    rakor = rakor_events(Path(db), first, last)
    others = _other_event_counts(db, first, last)
    lines = [f"# Pantau weekly digest {week} ({first:%d %b} – {last:%d %b %Y})", "",
             f"## Rakor on the neutrality of civil servants: {len(rakor)}", ""]
    if rakor:
        lines += ["| date | organiser | organiser region | venue | participant regions | reports |",
                  "|---|---|---|---|---|---:|"]
        for r in rakor:
            cells = [r["date"], r["organizer"], r["organizer_region"], r["venue"],
                     ", ".join(r["participant_regions"]), len(r["articles"])]
            lines.append("| " + " | ".join("-" if c in (None, "") else str(c).replace("|", "/") for c in cells)
                         + " |")
        lines += ["", "Reports:", ""] + [f"- {url}" for r in rakor for url in r["articles"]]
    else:
        lines.append("No rakor reported this week.")
    lines += ["", "## Other events", ""]
    if others:
        lines += ["| type | events |", "|---|---:|"] + [f"| {t} | {n} |" for t, n in others.items()]
    else:
        lines.append("No other events this week.")
    return "\n".join(lines) + "\n", len(rakor), others


# Monday 07:00 may find the daily run (06:00) still writing: wait for it, for up to ~15 minutes of retries.
@task(name="render-digest", retries=4, retry_delay_seconds=exponential_backoff(60),
      retry_jitter_factor=0.5, retry_condition_fn=is_transient, cache_policy=NO_CACHE)
def render_week(db: str, week: str, out_dir: str) -> WeeklyDigest:
    first, last = week_days(week)
    # The counts come from the minimal digest either way: cheap, and they keep the flow's result typed.
    text, rakor, others = minimal_digest(db, week)
    renderer = _external_renderer()
    if renderer is None:
        target = Path(out_dir) / f"digest-{week}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return WeeklyDigest(week, first, last, str(target), rakor, others, (str(target),))
    files = renderer(Path(db), week, Path(out_dir))  # pipeline.digest.DigestFiles
    markdown = getattr(files, "markdown", files)
    written = tuple(str(p) for p in getattr(files, "paths", (markdown,)))
    note = getattr(files, "pdf_note", None)
    if note:
        get_run_logger().warning("%s", note)
    return WeeklyDigest(week, first, last, str(markdown), rakor, others, written)


@flow(name="pantau-weekly-digest")
def weekly_digest(db: str, week: str | None = None, out_dir: str | None = None) -> WeeklyDigest:
    """Render the digest of ``week`` (default: the ISO week just ended, Asia/Jakarta)."""
    logger = get_run_logger()
    week = week or week_just_ended()
    out_dir = out_dir or str(Paths.default(db).data / "digests")
    digest = render_week(db, week, out_dir)
    markdown = Path(digest.path).read_text(encoding="utf-8") if digest.path.endswith(".md") else ""
    create_markdown_artifact(markdown=markdown or f"Digest written to {digest.path}", key=ARTIFACT_KEY,
                             description=f"Pantau weekly digest {week}")
    logger.info("digest %s (%s to %s): %d rakor, other events %s; written: %s", week, digest.first_day,
                digest.last_day, digest.rakor, digest.other_events or "none", ", ".join(digest.files))
    return digest
