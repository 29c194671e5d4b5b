"""Event resolution: the reports of one real-world event become one event.

Two dated reports are the same event when their types are equal, their dates agree within a day, their
organisers agree (same organiser region; or, when one is unknown, the same venue region or an overlap of
participants) and their descriptions are close in meaning (sentence embeddings of the evidence sentence
and headline; see ``pipeline.embeddings``). Two rakor on the same day in different provinces have
different organisers and stay two.

A report with no date, only a weekday, or a guessed year cannot be placed by its date: it joins the one
event whose reports agree with it on enough other slots and contradict it on none (``resolve_evidence``:
organiser, venue, participants, figures, weekday, publication dates when known). Where two events fit
equally well it joins neither, so undated reports never all collapse together; failing structure, a
close match of meaning still joins it, as before.

Copies of one story (``duplicate_of``) are merged without further checks. Merging is transitive
(union-find) but never joins two reports of one article or dates more than a day apart. Participants
are the union, the articles its evidence, and an organiser stated in one report fills the gap in
another. Only event mentions are embedded, never whole crawls; vectors are cached per mention and
model, so a rerun computes nothing again. Thresholds live in ``data/resolution.yaml``.

A daily run resolves only what changed: the articles saved since their last resolution and the reports they
can join, transitively (``pipeline.resolve_scope``); the events it writes are those a full resolution writes.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from pipeline import embeddings
from pipeline.records import ResolvedEvent
from pipeline.resolve_evidence import (
    Evidence,
    Mention,
    ResolutionConfig,
    compare,
    config_digest,
    load_config,
    needed_agreement,
    same_venue,
    year_inferred,
)
from pipeline.store import Store
from pipeline.urls import content_id

log = logging.getLogger(__name__)

RESOLVER_VERSION = "resolve-3"  # stored as resolve-3+<digest of data/resolution.yaml>


@dataclass(frozen=True)
class Candidate:
    """A pair of reports that may be one event, with the evidence for it."""

    first: int
    second: int
    evidence: Evidence


class _Groups:
    """Union-find over mentions that remembers each group's dates and articles, so a merge never joins
    reports of one article or dates further apart than a dated pair may be."""

    def __init__(self, mentions: list[Mention], within_days: int) -> None:
        self.parent = list(range(len(mentions)))
        self.dates = [{m.date} - {None} if not year_inferred(m) else set() for m in mentions]
        self.articles = [{m.original_article} for m in mentions]
        self.within_days = within_days

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def compatible(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if self.articles[ra] & self.articles[rb]:
            return False
        days = self.dates[ra] | self.dates[rb]
        return not days or (max(days) - min(days)).days <= self.within_days

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            keep, gone = min(ra, rb), max(ra, rb)
            self.parent[gone] = keep
            self.dates[keep] |= self.dates[gone]
            self.articles[keep] |= self.articles[gone]


def _organisers_agree(a: Mention, b: Mention) -> bool:
    if a.organizer_region and b.organizer_region:
        return a.organizer_region == b.organizer_region
    if a.venue_region and b.venue_region and a.venue_region == b.venue_region:
        return True
    return bool(set(a.participant_regions) & set(b.participant_regions))


def _places(mention: Mention) -> set[str]:
    return {p for p in (mention.organizer_region, mention.venue_region, *mention.participant_regions) if p}


def _loose(mention: Mention) -> bool:
    """No firm date: none at all, only a weekday, or a year nobody wrote."""
    return mention.date is None or year_inferred(mention)


def candidate_pairs(mentions: list[Mention], province_of: Mapping[str, str] | None = None,
                    config: ResolutionConfig | None = None, ambiguous: Collection[str] = ()) -> list[Candidate]:
    """Pairs that may be one event, with their evidence; pairs with a contradiction are left out.

    Bounded: dated reports meet those of the same type within a day (same organiser region, or one
    unknown) or at the same venue. A loosely dated report meets reports of the same type from its
    organiser region (or, when it has none, sharing a place with it) or its venue region; with a
    publication date, only those dated or published within weeks of it. So the work grows with the
    reports per day and per region, not with the square of the archive. A loose report with more candidates
    than ``max_candidates``, here or (``ambiguous``: their mention ids) in the whole store, meets none.
    """
    config = config or load_config()
    by_day: dict[tuple[str, dt.date, str | None], list[int]] = {}
    by_organiser: dict[tuple[str, str], list[int]] = {}
    by_place: dict[tuple[str, str], list[int]] = {}
    by_venue: dict[tuple[str, str], list[int]] = {}
    for index, mention in enumerate(mentions):
        if mention.date is not None:
            by_day.setdefault((mention.type, mention.date, mention.organizer_region), []).append(index)
        if mention.organizer_region:
            by_organiser.setdefault((mention.type, mention.organizer_region), []).append(index)
        for place in _places(mention):
            by_place.setdefault((mention.type, place), []).append(index)
        if mention.venue and mention.venue_region:
            by_venue.setdefault((mention.type, mention.venue_region), []).append(index)
    regions_of_day: dict[tuple[str, dt.date], set[str | None]] = {}
    for kind, day, region in by_day:
        regions_of_day.setdefault((kind, day), set()).add(region)
    seen: set[tuple[int, int]] = set()
    pairs: list[Candidate] = []

    def consider(i: int, j: int) -> None:
        key = (min(i, j), max(i, j))
        if i == j or key in seen:
            return
        seen.add(key)
        evidence = compare(mentions[key[0]], mentions[key[1]], province_of, config)
        a, b = mentions[key[0]], mentions[key[1]]
        if evidence.possible and (not evidence.dated or _organisers_agree(a, b)
                                  or same_venue(a, b, province_of, config)):
            pairs.append(Candidate(key[0], key[1], evidence))

    for (kind, day, region), indices in by_day.items():
        for offset in range(-config.dated_within_days, config.dated_within_days + 1):
            near = day + dt.timedelta(days=offset)
            for other_region in regions_of_day.get((kind, near), set()):
                if region is None or other_region is None or other_region == region:
                    for j in by_day[(kind, near, other_region)]:
                        for i in indices:
                            consider(i, j)
    # One day, one venue: reports whose organiser regions differ still meet when both name a venue.
    with_venue: dict[tuple[str, dt.date], list[int]] = {}
    for index, mention in enumerate(mentions):
        if mention.date is not None and mention.venue:
            with_venue.setdefault((mention.type, mention.date), []).append(index)
    for (kind, day), indices in with_venue.items():
        for offset in range(0, config.dated_within_days + 1):
            for j in with_venue.get((kind, day + dt.timedelta(days=offset)), []):
                for i in indices:
                    consider(i, j)
    for i, mention in enumerate(mentions):
        if not _loose(mention):
            continue
        if mention.organizer_region:
            found = list(by_organiser.get((mention.type, mention.organizer_region), []))
            found += [j for place in _places(mention) for j in by_place.get((mention.type, place), [])
                      if not mentions[j].organizer_region]
        else:
            found = [j for place in _places(mention) for j in by_place.get((mention.type, place), [])]
        if mention.venue and mention.venue_region:  # one venue, though another host is credited
            found += by_venue.get((mention.type, mention.venue_region), [])
        found = sorted(set(found))
        if mention.published is not None:
            found = [j for j in found if _near_publication(mention.published, mentions[j], config)]
        if len(found) > config.max_candidates or mention.mention_id in ambiguous:
            log.debug("%s: %d candidates, too ambiguous to place", mention.mention_id, len(found))
            continue
        for j in found:
            consider(i, j)
    return sorted(pairs, key=lambda c: (c.first, c.second))


def _near_publication(published: dt.date, other: Mention, config: ResolutionConfig) -> bool:
    """Whether ``other`` can be the event a report published on ``published`` speaks of (cheap pre-filter)."""
    window = config.published_after_event_days + config.published_apart_days
    anchor = other.date or other.published
    return anchor is None or abs((published - anchor).days) <= window


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


def _similar(vectors: dict[int, np.ndarray] | None, i: int, j: int) -> float | None:
    if vectors and i in vectors and j in vectors:
        return float(vectors[i] @ vectors[j])
    return None


def cluster(mentions: list[Mention], vectors: dict[int, np.ndarray] | None, pairs: list[Candidate],
            config: ResolutionConfig | None = None) -> list[list[int]]:
    """Groups of mentions that are one event each.

    1. Copies of one story (``duplicate_of``) are one event.
    2. Dated pairs whose organisers agree merge when their meaning confirms it (or no model is at hand).
    3. Each loosely dated report joins the one group whose reports agree with it on enough slots; when two
       groups agree equally well it is ambiguous and joins neither.
    4. A loose report that found no group that way still joins the group whose text it matches closely.
    A merge never joins two reports of one article, nor groups whose dates are further apart than a day.
    """
    config = config or load_config()
    groups = _Groups(mentions, config.dated_within_days)
    originals: dict[tuple[str, str], int] = {}
    for index, mention in enumerate(mentions):
        key = (mention.type, mention.original_article)
        if key not in originals:
            originals[key] = index
        elif mentions[originals[key]].article_id != mention.article_id:
            groups.union(originals[key], index)  # the same story under another URL
    loose: dict[int, list[tuple[int, Evidence]]] = {}
    for pair in pairs:
        i, j, evidence = pair.first, pair.second, pair.evidence
        if evidence.dated:
            similarity = _similar(vectors, i, j)
            if similarity is None or similarity >= config.same_event_similarity:
                groups.union(i, j)
            continue
        for a, b in ((i, j), (j, i)):
            if _loose(mentions[a]):
                loose.setdefault(a, []).append((b, evidence))
    placed = set()
    for i in sorted(loose):
        best: dict[int, int] = {}
        for j, evidence in loose[i]:
            root = groups.find(j)
            if root != groups.find(i) and evidence.agreement >= needed_agreement(mentions[i], mentions[j], config):
                best[root] = max(best.get(root, evidence.agreement), evidence.agreement)
        if best:
            top = max(best.values())
            winners = [root for root, score in best.items() if score == top]
            if len(winners) == 1 and groups.compatible(i, winners[0]):
                groups.union(i, winners[0])
                placed.add(i)
    for i in sorted(set(loose) - placed):
        scored = []
        for j, _ in loose[i]:
            similarity = _similar(vectors, i, j)
            if similarity is not None and similarity >= _undated_threshold(mentions[i], mentions[j], config) \
                    and _organisers_agree(mentions[i], mentions[j]):
                scored.append((similarity, j))
        for _, j in sorted(scored, reverse=True)[:1]:
            if groups.compatible(i, j):
                groups.union(i, j)
    clusters: dict[int, list[int]] = {}
    for index in range(len(mentions)):
        clusters.setdefault(groups.find(index), []).append(index)
    return list(clusters.values())


def _undated_threshold(a: Mention, b: Mention, config: ResolutionConfig) -> float:
    """The same counts from the same body are one report's numbers: meaning need only confirm."""
    if a.figures & b.figures and a.organizer_region and a.organizer_region == b.organizer_region:
        return config.same_event_similarity
    return config.undated_similarity


