"""The source registry: outlets as validated data.

Each YAML file under ``data/sources/`` holds optional ``profiles`` (settings
shared by a network that uses one template, such as Tribun or Antara) and a
list of ``sources``. Unknown keys are refused, and a malformed entry fails with
the file, the entry and the field named, so a typo never silently disables an
outlet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pipeline.urls import host_and_port

REGION_CODE = re.compile(r"^(00|\d{2}(\.\d{2})?)$")  # "00" = Nasional, "61" province, "61.04" kab/kota
TIMEZONE_OFFSETS = {"WIB": "+07:00", "WITA": "+08:00", "WIT": "+09:00"}
IANA_TIMEZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}


class RegistryError(ValueError):
    """A registry file that cannot be used, with the place that is wrong."""


def _check_patterns(patterns: tuple[str, ...]) -> tuple[str, ...]:
    for pattern in patterns:
        _compile(pattern)
    return patterns


def _check_pattern(pattern: str | None) -> str | None:
    return None if pattern is None else _check_patterns((pattern,))[0]


class Rate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    delay_s: float = Field(1.0, ge=0, le=120, description="minimum delay between requests to this outlet")
    concurrency: int = Field(2, ge=1, le=16, description="parallel requests to this outlet")
    max_pages: int = Field(500, ge=1, description="at most this many pages per crawl")


class Profile(BaseModel):
    """Settings shared by a network of outlets built on one template."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    article_pattern: str | None = None
    listing_pages: tuple[str, ...] = ()
    rate: Rate | None = None

    _patterns_compile = field_validator("allow", "deny")(_check_patterns)
    _article_pattern_compiles = field_validator("article_pattern")(_check_pattern)


