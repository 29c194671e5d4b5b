"""The lexicons in ``models/lexicons`` (YAML), validated with pydantic and loaded once per process.

Each lexicon has a pydantic model beside the code that reads it (unknown keys refused, as the source
registry does), so a typo in a YAML key fails loudly with the file and the entry named instead of
silently switching a rule off. This module also holds the one regex-alternation helper every rule
module builds its word lists with.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from pipeline.settings import MODELS_DIR

LEXICON_DIR = MODELS_DIR / "lexicons"


class LexiconError(ValueError):
    """A lexicon file is missing or malformed; the message names the file and the entry."""


class LexiconModel(BaseModel):
    """Base of every lexicon model: unknown keys are an error, values are read-only."""

    model_config = ConfigDict(extra="forbid", frozen=True)


M = TypeVar("M", bound=BaseModel)


def lexicon_path(name: str, directory: Path = LEXICON_DIR) -> Path:
    return directory / f"{name}.yaml"


@lru_cache(maxsize=32)
def load_raw_lexicon(name: str, directory: Path = LEXICON_DIR) -> dict[str, Any]:
    """The YAML mapping of ``models/lexicons/NAME.yaml``; prefer ``load_lexicon`` with a model."""
    path = lexicon_path(name, directory)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise LexiconError(f"lexicon {name!r} missing: expected {path}") from exc
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: a lexicon must be a mapping")
    return data


def describe_error(error: ValidationError, path: Path) -> str:
    """One line per problem, naming the entry by its key path ("triggers.rakor[3]")."""
    lines = [f"{path}: invalid lexicon"]
    for problem in error.errors():
        where = ""
        for part in problem["loc"]:
            where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
        message = problem["msg"].removeprefix("Value error, ")
        lines.append(f"  {where or '(file)'}: {message}")
    return "\n".join(lines)


def validate_lexicon(data: Any, model: type[M], path: Path) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise LexiconError(describe_error(exc, path)) from exc


@lru_cache(maxsize=32)
def _load_validated(name: str, model: type[BaseModel], directory: Path) -> BaseModel:
    return validate_lexicon(load_raw_lexicon(name, directory), model, lexicon_path(name, directory))


def load_lexicon(name: str, model: type[M], directory: Path = LEXICON_DIR) -> M:
    """``models/lexicons/NAME.yaml`` validated against ``model``; cached per process."""
    result = _load_validated(name, model, directory)
    assert isinstance(result, model)
    return result


def alternation(patterns: Any) -> str:
    """One regex alternative group of *regex* patterns, longest first so 'Wakil Bupati' wins over 'Bupati'."""
    return "(?:" + "|".join(sorted(set(patterns), key=lambda p: (-len(p), p))) + ")"


def phrase_alternation(words: Any, *, lower: bool = False) -> str:
    """A regex alternation of literal phrases, longest first so "Nopember" wins over "Nop"; spaces match
    any whitespace.

    With ``lower`` the words are lower-cased and folded into a trie ("ju(?:li|ni)"), for patterns
    run over lower-cased text without re.IGNORECASE: several times faster on a whole article.
    """
    unique = sorted({w.lower() if lower else w for w in words}, key=lambda w: (-len(w), w))
    if lower:
        return "(?:" + _trie_regex(unique) + ")"
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in unique) + ")"


def _trie_regex(words: list[str]) -> str:
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        # Longer continuations first, the end of a word last: greedy like "longest first".
        branches = [
            (r"\s+" if char == " " else re.escape(char)) + emit(child) for char, child in node.items() if char
        ]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return emit(trie)