def _most_common(values: list[Any]) -> Any:
    present = [v for v in values if v not in (None, "")]
    return Counter(present).most_common(1)[0][0] if present else None


def _event(members: list[Mention]) -> ResolvedEvent:
    # A date whose year was guessed gives way to one whose year was written.
    dates = [m.date for m in members if m.date and not year_inferred(m)] or [m.date for m in members if m.date]
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


def load_mentions(store: Store, mention_ids: Collection[str] | None = None) -> list[Mention]:
    """The event mentions of relevant articles (all, or those of ``mention_ids``), in resolution's order."""
    where = "" if mention_ids is None else " AND m.mention_id IN (SELECT unnest(CAST(? AS VARCHAR[])))"
    rows = store.query(
        "SELECT m.mention_id, m.article_id, m.type, m.date, m.organizer, m.organizer_region, m.venue, "
        "m.venue_region, m.online, m.participant_regions, coalesce(a.title, '') || '. ' || coalesce(m.evidence, ''), "
        "coalesce(a.duplicate_of, a.article_id), m.figures, m.date_text, a.published_date "
        f"FROM event_mentions m JOIN articles a ON a.article_id = m.article_id WHERE a.relevant{where} "
        "ORDER BY m.type, m.date NULLS LAST, m.mention_id", [] if mention_ids is None else [list(mention_ids)]
    )
    return [Mention(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], tuple(r[9] or ()), r[10], r[11],
                    _figure_numbers(r[12]), r[13], r[14]) for r in rows]


