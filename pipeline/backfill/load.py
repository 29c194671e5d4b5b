"""The writer's side of a backfill: finished shards -> the store, once each; events resolved once at the end.

Shards are loaded in a fixed order (file, then offset), one transaction each,
through ``Store.save_backfill_shard``; the shard's row in ``backfill_shards``
is written in the same transaction, so a shard is loaded entirely or not at
all and a rerun skips it. Duplicates are found as a crawl finds them (the
``DuplicateFinder`` over the store), which needs one process seeing every
article in order: that is why it runs here and not on the workers.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

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
            "status, article, annotation, minhash FROM read_parquet(?) ORDER BY warc_offset",
            [str(folder / "pages.parquet")],
        ).fetchall()
    finally:
        con.close()


class ShardLoader:
    """The one writer of a backfill, loading shards one by one as the workers finish them.

    Open for the whole run, so the store's setup (and the import of the annotation stack that
    ``DuplicateFinder`` brings) and the loading of early shards overlap the workers' later ones.
    Callers feed shards in a fixed order (file, then offset): which of two copies of a story is the
    original depends on it, as in a crawl.
    """

    def __init__(self, db: Path, shard_dir: Path, *, lock_timeout_s: float = 30.0) -> None:
        from pipeline.process import region_reference

        self.shard_dir = shard_dir
        self.started = time.monotonic()
        self.store = Store(db, lock_timeout_s=lock_timeout_s)
        try:
            self.store.ensure_regions(region_reference())
            self.done = self.store.loaded_backfill_shards()
            self.before = self.store.query("SELECT count(*) FROM articles")[0][0]
        except BaseException:
            self.store.close()
            raise
        self.finder: Any = None
        self.loaded = self.already = self.pages = self.articles = self.duplicates = 0

    def __enter__(self) -> ShardLoader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.store.close()

    def load(self, result: ShardResult) -> bool:
        """Load one finished shard unless the store has it from the same versions; True when loaded now."""
        if self.done.get(result.shard_id) == (result.extractor_version, result.annotator_version):
            self.already += 1
            return False
        if self.finder is None:
            from pipeline.duplicates import DuplicateFinder

            self.finder = DuplicateFinder(self.store)
        raw: list[RawPage] = []
        processed: list[ProcessedPage] = []
        rows = _shard_pages(self.shard_dir / result.shard_id)
        # A shard loaded again (newer versions) keeps the duplicate links found when it was first loaded in
        # order: the finder is seeded with recent signatures only, so an older original may be out of its sight.
        linked = dict(self.store.query(
            "SELECT page_id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL "
            "AND list_contains(?, page_id)", [[row[0] for row in rows]])) if result.shard_id in self.done else {}
        checked: list[tuple[ExtractedArticle, np.ndarray | None]] = []
        for (pid, source_id, url, warc_file, offset, warc_date, content_type, size, digest, status, article_json,
             annotation_json, minhash) in rows:
            raw.append(RawPage(pid, source_id, url, url, warc_date.replace("Z", "") or None, 200, content_type,
                               f"warc:{warc_file}@{offset}", digest or "", size, "warc"))
            if article_json is None:
                processed.append(ProcessedPage(pid, status, EXTRACTOR_VERSION))
                continue
            article = ExtractedArticle(**json.loads(article_json))
            checked.append((article, np.frombuffer(minhash, dtype=np.uint64) if minhash else None))
            processed.append(ProcessedPage(pid, status, EXTRACTOR_VERSION, article,
                                           annotation_from_json(annotation_json), None, minhash))
        # The whole shard is checked in one call, with the MinHash signatures the workers computed.
        originals = iter(self.finder.check_many(checked))
        for i, page in enumerate(processed):
            if page.article is not None:
                original = next(originals) or linked.get(page.page_id)
                self.duplicates += original is not None
                processed[i] = replace(page, duplicate_of=original)
                self.articles += 1
        self.store.save_backfill_shard((result.shard_id, result.warc_file, result.start, result.end, result.records,
                                        len(raw), result.articles, result.error, result.extractor_version,
                                        result.annotator_version), raw, processed)
        self.done[result.shard_id] = (result.extractor_version, result.annotator_version)
        self.pages += len(raw)
        self.loaded += 1
        return True

    def finish(self) -> LoadSummary:
        """Resolve events once, when any shard is not yet resolved; index the articles the search index lacks."""
        from pipeline.resolve import resolve_events
        from pipeline.store.search import update_search_index

        events: int | None = None
        if self.store.unresolved_backfill_shards():
            events = resolve_events(self.store)
            self.store.mark_backfill_resolved()
        update_search_index(self.store)
        new = self.store.query("SELECT count(*) FROM articles")[0][0] - self.before
        return LoadSummary(self.loaded, self.already, self.pages, self.articles, new, self.duplicates, events,
                           time.monotonic() - self.started)


def load_shards(db: Path, shard_dir: Path, results: list[ShardResult], *,
                lock_timeout_s: float = 30.0) -> LoadSummary:
    """Load every finished shard not yet in the store, in file and offset order; resolve events if anything is new."""
    with ShardLoader(db, shard_dir, lock_timeout_s=lock_timeout_s) as loader:
        for result in sorted(results, key=lambda r: (r.warc_file, r.start)):
            loader.load(result)
        return loader.finish()
