"""The keys duplicate detection looks up by index, written with the articles they come from.

``pipeline.duplicates.DuplicateFinder`` asks the store, for each batch, only the keys that batch can meet;
these tables hold them (schema v12), the first two with an ART index, so a lookup costs the same at ten
thousand and ten million articles:

- ``duplicate_url_keys``: ``canonical_url()`` of every stored article's URL and canonical URL -> the original
  it was first stored under (``article_aliases`` keeps the URLs as fetched, which variants do not match);
- ``duplicate_content_keys``: content hash -> the original with that text;
- ``minhash_bands``: one row per LSH band of each original's MinHash signature (``band_keys``), with its
  publication date; pruned to one window of originals at each finder start, so the join that finds
  near-duplicate candidates reads a table the size of a month's news, not the archive.

Written in the transaction that saves the articles (``rows.upsert_articles``), for originals only; an
article saved again (re-extracted, or now a duplicate) first loses the content and band keys of its stored
version. URL keys are never rewritten: a key keeps the first article it named, and the finder follows that
article's ``duplicate_of``, as the in-memory index did.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import duckdb

from pipeline.extract.dedup import NEAR_DUPLICATE_WINDOW_DAYS, band_keys, signature_from_bytes
from pipeline.records import ExtractedArticle
from pipeline.store.keyed import chunks, in_list
from pipeline.urls import canonical_url


def url_keys(article: ExtractedArticle) -> list[str]:
    return list(dict.fromkeys(canonical_url(url) for url in (article.url, article.canonical_url)))


def write_duplicate_keys(con: duckdb.DuckDBPyConnection,
                         items: Sequence[tuple[ExtractedArticle, str | None, bytes | None, str | None]]) -> None:
    """Keys of (article, duplicate_of, minhash, published_date) about to be upserted, one row per article id.

    Runs before the articles' own upsert: the stored versions it replaces tell which keys to drop.
    """
    if not items:
        return
    ids = list(dict.fromkeys(article.article_id for article, _, _, _ in items))
    stored: list[tuple[Any, ...]] = []
    for part in chunks(ids):
        stored += con.execute("SELECT article_id, content_hash, minhash FROM articles "
                              f"WHERE {in_list('article_id', part)}", list(part)).fetchall()
    _drop_keys(con, stored)
    url_rows: dict[str, str] = {}
    content_rows: dict[str, str] = {}
    band_rows: list[tuple[int, str, str | None]] = []
    for article, duplicate_of, minhash, published_date in items:
        for key in url_keys(article):
            url_rows.setdefault(key, duplicate_of or article.article_id)
        if duplicate_of is not None:
            continue
        if article.content_hash:
            content_rows.setdefault(article.content_hash, article.article_id)
        band_rows += _band_rows(article.article_id, minhash, published_date)
    insert_keys(con, url_rows, content_rows, band_rows)


def insert_keys(con: duckdb.DuckDBPyConnection, url_rows: dict[str, str], content_rows: dict[str, str],
                band_rows: list[tuple[int, str, str | None]]) -> None:
    """Add keys; a URL or text already keyed keeps the article it named first."""
    from pipeline.store.rows import insert_select  # rows imports this module

    insert_select(con, "INSERT INTO duplicate_url_keys", list(url_rows.items()), ("VARCHAR", "VARCHAR"),
                  " ON CONFLICT DO NOTHING")
    insert_select(con, "INSERT INTO duplicate_content_keys", list(content_rows.items()), ("VARCHAR", "VARCHAR"),
                  " ON CONFLICT DO NOTHING")
    insert_select(con, "INSERT INTO minhash_bands", band_rows, ("UBIGINT", "VARCHAR", "DATE"))


def _band_rows(article_id: str, minhash: bytes | None, published_date: Any) -> list[tuple[int, str, Any]]:
    signature = signature_from_bytes(minhash)
    return [] if signature is None else [(key, article_id, published_date) for key in band_keys(signature)]


def _drop_keys(con: duckdb.DuckDBPyConnection, stored: Sequence[tuple[Any, ...]]) -> None:
    """Content and band keys of stored articles, each deleted through its index (by key, then article)."""
    hashes = [(content_hash, article_id) for article_id, content_hash, _ in stored if content_hash]
    for part in chunks(hashes):
        con.execute(f"DELETE FROM duplicate_content_keys WHERE {in_list('content_hash', [h for h, _ in part])} "
                    f"AND {in_list('article_id', [a for _, a in part])}",
                    [h for h, _ in part] + [a for _, a in part])
    bands = [(key, article_id) for article_id, _, minhash in stored for key, _, _ in _band_rows(article_id, minhash, None)]
    for part in chunks(bands):
        con.execute(f"DELETE FROM minhash_bands WHERE {in_list('band_key', [k for k, _ in part], 'UBIGINT')} "
                    f"AND {in_list('article_id', [a for _, a in part])}",
                    [k for k, _ in part] + [a for _, a in part])


def fill_duplicate_keys(con: duckdb.DuckDBPyConnection, position: int, batch: int) -> int | None:
    """One batch of the v12 fill: keys of the stored articles with rowid in [position, position + batch).

    Returns the next position, or None past the last article. Run in its own transaction with the recorded
    position (``Store.migrate``), so a fill killed half-way resumes at its batch and adds no key twice.
    Band keys are written for the originals of the near-duplicate window only: older ones could never be
    candidates again (``DuplicateFinder`` prunes them), and they would be most of the work.
    """
    last, newest = con.execute("SELECT max(rowid), max(published_date) FROM articles").fetchone() or (None, None)
    if last is None or position > last:
        return None
    cutoff = newest - timedelta(days=NEAR_DUPLICATE_WINDOW_DAYS) if newest is not None else None
    rows = con.execute(
        "SELECT article_id, url, canonical_url, content_hash, duplicate_of, minhash, published_date FROM articles "
        "WHERE rowid >= ? AND rowid < ? ORDER BY rowid", [position, position + batch]).fetchall()
    url_rows: dict[str, str] = {}
    content_rows: dict[str, str] = {}
    band_rows: list[tuple[int, str, Any]] = []
    for article_id, url, canonical, content_hash, duplicate_of, minhash, published_date in rows:
        for key in dict.fromkeys(canonical_url(u) for u in (url, canonical)):
            url_rows.setdefault(key, duplicate_of or article_id)
        if duplicate_of is None:
            if content_hash:
                content_rows.setdefault(content_hash, article_id)
            if cutoff is not None and published_date is not None and published_date >= cutoff:
                band_rows += _band_rows(article_id, minhash, published_date)
    insert_keys(con, url_rows, content_rows, band_rows)
    return position + batch
