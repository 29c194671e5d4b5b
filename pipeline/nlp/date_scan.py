"""Regex scanning of date expressions: where they are and what is written, nothing resolved yet.

Scanning is separate from resolution (year inference, relative days) and from role cues, so a
form can be added here without touching how years are chosen. For speed the text is lower-cased
once and walked in two passes: every run of digits, and every lexicon keyword (weekday, month,
"kemarin", "pekan lalu", "Pilkada"...) through one trie-shaped regex. Each hit is then extended
with small anchored regexes (a weekday before "(17/9)", a year after "September 17,"). Matches
are merged left to right, the earliest and then the longest winning, so "Selasa (17/9/2024)
kemarin" is one match and not a weekday, a date and a "kemarin". Numeric dates are always read
day first: Indonesian news never writes month/day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.nlp.date_lexicon import DateLexicon, alternation


@dataclass(frozen=True)
class RawDate:
    """One date expression as written. ``core`` is where the date proper starts (after "tanggal")."""

    start: int
    end: int
    core: int
    form: str  # day | month_year | month | year | relative | weekday_rel | weekday | vague
    day: int | None = None
    month: int | None = None
    year: int | None = None
    weekday: int | None = None
    offset: int | None = None  # days from the publication date, for "kemarin", "tiga hari lalu"
    direction: str | None = None  # past | next | prev_week | next_week, from "lalu", "depan"...
    rank: int = 5  # tie-break between forms covering the same span: lower wins


_YEAR = r"(?:19|20)\d{2}"
_NOT_BEFORE_A_DATE = set("/.,-")  # "1.000", "7/2017", "100.2.1": not the start of a date


def lower_same_length(text: str) -> str:
    """Lower-cased text with the same offsets: a few characters ("İ") grow when lower-cased."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _norm(words: str) -> str:
    return " ".join(words.split())


def _keyword_classes(lex: DateLexicon) -> dict[str, set[str]]:
    """Every keyword phrase (lower case) and the kinds of expression it may start."""
    groups = {
        "weekday": [w for w in lex.weekday_index if w not in lex.weekday_needs_date],
        "month": list(lex.month_index),
        "relative": list(lex.relative_days),
        "vague": list(lex.vague),
        "year_cue": list(lex.year_cues_in_text),
        "mod_before": list(lex.weekday_modifiers_before),
        "number": list(lex.number_words),
    }
    classes: dict[str, set[str]] = {}
    for group, words in groups.items():
        for word in words:
            classes.setdefault(_norm(word.lower()), set()).add(group)
    return classes


