"""Sentences of Indonesian news text, with offsets.

spaCy's blank Indonesian pipeline has no sentence model, and a plain
full-stop split breaks on the abbreviations news is full of ("Kab.", "Prov.",
"Pj.", "Dr.", "H.", "S.H.", "M.Si.", "Katma F. Dirun"). This splitter keeps
those together and treats paragraph breaks as hard boundaries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Tokens that end with a full stop without ending a sentence.
_ABBREVIATIONS = {
    "kab", "kec", "kel", "prov", "pj", "pjs", "plt", "plh", "dr", "drs", "dra", "h", "hj", "ir", "ny", "tn",
    "sdr", "st", "no", "nomor", "jl", "jln", "sh", "se", "mh", "msi", "si", "mm", "mt", "mpd", "spd", "ssos",
    "sip", "sag", "skm", "mkes", "phd", "prof", "kh", "ust", "bpk", "ibu", "bp", "yth", "tgl", "hlm", "dll",
    "dsb", "dkk", "a.n", "an", "u.p", "rt", "rw", "ds", "kota", "gg", "km", "pol", "purn", "inf", "mar",
    "kav", "bag", "sekda", "kadis", "kasat", "muh", "moh", "mhd", "m", "ab", "abd",
}
# Every scan is linear in the text: a sentence end starts only where a run of stops starts, and its
# quantifiers never give back (possessive), so a 100 000-character run of dots is one attempt, not 100 000.
_SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]++[\"'”’)]*+(?=\s)")
_NEXT_CHARACTER = re.compile(r"\s*+(\S)")
_LONGEST_ABBREVIATION = 24  # characters before the full stop: "M.Si", "S.Sos", "sekda" and the like
_PARAGRAPH = re.compile(r"\n\s*\n|\n(?=\s*[-•*]\s)|\n")


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    end: int
    paragraph: int


def _ends_with_abbreviation(text: str, start: int, stop: int) -> bool:
    """Whether ``text[start:stop]`` (a sentence candidate) ends with an abbreviation's full stop.

    Looks back at most ``_LONGEST_ABBREVIATION`` characters, so checking every candidate stays linear in the
    text however long its runs of dots or abbreviations are.
    """
    while stop > start and text[stop - 1] in "\"'”’)":
        stop -= 1
    if stop - start < 2 or text[stop - 1] != ".":
        return False
    word_start = stop - 1
    floor = max(start, stop - 1 - _LONGEST_ABBREVIATION)
    while word_start > floor and not text[word_start - 1].isspace():
        word_start -= 1
    if word_start == floor and word_start > start and not text[word_start - 1].isspace():
        return False  # a longer word is no abbreviation
    word = text[word_start:stop - 1]
    if not word:
        return False
    bare = word.lower().replace(".", "").strip("(\"'")
    if bare in _ABBREVIATIONS:
        return True
    if re.fullmatch(r"[A-Z]", word.strip("(\"'")):  # an initial: "Katma F. Dirun"
        return True
    return bool(re.fullmatch(r"(?:[A-Za-z]{1,4}\.)+[A-Za-z]{1,4}", word))  # S.H, M.Si, S.Sos


def split_sentences(text: str) -> list[Sentence]:
    """Split into sentences; offsets index into ``text``."""
    sentences: list[Sentence] = []
    paragraph_start = 0
    for paragraph, para_match in enumerate([*_PARAGRAPH.finditer(text), None]):
        para_end = para_match.start() if para_match else len(text)
        _split_paragraph(text, paragraph_start, para_end, paragraph, sentences)
        if para_match is None:
            break
        paragraph_start = para_match.end()
    return sentences


def _split_paragraph(text: str, start: int, end: int, paragraph: int, out: list[Sentence]) -> None:
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        stop = match.end()
        if _ends_with_abbreviation(text, cursor, stop):
            continue
        following = _NEXT_CHARACTER.match(text, stop, end)
        if following and not (following[1].isupper() or following[1] in "\"“'‘(-0123456789"):
            continue
        _append(text, cursor, stop, paragraph, out)
        cursor = stop
    _append(text, cursor, end, paragraph, out)


def _append(text: str, start: int, end: int, paragraph: int, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(text[start:end], start, end, paragraph))


def normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