def province_of_regions(store: Store) -> dict[str, str]:
    """Each kabupaten/kota name -> its province's name, from the store's region reference."""
    rows = store.query("SELECT name, province_name FROM regions WHERE kind NOT IN ('provinsi', 'nasional')")
    return {name: province for name, province in rows}


def _figure_numbers(raw: Any) -> frozenset[float]:
    try:
        figures = json.loads(raw) if isinstance(raw, str) else (raw or [])
        return frozenset(float(f["number"]) for f in figures if isinstance(f, dict) and "number" in f)
    except (ValueError, TypeError, KeyError):
        return frozenset()


# A neighbourhood holding more than this share of all event mentions is resolved whole: the same events, and
# fewer queries (a first run, a store migrated to incremental resolution, a re-annotation of everything).
FULL_SHARE = 0.5
# Rounds of growing a neighbourhood by stored events that would share an event id with one of its own.
MAX_ID_ROUNDS = 10


def resolve_events(store: Store, *, articles: Collection[str] | None = None, full: bool = False,
                   use_embeddings: bool = True) -> int:
    """Resolve the events that changed articles can affect; return the number of events in the store.

    Changed articles are those queued in ``resolution_pending`` (saving an article or its annotation queues it
    in the same transaction, so a run killed before resolving leaves them to the next run) and ``articles``
    (ids the caller knows changed otherwise). Only their neighbourhood (``pipeline.resolve_scope``) is loaded
    and clustered, and only its events are replaced, in the transaction that takes the articles off the queue;
    they are the events a full resolution gives, with the same content-derived ids. Nothing queued: nothing
    is done. ``full``, or events stored by another resolver version or configuration, rebuild every event
    from every mention (``pantau`` rebuilds, backfill of a whole archive, tests).
    """
    version = f"{RESOLVER_VERSION}+{config_digest()}"
    if full or store.query("SELECT count(*) FROM events WHERE resolver_version IS DISTINCT FROM ?", [version])[0][0]:
        _resolve_all(store, version, use_embeddings)
    else:
        _resolve_changed(store, set(store.pending_resolution()) | set(articles or ()), version, use_embeddings)
    return int(store.query("SELECT count(*) FROM events")[0][0])


