"""Named office holders: who holds which post, serving which region.

Indonesian news names officials in a few fixed shapes, all handled here from the lexicon in
``models/lexicons/officials.yaml`` (posts: ``official_posts.py``; names: ``official_names.py``):

- TITLE [UNIT] [BODY] [REGION] [,] NAME   "Pj Bupati Mempawah Ismail", "Kasat Reskrim Polres Alor IPTU Anselmus"
- NAME, TITLE ... / NAME selaku TITLE      "Katma F. Dirun, Kepala Kesbangpol Kalteng"
- TITLE ..., NAME, NAME, dan NAME          "Ketua dan Anggota Bawaslu Lampung A, B, dan C"
- English: "Acting Governor X", "Head of ..., X"

Degrees, honorifics and ranks are stripped from names; the same person named again (often by surname
alone, or with a shorter title) is merged into one official, and a region missing from one mention is
taken from another or from the region the article is about.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from pipeline.nlp.official_candidates import Candidate, Gazetteer, is_place, make_candidate
from pipeline.nlp.official_lexicon import OfficialsLexicon, TitleSpec, officials_lexicon
from pipeline.nlp.official_names import NAME_RUN, NameSpan, clean_name, name_after, name_before
from pipeline.nlp.official_posts import Post, read_post
from pipeline.nlp.official_speakers import find_english_officials, find_from_body
from pipeline.nlp.organisations import NASIONAL, fit_kind, is_region_name, match_region_prefix
from pipeline.records import Official, RegionMention

__all__ = ["extract_officials", "find_official_candidates", "officials_lexicon"]


def _title_spec(lex: OfficialsLexicon, title_text: str) -> tuple[TitleSpec, str]:
    core = lex.modifier_re.sub("", title_text)
    for spec in lex.titles:
        if spec.pattern.fullmatch(core):
            return spec, core
    for spec in lex.titles:
        if spec.pattern.match(core):
            return spec, core
    return lex.titles[-1], core


# Address parts between a village or district post and its holder ("Kepala Desa Bantal, Kecamatan Bancak,").
_ADDRESS = re.compile(r"\s*,?\s*(?:Kecamatan|Kec\.|Kelurahan|Kel\.|Desa|Distrik)\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?(?=\s*,)")
# "Name, Title", "Name selaku Title", "Name (Title ...)", and "Name Title" with a bare space. The bare space
# needs a post with a unit or body ("Dwi Endah Kordiv Humas Bawaslu Jatim menyatakan"), or a comma or a
# word that introduces a person before the name ("dari Sukamto Kasdim 0715"): otherwise the words before
# a title are mostly a noun phrase ("Pemilihan Bupati"). Noun and clitic forms are no names either way.
_NAME_SEPARATORS = r"(?:\s*,\s*|\s+selaku\s+|\s+sebagai\s+|\s*\(\s*|[ \t]+)"
_OPENS_A_NAME = re.compile(r"(?:[,;:(]|\b(?:dari|oleh|yakni|yaitu|adalah|kepada|didampingi|dipimpin|hadir|"
                           r"dihadiri))\s*$")
# A post someone runs for, or held before, is no office ("calon Bupati", "mantan Kapolres").
_NOT_HELD = re.compile(r"(?:\b(?:[Cc]alon|[Bb]akal\s+[Cc]alon|[Pp]aslon|[Cc]abup|[Cc]awabup|[Kk]andidat|[Mm]antan|[Ee]ks)|"
                       r"\bbursa)[\s-]+$")
_MORE_NAMES = re.compile(r"\s*,\s*(?:dan\s+)?|\s+dan\s+")


def _place_after(lex: OfficialsLexicon, text: str, cursor: int) -> int | None:
    """End of the village or district a local post names ("Lurah Batu Merah", "Camat Patean"): a place that
    opens with a toponym word runs to a comma within three words ("Keuchik Gampong Meunasah Baro, Abdullah")."""
    if lex.rank_or_prefix_at.match(text, _SPACE.match(text, cursor).end()):  # type: ignore[union-attr]
        return cursor  # "Wakapolsek AKP Syuieb Bahrun": the holder follows at once, no place is named
    closed = _PLACE_TO_COMMA.match(text, cursor)
    if closed and closed.group(1).split()[0] in lex.toponym_heads:
        return closed.end(1)
    first = re.match(r"\s+([A-Z][\w'’-]*)", text[cursor:cursor + 60])
    if not first:
        return None
    end = cursor + first.end()
    if first.group(1) in lex.toponym_heads:
        second = re.match(r"\s+[A-Z][\w'’-]*", text[end:end + 40])
        if second:
            end += second.end()
    return end


_SPACE = re.compile(r"\s*")
_REGION_WINDOW = 120  # a region phrase is at most a kind word and four words
_PLACE_TO_COMMA = re.compile(r"\s+((?:[A-Z][\w'’-]*)(?:\s+[A-Z][\w'’-]*){0,2})\s*,")
_HEADLINE_MAX = 200
_SMALL_WORDS = frozenset({"di", "ke", "dari", "dan", "yang", "untuk", "dalam", "pada", "se", "hingga", "jadi", "agar",
                          "bagi", "soal", "atas", "oleh", "the", "of", "and", "in", "to"})


def _in_headline(text: str, position: int) -> bool:
    """A headline or related-link line in title case ("Bupati Sleman Apresiasi Kinerja Bawaslu"): capitalised
    verbs and nouns there read as names, so names are taken from the body text only."""
    start = text.rfind("\n", max(0, position - _HEADLINE_MAX), position) + 1
    end = text.find("\n", position, position + _HEADLINE_MAX)
    end = len(text) if end < 0 and len(text) - position <= _HEADLINE_MAX else end
    if (start == 0 and position > _HEADLINE_MAX) or end < 0:
        return False  # a line this long is body text
    line = text[start:end].strip()
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", line) if w.lower() not in _SMALL_WORDS]
    if len(words) < 4 or "," in line or line.endswith((".", '"', "”")):
        return False  # body sentences (even hard-wrapped or cut off) have commas or a full stop
    return sum(w[0].isupper() for w in words) >= 0.85 * len(words)


def _is_tag_line(text: str, title_end: int, span: NameSpan) -> bool:
    """A tag or keyword list puts each item on its own line: a name alone on a line after a post is one."""
    between = text[title_end:span.start]
    rest = text[span.end:span.end + 40]
    return "\n" in between and rest.split("\n", 1)[0].strip(" .,") == ""


_SHORT_FORM = re.compile(r"\s*\((?:[A-Z][\w.-]*)(?:\s[A-Z][\w.-]*)?\)")


@dataclass(frozen=True)
class _Reading:
    title: str
    region: Any
    level: str
    span: NameSpan | None


def _reading(lex: OfficialsLexicon, gazetteer: Gazetteer, text: str, start: int, title_end: int, cursor: int,
             level: str, post: Post) -> _Reading:
    """The post read to ``title_end``: the region after it and the name after that, if any."""
    body = post.body
    short = _SHORT_FORM.match(text, title_end) if title_end == cursor else None
    if short:  # "Menteri Dalam Negeri (Mendagri) Tito Karnavian": the short form belongs to the post
        title_end = cursor = short.end()
    title_text, cursor = _title_without_region(gazetteer, text, start, text[start:title_end], cursor)
    slash = re.match(r"/\s?([A-Z][\w-]*)", text[cursor:cursor + 40])  # "Dandim 0725/Srg": a short unit name
    if slash:
        region_here, _ = match_region_prefix(gazetteer, slash.group(1))
        cursor += slash.end() if region_here is None else slash.start(1)
    place = None
    if level in ("desa", "kecamatan") and not slash:  # "Ketua Panwascam Cisolok, Budi": the place first
        place = _place_after(lex, text, cursor)
        if place is not None:
            cursor = place
            while address := _ADDRESS.match(text, cursor):
                cursor = address.end()
            if text[cursor:cursor + 1] == ",":
                cursor += 1
    ahead = text[cursor:cursor + _REGION_WINDOW]
    region, used = match_region_prefix(gazetteer, ahead.lstrip())
    region_text_start = len(ahead) - len(ahead.lstrip())
    after_region = cursor + region_text_start + used if region is not None else cursor
    aside = re.match(r"\s*\([^()]{1,25}\)", text[after_region:after_region + 40])  # "Kutai Kartanegara (Kukar)"
    if aside and region is not None:
        after_region += aside.end()
    region = _fit_level(gazetteer, region, level, text[cursor + region_text_start:after_region])
    if body is not None and body.national_name and body.national_name == body.name:
        # BKN, KASN, ministries: national bodies; a regional office ("BKN Regional VII") serves no
        # region that the text names.
        regional = bool(re.search(r"Regional|Kanreg", post.body_surface))
        region, level = (None, "regional_office") if regional else (NASIONAL, "nasional")
    sentence_end = region is not None and text[after_region - 1:after_region] == "."
    # "Kades Bantal dijatuhi sanksi": after a local post without a holder comes the place, not a person.
    if sentence_end or (level in ("desa", "kecamatan") and body is None and place is None and not slash):
        return _Reading(title_text, region, level, None)
    span = name_after(lex, text[after_region:after_region + 80], after_region)
    if span is not None and (_is_tag_line(text, title_end, span)
                             or (lex.title_re.match(text, span.end + 1) and text[span.end:span.end + 1] == " ")):
        span = None  # "Sukamto Kasdim 0715 Kendal, Abdul Basir Kabid ...": that name opens the next post
    if (span is not None and place is not None and len(span.name.split()) < 2
            and not re.search(r"[,A-Za-z]", text[place:span.start])):
        span = None  # "Camat Loa Janan": with no comma, rank or honorific before it, one word is more place
    return _Reading(title_text, region, level, span)


def find_official_candidates(text: str, gazetteer: Gazetteer) -> list[Candidate]:
    lex = officials_lexicon()
    found: list[Candidate] = []
    for match in lex.title_re.finditer(text):
        if _NOT_HELD.search(text[max(0, match.start() - 14):match.start()]):
            continue
        spec, head = _title_spec(lex, match.group(0))
        post = read_post(lex, text, match.end(), spec, head)
        if post is None:
            continue
        body = post.body
        if body is not None and not body.holds_officials:
            continue  # legislators are not officials
        level = (body.level or "body") if body is not None else spec.level
        readings = [_reading(lex, gazetteer, text, match.start(), end, cursor, level, post)
                    for end, cursor in post.readings]
        chosen = next((r for r in readings if r.span is not None), readings[0])
        title_text, region, level, span = chosen.title, chosen.region, chosen.level, chosen.span
        if span is None:
            window = max(0, match.start() - 80)
            span = name_before(lex, text[window:match.start()], window, _NAME_SEPARATORS)
            if (span is not None and not re.search(r"(?:,|selaku|sebagai|\()\s*$", text[span.end:match.start()])
                    and not spec.needs_body and not _OPENS_A_NAME.search(text[max(0, span.start - 14):span.start])):
                span = None
        if span is not None:
            span = _without_leading_seat(gazetteer, text, span)
        if span is None or is_place(gazetteer, span.name) or (
                _in_headline(text, span.start) and re.match(r"[ \t]*(?:[A-Z]|\n|$)", text[span.end:span.end + 4])):
            continue  # "Wakil Bupati Sleman Danang Maharsa Tinjau Lokasi": a headline runs the name into words
        template = body.name if body else spec.institution
        national = body.national_name if body else (spec.institution if spec.level == "nasional" else None)
        spans = [span, *(_more_members(lex, text, span) if re.search(r"[Aa]nggota|[Kk]omisioner", head) else [])]
        for person in spans:
            found.append(make_candidate(person, title_text, region, template, national, level, match.start()))
    return found


def _without_leading_seat(gazetteer: Gazetteer, text: str, span: NameSpan) -> NameSpan:
    """"Kajari Lhoksukon Teuku Rahmatsyah": a regency seat or town between the post and the holder names
    the office's place, not the person. Only towns of the locality list (not one-word kecamatan, which
    are often given names too), and only when two words of name are left."""
    words = span.name.split()
    localities = getattr(gazetteer, "localities", {})
    if len(words) < 3 or words[0].lower() not in localities:
        return span
    rest = text.find(words[1], span.start + len(words[0]))
    return NameSpan(" ".join(words[1:]), rest, span.end) if rest >= 0 else span


def _more_members(lex: OfficialsLexicon, text: str, first: NameSpan) -> list[NameSpan]:
    """"Anggota Bawaslu Lampung A, B, C, dan D": the members listed after the first one."""
    more: list[NameSpan] = []
    position = first.end
    while len(more) < 8:
        separator = _MORE_NAMES.match(text, position)
        if not separator:
            break
        run = NAME_RUN.match(text, separator.end())
        name = clean_name(lex, run.group(0)) if run else None
        if run is None or name is None:
            break
        more.append(NameSpan(name, run.start(), run.start() + len(run.group(0).rstrip(" ,"))))
        position = run.end()
        degrees = re.match(lex.degree_tail, text[position:position + 40])
        if degrees:
            position += degrees.end()
    return more


def _title_without_region(gazetteer: Gazetteer, text: str, start: int, title: str, cursor: int) -> tuple[str, int]:
    """A greedy title swallowed its region ("Kepala Dinas Perhubungan DKI Jakarta"): give the region back."""
    spans = list(re.finditer(r"\S+", text[start:cursor]))
    for index in range(2, len(spans)):
        for width in (3, 2, 1):
            if index + width <= len(spans) and is_region_name(
                    gazetteer, text[start + spans[index].start():start + spans[index + width - 1].end()]):
                return text[start:start + spans[index - 1].end()], start + spans[index].start()
    return title, cursor


def _fit_level(gazetteer: Gazetteer, region: Any, level: str, phrase: str) -> Any:
    """"Wali Kota Bengkulu" serves Kota Bengkulu, not the province of the same name; "Kapolresta
    Yogyakarta" the kota, not the Daerah Istimewa."""
    wanted = {"kota": ("kota",), "kabupaten": ("kabupaten",), "kabupaten_or_kota": ("kabupaten", "kota"),
              "provinsi": ("provinsi",)}.get(level, ())
    if region is None or region == NASIONAL or not wanted or region.kind in wanted:
        return region
    for candidate in getattr(gazetteer, "candidates", lambda _: [])(phrase.strip(" .,")):
        if candidate.kind in wanted:
            return candidate
    return fit_kind(gazetteer, region, wanted)


