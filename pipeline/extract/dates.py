"""Dates as Indonesian outlets write them, and the outlet's UTC offset.

A publication time without its offset is ambiguous by up to two hours across
WIB/WITA/WIT, enough to move a late-evening story to the next day, so every
datetime leaves here aware and expressed in the outlet's own zone. The parser is
a handful of regular expressions rather than dateparser: bylines follow few
forms ("Senin, 23 September 2024 | 15:51 WIB", "24/09/2024, 10:05",
"2024-09-23T15:51:00+07:00"), and a strict parser never invents a date out of
"Pilkada 2024".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from pipeline.nlp.date_lexicon import load_lexicon as load_date_lexicon
from pipeline.nlp.lexicon import phrase_alternation

ZONES: dict[str, timezone] = {
    "WIB": timezone(timedelta(hours=7), "WIB"),
    "WITA": timezone(timedelta(hours=8), "WITA"),
    "WIT": timezone(timedelta(hours=9), "WIT"),
}

# Month and weekday spellings are the date lexicon's (models/lexicons/dates.yaml), the one list.
_LEXICON = load_date_lexicon()
MONTHS: dict[str, int] = dict(_LEXICON.month_index)
WEEKDAYS = "(" + phrase_alternation(_LEXICON.weekday_index) + ")"
_MONTH_RE = phrase_alternation(MONTHS)

TEXT_DATE = re.compile(
    r"(?P<d>\d{1,2})\s*(?P<m>" + _MONTH_RE + r")\.?,?\s+(?P<y>(19|20)\d{2})"
    r"|(?P<m2>" + _MONTH_RE + r")\.?\s+(?P<d2>\d{1,2}),?\s+(?P<y2>(19|20)\d{2})"
    r"|(?P<d3>\d{1,2})[/.\-](?P<m3>\d{1,2})[/.\-](?P<y3>(19|20)\d{2})"
    r"|(?P<y4>(19|20)\d{2})-(?P<m4>\d{1,2})-(?P<d4>\d{1,2})",
    re.IGNORECASE,
)
TEXT_TIME = re.compile(
    r"(?<![\d/])(?P<h>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)(?::(?P<s>[0-5]\d))?"
    r"(?:\s*(?P<ampm>am|pm))?(?:\s*(?P<tz>WIB|WITA|WIT|GMT|UTC)(?P<off>[+-]\d{1,2})?)?(?![\d/])",
    re.IGNORECASE,
)
WEEKDAY_RE = re.compile(r"\b" + WEEKDAYS + r"\b", re.IGNORECASE)
_YEAR = re.compile(r"(19|20)\d{2}")  # every form of TEXT_DATE holds a year: most lines hold none


@dataclass(frozen=True)
class FoundDate:
    """A date found in text, with its time if one was written next to it."""

    day: date
    clock: time | None
    zone: tzinfo | None
    start: int
    end: int


def outlet_zone(name: str | None) -> timezone:
    return ZONES.get((name or "WIB").upper(), ZONES["WIB"])


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def find_dates(text: str) -> list[FoundDate]:
    """All full dates (day, month, year) in ``text``, each with a time that follows it."""
    found: list[FoundDate] = []
    if _YEAR.search(text) is None:
        return found
    for match in TEXT_DATE.finditer(text):
        g = match.groupdict()
        if g["d"]:
            day = _valid(int(g["y"]), MONTHS[g["m"].lower()], int(g["d"]))
        elif g["m2"]:
            day = _valid(int(g["y2"]), MONTHS[g["m2"].lower()], int(g["d2"]))
        elif g["d3"]:
            day = _valid(int(g["y3"]), int(g["m3"]), int(g["d3"]))
        else:
            day = _valid(int(g["y4"]), int(g["m4"]), int(g["d4"]))
        if day is None:
            continue
        clock, zone, end = None, None, match.end()
        tail = text[match.end(): match.end() + 24]
        tmatch = TEXT_TIME.search(tail)
        if tmatch and not re.search(r"[A-Za-z]{3,}", tail[: tmatch.start()].replace("pukul", "")):
            clock, zone = _clock(tmatch)
            end = match.end() + tmatch.end()
        found.append(FoundDate(day, clock, zone, match.start(), end))
    return found


def _clock(match: re.Match[str]) -> tuple[time | None, tzinfo | None]:
    hour, minute = int(match["h"]), int(match["mi"])
    second = int(match["s"] or 0)
    ampm = (match["ampm"] or "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    zone: tzinfo | None = None
    label = (match["tz"] or "").upper()
    if label in ZONES:
        zone = ZONES[label]
    elif label in ("GMT", "UTC"):
        zone = timezone(timedelta(hours=int(match["off"] or 0)))
    try:
        return time(hour, minute, second), zone
    except ValueError:
        return None, None


def parse_iso(value: str) -> tuple[date, datetime | None] | None:
    """Parse an ISO-ish machine date (JSON-LD, meta tags, ``<time datetime>``)."""
    value = value.strip()
    if not value:
        return None
    candidate = value.replace("Z", "+00:00").replace(" ", "T", 1)
    candidate = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", candidate)
    candidate = re.sub(r"\.\d+(?=[+-]|$)", "", candidate)
    try:
        stamp = datetime.fromisoformat(candidate)
    except ValueError:
        found = find_dates(value)
        if not found:
            return None
        first = found[0]
        if first.clock is None:
            return first.day, None
        return first.day, datetime.combine(first.day, first.clock, first.zone)
    if len(value) <= 10 and "T" not in candidate:
        return stamp.date(), None
    return stamp.date(), stamp


def to_outlet_iso(day: date, stamp: datetime | None, zone_name: str | None) -> str:
    """ISO datetime in the outlet's offset when a time is known, else the ISO date.

    Naive times are taken to be outlet-local (that is how bylines print them);
    aware ones are converted, so "2024-09-23T08:51:00Z" becomes "...15:51:00+07:00".
    """
    zone = outlet_zone(zone_name)
    if stamp is None:
        return day.isoformat()
    stamp = stamp.replace(tzinfo=zone) if stamp.tzinfo is None else stamp.astimezone(zone)
    if stamp.hour == 0 and stamp.minute == 0 and stamp.second == 0 and stamp.tzinfo is zone:
        # A bare midnight is how many CMSs store "date only"; do not claim a time.
        return stamp.date().isoformat()
    return stamp.replace(microsecond=0).isoformat()


def plausible(day: date, today: date | None = None) -> bool:
    """News dates lie between the web's early years and tomorrow."""
    today = today or date.today()
    return date(1995, 1, 1) <= day <= today + timedelta(days=2)
