"""The compiled cue lexicon for events (``models/lexicons/events.yaml``).

Kept apart from the extractor so the rules read as data and the extractor as
logic: which words make a sentence about neutrality, which name an event type,
which say the event was actually held.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.nlp.lexicon import alternation, load_raw_lexicon

EVENT_TYPES = ("rakor", "sosialisasi", "deklarasi", "apel", "pakta_integritas", "pelanggaran", "sanksi",
               "pengawasan", "other")


@dataclass(frozen=True)
class EventCues:
    neutrality: re.Pattern[str]
    subjects: re.Pattern[str]
    triggers: dict[str, re.Pattern[str]]
    needs_figure: frozenset[str]
    hypothetical: dict[str, re.Pattern[str]]
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
    data = load_raw_lexicon("events")
    types = data["types"]
    words = {str(k).lower(): int(v) for k, v in data["number_words"].items() if str(k).lower() != "se"}
    word_numbers = alternation([re.escape(w).replace(r"\ ", r"\s+") for w in words])
    return EventCues(
        neutrality=_ci(alternation(data["neutrality"])),
        subjects=_ci(alternation(data["neutral_subjects"])),
        triggers={name: _ci(r"(?<![\w-])" + alternation(spec["triggers"]) + r"(?![\w-])")
                  for name, spec in types.items()},
        needs_figure=frozenset(name for name, spec in types.items() if spec.get("needs_figure")),
        hypothetical={name: _ci(spec["hypothetical"]) for name, spec in types.items() if spec.get("hypothetical")},
        activity=_ci(r"(?<![\w-])" + alternation(data["activity"]) + r"(?![\w-])"),
        off_topic=_ci(r"^\W{0,3}(?:\w+\s+){0,2}?" + alternation(data["off_topic_after_trigger"]) + r"\b"),
        not_held=_ci(alternation(data["not_held"])),
        online=_ci(alternation(data["online"]["virtual"])),
        hybrid=_ci(alternation(data["online"]["hybrid"])),
        figure=_ci(
            r"(?<![\w.,])(?:(?:lebih\s+dari|sebanyak|sekitar|total|mencapai|ada)\s+)?"
            r"(\d{1,3}(?:\.\d{3})+|\d+|" + word_numbers + r")\s+(?:(?:orang|kasus|oknum)\s+)?("
            + data["figure_nouns"] + r")\b"
        ),
        number_words=words,
    )
