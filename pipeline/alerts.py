"""Tell analysts about new events that match their watch list, once each.

After a daily run, every real-world event whose type and regions match a watch
(``pipeline.watchlist``) and that was not notified to that watch before is
sent, one message per watch listing its new events, through apprise (e-mail,
Telegram, Slack, webhooks: whatever the watch's URLs name). What was sent is
recorded in ``alerts_sent`` only once apprise reports the delivery, so a
failed delivery is tried again after the next run and a delivered one never
is (with several targets, one failing target means all are tried again). Events are re-resolved every run; an event whose id changed because a new
report merged into it shares reports (mention ids) with the one sent before,
and is not news either.

Matching is on the event's organiser, venue and participant regions: a watch
on a province covers its kabupaten and kota. Events older than the watch's
``max_age_days`` (by their date, else their latest report) are history, not
alerts: a first crawl that backfills a year of news sends nothing old.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import apprise
import duckdb

from pipeline.health import today_in_jakarta
from pipeline.store import Store, connect_readonly
from pipeline.watchlist import DEFAULT_WATCHLIST, Watch, load_watchlist

log = logging.getLogger(__name__)

MAX_EVENTS_PER_MESSAGE = 50


@dataclass(frozen=True)
class WatchedEvent:
    event_id: str
    type: str
    date: dt.date | None
    organizer: str | None
    organizer_region: str | None
    venue_region: str | None
    participant_regions: tuple[str, ...]
    urls: tuple[str, ...]
    mention_ids: tuple[str, ...]
    last_report: dt.date | None = None

    def line(self) -> str:
        when = self.date.isoformat() if self.date else "undated"
        who = f", organised by {self.organizer}" if self.organizer else ""
        where = self.organizer_region or self.venue_region or "region unknown"
        parts = f"; participants: {', '.join(self.participant_regions[:8])}" if self.participant_regions else ""
        source = f"\n  {self.urls[0]}" + (f" (+{len(self.urls) - 1} more reports)" if len(self.urls) > 1 else "")
        return f"- {when} {self.type} in {where}{who}{parts}{source if self.urls else ''}"[:1000]


@dataclass(frozen=True)
class WatchDelivery:
    """What one watch got after a run."""

    watch: str
    events: int  # new matching events
    sent: bool
    detail: str = ""


def _events(con: duckdb.DuckDBPyConnection) -> list[WatchedEvent]:
    rows = con.execute("""
        SELECT e.event_id, e.type, e.date, e.organizer, e.organizer_region, e.venue_region, e.participant_regions,
               list(DISTINCT a.url ORDER BY a.url), list(DISTINCT ea.mention_id ORDER BY ea.mention_id),
               max(a.published_date)
        FROM events e JOIN event_articles ea ON ea.event_id = e.event_id
        JOIN articles a ON a.article_id = ea.article_id
        GROUP BY e.event_id, e.type, e.date, e.organizer, e.organizer_region, e.venue_region, e.participant_regions
        ORDER BY e.date NULLS LAST, e.event_id""").fetchall()
    return [WatchedEvent(r[0], r[1], r[2], r[3], r[4], r[5], tuple(r[6] or ()), tuple(r[7]), tuple(r[8]), r[9])
            for r in rows]


def _matches(watch: Watch, codes: frozenset[str], event: WatchedEvent,
             region_codes: dict[str, tuple[str, str]], today: dt.date) -> bool:
    if watch.event_types and event.type not in watch.event_types:
        return False
    when = event.date or event.last_report
    if watch.max_age_days is not None and (when is None or (today - when).days > watch.max_age_days):
        return False
    if not codes:
        return True
    names = [n for n in (event.organizer_region, event.venue_region, *event.participant_regions) if n]
    return any(code in codes or province in codes
               for code, province in (region_codes[n] for n in names if n in region_codes))


def pending_alerts(db: Path | str, watchlist: Path | str = DEFAULT_WATCHLIST, *,
                   today: dt.date | None = None) -> dict[str, tuple[Watch, list[WatchedEvent]]]:
    """Per watch, the matching events not notified to it yet (read-only)."""
    today = today or today_in_jakarta()
    watches, codes = load_watchlist(watchlist)
    con = connect_readonly(db)
    try:
        events = _events(con)
        region_codes = {name: (code, province) for name, code, province in
                        con.execute("SELECT name, code, province_code FROM regions").fetchall()}
        sent: dict[str, tuple[set[str], set[str]]] = {}
        for watch, event_id, mention_ids in con.execute(
                "SELECT watch, event_id, mention_ids FROM alerts_sent").fetchall():
            ids, mentions = sent.setdefault(watch, (set(), set()))
            ids.add(event_id)
            mentions.update(mention_ids or ())
    finally:
        con.close()
    pending = {}
    for watch in watches.watches:
        ids, mentions = sent.get(watch.name, (set(), set()))
        new = [e for e in events if e.event_id not in ids and not mentions.intersection(e.mention_ids)
               and _matches(watch, codes[watch.name], e, region_codes, today)]
        pending[watch.name] = (watch, new)
    return pending


def _message(watch: Watch, events: Sequence[WatchedEvent]) -> tuple[str, str]:
    title = f"Pantau: {len(events)} new event{'s' if len(events) != 1 else ''} for {watch.name}"
    lines = [e.line() for e in events[:MAX_EVENTS_PER_MESSAGE]]
    if len(events) > MAX_EVENTS_PER_MESSAGE:
        lines.append(f"... and {len(events) - MAX_EVENTS_PER_MESSAGE} more (pantau query)")
    return title, "\n".join(lines)


def send_alerts(db: Path | str, watchlist: Path | str = DEFAULT_WATCHLIST, *, today: dt.date | None = None,
                dry_run: bool = False, lock_timeout_s: float = 30.0) -> list[WatchDelivery]:
    """Notify every watch of its new events; record what was delivered (nothing on ``dry_run``)."""
    deliveries: list[WatchDelivery] = []
    delivered: list[tuple[str, str, str | None, str | None, list[str]]] = []
    for name, (watch, events) in pending_alerts(db, watchlist, today=today).items():
        if not events:
            deliveries.append(WatchDelivery(name, 0, False, "nothing new"))
            continue
        targets = watch.targets()
        if dry_run or not targets:
            detail = "dry run" if dry_run else "no target (its ${VARIABLES} are not set)"
            deliveries.append(WatchDelivery(name, len(events), False, detail))
            continue
        notifier = apprise.Apprise()
        for url in targets:
            if not notifier.add(url):
                log.warning("watch %s: apprise does not understand one of its notify URLs", name)
        title, body = _message(watch, events)
        if len(notifier) and notifier.notify(title=title, body=body, body_format=apprise.NotifyFormat.TEXT):
            deliveries.append(WatchDelivery(name, len(events), True, f"sent to {len(notifier)} targets"))
            delivered += [(name, e.event_id, e.type, e.date.isoformat() if e.date else None, list(e.mention_ids))
                          for e in events]
        else:
            log.warning("watch %s: delivery failed; it is tried again after the next run", name)
            deliveries.append(WatchDelivery(name, len(events), False, "delivery failed; retried next run"))
    if delivered:
        with Store(db, lock_timeout_s=lock_timeout_s) as store:
            store.record_alerts_sent(delivered)
    return deliveries
