"""Trigger hits grouped into acts: one event record per named act.

The convention is one record per act, not per type: an apel, the ikrar read at
it and the pakta signed after it are three records (their types differ), while a
sosialisasi named in the lead and again in the closing paragraph is one. Two
mentions of one type are two acts only when the text dates them differently
(the earlier ikrar of 28 October and the sosialisasi of 1 November, or a case
found on one day and a recommendation sent on another): that is the evidence a
reader uses, and it is cheap and general. A mention with no date of its own
belongs to the first act of its type.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from pipeline.nlp.event_cues import EventCues
from pipeline.nlp.text import Sentence


@dataclass(frozen=True)
class TriggerHit:
    """A trigger of ``type`` in sentence ``sentence``; ``start``/``end`` are offsets in the article text."""

    type: str
    sentence: int
    start: int
    end: int
    support: bool = False  # a later mention of an act already found: lends its details, opens no act
    implied: bool = False  # recorded because another act implies it (the violation behind a sanction)


@dataclass(frozen=True)
class Act:
    """The mentions of one act, in text order."""

    type: str
    hits: tuple[TriggerHit, ...]


def _own_day(sentence: Sentence, dates: list[Any]) -> Any:
    """The first date of the sentence that fixes a day (a voting day or deadline has no event_date)."""
    for mention in dates:
        if sentence.start <= mention.start < sentence.end and mention.event_date is not None:
            return mention.event_date
    return None


def group_acts(hits: list[TriggerHit], sentences: list[Sentence], dates: list[Any]) -> list[Act]:
    """One act per type and distinct own date; undated mentions join the type's first act."""
    groups: dict[tuple[str, Any], list[TriggerHit]] = {}
    first_key: dict[str, tuple[str, Any]] = {}
    for hit in hits:
        day = _own_day(sentences[hit.sentence], dates)
        key = first_key.setdefault(hit.type, (hit.type, day))
        if day is not None and day != key[1] and not hit.support:
            key = (hit.type, day)
            if key not in groups and first_key[hit.type][1] is None:
                # The first act was undated until now: this date is its date, not a second act.
                groups[key] = groups.pop(first_key[hit.type])
                first_key[hit.type] = key
        groups.setdefault(key, []).append(hit)
    return [Act(key[0], tuple(found)) for key, found in groups.items()]


def with_implied(cues: EventCues, hits: list[TriggerHit], sentences: list[Sentence]) -> list[TriggerHit]:
    """Add the acts another act implies: a sanction "for violating neutrality" also records the violation
    (the case handled), unless the text already reports that type."""
    found = {hit.type for hit in hits}
    extra: list[TriggerHit] = []
    for hit in hits:
        for implied, cue in cues.implies.get(hit.type, {}).items():
            if implied in found:
                continue
            sentence = sentences[hit.sentence]
            match = cue.search(sentence.text)
            if match:
                extra.append(TriggerHit(implied, hit.sentence, sentence.start + match.start(),
                                        sentence.start + match.end(), implied=True))
                found.add(implied)
    return hits + extra


_DECLARATION = ("ikrar", "deklarasi", "declaration", "pledge", "janji")


def only_performed(cues: EventCues, hits: list[TriggerHit], text: str, title: str | None) -> list[TriggerHit]:
    """A declaration that the text (or its headline) shows being signed, with no reading or pronouncing
    anywhere ("Penandatanganan Deklarasi Netralitas ... Deklarasi ini ..."), is one act, the signing: the
    mentions of such a type become mentions of the type it is when unperformed."""
    signing = cues.triggers.get("pakta_integritas")
    signed_declaration = any(
        hit.type == "pakta_integritas" and any(w in text[hit.start:hit.end].lower() for w in _DECLARATION)
        for hit in hits) or bool(signing and title and (found := signing.search(title))
                                 and any(w in found.group(0).lower() for w in _DECLARATION))
    if not signed_declaration:
        return hits
    retype = {name: other for name, (cue, other) in cues.performed.items() if not cue.search(text)}
    return [replace(hit, type=retype[hit.type]) if hit.type in retype else hit for hit in hits]


def with_support(cues: EventCues, hits: list[TriggerHit], sentences: list[Sentence],
                 dated: set[int]) -> list[TriggerHit]:
    """Dated later mentions of an act already found ("kata dia seusai sosialisasi, Kamis (21/11/2024)"): they
    need no neutrality or activity cue of their own, as the act is established; they give it its date."""
    found = {hit.type for hit in hits}
    used = {(hit.type, hit.sentence) for hit in hits}
    extra: list[TriggerHit] = []
    for index in sorted(dated):
        sentence = sentences[index]
        for event_type in found:
            if (event_type, index) in used:
                continue
            match = cues.triggers[event_type].search(sentence.text)
            if match and not cues.off_topic.search(sentence.text[match.end():match.end() + 80]):
                extra.append(TriggerHit(event_type, index, sentence.start + match.start(),
                                        sentence.start + match.end(), support=True))
    return hits + extra
