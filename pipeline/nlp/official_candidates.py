"""A candidate official: one mention of a person with a post, before mentions of one person are merged.

Shared by the readers of Indonesian posts (``officials.py``) and of speakers and English posts
(``official_speakers.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from pipeline.nlp.official_names import NameSpan
from pipeline.nlp.organisations import NASIONAL, is_region_name


class Gazetteer(Protocol):
    def resolve(self, text: str) -> Any: ...


@dataclass
class Candidate:
    name: str
    title: str
    region: str | None
    region_code: str | None
    region_kind: str | None
    institution_template: str | None
    national_institution: str | None
    level: str
    start: int
    name_start: int = -1
    name_end: int = -1


def make_candidate(span: NameSpan, title: str, region: Any, template: str | None, national: str | None, level: str,
               start: int) -> Candidate:
    if region == NASIONAL or (region is None and level == "nasional"):
        return Candidate(span.name, title, NASIONAL, "00", "nasional", template, national, level, start,
                          span.start, span.end)
    if region is not None:
        return Candidate(span.name, title, region.name, region.code, region.kind, template, national, level,
                          start, span.start, span.end)
    return Candidate(span.name, title, None, None, None, template, national, level, start, span.start, span.end)


def is_place(gazetteer: Gazetteer, name: str) -> bool:
    """A "name" that is a region or a town is a misread place ("Kades Bantal", "Camat Loa Janan")."""
    key = " ".join(re.findall(r"[a-z]+", name.lower()))
    region = gazetteer.resolve(name)
    if region is not None and " ".join(re.findall(r"[a-z]+", region.bare.lower())) == key:
        return True
    if is_region_name(gazetteer, name):  # a name or alias of a region ("Jakarta" for DKI Jakarta)
        return True
    locality = getattr(gazetteer, "locality", None)
    return bool(locality and locality(name) is not None)
