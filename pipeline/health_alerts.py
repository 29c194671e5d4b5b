"""Volume-drop and breakage alerts: an outlet that goes quiet, or whose pages stop yielding text.

Each outlet is compared with itself, not with a global norm: a kabupaten
outlet publishing four stories a day is healthy at four and alarming at zero,
while a national one is alarming at forty.

- **Volume drop.** The latest crawl day's new articles fall below
  ``drop_ratio`` of the outlet's mean over its earlier crawl days in the
  window. The outlet's first crawl day ever is left out of that mean (it
  backfills whatever the feeds and sitemaps list), and a drop is judged only
  with ``min_baseline_days`` earlier days averaging ``min_baseline_rate``
  articles, so a small outlet's quiet Sunday is not an alert.
- **Breakage.** Pages are still fetched (``breakage_min_pages`` or more on the
  latest day) but under ``breakage_ratio`` of them yield article text, while
  the outlet used to manage ``breakage_baseline_ratio``: typically a redesign
  that moved the article body, or a consent wall.

A failing day (nothing answered) raises neither: the health state says it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.health import HealthPolicy, OutletDay

VOLUME_DROP = "volume_drop"
BREAKAGE = "breakage"


@dataclass(frozen=True)
class Alert:
    source_id: str
    kind: str  # volume_drop | breakage
    day: dt.date
    message: str


def detect_alerts(source_id: str, days: Sequence[OutletDay], *, first_crawl: dt.date | None,
                  policy: HealthPolicy) -> tuple[Alert, ...]:
    """Alerts for the latest crawl day of ``days`` (oldest first)."""
    if not days or days[-1].failing:
        return ()
    latest, earlier = days[-1], [d for d in days[:-1] if d.day != first_crawl and not d.failing]
    alerts: list[Alert] = []
    if len(earlier) >= policy.min_baseline_days:
        rate = sum(d.articles for d in earlier) / len(earlier)
        if rate >= policy.min_baseline_rate and latest.articles < policy.drop_ratio * rate:
            alerts.append(Alert(source_id, VOLUME_DROP, latest.day,
                                f"volume drop: {latest.articles} new articles on {latest.day}, against "
                                f"{rate:.1f} a day over its previous {len(earlier)} crawl days"))
    judged = [d for d in days[:-1] if d.processed]
    if latest.processed >= policy.breakage_min_pages and judged:
        ratio = latest.extracted / latest.processed
        before = sum(d.extracted for d in judged) / sum(d.processed for d in judged)
        if ratio < policy.breakage_ratio and before >= policy.breakage_baseline_ratio:
            alerts.append(Alert(source_id, BREAKAGE, latest.day,
                                f"breakage: {latest.extracted} of {latest.processed} pages fetched on {latest.day} "
                                f"yielded article text, against {before:.0%} before (a redesign?)"))
    return tuple(alerts)
