"""Context around a region name: the words before and after it, and the shape of its line.

The context words are data (``models/patterns/region_context.jsonl``: label, pattern, id,
optional ``ignore_case``, ``role`` and ``span``); this module only finds the one that ends
right before, or starts right after, a name. The line-shape helpers tell the tagger
whether a name sits in a headline, opens a sentence, or is glued into a web address.
"""

from __future__ import annotations

import re

from pipeline.nlp.gazetteer import ContextWord
from pipeline.nlp.lexicon import phrase_alternation

_SEP = r"[ \t\u00a0.()\-]*"  # between a prefix and the name: "Kab. X", "Pemerintah Kota (Pemkot) X"
_DOMAIN = re.compile(r"\.(?:com|co|id|net|org|tv|news|info|go|my|web|ac|or|sch)\b", re.IGNORECASE)
_CHUNK_STOP = " \t\n,;:()[]\"“”‘’|/"
_SENTENCE_END = set(".!?\n\"“”'‘’:;•*-–—(")
# Labels of words looked for before a name, and after it.
_BEFORE = {"KIND_KAB", "KIND_KOTA", "KIND_PROV", "KIND_ANY", "BODY", "SUBREGION", "ROAD", "FEATURE",
           "HONORIFIC", "COMPANY", "ETHNIC", "OUTLET_BEFORE"}
_AFTER = {"SUFFIX_KAB", "SUFFIX_KOTA", "SUFFIX_PROV", "OUTLET_AFTER"}
_LETTERS = re.compile(r"[^\W\d_]+")


class ContextMatcher:
    """Finds the context word (phrase) right before or after a position in the text."""

    def __init__(self, words: tuple[ContextWord, ...]) -> None:
        self._words: dict[tuple[str, bool], ContextWord] = {}
        before: dict[bool, list[str]] = {True: [], False: []}
        after: dict[bool, list[str]] = {True: [], False: []}
        for w in words:
            key = norm_phrase(w.pattern) if w.ignore_case else " ".join(w.pattern.split())
            if w.label in _BEFORE:
                self._words[(key, w.ignore_case)] = w
                before[w.ignore_case].append(w.pattern)
            elif w.label in _AFTER:
                self._words[(key, w.ignore_case)] = w
                after[w.ignore_case].append(w.pattern)
        self.ok_next = {w.pattern for w in words if w.label == "OK_NEXT"}
        self.first_words = {w.pattern.split()[0].lower().rstrip(".") for w in words if w.label != "OK_NEXT"}
        self._before = [(ic, alt_regex(p, r"(?<!\w)(?P<w>{})" + _SEP + "$", ic))
                        for ic, p in before.items() if p]
        self._after = [(ic, alt_regex(p, r"^[ \t\u00a0]+(?P<w>{})(?!\w)", ic))
                       for ic, p in after.items() if p]

    def before(self, text: str, pos: int) -> tuple[ContextWord, int, int] | None:
        """The context word ending right before ``pos``: (word, its start, its end)."""
        line_start = text.rfind("\n", 0, pos) + 1
        window_start = max(line_start, pos - 60)
        window = text[window_start:pos]
        best: tuple[ContextWord, int, int] | None = None
        for ic, rx in self._before:
            m = rx.search(window)
            if m and (best is None or window_start + m.start() < best[1]):
                best = (self._lookup(m.group("w"), ic), window_start + m.start(), window_start + m.end("w"))
        return best

    def after(self, text: str, pos: int) -> ContextWord | None:
        """The suffix or outlet word right after ``pos`` ("Regency", "Post"), if any."""
        window = text[pos:pos + 40]
        for ic, rx in self._after:
            m = rx.search(window)
            if m:
                return self._lookup(m.group("w"), ic)
        return None

    def _lookup(self, phrase: str, ignore_case: bool) -> ContextWord:
        key = norm_phrase(phrase) if ignore_case else " ".join(phrase.split())
        return self._words[(key, ignore_case)]


def norm_phrase(phrase: str) -> str:
    return " ".join(phrase.split()).lower().rstrip(".")


