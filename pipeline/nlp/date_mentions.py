"""Indonesian (and English) date expressions in news text, resolved to absolute dates (spaCy-free core;
``pipeline.nlp.dates`` re-exports it and registers the spaCy component).

Regexes find the expressions (``date_scan``); this module fixes the year of partial dates such as
"Selasa (17/9)", resolves "kemarin" and "Jumat lalu" against the publication date, checks written
weekdays and attaches a role hint (``date_roles``) so the event extractor can refuse the voting day,
deadlines, law dates, report cut-offs, future plans and bylines. dateparser is not used: it is
~1 ms per call, reads "(10/9/2024) kemarin" as 9 October and turns the "2024" of "Pilkada 2024"
into a day; the regex path reads day first always and never makes a day out of a bare year.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, cast

from pipeline.nlp.date_lexicon import DateLexicon, LexiconError, load_lexicon
from pipeline.nlp.date_roles import RoleDetector
from pipeline.nlp.date_scan import DateScanner, RawDate

Precision = Literal["day", "month", "year", "unknown"]
Kind = Literal["absolute", "partial", "relative", "weekday_only", "unknown"]
RoleHint = Literal["voting_day", "deadline", "law", "report", "future", "birth", "publication"]

# Roles whose date is never the date of a reported activity.
TRAP_ROLES = frozenset({"voting_day", "deadline", "law", "report", "future", "birth", "publication"})

# With a publication date, a partial date is the nearest occurrence; a future one costs this many
# times its distance (news reports the past), and a weekday that disagrees costs this many days.
_FUTURE_COST = 15
_WEEKDAY_COST = 150


@dataclass(frozen=True)
class DateMention:
    """One date expression. ``text == source[start:end]``.

    ``date`` is the first day of the period for month and year precision (check ``precision``
    before treating it as a day) and is None when it cannot be fixed ("pekan lalu", "Jumat" with
    no publication date). ``weekday_ok`` is False when the written weekday contradicts the date;
    the date stays as written so the caller sees the contradiction.
    """

    start: int
    end: int
    text: str
    date: dt.date | None
    precision: Precision
    kind: Kind
    weekday_ok: bool | None
    role_hint: RoleHint | None

    @property
    def day_date(self) -> dt.date | None:
        """The date when it is a day the text vouches for: day precision, weekday not contradicted."""
        if self.precision != "day" or self.weekday_ok is False:
            return None
        return self.date

    @property
    def event_date(self) -> dt.date | None:
        """The day an activity reported with this mention may carry: None for traps and doubt, and for
        a weekday written alone ("di Palu, Rabu, mengatakan"): by the annotation conventions only a
        weekday gives no date, even where the publication date would fix it."""
        if self.role_hint in TRAP_ROLES or self.kind == "weekday_only":
            return None
        return self.day_date


def check_weekday(day: dt.date, weekday: str | int) -> bool:
    """Whether ``day`` falls on ``weekday`` (a name in any lexicon spelling, or 0=Monday..6=Sunday)."""
    if isinstance(weekday, str):
        index = load_lexicon().weekday_index.get(" ".join(weekday.lower().split()))
        if index is None:
            raise ValueError(f"unknown weekday name: {weekday!r}")
        weekday = index
    if not 0 <= weekday <= 6:
        raise ValueError(f"weekday index out of range: {weekday}")
    return day.weekday() == weekday


@lru_cache(maxsize=1)
def _engine() -> tuple[DateLexicon, DateScanner, RoleDetector]:
    lex = load_lexicon()
    unknown = set(lex.role_order) - TRAP_ROLES
    if unknown:
        raise LexiconError(f"dates lexicon: role_order has roles the code does not know: {sorted(unknown)}")
    return lex, DateScanner(lex), RoleDetector(lex)


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def infer_year(
    day: int,
    month: int,
    weekday: int | None,
    reference: dt.date | None,
    context_year: int | None,
    direction: str | None = None,
) -> dt.date | None:
    """The date of a day and month written without a year.

    With a publication date: the nearest occurrence, the past preferred (a date written without
    a year is recent news; "(30/12)" published on 3 January is last year), the future accepted when
    the text says "nanti"/"mendatang" or the distance is only days; a disagreeing weekday weighs
    against a year but does not move a date by a whole year when the other is days away.
    With only a context year: that year, else the year before or after it in which the written
    weekday agrees ("Selasa (26/9)" in a text of the 2024 campaign written in 2023).
    """
    if reference is not None:
        best: tuple[float, dt.date] | None = None
        for year in (reference.year - 1, reference.year, reference.year + 1):
            candidate = _safe_date(year, month, day)
            if candidate is None:
                continue
            delta = (candidate - reference).days
            future_cost = 1 if direction in ("next", "next_week") else _FUTURE_COST
            past_cost = _FUTURE_COST if direction in ("next", "next_week") else 1
            cost: float = -delta * past_cost if delta <= 0 else delta * future_cost
            if weekday is not None and candidate.weekday() != weekday:
                cost += _WEEKDAY_COST
            if best is None or cost < best[0]:
                best = (cost, candidate)
        return None if best is None else best[1]
    if context_year is None:
        return None
    candidates = [_safe_date(y, month, day) for y in (context_year, context_year - 1, context_year + 1)]
    valid = [c for c in candidates if c is not None]
    if weekday is not None:
        for candidate in valid:
            if candidate.weekday() == weekday:
                return candidate
    return valid[0] if valid else None


def election_year(day: int, month: int, voting_day: dt.date, window: tuple[int, int]) -> dt.date | None:
    """The date of a day and month written without a year in a text about the election held on
    ``voting_day``: the one occurrence within ``window`` (days before, days after) of the voting day.
    The weekday is not consulted: it is checked afterwards, and a disagreement is a date trap."""
    before, after = window
    for year in (voting_day.year - 1, voting_day.year, voting_day.year + 1):
        candidate = _safe_date(year, month, day)
        if candidate is not None and -before <= (candidate - voting_day).days <= after:
            return candidate
    return None


def _election_day(text: str, raws: list[RawDate], lex: DateLexicon) -> dt.date | None:
    """The voting day of the election the text is about: the election most often named with a year
    ("Pilkada Serentak 2024", "Pemilu 2024"), the first named on a tie; None when none is known."""
    counts: Counter[dt.date] = Counter()
    for raw in raws:
        if raw.form != "year" or raw.year is None:
            continue
        cue = " ".join(text[raw.start : raw.core].lower().split())
        kind = next((lex.election_kind_index[k] for k in lex.election_words_longest_first if cue.startswith(k)),
                    None)
        if kind is None:
            continue
        day = next((d for d in lex.voting_days[kind] if d.year == raw.year), None)
        if day is not None:
            counts[day] += 1
    return counts.most_common(1)[0][0] if counts else None


def _weekday_date(weekday: int, reference: dt.date, direction: str | None) -> dt.date:
    """ "Jumat lalu" = latest Friday before; "Senin depan" = first Monday after; bare = on or before."""
    if direction == "past":
        return reference - dt.timedelta(days=(reference.weekday() - weekday - 1) % 7 + 1)
    if direction == "next":
        return reference + dt.timedelta(days=(weekday - reference.weekday() - 1) % 7 + 1)
    monday = reference - dt.timedelta(days=reference.weekday())
    if direction == "prev_week":
        return monday - dt.timedelta(days=7 - weekday)
    if direction == "next_week":
        return monday + dt.timedelta(days=7 + weekday)
    return reference - dt.timedelta(days=(reference.weekday() - weekday) % 7)


def _month_year(
    month: int, reference: dt.date | None, context_year: int | None, direction: str | None
) -> int | None:
    if reference is None:
        return context_year
    if direction in ("next", "next_week"):
        return reference.year if month >= reference.month else reference.year + 1
    return reference.year if month <= reference.month else reference.year - 1


def _resolve(
    raw: RawDate, reference: dt.date | None, anchor: dt.date | None, context_year: int | None,
    election: tuple[dt.date, tuple[int, int]] | None = None,
) -> tuple[dt.date | None, Precision, Kind, bool | None]:
    """Date, precision, kind and weekday check of one scanned expression.

    ``reference`` is the publication date (relative forms need it); ``anchor`` is the publication
    date or, without one, a trustworthy full date in the text, used only to fix missing years;
    ``election`` is the voting day of the election the text names and the window around it, which
    fixes missing years when there is no anchor.
    """
    if raw.form == "day":
        assert raw.day is not None and raw.month is not None
        kind: Kind = "absolute" if raw.year is not None else "partial"
        if raw.year is not None:
            date = _safe_date(raw.year, raw.month, raw.day)
        elif anchor is None and election is not None:
            date = election_year(raw.day, raw.month, *election)
        else:
            date = infer_year(raw.day, raw.month, raw.weekday, anchor, context_year, raw.direction)
        ok = None if raw.weekday is None or date is None else date.weekday() == raw.weekday
        return date, "day", kind, ok
    if raw.form == "month_year":
        assert raw.month is not None and raw.year is not None
        return dt.date(raw.year, raw.month, 1), "month", "absolute", None
    if raw.form == "month":
        assert raw.month is not None
        year = _month_year(raw.month, anchor, context_year, raw.direction)
        return (None if year is None else dt.date(year, raw.month, 1)), "month", "partial", None
    if raw.form == "year":
        assert raw.year is not None
        return dt.date(raw.year, 1, 1), "year", "absolute", None
    if raw.form == "relative":
        assert raw.offset is not None
        date = None if reference is None else reference + dt.timedelta(days=raw.offset)
        return date, "day", "relative", None
    if raw.form in ("weekday_rel", "weekday"):
        assert raw.weekday is not None
        date = None if reference is None else _weekday_date(raw.weekday, reference, raw.direction)
        return date, "day", ("relative" if raw.form == "weekday_rel" else "weekday_only"), None
    return None, "unknown", "unknown", None


# A year closing a name ("Rakornas Pemerintah Daerah 2024", "Rapat Koordinasi Pengawasan 2024"): not a
# date, but the year the text speaks of when it gives no other.
_NAMED_YEAR = re.compile(r"(?<![\w])[A-Z][A-Za-z]+ ((?:19|20)\d{2})(?![\d.,/-]?\d)")


def _document_year(text: str, raws: list[RawDate]) -> int | None:
    """The most frequent year written in full dates, then in any year mention, then closing a name:
    a last-resort context."""
    for forms in (("day", "month_year"), ("year",)):
        years = Counter(r.year for r in raws if r.form in forms and r.year is not None)
        if years:
            return years.most_common(1)[0][0]
    named = Counter(int(m.group(1)) for m in _NAMED_YEAR.finditer(text))
    return named.most_common(1)[0][0] if named else None


def find_dates(
    text: str, published: dt.date | None = None, context_year: int | None = None
) -> list[DateMention]:
    """All date expressions in ``text``, in order.

    ``published`` resolves relative forms ("kemarin", "Jumat lalu") and fixes the year of partial
    dates. Without it the first byline stamp in the text ("Senin, 23 September 2024 | 15:51 WIB")
    serves; failing that, partial dates take their year from the first full date in the text whose
    weekday agrees (within a year of ``context_year``), then from ``context_year``, then from the
    election the text names ("Pilkada 2024": the year that puts the day in the run-up to or just
    after its voting day), then from the most frequent year written in the text (in dates, after
    year cues, then closing a name: "Rakornas Pemerintah Daerah 2024").
    """
    _, scanner, roles = _engine()
    raws = scanner.scan(text)
    reference = published
    if reference is None:
        reference = _stamp_or_anchor(text, raws, roles, None, publication=True)
    year = context_year
    if year is None:
        year = reference.year if reference else _document_year(text, raws)
    anchor = reference
    if anchor is None:
        anchor = _stamp_or_anchor(text, raws, roles, year, publication=False)
    lex = roles.lex
    voting_day = None if anchor is not None else _election_day(text, raws, lex)
    election = None if voting_day is None else (voting_day, lex.election_window_days)
    mentions: list[DateMention] = []
    for raw in raws:
        date, precision, kind, ok = _resolve(raw, reference, anchor, year, election)
        if raw.form == "day" and date is None and (raw.year or anchor or year) is not None:
            continue  # an impossible day ("31/2/2024"): not a date after all
        role = roles.detect(
            text, (raw.start, raw.core, raw.end), precision, date, raw.direction,
            raw.weekday is not None, year,
        )
        if reference is not None and precision == "day" and date is not None:
            # Against the publication date, "future" is a fact: a later day is one, an earlier day is not
            # ("Rakor yang akan membahas netralitas digelar Senin (5/8)" was held before it was reported).
            if role is None and date > reference:
                role = "future"
            elif role == "future" and date < reference:
                role = None
        written = text[raw.start : raw.end]
        hint = cast("RoleHint | None", role)  # role_order is checked against TRAP_ROLES in _engine
        mentions.append(DateMention(raw.start, raw.end, written, date, precision, kind, ok, hint))
    return mentions


def _stamp_or_anchor(
    text: str, raws: list[RawDate], roles: RoleDetector, context_year: int | None, *, publication: bool
) -> dt.date | None:
    """The first full date marked as a byline stamp (``publication``), or else the first full date
    with a written weekday that agrees and no trap role: the best evidence of the article's time."""
    for raw in raws:
        if raw.form != "day" or raw.year is None or raw.month is None or raw.day is None:
            continue
        date = _safe_date(raw.year, raw.month, raw.day)
        if date is None or (raw.weekday is not None and date.weekday() != raw.weekday):
            continue
        if not publication:
            far = context_year is not None and abs(date.year - context_year) > 1
            if raw.weekday is None or far:
                continue
        span = (raw.start, raw.core, raw.end)
        role = roles.detect(text, span, "day", date, raw.direction, raw.weekday is not None)
        if (role == "publication") if publication else (role is None):
            return date
    return None
