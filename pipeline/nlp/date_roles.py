"""Role hints for a date from the words around it, so the event extractor can refuse date traps.

A news text is full of dates that are not the date of the reported activity: the voting day
("Pilkada 27 November 2024"), deadlines ("paling lambat 5 Agustus"), law dates ("UU Nomor 20
Tahun 2023"), report cut-offs ("per 31 Januari 2024"), future plans ("22 September nanti"),
anniversaries and birth dates, and publication bylines ("Senin, 23 September 2024 | 15:51 WIB").
Cue words are data (``models/lexicons/dates.yaml``); this module only decides where to look:
right before the date ("near"), in its clause, or right after it.
"""

from __future__ import annotations

import datetime as dt
import re

from pipeline.nlp.date_lexicon import DateLexicon, alternation, cue_regex

# A clause ends at a comma, semicolon, quote, bullet, a sentence full stop ("No. 5" is not one) or a
# line break that starts a new line of text (a soft wrap inside a sentence, "batas\nwaktu", is not one).
_CLAUSE_BREAK = re.compile(r"[,;!?“”\"|•]|\.(?=\s+[A-Z“\"(])|\n(?=\s*[^a-z\s])|\n\s*\n")
# Right after a date, a byline goes on with a bar or bullet ("| 15:51 WIB") or a clock time with a colon
# ("24 October 2024 18:44"); an event time is "pukul 08.00" or "08.00 WITA" with a dot.
_BYLINE_AFTER = re.compile(r"\s*(?:[|•·]|[/,–—-]?\s*\d{1,2}:\d{2}(?!\d))")
# "Nomor 20 Tahun" right before a year: the year of a numbered regulation.
_LAW_NUMBER_BEFORE = re.compile(
    r"(?<![\w])(?:nomor|no\.?|nomer|number)\s*[\w./-]+\s+(?:tahun\s+|of\s+)?$", re.IGNORECASE
)
_TOKEN = re.compile(r"[\w.-]+")


class RoleDetector:
    """Cue regexes for every role, compiled once per lexicon."""

    def __init__(self, lex: DateLexicon) -> None:
        self.lex = lex
        self.order = lex.role_order
        self.near = {r: cue_regex(p["near"], at_end=True) for r, p in lex.roles.items() if "near" in p}
        self.clause = {r: cue_regex(p["clause"]) for r, p in lex.roles.items() if "clause" in p}
        self.after = {
            r: re.compile(r"\s*[(\[]?\s*" + alternation(p["after"]) + r"(?![\w])", re.IGNORECASE)
            for r, p in lex.roles.items()
            if "after" in p
        }
        self.fillers = re.compile(r"(?<![\w])" + alternation(lex.near_fillers) + r"\s*$", re.IGNORECASE)
        self.law_anchor = cue_regex(lex.law_anchor)
        self.report_context = cue_regex(lex.report_context)
        self.attribution = cue_regex(lex.attribution)
        self.anniversary = cue_regex(lex.birth_anniversary)
        self.election_words = cue_regex(lex.election_words)
        self.election_nouns = {w.lower() for w in lex.election_nouns}
        self.cutoff_words = cue_regex(lex.cutoff_words, at_end=True)
        self.stamp = re.compile(r"^[\W_]*" + alternation(lex.publication_stamp) + r"[\s:]*$", re.IGNORECASE)

    def _clause(self, text: str, start: int) -> str:
        lo = max(0, start - self.lex.clause_chars)
        window = text[lo:start]
        cut = 0
        for m in _CLAUSE_BREAK.finditer(window):
            cut = m.end()
        return window[cut:]

    def _near(self, clause: str) -> str:
        """The clause with trailing filler words ("tanggal", "pada") removed."""
        pre = clause.rstrip(" (\t")
        for _ in range(3):
            m = self.fillers.search(pre)
            if not m:
                break
            pre = pre[: m.start()].rstrip(" (\t")
        return pre

    def _election_adjacent(self, near: str) -> bool:
        """ "Pilkada 27 November", "Pilkada serentak yang akan digelar pada 27 November"."""
        for token in reversed(_TOKEN.findall(near[-90:])):
            low = token.lower().rstrip(".")
            if low in self.election_nouns:
                return True
            if low not in self.lex.election_fillers and not low.isdigit():
                return False
        return False

    def detect(
        self,
        text: str,
        span: tuple[int, int, int],
        precision: str,
        date: dt.date | None,
        direction: str | None,
        has_weekday: bool,
        now_year: int | None = None,
    ) -> str | None:
        """The first role in ``role_order`` whose cues fire; ``span`` is (start, core, end).

        ``now_year`` is the year the article speaks from (publication or context), for anniversaries.
        """
        start, core, end = span
        clause = self._clause(text, core)
        near = self._near(clause)
        after = text[end : end + self.lex.after_chars]
        attributed = bool(self.attribution.search(clause))
        sentence = text[max(0, start - 150) : min(len(text), end + 60)]
        # "Hingga Jumat (15/11/2024), Bawaslu mencatat 12 laporan": a weekday date with a count is the
        # day the figures were announced, not a cut-off to refuse.
        cutoff = bool(self.cutoff_words.search(near)) and bool(self.report_context.search(sentence))
        announced = has_weekday and cutoff
        for role in self.order:
            if attributed and role not in ("publication", "law", "voting_day"):
                break
            if announced and role in ("report", "deadline"):
                continue
            if self._fires(role, clause, near, after, sentence, precision, date, direction, has_weekday):
                return role
            if role == "birth" and self._anniversary(clause, date, now_year):
                return role
        return None

    def _anniversary(self, clause: str, date: dt.date | None, now_year: int | None) -> bool:
        if date is None or not self.anniversary.search(clause):
            return False
        return now_year is not None and date.year <= now_year - self.lex.anniversary_min_years

    def _fires(
        self,
        role: str,
        clause: str,
        near: str,
        after: str,
        sentence: str,
        precision: str,
        date: dt.date | None,
        direction: str | None,
        has_weekday: bool,
    ) -> bool:
        near_re, clause_re, after_re = self.near.get(role), self.clause.get(role), self.after.get(role)
        hit = bool(
            (near_re and near_re.search(near))
            or (clause_re and clause_re.search(clause))
            or (after_re and after_re.match(after))
        )
        if role == "publication":
            return hit or bool(self.stamp.match(near)) or (precision == "day" and bool(_BYLINE_AFTER.match(after)))
        if role == "law":
            if near_re and near_re.search(near):
                return True
            if precision == "year" and _LAW_NUMBER_BEFORE.search(clause):
                return True
            return bool(clause_re and clause_re.search(clause) and self.law_anchor.search(clause + " "))
        if role == "voting_day":
            if precision != "day":
                return False
            known = date is not None and date in self.lex.voting_day_set
            if hit or (known and self.election_words.search(sentence)):
                return True
            # Voting days are written without a weekday; "Pilkada pada Senin (5/8)" is an activity.
            return not has_weekday and self._election_adjacent(near)
        if role == "report":
            # "per Kamis, 8 Februari 2024": with a weekday, "per" dates an act ("surat terbit per Kamis")
            # unless the sentence speaks of figures ("data per Kamis (5/12) mencatat 12 kasus").
            if hit and (not has_weekday or self.report_context.search(sentence)):
                return True
            return bool(self.cutoff_words.search(near) and self.report_context.search(sentence))
        if role == "future":
            return hit or direction in ("next", "next_week")
        return hit
