"""The only code that writes to the DuckDB store.

Every write is an idempotent upsert keyed by a stable id and runs inside one
transaction: a crash leaves the previous state, and a rerun of the same input
leaves the database exactly as it was.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from pipeline.records import Annotation, ExtractedArticle, Fetch, HttpValidator, RawPage, ResolvedEvent
from pipeline.registry import Source
from pipeline.store.connection import DEFAULT_LOCK_TIMEOUT_S, StoreError, damaged, is_damage, open_connection
from pipeline.store.rows import (
    insert_raw_pages,
    insert_select,
    now_utc,
    raw_page_row,
    replace_annotation_rows,
    replace_annotation_rows_many,
    update_columns,
    upsert_article,
    upsert_articles,
)
from pipeline.store.schema import LATEST_VERSION, MIGRATIONS, Migration

log = logging.getLogger(__name__)



# DuckDB's own default is 80 % of the machine's memory. Rebuilding DuckDB's full-text index (since replaced
# by pipeline.store.search) over 300k articles then peaked at 5.3 GB; with 512 MB it spills to a temporary
# folder beside the file and the process peaks at 0.8 GB. ``PANTAU_DB_MEMORY_LIMIT`` overrides it (a DuckDB size, "4GB").
ENV_MEMORY_LIMIT = "PANTAU_DB_MEMORY_LIMIT"
DEFAULT_MEMORY_LIMIT = "512MB"


@dataclass(frozen=True)
class ProcessedPage:
    """What processing one stored page yields, for :meth:`Store.save_processed_pages`."""

    page_id: str
    status: str  # ok | rejected: ... | error: ...
    extractor_version: str | None  # None: not done (an error to retry on the next run)
    article: ExtractedArticle | None = None
    annotation: Annotation | None = None
    duplicate_of: str | None = None
    minhash: bytes | None = None
    failures: int = 0  # runs in a row this page failed with this same error


class Store:
    """A read-write handle on the database; use as a context manager."""

    def __init__(self, path: Path | str, *, lock_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S) -> None:
        self.path = Path(path)
        self.con = open_connection(self.path, read_only=False, lock_timeout_s=lock_timeout_s)
        try:
            self._limit_memory(os.environ.get(ENV_MEMORY_LIMIT) or DEFAULT_MEMORY_LIMIT)
            self.migrate()
        except duckdb.Error as exc:
            self.con.close()
            if is_damage(exc):
                raise damaged(self.path, exc) from exc
            raise
        except Exception:
            self.con.close()
            raise

    def _limit_memory(self, limit: str) -> None:
        try:
            self.con.execute("SET memory_limit = ?", [limit])
        except duckdb.Error as exc:
            raise StoreError(f"{ENV_MEMORY_LIMIT}={limit!r} is not a memory size DuckDB understands "
                             f"(for example 512MB or 4GB): {exc}") from exc

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with suppress(duckdb.Error):
            self.con.execute("CHECKPOINT")
        self.con.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    # -- schema -------------------------------------------------------------

    def schema_version(self) -> int:
        exists = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
        ).fetchone()
        if not exists or not exists[0]:
            return 0
        row = self.con.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def migrate(self) -> int:
        """Bring the file to the latest schema; each migration is one transaction."""
        current = self.schema_version()
        if current > LATEST_VERSION:
            raise StoreError(
                f"{self.path} has schema version {current}, newer than this Pantau ({LATEST_VERSION}); upgrade Pantau"
            )
        if current == 0:
            tables = self.con.execute(
                "SELECT table_name FROM information_schema.tables ORDER BY table_name LIMIT 4").fetchall()
            if tables:  # someone else's database: adding Pantau's tables to it would be vandalism
                names = ", ".join(name for (name,) in tables)
                raise StoreError(f"{self.path} is a DuckDB database but not Pantau's (it has tables such as "
                                 f"{names} and no schema_version); refusing to change it. Name another --db path")
            self.con.execute(
                "CREATE TABLE IF NOT EXISTS schema_version "
                "(version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)"
            )
        self.con.execute("CREATE TABLE IF NOT EXISTS migration_progress (version INTEGER PRIMARY KEY, position BIGINT)")
        for migration in MIGRATIONS:
            if migration.version <= current:
                continue
            self._apply(migration)
            log.info("migrated %s to schema version %d", self.path, migration.version)
        return LATEST_VERSION

    def _apply(self, migration: Migration) -> None:
        """Statements, then the batched fill if any, then the version (see ``pipeline.store.schema``)."""
        started = self.query("SELECT position FROM migration_progress WHERE version = ?", [migration.version])
        if not started:
            with self.transaction() as con:
                for statement in migration.statements:
                    con.execute(statement)
                if migration.fill is not None:
                    con.execute("INSERT INTO migration_progress VALUES (?, 0)", [migration.version])
                else:
                    self._record_version(con, migration)
            if migration.fill is None:
                return
        position: int | None = started[0][0] if started else 0
        assert migration.fill is not None
        while position is not None:
            with self.transaction() as con:
                position = migration.fill(con, position, migration.fill_batch)
                if position is None:
                    con.execute("DELETE FROM migration_progress WHERE version = ?", [migration.version])
                    self._record_version(con, migration)
                else:
                    con.execute("UPDATE migration_progress SET position = ? WHERE version = ?",
                                [position, migration.version])
            log.debug("schema version %d: filled up to %s", migration.version, position)

    @staticmethod
    def _record_version(con: duckdb.DuckDBPyConnection, migration: Migration) -> None:
        con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [migration.version, migration.description, now_utc()])

    # -- sources and crawl records -----------------------------------------

    def upsert_sources(self, sources: Iterable[Source]) -> int:
        rows = [
            (s.id, s.name, s.home, s.kind, list(s.regions), s.timezone, s.verified, now_utc()) for s in sources
        ]
        if not rows:
            return 0
        latest = {row[0]: row for row in rows}
        with self.transaction() as con:
            insert_select(con, "INSERT OR REPLACE INTO sources", list(latest.values()),
                           ("VARCHAR",) * 4 + ("VARCHAR[]", "VARCHAR", "BOOLEAN", "TIMESTAMP"))
        return len(rows)

    def record_fetches(self, fetches: Sequence[Fetch]) -> int:
        rows = [
            (f.fetch_id, f.crawl_id, f.source_id, f.url, f.status, f.error, f.duration_ms,
             f.fetched_at, f.size_bytes, f.content_type, f.page_id)
            for f in fetches
        ]
        if not rows:
            return 0
        latest = {row[0]: row for row in rows}  # one statement: a fetch recorded twice keeps its last record
        with self.transaction() as con:
            insert_select(con, "INSERT OR REPLACE INTO fetches", list(latest.values()),
                           ("VARCHAR",) * 4 + ("INTEGER", "VARCHAR", "DOUBLE", "TIMESTAMP", "BIGINT", "VARCHAR",
                                                "VARCHAR"))
        return len(rows)

    def upsert_raw_pages(self, pages: Sequence[RawPage]) -> int:
        """Insert pages not yet known; a page already stored keeps its extraction state, unless its
        processing failed: a page fetched again (its raw file was missing or broken) is processed again."""
        rows = [raw_page_row(p) for p in pages]
        if not rows:
            return 0
        first: dict[str, tuple[Any, ...]] = {}
        for row in rows:  # one statement: a page listed twice keeps its first record
            first.setdefault(row[0], row)
        with self.transaction() as con:
            insert_raw_pages(con, list(first.values()),
                             " ON CONFLICT (page_id) DO UPDATE SET extracted_with = NULL, extract_failures = 0 "
                             "WHERE raw_pages.extract_status LIKE 'error:%'")
        return len(rows)

    # -- articles and annotations -------------------------------------------

    def upsert_article(self, article: ExtractedArticle, *, duplicate_of: str | None = None,
                       minhash: bytes | None = None) -> None:
        """Store an article and its URL aliases; a later copy of the same story updates it."""
        with self.transaction() as con:
            upsert_article(con, article, duplicate_of, minhash)

    def replace_annotation(self, article_id: str, annotation: Annotation) -> None:
        """Swap an article's annotations for new ones in one transaction (idempotent by article)."""
        with self.transaction() as con:
            replace_annotation_rows(con, article_id, annotation)

    def replace_annotations(self, annotations: dict[str, Annotation]) -> None:
        """Many articles' annotations swapped in one transaction (re-annotation after a model change)."""
        with self.transaction() as con:
            replace_annotation_rows_many(con, annotations)

    def save_articles(self, items: Sequence[tuple[ExtractedArticle, Annotation, str | None, bytes | None]]) -> None:
        """Articles that came as input, not from stored pages, with their annotations, in one transaction.

        ``items`` are (article, annotation, duplicate_of, minhash); a later item with the same id wins.
        """
        latest = {article.article_id: (article, annotation, original, signature)
                  for article, annotation, original, signature in items}
        with self.transaction() as con:
            upsert_articles(con, [(a, original, signature) for a, _, original, signature in latest.values()])
            replace_annotation_rows_many(con, {article_id: item[1] for article_id, item in latest.items()})

    def save_processed_page(
        self,
        page_id: str,
        status: str,
        extractor_version: str,
        article: ExtractedArticle | None = None,
        annotation: Annotation | None = None,
        duplicate_of: str | None = None,
        minhash: bytes | None = None,
    ) -> None:
        """Everything one page yields, in one transaction: a crash leaves the page unprocessed."""
        self.save_processed_pages([ProcessedPage(page_id, status, extractor_version, article, annotation,
                                                 duplicate_of, minhash)])

    def save_processed_pages(self, pages: Sequence[ProcessedPage]) -> None:
        """Everything a batch of pages yields, in one transaction: a crash leaves the whole batch unprocessed.

        The rows are those of saving the pages one by one in order (a later page that yields the same
        article wins), written with one statement per table: per-statement and per-commit costs, not
        the rows, were what made saving slow.
        """
        if not pages:
            return
        articles: dict[str, ProcessedPage] = {}
        annotations: dict[str, Annotation] = {}
        for page in pages:
            if page.article is not None:
                articles.pop(page.article.article_id, None)  # re-insert so the dict keeps the last one in order
                articles[page.article.article_id] = page
                if page.annotation is not None:
                    annotations[page.article.article_id] = page.annotation
        statuses = {page.page_id: (page.extractor_version, page.status, page.failures) for page in pages}
        with self.transaction() as con:
            upsert_articles(con, [(p.article, p.duplicate_of, p.minhash) for p in articles.values()
                                   if p.article is not None])
            replace_annotation_rows_many(con, annotations)
            update_columns(
                con, "raw_pages", "page_id", ("extracted_with", "extract_status", "extract_failures"),
                [(page_id, version, status, failures) for page_id, (version, status, failures) in statuses.items()],
                ("VARCHAR", "VARCHAR", "VARCHAR", "INTEGER"),
            )

    def replace_events(self, events: Sequence[ResolvedEvent], resolver_version: str) -> int:
        """Replace the resolved real-world events wholesale (a full resolution); nothing is left pending."""
        with self.transaction() as con:
            con.execute("DELETE FROM event_articles")
            con.execute("DELETE FROM events")
            self._insert_events(con, events, resolver_version)
            con.execute("DELETE FROM resolution_pending")
            con.execute("DELETE FROM resolution_departed")
        return len(events)

    def replace_events_of(self, replaced: Collection[str], events: Sequence[ResolvedEvent], resolver_version: str,
                          resolved_articles: Collection[str]) -> int:
        """Swap the events ``replaced`` (ids) for ``events``, and mark ``resolved_articles`` resolved, in one
        transaction: the events of one neighbourhood of an incremental resolution (``pipeline.resolve``)."""
        gone, articles = list(replaced), list(resolved_articles)
        with self.transaction() as con:
            if gone:
                con.execute("DELETE FROM event_articles WHERE event_id IN (SELECT unnest(CAST(? AS VARCHAR[])))",
                            [gone])
                con.execute("DELETE FROM events WHERE event_id IN (SELECT unnest(CAST(? AS VARCHAR[])))", [gone])
            self._insert_events(con, events, resolver_version)
            if articles:
                for table in ("resolution_pending", "resolution_departed"):
                    con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(CAST(? AS VARCHAR[])))",
                                [articles])
        return len(events)

    @staticmethod
    def _insert_events(con: duckdb.DuckDBPyConnection, events: Sequence[ResolvedEvent], resolver_version: str) -> None:
        rows = [
            (e.event_id, e.type, e.date, e.organizer, e.organizer_region, e.venue, e.venue_region, e.online,
             list(e.participant_regions), resolver_version, now_utc())
            for e in events
        ]
        insert_select(con, "INSERT INTO events", rows,
                       ("VARCHAR", "VARCHAR", "DATE") + ("VARCHAR",) * 4
                       + ("BOOLEAN", "VARCHAR[]", "VARCHAR", "TIMESTAMP"))
        links = {
            (e.event_id, mention_id): (e.event_id, mention_id, article_id)
            for e in events
            for mention_id, article_id in zip(e.mention_ids, e.article_ids, strict=True)
        }
        insert_select(con, "INSERT OR REPLACE INTO event_articles", list(links.values()), ("VARCHAR",) * 3)

    def pending_resolution(self) -> list[str]:
        """Articles whose event mentions changed since their events were last resolved."""
        return [article_id for (article_id,) in self.query("SELECT article_id FROM resolution_pending")]

    def ensure_regions(self, rows: Sequence[tuple[str, str, str, str, str]]) -> int:
        """Load the region reference table (code, kind, name, province_code, province_name) when it differs."""
        current = self.query("SELECT count(*) FROM regions")[0][0]
        if current == len(rows):
            return 0
        with self.transaction() as con:
            con.execute("DELETE FROM regions")
            insert_select(con, "INSERT INTO regions", list(rows), ("VARCHAR",) * 5)
        return len(rows)

    def cached_vectors(self, mention_ids: Sequence[str], model: str) -> dict[str, list[float]]:
        if not mention_ids:
            return {}
        rows = self.con.execute(
            "SELECT mention_id, vector FROM event_mention_vectors WHERE model = ? AND list_contains(?, mention_id)",
            [model, list(mention_ids)],
        ).fetchall()
        return {mention_id: vector for mention_id, vector in rows}

    def cache_vectors(self, vectors: dict[str, Any], model: str) -> None:
        rows = [(mention_id, model, [float(x) for x in vector]) for mention_id, vector in vectors.items()]
        if rows:
            with self.transaction() as con:
                insert_select(con, "INSERT OR REPLACE INTO event_mention_vectors", rows,
                               ("VARCHAR", "VARCHAR", "FLOAT[]"))

    # -- outlet health, conditional GET, alerts (schema v7) -----------------------

    def mark_verified(self, articles_by_source: dict[str, int]) -> int:
        """Record outlets confirmed by real extracted articles; the first confirmation is kept."""
        rows = [(sid, now_utc(), n) for sid, n in articles_by_source.items() if sid and n > 0]
        with self.transaction() as con:
            insert_select(con, "INSERT INTO source_verifications", rows, ("VARCHAR", "TIMESTAMP", "INTEGER"),
                           " ON CONFLICT (source_id) DO NOTHING")
        return len(rows)

    def upsert_validators(self, validators: Sequence[HttpValidator]) -> int:
        """ETag / Last-Modified per URL, the latest seen winning; ``forget`` records delete theirs."""
        latest = {v.url: v for v in validators}
        rows = [(v.url, v.source_id, v.role, v.etag, v.last_modified, now_utc()) for v in latest.values() if not v.forget]
        forgotten = [v.url for v in latest.values() if v.forget]
        with self.transaction() as con:
            if forgotten:
                con.execute("DELETE FROM http_validators WHERE url IN (SELECT unnest(CAST(? AS VARCHAR[])))",
                            [forgotten])
            insert_select(con, "INSERT OR REPLACE INTO http_validators", rows, ("VARCHAR",) * 5 + ("TIMESTAMP",))
        return len(latest)

    def record_alerts_sent(self, rows: Sequence[tuple[str, str, str | None, str | None, list[str]]]) -> int:
        """(watch, event_id, event_type, event_date, mention_ids) notified now; a pair already recorded stays."""
        stamped = [(*row, now_utc()) for row in rows]
        with self.transaction() as con:
            insert_select(con, "INSERT INTO alerts_sent", stamped,
                           ("VARCHAR", "VARCHAR", "VARCHAR", "DATE", "VARCHAR[]", "TIMESTAMP"),
                           " ON CONFLICT (watch, event_id) DO NOTHING")
        return len(stamped)

    # -- backfill from web archives (schema v9) ------------------------------------

    def loaded_backfill_shards(self) -> dict[str, tuple[str, str]]:
        """shard_id -> (extractor_version, annotator_version) it was loaded with."""
        rows = self.query("SELECT shard_id, extractor_version, annotator_version FROM backfill_shards")
        return {row[0]: (row[1], row[2]) for row in rows}

    def save_backfill_shard(self, shard: tuple[str, str, int, int | None, int, int, int, str | None, str, str],
                            pages: Sequence[RawPage], processed: Sequence[ProcessedPage]) -> None:
        """A WARC shard's pages, articles and annotations and its own row, in one transaction.

        ``shard`` is (shard_id, warc_file, start, end, records, pages, articles, error, extractor_version,
        annotator_version). A crash leaves the shard unloaded, so the rerun loads it whole; a shard loaded
        again (built by newer versions) replaces its articles' rows and annotations and its own row.
        """
        articles: dict[str, ProcessedPage] = {}
        for page in processed:
            if page.article is not None:
                articles.pop(page.article.article_id, None)
                articles[page.article.article_id] = page
        page_rows = {p.page_id: raw_page_row(p) for p in pages}
        with self.transaction() as con:
            insert_raw_pages(con, list(page_rows.values()), " ON CONFLICT (page_id) DO NOTHING")
            upsert_articles(con, [(p.article, p.duplicate_of, p.minhash) for p in articles.values()
                                   if p.article is not None])
            replace_annotation_rows_many(con, {a: p.annotation for a, p in articles.items() if p.annotation is not None})
            update_columns(con, "raw_pages", "page_id", ("extracted_with", "extract_status"),
                            [(p.page_id, p.extractor_version, p.status) for p in processed],
                            ("VARCHAR", "VARCHAR", "VARCHAR"))
            con.execute("INSERT OR REPLACE INTO backfill_shards (shard_id, warc_file, start_offset, end_offset, "
                        "records, pages, articles, error, extractor_version, annotator_version, loaded_at, resolved) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false)", [*shard, now_utc()])

    def unresolved_backfill_shards(self) -> int:
        return int(self.query("SELECT count(*) FROM backfill_shards WHERE NOT resolved")[0][0])

    def mark_backfill_resolved(self) -> None:
        """Events were resolved over every loaded shard (a run killed before that resolves on the rerun)."""
        with self.transaction() as con:
            con.execute("UPDATE backfill_shards SET resolved = true WHERE NOT resolved")

    # -- duplicate keys (schema v12) ----------------------------------------------

    def prune_minhash_bands(self, cutoff: date | None) -> int:
        """Drop band keys of originals published before ``cutoff`` (or undated; all of them when None).

        They can never be near-copy candidates again: the window only moves forward. Pruned at the start of
        each run, the table holds one window of originals plus what the run adds, whatever the archive's size.
        """
        where = "published_date IS NULL OR published_date < ?" if cutoff is not None else "true"
        with self.transaction() as con:
            row = con.execute(f"DELETE FROM minhash_bands WHERE {where}", [cutoff] if cutoff is not None else []
                              ).fetchone()
        return int(row[0]) if row else 0

    # -- reads the writer needs ------------------------------------------------

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._query(sql, params)
        except duckdb.Error as exc:
            if is_damage(exc):
                raise damaged(self.path, exc) from exc
            raise

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, list(params)).fetchall()
