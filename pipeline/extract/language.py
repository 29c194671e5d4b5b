"""A light, offline language check: Indonesian, English or something else.

Stop-word ratios separate Indonesian from English reliably on a paragraph or
more, with no model to ship. Malay shares most Indonesian function words and
comes out as "id", which is what the monitor wants (regional outlets mix both).
Non-Indonesian articles are kept and marked, never dropped here.
"""

from __future__ import annotations

import re

_ID = frozenset(
    ["yang", "dan", "di", "ke", "dari", "untuk", "dengan", "pada", "dalam", "ini", "itu", "tidak", "akan", "juga", "atau", "oleh", "karena", "sebagai", "adalah", "bahwa", "telah", "sudah", "ada", "kata", "mereka", "kami", "kita", "saat", "tersebut", "para", "secara", "dapat", "bisa", "lebih", "harus", "menjadi", "serta", "agar", "namun", "tahun", "hari", "masih", "hanya", "sejak", "bagi", "setelah", "seperti", "antara", "kepada", "tentang", "ia", "dia", "saya", "kabupaten", "kota", "provinsi", "pemerintah", "ujarnya", "katanya"]
)
_EN = frozenset(
    ["the", "of", "and", "to", "in", "is", "that", "for", "on", "with", "as", "was", "by", "at", "from", "it", "this", "are", "be", "has", "have", "an", "which", "were", "will", "said", "not", "but", "their", "its", "they", "been", "would", "also", "who", "after", "more", "about", "than", "there", "had", "or", "one", "all", "when", "he", "she", "his", "her", "into", "over", "new", "can", "up", "out", "our", "we"]
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(text: str, min_words: int = 20) -> str:
    """``"id"``, ``"en"`` or ``"other"`` (also for texts too short to tell)."""
    words = [w.lower() for w in _WORD.findall(text[:20_000])]
    if len(words) < min_words:
        words_id = sum(w in _ID for w in words)
        words_en = sum(w in _EN for w in words)
        if words and max(words_id, words_en) >= 3:
            return "id" if words_id >= words_en else "en"
        return "other"
    id_ratio = sum(w in _ID for w in words) / len(words)
    en_ratio = sum(w in _EN for w in words) / len(words)
    if max(id_ratio, en_ratio) < 0.08:
        return "other"
    return "id" if id_ratio >= en_ratio else "en"