# Old and new Indonesian spellings of one name ("Dharmawan"/"Darmawan", "Soeharto"/"Suharto", "Djaka"/"Jaka").
_SPELLING = ((re.compile(r"dj"), "j"), (re.compile(r"tj"), "c"), (re.compile(r"oe"), "u"), (re.compile(r"sj"), "sy"),
             (re.compile(r"(?<=[bcdgjkpt])h"), ""), (re.compile(r"(.)\1"), r"\1"))


def _spelling_key(token: str) -> str:
    for pattern, replacement in _SPELLING:
        token = pattern.sub(replacement, token)
    return token


def _same_person(a: str, b: str) -> bool:
    ta, tb = {_spelling_key(t) for t in a.lower().split()}, {_spelling_key(t) for t in b.lower().split()}
    return ta <= tb or tb <= ta


def _context_region(level: str, regions: list[RegionMention]) -> RegionMention | None:
    """The region an unqualified post ("Wakil Bupati") most likely serves: the article's main one."""
    wanted = {"kabupaten": ("kabupaten",), "kota": ("kota",), "provinsi": ("provinsi",),
              "kabupaten_or_kota": ("kabupaten", "kota"), "any": ("kabupaten", "kota", "provinsi"),
              "body": ("kabupaten", "kota", "provinsi"),
              # A village or district post serves the kabupaten or kota the village lies in.
              "kecamatan": ("kabupaten", "kota"), "desa": ("kabupaten", "kota")}.get(level, ())
    counts: Counter[str] = Counter()
    first: dict[str, RegionMention] = {}
    for mention in regions:
        kind = mention.name.split(" ", 1)[0].lower()
        if kind in wanted:
            counts[mention.name] += 2 if mention.role == "dateline" else 1
            first.setdefault(mention.name, mention)
    if not counts:
        return None
    return first[counts.most_common(1)[0][0]]


