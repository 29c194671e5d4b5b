"""Where a post written in Indonesian news ends: head, unit, body, unit number.

A post is a head ("Kepala", "Kasat", "Koordinator") plus an optional unit ("Bidang Politik Dalam Negeri",
"Reskrim", "Divisi Hukum, Pencegahan, dan Humas (HP2H)") plus an optional body ("Bawaslu", "Polres",
"Kodim 0207/Simalungun"). What follows the post is a region and then the holder's name, unless a
comma or a verb ends the phrase. The scan reads the capitalised words after the head once, left to
right (a linear pass: no regex backtracking over long runs of text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.nlp.official_lexicon import BodySpec, OfficialsLexicon, TitleSpec

# One word of a post: a capitalised word, "dan"/"&", an abbreviation in brackets, a unit number.
_TAIL_TOKEN = re.compile(r"(?P<sep>[ \t]*,[ \t]*|[ \t]+|[ \t]*\n[ \t]*)"
                         r"(?P<word>dan\b|&|[A-Z][\w’'\-]*|\([A-Z][^()\n]{0,40}\)|\d{2,4}\b)")
# After a body: its bracketed short form, a unit number, and a "/Region" suffix ("Kodim 0102/Pidie").
_BODY_SUFFIX = re.compile(r"(?:\s*\([A-Z][\w-]{1,15}\))?(?:\s+\d{2,4}(?![\w/]*\d))?")
_SLASH_REGION = re.compile(r"/\s?")
_MAX_TOKENS = 16
_ABBREVIATION = re.compile(r"[A-Z]{2,6}")
_JOINED_UNIT = re.compile(r"(?:Kasat|Kasi|Kabag|Kanit|Pasi)[a-z]{2,}$")


@dataclass(frozen=True)
class Post:
    """A post as written: ``readings`` are (title end, where the region or name may start), best first.

    A post with a body ends at the body; a unit without a body has several plausible ends ("Kepala Dinas
    Kominfo Cahaya Wijaya": the unit is one word; "Asisten Administrasi Pemerintahan dan Kesra, Andi": it
    runs to the comma), and the first reading that is followed by a name wins.
    """

    readings: tuple[tuple[int, int], ...]
    body: BodySpec | None
    body_surface: str

    @property
    def title_end(self) -> int:
        return self.readings[0][0]


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    word: str
    comma_before: bool


def _tail(lex: OfficialsLexicon, text: str, position: int) -> list[_Token]:
    """The capitalised words after a head, up to a lowercase word, a rank or honorific, or punctuation."""
    tokens: list[_Token] = []
    while len(tokens) < _MAX_TOKENS:
        match = _TAIL_TOKEN.match(text, position)
        if not match or lex.rank_or_prefix_at.match(text, match.start("word")):
            break
        tokens.append(_Token(match.start("word"), match.end("word"), match.group("word"),
                             "," in match.group("sep")))
        position = match.end()
    return tokens


def _zone(lex: OfficialsLexicon, tokens: list[_Token]) -> list[_Token]:
    """The tokens before the first comma that does not continue a list ("Hukum, Pencegahan, dan Humas")."""
    for index, token in enumerate(tokens):
        if token.comma_before and index:
            # A list of unit words goes on to its "dan" ("Hukum, Pencegahan, Partisipasi Masyarakat, dan Humas").
            ahead = [t.word for t in tokens[index:index + 6]]
            joined = next((i for i, word in enumerate(ahead[:-1]) if word in ("dan", "&")), None)
            if joined is None or any(lex.title_re.fullmatch(word) for word in ahead[:joined]):
                return tokens[:index]
    return tokens


def _body_in(lex: OfficialsLexicon, text: str, zone: list[_Token]) -> tuple[re.Match[str], BodySpec] | None:
    for token in zone:
        match = lex.body_re.match(text, token.start)
        if match:
            body = lex.body_of(match.group(1))
            if body is not None:
                return match, body
    return None


def _unit_ends(lex: OfficialsLexicon, text: str, zone: list[_Token], compact_head: bool) -> list[int]:
    """Plausible ends of a unit with no body after it, best first: its bracketed short form; the comma that
    closes the zone; its last abbreviation or number; its first word (and any "dan X" that joins it)."""
    if not zone or not (compact_head or lex.unit_re.fullmatch(zone[0].word)):
        return []
    for index, token in enumerate(zone):
        if token.word.startswith("(") and index:
            return [token.end]
    ends = []
    if re.match(r"\s*,", text[zone[-1].end:zone[-1].end + 3]):
        ends.append(zone[-1].end)
    marks = [t.end for t in zone[1:] if _ABBREVIATION.fullmatch(t.word) or t.word.isdigit()]
    if marks:
        ends.append(marks[-1])
    words = 1 if compact_head else 2
    end = zone[min(words, len(zone)) - 1].end
    index = min(words, len(zone))
    while index + 1 < len(zone) and zone[index].word in ("dan", "&"):
        end = zone[index + 1].end
        index += 2
    ends.append(end)
    return list(dict.fromkeys(ends))


def read_post(lex: OfficialsLexicon, text: str, head_end: int, spec: TitleSpec, head: str) -> Post | None:
    """The post that starts with the head ending at ``head_end``; ``None`` when the head names no post."""
    if not spec.needs_body:
        return Post(((head_end, head_end),), None, "")
    zone = _zone(lex, _tail(lex, text, head_end))
    if any(token.word in lex.non_public for token in zone):
        return None  # a company, party, school or association: not a public office
    found = _body_in(lex, text, zone)
    if found:
        match, body = found
        end = _BODY_SUFFIX.match(text, match.end()).end()  # type: ignore[union-attr]  # matches empty
        cursor = end
        slash = _SLASH_REGION.match(text, cursor)
        if slash:
            cursor = slash.end()
        return Post(((end, cursor),), body, match.group(1))
    compact = bool(re.fullmatch(r"Ka[a-z]{1,6}|Pasi|Waka", head.split()[-1]))
    ends = _unit_ends(lex, text, zone, compact)
    if not ends and (re.search(r"\s[IVX]{1,4}$", head) or _JOINED_UNIT.search(head)):
        # A numbered post ("Asisten I") or one with its unit joined on ("Kasihumas", "Kasatreskrim") is complete.
        ends = [head_end]
    if not ends:
        return None
    return Post(tuple((end, end) for end in ends), None, "")
