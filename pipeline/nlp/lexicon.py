"""Loading the lexicons in ``models/lexicons`` (YAML), once per process."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pipeline.settings import MODELS_DIR

LEXICON_DIR = MODELS_DIR / "lexicons"


@lru_cache(maxsize=32)
def load_lexicon(name: str, directory: Path = LEXICON_DIR) -> dict[str, Any]:
    path = directory / f"{name}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"lexicon {name!r} missing: expected {path}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a lexicon must be a mapping")
    return data


def alternation(patterns: list[str]) -> str:
    """One regex alternative group, longest first so 'Wakil Bupati' wins over 'Bupati'."""
    return "(?:" + "|".join(sorted(patterns, key=len, reverse=True)) + ")"
