"""Event resolution: the reports of one real-world event become one event.

Two reports are the same event when
- their types are equal,
- their dates agree within a day (or one is unknown and the texts agree closely),
- their organisers agree (same organiser region; or, when one is unknown, the
  same venue region or an overlap of participants), and
- their descriptions are close in meaning (sentence embeddings of the evidence
  sentence and headline; see ``pipeline.embeddings``).
Copies of one story (``duplicate_of``) are merged without further checks.
Merging is transitive (union-find). Participants are the union, the articles
its evidence, and an organiser stated in one report fills the gap in another.
Two rakor on the same day in different provinces have different organisers and
stay two. Only event mentions are embedded, never whole crawls; vectors are
cached per mention and model, so a rerun computes nothing again.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from pipeline import embeddings
from pipeline.records import ResolvedEvent
from pipeline.store import Store
from pipeline.urls import content_id

log = logging.getLogger(__name__)

RESOLVER_VERSION = "resolve-2"
SAME_EVENT_SIMILARITY = 0.55  # both dated within a day and organisers agree: meaning only confirms
UNDATED_SIMILARITY = 0.80  # one date unknown: the texts must agree closely


@dataclass
class Mention:
    mention_id: str
    article_id: str
    type: str
    date: dt.date | None
    organizer: str | None
    organizer_region: str | None
    venue: str | None
    venue_region: str | None
    online: bool | None
    participant_regions: tuple[str, ...]
    description: str
    original_article: str  # the article itself, or the one it duplicates
    figures: frozenset[float] = frozenset()


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _dates_agree(a: Mention, b: Mention) -> bool | None:
    """True within a day, False further apart, None when one is unknown."""
    if a.date is None or b.date is None:
        return None
    return abs((a.date - b.date).days) <= 1


def _organisers_agree(a: Mention, b: Mention) -> bool:
    if a.organizer_region and b.organizer_region:
        return a.organizer_region == b.organizer_region
    if a.venue_region and b.venue_region and a.venue_region == b.venue_region:
        return True
    return bool(set(a.participant_regions) & set(b.participant_regions))


def _pair_threshold(a: Mention, b: Mention) -> float | None:
    """The similarity a pair's meaning must reach, or None when their structure already disagrees."""
    if a.article_id == b.article_id:
        return None
    dates = _dates_agree(a, b)
    if dates is False or not _organisers_agree(a, b):
        return None
    if dates:
        return SAME_EVENT_SIMILARITY
    if a.figures & b.figures and a.organizer_region and a.organizer_region == b.organizer_region:
        return SAME_EVENT_SIMILARITY  # the same counts from the same body: one report
    return UNDATED_SIMILARITY


def _places(mention: Mention) -> set[str]:
    return {p for p in (mention.organizer_region, mention.venue_region, *mention.participant_regions) if p}


def candidate_pairs(mentions: list[Mention]) -> list[tuple[int, int, float]]:
    """Pairs that agree on structure, with the similarity their meaning must reach.

    Dated mentions are compared only with mentions of the same type within a day of them; undated ones
    with those of the same type whose organiser region matches (or is unknown). So the work grows with
    the number of reports per day, not with the square of all reports.
    """
    # Buckets by (type, day, organiser region); a region's reports meet those of the same region and
    # those whose organiser is unknown, within a day.
    by_day: dict[tuple[str, dt.date, str | None], list[int]] = {}
    undated: dict[str, list[int]] = {}
    for index, mention in enumerate(mentions):
        if mention.date is None:
            undated.setdefault(mention.type, []).append(index)
        else:
            by_day.setdefault((mention.type, mention.date, mention.organizer_region), []).append(index)
    seen: set[tuple[int, int]] = set()
    pairs = []

    def consider(i: int, j: int) -> None:
        key = (min(i, j), max(i, j))
        if i == j or key in seen:
            return
        seen.add(key)
        threshold = _pair_threshold(mentions[key[0]], mentions[key[1]])
        if threshold is not None:
            pairs.append((key[0], key[1], threshold))

    for (kind, day, region), indices in by_day.items():
        for offset in (-1, 0, 1):
            near = day + dt.timedelta(days=offset)
            regions = {region, None} if region is not None else {
                r for (k, d, r) in by_day if k == kind and d == near}
            for other_region in regions:
                for j in by_day.get((kind, near, other_region), []):
                    for i in indices:
                        consider(i, j)
    # An undated report can only join reports that share a place with it (organiser region, venue
    # region or a participant): index those, so it meets only such reports.
    by_place: dict[tuple[str, str], list[int]] = {}
    for index, mention in enumerate(mentions):
        for place in _places(mention):
            by_place.setdefault((mention.type, place), []).append(index)
    for kind, indices in undated.items():
        for i in indices:
            for place in _places(mentions[i]):
                for j in by_place.get((kind, place), []):
                    consider(i, j)
    return sorted(pairs)


