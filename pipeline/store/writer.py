"""The only code that writes to the DuckDB store.

Every write is an idempotent upsert keyed by a stable id and runs inside one
transaction: a crash leaves the previous state, and a rerun of the same input
leaves the database exactly as it was.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from pipeline.records import Annotation, ExtractedArticle, Fetch, RawPage, ResolvedEvent
from pipeline.registry import Source
from pipeline.store.extensions import load_fts
from pipeline.store.connection import DEFAULT_LOCK_TIMEOUT_S, StoreError, open_connection
from pipeline.store.schema import LATEST_VERSION, MIGRATIONS
from pipeline.urls import content_id

log = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _date_part(value: str | None) -> str | None:
    return value[:10] if value and len(value) >= 10 else None


class Store:
    """A read-write handle on the database; use as a context manager."""

    def __init__(self, path: Path | str, *, lock_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S) -> None:
        self.path = Path(path)
        self.con = open_connection(self.path, read_only=False, lock_timeout_s=lock_timeout_s)
        try:
            self.migrate()
        except Exception:
            self.con.close()
            raise

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.con.execute("CHECKPOINT")
        except duckdb.Error:
            pass
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
            self.con.execute(
                "CREATE TABLE IF NOT EXISTS schema_version "
                "(version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)"
            )
        for migration in MIGRATIONS:
            if migration.version <= current:
                continue
            with self.transaction() as con:
                for statement in migration.statements:
                    con.execute(statement)
                con.execute(
                    "INSERT INTO schema_version VALUES (?, ?, ?)",
                    [migration.version, migration.description, _now()],
                )
            log.info("migrated %s to schema version %d", self.path, migration.version)
        return LATEST_VERSION

    # -- sources and crawl records -----------------------------------------

    def upsert_sources(self, sources: Iterable[Source]) -> int:
        rows = [
            (s.id, s.name, s.home, s.kind, list(s.regions), s.timezone, s.verified, _now()) for s in sources
        ]
        if not rows:
            return 0
        with self.transaction() as con:
            con.executemany("INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        return len(rows)

    def record_fetches(self, fetches: Sequence[Fetch]) -> int:
        rows = [
            (f.fetch_id, f.crawl_id, f.source_id, f.url, f.status, f.error, f.duration_ms,
             f.fetched_at, f.size_bytes, f.content_type, f.page_id)
            for f in fetches
        ]
        if not rows:
            return 0
        with self.transaction() as con:
            con.executemany("INSERT OR REPLACE INTO fetches VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
        return len(rows)

    def upsert_raw_pages(self, pages: Sequence[RawPage]) -> int:
        """Insert pages not yet known; a page already stored keeps its extraction state."""
        rows = [
            (p.page_id, p.source_id, p.url, p.final_url, p.fetched_at, p.http_status, p.content_type,
             p.path, p.sha256, p.size_bytes, p.discovered_via, p.discovered_from, p.listed_date)
            for p in pages
        ]
        if not rows:
            return 0
        with self.transaction() as con:
            con.executemany(
                "INSERT INTO raw_pages VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?, NULL, NULL) "
                "ON CONFLICT (page_id) DO NOTHING",
                rows,
            )
        return len(rows)

    # -- articles and annotations -------------------------------------------

    def upsert_article(self, article: ExtractedArticle, *, duplicate_of: str | None = None,
                       minhash: bytes | None = None) -> None:
        """Store an article and its URL aliases; a later copy of the same story updates it."""
        with self.transaction() as con:
            _upsert_article(con, article, duplicate_of, minhash)

    def replace_annotation(self, article_id: str, annotation: Annotation) -> None:
        """Swap an article's annotations for new ones in one transaction (idempotent by article)."""
        with self.transaction() as con:
            _replace_annotation(con, article_id, annotation)

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
        with self.transaction() as con:
            if article is not None:
                _upsert_article(con, article, duplicate_of, minhash)
                if annotation is not None:
                    _replace_annotation(con, article.article_id, annotation)
            con.execute(
                "UPDATE raw_pages SET extracted_with = ?, extract_status = ? WHERE page_id = ?",
                [extractor_version, status, page_id],
            )

    def replace_events(self, events: Sequence[ResolvedEvent], resolver_version: str) -> int:
        """Replace the resolved real-world events wholesale (resolution is global, so is its output)."""
        with self.transaction() as con:
            con.execute("DELETE FROM event_articles")
            con.execute("DELETE FROM events")
            rows = [
                (e.event_id, e.type, e.date, e.organizer, e.organizer_region, e.venue, e.venue_region, e.online,
                 list(e.participant_regions), resolver_version, _now())
                for e in events
            ]
            if rows:
                con.executemany("INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
            links = [
                (e.event_id, mention_id, article_id)
                for e in events
                for mention_id, article_id in zip(e.mention_ids, e.article_ids, strict=True)
            ]
            if links:
                con.executemany("INSERT OR REPLACE INTO event_articles VALUES (?,?,?)", links)
        return len(events)

    def ensure_regions(self, rows: Sequence[tuple[str, str, str, str, str]]) -> int:
        """Load the region reference table (code, kind, name, province_code, province_name) when it differs."""
        current = self.query("SELECT count(*) FROM regions")[0][0]
        if current == len(rows):
            return 0
        with self.transaction() as con:
            con.execute("DELETE FROM regions")
            con.executemany("INSERT INTO regions VALUES (?, ?, ?, ?, ?)", list(rows))
        return len(rows)

    def rebuild_search_index(self) -> None:
        """Full-text index over article titles and texts (DuckDB fts; rebuilt after each load)."""
        load_fts(self.con)
        self.con.execute(
            "PRAGMA create_fts_index('articles', 'article_id', 'title', 'text', stemmer = 'none', "
            "stopwords = 'none', strip_accents = 1, lower = 1, overwrite = 1)"
        )

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
                con.executemany("INSERT OR REPLACE INTO event_mention_vectors VALUES (?, ?, ?)", rows)

    # -- reads the writer needs ------------------------------------------------

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.con.execute(sql, list(params)).fetchall()


def event_mention_id(article_id: str, index: int, event_type: str) -> str:
    return content_id(article_id, "event", str(index), event_type)


def _upsert_article(con: duckdb.DuckDBPyConnection, article: ExtractedArticle, duplicate_of: str | None,
                    minhash: bytes | None = None) -> None:
    con.execute(
        "INSERT INTO articles (article_id, canonical_url, url, source_id, page_id, title, text, published, "
        "published_date, published_source, author, lang, content_hash, duplicate_of, extractor_version, "
        "updated_at, minhash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT (article_id) DO UPDATE SET canonical_url = excluded.canonical_url, url = excluded.url, "
        "source_id = excluded.source_id, page_id = excluded.page_id, title = excluded.title, text = excluded.text, "
        "published = excluded.published, published_date = excluded.published_date, "
        "published_source = excluded.published_source, author = excluded.author, lang = excluded.lang, "
        "content_hash = excluded.content_hash, duplicate_of = excluded.duplicate_of, "
        "extractor_version = excluded.extractor_version, updated_at = excluded.updated_at, "
        "minhash = excluded.minhash",
        [
            article.article_id, article.canonical_url, article.url, article.source_id, article.page_id,
            article.title, article.text, article.published, _date_part(article.published),
            article.published_source, article.author, article.lang, article.content_hash, duplicate_of,
            article.extractor_version, _now(), minhash,
        ],
    )
    for url in {article.url, article.canonical_url}:
        con.execute("INSERT OR REPLACE INTO article_aliases VALUES (?, ?)", [url, article.article_id])


def _replace_annotation(con: duckdb.DuckDBPyConnection, article_id: str, annotation: Annotation) -> None:
    version = annotation.annotator_version
    for table in ("official_mentions", "region_mentions", "event_mentions"):
        con.execute(f"DELETE FROM {table} WHERE article_id = ?", [article_id])
    con.execute(
        "UPDATE articles SET relevant = ?, annotator_version = ?, updated_at = ? WHERE article_id = ?",
        [annotation.relevant, version, _now(), article_id],
    )
    official_rows: dict[str, tuple[Any, ...]] = {}
    for o in annotation.officials:
        oid = content_id(article_id, o.name, o.title or "")
        official_rows.setdefault(oid, (oid, article_id, o.name, o.title, o.region, o.region_code,
                                       o.institution, version))
    if official_rows:
        con.executemany("INSERT INTO official_mentions VALUES (?,?,?,?,?,?,?,?)", list(official_rows.values()))
    region_rows = {
        content_id(article_id, m.code, str(m.start), str(m.end)): (
            content_id(article_id, m.code, str(m.start), str(m.end)), article_id, m.code, m.name,
            m.surface, m.start, m.end, m.role, version)
        for m in annotation.regions
    }
    if region_rows:
        con.executemany("INSERT INTO region_mentions VALUES (?,?,?,?,?,?,?,?,?)", list(region_rows.values()))
    event_rows = [
        (event_mention_id(article_id, index, e.type), article_id, e.type, e.date, e.date_text,
         e.organizer, e.organizer_region, e.venue, e.venue_region, e.online,
         list(e.participant_regions), json.dumps([asdict(f) for f in e.figures]), e.evidence, version)
        for index, e in enumerate(annotation.events)
    ]
    if event_rows:
        con.executemany("INSERT INTO event_mentions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", event_rows)
