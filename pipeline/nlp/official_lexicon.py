"""The officials lexicon (``models/lexicons/officials.yaml``): its pydantic model and its compiled form.

Posts are an open class in Indonesian news: a head ("Kepala", "Kasat", "Dandim"), an optional unit
("Bidang Politik Dalam Negeri", "Reskrim", "0207") and an optional body and region. The YAML holds the
vocabulary of each part; this module validates it (unknown keys refused, bad regexes named by entry)
and compiles it once per process for ``officials.py`` and ``organisations.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pydantic import field_validator

from pipeline.nlp.lexicon import LexiconModel, alternation, load_lexicon

Level = Literal["nasional", "provinsi", "kabupaten", "kota", "kabupaten_or_kota", "any", "kecamatan", "desa", "body"]


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from exc
    return pattern


class TitleEntry(LexiconModel):
    """A head that names a post. ``needs_body``: it names an office only with a unit or a body after it."""

    pattern: str
    institution: str | None = None
    level: Level
    needs_body: bool = False

    _check = field_validator("pattern")(_compiles)


class BodyEntry(LexiconModel):
    """A body after a head. ``holds_officials`` is false for legislatures (their members are not officials)."""

    pattern: str
    name: str
    national_name: str | None = None
    level: Level | None = None
    holds_officials: bool = True

    _check = field_validator("pattern")(_compiles)


class OfficialsLexiconModel(LexiconModel):
    version: int
    modifiers: list[str]
    titles: list[TitleEntry]
    ministries: list[str]
    ministry_abbreviations: list[str]
    unit_words: list[str]
    bodies: list[BodyEntry]
    post_bodies: list[BodyEntry]
    non_public_words: list[str]
    english_titles: list[str]
    name_prefixes: list[str]
    ranks: list[str]
    degree_pattern: str
    name_particles: list[str]
    toponym_heads: list[str]
    direction_words: list[str]
    not_name_words: list[str]

    _check_lists = field_validator("modifiers", "ministries", "ministry_abbreviations", "unit_words",
                                   "english_titles", "name_prefixes", "ranks")(
        lambda patterns: [_compiles(p) for p in patterns])
    _check_degree = field_validator("degree_pattern")(_compiles)


@dataclass(frozen=True)
class TitleSpec:
    pattern: re.Pattern[str]
    institution: str | None
    level: str
    needs_body: bool


@dataclass(frozen=True)
class BodySpec:
    pattern: re.Pattern[str]
    name: str
    national_name: str | None
    level: str | None
    holds_officials: bool


@dataclass(frozen=True)
class OfficialsLexicon:
    title_re: re.Pattern[str]
    titles: tuple[TitleSpec, ...]
    modifier_re: re.Pattern[str]
    unit_re: re.Pattern[str]
    bodies: tuple[BodySpec, ...]
    body_re: re.Pattern[str]
    non_public: frozenset[str]
    english_title_re: re.Pattern[str]
    name_prefix_re: re.Pattern[str]
    rank_re: re.Pattern[str]
    rank_at: re.Pattern[str]
    rank_or_prefix_at: re.Pattern[str]
    degree_re: re.Pattern[str]
    degree_tail: str
    name_particles: frozenset[str]
    toponym_heads: frozenset[str]
    direction_words: frozenset[str]
    not_name: frozenset[str]

    def body_of(self, surface: str) -> BodySpec | None:
        return next((b for b in self.bodies if b.pattern.fullmatch(surface)), None)


def lexicon_model() -> OfficialsLexiconModel:
    return load_lexicon("officials", OfficialsLexiconModel)


def _body_spec(entry: BodyEntry) -> BodySpec:
    return BodySpec(re.compile(entry.pattern), entry.name, entry.national_name, entry.level, entry.holds_officials)


@lru_cache(maxsize=1)
def officials_lexicon() -> OfficialsLexicon:
    data = lexicon_model()
    modifiers = alternation(data.modifiers)
    # A minister is a head by itself; a ministry is a body, national unless a region follows.
    portfolios = alternation(data.ministries)
    minister = TitleEntry(pattern=rf"(?:Wakil\s+)?Menteri\s+{portfolios}", institution="Kementerian", level="nasional")
    ministry = BodyEntry(pattern=rf"Kementerian\s+{portfolios}|{alternation(data.ministry_abbreviations)}",
                         name="Kementerian {region}", national_name="Kementerian", level="nasional")
    # File order, not length: specific titles are listed before the generic heads (the last entry).
    title_entries = [*data.titles[:-1], minister, data.titles[-1]]
    titles = tuple(TitleSpec(re.compile(t.pattern), t.institution, t.level, t.needs_body) for t in title_entries)
    all_titles = "(?:" + "|".join(t.pattern for t in title_entries) + ")"
    # Post bodies first: "Polres" qualifies a post; the organisation bodies follow.
    bodies = tuple(_body_spec(b) for b in [*data.post_bodies, ministry, *data.bodies])
    prefixes = alternation(data.name_prefixes)
    ranks = alternation(data.ranks)
    return OfficialsLexicon(
        title_re=re.compile(rf"(?<![\w-])(?:{modifiers}\s+)?{all_titles}(?![\w-])"),
        titles=titles,
        modifier_re=re.compile(rf"^{modifiers}(?:\s*\((?:Pjs|Pj|Plt|Plh)\.?\))?\s+"),
        unit_re=re.compile(rf"{alternation(data.unit_words)}(?![\w-])"),
        bodies=bodies,
        body_re=re.compile(r"\s*(" + alternation([b.pattern.pattern for b in bodies]) + r")(?![\w-])"),
        non_public=frozenset(data.non_public_words),
        english_title_re=re.compile(rf"(?<![\w-]){alternation(data.english_titles)}(?![\w-])"),
        # A prefix is a whole word ("Bu Ani", not the "Bu" of "Bupati"); a dotted one may touch the name.
        name_prefix_re=re.compile(rf"^(?:(?:{prefixes})(?:\s+|(?<=\.)))+"),
        rank_re=re.compile(rf"^(?:{ranks})\.?(?:\s+|$)", re.IGNORECASE),
        rank_at=re.compile(rf"(?:{ranks})\.?(?:\s+|$)", re.IGNORECASE),
        rank_or_prefix_at=re.compile(rf"(?:{ranks})\.?(?:\s+|$)|(?:{prefixes})(?:\s+|(?<=\.))", re.IGNORECASE),
        degree_re=re.compile(data.degree_pattern + r"\s*$"),
        degree_tail=data.degree_pattern,
        name_particles=frozenset(data.name_particles),
        toponym_heads=frozenset(data.toponym_heads),
        direction_words=frozenset(data.direction_words),
        not_name=frozenset(data.not_name_words),
    )