def _vectors(store: Store, mentions: list[Mention], needed: set[int]) -> dict[int, np.ndarray]:
    """Embeddings of the needed mentions: cached ones read, missing ones computed and cached."""
    model = embeddings.model_name()
    ids = [mentions[i].mention_id for i in needed]
    cached = store.cached_vectors(ids, model)
    missing = [i for i in needed if mentions[i].mention_id not in cached]
    if missing:
        try:
            fresh = embeddings.embed([mentions[i].description for i in missing])
        except (OSError, ImportError, RuntimeError) as exc:
            log.warning("embedding model unavailable (%s); resolving on structure alone", exc)
            return {}
        store.cache_vectors({mentions[i].mention_id: fresh[k] for k, i in enumerate(missing)}, model)
        cached.update({mentions[i].mention_id: fresh[k] for k, i in enumerate(missing)})
    return {i: np.asarray(cached[mentions[i].mention_id], dtype=np.float32) for i in needed}


def cluster(mentions: list[Mention], vectors: dict[int, np.ndarray] | None,
            pairs: list[tuple[int, int, float]]) -> list[list[int]]:
    groups = _UnionFind(len(mentions))
    originals: dict[tuple[str, str], int] = {}
    for index, mention in enumerate(mentions):
        key = (mention.type, mention.original_article)
        if key in originals:
            groups.union(originals[key], index)  # the same story under another URL
        else:
            originals[key] = index
    for i, j, threshold in pairs:
        if vectors and i in vectors and j in vectors:
            if float(vectors[i] @ vectors[j]) < threshold:
                continue
        elif threshold > SAME_EVENT_SIMILARITY:
            continue  # without meaning, an undated report is not merged
        groups.union(i, j)
    clusters: dict[int, list[int]] = {}
    for index in range(len(mentions)):
        clusters.setdefault(groups.find(index), []).append(index)
    return list(clusters.values())


def _most_common(values: list[Any]) -> Any:
    present = [v for v in values if v not in (None, "")]
    return Counter(present).most_common(1)[0][0] if present else None


def _event(members: list[Mention]) -> ResolvedEvent:
    dates = [m.date for m in members if m.date]
    date = Counter(dates).most_common(1)[0][0] if dates else None
    organiser_region = _most_common([m.organizer_region for m in members])
    participants: list[str] = []
    for member in members:
        participants += [r for r in member.participant_regions if r not in participants]
    onlines = {m.online for m in members if m.online is not None}
    anchor = min(members, key=lambda m: m.mention_id)
    key = (members[0].type, date.isoformat(), organiser_region or "") if date else (
        members[0].type, "undated", anchor.mention_id)
    return ResolvedEvent(
        event_id=content_id(*key),
        type=members[0].type,
        date=date.isoformat() if date else None,
        organizer=_most_common([m.organizer for m in members if m.organizer_region == organiser_region])
        or _most_common([m.organizer for m in members]),
        organizer_region=organiser_region,
        venue=_most_common([m.venue for m in members]),
        venue_region=_most_common([m.venue_region for m in members]),
        online=onlines.pop() if len(onlines) == 1 else None,
        participant_regions=tuple(participants),
        article_ids=tuple(m.article_id for m in members),
        mention_ids=tuple(m.mention_id for m in members),
    )


def _unique_ids(events: list[ResolvedEvent]) -> list[ResolvedEvent]:
    seen: Counter[str] = Counter()
    unique = []
    for event in sorted(events, key=lambda e: min(e.mention_ids)):
        seen[event.event_id] += 1
        if seen[event.event_id] > 1:  # two same-day events with no organiser region: keep both
            event = replace(event, event_id=content_id(event.event_id, min(event.mention_ids)))
        unique.append(event)
    return unique


def load_mentions(store: Store) -> list[Mention]:
    rows = store.query(
        "SELECT m.mention_id, m.article_id, m.type, m.date, m.organizer, m.organizer_region, m.venue, "
        "m.venue_region, m.online, m.participant_regions, coalesce(a.title, '') || '. ' || coalesce(m.evidence, ''), "
        "coalesce(a.duplicate_of, a.article_id), m.figures "
        "FROM event_mentions m JOIN articles a ON a.article_id = m.article_id WHERE a.relevant "
        "ORDER BY m.type, m.date NULLS LAST, m.mention_id"
    )
    return [Mention(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], tuple(r[9] or ()), r[10], r[11],
                    _figure_numbers(r[12])) for r in rows]


def _figure_numbers(raw: Any) -> frozenset[float]:
    try:
        figures = json.loads(raw) if isinstance(raw, str) else (raw or [])
        return frozenset(float(f["number"]) for f in figures if isinstance(f, dict) and "number" in f)
    except (ValueError, TypeError, KeyError):
        return frozenset()


def resolve_events(store: Store, *, use_embeddings: bool = True) -> int:
    """Rebuild the resolved events from all event mentions (idempotent by construction)."""
    mentions = load_mentions(store)
    pairs = candidate_pairs(mentions)
    needed = {i for i, j, _ in pairs} | {j for _, j, _ in pairs}
    vectors = _vectors(store, mentions, needed) if use_embeddings and needed else {}
    groups = cluster(mentions, vectors, pairs)
    events = _unique_ids([_event([mentions[i] for i in group]) for group in groups])
    store.replace_events(events, RESOLVER_VERSION)
    log.info("resolved %d event mentions into %d events (%d candidate pairs)", len(mentions), len(events),
             len(pairs))
    return len(events)
