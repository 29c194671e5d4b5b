"""The writer's side of a backfill: finished shards -> the store, once each; events resolved once at the end.

Shards are loaded in a fixed order (file, then offset), one transaction each,
through ``Store.save_backfill_shard``; the shard's row in ``backfill_shards``
is written in the same transaction, so a shard is loaded entirely or not at
all and a rerun skips it. Duplicates are found as a crawl finds them (the
store-seeded ``DuplicateFinder``), which needs one process seeing every
article in order: that is why it runs here and not on the workers.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from pipeline.backfill.shards import ShardResult
from pipeline.extract import EXTRACTOR_VERSION
from pipeline.records import (
    Annotation,
    EventMention,
    ExtractedArticle,
    Figure,
    Official,
    RawPage,
    RegionMention,
)
from pipeline.store import Store
from pipeline.store.writer import ProcessedPage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadSummary:
    shards_loaded: int
    shards_already: int
    pages: int
    articles: int  # articles in the shards loaded now
    new_articles: int  # of those, not in the store before
    duplicates: int
    events: int | None  # None: nothing new, events left as they were
    seconds: float


def annotation_from_json(text: str) -> Annotation:
    """The inverse of ``dataclasses.asdict`` on an Annotation (nested records and tuples restored)."""
    data: dict[str, Any] = json.loads(text)
    events = tuple(
        EventMention(**{**e, "participant_regions": tuple(e["participant_regions"]),
                        "figures": tuple(Figure(**f) for f in e["figures"])})
        for e in data.pop("events")
    )
    return Annotation(**{**data, "officials": tuple(Official(**o) for o in data.pop("officials")),
                         "regions": tuple(RegionMention(**r) for r in data.pop("regions")), "events": events})


def _shard_pages(folder: Path) -> list[tuple[Any, ...]]:
    con = duckdb.connect()
    try:
        return con.execute(
            "SELECT page_id, source_id, url, warc_file, warc_offset, warc_date, content_type, size_bytes, digest, "
            "status, article, annotation FROM read_parquet(?) ORDER BY warc_offset",
            [str(folder / "pages.parquet")],
        ).fetchall()
    finally:
        con.close()


def load_shards(db: Path, shard_dir: Path, results: list[ShardResult], *,
                lock_timeout_s: float = 30.0) -> LoadSummary:
    """Load every finished shard not yet in the store; resolve events when anything is new."""
    from pipeline.process import DuplicateFinder, region_reference
    from pipeline.resolve import resolve_events

    started = time.monotonic()
    loaded = already = pages = articles = new_articles = duplicates = 0
    events: int | None = None
    with Store(db, lock_timeout_s=lock_timeout_s) as store:
        store.ensure_regions(region_reference())
        done = store.loaded_backfill_shards()
        pending = sorted((r for r in results if r.shard_id not in done), key=lambda r: (r.warc_file, r.start))
        already = len(results) - len(pending)
        finder = DuplicateFinder(store) if pending else None
        before = store.query("SELECT count(*) FROM articles")[0][0]
        for result in pending:
            raw: list[RawPage] = []
            processed: list[ProcessedPage] = []
            for (pid, source_id, url, warc_file, offset, warc_date, content_type, size, digest, status, article_json,
                 annotation_json) in _shard_pages(shard_dir / result.shard_id):
                raw.append(RawPage(pid, source_id, url, url, warc_date.replace("Z", "") or None, 200, content_type,
                                   f"warc:{warc_file}@{offset}", digest or "", size, "warc"))
                if article_json is None:
                    processed.append(ProcessedPage(pid, status, EXTRACTOR_VERSION))
                    continue
                article = ExtractedArticle(**json.loads(article_json))
                original, signature = finder.check(article) if finder else (None, None)
                duplicates += original is not None
                processed.append(ProcessedPage(pid, status, EXTRACTOR_VERSION, article,
                                               annotation_from_json(annotation_json), original, signature))
                articles += 1
            store.save_backfill_shard((result.shard_id, result.warc_file, result.start, result.end, result.records,
                                       len(raw), result.articles, result.error), raw, processed)
            pages += len(raw)
            loaded += 1
        new_articles = store.query("SELECT count(*) FROM articles")[0][0] - before
        if store.unresolved_backfill_shards():
            events = resolve_events(store)
            store.rebuild_search_index()
            store.mark_backfill_resolved()
    return LoadSummary(loaded, already, pages, articles, new_articles, duplicates, events,
                       time.monotonic() - started)