class DateScanner:
    """All date regexes for one lexicon, compiled once; patterns run over lower-cased text."""

    def __init__(self, lex: DateLexicon) -> None:
        self.lex = lex
        wd = lex.weekday_alt(lower=True)
        wd_full = lex.weekday_alt(with_abbreviations=False, lower=True)
        mon = lex.month_alt(lower=True)
        def alt(words):
            return alternation(words, lower=True)
        no_year_run = r"(?!\d|\s*[-–/]\s*\d)"  # "2024-2029" is a period, not a year
        ordinal = r"(?:st|nd|rd|th)?"
        self.digits = re.compile(r"\d+")
        # Written before a day date: "Selasa (", "Senin, ", "Senin pagi (", "Rabu, tanggal ", "(".
        self.lead = re.compile(
            rf"(?:(?<![\w])(?P<wd>{wd})(?![\w'’`])(?:\s+{alt(lex.day_parts)})?\.?\s*,?\s*)?"
            rf"(?:(?<![\w])(?:{alt(lex.date_prefixes)})\s+)?(?P<open>\(\s*)?$"
        )
        year_tail = r"(?:\s*/\s*(?P<y>\d{4}|\d{2}))?(?![\d/])"
        # "(17-18/9/2024)": a span of days in one month; the mention takes the first day.
        self.numeric_span = re.compile(r"(?P<d>\d{1,2})\s*[-–]\s*\d{1,2}\s*/\s*(?P<m>\d{1,2})" + year_tail)
        # A year cut to three digits ("Rabu (9/10/202)", a typo or a truncated page) is read as no year.
        self.numeric = re.compile(
            r"(?P<d>\d{1,2})\s*(?P<sep>[/.-])\s*(?P<m>\d{1,2})(?:\s*(?P=sep)\s*(?P<y>\d{4}|[12]0\d|\d{2}))?(?![\d/])"
        )
        span_to = r"(?:-|–|—|s\.d\.?|s/d|sampai(?:\s+dengan)?|hingga|dan|and|to)"
        self.textual = re.compile(
            rf"(?P<d>\d{{1,2}}){ordinal}(?:\s*{span_to}\s*\d{{1,2}}{ordinal})?\s*(?:of\s+)?"
            rf"(?P<mon>{mon})(?![a-z])\.?(?:\s*,?\s*(?P<y>{_YEAR})(?!\d))?"
        )
        self.close = re.compile(r"\s*\)")
        # A dateline place opening a line or a sentence, right before a dash: "\nSukabumi-", ". Kota Batu–".
        self.dateline_before = re.compile(r"(?:^|[.!?\n]\s*)[a-z][a-z ]{1,28}[-–]$")
        # "2024-09-17", also as the start of "2024-09-17T10:00".
        self.iso = re.compile(rf"(?P<y>{_YEAR})-(?P<m>\d{{2}})-(?P<d>\d{{2}})(?!\d|[/-]\d)")
        self.year_cue_before = re.compile(rf"(?<![\w])(?:{alt(lex.year_cues_before)})\s+$")
        self.year_noun_after = re.compile(r"\s+(?:general\s+)?(?:elections?|polls)(?![\w])")
        self.year_alone = re.compile(rf"{_YEAR}(?!\d|\s*[-–/.,]\s*\d)")
        fillers = rf"(?:\s+{alt(lex.year_cue_fillers)})*"
        # An election noun, one to three capitalised words (checked on the original text), a year.
        self.election_nouns = {_norm(w.lower()) for w in lex.election_nouns}
        self.year_after_place = re.compile(
            rf"(?P<cue>{alt(lex.election_nouns)})(?:\s+[a-z][\w'’-]*){{1,3}}\s+(?P<y>{_YEAR}){no_year_run}"
        )
        self.year_in_text = re.compile(
            rf"(?:{alt(lex.year_cues_in_text)}){fillers}\s+(?P<y>{_YEAR}){no_year_run}"
        )
        units = r"hari|days?|pekan|minggu|bulan|tahun|weeks?|months?|years?"
        self.days_ago = re.compile(
            rf"(?P<n>\d{{1,2}}|{alt(lex.number_words)})\s+(?P<unit>{units})\s+"
            rf"(?P<dir>{alt(lex.days_ago_words + lex.days_ahead_words)})(?![\w])"
        )
        # After a month name: "September 17, 2024" / "September 2024" / bare "September".
        self.mdy_rest = re.compile(
            rf"\.?\s+(?P<d>\d{{1,2}})(?P<ord>st|nd|rd|th)?(?!\d)"
            rf"(?:(?:\s*,\s*|\s+)(?P<y>{_YEAR})(?!\d))?(?![\w])"
        )
        self.month_year_rest = re.compile(rf"\.?\s*,?\s*(?P<y>{_YEAR}){no_year_run}")
        self.mdy_lead = re.compile(
            rf"(?:(?<![\w])(?P<on>on)\s+)?(?:(?<![\w])(?P<wd>{wd})(?![\w'’`])\.?\s*,?\s*)?(?P<open>\(\s*)?$"
        )
        self.month_cue_before = re.compile(
            rf"(?<![\w])(?P<cue>{alt(lex.bare_month_cues)})\s+(?:(?P<pre>bulan)\s+)?$"
        )
        self.month_pre = re.compile(r"(?<![\w])(?P<pre>bulan|month\s+of)\s+$")
        self.bare_months = set(lex.bare_months)
        self.digit_next = re.compile(r"\s*,?\s*\d")
        self.mod_after = re.compile(rf"\s+(?P<mod>{alt(lex.weekday_modifiers_after)})(?![\w])")
        self.mod_before_wd = re.compile(
            rf"(?P<mod>{alt(lex.weekday_modifiers_before)})\s+(?P<wd>{wd_full})(?![\w'’`])"
        )
        self.suffix = re.compile(rf"\s+(?P<suf>{alt(lex.date_suffixes)})(?![\w])")
        self.prev_word = re.compile(r"([\w-]+)\W*$")
        self.next_word = re.compile(r"\s*([\w-]+)")
        self.ago = {_norm(w.lower()) for w in lex.days_ago_words}
        self.keyword_classes = _keyword_classes(lex)
        self.keywords = re.compile(alt(self.keyword_classes) + r"(?![\w'’`])")

    # -- helpers -----------------------------------------------------------------------------
    def _weekday(self, name: str | None) -> int | None:
        return None if name is None else self.lex.weekday_index.get(_norm(name))

    def _month(self, name: str) -> int | None:
        return self.lex.month_index.get(name.rstrip("."))

    def _with_suffix(self, low: str, end: int) -> tuple[int, str | None]:
        """Extend a date over "kemarin"/"nanti"... and say which way the word points."""
        m = self.suffix.match(low, end)
        if not m:
            return end, None
        return m.end(), self.lex.weekday_modifiers_after.get(_norm(m["suf"]))

    def _previous_word(self, low: str, start: int) -> str:
        m = self.prev_word.search(low, max(0, start - 30), start)
        return m.group(1) if m else ""

    # -- digit runs --------------------------------------------------------------------------
    def _at_digits(self, low: str, pos: int, run: str, out: list[RawDate]) -> None:
        # A dateline city glued to its date by a dash ("Sukabumi-18 September 2024") starts a written-out
        # date; a dash after a digit ("17-18/9", "2024-09-17") does not start one.
        glued = pos > 1 and low[pos - 1] in "-–" and low[pos - 2].isalpha() and bool(
            self.dateline_before.search(low, max(0, pos - 30), pos))
        if pos > 0 and (low[pos - 1].isalpha() or low[pos - 1] in _NOT_BEFORE_A_DATE) and not glued:
            return
        if glued:
            if len(run) <= 2:
                self._day_forms(low, pos, out, textual_only=True)
            return
        if len(run) <= 2:
            self._day_forms(low, pos, out)
            m = self.days_ago.match(low, pos)
            if m:
                self._days_ago(m, int(m["n"]), out)
        elif len(run) == 4 and run[:2] in ("19", "20"):
            m = self.iso.match(low, pos)
            if m:
                d, mo = int(m["d"]), int(m["m"])
                if 1 <= d <= 31 and 1 <= mo <= 12:
                    out.append(RawDate(pos, m.end(), pos, "day", d, mo, int(m["y"]), rank=1))
                return
            m = self.year_alone.match(low, pos)
            if m and (
                self.year_cue_before.search(low, max(0, pos - 20), pos)
                or self.year_noun_after.match(low, m.end())
            ):
                out.append(RawDate(pos, m.end(), pos, "year", year=int(run), rank=6))

    def _day_forms(self, low: str, pos: int, out: list[RawDate], *, textual_only: bool = False) -> None:
        lead = self.lead.search(low, max(0, pos - 40), pos)
        assert lead is not None  # every part is optional, so it matches at ``pos``
        wd, opened = lead["wd"], bool(lead["open"])
        start = min(pos, lead.start())
        core = lead.start() if wd else pos
        if textual_only:
            self._textual(low, pos, pos, pos, None, False, out)
            return
        m = self.numeric_span.match(low, pos)
        if m and (opened or wd is not None or m["y"]):
            d, mo, y = int(m["d"]), int(m["m"]), m["y"]
            if 1 <= d <= 31 and 1 <= mo <= 12:
                year = None if y is None else (int(y) + 2000 if len(y) == 2 else int(y))
                end, direction = self._with_suffix(low, self._closed(low, m.end(), opened))
                # The weekday written before a span names one of its days, not surely the first.
                out.append(RawDate(start, end, core, "day", d, mo, year, None, None, direction, 1))
                return
        m = self.numeric.match(low, pos)
        if m:
            d, mo, sep, y = int(m["d"]), int(m["m"]), m["sep"], m["y"]
            anchored = opened or wd is not None
            valid = 1 <= d <= 31 and 1 <= mo <= 12
            if y is None and (sep == "." or not anchored):
                valid = False  # "14.00" is a time, a bare "3/4" a fraction
            if y is not None and len(y) in (2, 3) and (sep != "/" or not anchored):
                valid = False
            if valid:
                year = None if y is None or len(y) == 3 else (int(y) + 2000 if len(y) == 2 else int(y))
                end = self._closed(low, m.end(), opened)
                end, direction = self._with_suffix(low, end)
                weekday = self._weekday(wd)
                out.append(RawDate(start, end, core, "day", d, mo, year, weekday, None, direction, 1))
                return
        self._textual(low, pos, start, core, wd, opened, out)

    def _textual(self, low: str, pos: int, start: int, core: int, wd: str | None, opened: bool,
                 out: list[RawDate]) -> None:
        """ "17 September 2024", "17 Sept", with the weekday and parenthesis found before ``pos``."""
        m = self.textual.match(low, pos)
        if m:
            month, d = self._month(m["mon"]), int(m["d"])
            if month is not None and 1 <= d <= 31:
                end = self._closed(low, m.end(), opened)
                end, direction = self._with_suffix(low, end)
                year = int(m["y"]) if m["y"] else None
                weekday = self._weekday(wd)
                out.append(RawDate(start, end, core, "day", d, month, year, weekday, None, direction, 1))

    def _closed(self, low: str, end: int, opened: bool) -> int:
        if opened:
            m = self.close.match(low, end)
            if m:
                return m.end()
        return end

    def _days_ago(self, m: re.Match[str], n: int, out: list[RawDate]) -> None:
        sign = -1 if _norm(m["dir"]) in self.ago else 1
        if m["unit"] in ("hari", "day", "days"):
            out.append(RawDate(m.start(), m.end(), m.start(), "relative", offset=sign * n, rank=2))
        else:
            out.append(RawDate(m.start(), m.end(), m.start(), "vague", rank=2))

    # -- keywords ----------------------------------------------------------------------------
    def _at_keyword(self, low: str, original: str, m: re.Match[str], out: list[RawDate]) -> None:
        pos, end, word = m.start(), m.end(), _norm(m.group())
        if pos > 0 and (low[pos - 1].isalnum() or low[pos - 1] == "_"):
            return
        for group in self.keyword_classes[word]:
            if group == "vague":
                out.append(RawDate(pos, end, pos, "vague", rank=0))
            elif group == "relative":
                if self._previous_word(low, pos) not in self.lex.relative_not_after:
                    offset = self.lex.relative_days[word]
                    out.append(RawDate(pos, end, pos, "relative", offset=offset, rank=3))
            elif group == "weekday":
                self._weekday_word(low, original, pos, end, word, out)
            elif group == "month":
                self._month_word(low, original, pos, end, word, out)
            elif group == "year_cue":
                y = self.year_in_text.match(low, pos) or self._election_of_place(low, original, pos, word)
                if y:
                    out.append(RawDate(pos, y.end(), y.start("y"), "year", year=int(y["y"]), rank=6))
            elif group == "mod_before":
                w = self.mod_before_wd.match(low, pos)
                if w:
                    direction = self.lex.weekday_modifiers_before[_norm(w["mod"])]
                    out.append(RawDate(pos, w.end(), pos, "weekday_rel", weekday=self._weekday(w["wd"]),
                                       direction=direction, rank=2))
            elif group == "number":
                d = self.days_ago.match(low, pos)
                if d:
                    self._days_ago(d, self.lex.number_words[word], out)

    def _election_of_place(self, low: str, original: str, pos: int, word: str) -> re.Match[str] | None:
        """ "Pilkada Karangasem 2024", "Pilbup Bangka Tengah 2024": an election named with its region."""
        if word not in self.election_nouns:
            return None
        m = self.year_after_place.match(low, pos)
        if m is None or not all(w[:1].isupper() for w in original[m.end("cue") : m.start("y")].split()):
            return None
        return m

    def _weekday_word(
        self, low: str, original: str, pos: int, end: int, word: str, out: list[RawDate]
    ) -> None:
        weekday = self._weekday(word)
        capital = original[pos].isupper()
        mod = self.mod_after.match(low, end)
        if mod and (word != "minggu" or capital):  # lower-case "minggu lalu" is last week
            direction = self.lex.weekday_modifiers_after[_norm(mod["mod"])]
            out.append(RawDate(pos, mod.end(), pos, "weekday_rel", weekday=weekday, direction=direction,
                               rank=2))
            return
        prev = self._previous_word(low, pos)
        if prev in self.lex.weekday_skip_before or (not capital and prev != "hari"):
            return  # "setiap Senin", "salat Jumat"; weekday names are capitalised
        if word == "minggu":
            nxt = self.next_word.match(low, end)
            if nxt and nxt.group(1) in self.lex.minggu_as_week_after:
                return
        if low[end : end + 1] in ("-",):
            return
        out.append(RawDate(pos, end, pos, "weekday", weekday=weekday, rank=7))

    def _capitalised_next(self, original: str, end: int) -> bool:
        nxt = self.next_word.match(original, end)
        return bool(nxt and original[end : nxt.start(1)].strip() == "" and nxt.group(1)[0].isupper())

    def _month_word(
        self, low: str, original: str, pos: int, end: int, word: str, out: list[RawDate]
    ) -> None:
        month = self._month(word)
        if month is None or low[end : end + 1].isalpha():
            return
        m = self.mdy_rest.match(low, end)
        if m:
            lead = self.mdy_lead.search(low, max(0, pos - 30), pos)
            assert lead is not None
            if m["y"] or m["ord"] or lead["on"] or lead["wd"]:
                start = lead.start("wd") if lead["wd"] else (lead.start("open") if lead["open"] else pos)
                d = int(m["d"])
                if 1 <= d <= 31:
                    year = int(m["y"]) if m["y"] else None
                    stop = self._closed(low, m.end(), bool(lead["open"]))
                    weekday = self._weekday(lead["wd"])
                    out.append(RawDate(start, stop, start, "day", d, month, year, weekday, rank=2))
        m = self.month_year_rest.match(low, end)
        if m:
            pre = self.month_pre.search(low, max(0, pos - 15), pos)
            start = pre.start() if pre else pos
            stop, direction = self._with_suffix(low, m.end())
            year = int(m["y"])
            out.append(RawDate(start, stop, pos, "month_year", None, month, year, None, None, direction, 3))
            return
        if word not in self.bare_months or self.digit_next.match(low, end):
            return
        cue = self.month_cue_before.search(low, max(0, pos - 30), pos)
        stop, direction = self._with_suffix(low, end)
        if cue and not direction and cue["cue"] != "bulan" and self._capitalised_next(original, end):
            return  # "pada Juni Ardianto hadir": a name, not a month
        if cue or direction:
            start = pos
            if cue is not None and (cue["pre"] or cue["cue"] == "bulan"):
                start = cue.start("pre") if cue["pre"] else cue.start("cue")
            out.append(RawDate(start, stop, pos, "month", None, month, None, None, None, direction, 4))

    def scan(self, text: str) -> list[RawDate]:
        """All date expressions, left to right, without overlaps."""
        low = lower_same_length(text)
        found: list[RawDate] = []
        for m in self.digits.finditer(low):
            self._at_digits(low, m.start(), m.group(), found)
        for m in self.keywords.finditer(low):
            self._at_keyword(low, text, m, found)
        found.sort(key=lambda r: (r.start, -(r.end - r.start), r.rank))
        kept: list[RawDate] = []
        last_end = -1
        for raw in found:
            if raw.start >= last_end:
                kept.append(raw)
                last_end = raw.end
        return kept
