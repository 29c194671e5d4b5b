"""How records become rows: the SQL that upserts articles and replaces their annotations.

Split from ``writer`` so the ``Store`` keeps the connection, transactions and the write API, and this module
the column lists and bulk statements. Only ``writer`` (and tests that build rows by hand) import it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

import duckdb

from pipeline.records import Annotation, ExtractedArticle, RawPage
from pipeline.store.duplicate_keys import write_duplicate_keys
from pipeline.store.keyed import chunks, in_list
from pipeline.urls import content_id


def now_utc() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def date_part(value: str | None) -> str | None:
    return value[:10] if value and len(value) >= 10 else None


def event_mention_id(article_id: str, index: int, event_type: str) -> str:
    return content_id(article_id, "event", str(index), event_type)


def insert_select(con: duckdb.DuckDBPyConnection, head: str, rows: Sequence[Sequence[Any]],
                   types: Sequence[str], tail: str = "") -> None:
    """``head`` + SELECT of the rows, passed as one typed list per column and unnested side by side."""
    if not rows:
        return
    columns = [list(column) for column in zip(*rows, strict=True)]
    select = ", ".join(f"unnest(CAST(? AS {t}[]))" for t in types)
    con.execute(f"{head} SELECT {select}{tail}", columns)


def update_columns(con: duckdb.DuckDBPyConnection, table: str, key: str, columns: Sequence[str],
                    rows: Sequence[Sequence[Any]], types: Sequence[str]) -> None:
    """Set ``columns`` of the rows of ``table`` keyed by ``key`` (its primary key); each row is (key, value...).

    The rows to change are found through the key's index (``keyed.in_list``), a few hundred at a time: a join
    alone would scan the whole table, a cost that grows with the archive.
    """
    names = [key, *columns]
    select = ", ".join(f"unnest(CAST(? AS {t}[])) AS {n}" for n, t in zip(names, types, strict=True))
    assignments = ", ".join(f"{c} = v.{c}" for c in columns)
    for part in chunks(list(rows)):
        values = [list(column) for column in zip(*part, strict=True)]
        con.execute(f"UPDATE {table} SET {assignments} FROM (SELECT {select}) v WHERE {table}.{key} = v.{key} "
                    f"AND {in_list(f'{table}.{key}', values[0])}", [*values, *values[0]])


def annotated_ids(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> list[str]:
    """The ids among ``article_ids`` of stored articles that carry an annotation (mentions to replace).

    A new article has none: its save skips the deletes and captures, which scan the mention tables.
    """
    found: list[str] = []
    for part in chunks(list(dict.fromkeys(article_ids))):
        found += [row[0] for row in con.execute(
            f"SELECT article_id FROM articles WHERE {in_list('article_id', part)} AND annotator_version IS NOT NULL",
            list(part)).fetchall()]
    return found


RAW_PAGE_COLUMNS = ("page_id", "source_id", "url", "final_url", "fetched_at", "http_status", "content_type", "path",
                    "sha256", "size_bytes", "discovered_via", "discovered_from", "listed_date")
RAW_PAGE_TYPES = ("VARCHAR",) * 4 + ("TIMESTAMP", "INTEGER") + ("VARCHAR",) * 3 + ("BIGINT", "VARCHAR", "VARCHAR", "VARCHAR")
_ARTICLE_COLUMNS = ("article_id", "canonical_url", "url", "source_id", "page_id", "title", "text", "published",
                    "published_date", "published_source", "author", "lang", "content_hash", "duplicate_of",
                    "extractor_version", "updated_at", "minhash", "claimed_canonical_url")
_ARTICLE_TYPES = ("VARCHAR",) * 8 + ("DATE",) + ("VARCHAR",) * 6 + ("TIMESTAMP", "BLOB", "VARCHAR")


def upsert_article(con: duckdb.DuckDBPyConnection, article: ExtractedArticle, duplicate_of: str | None,
                    minhash: bytes | None = None) -> None:
    upsert_articles(con, [(article, duplicate_of, minhash)])


def upsert_articles(con: duckdb.DuckDBPyConnection,
                     items: Sequence[tuple[ExtractedArticle, str | None, bytes | None]]) -> None:
    """Articles (one per id), their URL aliases and duplicate keys; a stored article is updated in place."""
    write_duplicate_keys(con, [(a, duplicate_of, minhash, date_part(a.published)) for a, duplicate_of, minhash in items])
    now = now_utc()
    rows = [
        (a.article_id, a.canonical_url, a.url, a.source_id, a.page_id, a.title, a.text, a.published,
         date_part(a.published), a.published_source, a.author, a.lang, a.content_hash, duplicate_of,
         a.extractor_version, now, minhash, a.claimed_canonical_url)
        for a, duplicate_of, minhash in items
    ]
    queue_for_resolution(con, [a.article_id for a, _, _ in items])  # before: a re-link changes its mentions
    updates = ", ".join(f"{c} = excluded.{c}" for c in _ARTICLE_COLUMNS[1:])
    insert_select(con, f"INSERT INTO articles ({', '.join(_ARTICLE_COLUMNS)})", rows, _ARTICLE_TYPES,
                   f" ON CONFLICT (article_id) DO UPDATE SET {updates}")
    aliases: dict[str, str] = {}
    for a, _, _ in items:
        for url in (a.url, a.canonical_url):
            aliases.pop(url, None)
            aliases[url] = a.article_id
    insert_select(con, "INSERT OR REPLACE INTO article_aliases", list(aliases.items()), ("VARCHAR", "VARCHAR"))


# Named, because migrations add columns at the end of a table: the evidence offsets (v6) follow older columns.
_OFFICIAL_MENTION_COLUMNS = ("official_id", "article_id", "name", "title", "region", "region_code", "institution",
                             "annotator_version", "name_start", "name_end")
_EVENT_MENTION_COLUMNS = ("mention_id", "article_id", "type", "date", "date_text", "organizer", "organizer_region",
                          "venue", "venue_region", "online", "participant_regions", "figures", "evidence",
                          "annotator_version", "evidence_start", "evidence_end", "trigger_start", "trigger_end")


def replace_annotation_rows(con: duckdb.DuckDBPyConnection, article_id: str, annotation: Annotation) -> None:
    replace_annotation_rows_many(con, {article_id: annotation})


def replace_annotation_rows_many(con: duckdb.DuckDBPyConnection, annotations: dict[str, Annotation]) -> None:
    """Each article's mentions swapped for its new annotation's, and its relevance and version set."""
    if not annotations:
        return
    ids = list(annotations)
    queue_for_resolution(con, ids)
    annotated = annotated_ids(con, ids)
    for table in ("official_mentions", "region_mentions", "event_mentions"):
        if annotated:  # no index on article_id (it would cost memory per mention): a scan, only when needed
            con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(CAST(? AS VARCHAR[])))", [annotated])
    now = now_utc()
    update_columns(
        con, "articles", "article_id", ("relevant", "annotator_version", "updated_at"),
        [(article_id, a.relevant, a.annotator_version, now) for article_id, a in annotations.items()],
        ("VARCHAR", "BOOLEAN", "VARCHAR", "TIMESTAMP"),
    )
    official_rows: dict[str, tuple[Any, ...]] = {}
    region_rows: dict[str, tuple[Any, ...]] = {}
    event_rows: list[tuple[Any, ...]] = []
    for article_id, annotation in annotations.items():
        version = annotation.annotator_version
        for o in annotation.officials:
            oid = content_id(article_id, o.name, o.title or "")
            official_rows.setdefault(oid, (oid, article_id, o.name, o.title, o.region, o.region_code,
                                           o.institution, version, o.start, o.end))
        for m in annotation.regions:
            mid = content_id(article_id, m.code, str(m.start), str(m.end))
            region_rows[mid] = (mid, article_id, m.code, m.name, m.surface, m.start, m.end, m.role, version)
        event_rows += [
            (event_mention_id(article_id, index, e.type), article_id, e.type, e.date, e.date_text,
             e.organizer, e.organizer_region, e.venue, e.venue_region, e.online,
             list(e.participant_regions), json.dumps([asdict(f) for f in e.figures]), e.evidence, version,
             e.evidence_start, e.evidence_end, e.trigger_start, e.trigger_end)
            for index, e in enumerate(annotation.events)
        ]
    insert_select(con, f"INSERT INTO official_mentions ({', '.join(_OFFICIAL_MENTION_COLUMNS)})",
                   list(official_rows.values()), ("VARCHAR",) * 8 + ("INTEGER",) * 2)
    insert_select(con, "INSERT INTO region_mentions", list(region_rows.values()),
                   ("VARCHAR",) * 5 + ("INTEGER", "INTEGER", "VARCHAR", "VARCHAR"))
    insert_select(con, f"INSERT INTO event_mentions ({', '.join(_EVENT_MENTION_COLUMNS)})", event_rows,
                   ("VARCHAR", "VARCHAR", "VARCHAR", "DATE") + ("VARCHAR",) * 5
                   + ("BOOLEAN", "VARCHAR[]", "JSON", "VARCHAR", "VARCHAR") + ("INTEGER",) * 4)


def queue_for_resolution(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> None:
    """Mark articles whose event mentions may change for the next event resolution (``pipeline.resolve``), and
    keep their mentions as the last resolution saw them; call before changing them, in the same transaction.

    The first record since the last resolution wins: that is the state the stored events were built from.
    """
    if not article_ids:
        return
    ids = list(article_ids)
    con.execute("INSERT INTO resolution_pending SELECT DISTINCT unnest(CAST(? AS VARCHAR[])), ? ON CONFLICT DO NOTHING",
                [ids, now_utc()])
    ids = annotated_ids(con, ids)  # an article saved for the first time has no mentions to keep
    if not ids:
        return
    con.execute(
        "INSERT INTO resolution_departed SELECT m.mention_id, m.article_id, m.type, m.date, m.date_text, "
        "m.organizer_region, m.venue, m.venue_region, m.participant_regions, coalesce(a.duplicate_of, a.article_id), "
        "a.published_date FROM event_mentions m JOIN articles a ON a.article_id = m.article_id "
        "WHERE a.relevant AND m.article_id IN (SELECT unnest(CAST(? AS VARCHAR[]))) ON CONFLICT DO NOTHING", [ids])


def raw_page_row(page: RawPage) -> tuple[Any, ...]:
    return (page.page_id, page.source_id, page.url, page.final_url, page.fetched_at, page.http_status,
            page.content_type, page.path, page.sha256, page.size_bytes, page.discovered_via, page.discovered_from,
            page.listed_date)


def insert_raw_pages(con: duckdb.DuckDBPyConnection, rows: Sequence[Sequence[Any]], on_conflict: str) -> None:
    """One statement for all the pages (row by row, executemany took ~0.4 MB per page until the commit)."""
    insert_select(con, f"INSERT INTO raw_pages ({', '.join(RAW_PAGE_COLUMNS)})", rows, RAW_PAGE_TYPES, on_conflict)
