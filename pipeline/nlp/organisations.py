"""Bodies that hold events and employ officials: Bawaslu, KPU, Pemkab, Kesbangpol...

An organisation mention is a body name (long or short form) optionally followed
by a region ("Bawaslu Kalbar", "Badan Kesatuan Bangsa dan Politik (Kesbangpol)
Prov. Kalteng", "Pemerintah Kabupaten Majene", "Bawaslu RI"). It is normalised
to "<Body> <official region name>" ("Bawaslu Provinsi Kalimantan Barat"), or
the national name for national bodies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from pipeline.nlp.lexicon import alternation
from pipeline.nlp.official_lexicon import lexicon_model

NASIONAL = "Nasional"
_NATIONAL_WORDS = re.compile(r"(?:RI|Republik\s+Indonesia|Pusat|Nasional)\b")
# Region words after a body: capitalised, but outlets also write "Bawaslu sulsel", "Pemkab Aceh jaya";
# a longer phrase only wins when it names another region, so trailing ordinary words are harmless.
_REGION_WORDS = re.compile(
    r"(?:(?:Provinsi|Kabupaten|Kota\s+Administrasi|Kota|Kotamadya)\s+|(?:Prov|Kab)\.\s*)?"
    r"(?:[A-Za-z][\w'’\-]*\.?)(?:\s+(?:dan\s+)?[A-Za-z][\w'’\-]*){0,3}"
)
_GOVERNMENT = re.compile(
    r"(?<!\w)(?<![a-z]-)(?:Pemerintah\s+(?:Kabupaten|Kota|Provinsi|Daerah)(?:\s*\((?:Pemkab|Pemkot|Pemprov|Pemda)\))?|"
    r"Pemerintah|Pemkab|Pemkot|Pemprov|Pemda)\s+"
)
_KIND_OF_PREFIX = (("kabupaten", re.compile(r"Kabupaten|Pemkab")), ("kota", re.compile(r"Kota|Pemkot")),
                   ("provinsi", re.compile(r"Provinsi|Pemprov")))
_GENERIC_REGION_WORDS = {"provinsi", "kabupaten", "kota", "kab.", "prov.", "kota administrasi", "kotamadya"}


class Gazetteer(Protocol):
    def resolve(self, text: str) -> Any: ...


@dataclass(frozen=True)
class OrganisationMention:
    surface: str
    start: int
    end: int
    name: str  # normalised, e.g. "Bawaslu Provinsi Kalimantan Barat"
    region: str | None  # "Provinsi Kalimantan Barat", "Nasional", or None when not stated
    region_code: str | None
    body: str  # "Bawaslu", "Pemerintah", "Kesbangpol", ...


@dataclass(frozen=True)
class _Body:
    pattern: re.Pattern[str]
    template: str
    national_name: str | None


@lru_cache(maxsize=1)
def _bodies() -> tuple[tuple[_Body, ...], re.Pattern[str]]:
    entries = lexicon_model().bodies  # the organisation bodies; post-only bodies (Polres, Kodim) are not read here
    bodies = tuple(_Body(re.compile(b.pattern), b.name, b.national_name) for b in entries)
    any_body = re.compile(r"(?<!\w)(?<![a-z]-)(" + alternation([b.pattern for b in entries]) + r")(?![\w-])")
    return bodies, any_body


def match_region_prefix(gazetteer: Gazetteer, text: str) -> tuple[Any, int]:
    """The longest region phrase at the start of ``text``: (Region | NASIONAL | None, chars used)."""
    national = _NATIONAL_WORDS.match(text)
    if national:
        return NASIONAL, national.end()
    match = _REGION_WORDS.match(text)
    if not match:
        return None, 0
    words = match.group(0).split()
    # Grow the phrase word by word: a longer phrase counts when it names another region ("Jakarta" ->
    # "Jakarta Utara") or is itself a name of the same one ("DKI" -> "DKI Jakarta"), so a following
    # person's name ("Kalimantan Barat Harisson") is not eaten.
    best: tuple[Any, int] = (None, 0)
    end = 0
    for count, word in enumerate(words, 1):
        end = text.index(word, end) + len(word)
        phrase = " ".join(words[:count]).rstrip(".")
        if phrase.lower() in _GENERIC_REGION_WORDS:
            continue
        region = gazetteer.resolve(phrase)
        if region is not None and (region != best[0] or is_region_name(gazetteer, phrase)):
            best = (region, end)
    return best


_KIND_WORDS = {"provinsi", "prov", "kabupaten", "kab", "kota", "administrasi", "kotamadya"}


def is_region_name(gazetteer: Gazetteer, phrase: str) -> bool:
    """The phrase is exactly a region's name or alias, kind words aside ("DKI Jakarta", "Kab. Sambas")."""
    words = re.findall(r"[a-z]+", phrase.lower())
    while words and words[0] in _KIND_WORDS:
        words = words[1:]
    surfaces = getattr(gazetteer, "surfaces", None)
    return bool(words) and surfaces is not None and " ".join(words) in surfaces


def fit_kind(gazetteer: Gazetteer, region: Any, kinds: tuple[str, ...]) -> Any:
    """The reading of an ambiguous name that the context asks for ("Pemkot Serang" is Kota Serang)."""
    if region is None or region == NASIONAL or not kinds or region.kind in kinds:
        return region
    for candidate in getattr(gazetteer, "candidates", lambda _: [])(region.bare):
        if candidate.kind in kinds:
            return candidate
    return region


def _region_after(gazetteer: Gazetteer, text: str, position: int) -> tuple[Any, int]:
    rest = text[position:]
    stripped = rest.lstrip()
    offset = len(rest) - len(stripped)
    if stripped.startswith("se-") or stripped.startswith("se "):
        return None, position
    region, used = match_region_prefix(gazetteer, stripped)
    if region is None:
        return None, position
    return region, position + offset + used


def find_organisations(text: str, gazetteer: Gazetteer) -> list[OrganisationMention]:
    bodies, any_body = _bodies()
    found: list[OrganisationMention] = []
    for match in _GOVERNMENT.finditer(text):
        region, end = _region_after(gazetteer, text, match.end())
        if region is None or region == NASIONAL:
            continue
        kind = next((k for k, pattern in _KIND_OF_PREFIX if pattern.search(match.group(0))), None)
        region = fit_kind(gazetteer, region, (kind,) if kind else ())
        found.append(OrganisationMention(text[match.start():end], match.start(), end,
                                         f"Pemerintah {region.name}", region.name, region.code, "Pemerintah"))
    for match in any_body.finditer(text):
        body = next((b for b in bodies if b.pattern.fullmatch(match.group(1))), None)
        if body is None:
            continue
        region, end = _region_after(gazetteer, text, match.end())
        short = body.template.replace(" {region}", "")
        if region == NASIONAL:
            name = body.national_name or f"{short} RI"
            found.append(OrganisationMention(text[match.start():end], match.start(), end, name, NASIONAL, "00", short))
        elif region is not None:
            found.append(OrganisationMention(text[match.start():end], match.start(), end,
                                             body.template.replace("{region}", region.name), region.name,
                                             region.code, short))
        else:
            national = body.national_name if body.national_name and body.national_name == short else None
            found.append(OrganisationMention(text[match.start():match.end()], match.start(), match.end(),
                                             national or short, NASIONAL if national else None,
                                             "00" if national else None, short))
    found.sort(key=lambda o: o.start)
    return found
