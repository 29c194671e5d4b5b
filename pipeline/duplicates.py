"""Duplicate detection for the processing stages (interim: the in-memory index seeded from the store)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipeline.extract.dedup import DuplicateIndex, text_signature
from pipeline.records import ExtractedArticle
from pipeline.store import Store


class DuplicateFinder:
    """The same story under another URL, a verbatim copy or a near-copy: linked, never counted twice.

    Wraps ``pipeline.extract.dedup.DuplicateIndex``, seeded from the store: URLs and text hashes of every
    original, MinHash signatures of the originals published in the last ``window_days`` before the newest
    one (syndicated copies appear within days; older signatures only cost memory).
    """

    def __init__(self, store: Store, window_days: int = 30) -> None:
        self.index = DuplicateIndex()
        rows = store.query(
            "WITH newest AS (SELECT max(published_date) AS day FROM articles) "
            "SELECT a.article_id, a.url, a.canonical_url, a.content_hash, "
            "CASE WHEN a.published_date >= newest.day - ? THEN a.minhash END "
            "FROM articles a, newest WHERE a.duplicate_of IS NULL",
            [window_days],
        )
        for article_id, url, canonical, content_hash, signature in rows:
            self.index.seed(article_id, [url, canonical], content_hash or "",
                            np.frombuffer(signature, dtype=np.uint64) if signature else None)

    def check(self, article: ExtractedArticle) -> tuple[str | None, bytes | None]:
        """(the article this one repeats, or None; its MinHash signature to store)."""
        signature = text_signature(article.text)
        match = self.index.add(article, signature)
        original = match.duplicate_of if match and match.duplicate_of != article.article_id else None
        return original, signature.tobytes() if signature is not None else None

    def check_many(self, items: Sequence[tuple[ExtractedArticle, np.ndarray | None]]) -> list[str | None]:
        """For each (article, signature), in order, the earlier original it repeats, or None."""
        originals: list[str | None] = []
        for article, signature in items:
            match = self.index.add(article, signature)
            originals.append(match.duplicate_of if match and match.duplicate_of != article.article_id else None)
        return originals
