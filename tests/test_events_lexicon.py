"""The events lexicon: validated on load, and the one list of event types every module reads."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.nlp.event_cues import EVENT_TYPES, NAMED_EVENT_TYPES, EventLexicon, event_cues
from pipeline.nlp.lexicon import LexiconError, lexicon_path, load_raw_lexicon, validate_lexicon

PATH = lexicon_path("events")


def _raw() -> dict[str, Any]:
    return copy.deepcopy(load_raw_lexicon("events"))


def test_the_shipped_lexicon_is_valid_and_every_type_with_triggers_is_known() -> None:
    lexicon = validate_lexicon(_raw(), EventLexicon, PATH)
    assert set(lexicon.types) <= set(lexicon.event_types)
    assert set(event_cues().triggers) <= set(EVENT_TYPES)


def test_an_unknown_key_is_refused_with_file_and_entry_named() -> None:
    data = _raw()
    data["types"]["rakor"]["trigers"] = ["rapat"]
    with pytest.raises(LexiconError) as error:
        validate_lexicon(data, EventLexicon, PATH)
    assert "events.yaml" in str(error.value) and "types.rakor.trigers" in str(error.value)


def test_a_type_that_is_not_listed_is_refused() -> None:
    data = _raw()
    data["types"]["lokakarya"] = {"triggers": ["lokakarya"]}
    with pytest.raises(LexiconError, match="lokakarya"):
        validate_lexicon(data, EventLexicon, PATH)


def test_a_pattern_that_does_not_compile_is_refused() -> None:
    data = _raw()
    data["types"]["apel"]["triggers"] = ["apel("]
    with pytest.raises(LexiconError, match=r"types\.apel\.triggers"):
        validate_lexicon(data, EventLexicon, PATH)


def test_the_contract_schema_lists_the_same_types() -> None:
    schema = json.loads((Path(__file__).parent / "contract" / "annotation.schema.json").read_text(encoding="utf-8"))
    enum = schema["properties"]["events"]["items"]["properties"]["type"]["enum"]
    assert list(enum) == list(EVENT_TYPES)


def test_the_digest_reads_the_one_list() -> None:
    from pipeline.digest import labels

    assert labels.EVENT_TYPES == NAMED_EVENT_TYPES
    assert "other" in EVENT_TYPES and "other" not in NAMED_EVENT_TYPES
