"""Duplicate detection against the store by indexed lookup: a run's cost follows its batch, not the archive.

The rules are ``pipeline.extract.dedup.DuplicateIndex``'s (same URL or alias, same text, near-copy by MinHash
within ``NEAR_DUPLICATE_WINDOW_DAYS`` before the newest stored publication date). The finder used to load every
original's URLs and hash, and a month of signatures, into that index at the start of each run. Now, for each
batch, it asks the store only for the keys the batch's articles carry (``pipeline.store.duplicate_keys``:
canonical URL keys and content hashes, each answered by an ART index probe; MinHash band keys by a join
over one window of originals), tells a
``DuplicateIndex`` those facts, and feeds it the batch in order, so the decisions are the index's own.

Contract: the caller saves each checked batch (``Store.save_processed_pages``, ``save_articles``,
``save_backfill_shard``) before it counts on a later call seeing it. Until then the articles stay in the
in-memory index; it is emptied once everything it holds is found in the store.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import numpy as np

from pipeline.extract.dedup import (
    DEFAULT_THRESHOLD,
    NEAR_DUPLICATE_WINDOW_DAYS,
    DuplicateIndex,
    band_keys,
    signature_from_bytes,
    text_signature,
)
from pipeline.records import ExtractedArticle
from pipeline.store import Store
from pipeline.store.duplicate_keys import url_keys
from pipeline.store.keyed import chunks, in_list

log = logging.getLogger(__name__)

# Articles held in memory before the finder checks whether the store has them all and starts afresh.
FORGET_AFTER = 2_000


class DuplicateFinder:
    """The same story under another URL, a verbatim copy or a near-copy: linked, never counted twice.

    Construction reads one date and prunes band keys that fell out of the window; nothing else is loaded.
    """

    def __init__(self, store: Store, window_days: int = NEAR_DUPLICATE_WINDOW_DAYS,
                 threshold: float = DEFAULT_THRESHOLD) -> None:
        self.store = store
        self.threshold = threshold
        newest = store.query("SELECT max(published_date) FROM articles")[0][0]
        # Fixed for the run, as the seeded index had it; originals this run adds are candidates whatever their date.
        self.cutoff = newest - timedelta(days=window_days) if newest is not None else None
        pruned = store.prune_minhash_bands(self.cutoff)
        if pruned:
            log.info("pruned %d band keys of originals published before %s", pruned, self.cutoff)
        self.index = DuplicateIndex(threshold)
        self._held: list[str] = []  # ids of the articles the in-memory index holds

    def check(self, article: ExtractedArticle) -> tuple[str | None, bytes | None]:
        """(the article this one repeats, or None; its MinHash signature to store)."""
        signature = text_signature(article.text)
        original = self.check_many([(article, signature)])[0]
        return original, signature.tobytes() if signature is not None else None

    def check_many(self, items: Sequence[tuple[ExtractedArticle, np.ndarray | None]]) -> list[str | None]:
        """For each (article, its ``text_signature`` or None), in order: the earlier original it repeats, or None.

        Earlier items of the same call count, as do earlier calls' items (saved or not).
        """
        if not items:
            return []
        self._forget_saved()
        self._recall(items)
        found: list[str | None] = []
        for article, signature in items:
            match = self.index.add(article, signature)
            # ``duplicate_of`` equals the article's own id when its two URLs canonicalise alike: not a copy.
            found.append(match.duplicate_of if match and match.duplicate_of != article.article_id else None)
            self._held.append(article.article_id)
        return found

    def _forget_saved(self) -> None:
        """Start from an empty index once the store has every article it holds (memory bounded per run)."""
        if len(self._held) < FORGET_AFTER:
            return
        held = list(dict.fromkeys(self._held))
        saved = sum(len(self._query("SELECT article_id FROM articles WHERE " + in_list("article_id", part), part))
                    for part in chunks(held))
        if saved == len(held):
            self.index = DuplicateIndex(self.threshold)
            self._held.clear()

    def _recall(self, items: Sequence[tuple[ExtractedArticle, np.ndarray | None]]) -> None:
        """Tell the index what the store knows about the batch's keys (and nothing else)."""
        fetched_urls = list(dict.fromkeys(article.url for article, _ in items))
        keys = list(dict.fromkeys(key for article, _ in items for key in url_keys(article)))
        hashes = list(dict.fromkeys(article.content_hash for article, _ in items if article.content_hash))
        bands = list(dict.fromkeys(key for _, signature in items if signature is not None
                                   for key in band_keys(signature)))
        aliases = self._lookup("SELECT url, article_id FROM article_aliases WHERE {}", "url", fetched_urls)
        by_key = self._lookup("SELECT url_key, article_id FROM duplicate_url_keys WHERE {}", "url_key", keys)
        by_hash = self._lookup("SELECT content_hash, article_id FROM duplicate_content_keys WHERE {}",
                               "content_hash", hashes)
        candidates = self._band_candidates(bands)
        ids = list(dict.fromkeys([*(i for _, i in aliases), *(i for _, i in by_key), *(i for _, i in by_hash),
                                  *candidates]))
        stored = {article_id: (duplicate_of, minhash) for article_id, duplicate_of, minhash in
                  self._lookup("SELECT article_id, duplicate_of, minhash FROM articles WHERE {}", "article_id", ids)}

        def original(article_id: str) -> str:  # a key's article may have become a copy since
            duplicate_of = stored.get(article_id, (None, None))[0]
            return duplicate_of or article_id

        signatures = {}
        for article_id in candidates:
            duplicate_of, blob = stored.get(article_id, (None, None))
            signature = signature_from_bytes(blob)
            if duplicate_of is None and signature is not None:
                signatures[article_id] = signature
        self.index.remember(
            # URLs of stored originals were fed before; a stored copy's page is checked again when re-processed.
            fetched=[url for url, article_id in aliases if article_id in stored and stored[article_id][0] is None],
            urls={key: original(article_id) for key, article_id in by_key},
            hashes={content_hash: original(article_id) for content_hash, article_id in by_hash},
            signatures=signatures,
        )

    def _band_candidates(self, bands: Sequence[int]) -> set[str]:
        """Originals sharing a band with the batch: one hash join over ``minhash_bands``, which holds one
        window of originals (pruned at each start), so its size follows the daily volume, not the archive.

        No ART index there: probing 3,200 keys in IN lists of 500 cost ~150 ms a batch, the join ~25 ms, and an
        index on 32 rows per article held ~15 bytes a row in memory.
        """
        if not bands:
            return set()
        rows = self._query("SELECT DISTINCT b.article_id FROM minhash_bands b "
                           "JOIN (SELECT unnest(CAST(? AS UBIGINT[])) AS band_key) k ON b.band_key = k.band_key",
                           [list(bands)])
        return {article_id for (article_id,) in rows}

    def _lookup(self, sql: str, column: str, values: Sequence[Any], sql_type: str = "VARCHAR"
                ) -> list[tuple[Any, ...]]:
        """``sql`` with ``{}`` replaced by an indexed IN list over ``values``, in chunks."""
        rows: list[tuple[Any, ...]] = []
        for part in chunks(values):
            rows += self._query(sql.format(in_list(column, part, sql_type)), part)
        return rows

    def _query(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        return self.store.query(sql, list(params))
