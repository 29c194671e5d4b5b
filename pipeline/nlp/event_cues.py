"""The compiled cue lexicon for events (``models/lexicons/events.yaml``).

Kept apart from the extractor so the rules read as data and the extractor as
logic: which words make a sentence about neutrality, which name an event type,
which say the event was actually held. The list of event types lives once, in
the YAML (``event_types``); ``EVENT_TYPES`` here is read from it and every other
module (digest labels, charts, tests of the contract schema) imports it, so a
type added to the lexicon is known everywhere and a trigger list under an
unknown type is refused when the lexicon loads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pydantic import Field, field_validator, model_validator

from pipeline.nlp.lexicon import LexiconModel, alternation, load_lexicon


class EventTypeSpec(LexiconModel):
    """The cues of one event type."""

    triggers: tuple[str, ...] = ()
    gathering: bool = False  # held at a place and time by a body (acts of one gathering share its details)
    announcement: bool = False  # a statement of cases, sanctions or measures: its figures are recorded
    needs_figure: bool = False  # only an event with a count or a named case (Clarification 4)
    hypothetical: str | None = None  # a threat or warning of the act, not the act
    not_after: str | None = None  # a trigger right after this names another act ("penandatanganan ikrar")
    specific_case: tuple[str, ...] = ()  # instead of a count: the sentence names one case handled
    requires: str | None = None  # the sentence must also say this (a sanction imposed or decided)
    implies: dict[str, str] = Field(default_factory=dict)  # another type this act also records, when its sentence has the cue
    performed: str | None = None  # words that say the act was performed, not only its document signed
    unperformed_is: str | None = None  # the type its mentions take when never performed (only signed)

    @field_validator("triggers", "hypothetical", "not_after", "specific_case", "performed", "requires")
    @classmethod
    def _compiles(cls, value: tuple[str, ...] | str | None) -> tuple[str, ...] | str | None:
        for pattern in (value,) if isinstance(value, str) else value or ():
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"pattern {pattern!r} does not compile: {exc}") from exc
        return value

    @field_validator("implies")
    @classmethod
    def _cues_compile(cls, value: dict[str, str]) -> dict[str, str]:
        cls._compiles(tuple(value.values()))
        return value


class OnlineCues(LexiconModel):
    virtual: tuple[str, ...]
    hybrid: tuple[str, ...]


class EventLexicon(LexiconModel):
    """``models/lexicons/events.yaml``."""

    version: int
    event_types: tuple[str, ...]
    neutrality: tuple[str, ...]
    neutral_subjects: tuple[str, ...]
    types: dict[str, EventTypeSpec]
    activity: tuple[str, ...]
    off_topic_after_trigger: tuple[str, ...]
    speech_occasion: str
    speech_verb: str
    purpose_before: str
    not_held: tuple[str, ...]
    online: OnlineCues
    figure_nouns: str
    number_words: dict[str, int]

    @model_validator(mode="after")
    def _types_known(self) -> EventLexicon:
        unknown = sorted(set(self.types) - set(self.event_types))
        if unknown:
            raise ValueError(f"types {unknown} have cues but are not in event_types {list(self.event_types)}")
        implied = sorted({t for spec in self.types.values() for t in (*spec.implies, spec.unperformed_is) if t}
                         - set(self.event_types))
        if implied:
            raise ValueError(f"implied types {implied} are not in event_types")
        if len(set(self.event_types)) != len(self.event_types):
            raise ValueError("event_types lists a type twice")
        return self


@lru_cache(maxsize=1)
def event_lexicon() -> EventLexicon:
    return load_lexicon("events", EventLexicon)


EVENT_TYPES: tuple[str, ...] = event_lexicon().event_types
"""Every event type of the annotation contract, in display order (``other`` last)."""

NAMED_EVENT_TYPES: tuple[str, ...] = tuple(t for t in EVENT_TYPES if t != "other")
"""The named types, without the catch-all ``other`` (the digest lists ``other`` after them)."""


@dataclass(frozen=True)
class EventCues:
    neutrality: re.Pattern[str]
    subjects: re.Pattern[str]
    triggers: dict[str, re.Pattern[str]]
    any_trigger: re.Pattern[str]  # one pass to skip the sentences that name no event at all
    gatherings: frozenset[str]
    announcements: frozenset[str]
    needs_figure: frozenset[str]
    hypothetical: dict[str, re.Pattern[str]]
    not_after: dict[str, re.Pattern[str]]
    specific_case: dict[str, re.Pattern[str]]
    requires: dict[str, re.Pattern[str]]
    implies: dict[str, dict[str, re.Pattern[str]]]
    performed: dict[str, tuple[re.Pattern[str], str]]
    speech_occasion: re.Pattern[str]
    speech_verb: re.Pattern[str]
    purpose_before: re.Pattern[str]
    activity: re.Pattern[str]
    off_topic: re.Pattern[str]
    not_held: re.Pattern[str]
    online: re.Pattern[str]
    hybrid: re.Pattern[str]
    figure: re.Pattern[str]
    number_words: dict[str, int]

    def is_neutral(self, text: str) -> bool:
        return bool(self.neutrality.search(text))


def _ci(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@lru_cache(maxsize=1)
def event_cues() -> EventCues:
    data = event_lexicon()
    types = {name: data.types[name] for name in data.event_types if name in data.types and data.types[name].triggers}
    words = {k.lower(): v for k, v in data.number_words.items() if k.lower() != "se"}
    word_numbers = alternation([re.escape(w).replace(r"\ ", r"\s+") for w in words])
    return EventCues(
        neutrality=_ci(alternation(data.neutrality)),
        subjects=_ci(alternation(data.neutral_subjects)),
        triggers={name: _ci(r"(?<![\w-])" + alternation(spec.triggers) + r"(?![\w-])") for name, spec in types.items()},
        any_trigger=_ci(r"(?<![\w-])" + alternation([t for spec in types.values() for t in spec.triggers]) + r"(?![\w-])"),
        gatherings=frozenset(name for name, spec in data.types.items() if spec.gathering),
        announcements=frozenset(name for name, spec in data.types.items() if spec.announcement),
        needs_figure=frozenset(name for name, spec in data.types.items() if spec.needs_figure),
        hypothetical={name: _ci(spec.hypothetical) for name, spec in data.types.items() if spec.hypothetical},
        not_after={name: _ci("(?:" + spec.not_after + r")\s*$") for name, spec in data.types.items() if spec.not_after},
        specific_case={name: _ci(alternation(spec.specific_case)) for name, spec in data.types.items()
                       if spec.specific_case},
        requires={name: _ci(spec.requires) for name, spec in data.types.items() if spec.requires},
        implies={name: {other: _ci(cue) for other, cue in spec.implies.items()}
                 for name, spec in data.types.items() if spec.implies},
        performed={name: (_ci(spec.performed), spec.unperformed_is) for name, spec in data.types.items()
                   if spec.performed and spec.unperformed_is},
        speech_occasion=_ci(data.speech_occasion),
        speech_verb=_ci(data.speech_verb),
        purpose_before=_ci(data.purpose_before),
        activity=_ci(r"(?<![\w-])" + alternation(data.activity) + r"(?![\w-])"),
        off_topic=_ci(r"^\W{0,3}(?:\w+\s+){0,2}?" + alternation(data.off_topic_after_trigger) + r"\b"),
        not_held=_ci(alternation(data.not_held)),
        online=_ci(alternation(data.online.virtual)),
        hybrid=_ci(alternation(data.online.hybrid)),
        figure=_ci(
            r"(?<![\w.,])(?:(?:lebih\s+dari|sebanyak|sekitar|total|mencapai|ada)\s+)?"
            r"(\d{1,3}(?:\.\d{3})+|\d+|" + word_numbers + r")\s+(?:(?:orang|kasus|oknum|dugaan|reported|alleged|suspected)\s+)?("
            + data.figure_nouns + r")\b"
        ),
        number_words=words,
    )