def _institution(candidate: Candidate) -> str | None:
    if candidate.region == NASIONAL:
        return candidate.national_institution or (candidate.institution_template or "").replace(" {region}", "")
    if candidate.institution_template is None:
        return None
    if candidate.region is None:
        return candidate.institution_template.replace(" {region}", "") or None
    return candidate.institution_template.replace("{region}", candidate.region)


_STRIP_REGION_FROM_TITLE = re.compile(r"\s+(?:RI|Republik\s+Indonesia)$")


def extract_officials(text: str, gazetteer: Gazetteer, regions: list[RegionMention]) -> list[Official]:
    """All officials in ``text``, one per person, in order of first mention."""
    merged: list[Candidate] = []
    candidates = [*find_official_candidates(text, gazetteer), *find_from_body(text, gazetteer),
                  *find_english_officials(text, gazetteer)]
    for candidate in candidates:
        for index, known in enumerate(merged):
            if _same_person(known.name, candidate.name):
                # The fuller name; of two as full, the one written first ("Iwan Darmawan", later "Dharmawan").
                first_written = known if known.name_start <= candidate.name_start else candidate
                other = candidate if first_written is known else known
                longer = other.name if len(other.name.split()) > len(first_written.name.split()) else first_written.name
                best = known if known.region is not None or candidate.region is None else candidate
                title = best.title or known.title or candidate.title
                first = known if known.name_start <= candidate.name_start else candidate
                merged[index] = replace(best, name=longer, title=title, start=min(known.start, candidate.start),
                                        name_start=first.name_start, name_end=first.name_end)
                break
        else:
            merged.append(candidate)
    officials = []
    for candidate in sorted(merged, key=lambda c: c.name_start):
        if candidate.region is None and candidate.level != "nasional":
            context = _context_region(candidate.level, regions)
            if context is not None:
                candidate = replace(candidate, region=context.name, region_code=context.code)
        title = _STRIP_REGION_FROM_TITLE.sub("", re.sub(r"\s+", " ", candidate.title))
        officials.append(Official(
            name=candidate.name,
            title=title,
            region=candidate.region,
            region_code=candidate.region_code,
            institution=_institution(candidate),
            surface=candidate.title + " " + candidate.name,
            start=candidate.name_start,
            end=candidate.name_end,
        ))
    return officials
