"""The DuckDB schema, as an ordered list of forward migrations.

Only primary keys are indexed: DuckDB answers range scans from zone maps, and
extra ART indexes slow the bulk upserts that dominate the load.

A migration is applied once, inside the same transaction that records its
version, so a database is always at exactly one version. New columns or tables
go in a new migration at the end; released migrations are never edited.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


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

LATEST_VERSION = MIGRATIONS[-1].version
