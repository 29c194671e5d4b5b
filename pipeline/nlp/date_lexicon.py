"""The date lexicon (``models/lexicons/dates.yaml``) validated with pydantic and turned into regex pieces.

Spellings, cue words and known voting days are data so that a new spelling ("Nopember",
"Jum'at") or a new trap cue is a one-line change in YAML, reviewed like any data. The month and
weekday tables are the one list of the project: the byline parser (``pipeline.extract.dates``) reads
them from here too. This module validates the file (unknown keys refused, a spelling given two
numbers named) and builds case-insensitive alternations from it; it knows nothing of roles.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator, model_validator

from pipeline.nlp.lexicon import LEXICON_DIR, LexiconError, LexiconModel, describe_error, lexicon_path
from pipeline.nlp.lexicon import load_lexicon as load_named_lexicon
from pipeline.nlp.lexicon import phrase_alternation as alternation

__all__ = ["DateLexicon", "DateLexiconModel", "LexiconError", "alternation", "cue_regex", "load_lexicon",
           "parse_lexicon"]

LEXICON_PATH = lexicon_path("dates")

Words = tuple[str, ...]


def _numbered(value: dict[int, list[str]], lo: int, hi: int) -> dict[int, list[str]]:
    """A table number -> spellings: numbers in range, every spelling (lower-cased) under one number."""
    seen: dict[str, int] = {}
    for number, names in value.items():
        if not lo <= number <= hi:
            raise ValueError(f"entry {number} is outside {lo}..{hi}")
        for name in names:
            low = name.lower()
            if seen.get(low, number) != number:
                raise ValueError(f"'{name}' appears under {seen[low]} and {number}")
            seen[low] = number
    return value


class DateLexiconModel(LexiconModel):
    """The YAML keys of ``dates.yaml``; see the comments in the file for what each one means."""

    version: int = 1
    weekdays: dict[int, list[str]]
    weekday_needs_date: Words
    minggu_as_week_after: Words
    months: dict[int, list[str]]
    bare_month_exclude: Words
    bare_month_short: Words
    bare_month_cues: Words
    relative_days: dict[str, int]
    relative_not_after: Words
    vague: Words
    number_words: dict[str, int]
    days_ago_words: Words
    days_ahead_words: Words
    weekday_modifiers_after: dict[str, str]
    weekday_modifiers_before: dict[str, str]
    weekday_skip_before: Words
    date_prefixes: Words
    date_suffixes: Words
    day_parts: Words
    year_cues_in_text: Words
    year_cue_fillers: Words
    year_cues_before: Words
    voting_days: dict[str, list[dt.date]]
    election_kinds: dict[str, Words]
    election_window_days: tuple[int, int]
    election_words: Words
    clause_chars: int = Field(70, gt=0)
    after_chars: int = Field(25, gt=0)
    near_fillers: Words
    roles: dict[str, dict[str, Words]]
    publication_stamp: Words
    law_anchor: Words
    cutoff_words: Words
    report_context: Words
    birth_anniversary: Words
    anniversary_min_years: int = 5
    role_order: Words
    attribution: Words
    election_nouns: Words
    election_fillers: Words
    statement_reported: Words
    other_occasion: Words

    @field_validator("weekdays")
    @classmethod
    def _weekday_table(cls, value: dict[int, list[str]]) -> dict[int, list[str]]:
        return _numbered(value, 0, 6)

    @field_validator("months")
    @classmethod
    def _month_table(cls, value: dict[int, list[str]]) -> dict[int, list[str]]:
        return _numbered(value, 1, 12)

    @field_validator("relative_days", "number_words", "weekday_modifiers_after", "weekday_modifiers_before")
    @classmethod
    def _lower_keys(cls, value: dict[str, Any]) -> dict[str, Any]:
        """Keys are looked up by the lower-cased words of the text."""
        return {" ".join(k.lower().split()): v for k, v in value.items()}

    @field_validator("weekday_needs_date", "relative_not_after", "weekday_skip_before", "election_fillers")
    @classmethod
    def _lower_words(cls, value: Words) -> Words:
        """Words compared with the lower-cased words of the text."""
        return tuple(w.lower() for w in value)

    @field_validator("*", mode="after")
    @classmethod
    def _no_empty_words(cls, value: Any) -> Any:
        if isinstance(value, tuple) and any(isinstance(v, str) and not v.strip() for v in value):
            raise ValueError("empty entry")
        return value

    @model_validator(mode="after")
    def _known_names(self) -> DateLexiconModel:
        unknown = set(self.role_order) - set(self.roles)
        if unknown:
            raise ValueError(f"role_order names unknown roles {sorted(unknown)}")
        kinds = set(self.election_kinds) ^ set(self.voting_days)
        if kinds:
            raise ValueError(f"election_kinds and voting_days must name the same kinds, not {sorted(kinds)}")
        return self


@dataclass(frozen=True)
class DateLexicon:
    """Everything the date scanner, the role detector and the byline parser read from the lexicon."""

    raw: DateLexiconModel
    weekday_index: dict[str, int]  # lower-cased spelling -> 0 (Monday) .. 6 (Sunday)
    month_index: dict[str, int]  # lower-cased spelling -> 1..12
    bare_months: Words  # full names that may stand alone after a cue
    voting_day_set: frozenset[dt.date]
    election_kind_index: dict[str, str]  # lower-cased election word -> kind ("pemilu", "pilkada")
    election_words_longest_first: Words

    def __getattr__(self, name: str) -> Any:
        # The YAML keys read as attributes ("lex.vague"), as validated (lower-cased where compared with text).
        return getattr(self.raw, name)

    def weekday_alt(self, *, with_abbreviations: bool = True, lower: bool = False) -> str:
        needs_date = {w.lower() for w in self.raw.weekday_needs_date}
        names = [n for n in self.weekday_index if with_abbreviations or n not in needs_date]
        return alternation(names, lower=lower)

    def month_alt(self, *, lower: bool = False) -> str:
        return alternation(self.month_index, lower=lower)


def cue_regex(words: Any, *, at_end: bool = False) -> re.Pattern[str]:
    """Whole-word, case-insensitive match of any cue; with ``at_end`` only at the end of the string."""
    body = r"(?<![\w])" + alternation(words) + r"(?![\w])"
    return re.compile(body + (r"\s*$" if at_end else ""), re.IGNORECASE)


def _index(table: dict[int, list[str]]) -> dict[str, int]:
    return {name.lower(): number for number, names in table.items() for name in names}


def build_lexicon(model: DateLexiconModel) -> DateLexicon:
    """The derived tables (spelling indexes, bare month names) of a validated lexicon."""
    months = _index(model.months)
    excluded = {m.lower() for m in model.bare_month_exclude}
    short = {m.lower() for m in model.bare_month_short}
    bare = tuple(sorted({n for n in months if (len(n) >= 4 or n in short) and n not in excluded}))
    kinds = {" ".join(w.lower().split()): kind for kind, words in model.election_kinds.items() for w in words}
    return DateLexicon(
        raw=model,
        weekday_index=_index(model.weekdays),
        month_index=months,
        bare_months=bare,
        voting_day_set=frozenset(d for days in model.voting_days.values() for d in days),
        election_kind_index=kinds,
        election_words_longest_first=tuple(sorted(kinds, key=len, reverse=True)),
    )


def parse_lexicon(raw: dict[str, Any], path: Path = LEXICON_PATH) -> DateLexicon:
    """Validate a YAML mapping (errors name the key and the entry) and build a :class:`DateLexicon`."""
    try:
        model = DateLexiconModel.model_validate(raw)
    except ValidationError as exc:
        raise LexiconError(describe_error(exc, path)) from exc
    return build_lexicon(model)


@lru_cache(maxsize=4)
def load_lexicon(directory: Path = LEXICON_DIR) -> DateLexicon:
    """Read and validate ``dates.yaml`` once per process (and per folder, for tests)."""
    return build_lexicon(load_named_lexicon("dates", DateLexiconModel, directory))
