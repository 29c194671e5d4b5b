"""Evidence offsets: the rules' own offsets win; otherwise the words are found again in the text."""

from __future__ import annotations

from pipeline.nlp.doc_spans import event_offsets, region_label
from pipeline.nlp.offsets import locate_event, locate_official
from pipeline.records import EventMention, Official, RegionMention

TEXT = "Camat Erlina hadir. Bupati Mempawah  Erlina memimpin apel netralitas ASN.\nApel digelar pagi."


def _official(**offsets: int) -> Official:
    return Official("Erlina", "Bupati", "Kabupaten Mempawah", "61.02", None, "Bupati Mempawah Erlina", **offsets)


def _event(evidence: str | None, **offsets: int) -> EventMention:
    return EventMention("apel", None, None, None, None, None, None, None, evidence=evidence, **offsets)


def test_an_officials_name_is_found_after_its_written_title_across_extra_spaces() -> None:
    located = locate_official(_official(), TEXT)
    assert located.start == TEXT.index("Erlina", 20) and TEXT[located.start:located.end] == "Erlina"


def test_offsets_the_rules_set_are_kept() -> None:
    assert locate_official(_official(start=6, end=12), TEXT) == _official(start=6, end=12)
    assert locate_event(_event("x", evidence_start=0, evidence_end=5), TEXT).evidence_end == 5


def test_a_name_not_in_the_text_keeps_no_offsets() -> None:
    missing = Official("Sutarmidji", "Gubernur", None, None, None, "Gubernur Sutarmidji")
    assert locate_official(missing, TEXT).start is None


def test_an_events_evidence_sentence_is_located_and_the_trigger_preferred_for_its_span() -> None:
    sentence = "Bupati Mempawah Erlina memimpin apel netralitas ASN."
    located = locate_event(_event(sentence), TEXT)
    assert TEXT[located.evidence_start:located.evidence_end] == "Bupati Mempawah  Erlina memimpin apel netralitas ASN."
    assert event_offsets(located) == (located.evidence_start, located.evidence_end)
    apel = TEXT.index("apel")
    assert event_offsets(_event(sentence, trigger_start=apel, trigger_end=apel + 4)) == (apel, apel + 4)
    assert locate_event(_event(None), TEXT).evidence_start is None


def test_region_labels_follow_the_gazetteer_kind_and_else_the_code() -> None:
    def mention(code: str) -> RegionMention:
        return RegionMention(code, "x", "x", 0, 1)

    assert region_label(mention("00"), lambda code: None) == "NASIONAL"
    assert region_label(mention("61.72"), lambda code: "kota") == "KOTA"
    assert [region_label(mention(c), lambda code: None) for c in ("61", "61.02", "61.72")] == [
        "PROVINSI", "KABUPATEN", "KOTA"]
