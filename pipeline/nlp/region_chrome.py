"""Page chrome that names regions without being part of the story.

Shapes the extraction stage leaves in stored texts (``clean_text`` drops "Baca juga" lines and
bare credits, not these), all common on Indonesian news sites:

- the block of related or latest headlines after the story ("Bupati Tebo Resmi Kukuhkan ...",
  "- 3 Pria di Ogan Ilir Diringkus Polisi"): three or more Title Case lines at the very end,
  none ending like a sentence;
- the site name before a pipe on the first line ("Aspirasi Jabar | | Kabupaten Tasikmalaya-...");
- single chrome lines listed in ``models/lexicons/region_chrome.yaml``: tag lists, republication
  notices, bylines without a colon, promotion lines ("Tags: Bawaslu Garut", "Kontributor Garut, Budi").

Regions found there belong to other stories or to the outlet, so the tagger ignores them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import field_validator

from pipeline.nlp.lexicon import LexiconModel, alternation, load_lexicon

_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"[^\W_][^\W_'’-]*(?:['’-][^\W_]+)*")
_BULLET = re.compile(r"^[ \t]*(?:[-•*·▪►]|\d{1,2}[.)])[ \t]+")
_SENTENCE_END = tuple(".,;:\"”’')")
_MIN_HEADLINES = 3


def _headline(line: str) -> bool:
    """A Title Case line of 5 to 30 words that does not end like a sentence or a list lead."""
    body = _BULLET.sub("", line).strip()
    if not body or len(body) > 200 or body.endswith(_SENTENCE_END):
        return False
    words = _WORD.findall(body)
    if not 5 <= len(words) <= 30:
        return False
    long_words = [w for w in words if len(w) >= 4 and not w.isdigit()]
    return len(long_words) >= 3 and sum(w[0].isupper() for w in long_words) >= 0.6 * len(long_words)


def related_tail(text: str) -> int:
    """Where a trailing block of related headlines starts; ``len(text)`` when there is none.

    The block must be preceded by something that is not a list lead ("... berikut:"), so
    a story that ends in a list of places keeps it.
    """
    lines = list(_LINE.finditer(text))
    k = len(lines)
    while k > 0 and (not lines[k - 1].group().strip() or _headline(lines[k - 1].group())):
        k -= 1
    block = [m for m in lines[k:] if m.group().strip()]
    if len(block) < _MIN_HEADLINES or k == 0 or lines[k - 1].group().rstrip().endswith(":"):
        return len(text)
    return block[0].start()


def site_name_span(text: str) -> tuple[int, int]:
    """(start, end) of a short site name before a pipe on the first line; (0, 0) when there is none.

    "Aspirasi Jabar | | Kabupaten Tasikmalaya - ..." starts with the outlet's name. Only a
    segment of two to four words counts: a longer one is a headline ("Bawaslu Jabar Gelar ... |").
    """
    first = re.search(r"\S[^\n]*", text)
    if not first:
        return 0, 0
    line = first.group()
    bar = line.find("|")
    if bar <= 0:
        return 0, 0
    segment = line[:bar].rstrip()
    if not 2 <= len(_WORD.findall(segment)) <= 4:
        return 0, 0
    return first.start(), first.start() + len(segment)


class RegionChromeLexicon(LexiconModel):
    """``models/lexicons/region_chrome.yaml``."""

    version: int
    line_patterns: tuple[str, ...]

    @field_validator("line_patterns")
    @classmethod
    def _compiles(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"not a regular expression: {pattern!r} ({exc})") from exc
        return patterns


@lru_cache(maxsize=1)
def _chrome_line() -> re.Pattern[str]:
    patterns = load_lexicon("region_chrome", RegionChromeLexicon).line_patterns
    return re.compile(rf"^[ \t]*{alternation(patterns)}[^\n]*", re.MULTILINE | re.IGNORECASE)


def chrome_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line that is page chrome by ``region_chrome.yaml``."""
    return [m.span() for m in _chrome_line().finditer(text)]
