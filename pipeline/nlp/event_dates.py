"""The date of an event: which date mention in the article a detected event takes.

Split from ``events`` so the date choice can grow (neighbouring sentences, the lead, the dateline,
quote dates) without touching detection. An event takes, in order: a usable date in a sentence that
mentions it; for a gathering, the date of the article's lead; for an announcement (counts,
sanctions), the first usable date in the text. A borrowed date is refused when the mention is about
another occasion ("beberapa kali", "sebelumnya", another year).
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.nlp.text import Sentence

_PAST = re.compile(
    r"\b(?:beberapa\s+kali|sebelumnya|silam|kala\s+itu|dahulu|tindak\s+lanjut|menindaklanjuti|"
    r"(?:beberapa\s+)?(?:waktu|hari|pekan|minggu|bulan|tahun)\s+(?:lalu|sebelumnya))\b",
    re.IGNORECASE,
)


def sentence_dates(sentence: Sentence, dates: list[Any]) -> list[Any]:
    return [d for d in dates if sentence.start <= d.start < sentence.end]


def usable_date(mention: Any) -> bool:
    return mention.event_date is not None


def another_time(hit_sentences: list[Sentence], year: int | None) -> bool:
    """The mention is about some other occasion: "beberapa kali", "Pilkada 2020", or a quote of habits."""
    text = " ".join(s.text for s in hit_sentences)
    years = {int(y) for y in re.findall(r"\b((?:19|20)\d{2})\b", text)}
    quoted = all(s.text.lstrip()[:1] in "\"“'‘" for s in hit_sentences)
    return bool(_PAST.search(text)) or quoted or bool(years and year is not None and year not in years)


def _shared_date(hit_sentences: list[Sentence], fallback: Any) -> Any:
    """A date borrowed from the article's lead, unless the mention is about another time."""
    if fallback is None or fallback.event_date is None:
        return None
    return None if another_time(hit_sentences, fallback.event_date.year) else fallback


def event_date(gathering: bool, hit_sentences: list[Sentence], sentences: list[Sentence],
               dates: list[Any]) -> Any:
    """The date mention an event mentioned in ``hit_sentences`` takes, or None; ``gathering`` for a held
    activity (rakor, apel...), False for an announcement (counts, sanctions, monitoring)."""
    found = next((d for s in hit_sentences for d in sentence_dates(s, dates) if usable_date(d)), None)
    if found is not None:
        return found
    # Announcements (counts, sanctions) carry the date the text gives for the statement.
    if gathering:
        fallback = next((d for s in sentences[:3] for d in sentence_dates(s, dates) if usable_date(d)), None)
    else:
        fallback = next((d for d in dates if usable_date(d)), None)
    return _shared_date(hit_sentences, fallback)
