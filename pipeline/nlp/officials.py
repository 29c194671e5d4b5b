"""Named office holders: who holds which post, serving which region.

Indonesian news names officials in a few fixed shapes, all handled here from the
lexicon in ``models/lexicons/officials.yaml``:

- TITLE [BODY] [REGION] [,] NAME   "Pj Bupati Mempawah Ismail", "Ketua Bawaslu RI, Rahmat Bagja"
- NAME, TITLE [BODY] [REGION]      "Katma F. Dirun, Kepala Kesbangpol Kalteng"

Degrees, honorifics and ranks are stripped from names; the same person named
again (often by surname alone, or with a shorter title) is merged into one
official, and a region missing from one mention is taken from another or from
the region the article is about.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Protocol

from pipeline.nlp.lexicon import alternation, load_raw_lexicon
from pipeline.nlp.organisations import NASIONAL, fit_kind, is_region_name, match_region_prefix
from pipeline.records import Official, RegionMention

_NAME_TOKEN = r"(?:[A-Z][a-zA-Z'’\-]+|[A-Z]\.|(?:I|Ni)(?=\s+[A-Z][a-z])|(?:bin|binti|van|de|al|el|La|Wa)\b)"


class Gazetteer(Protocol):
    def resolve(self, text: str) -> Any: ...


@dataclass(frozen=True)
class _TitleSpec:
    pattern: re.Pattern[str]
    institution: str | None
    level: str
    needs_body: bool


@dataclass(frozen=True)
class _BodySpec:
    pattern: re.Pattern[str]
    name: str
    national_name: str | None


@dataclass(frozen=True)
class OfficialsLexicon:
    title_re: re.Pattern[str]
    titles: tuple[_TitleSpec, ...]
    bodies: tuple[_BodySpec, ...]
    body_re: re.Pattern[str]
    name_prefix_re: re.Pattern[str]
    rank_re: re.Pattern[str]
    degree_re: re.Pattern[str]
    degree_tail: str
    not_name: frozenset[str]


@lru_cache(maxsize=1)
def officials_lexicon() -> OfficialsLexicon:
    data = load_raw_lexicon("officials")
    modifiers = alternation(data["modifiers"])
    titles = tuple(
        _TitleSpec(re.compile(t["pattern"]), t.get("institution"), t["level"], bool(t.get("needs_body")))
        for t in data["titles"]
    )
    # File order, not length: specific titles are listed before the generic "Ketua|Kepala|..." entry.
    all_titles = "(?:" + "|".join(t["pattern"] for t in data["titles"]) + ")"
    title_re = re.compile(rf"(?<![\w-])(?:{modifiers}\s+)?{all_titles}(?![\w-])")
    bodies = tuple(_BodySpec(re.compile(b["pattern"]), b["name"], b.get("national_name")) for b in data["bodies"])
    body_re = re.compile(r"\s*(" + alternation([b["pattern"] for b in data["bodies"]]) + r")(?![\w-])")
    prefixes = alternation(data["name_prefixes"])
    return OfficialsLexicon(
        title_re=title_re,
        titles=titles,
        bodies=bodies,
        body_re=body_re,
        # A prefix is a whole word ("Bu Ani", not the "Bu" of "Bupati"); a dotted one may touch the name.
        name_prefix_re=re.compile(rf"^(?:(?:{prefixes})(?:\s+|(?<=\.)))+"),
        rank_re=re.compile(rf"^(?:{alternation(data['ranks'])})\.?(?:\s+|$)"),
        degree_re=re.compile(data["degree_pattern"] + r"\s*$"),
        degree_tail=data["degree_pattern"],
        not_name=frozenset(data["not_name_words"]),
    )


@dataclass
class _Candidate:
    name: str
    title: str
    region: str | None
    region_code: str | None
    region_kind: str | None
    institution_template: str | None
    national_institution: str | None
    level: str
    start: int


_TITLE_WORDS = re.compile(r"(?:[\s,]+(?:dan|&|[A-Z][\w-]*|\([A-Z0-9][\w\s]{0,10}\)))*")


_DIVISION = re.compile(r"(?:Koordinator\s+Divisi|Kordiv|Kepala\s+Bidang|Kabid|Kepala\s+Seksi|Kasi|Deputi)")


def _body_after(lex: OfficialsLexicon, text: str, cursor: int, long_title: bool) -> re.Match[str] | None:
    """The body right after a title, allowing the title's own capitalised words in between
    ("Koordinator Divisi Hukum, Pencegahan, dan Humas (HP2H) Bawaslu Boltim")."""
    direct = lex.body_re.match(text, cursor)
    if direct or not long_title:
        return direct
    words = _TITLE_WORDS.match(text, cursor)
    if not words or words.end() == cursor:
        return None
    for match in lex.body_re.finditer(text, cursor, min(len(text), words.end() + 2)):
        if _TITLE_WORDS.fullmatch(text, cursor, match.start()) or _TITLE_WORDS.fullmatch(
                text, cursor, match.start() - 1):
            return match
    return None


def _title_spec(lex: OfficialsLexicon, title_text: str) -> _TitleSpec:
    core = re.sub(r"^(?:Penjabat\s+Sementara|Penjabat|Pelaksana\s+(?:Tugas|Harian)|Pjs|Pj|PJ|Plt|Plh)\.?"
                  r"(?:\s*\((?:Pjs|Pj|Plt|Plh)\.?\))?\s+", "", title_text)
    for spec in lex.titles:
        if spec.pattern.fullmatch(core):
            return spec
    for spec in lex.titles:
        if spec.pattern.match(core):
            return spec
    return lex.titles[-1]


def _clean_name(lex: OfficialsLexicon, raw: str) -> str | None:
    name = raw.strip(" ,")
    for _ in range(3):
        name = lex.rank_re.sub("", name)
        name = lex.name_prefix_re.sub("", name).strip()
    name = lex.degree_re.sub("", name).strip(" ,")
    tokens = name.split()
    kept: list[str] = []
    for token in tokens:
        if token.strip(".,") in lex.not_name or lex.title_re.fullmatch(token.strip(".,")):
            break
        kept.append(token)
    while kept and re.fullmatch(r"[A-Z]\.?", kept[-1]) and len(kept) > 1:
        kept.pop()  # a trailing initial is a degree remnant more often than a name
    name = " ".join(kept).strip(" ,.")
    if not name or len(name) < 3 or name.isupper() or not re.search(r"[a-z]", name):
        return None
    return name


def _name_after(lex: OfficialsLexicon, text: str) -> str | None:
    text = re.sub(r"^\s*,?\s*(?:(?:petahana|terpilih|definitif|nonaktif|sementara|baru)\s*,?\s*)?", "", text)
    for _ in range(3):
        text = lex.rank_re.sub("", text)
        text = lex.name_prefix_re.sub("", text)
    match = re.match(rf"{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,4}}", text)
    if not match:
        return None
    return _clean_name(lex, match.group(0))


def _name_before(lex: OfficialsLexicon, text: str, comma_optional: bool = False) -> str | None:
    """"Katma F. Dirun, " right before a title; "Nanang Qosim ketua KPU" only for titles with a body."""
    separator = r"(?:,\s*|\s+)" if comma_optional else r",\s*"
    match = re.search(rf"(?<![\w.])({_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,4}})(?:{lex.degree_tail})?{separator}$",
                      text)
    if not match:
        return None
    return _clean_name(lex, match.group(1))


def find_official_candidates(text: str, gazetteer: Gazetteer) -> list[_Candidate]:
    lex = officials_lexicon()
    found: list[_Candidate] = []
    for match in lex.title_re.finditer(text):
        title_text = match.group(0)
        spec = _title_spec(lex, title_text)
        level = spec.level
        cursor = match.end()
        body: _BodySpec | None = None
        if spec.needs_body:
            body_match = _body_after(lex, text, cursor, long_title=bool(_DIVISION.match(title_text)))
            if not body_match:
                continue
            body = next((b for b in lex.bodies if b.pattern.fullmatch(body_match.group(1))), None)
            title_text = text[match.start():body_match.end()].strip()
            cursor = body_match.end()
        title_text, cursor = _title_without_region(gazetteer, text, match.start(), title_text, cursor)
        place = None
        if level in ("desa", "kecamatan"):
            place = re.match(r"\s+(?:[A-Z][\w'’-]*)(?:\s+[A-Z][\w'’-]*){0,2}(?=\s*,\s*[A-Z])", text[cursor:])
            if place:  # "Kepala Desa Bantal, Suparman": the village, then the person
                cursor += place.end()
        region, used = match_region_prefix(gazetteer, text[cursor:].lstrip())
        region_text_start = len(text[cursor:]) - len(text[cursor:].lstrip())
        after_region = cursor + region_text_start + used if region is not None else cursor
        aside = re.match(r"\s*\([^()]{1,25}\)", text[after_region:])  # "Kutai Kartanegara (Kukar)"
        if aside and region is not None:
            after_region += aside.end()
        region = _fit_level(gazetteer, region, level)
        if body is not None and body.national_name and body.national_name == body.name:
            # BKN, KASN, ministries: national bodies; a regional office ("BKN Regional VII") has no region.
            region = None if re.search(r"Regional|Kanreg", body_match.group(0)) else NASIONAL
            level = "nasional"
        # "Kades Bantal dijatuhi sanksi": after a village title without a comma comes the village, not a person.
        village_only = level in ("desa", "kecamatan") and place is None
        name = None if village_only else _name_after(lex, text[after_region:after_region + 80])
        if name is None:
            name = _name_before(lex, text[max(0, match.start() - 80):match.start()], comma_optional=spec.needs_body)
        if name is None:
            continue
        if _is_place(gazetteer, name):
            continue
        template = body.name if body else spec.institution
        national = body.national_name if body else (spec.institution if spec.level == "nasional" else None)
        if region == NASIONAL or (region is None and spec.level == "nasional"):
            found.append(_Candidate(name, title_text, NASIONAL, "00", "nasional", template, national,
                                    level, match.start()))
        elif region is not None:
            found.append(_Candidate(name, title_text, region.name, region.code, region.kind, template, national,
                                    level, match.start()))
        else:
            found.append(_Candidate(name, title_text, None, None, None, template, national, level,
                                    match.start()))
    return found


def _title_without_region(gazetteer: Gazetteer, text: str, start: int, title: str, cursor: int) -> tuple[str, int]:
    """A greedy title swallowed its region ("Kepala Dinas Perhubungan DKI Jakarta"): give the region back."""
    spans = list(re.finditer(r"\S+", text[start:cursor]))
    for index in range(2, len(spans)):
        for width in (3, 2, 1):
            if index + width <= len(spans) and is_region_name(
                    gazetteer, text[start + spans[index].start():start + spans[index + width - 1].end()]):
                return text[start:start + spans[index - 1].end()], start + spans[index].start()
    return title, cursor


def _fit_level(gazetteer: Gazetteer, region: Any, level: str) -> Any:
    """"Wali Kota Bengkulu" serves Kota Bengkulu, not the province of the same name."""
    wanted = {"kota": ("kota",), "kabupaten": ("kabupaten",), "kabupaten_or_kota": ("kabupaten", "kota"),
              "provinsi": ("provinsi",)}.get(level, ())
    return fit_kind(gazetteer, region, wanted)


def _is_place(gazetteer: Gazetteer, name: str) -> bool:
    """A "name" that is a region or a town is a misread place ("Kades Bantal", "Camat Loa Janan")."""
    key = " ".join(re.findall(r"[a-z]+", name.lower()))
    region = gazetteer.resolve(name)
    if region is not None and " ".join(re.findall(r"[a-z]+", region.bare.lower())) == key:
        return True
    locality = getattr(gazetteer, "locality", None)
    return bool(locality and locality(name) is not None)


def find_from_body(text: str, gazetteer: Gazetteer) -> list[_Candidate]:
    """"Dr. Suhajar Diantoro dari Kementerian Dalam Negeri": a named speaker from a body, post unstated.

    Only with an academic title before the name (panel speakers) or a national body after it, where the
    reading is safe; the title stays empty because the text does not give it.
    """
    lex = officials_lexicon()
    found = []
    pattern = re.compile(rf"(?:(?<=\s)|^)((?:(?:Prof|Dr|Drs|Dra|Ir|H|Hj)\.?\s*(?:\(C\)\s*)?)*)"
                         rf"({_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,4}})\s+dari\s+")
    national_everywhere = bool(re.search(r"\b(?:Bawaslu|KPU)\s+(?:RI|Republik\s+Indonesia)\b", text))
    for match in pattern.finditer(text):
        body_match = lex.body_re.match(text, match.end() - 1)
        if not body_match:
            continue
        body = next((b for b in lex.bodies if b.pattern.fullmatch(body_match.group(1))), None)
        if body is None:
            continue
        region, _ = match_region_prefix(gazetteer, text[body_match.end():].lstrip())
        is_national_body = bool(body.national_name and body.national_name == body.name)
        if region is None and (is_national_body or (national_everywhere and body.national_name)):
            region = NASIONAL
        if not match.group(1).strip() and region != NASIONAL:
            continue
        name = _clean_name(lex, match.group(2))
        if name is None or _is_place(gazetteer, name):
            continue
        national = body.national_name or body.name.replace(" {region}", "")
        if region == NASIONAL:
            found.append(_Candidate(name, "", NASIONAL, "00", "nasional", body.name, national, "nasional",
                                    match.start()))
        elif region is not None:
            found.append(_Candidate(name, "", region.name, region.code, region.kind, body.name, national, "body",
                                    match.start()))
    return found


def _same_person(a: str, b: str) -> bool:
    ta, tb = a.lower().split(), b.lower().split()
    return set(ta) <= set(tb) or set(tb) <= set(ta)


def _context_region(level: str, regions: list[RegionMention]) -> RegionMention | None:
    """The region an unqualified post ("Wakil Bupati") most likely serves: the article's main one."""
    wanted = {"kabupaten": ("kabupaten",), "kota": ("kota",), "provinsi": ("provinsi",),
              "kabupaten_or_kota": ("kabupaten", "kota"), "any": ("kabupaten", "kota", "provinsi"),
              "body": ("kabupaten", "kota", "provinsi")}.get(level, ())
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


def _institution(candidate: _Candidate) -> str | None:
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
    merged: list[_Candidate] = []
    for candidate in [*find_official_candidates(text, gazetteer), *find_from_body(text, gazetteer)]:
        for index, known in enumerate(merged):
            if _same_person(known.name, candidate.name):
                longer = candidate.name if len(candidate.name) > len(known.name) else known.name
                best = known if known.region is not None or candidate.region is None else candidate
                title = best.title or known.title or candidate.title
                merged[index] = replace(best, name=longer, title=title, start=min(known.start, candidate.start))
                break
        else:
            merged.append(candidate)
    officials = []
    for candidate in merged:
        if candidate.region is None and candidate.level not in ("kecamatan", "desa", "nasional"):
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
        ))
    return officials
