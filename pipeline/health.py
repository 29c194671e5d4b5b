"""Outlet health: is each outlet still answering, still publishing, still yielding article text?

Health is derived from what the store already records (every request in
``fetches``, every stored page in ``raw_pages``, every extracted article),
grouped into *crawl days*: the days (in Jakarta, WIB, where the daily run is
scheduled at 06:00, so one run never straddles two days) on which the outlet
was crawled. Days
without a crawl count for nothing, so a quarantined outlet retried weekly is
judged on its retries. Nothing here is stored except verification, so a change
of thresholds applies to the whole history at once.

States, in order of precedence:

- ``new``: never crawled.
- ``quarantined``: the last ``quarantine_after_days`` crawl days all failed
  (no request answered). The daily run then crawls it only every
  ``retry_every_days`` days (``next_retry``); one answered retry lifts it.
- ``failing``: the latest crawl day failed, fewer times in a row than that.
- ``degraded``: the outlet answers, but too many requests fail over the window,
  or an alert stands (volume drop or breakage, see ``pipeline.health_alerts``).
- ``healthy``: otherwise.

Stage logic only: no Prefect; readers open the database read-only, and the one
write (verification) goes through ``Store``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import duckdb

from pipeline.health_alerts import Alert, detect_alerts
from pipeline.store import Store, StoreError, connect_readonly

NEW, HEALTHY, DEGRADED, FAILING, QUARANTINED = "new", "healthy", "degraded", "failing", "quarantined"

# Timestamps are stored in UTC; a crawl day is a day in Jakarta (UTC+7, no daylight saving).
JAKARTA = ZoneInfo("Asia/Jakarta")


def _day(column: str) -> str:
    return f"CAST({column} + INTERVAL 7 HOUR AS DATE)"


def today_in_jakarta() -> dt.date:
    return dt.datetime.now(JAKARTA).date()


# Refusals by policy are not outlet failures: robots.txt and pages not stored on purpose.
_POLICY_ERRORS = "(error = 'blocked by robots.txt' OR error LIKE 'not stored:%')"


@dataclass(frozen=True)
class HealthPolicy:
    """Thresholds of the health states and alerts (defaults suit a daily run)."""

    window_days: int = 28  # "the last weeks"
    quarantine_after_days: int = 3  # failing crawl days in a row before quarantine
    retry_every_days: int = 7  # a quarantined outlet is retried this often
    degraded_failure_rate: float = 0.25  # share of failed requests over the window
    drop_ratio: float = 0.25  # latest day below this share of the outlet's own daily rate: a volume drop
    min_baseline_days: int = 3  # crawl days needed before a drop can be judged
    min_baseline_rate: float = 3.0  # articles a day; below it, a quiet day is not news
    breakage_min_pages: int = 3  # pages stored on the latest day before a breakage can be judged
    breakage_ratio: float = 0.2  # share of pages yielding article text below which a breakage is flagged
    breakage_baseline_ratio: float = 0.5  # ... when the outlet used to do at least this well


@dataclass(frozen=True)
class OutletDay:
    """One outlet's crawl on one day."""

    day: dt.date
    requests: int = 0  # network requests (policy refusals excluded)
    failed: int = 0  # requests that got no usable answer
    answered: int = 0  # responses with a 2xx/3xx status (304 Not Modified included)
    pages: int = 0  # new pages stored
    processed: int = 0  # of those, pages extraction has looked at
    extracted: int = 0  # of those, pages that yielded article text
    articles: int = 0  # new (non-duplicate) articles from those pages

    @property
    def failing(self) -> bool:
        return self.requests > 0 and self.answered == 0