def alt_regex(phrases: list[str], template: str, ignore_case: bool) -> re.Pattern[str]:
    """``template`` with its ``{}`` filled by the phrases as one alternation, longest first."""
    return re.compile(template.format(phrase_alternation(phrases)), re.IGNORECASE if ignore_case else 0)


def plain_gap(gap: str) -> bool:
    """Only spaces, dots or a hyphen between a prefix and the name ("Kab. X"), no brackets."""
    return all(ch in " \t\u00a0.-" for ch in gap)


def in_domain(text: str, start: int, end: int) -> bool:
    """True inside "kaltim.tribunnews.com" or "RADARJAMBI.CO.ID" style chunks."""
    left, right = start, end
    while left > 0 and text[left - 1] not in _CHUNK_STOP:
        left -= 1
    while right < len(text) and text[right] not in _CHUNK_STOP:
        right += 1
    chunk = text[left:right]
    return "@" in chunk or "#" in chunk[: start - left] or bool(_DOMAIN.search(chunk))


def chunks(segment: str) -> list[tuple[int, str]]:
    """The comma/bracket-separated parts of a dateline head, stripped, with their offsets."""
    out = []
    for m in re.finditer(r"[^,()|\[\]]+", segment):
        raw = m.group()
        stripped = raw.strip(" \t.\u00a0")
        if stripped:
            out.append((m.start() + raw.index(stripped), stripped))
    return out


def line_of(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start:end if end >= 0 else len(text)]


def caps_line(text: str, pos: int) -> bool:
    letters = [c for c in line_of(text, pos) if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def title_line(text: str, pos: int) -> bool:
    """A headline in Title Case: no final full stop, 75 % of its longer words capitalised."""
    line = line_of(text, pos).strip()
    words = [w for w in _LETTERS.findall(line) if len(w) >= 4]
    return (len(line) <= 250 and not line.endswith(".") and len(words) >= 2
            and sum(w[0].isupper() for w in words) >= 0.75 * len(words))


def sentence_start(text: str, pos: int) -> bool:
    j = pos - 1
    while j >= 0 and text[j] in " \t\u00a0":
        j -= 1
    return j < 0 or text[j] in _SENTENCE_END


def without_web_address(chunk: str) -> tuple[int, str] | None:
    """The rest of a dateline chunk that starts or ends with a web address ("Mataram Lombokpost.com").

    Returns (offset in ``chunk``, the rest) or None when no word of the chunk is a web address.
    """
    words = list(re.finditer(r"\S+", chunk))
    if len(words) < 2:
        return None
    if _DOMAIN.search(words[-1].group()):
        return 0, chunk[:words[-2].end()]
    if _DOMAIN.search(words[0].group()):
        return words[1].start(), chunk[words[1].start():]
    return None


class SubregionList:
    """Tells whether a name is a later item of a list opened by a kecamatan/desa word, or a later
    word of such a place's own name.

    "di Kecamatan Kepil, Kalikajar dan Sukoharjo": every item is a kecamatan, whatever other
    region shares its name; "Desa Seuneubok Aceh": the region's name is part of the village's.
    Items are capitalised names of one to four words; a kind word ("Kabupaten Wonosobo dan
    Sukoharjo") ends the list, since the items after it are regions.
    """

    def __init__(self, words: tuple[ContextWord, ...]) -> None:
        subregion = phrase_alternation(w.pattern for w in words if w.label == "SUBREGION")
        kinds = phrase_alternation(w.pattern for w in words if w.label.startswith("KIND_") or w.label == "BODY")
        name = rf"(?!(?:{kinds})\b)[A-Z][\w'’-]*(?:[ \t]+(?!(?:{kinds})\b)[A-Z][\w'’-]*){{0,3}}"
        lead = rf"(?<!\w)(?i:{subregion})\.?[ \t]+{name}"
        self._list_before = re.compile(
            rf"{lead}(?:[ \t]*,[ \t]*{name})*[ \t]*,?[ \t]*(?:dan|serta|atau|,)[ \t]*$|{lead}[ \t]+$")

    def in_list(self, text: str, pos: int) -> bool:
        line_start = text.rfind("\n", 0, pos) + 1
        return self._list_before.search(text, max(line_start, pos - 160), pos) is not None
