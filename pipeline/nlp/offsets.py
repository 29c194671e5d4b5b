"""Character offsets for the words an annotation rests on, where a rule module left them empty.

``Official.start/end`` (the name) and ``EventMention.evidence_*/trigger_*`` are filled by the rule
modules when they know them; older rules give only the strings. The evidence is then found again in
the text: an official's name after its written title when possible, else its first occurrence; an
event's evidence sentence at its first occurrence. Whitespace may differ between a normalised name and
the text, so names are matched word by word. Offsets the rules set are never changed.
"""

from __future__ import annotations

import re
from dataclasses import replace

from pipeline.records import EventMention, Official


def _loose(phrase: str) -> re.Pattern[str] | None:
    words = phrase.split()
    return re.compile(r"\s+".join(map(re.escape, words))) if words else None


def _find(phrase: str | None, text: str) -> tuple[int, int] | None:
    if not phrase:
        return None
    at = text.find(phrase)
    if at >= 0:
        return at, at + len(phrase)
    pattern = _loose(phrase)
    match = pattern.search(text) if pattern else None
    return (match.start(), match.end()) if match else None


def locate_official(official: Official, text: str) -> Official:
    """The official with ``start/end`` on its name in ``text`` (unchanged if set or not found)."""
    if official.start is not None and official.end is not None:
        return official
    found = None
    if official.surface and official.surface.endswith(official.name):
        surface = _find(official.surface, text)
        if surface is not None:
            name = _find(official.name, text[surface[0]:surface[1]])
            found = (surface[0] + name[0], surface[0] + name[1]) if name else None
    found = found or _find(official.name, text)
    return replace(official, start=found[0], end=found[1]) if found else official


def locate_event(event: EventMention, text: str) -> EventMention:
    """The event with ``evidence_start/end`` on its evidence sentence in ``text`` (unchanged if set or not found)."""
    if event.evidence_start is not None and event.evidence_end is not None:
        return event
    found = _find(event.evidence, text)
    return replace(event, evidence_start=found[0], evidence_end=found[1]) if found else event