class Source(BaseModel):
    """One outlet: where it lives, what region it covers, how to crawl it politely."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{1,63}$")
    name: str = Field(min_length=1)
    home: str
    kind: Literal["news", "network", "bawaslu", "kpu", "pemda", "government", "blog"] = "news"
    network: str | None = None  # name of a profile in the same file
    regions: tuple[str, ...] = Field(min_length=1, description="Kemendagri codes; '00' for national outlets")
    timezone: Literal["WIB", "WITA", "WIT"] = "WIB"
    language: str = "id"
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listing_pages: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()  # extra hosts the outlet serves articles from
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    article_pattern: str | None = None
    rate: Rate = Rate()
    verified: bool = False
    notes: str | None = None

    @field_validator("home")
    @classmethod
    def _home_is_http(cls, home: str) -> str:
        parts = urlsplit(home)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an absolute http(s) URL")
        return home

    @field_validator("feeds", "sitemaps", "listing_pages")
    @classmethod
    def _urls_are_http(cls, urls: tuple[str, ...]) -> tuple[str, ...]:
        for url in urls:
            if urlsplit(url).scheme not in ("http", "https"):
                raise ValueError(f"{url!r} must be an absolute http(s) URL")
        return urls

    @field_validator("regions")
    @classmethod
    def _codes_look_like_kemendagri(cls, codes: tuple[str, ...]) -> tuple[str, ...]:
        for code in codes:
            if not REGION_CODE.match(code):
                raise ValueError(f"{code!r} is not a Kemendagri code such as '61' or '61.04' ('00' = national)")
        return codes

    _patterns_compile = field_validator("allow", "deny")(_check_patterns)
    _article_pattern_compiles = field_validator("article_pattern")(_check_pattern)

    @property
    def hosts(self) -> frozenset[str]:
        """host[:port] values this outlet may be crawled on."""
        hosts = {_netloc(self.home)}
        hosts.update(_netloc(u) for u in (*self.feeds, *self.sitemaps, *self.listing_pages))
        hosts.update(host_and_port(f"http://{d}/") or d.lower() for d in self.domains)
        return frozenset(hosts)

    @property
    def utc_offset(self) -> str:
        return TIMEZONE_OFFSETS[self.timezone]

    @property
    def iana_timezone(self) -> str:
        return IANA_TIMEZONES[self.timezone]


class RegistryFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    profiles: dict[str, Profile] = {}
    sources: list[Source]

    @model_validator(mode="after")
    def _networks_exist(self) -> RegistryFile:
        for index, source in enumerate(self.sources):
            if source.network and source.network not in self.profiles:
                raise ValueError(
                    f"entry #{index} (id={source.id!r}), field 'network': {source.network!r} is not a defined profile"
                )
        return self


@dataclass(frozen=True)
class Registry:
    sources: tuple[Source, ...]

    def get(self, source_id: str) -> Source:
        for source in self.sources:
            if source.id == source_id:
                return source
        known = ", ".join(s.id for s in self.sources[:20])
        raise RegistryError(f"unknown source {source_id!r}; known: {known}")

    def select(self, ids: list[str] | None) -> tuple[Source, ...]:
        if not ids:
            return self.sources
        return tuple(self.get(i) for i in ids)

    def __len__(self) -> int:
        return len(self.sources)


def _compile(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from exc


def _netloc(url: str) -> str:
    return host_and_port(url)


def _merge_profile(entry: dict[str, Any], profiles: dict[str, Any]) -> dict[str, Any]:
    """Entries inherit list settings from their network profile (entry values come last).

    Relative URLs (a profile's "/berita") are resolved against each entry's home page.
    """
    merged = dict(entry)
    profile = profiles.get(entry.get("network") or "")
    if isinstance(profile, dict):
        for key in ("allow", "deny", "listing_pages"):
            inherited = profile.get(key) or []
            own = entry.get(key) or []
            if isinstance(inherited, list) and isinstance(own, list):
                merged[key] = [*inherited, *own]
        for key in ("article_pattern", "rate"):
            if key in profile and key not in entry:
                merged[key] = profile[key]
    home = merged.get("home")
    for key in ("feeds", "sitemaps", "listing_pages"):
        urls = merged.get(key)
        if urls is None and key in merged:
            merged[key] = []
        elif isinstance(urls, list) and isinstance(home, str):
            merged[key] = [urljoin(home, u) if isinstance(u, str) else u for u in urls]
    for key in ("allow", "deny", "domains"):
        if key in merged and merged[key] is None:
            merged[key] = []
    return merged


def _describe(error: ValidationError, path: Path, raw: dict[str, Any]) -> str:
    lines = [f"{path}: invalid source registry"]
    for problem in error.errors():
        loc = list(problem["loc"])
        where = ".".join(str(p) for p in loc)
        if len(loc) >= 2 and loc[0] == "sources" and isinstance(loc[1], int):
            entries = raw.get("sources") or []
            entry = entries[loc[1]] if loc[1] < len(entries) else {}
            entry_id = entry.get("id", "?") if isinstance(entry, dict) else "?"
            field = ".".join(str(p) for p in loc[2:]) or "(entry)"
            where = f"entry #{loc[1]} (id={entry_id!r}), field {field!r}"
        message = problem["msg"].removeprefix("Value error, ")
        lines.append(f"  {where}: {message}" if where else f"  {message}")
    return "\n".join(lines)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{path}: cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise RegistryError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise RegistryError(f"{path}: expected a mapping with a 'sources' list")
    return raw


def load_file(path: Path, shared_profiles: dict[str, Any] | None = None) -> list[Source]:
    """Validate one registry file; profiles from other files of the registry may be passed in."""
    raw = _read_yaml(path)
    entries = raw.get("sources")
    own_profiles = raw.get("profiles") or {}
    if not isinstance(own_profiles, dict):
        raise RegistryError(f"{path}: 'profiles' must be a mapping of name to settings")
    profiles = {**(shared_profiles or {}), **own_profiles}
    if isinstance(entries, list):
        raw = {**raw, "sources": [_merge_profile(e, profiles) if isinstance(e, dict) else e for e in entries]}
        raw["profiles"] = profiles
    try:
        return RegistryFile.model_validate(raw).sources
    except ValidationError as exc:
        raise RegistryError(_describe(exc, path, raw)) from exc


def _shared_profiles(files: list[Path]) -> dict[str, Any]:
    """Profiles are shared across the files of one registry; a name must mean one thing."""
    profiles: dict[str, Any] = {}
    origin: dict[str, Path] = {}
    for file in files:
        own = _read_yaml(file).get("profiles") or {}
        if not isinstance(own, dict):
            continue
        for name, settings in own.items():
            if name in profiles and profiles[name] != settings:
                raise RegistryError(f"{file}: profile {name!r} differs from the one in {origin[name]}")
            profiles[name] = settings
            origin.setdefault(name, file)
    return profiles


def load_registry(*paths: Path) -> Registry:
    """Load sources from YAML files or directories of them; ids must be unique across all."""
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise RegistryError(f"{path}: no such registry file or folder")
        files.extend(sorted(path.glob("*.yaml")) if path.is_dir() else [path])
    if not files:
        raise RegistryError(f"no registry files found in {', '.join(str(p) for p in paths)}")
    shared = _shared_profiles(files)
    sources: list[Source] = []
    origin: dict[str, Path] = {}
    for file in files:
        for source in load_file(file, shared):
            if source.id in origin:
                raise RegistryError(f"{file}: source id {source.id!r} already defined in {origin[source.id]}")
            origin[source.id] = file
            sources.append(source)
    return Registry(tuple(sources))
