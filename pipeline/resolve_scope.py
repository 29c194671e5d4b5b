"""Which reports an incremental event resolution must take again: the neighbourhood of changed articles.

``cluster`` (``pipeline.resolve``) joins reports only through some pairs: copies of one story; dated pairs
that ``candidate_pairs`` keeps; loose pairs with the agreement its step 3 needs; loose pairs whose organisers
agree and whose meaning is close enough for step 4 (with embeddings). Call these pairs *joins*. Every
decision it takes for a report (whom it joins, whether two events tie) looks only at groups reached through
joins, so a set of reports closed under joins is clustered alone exactly as the full resolution clusters it.
Take the reports of the changed articles, add every stored report one of them joins, and repeat until nothing
is added. Candidates are found in SQL by the rules of ``candidate_pairs`` (type and date within
``dated_within_days``, original article, type and a shared organiser region, venue region or place, with the
publication window); whether a pair joins is judged in Python (``resolve._Joins``). Also added:

- the members of every stored event that has a member in the neighbourhood (its old event is rebuilt whole);
- the candidates of a replaced or re-linked report as the last resolution saw it (``resolution_departed``),
  whether they joined it or not: without it, they may cluster differently;
- a loosely dated report with more candidates than ``max_candidates`` in the whole store meets none; it is
  listed as ``ambiguous`` so that resolution of the neighbourhood alone skips it too.

Not covered (rare, documented): a departed loose report that had at most ``max_candidates`` candidates when
last resolved and has more now.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from pipeline.resolve_evidence import ResolutionConfig, date_clues
from pipeline.store import Store

log = logging.getLogger(__name__)

# The reports resolution reads, with the slots the neighbourhood rules use ('' counts as absent, as in Python).
REPORTS = """(SELECT m.mention_id AS key, m.type, m.date, m.date_text, nullif(m.organizer_region, '') AS org,
    nullif(m.venue, '') AS venue, nullif(m.venue_region, '') AS vr,
    list_filter(list_concat([m.organizer_region, m.venue_region], coalesce(m.participant_regions, [])),
                p -> p IS NOT NULL AND p <> '') AS places,
    coalesce(a.duplicate_of, a.article_id) AS original, a.published_date AS published
    FROM event_mentions m JOIN articles a ON a.article_id = m.article_id WHERE a.relevant)"""

# The same slots of reports as the last resolution saw them, before a save replaced or re-linked them.
DEPARTED = """(SELECT 'departed:' || mention_id AS key, type, date, date_text, nullif(organizer_region, '') AS org,
    nullif(venue, '') AS venue, nullif(venue_region, '') AS vr,
    list_filter(list_concat([organizer_region, venue_region], coalesce(participant_regions, [])),
                p -> p IS NOT NULL AND p <> '') AS places,
    original_article AS original, published_date AS published
    FROM resolution_departed WHERE article_id IN (SELECT unnest(CAST(? AS VARCHAR[]))))"""

# The reports and their places, read once per resolution into temporary tables of this connection: each round
# of growing the neighbourhood joins them by type and date, original article, or type and place.
TABLE, PLACES, PHANTOMS = "temp.resolution_reports", "temp.resolution_places", "temp.resolution_phantoms"



@dataclass(frozen=True)
class Reach:
    """A report as the neighbourhood rules see it (``key``: its mention id, or ``departed:<id>``)."""

    key: str
    type: str
    date: dt.date | None
    date_text: str | None
    org: str | None
    venue: str | None
    vr: str | None
    places: tuple[str, ...]
    original: str
    published: dt.date | None

    @property
    def departed(self) -> bool:
        return self.key.startswith("departed:")

    @property
    def loose(self) -> bool:
        """``resolve._loose``: no date, or a year nobody wrote and no publication date fixed."""
        return self.date is None or (self.published is None and not date_clues(self.date_text).has_year)


@dataclass
class Neighbourhood:
    """The reports to resolve again, and the stored events they replace."""

    articles: set[str]  # the changed articles it was grown from
    mention_ids: set[str] = field(default_factory=set)
    ambiguous: set[str] = field(default_factory=set)  # loose reports too ambiguous to place (see module doc)
    departed: set[str] = field(default_factory=set)  # mention ids of departed reports
    rounds: int = 0


def _finds(loose: str, other: str, window: int) -> str:
    """SQL: ``candidate_pairs`` lists ``other`` among the candidates of the loosely dated ``loose``."""
    anchor = f"coalesce({other}.date, {other}.published)"
    return (f"(({loose}.org IS NOT NULL AND ({other}.org = {loose}.org OR ({other}.org IS NULL "
            f"AND list_has_any({loose}.places, {other}.places)))) "
            f"OR ({loose}.org IS NULL AND list_has_any({loose}.places, {other}.places)) "
            f"OR ({loose}.venue IS NOT NULL AND {loose}.vr IS NOT NULL AND {other}.venue IS NOT NULL "
            f"AND {other}.vr = {loose}.vr)) "
            f"AND ({loose}.published IS NULL OR {anchor} IS NULL "
            f"OR abs(date_diff('day', {anchor}, {loose}.published)) <= {window})")


_SEEDS = (f"f AS (SELECT r.*, s.expand FROM (SELECT * FROM {TABLE} UNION ALL SELECT * FROM {PHANTOMS}) r "
          "JOIN (SELECT unnest(CAST(? AS VARCHAR[])) AS key, unnest(CAST(? AS BOOLEAN[])) AS expand) s ON s.key = r.key)")


def _seed_params(seeds: list[Reach], expand: list[bool]) -> list[Any]:
    return [[s.key for s in seeds], expand]


def _reaches(rows: Iterable[tuple[Any, ...]]) -> list[Reach]:
    return [Reach(r[0], r[1], r[2], r[3], r[4], r[5], r[6], tuple(r[7] or ()), r[8], r[9]) for r in rows]


def _sharing() -> str:
    """SQL: (f.key, b.key) of a seed ``f`` and a stored report ``b`` of its type that share an organiser region,
    a venue region, or (one of them without organiser region) a place; a loosely dated report's candidates
    all do (``_finds``). Joined by equality, so the pairs cost what the matches are, not seeds x reports."""
    return f"""SELECT f.key AS fkey, b.key AS bkey FROM f JOIN {TABLE} b ON b.type = f.type AND b.org = f.org
        UNION SELECT f.key, b.key FROM f JOIN {TABLE} b ON b.type = f.type AND b.vr = f.vr
               WHERE f.venue IS NOT NULL AND b.venue IS NOT NULL
        UNION SELECT fp.key, p.key FROM fp JOIN {PLACES} p ON p.type = fp.type AND p.place = fp.place
               WHERE fp.org IS NULL
        UNION SELECT fp.key, p.key FROM fp JOIN {PLACES} p ON p.type = fp.type AND p.place = fp.place
               WHERE p.org IS NULL"""


_SEED_PLACES = "fp AS (SELECT key, type, org, unnest(places) AS place FROM f)"


def _candidate_counts(store: Store, loose: list[Reach], config: ResolutionConfig) -> dict[str, int]:
    """How many candidates each loosely dated report has among all stored reports (itself included, as in
    ``candidate_pairs``)."""
    if not loose:
        return {}
    window = config.published_after_event_days + config.published_apart_days
    rows = store.query(
        f"WITH {_SEEDS}, {_SEED_PLACES}, pairs AS ({_sharing()}) "
        f"SELECT f.key, count(*) FROM pairs JOIN f ON f.key = pairs.fkey JOIN {TABLE} b ON b.key = pairs.bkey "
        f"WHERE {_finds('f', 'b', window)} GROUP BY f.key",
        _seed_params(loose, [True] * len(loose)))
    return {key: int(n) for key, n in rows}


def _expand(store: Store, frontier: list[Reach], expand: list[bool],
            config: ResolutionConfig) -> list[tuple[str, bool, Reach]]:
    """(frontier report, whether the pair needs its evidence checked, stored report) for each stored report that
    can meet a report of the frontier: as ``candidate_pairs`` lets reports meet (checked), as copies of one
    story, or as members of one stored event (not checked)."""
    window = config.published_after_event_days + config.published_apart_days
    days = config.dated_within_days
    sql = f"""WITH {_SEEDS}, {_SEED_PLACES},
        near AS (SELECT f.*, unnest(range({-days}, {days + 1})) AS shift FROM f WHERE f.date IS NOT NULL),
        pairs AS ({_sharing()}),
        hit AS (
            SELECT near.key AS fkey, b.key AS bkey, true AS checked FROM near JOIN {TABLE} b ON b.type = near.type
                AND b.date = near.date + CAST(near.shift AS INTEGER)
            WHERE near.org IS NULL OR b.org IS NULL OR b.org = near.org
                  OR (near.venue IS NOT NULL AND b.venue IS NOT NULL)
            UNION SELECT f.key, b.key, false FROM f JOIN {TABLE} b ON b.type = f.type AND b.original = f.original
            UNION SELECT f.key, b.key, true FROM pairs JOIN f ON f.key = pairs.fkey JOIN {TABLE} b ON b.key = pairs.bkey
            WHERE (f.expand AND {_finds('f', 'b', window)})
                  OR ((b.date IS NULL OR b.published IS NULL) AND {_finds('b', 'f', window)})
            UNION SELECT mine.mention_id, other.mention_id, false FROM event_articles mine
                  JOIN event_articles other ON other.event_id = mine.event_id
                  WHERE mine.mention_id IN (SELECT key FROM f))
        SELECT hit.fkey, bool_and(hit.checked), b.* FROM hit JOIN {TABLE} b ON b.key = hit.bkey
        WHERE hit.fkey <> hit.bkey GROUP BY ALL"""
    rows = store.query(sql, _seed_params(frontier, expand))
    return [(row[0], bool(row[1]), reach) for row, reach in zip(rows, _reaches(row[2:] for row in rows), strict=True)]


@contextmanager
def reports_read(store: Store, articles: Collection[str]) -> Iterator[None]:
    """The stored reports as neighbourhood rules see them, and the departed reports of ``articles``, in temporary
    tables for the duration of a resolution."""
    store.query(f"CREATE OR REPLACE TEMP TABLE resolution_reports AS SELECT * FROM {REPORTS}")
    store.query("CREATE OR REPLACE TEMP TABLE resolution_places AS "
                f"SELECT key, type, org, unnest(places) AS place FROM {TABLE}")
    store.query(f"CREATE OR REPLACE TEMP TABLE resolution_phantoms AS SELECT * FROM {DEPARTED}", [list(articles)])
    try:
        yield
    finally:
        for table in (TABLE, PLACES, PHANTOMS):
            store.query(f"DROP TABLE IF EXISTS {table}")


def neighbourhood(store: Store, articles: Collection[str], config: ResolutionConfig,
                  joined: Callable[[list[tuple[str, str]]], set[tuple[str, str]]], *,
                  extra_mentions: Collection[str] = (), known: Neighbourhood | None = None,
                  limit: int | None = None) -> Neighbourhood | None:
    """The reports to resolve again when ``articles`` changed (see the module docstring); inside ``reports_read``.

    ``joined`` says which of the (mention id, mention id) pairs that meet can join them, so that the
    neighbourhood grows only through them. ``known`` and ``extra_mentions`` grow an earlier neighbourhood by
    more reports. None when it would hold more than ``limit`` reports: a full resolution is then the cheaper
    way to the same events.
    """
    hood = known or Neighbourhood(set(articles))
    ids = list(articles)
    seeds = _reaches(store.query(f"SELECT * FROM {TABLE} b WHERE b.key IN (SELECT mention_id FROM event_mentions "
                                 "WHERE article_id IN (SELECT unnest(CAST(? AS VARCHAR[]))) "
                                 "UNION SELECT unnest(CAST(? AS VARCHAR[])))", [ids, list(extra_mentions)]))
    if not known:
        departed = _reaches(store.query(f"SELECT * FROM {PHANTOMS}"))
        hood.departed = {d.key.removeprefix("departed:") for d in departed}
        old = store.query("SELECT DISTINCT other.mention_id FROM event_articles mine JOIN event_articles other "
                          "ON other.event_id = mine.event_id WHERE mine.article_id IN "
                          "(SELECT unnest(CAST(? AS VARCHAR[]))) OR mine.mention_id IN (SELECT unnest(CAST(? AS VARCHAR[])))",
                          [ids, sorted(hood.departed)])
        seeds += departed + _reaches(store.query(f"SELECT * FROM {TABLE} b WHERE b.key IN (SELECT unnest(CAST(? AS VARCHAR[])))",
                                                 [[m for (m,) in old]]))
    seen = set(hood.mention_ids) | {s.key for s in seeds if s.departed}
    frontier = [s for s in {s.key: s for s in seeds}.values() if s.departed or s.key not in hood.mention_ids]
    hood.mention_ids |= {s.key for s in frontier if not s.departed}
    while frontier:
        hood.rounds += 1
        counts = _candidate_counts(store, [s for s in frontier if s.loose], config)
        hood.ambiguous |= {key for key, n in counts.items()
                          if n > config.max_candidates and not key.startswith("departed:")}
        expand = [s.loose and counts.get(s.key, 0) <= config.max_candidates for s in frontier]
        found = [(key, checked, r) for key, checked, r in _expand(store, frontier, expand, config)
                 if r.key not in seen and r.key not in hood.mention_ids]
        # A departed report is gone: whatever it met may have been held by it, joined or not.
        to_check = [(key, r.key) for key, checked, r in found if checked and not key.startswith("departed:")]
        kept = joined(to_check) if to_check else set()
        frontier = list({r.key: r for key, checked, r in found
                         if not checked or key.startswith("departed:") or (key, r.key) in kept}.values())
        hood.mention_ids |= {r.key for r in frontier}
        seen |= {r.key for r in frontier}
        if limit is not None and len(hood.mention_ids) > limit:
            return None
    return hood
