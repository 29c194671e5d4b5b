"""Officials named without an Indonesian post before or after them: a speaker "dari" a national body, and
posts in English-language articles ("Acting Governor of Bali ...", "Minister of Home Affairs ...").

English posts are read only in English text, because "Mayor" is also an Indonesian military rank.
"""

from __future__ import annotations

import re

from pipeline.nlp.official_candidates import Candidate, Gazetteer, is_place, make_candidate
from pipeline.nlp.official_lexicon import OfficialsLexicon, officials_lexicon
from pipeline.nlp.official_names import NAME_RUN, NameSpan, clean_name, name_after
from pipeline.nlp.organisations import NASIONAL, match_region_prefix

_FROM_BODY = re.compile(r"(?:(?<=\s)|^)(" + NAME_RUN.pattern + r")\s+dari\s+")


def find_from_body(text: str, gazetteer: Gazetteer) -> list[Candidate]:
    """"Budi Santoso dari Kementerian Dalam Negeri": a named speaker from a national body, post unstated.

    Only a national body (a ministry, BKN, KASN, or Bawaslu/KPU in an article about the national body)
    makes the reading safe; the title stays empty because the text does not give it.
    """
    lex = officials_lexicon()
    found = []
    national_everywhere = bool(re.search(r"\b(?:Bawaslu|KPU)\s+(?:RI|Republik\s+Indonesia)\b", text))
    for match in _FROM_BODY.finditer(text):
        body_match = lex.body_re.match(text, match.end() - 1)
        body = lex.body_of(body_match.group(1)) if body_match else None
        if body is None or body_match is None or not body.holds_officials:
            continue
        region, _ = match_region_prefix(gazetteer, text[body_match.end():body_match.end() + 120].lstrip())
        is_national_body = bool(body.national_name and body.national_name == body.name)
        if region is None and (is_national_body or (national_everywhere and body.national_name)):
            region = NASIONAL
        if region != NASIONAL:
            continue
        name = clean_name(lex, match.group(1))
        if name is None or is_place(gazetteer, name):
            continue
        span = NameSpan(name, match.start(1), match.start(1) + len(match.group(1)))
        national = body.national_name or body.name.replace(" {region}", "")
        found.append(make_candidate(span, "", NASIONAL, body.name, national, "nasional", match.start()))
    return found


_ENGLISH_WORDS = re.compile(r"\b(?:the|and|of|said|was|were|has|with)\b")
_INDONESIAN_WORDS = re.compile(r"\b(?:yang|dan|di|dengan|untuk|dalam|ini|itu)\b")
_ENGLISH_COMMA = re.compile(r",\s*(?=[A-Z])")
# A body may carry its acronym in brackets: "of the State Civil Service Agency (BKN) Jane Doe".
_ENGLISH_PHRASE = re.compile(r"\s+(?:of|at|for|in)\s+(?:the\s+)?((?:[A-Z][\w-]*|and|&)(?:\s+(?:[A-Z][\w-]*|\([A-Z][\w-]*\)|and|of|&))*)")


def _english_name_in_phrase(lex: OfficialsLexicon, gazetteer: Gazetteer, text: str,
                            phrase: re.Match[str]) -> NameSpan | None:
    """"of Home Affairs Tito Karnavian", "of Bali Sang Made Mahendra Jaya": the name follows the phrase's
    last body word or region."""
    tokens = list(re.finditer(r"\S+", phrase.group(1)))
    cut = 0
    for index, token in enumerate(tokens):
        word = token.group(0)
        if word in ("and", "&", "of") or word in lex.not_name or word.startswith("("):
            cut = index + 1
            continue
        region, used = match_region_prefix(gazetteer, phrase.group(1)[token.start():])
        if region is not None and region != NASIONAL:
            cut = max(cut, next((i + 1 for i, t in enumerate(tokens) if t.end() >= token.start() + used), cut))
    if cut >= len(tokens):
        return None
    start = phrase.start(1) + tokens[cut].start()
    return name_after(lex, text[start:start + 80], start)


def find_english_officials(text: str, gazetteer: Gazetteer) -> list[Candidate]:
    """English-language posts: "Acting Governor of Papua, John Doe," / "Regent Jane Doe said".

    Only in English text: "Mayor" is also an Indonesian military rank ("Mayor Inf Dedi").
    """
    if len(_ENGLISH_WORDS.findall(text)) <= len(_INDONESIAN_WORDS.findall(text)):
        return []
    lex = officials_lexicon()
    found = []
    for match in lex.english_title_re.finditer(text):
        phrase = _ENGLISH_PHRASE.match(text, match.end())
        end = phrase.end() if phrase else match.end()
        span = name_after(lex, text[end:end + 80], end) if not phrase else None
        if span is None and phrase:
            span = _english_name_in_phrase(lex, gazetteer, text, phrase)
        # Or after the first comma that a name and then a comma or a lowercase word follow
        # ("Deputy for ... at the Ministry for Political, Legal, and Security Affairs, Heri Wiranto,").
        for comma in _ENGLISH_COMMA.finditer(text, match.end(), min(len(text), match.end() + 160)):
            if span is not None:
                break
            span = name_after(lex, text[comma.end():comma.end() + 80], comma.end())
            if span is not None and not re.match(r"\s*,?\s*(?!and\b)[a-z]", text[span.end:span.end + 20]):
                span = None
        if span is None:
            continue
        region, _ = match_region_prefix(gazetteer, phrase.group(1)) if phrase else (None, 0)
        if re.search(r"Minist|National|Indonesia|Republic|\bState\b|\b(?:BKN|KASN)\b", text[match.start():span.start]):
            region = NASIONAL  # a ministry or a national agency serves the whole country
        found.append(make_candidate(span, match.group(0), region, None, None, "any", match.start()))
    return found
