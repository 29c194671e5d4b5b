"""The officials lexicon is validated: unknown keys and broken patterns are refused, naming file and entry."""

from __future__ import annotations

import copy

import pytest

from pipeline.nlp.lexicon import LexiconError, lexicon_path, load_raw_lexicon, validate_lexicon
from pipeline.nlp.official_lexicon import OfficialsLexiconModel, lexicon_model


def test_the_shipped_lexicon_validates() -> None:
    model = lexicon_model()
    assert model.titles and model.bodies and model.post_bodies and model.unit_words


def _validate(data: dict[str, object]) -> None:
    validate_lexicon(data, OfficialsLexiconModel, lexicon_path("officials"))


def test_an_unknown_key_in_an_entry_is_refused_with_file_and_entry() -> None:
    data = copy.deepcopy(load_raw_lexicon("officials"))
    data["titles"][2]["institutoin"] = "typo"
    with pytest.raises(LexiconError) as error:
        _validate(data)
    assert "officials.yaml" in str(error.value) and "titles[2].institutoin" in str(error.value)


def test_an_unknown_top_level_key_is_refused() -> None:
    data = copy.deepcopy(load_raw_lexicon("officials"))
    data["not_a_section"] = []
    with pytest.raises(LexiconError, match="not_a_section"):
        _validate(data)


def test_a_broken_pattern_is_refused_with_its_entry() -> None:
    data = copy.deepcopy(load_raw_lexicon("officials"))
    data["post_bodies"][0]["pattern"] = "Polri("
    with pytest.raises(LexiconError, match=r"post_bodies\[0\]\.pattern"):
        _validate(data)


def test_an_unknown_level_is_refused() -> None:
    data = copy.deepcopy(load_raw_lexicon("officials"))
    data["titles"][0]["level"] = "galaxy"
    with pytest.raises(LexiconError, match=r"titles\[0\]\.level"):
        _validate(data)


@pytest.mark.parametrize(("text", "name"), [
    ("The Ministry of Home Affairs held a coordination meeting.", "Kementerian Dalam Negeri"),
    ("The State Civil Service Agency (BKN) recorded the reports.", "BKN"),
    ("The Civil Service Commission (KASN) recommended sanctions.", "KASN"),
    ("The Elections Supervisory Agency (Bawaslu) found the cases.", "Bawaslu"),
    ("The General Elections Commission (KPU) set the schedule.", "KPU"),
])
def test_english_body_names_are_organisations(text: str, name: str) -> None:
    """English-language reports name the same bodies in English; they organise and report events too."""
    from pipeline.nlp.components import shared_gazetteer
    from pipeline.nlp.organisations import find_organisations

    assert name in [o.name for o in find_organisations(text, shared_gazetteer())]