def _resolve_all(store: Store, version: str, use_embeddings: bool) -> None:
    mentions = load_mentions(store)
    events = _events_of(store, mentions, province_of_regions(store), use_embeddings)
    store.replace_events(events, version)
    log.info("resolved %d event mentions into %d events", len(mentions), len(events))


def _resolve_changed(store: Store, changed: set[str], version: str, use_embeddings: bool) -> None:
    from pipeline.resolve_scope import reports_read

    if not changed:
        return
    with reports_read(store, changed):
        done = _resolve_neighbourhood(store, changed, version, use_embeddings)
    if not done:
        log.info("the neighbourhood of %d changed articles is most of the store: resolving every event", len(changed))
        _resolve_all(store, version, use_embeddings)


def _resolve_neighbourhood(store: Store, changed: set[str], version: str, use_embeddings: bool) -> bool:
    """Resolve the neighbourhood of ``changed`` and replace its events; False when it is most of the store."""
    from pipeline.resolve_scope import neighbourhood

    config = load_config()
    limit = int(FULL_SHARE * store.query("SELECT count(*) FROM event_mentions")[0][0])
    province_of = province_of_regions(store)
    joined = _Joins(store, province_of, config, use_embeddings)
    hood = neighbourhood(store, changed, config, joined, limit=limit)
    for _ in range(MAX_ID_ROUNDS):
        if hood is None:
            break
        mentions = load_mentions(store, hood.mention_ids)
        events = _events_of(store, mentions, province_of, use_embeddings, hood.ambiguous)
        replaced = {event_id for (event_id,) in store.query(
            "SELECT DISTINCT event_id FROM event_articles WHERE mention_id IN (SELECT unnest(CAST(? AS VARCHAR[]))) "
            "OR article_id IN (SELECT unnest(CAST(? AS VARCHAR[])))",
            [sorted(hood.mention_ids | hood.departed), sorted(changed)])}
        clashing = _clashing_members(store, events, replaced)
        if not clashing:
            store.replace_events_of(replaced, events, version, changed)
            log.info("resolved %d changed articles: %d event mentions in %d rounds into %d events, %d replaced",
                     len(changed), len(mentions), hood.rounds, len(events), len(replaced))
            return True
        hood = neighbourhood(store, (), config, joined, extra_mentions=clashing, known=hood, limit=limit)
    return False


