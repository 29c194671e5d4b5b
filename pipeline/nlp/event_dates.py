"""The date of an event: which date mention in the article a detected event takes.

Split from ``events`` so that detection and dating change independently. Reporters give an event's
date in many places: in the sentence that names it ("menggelar apel ... Senin (23/9)"), in a
neighbouring sentence ("Demikian Pj Gubernur X, Senin, 30/9/2024 di Hotel Y."), in the lead or the
dateline ("Kupang, Selasa (17/9) - ..."), or only as the date of a speaker's statement. The choice,
in order (the date must always be usable: no trap role, weekday not contradicted):

1. a date in a sentence that mentions the event; a date there whose weekday contradicts it is a date
   trap, and the event has no date;
2. an announcement (count, sanction, monitoring) whose count is given "per/hingga <date>" is dated
   by that cut-off, which is no day of an activity: no date; nor has a single violation told as the
   case behind a sanction reported in the same article (it happened before; the date is the sanction's);
3. another act of the same gathering (an ikrar at the apel) shares the gathering's date;
4. a date in the sentences right around a mention (the paragraph it closes, the sentence before);
5. a gathering: the date of the lead; an announcement: the first usable date in the text (the day the
   statement was made). The only date of an article is not enough for a gathering: it is often the
   day of a statement about something else.

A borrowed date (steps 3-5) is refused when every mention is about another occasion ("sebelumnya",
"beberapa kali", a year other than the date's), and a neighbouring sentence that speaks of another
occasion lends nothing. For a gathering, a date that dates only the reporter's contact with a
speaker ("saat dikonfirmasi, Rabu", "dikutip dari ...") is not the gathering's day; for an
announcement it is the day of the statement.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Sequence
from dataclasses import replace
from functools import lru_cache

from pipeline.nlp.date_lexicon import cue_regex, load_lexicon
from pipeline.nlp.date_mentions import DateMention
from pipeline.nlp.event_cues import event_cues
from pipeline.nlp.text import Sentence

_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")
# How far around a mention a date may stand: sentences after it, and the one before it.
_AFTER = 3
_BEFORE = 1
# The lead: the first sentences of the text (the site name and the dateline line count).
_LEAD = 3
# A violation told as the case behind a sanction in the same article, without a count of its own.
_BEHIND_SANCTION = "pelanggaran"
_SANCTION = "sanksi"
# How far before a date a reporting cue ("saat dikonfirmasi") may stand.
_REPORT_REACH = 80
# Measures that are documents (a circular ordering supervision, a decree forming a satgas): the day the
# document was signed, which the date roles set aside as a law's date, is the measure's own date.
_DOCUMENT_MEASURES = ("pengawasan",)


def sentence_dates(sentence: Sentence, dates: Sequence[DateMention]) -> list[DateMention]:
    return [d for d in dates if sentence.start <= d.start < sentence.end]


def usable_date(mention: DateMention) -> bool:
    return mention.event_date is not None


def another_time(hit_sentences: list[Sentence], year: int | None) -> bool:
    """The mention is about some other occasion: "beberapa kali", "Pilkada 2020", or a quote of habits."""
    text = " ".join(s.text for s in hit_sentences)
    years = {int(y) for y in _YEAR.findall(text)}
    quoted = all(s.text.lstrip()[:1] in "\"“'‘" for s in hit_sentences)
    return bool(_past().search(text)) or quoted or bool(years and year is not None and year not in years)


def _other_occasion(sentence: Sentence, year: int | None) -> bool:
    """One sentence speaks of another occasion: a past marker, or only years other than ``year``."""
    years = {int(y) for y in _YEAR.findall(sentence.text)}
    return bool(_past().search(sentence.text)) or bool(years and year is not None and year not in years)


@lru_cache(maxsize=1)
def _past() -> re.Pattern[str]:
    """Words that put a mention on another, earlier occasion ("sebelumnya", "beberapa waktu lalu")."""
    return cue_regex(load_lexicon().other_occasion)


@lru_cache(maxsize=1)
def _reported_cue() -> re.Pattern[str]:
    return cue_regex(load_lexicon().statement_reported)


def _reported(text: str, mention: DateMention, sentence_start: int) -> bool:
    """The date dates the reporter's contact with a speaker ("kata X saat dikonfirmasi, Rabu (5/2)"): a
    cue shortly before it in its own sentence."""
    lo = max(sentence_start, mention.start - _REPORT_REACH)
    return bool(_reported_cue().search(text, lo, mention.start))


def _about_another_time(hit_sentences: list[Sentence], mention: DateMention) -> bool:
    year = mention.event_date.year if mention.event_date else None
    quoted = all(s.text.lstrip()[:1] in "\"“'‘" for s in hit_sentences)
    return quoted or all(_other_occasion(s, year) for s in hit_sentences)


class ArticleDates:
    """The usable dates of one article by sentence, and the choice of a date for each of its events."""

    def __init__(self, text: str, sentences: list[Sentence], dates: Sequence[DateMention],
                 event_types: Collection[str]) -> None:
        self.text = text
        self.sentences = sentences
        self.dates = dates
        self.event_types = frozenset(event_types)
        self.index = {s.start: i for i, s in enumerate(sentences)}
        self.usable = [d for d in dates if usable_date(d)]
        self.by_sentence: list[list[DateMention]] = [[] for _ in sentences]
        starts = [s.start for s in sentences]
        for d in self.usable:
            i = bisect_right(starts, d.start) - 1
            if i >= 0 and d.start < sentences[i].end:
                self.by_sentence[i].append(d)

    def _first_in(self, indices: list[int], gathering: bool, skip_other_occasions: bool) -> DateMention | None:
        for i in indices:
            for d in self.by_sentence[i]:
                if gathering and _reported(self.text, d, self.sentences[i].start):
                    continue
                year = d.event_date.year if d.event_date else None
                if not (skip_other_occasions and _other_occasion(self.sentences[i], year)):
                    return d
        return None

    def _signing_date(self, hits: list[int]) -> DateMention | None:
        """"Surat edaran itu ditandatangani pada 2 September 2024": a day date the roles read as a
        document's date, in a mention's sentence or right around it."""
        for i in hits + self._neighbours(hits):
            sentence = self.sentences[i]
            for d in self.dates:
                if sentence.start <= d.start < sentence.end and d.role_hint == "law" and d.precision == "day" \
                        and d.day_date is not None and d.weekday_ok is not False:
                    return replace(d, role_hint=None)
        return None

    def _neighbours(self, hits: list[int]) -> list[int]:
        """Sentences right after each mention (nearest first), then the one before each; no mention itself."""
        order = [h + step for step in range(1, _AFTER + 1) for h in hits]
        order += [h - step for step in range(1, _BEFORE + 1) for h in hits]
        seen: set[int] = set(hits)
        out = []
        for i in order:
            if 0 <= i < len(self.sentences) and i not in seen:
                seen.add(i)
                out.append(i)
        return out

    def date_for(self, event_type: str, gathering: bool, hit_sentences: list[Sentence],
                 shared: DateMention | None = None) -> DateMention | None:
        """The date mention of an event of ``event_type`` mentioned in ``hit_sentences``, or None.

        ``gathering`` is True for a held activity (rakor, apel...), False for an announcement (counts,
        sanctions, monitoring); ``shared`` is the date mention of the article's main gathering, which
        the other acts of that gathering share.
        """
        hits = [i for s in hit_sentences if (i := self.index.get(s.start)) is not None]
        own = self._first_in(hits, gathering, skip_other_occasions=False)
        if own is not None:
            return own
        written = [d for s in hit_sentences for d in sentence_dates(s, self.dates) if d.precision == "day"]
        if any(d.weekday_ok is False for d in written):
            return None  # a date trap where the event is told ("Rabu (16/11/2024)", a Saturday): no date
        if not gathering and any(d.role_hint == "report" for d in written):
            return None  # "47 laporan hingga 31 Januari 2024": the count is dated by its cut-off
        if event_type in _BEHIND_SANCTION and _SANCTION in self.event_types and not any(
                event_cues().figure.search(s.text) for s in hit_sentences):
            return None  # the case behind a sanction happened before it: the article's date is the sanction's
        candidates: list[DateMention | None] = []
        if event_type in _DOCUMENT_MEASURES:
            candidates.append(self._signing_date(hits))
        if gathering and shared is not None and usable_date(shared):
            candidates.append(shared)
        candidates.append(self._first_in(self._neighbours(hits), gathering, skip_other_occasions=True))
        if gathering:
            lead = list(range(min(_LEAD, len(self.sentences))))
            candidates.append(self._first_in(lead, gathering, skip_other_occasions=True))
        else:
            candidates.append(next(iter(self.usable), None))
        for candidate in candidates:
            if candidate is not None and not _about_another_time(hit_sentences, candidate):
                return candidate
        return None
