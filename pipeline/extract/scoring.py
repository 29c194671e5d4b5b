"""How extraction is scored: token P/R/F1, sentences kept, chrome lines left.

The chrome audit here is deliberately separate from the filter's patterns
(``chrome_patterns.yaml``): it is a short list of the page-furniture forms the
issue names, written as plainly as possible, so the report measures the
filter instead of agreeing with itself. "Related" lines (Baca juga and its
kin) are counted apart because they must never reach the annotator.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

TOKEN = re.compile(r"\w+", re.UNICODE)

AUDIT: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (family, re.compile(pattern, re.IGNORECASE))
    for family, pattern in (
        ("related", r"^\W*(baca|simak|lihat|cek|tonton)\s+(juga|pula)\b|^\W*baca\s*:|^\W*(berita|artikel)\s+(terkait|lainnya)\b"
                    r"|^\W*(terpopuler|berita\s+terkini|berita\s+populer)\b|^\W*(read|also read|see also)\s*:"),
        ("byline", r"^\W*(penulis|editor|pewarta|reporter|redaktur|wartawan)\s*[:|]"),
        ("source", r"^\W*sumber\s*:\s*\S+(\s+\S+){0,5}\s*$"),
        ("promo", r"google\s+news|saluran\s+whatsapp|whatsapp\s+channel|^\W*ikuti\s+(kami|kanal|akun)|berita\s+viral\s+via"),
        ("comment", r"tinggalkan\s+(balasan|komentar)|ruas\s+yang\s+wajib|alamat\s+email\s+anda\s+tidak|discussion\s+about\s+this\s+post"),
        ("navigation", r"^\W*(lompat\s+ke\s+isi|top\s+of\s+page|bottom\s+of\s+page|lebih\s+baru\s+lebih\s+lama|halaman\s+selanjutnya"
                       r"|load\s+more|scroll\s+(to|untuk)\s+|skip\s+to\s+content)"),
        ("ad", r"^\W*(advertisement|iklan)\W*$|^\W*banner\s*\d+\s*x\s*\d+"),
        ("copyright", r"©|^\W*copyright\b|all\s+rights?\s+reserved"),
        ("share", r"^\W*(bagikan|share)(\s+(artikel|berita|ini|this))*\s*:?\s*$"),
        ("caption", r"[.!?]\s*(foto|photo)\s*:\s*[^.]{1,40}$|^\W*\(?(foto|photo)\s*:|\((reuters|afp|antara\s*foto|istimewa|dok)[^)]*\)\.?$"),
        ("initials", r"\((?![A-Z]{3})[a-z]{1,5}(/[a-z]{1,5})+\)\s*$"),
        ("adv-marker", r"\(\s*adv\s*\)"),
    )
)


def audit_line(line: str) -> str | None:
    """The chrome family a line belongs to, or None."""
    for family, pattern in AUDIT:
        if pattern.search(line.strip()):
            return family
    return None


def chrome_lines(text: str) -> list[tuple[str, str]]:
    return [(family, line) for line in text.split("\n") if line.strip() and (family := audit_line(line))]


def key(text: str) -> str:
    return " ".join(TOKEN.findall(text.lower()))


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float


def token_prf(expected: str, predicted: str) -> PRF:
    """Bag-of-tokens precision/recall/F1 (the benchmark's usual scoring, per page)."""
    gold = Counter(TOKEN.findall((expected or "").lower()))
    pred = Counter(TOKEN.findall((predicted or "").lower()))
    tp = sum((gold & pred).values())
    p = tp / sum(pred.values()) if pred else 0.0
    r = tp / sum(gold.values()) if gold else 0.0
    return PRF(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def mean_prf(scores: list[PRF]) -> PRF:
    if not scores:
        return PRF(0.0, 0.0, 0.0)
    n = len(scores)
    return PRF(sum(s.precision for s in scores) / n, sum(s.recall for s in scores) / n, sum(s.f1 for s in scores) / n)


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[\"“‘']?[A-Z0-9])")


def body_sentences(text: str, min_words: int = 5) -> list[str]:
    """Sentences of an expected body, without the chrome that some expectations still carry."""
    found = []
    for paragraph in text.split("\n"):
        if audit_line(paragraph) in ("related", "caption"):
            continue
        for sentence in _SENTENCE_END.split(paragraph):
            sentence = re.sub(r"\s*\([a-zA-Z]{1,5}(/[a-zA-Z]{1,5})+\)\s*$", "", sentence.strip())
            sentence = re.sub(r"(?<=[.!?\"”])\s*\([A-Z][a-z]+(\s+[A-Z][a-z]+){0,3}\)\s*$", "", sentence)
            if len(TOKEN.findall(sentence)) >= min_words and audit_line(sentence) is None:
                found.append(sentence)
    return found


def _trigrams(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i: i + 3]) for i in range(max(0, len(words) - 2))}


def sentence_kept(sentence: str, output_key: str, output_trigrams: set[tuple[str, ...]]) -> bool:
    """Found verbatim (after normalisation) or with 90 % of its word trigrams present."""
    skey = key(sentence)
    if skey and skey in output_key:
        return True
    grams = _trigrams(skey.split())
    return bool(grams) and len(grams & output_trigrams) / len(grams) >= 0.9


def sentences_kept(expected: str, output: str) -> tuple[int, int]:
    """``(kept, total)`` body sentences of ``expected`` found in ``output``."""
    sentences = body_sentences(expected)
    out_key = key(output)
    grams = _trigrams(out_key.split())
    return sum(sentence_kept(s, out_key, grams) for s in sentences), len(sentences)