@dataclass(frozen=True)
class SourceHealth:
    """What `pantau sources health` prints and the daily summary shows, per outlet."""

    source_id: str
    state: str
    verified: bool
    last_success: dt.datetime | None  # last answered request
    last_crawl: dt.date | None
    crawl_days: int  # in the window
    articles_per_day: float  # new articles per crawl day over the window
    failure_rate: float  # failed / requests over the window
    failing_days: int  # latest crawl days failed in a row
    next_retry: dt.date | None = None  # quarantined only
    alerts: tuple[Alert, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        record = asdict(self)
        for key in ("last_success", "last_crawl", "next_retry"):
            record[key] = record[key].isoformat() if record[key] else None
        record["alerts"] = [{**asdict(a), "day": a.day.isoformat()} for a in self.alerts]
        return record


def outlet_days(con: Any, since: dt.date) -> dict[str, list[OutletDay]]:
    """Crawl days per outlet since ``since``, oldest first. ``con`` is any DuckDB connection."""
    rows = con.execute(f"""
        WITH f AS (
            SELECT source_id, {_day("fetched_at")} AS day, count(*) AS requests,
                   count(*) FILTER (WHERE error IS NOT NULL) AS failed,
                   count(*) FILTER (WHERE status BETWEEN 200 AND 399 AND error IS NULL) AS answered
            FROM fetches WHERE {_day("fetched_at")} >= ? AND source_id <> '' AND NOT coalesce({_POLICY_ERRORS}, false)
            GROUP BY ALL),
        p AS (
            SELECT p.source_id, {_day("p.fetched_at")} AS day, count(*) AS pages,
                   count(*) FILTER (WHERE p.extract_status IS NOT NULL) AS processed,
                   count(*) FILTER (WHERE p.extract_status = 'ok') AS extracted,
                   count(DISTINCT a.article_id) FILTER (WHERE a.duplicate_of IS NULL) AS articles
            FROM raw_pages p LEFT JOIN articles a ON a.page_id = p.page_id
            WHERE {_day("p.fetched_at")} >= ? GROUP BY ALL)
        SELECT source_id, day, coalesce(requests, 0), coalesce(failed, 0), coalesce(answered, 0),
               coalesce(pages, 0), coalesce(processed, 0), coalesce(extracted, 0), coalesce(articles, 0)
        FROM f FULL OUTER JOIN p USING (source_id, day)
        ORDER BY source_id, day""", [since, since]).fetchall()
    days: dict[str, list[OutletDay]] = {}
    for source_id, day, *counts in rows:
        days.setdefault(source_id, []).append(OutletDay(day, *counts))
    return days


def assess(source_id: str, days: Sequence[OutletDay], *, verified: bool = False,
           last_success: dt.datetime | None = None, first_crawl: dt.date | None = None,
           policy: HealthPolicy = HealthPolicy()) -> SourceHealth:
    """The state of one outlet from its crawl days in the window (oldest first)."""
    if not days:
        return SourceHealth(source_id, NEW, verified, last_success, None, 0, 0.0, 0.0, 0)
    requests = sum(d.requests for d in days)
    failure_rate = sum(d.failed for d in days) / requests if requests else 0.0
    failing_days = 0
    for day in reversed(days):
        if not day.failing:
            break
        failing_days += 1
    last = days[-1].day
    alerts = detect_alerts(source_id, days, first_crawl=first_crawl, policy=policy)
    next_retry = None
    if failing_days >= policy.quarantine_after_days:
        state, next_retry = QUARANTINED, last + dt.timedelta(days=policy.retry_every_days)
    elif failing_days:
        state = FAILING
    elif failure_rate >= policy.degraded_failure_rate or alerts:
        state = DEGRADED
    else:
        state = HEALTHY
    return SourceHealth(source_id, state, verified, last_success, last, len(days),
                        round(sum(d.articles for d in days) / len(days), 2), round(failure_rate, 3),
                        failing_days, next_retry, alerts)


def source_health(db: Path | str, source_ids: Sequence[str] | None = None, *, today: dt.date | None = None,
                  policy: HealthPolicy = HealthPolicy()) -> list[SourceHealth]:
    """Health of every outlet the store knows (or of ``source_ids``): the query the web app calls."""
    today = today or today_in_jakarta()
    since = today - dt.timedelta(days=policy.window_days - 1)
    con = connect_readonly(db)
    try:
        days = outlet_days(con, since)
        known = [r[0] for r in con.execute("SELECT source_id FROM sources ORDER BY source_id").fetchall()]
        verified = {r[0] for r in con.execute(
            "SELECT source_id FROM sources WHERE verified UNION SELECT source_id FROM source_verifications"
        ).fetchall()}
        last_success = dict(con.execute(
            "SELECT source_id, max(fetched_at) FROM fetches WHERE status BETWEEN 200 AND 399 AND error IS NULL "
            "GROUP BY 1").fetchall())
        first_crawl = dict(con.execute(
            f"SELECT source_id, min({_day('fetched_at')}) FROM fetches WHERE source_id <> '' GROUP BY 1"
        ).fetchall())
    finally:
        con.close()
    wanted = list(source_ids) if source_ids is not None else sorted(set(known) | set(days))
    return [assess(sid, [d for d in days.get(sid, []) if d.day <= today], verified=sid in verified,
                   last_success=last_success.get(sid), first_crawl=first_crawl.get(sid), policy=policy)
            for sid in wanted]


def due_for_crawl(health: SourceHealth, today: dt.date) -> bool:
    """A quarantined outlet is crawled only on its retry days; every other outlet every day."""
    return health.state != QUARANTINED or health.next_retry is None or today >= health.next_retry


def crawl_plan(db: Path | str, source_ids: Sequence[str], *, today: dt.date | None = None,
               policy: HealthPolicy = HealthPolicy()) -> tuple[list[str], dict[str, dt.date]]:
    """The outlets to crawl today, and the quarantined ones left out with the day of their next retry."""
    today = today or today_in_jakarta()
    if not Path(db).exists():
        return list(source_ids), {}
    health = {h.source_id: h for h in source_health(db, source_ids, today=today, policy=policy)}
    due = [sid for sid in source_ids if due_for_crawl(health[sid], today)]
    skipped = {sid: health[sid].next_retry for sid in source_ids if sid not in due}
    return due, {sid: day for sid, day in skipped.items() if day is not None}


def verified_sources(db: Path | str) -> set[str]:
    """Outlets a run has verified; none when there is no database yet (or one from before schema 8, or busy)."""
    if not Path(db).exists():
        return set()
    try:
        con = connect_readonly(db, lock_timeout_s=2.0)
    except StoreError:  # held by a writer, or unreadable: listing the registry does not depend on it
        return set()
    try:
        return {r[0] for r in con.execute("SELECT source_id FROM source_verifications").fetchall()}
    except duckdb.CatalogException:
        return set()
    finally:
        con.close()


def mark_verified(store: Store) -> list[str]:
    """Record as verified every outlet from which real articles were extracted; returns the newly verified."""
    rows = store.query("""
        SELECT a.source_id, count(*) FROM articles a
        WHERE a.source_id IS NOT NULL AND a.page_id IS NOT NULL AND length(a.text) > 0
          AND a.source_id NOT IN (SELECT source_id FROM source_verifications)
        GROUP BY 1""")
    store.mark_verified(dict(rows))
    return sorted(r[0] for r in rows)


HEALTH_COLUMNS = ("source_id", "state", "verified", "last_success", "articles_per_day", "failure_rate",
                  "crawl_days", "failing_days", "next_retry", "alerts")


def health_rows(report: Sequence[SourceHealth]) -> list[dict[str, Any]]:
    """Rows for ``pipeline.query.render`` (table, JSON, CSV)."""
    rows = []
    for h in report:
        row = h.to_json()
        row["last_success"] = h.last_success.isoformat(sep=" ", timespec="minutes") if h.last_success else None
        row["alerts"] = "; ".join(a.message for a in h.alerts)
        rows.append(row)
    return rows
