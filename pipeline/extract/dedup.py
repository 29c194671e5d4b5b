"""One story, counted once: URL aliases, exact copies and near-duplicates.

The same story reaches the crawler as several URLs (AMP, mobile, tracking
parameters), as verbatim copies (a Pemda press release posted by five
outlets) and as near-copies (a network's regional sites re-running a story
with their own dateline and chrome). Counting each would inflate every
region's figures, so the index links each new article to the earlier one it
repeats:

1. the same canonical URL (or one of its aliases) -> ``url_alias``;
2. the same ``content_hash`` (normalised text) -> ``content_hash``;
3. word-shingle Jaccard at or above a threshold -> ``near_duplicate``.

Step 3 uses MinHash signatures with LSH banding, so a lookup costs a few
dictionary probes instead of a comparison with every stored article; at
100k articles a day that is the difference between seconds and hours.

``DuplicateIndex`` holds what it was told in memory; ``pipeline.duplicates``
feeds it, batch by batch, only the stored keys a batch can meet (``band_keys``
are the same LSH bands as stored 64-bit keys).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from pipeline.records import ExtractedArticle
from pipeline.urls import canonical_url

SHINGLE_WORDS = 5
DEFAULT_THRESHOLD = 0.7
NUM_PERM = 128
BANDS = 32  # 32 bands x 4 rows: pairs at Jaccard 0.5 collide with p ~0.87, at 0.7 with p ~1.0
MIN_SHINGLES = 8  # shorter texts carry too little to call them near-duplicates
# Near-copies are looked for among originals published this many days before the newest stored one:
# syndicated copies appear within days; older signatures only cost memory and index rows.
NEAR_DUPLICATE_WINDOW_DAYS = 30

_WORD = re.compile(r"\w+", re.UNICODE)
_MERSENNE = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)
_rng = np.random.RandomState(20240917)  # fixed: signatures must be comparable across runs
_PERM_A = _rng.randint(1, (1 << 31) - 1, size=NUM_PERM, dtype=np.int64).astype(np.uint64)
_PERM_B = _rng.randint(0, (1 << 31) - 1, size=NUM_PERM, dtype=np.int64).astype(np.uint64)


def _hash32(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=4).digest(), "little")


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[int]:
    """Hashed k-word shingles of the lower-cased words of ``text`` (punctuation ignored)."""
    words = _WORD.findall(text.lower())
    if not words:
        return set()
    if len(words) < k:
        return {_hash32(" ".join(words))}
    return {_hash32(" ".join(words[i: i + k])) for i in range(len(words) - k + 1)}


def jaccard(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def near_duplicate_score(a: str, b: str) -> float:
    """Exact shingle Jaccard of two texts (0.0 to 1.0)."""
    return jaccard(shingles(a), shingles(b))


def minhash(shingle_set: set[int]) -> np.ndarray:
    """A NUM_PERM-long MinHash signature of a shingle set."""
    if not shingle_set:
        return np.full(NUM_PERM, _MAX_HASH, dtype=np.uint64)
    values = np.fromiter(shingle_set, dtype=np.uint64, count=len(shingle_set))
    # (a*h + b) mod p per permutation; uint64 overflow wraps, which keeps the family random enough.
    hashed = (np.outer(values, _PERM_A) + _PERM_B) % _MERSENNE
    return np.bitwise_and(hashed, _MAX_HASH).min(axis=0)


def text_signature(text: str) -> np.ndarray | None:
    """The MinHash signature of a text, or None when it is too short to call anything its near-copy."""
    shingle_set = shingles(text)
    return minhash(shingle_set) if len(shingle_set) >= MIN_SHINGLES else None


def signature_bytes(text: str) -> bytes | None:
    """``text_signature`` as stored in ``articles.minhash`` and handed from workers to the writer."""
    signature = text_signature(text)
    return signature.tobytes() if signature is not None else None


def band_keys(signature: np.ndarray, bands: int = BANDS) -> list[int]:
    """One unsigned 64-bit key per LSH band: the band's number and bytes hashed together.

    Two signatures share a key exactly when they agree on that band (a 64-bit collision is possible and
    harmless: a candidate is still compared by its estimated Jaccard). Stored in ``minhash_bands``.
    """
    rows = len(signature) // bands
    return [int.from_bytes(hashlib.blake2b(bytes([band]) + signature[band * rows: (band + 1) * rows].tobytes(),
                                           digest_size=8).digest(), "little") for band in range(bands)]


def signature_from_bytes(blob: bytes | None) -> np.ndarray | None:
    """A stored ``articles.minhash`` back as a signature; None for a missing or malformed one."""
    if not blob or len(blob) != NUM_PERM * 8:
        return None
    return np.frombuffer(blob, dtype=np.uint64)


def estimated_jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    return float(np.mean(sig_a == sig_b))


@dataclass(frozen=True)
class DuplicateMatch:
    """The new article repeats ``duplicate_of``; ``reason`` says how we know."""

    article_id: str
    duplicate_of: str
    reason: str  # url_alias | content_hash | near_duplicate
    score: float


class DuplicateIndex:
    """Feed articles one by one; each ``add`` returns the earlier article it repeats, if any.

    Only originals enter the LSH tables, so a chain of copies all point at the
    first article of the story. The index holds signatures, not texts, so it
    can be rebuilt from the store with ``seed``.
    """

    def __init__(self, threshold: float = DEFAULT_THRESHOLD, bands: int = BANDS) -> None:
        if NUM_PERM % bands:
            raise ValueError("bands must divide NUM_PERM")
        self.threshold = threshold
        self.bands = bands
        self.rows = NUM_PERM // bands
        self._by_url: dict[str, str] = {}
        self._fetched: set[str] = set()
        self._by_hash: dict[str, str] = {}
        self._signatures: dict[str, np.ndarray] = {}
        self._buckets: list[dict[bytes, list[str]]] = [{} for _ in range(bands)]

    def __len__(self) -> int:
        """Number of original stories indexed."""
        return len(set(self._by_url.values()) | set(self._signatures))

    def _band_keys(self, signature: np.ndarray) -> list[bytes]:
        return [signature[i * self.rows: (i + 1) * self.rows].tobytes() for i in range(self.bands)]

    def seed(self, article_id: str, urls: list[str], content_hash: str, signature: np.ndarray | None) -> None:
        """Register an original known from the store (no lookup)."""
        self._fetched.update(urls)
        for url in urls:
            self._by_url.setdefault(canonical_url(url), article_id)
        if content_hash:
            self._by_hash.setdefault(content_hash, article_id)
        if signature is not None:
            self._signatures[article_id] = signature
            for band, key in zip(self._buckets, self._band_keys(signature), strict=False):
                band.setdefault(key, []).append(article_id)

    def remember(self, *, fetched: Iterable[str] = (), urls: Mapping[str, str] | None = None,
                 hashes: Mapping[str, str] | None = None, signatures: Mapping[str, np.ndarray] | None = None) -> None:
        """Facts known from elsewhere (the store), without a lookup; what the index knows already wins.

        ``fetched``: URLs fed before; ``urls``: canonical URL -> the original it belongs to; ``hashes``:
        content hash -> original; ``signatures``: originals that are near-duplicate candidates.
        """
        self._fetched.update(fetched)
        for key, article_id in (urls or {}).items():
            self._by_url.setdefault(key, article_id)
        for content_hash, article_id in (hashes or {}).items():
            self._by_hash.setdefault(content_hash, article_id)
        for article_id, signature in (signatures or {}).items():
            if article_id not in self._signatures:
                self._signatures[article_id] = signature
                for band, key in zip(self._buckets, self._band_keys(signature), strict=False):
                    band.setdefault(key, []).append(article_id)

    def candidates(self, signature: np.ndarray) -> set[str]:
        found: set[str] = set()
        for band, key in zip(self._buckets, self._band_keys(signature), strict=False):
            found.update(band.get(key, ()))
        return found

    def add(self, article: ExtractedArticle, signature: np.ndarray | None = None) -> DuplicateMatch | None:
        """The earlier article this one repeats, if any; ``signature``: its ``text_signature`` if known."""
        urls = [article.canonical_url, article.url]
        if article.url in self._fetched:
            return None  # the very same page fed again: nothing new
        self._fetched.add(article.url)
        for url in urls:
            earlier = self._by_url.get(canonical_url(url))
            if earlier is not None:
                # Another URL of a story we have (AMP, mobile, tracking variant): store the alias.
                # ``duplicate_of`` may equal the article's own id when both URLs canonicalise alike.
                self._alias(urls, earlier)
                return DuplicateMatch(article.article_id, earlier, "url_alias", 1.0)
        if article.content_hash and article.content_hash in self._by_hash:
            earlier = self._by_hash[article.content_hash]
            self._alias(urls, earlier)
            return DuplicateMatch(article.article_id, earlier, "content_hash", 1.0)
        if signature is None:
            signature = text_signature(article.text)
        if signature is not None:
            best, best_score = None, 0.0
            for other in self.candidates(signature):
                score = estimated_jaccard(signature, self._signatures[other])
                if score > best_score:
                    best, best_score = other, score
            if best is not None and best_score >= self.threshold:
                self._alias(urls, best)
                return DuplicateMatch(article.article_id, best, "near_duplicate", round(best_score, 3))
        self.seed(article.article_id, urls, article.content_hash, signature)
        return None

    def _alias(self, urls: list[str], article_id: str) -> None:
        for url in urls:
            self._by_url.setdefault(canonical_url(url), article_id)
