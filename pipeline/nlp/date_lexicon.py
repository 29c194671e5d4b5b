"""The date lexicon (``models/lexicons/dates.yaml``) loaded once and turned into regex pieces.

Spellings, cue words and known voting days are data so that a new spelling ("Nopember",
"Jum'at") or a new trap cue is a one-line change in YAML, reviewed like any data. This module only
validates the file and builds case-insensitive alternations from it; it knows nothing of roles.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pipeline.nlp.lexicon import phrase_alternation as alternation

LEXICON_PATH = Path(__file__).resolve().parents[2] / "models" / "lexicons" / "dates.yaml"


class LexiconError(ValueError):
    """The date lexicon file is malformed; the message names the key."""


@dataclass(frozen=True)
class DateLexicon:
    """Everything the date scanner and the role detector read from the lexicon."""

    version: int
    weekday_index: dict[str, int]  # lower-cased spelling -> 0 (Monday) .. 6 (Sunday)
    weekday_needs_date: frozenset[str]
    minggu_as_week_after: tuple[str, ...]
    month_index: dict[str, int]  # lower-cased spelling -> 1..12
    bare_months: tuple[str, ...]  # full names that may stand alone after a cue
    bare_month_cues: tuple[str, ...]
    relative_days: dict[str, int]
    relative_not_after: frozenset[str]
    vague: tuple[str, ...]
    number_words: dict[str, int]
    days_ago_words: tuple[str, ...]
    days_ahead_words: tuple[str, ...]
    weekday_modifiers_after: dict[str, str]
    weekday_modifiers_before: dict[str, str]
    weekday_skip_before: frozenset[str]
    date_prefixes: tuple[str, ...]
    date_suffixes: tuple[str, ...]
    day_parts: tuple[str, ...]
    year_cues_in_text: tuple[str, ...]
    year_cues_before: tuple[str, ...]
    year_cue_fillers: tuple[str, ...]
    voting_days: frozenset[dt.date]
    election_words: tuple[str, ...]
    clause_chars: int
    after_chars: int
    near_fillers: tuple[str, ...]
    roles: dict[str, dict[str, tuple[str, ...]]]
    role_order: tuple[str, ...]
    law_anchor: tuple[str, ...]
    birth_anniversary: tuple[str, ...]
    anniversary_min_years: int
    report_context: tuple[str, ...]
    cutoff_words: tuple[str, ...]
    attribution: tuple[str, ...]
    election_nouns: tuple[str, ...]
    election_fillers: frozenset[str]
    statement_reported: tuple[str, ...]

    def weekday_alt(self, *, with_abbreviations: bool = True, lower: bool = False) -> str:
        names = [n for n in self.weekday_index if with_abbreviations or n not in self.weekday_needs_date]
        return alternation(names, lower=lower)

    def month_alt(self, *, lower: bool = False) -> str:
        return alternation(self.month_index, lower=lower)


def cue_regex(words: Any, *, at_end: bool = False) -> re.Pattern[str]:
    """Whole-word, case-insensitive match of any cue; with ``at_end`` only at the end of the string."""
    body = r"(?<![\w])" + alternation(words) + r"(?![\w])"
    return re.compile(body + (r"\s*$" if at_end else ""), re.IGNORECASE)


def _strings(raw: dict[str, Any], key: str) -> tuple[str, ...]:
    value = raw.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise LexiconError(f"{LEXICON_PATH.name}: '{key}' must be a list of non-empty strings")
    return tuple(value)


def _int_map(raw: dict[str, Any], key: str, lo: int, hi: int) -> dict[str, int]:
    """Map every spelling (lower-cased) to its number; refuse a spelling given two numbers."""
    value = raw.get(key)
    if not isinstance(value, dict):
        raise LexiconError(f"{LEXICON_PATH.name}: '{key}' must be a mapping")
    out: dict[str, int] = {}
    for number, names in value.items():
        if not isinstance(number, int) or not lo <= number <= hi or not isinstance(names, list):
            raise LexiconError(f"{LEXICON_PATH.name}: '{key}' has a bad entry {number!r}")
        for name in names:
            low = str(name).lower()
            if out.get(low, number) != number:
                raise LexiconError(f"{LEXICON_PATH.name}: '{name}' appears twice in '{key}'")
            out[low] = number
    return out


def _str_map(raw: dict[str, Any], key: str, value_type: type) -> dict[str, Any]:
    value = raw.get(key)
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, value_type) for k, v in value.items()
    ):
        raise LexiconError(f"{LEXICON_PATH.name}: '{key}' must map strings to {value_type.__name__}")
    return {k.lower(): v for k, v in value.items()}


def parse_lexicon(raw: dict[str, Any]) -> DateLexicon:
    """Validate the YAML mapping and build a :class:`DateLexicon`."""
    months = _int_map(raw, "months", 1, 12)
    excluded = {m.lower() for m in _strings(raw, "bare_month_exclude")}
    short = {m.lower() for m in _strings(raw, "bare_month_short")}
    full_names = [n for n in months if (len(n) >= 4 or n in short) and n not in excluded]
    roles_raw = raw.get("roles")
    if not isinstance(roles_raw, dict):
        raise LexiconError(f"{LEXICON_PATH.name}: 'roles' must be a mapping")
    roles: dict[str, dict[str, tuple[str, ...]]] = {}
    for role, parts in roles_raw.items():
        if not isinstance(parts, dict):
            raise LexiconError(f"{LEXICON_PATH.name}: role '{role}' must be a mapping")
        roles[role] = {part: _strings(parts, part) for part in parts}
    role_order = _strings(raw, "role_order")
    unknown = set(role_order) - set(roles)
    if unknown:
        raise LexiconError(f"{LEXICON_PATH.name}: role_order names unknown roles {sorted(unknown)}")
    try:
        voting_days = frozenset(dt.date.fromisoformat(d) for d in _strings(raw, "voting_days"))
    except ValueError as exc:
        raise LexiconError(f"{LEXICON_PATH.name}: voting_days: {exc}") from exc
    return DateLexicon(
        version=int(raw.get("version", 0)),
        weekday_index=_int_map(raw, "weekdays", 0, 6),
        weekday_needs_date=frozenset(w.lower() for w in _strings(raw, "weekday_needs_date")),
        minggu_as_week_after=_strings(raw, "minggu_as_week_after"),
        month_index=months,
        bare_months=tuple(sorted(set(full_names))),
        bare_month_cues=_strings(raw, "bare_month_cues"),
        relative_days=_str_map(raw, "relative_days", int),
        relative_not_after=frozenset(w.lower() for w in _strings(raw, "relative_not_after")),
        vague=_strings(raw, "vague"),
        number_words=_str_map(raw, "number_words", int),
        days_ago_words=_strings(raw, "days_ago_words"),
        days_ahead_words=_strings(raw, "days_ahead_words"),
        weekday_modifiers_after=_str_map(raw, "weekday_modifiers_after", str),
        weekday_modifiers_before=_str_map(raw, "weekday_modifiers_before", str),
        weekday_skip_before=frozenset(w.lower() for w in _strings(raw, "weekday_skip_before")),
        date_prefixes=_strings(raw, "date_prefixes"),
        date_suffixes=_strings(raw, "date_suffixes"),
        day_parts=_strings(raw, "day_parts"),
        year_cues_in_text=_strings(raw, "year_cues_in_text"),
        year_cues_before=_strings(raw, "year_cues_before"),
        year_cue_fillers=_strings(raw, "year_cue_fillers"),
        voting_days=voting_days,
        election_words=_strings(raw, "election_words"),
        clause_chars=int(raw.get("clause_chars", 70)),
        after_chars=int(raw.get("after_chars", 25)),
        near_fillers=_strings(raw, "near_fillers"),
        roles=roles,
        role_order=role_order,
        law_anchor=_strings(raw, "law_anchor"),
        birth_anniversary=_strings(raw, "birth_anniversary"),
        anniversary_min_years=int(raw.get("anniversary_min_years", 5)),
        report_context=_strings(raw, "report_context"),
        cutoff_words=_strings(raw, "cutoff_words"),
        attribution=_strings(raw, "attribution"),
        election_nouns=_strings(raw, "election_nouns"),
        election_fillers=frozenset(w.lower() for w in _strings(raw, "election_fillers")),
        statement_reported=_strings(raw, "statement_reported"),
    )


@lru_cache(maxsize=4)
def load_lexicon(path: Path = LEXICON_PATH) -> DateLexicon:
    """Read and validate the lexicon once per process (and per path, for tests)."""
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    if not isinstance(raw, dict):
        raise LexiconError(f"{path}: expected a mapping at the top")
    return parse_lexicon(raw)
