"""The analysts' watch list: which regions and event types to be told about, and where.

A YAML file (``data/watchlist.yaml`` by default), validated with pydantic;
unknown keys are refused, so a misspelt ``event_type:`` fails loudly instead
of silently watching everything. Regions are written as users write them
("Kalbar", "Kab. Mempawah", "Nasional") or as Kemendagri codes, and resolved
to codes when the file is loaded; a province covers its kabupaten and kota.
Notification targets are apprise URLs (mailto://, tgram://, slack://, json://
...); ``${NAME}`` in a URL is read from the environment, so tokens stay out of
the repository. A watch whose variables are unset is kept but has no target.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pipeline.nlp.event_cues import EVENT_TYPES
from pipeline.settings import DATA_DIR

DEFAULT_WATCHLIST = DATA_DIR / "watchlist.yaml"
_CODE = re.compile(r"^\d{2}(\.\d{2})?$")
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


class WatchListError(ValueError):
    """The watch list cannot be used; the message names the file, the watch and the field."""


class Watch(BaseModel):
    """One analyst's interest: events of these types in these regions, sent to these targets."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{1,63}$")
    regions: tuple[str, ...] = Field(default=(), description="names or Kemendagri codes; none = every region")
    event_types: tuple[str, ...] = Field(default=(), description="none = every type")
    notify: tuple[str, ...] = Field(min_length=1, description="apprise URLs; ${VAR} from the environment")
    max_age_days: int | None = Field(14, ge=1, description="events older than this are not news; null = any age")

    @field_validator("event_types")
    @classmethod
    def _known_types(cls, types: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [t for t in types if t not in EVENT_TYPES]
        if unknown:
            raise ValueError(f"unknown event types {unknown}; known: {', '.join(EVENT_TYPES)}")
        return types

    def targets(self) -> list[str]:
        """The notify URLs with their ``${VAR}`` filled in; a URL naming an unset variable is left out."""
        urls = []
        for url in self.notify:
            names = _VARIABLE.findall(url)
            if all(os.environ.get(n) for n in names):
                urls.append(_VARIABLE.sub(lambda m: os.environ[m.group(1)], url))
        return urls


class WatchList(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    watches: tuple[Watch, ...] = ()

    @field_validator("watches")
    @classmethod
    def _unique_names(cls, watches: tuple[Watch, ...]) -> tuple[Watch, ...]:
        names = [w.name for w in watches]
        doubled = sorted({n for n in names if names.count(n) > 1})
        if doubled:
            raise ValueError(f"watch names must be unique: {', '.join(doubled)}")
        return watches


def load_watchlist(path: Path | str = DEFAULT_WATCHLIST) -> tuple[WatchList, dict[str, frozenset[str]]]:
    """The validated watch list and, per watch, the Kemendagri codes of its regions (empty = all)."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise WatchListError(f"cannot read watch list {path}: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise WatchListError(f"{path}: not valid YAML: {exc}") from exc
    try:
        watchlist = WatchList.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise WatchListError(f"{path}: {where}: {first['msg']}") from exc
    return watchlist, {w.name: _region_codes(path, w) for w in watchlist.watches}


def _region_codes(path: Path, watch: Watch) -> frozenset[str]:
    from pipeline.query import QueryError, resolve_region

    codes = set()
    for region in watch.regions:
        if _CODE.match(region):
            codes.add(region)
            continue
        try:
            codes.add(resolve_region(region)[1])
        except QueryError as exc:
            raise WatchListError(f"{path}: watch {watch.name!r}: {exc}") from exc
    return frozenset(codes)
