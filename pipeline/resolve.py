"""Event resolution: the reports of one real-world event become one event.

This first resolver is deterministic: event mentions of relevant articles
merge when their type and date agree and their organiser regions do not
contradict each other (one may be unknown). A mention without a date stays an
event of its own. Duplicated articles (same story, another URL) add evidence
but never a second event. The resolved set is rebuilt from all mentions on
every run, so it is idempotent by construction.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pipeline.records import ResolvedEvent
from pipeline.store import Store
from pipeline.urls import content_id

log = logging.getLogger(__name__)

RESOLVER_VERSION = "rules-1"


@dataclass
class _Cluster:
    type: str
    date: Any
    rows: list[dict[str, Any]] = field(default_factory=list)

    def organiser_region(self) -> str | None:
        regions = [r["organizer_region"] for r in self.rows if r["organizer_region"]]
        return Counter(regions).most_common(1)[0][0] if regions else None

    def accepts(self, row: dict[str, Any]) -> bool:
        mine, theirs = self.organiser_region(), row["organizer_region"]
        return mine is None or theirs is None or mine == theirs


def _most_common(values: list[Any]) -> Any:
    present = [v for v in values if v not in (None, "")]
    return Counter(present).most_common(1)[0][0] if present else None


def _event_from(cluster: _Cluster) -> ResolvedEvent:
    rows = cluster.rows
    participants: list[str] = []
    for row in rows:
        for region in row["participant_regions"] or []:
            if region not in participants:
                participants.append(region)
    organiser_region = cluster.organiser_region()
    key = (cluster.type, str(cluster.date), organiser_region or "") if cluster.date else (
        cluster.type, "undated", min(r["mention_id"] for r in rows))
    onlines = [r["online"] for r in rows if r["online"] is not None]
    return ResolvedEvent(
        event_id=content_id(*key),
        type=cluster.type,
        date=cluster.date.isoformat() if cluster.date else None,
        organizer=_most_common([r["organizer"] for r in rows if r["organizer_region"] == organiser_region])
        or _most_common([r["organizer"] for r in rows]),
        organizer_region=organiser_region,
        venue=_most_common([r["venue"] for r in rows]),
        venue_region=_most_common([r["venue_region"] for r in rows]),
        online=onlines[0] if onlines and all(o == onlines[0] for o in onlines) else None,
        participant_regions=tuple(participants),
        article_ids=tuple(r["article_id"] for r in rows),
        mention_ids=tuple(r["mention_id"] for r in rows),
    )


def cluster_mentions(rows: list[dict[str, Any]]) -> list[ResolvedEvent]:
    clusters: list[_Cluster] = []
    for row in sorted(rows, key=lambda r: (r["type"], str(r["date"]), r["mention_id"])):
        if row["date"] is not None:
            for cluster in clusters:
                if cluster.type == row["type"] and cluster.date == row["date"] and cluster.accepts(row):
                    cluster.rows.append(row)
                    break
            else:
                clusters.append(_Cluster(row["type"], row["date"], [row]))
        else:
            clusters.append(_Cluster(row["type"], None, [row]))
    events = [_event_from(c) for c in clusters]
    # Same key twice (two same-day events with no organiser region): keep both, distinct ids.
    seen: Counter[str] = Counter()
    unique = []
    for event in events:
        seen[event.event_id] += 1
        if seen[event.event_id] > 1:
            event = ResolvedEvent(**{**event.__dict__, "event_id": content_id(event.event_id, str(seen[event.event_id]))})
        unique.append(event)
    return unique


def resolve_events(store: Store) -> int:
    columns = ["mention_id", "article_id", "type", "date", "organizer", "organizer_region", "venue",
               "venue_region", "online", "participant_regions"]
    result = store.query(
        f"SELECT {', '.join('m.' + c for c in columns)} FROM event_mentions m "
        "JOIN articles a USING (article_id) WHERE a.relevant"
    )
    rows = [dict(zip(columns, r, strict=True)) for r in result]
    events = cluster_mentions(rows)
    store.replace_events(events, RESOLVER_VERSION)
    log.info("resolved %d event mentions into %d events", len(rows), len(events))
    return len(events)
