"""The DuckDB schema, as an ordered list of forward migrations.

Only primary keys are indexed: DuckDB answers range scans from zone maps, and
extra ART indexes slow the bulk upserts that dominate the load.

A migration is applied once, inside the same transaction that records its
version, so a database is always at exactly one version. New columns or tables
go in a new migration at the end; released migrations are never edited.

A migration that fills a new table from a big one names a ``fill`` step: its
statements run in one transaction, then the fill runs batch by batch, each
batch in its own transaction with its position (``migration_progress``), and
the version is recorded after the last one. One transaction over ten million
rows does not fit the store's memory cap; batches do, and a fill killed
half-way resumes at its batch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from pipeline.store.duplicate_keys import fill_duplicate_keys

# (connection, position) -> the next position, or None when done; the first call gets position 0.
FillStep = Callable[[duckdb.DuckDBPyConnection, int, int], int | None]


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]
    fill: FillStep | None = None  # a batched step after the statements, see the module docstring
    fill_batch: int = 20_000  # rows of the source table per fill transaction


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "initial schema: sources, fetches, raw pages, articles, annotations, events",
        (
            """CREATE TABLE sources (
                source_id VARCHAR PRIMARY KEY,
                name VARCHAR NOT NULL,
                home VARCHAR NOT NULL,
                kind VARCHAR,
                regions VARCHAR[],
                timezone VARCHAR,
                verified BOOLEAN,
                updated_at TIMESTAMP
            )""",
            """CREATE TABLE fetches (
                fetch_id VARCHAR PRIMARY KEY,
                crawl_id VARCHAR NOT NULL,
                source_id VARCHAR,
                url VARCHAR NOT NULL,
                status INTEGER,
                error VARCHAR,
                duration_ms DOUBLE,
                fetched_at TIMESTAMP,
                size_bytes BIGINT,
                content_type VARCHAR,
                page_id VARCHAR
            )""",
            """CREATE TABLE raw_pages (
                page_id VARCHAR PRIMARY KEY,
                source_id VARCHAR,
                url VARCHAR NOT NULL,
                final_url VARCHAR,
                fetched_at TIMESTAMP,
                http_status INTEGER,
                content_type VARCHAR,
                path VARCHAR NOT NULL,
                sha256 VARCHAR,
                size_bytes BIGINT,
                discovered_via VARCHAR,
                discovered_from VARCHAR,
                listed_date VARCHAR,
                extracted_with VARCHAR,
                extract_status VARCHAR
            )""",
            """CREATE TABLE articles (
                article_id VARCHAR PRIMARY KEY,
                canonical_url VARCHAR NOT NULL,
                url VARCHAR NOT NULL,
                source_id VARCHAR,
                page_id VARCHAR,
                title VARCHAR,
                text VARCHAR,
                published VARCHAR,
                published_date DATE,
                published_source VARCHAR,
                author VARCHAR,
                lang VARCHAR,
                content_hash VARCHAR,
                duplicate_of VARCHAR,
                extractor_version VARCHAR,
                relevant BOOLEAN,
                annotator_version VARCHAR,
                updated_at TIMESTAMP
            )""",
            """CREATE TABLE article_aliases (
                url VARCHAR PRIMARY KEY,
                article_id VARCHAR NOT NULL
            )""",
            """CREATE TABLE officials (
                official_id VARCHAR PRIMARY KEY,
                article_id VARCHAR NOT NULL,
                name VARCHAR NOT NULL,
                title VARCHAR,
                region VARCHAR,
                region_code VARCHAR,
                institution VARCHAR,
                annotator_version VARCHAR
            )""",
            """CREATE TABLE region_mentions (
                mention_id VARCHAR PRIMARY KEY,
                article_id VARCHAR NOT NULL,
                region_code VARCHAR NOT NULL,
                region_name VARCHAR NOT NULL,
                surface VARCHAR,
                start_char INTEGER,
                end_char INTEGER,
                role VARCHAR,
                annotator_version VARCHAR
            )""",
            """CREATE TABLE event_mentions (
                mention_id VARCHAR PRIMARY KEY,
                article_id VARCHAR NOT NULL,
                type VARCHAR NOT NULL,
                date DATE,
                date_text VARCHAR,
                organizer VARCHAR,
                organizer_region VARCHAR,
                venue VARCHAR,
                venue_region VARCHAR,
                online BOOLEAN,
                participant_regions VARCHAR[],
                figures JSON,
                evidence VARCHAR,
                annotator_version VARCHAR
            )""",
            """CREATE TABLE events (
                event_id VARCHAR PRIMARY KEY,
                type VARCHAR NOT NULL,
                date DATE,
                organizer VARCHAR,
                organizer_region VARCHAR,
                venue VARCHAR,
                venue_region VARCHAR,
                online BOOLEAN,
                participant_regions VARCHAR[],
                resolver_version VARCHAR,
                updated_at TIMESTAMP
            )""",
            """CREATE TABLE event_articles (
                event_id VARCHAR NOT NULL,
                mention_id VARCHAR NOT NULL,
                article_id VARCHAR NOT NULL,
                PRIMARY KEY (event_id, mention_id)
            )""",
        ),
    ),
)

MIGRATIONS += (
    Migration(
        2,
        "event mention vectors: embeddings cached per mention and model",
        (
            """CREATE TABLE event_mention_vectors (
                mention_id VARCHAR NOT NULL,
                model VARCHAR NOT NULL,
                vector FLOAT[] NOT NULL,
                PRIMARY KEY (mention_id, model)
            )""",
        ),
    ),
)

_FIGURES = """'[{"what":"VARCHAR","number":"DOUBLE","scope":"VARCHAR"}]'"""

MIGRATIONS += (
    Migration(
        3,
        "regions reference table; analyst views rakor_events, event_participants, region_activity",
        (
            """CREATE TABLE regions (
                code VARCHAR PRIMARY KEY,
                kind VARCHAR NOT NULL,
                name VARCHAR NOT NULL,
                province_code VARCHAR NOT NULL,
                province_name VARCHAR NOT NULL
            )""",
            # One row per real-world neutrality rakor, with its sources.
            """CREATE VIEW rakor_events AS
            SELECT e.event_id, e.date, strftime(e.date, '%G-W%V') AS iso_week, e.organizer, e.organizer_region,
                   e.venue, e.venue_region, e.online, e.participant_regions,
                   count(DISTINCT ea.article_id) AS n_articles,
                   list(DISTINCT a.url ORDER BY a.url) AS articles
            FROM events e
            JOIN event_articles ea ON ea.event_id = e.event_id
            JOIN articles a ON a.article_id = ea.article_id
            WHERE e.type = 'rakor'
            GROUP BY ALL""",
            # One row per (event, region that took part), with the region's province.
            """CREATE VIEW event_participants AS
            SELECT p.event_id, p.type, p.date, strftime(p.date, '%G-W%V') AS iso_week, p.region,
                   r.code AS region_code, r.province_name, p.organizer, p.organizer_region
            FROM (SELECT event_id, type, date, organizer, organizer_region, unnest(participant_regions) AS region
                  FROM events) p
            LEFT JOIN regions r ON r.name = p.region""",
            # Per region and ISO week: rakor held and attended, other events, violation counts in scope.
            f"""CREATE VIEW region_activity AS
            WITH held AS (
                SELECT organizer_region AS region, strftime(date, '%G-W%V') AS iso_week,
                       count(*) FILTER (WHERE type = 'rakor') AS rakor_held,
                       count(*) FILTER (WHERE type <> 'rakor') AS other_events
                FROM events WHERE date IS NOT NULL AND organizer_region IS NOT NULL GROUP BY ALL),
            attended AS (
                SELECT region, iso_week, count(*) FILTER (WHERE type = 'rakor') AS rakor_attended
                FROM event_participants WHERE date IS NOT NULL GROUP BY ALL),
            first_report AS (
                SELECT e.event_id, e.date, arg_min(m.figures, m.mention_id) AS figures
                FROM events e JOIN event_articles ea ON ea.event_id = e.event_id
                JOIN event_mentions m ON m.mention_id = ea.mention_id
                WHERE e.type IN ('pelanggaran', 'sanksi') AND e.date IS NOT NULL GROUP BY ALL),
            violations AS (
                SELECT f.scope AS region, strftime(date, '%G-W%V') AS iso_week, sum(f.number) AS violation_count
                FROM (SELECT date, unnest(from_json(figures, {_FIGURES})) AS f FROM first_report)
                WHERE f.scope IS NOT NULL GROUP BY ALL)
            SELECT region, iso_week, coalesce(rakor_held, 0) AS rakor_held,
                   coalesce(rakor_attended, 0) AS rakor_attended, coalesce(other_events, 0) AS other_events,
                   coalesce(violation_count, 0) AS violation_count
            FROM held FULL OUTER JOIN attended USING (region, iso_week)
                 FULL OUTER JOIN violations USING (region, iso_week)""",
        ),
    ),
)

MIGRATIONS += (
    Migration(
        4,
        "officials: mention rows move to official_mentions; the officials view has one row per person",
        (
            "ALTER TABLE officials RENAME TO official_mentions",
            # One row per person and the region they serve, over relevant articles.
            """CREATE VIEW officials AS
            SELECT o.name, o.region, any_value(o.region_code) AS region_code, mode(o.institution) AS institution,
                   list(DISTINCT o.title ORDER BY o.title) AS titles,
                   count(DISTINCT o.article_id) AS articles,
                   min(a.published_date) AS first_seen, max(a.published_date) AS last_seen
            FROM official_mentions o JOIN articles a ON a.article_id = o.article_id
            WHERE a.relevant
            GROUP BY o.name, o.region""",
        ),
    ),
)

MIGRATIONS += (
    Migration(
        5,
        "articles.minhash: the near-duplicate signature, so the index reloads without re-reading texts",
        ("ALTER TABLE articles ADD COLUMN minhash BLOB",),
    ),
)

MIGRATIONS += (
    Migration(
        6,
        "evidence offsets: where in the article text an official's name and an event's evidence and trigger are; "
        "view mention_evidence",
        (
            # Character offsets into articles.text; NULL for rows annotated before, or where the words were not found.
            "ALTER TABLE official_mentions ADD COLUMN name_start INTEGER",
            "ALTER TABLE official_mentions ADD COLUMN name_end INTEGER",
            "ALTER TABLE event_mentions ADD COLUMN evidence_start INTEGER",
            "ALTER TABLE event_mentions ADD COLUMN evidence_end INTEGER",
            "ALTER TABLE event_mentions ADD COLUMN trigger_start INTEGER",
            "ALTER TABLE event_mentions ADD COLUMN trigger_end INTEGER",
            # The words each answer rests on, cut from the stored text (offsets count characters, from 0).
            """CREATE VIEW mention_evidence AS
            SELECT 'official' AS kind, o.article_id, a.url, o.official_id AS mention_id, o.name AS value,
                   o.name_start AS start_char, o.name_end AS end_char,
                   substring(a.text, o.name_start + 1, o.name_end - o.name_start) AS words
            FROM official_mentions o JOIN articles a ON a.article_id = o.article_id
            UNION ALL
            SELECT 'event', m.article_id, a.url, m.mention_id, m.type,
                   coalesce(m.trigger_start, m.evidence_start), coalesce(m.trigger_end, m.evidence_end),
                   substring(a.text, coalesce(m.trigger_start, m.evidence_start) + 1,
                             coalesce(m.trigger_end, m.evidence_end) - coalesce(m.trigger_start, m.evidence_start))
            FROM event_mentions m JOIN articles a ON a.article_id = m.article_id""",
        ),
    ),
)

MIGRATIONS += (
    Migration(
        7,
        "outlet health: verified outlets, HTTP validators per URL (conditional GET), alerts sent to analysts",
        (
            # An outlet from which a run fetched and extracted real articles; the registry YAML is not rewritten.
            """CREATE TABLE source_verifications (
                source_id VARCHAR PRIMARY KEY,
                verified_at TIMESTAMP NOT NULL,
                articles INTEGER NOT NULL
            )""",
            # ETag / Last-Modified of feeds, sitemaps and listing pages, sent back as If-None-Match /
            # If-Modified-Since so an unchanged index is answered 304 instead of downloaded again.
            """CREATE TABLE http_validators (
                url VARCHAR PRIMARY KEY,
                source_id VARCHAR,
                role VARCHAR,
                etag VARCHAR,
                last_modified VARCHAR,
                updated_at TIMESTAMP
            )""",
            # One row per (watch, event) notified, so no event is sent twice.
            """CREATE TABLE alerts_sent (
                watch VARCHAR NOT NULL,
                event_id VARCHAR NOT NULL,
                event_type VARCHAR,
                event_date DATE,
                mention_ids VARCHAR[],  -- the reports notified: an event re-keyed by a later merge is not news
                sent_at TIMESTAMP NOT NULL,
                PRIMARY KEY (watch, event_id)
            )""",
        ),
    ),
)

MIGRATIONS += (
    Migration(
        8,
        "articles.claimed_canonical_url: a canonical URL a page named on another outlet's host, kept as a claim; "
        "raw_pages.extract_failures: how many runs in a row a page failed for the same reason",
        ("ALTER TABLE articles ADD COLUMN claimed_canonical_url VARCHAR",
         # A failed page is retried on the next run; only after this many identical failures is it given up
         # (extracted_with set), until `pantau process --retry-failed`.
         "ALTER TABLE raw_pages ADD COLUMN extract_failures INTEGER"),
    ),
)

MIGRATIONS += (
    Migration(
        9,
        "backfill from web archives: the WARC shards loaded, so a rerun loads none twice",
        (
            # One row per shard (a WARC file or a byte range of one) whose pages are in raw_pages and articles.
            # Pages of a shard keep their provenance in raw_pages.path as 'warc:<file>@<offset>'.
            """CREATE TABLE backfill_shards (
                shard_id VARCHAR PRIMARY KEY,
                warc_file VARCHAR NOT NULL,
                start_offset BIGINT NOT NULL,
                end_offset BIGINT,
                records INTEGER NOT NULL,
                pages INTEGER NOT NULL,
                articles INTEGER NOT NULL,
                error VARCHAR,
                extractor_version VARCHAR NOT NULL,  -- a shard of older versions is built and loaded again
                annotator_version VARCHAR NOT NULL,
                loaded_at TIMESTAMP NOT NULL,
                resolved BOOLEAN NOT NULL DEFAULT false  -- events resolved since this shard was loaded
            )""",
        ),
    ),
)

MIGRATIONS += (
    Migration(
        10,
        "search index markers: the articles the full-text index (tantivy, beside the file) holds, in which state",
        (
            # One row per article the index has committed, with the articles.updated_at it was indexed at. A row
            # is written only after the index commit, so a crash between the two re-indexes, never loses.
            """CREATE TABLE search_indexed (
                article_id VARCHAR PRIMARY KEY,
                updated_at TIMESTAMP NOT NULL
            )""",
        ),
    ),
)

MIGRATIONS += (
    Migration(
        11,
        "incremental event resolution: articles whose event mentions changed since their events were resolved, "
        "and where the mentions they replaced reached",
        (
            # Set in the transaction that saves an article or its annotation, cleared in the one that writes the
            # events of its neighbourhood: a run killed in between leaves it here for the next run.
            """CREATE TABLE resolution_pending (
                article_id VARCHAR PRIMARY KEY,
                queued_at TIMESTAMP NOT NULL
            )""",
            # An event mention as the last resolution saw it, kept when a save replaces or re-links it: the
            # reports it was a candidate of must be resolved again too (pipeline.resolve_scope).
            """CREATE TABLE resolution_departed (
                mention_id VARCHAR PRIMARY KEY,
                article_id VARCHAR NOT NULL,
                type VARCHAR NOT NULL,
                date DATE,
                date_text VARCHAR,
                organizer_region VARCHAR,
                venue VARCHAR,
                venue_region VARCHAR,
                participant_regions VARCHAR[],
                original_article VARCHAR NOT NULL,
                published_date DATE
            )""",
            # A store resolved before this version may hold articles a killed run never resolved: queue every
            # article with event mentions (the next run then resolves everything once).
            "INSERT INTO resolution_pending SELECT DISTINCT article_id, now()::TIMESTAMP FROM event_mentions",
        ),
    ),
)

MIGRATIONS += (
    Migration(
        12,
        "duplicate keys looked up by index: canonical URL keys, content hashes, MinHash band keys",
        (
            # canonical_url() of each stored article's URL and canonical URL -> the article first stored under it.
            """CREATE TABLE duplicate_url_keys (
                url_key VARCHAR PRIMARY KEY,
                article_id VARCHAR NOT NULL
            )""",
            # The text hash of each original.
            """CREATE TABLE duplicate_content_keys (
                content_hash VARCHAR PRIMARY KEY,
                article_id VARCHAR NOT NULL
            )""",
            # One row per LSH band (32 of 4 rows) of each original's MinHash signature: near-copy candidates.
            # Rows outside the near-duplicate window are pruned by each run's DuplicateFinder.
            """CREATE TABLE minhash_bands (
                band_key UBIGINT NOT NULL,
                article_id VARCHAR NOT NULL,
                published_date DATE
            )""",
        ),
        fill=fill_duplicate_keys,
    ),
)

LATEST_VERSION = MIGRATIONS[-1].version