class _Joins:
    """Which pairs of reports that meet can join them in ``cluster`` (an incremental resolution's neighbourhood
    grows only through these): copies aside, a dated pair that ``candidate_pairs`` keeps; a loose pair with the
    agreement step 3 needs; or one whose organisers agree and whose meaning is close enough for step 4."""

    def __init__(self, store: Store, province_of: Mapping[str, str], config: ResolutionConfig,
                 use_embeddings: bool) -> None:
        self.store, self.province_of, self.config, self.use_embeddings = store, province_of, config, use_embeddings
        self.mentions: dict[str, Mention] = {}

    def __call__(self, pairs: list[tuple[str, str]]) -> set[tuple[str, str]]:
        wanted = {key for pair in pairs for key in pair} - set(self.mentions)
        self.mentions.update({m.mention_id: m for m in load_mentions(self.store, wanted)} if wanted else {})
        kept, meaning = set(), []
        for pair in pairs:
            a, b = self.mentions[pair[0]], self.mentions[pair[1]]
            evidence = compare(a, b, self.province_of, self.config)
            if not evidence.possible:
                continue
            if evidence.dated:
                if _organisers_agree(a, b) or same_venue(a, b, self.province_of, self.config):
                    kept.add(pair)
            elif evidence.agreement >= needed_agreement(a, b, self.config):
                kept.add(pair)
            elif _organisers_agree(a, b):
                meaning.append(pair)
        if meaning and self.use_embeddings:
            listed = list({key: self.mentions[key] for pair in meaning for key in pair}.values())
            index = {m.mention_id: i for i, m in enumerate(listed)}
            vectors = _vectors(self.store, listed, set(range(len(listed))))
            for pair in meaning:
                i, j = index[pair[0]], index[pair[1]]
                similarity = _similar(vectors, i, j)
                if similarity is not None and similarity >= _undated_threshold(listed[i], listed[j], self.config):
                    kept.add(pair)
        return kept


def _clashing_members(store: Store, events: list[ResolvedEvent], replaced: set[str]) -> list[str]:
    """Mentions of stored events outside the neighbourhood that share a dated event's key (type, date,
    organiser region) with one of its new events: ``_unique_ids`` must see them together."""
    keys = [(e.type, e.date, e.organizer_region or "") for e in events if e.date]
    if not keys:
        return []
    rows = store.query(
        "SELECT ea.mention_id FROM events e JOIN (SELECT unnest(CAST(? AS VARCHAR[])) AS type, "
        "unnest(CAST(? AS DATE[])) AS date, unnest(CAST(? AS VARCHAR[])) AS org) k "
        "ON e.type = k.type AND e.date = k.date AND coalesce(e.organizer_region, '') = k.org "
        "JOIN event_articles ea ON ea.event_id = e.event_id "
        "WHERE e.event_id NOT IN (SELECT unnest(CAST(? AS VARCHAR[])))",
        [[k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys], sorted(replaced)])
    return [mention_id for (mention_id,) in rows]


def _events_of(store: Store, mentions: list[Mention], province_of: Mapping[str, str], use_embeddings: bool,
               ambiguous: Collection[str] = ()) -> list[ResolvedEvent]:
    pairs = candidate_pairs(mentions, province_of, ambiguous=ambiguous)
    needed = {p.first for p in pairs} | {p.second for p in pairs}
    vectors = _vectors(store, mentions, needed) if use_embeddings and needed else {}
    groups = cluster(mentions, vectors, pairs)
    return _unique_ids([_event([mentions[i] for i in group]) for group in groups])
