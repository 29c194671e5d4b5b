"""The shape of a line: prose, headline, date stamp, ticker.

The chrome filter's structural rules (a related block runs until the first
line of prose; a closing run of bulleted headlines is a related list) need to
tell a sentence from a headline without knowing the outlet. Indonesian
headlines capitalise every content word and carry no closing stop; prose has
lower-case verbs and ends like a sentence.
"""

from __future__ import annotations

import re

from pipeline.extract.dates import TEXT_TIME, WEEKDAY_RE, find_dates

_BULLET = re.compile(r"^[\s\-–—•·*»›▶►■□◆◇●○▪‣⁃>|:]+(?=\S)")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_TERMINAL = re.compile(r"""[.!?…:;"”’'»)\]]\s*$""")
_WORD = re.compile(r"\w+", re.UNICODE)


def normalise_line(line: str) -> str:
    """Collapse whitespace and strip list bullets, the form rules are matched on."""
    line = _SPACES.sub(" ", line).strip()
    return _BULLET.sub("", line).strip()


def word_count(line: str) -> int:
    return len(_WORD.findall(line))


def is_prose(line: str) -> bool:
    """A line of running text: long, or a sentence-sized line that ends like one.

    A long line capitalised like headlines (a "Terkini: A | B | C" ticker) is not prose.
    """
    words = word_count(line)
    if words >= 25:
        return not is_title_case(line)
    return words >= 7 and _TERMINAL.search(line) is not None


_FUNCTION_WORDS = frozenset(
    ["dan", "di", "ke", "dari", "untuk", "yang", "dengan", "atau", "pada", "dalam", "soal", "jadi", "ini", "itu", "usai", "akan", "bagi", "oleh", "hingga", "jelang", "saat", "tak", "tidak", "ada", "the", "of", "and", "in", "to", "for", "on", "at", "a", "an", "with", "by", "from", "is", "are", "as", "vs"]
)


def is_title_case(line: str) -> bool:
    """Capitalised like an Indonesian headline: at most one lower-case content word in eight."""
    words = _WORD.findall(line)
    lower = [w for w in words if w[0].islower() and w.lower() not in _FUNCTION_WORDS]
    return len(words) >= 4 and len(lower) <= max(1, len(words) // 8)


def is_headline_like(line: str) -> bool:
    """A linked headline: short, no closing punctuation, or capitalised like a title.

    Indonesian headlines capitalise every content word ("Jokowi Ugal-ugalan Soal
    Bansos, Sri Mulyani dan Megawati Bertemu Empat Mata"); prose, even prose full
    of names, has lower-case verbs ("... menegaskan agar berkampanye ...").
    """
    if is_prose(line):
        return False
    words = _WORD.findall(line)
    stripped = line.lstrip()
    if stripped.startswith(('"', "“")) and not re.search(r'["”]', stripped[1:]):
        return False  # an unfinished quotation: the cut-off end of an excerpt, not a headline
    if is_title_case(line):
        return True
    return len(words) <= 12 and not line.lstrip().startswith(('"', "“", "'", "‘"))


_TICKER_SPLIT = re.compile(r"\s[|•·]\s")


def is_ticker(line: str) -> bool:
    """Three or more headlines on one line, separated by bars or bullets."""
    parts = [p for p in _TICKER_SPLIT.split(line) if p.strip()]
    return len(parts) >= 3 and all(is_title_case(p) or word_count(p) <= 3 for p in parts)


def is_date_stamp(line: str) -> bool:
    """A byline date stamp ("Senin, 23 September 2024 | 15:51 WIB"), not a sentence."""
    found = find_dates(line)
    if not found or len(line) > 160 or line.rstrip().endswith((".", "-", "–", "—", ":")):
        return False  # a sentence, or a dateline leading into the first paragraph
    rest = line
    for item in reversed(found):
        rest = rest[: item.start] + " " + rest[item.end:]
    rest = TEXT_TIME.sub(" ", WEEKDAY_RE.sub(" ", rest))
    rest = re.sub(r"\b(diperbarui|diterbitkan|dipublikasikan|published|updated|posted|pukul|jam|oleh|by|on|wib|wita|wit)\b", " ", rest, flags=re.IGNORECASE)
    return word_count(rest) <= 6
