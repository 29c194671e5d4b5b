"""Every text scan is linear (issue 12, item 2): a pathological run costs its length, not its square.

Not timing tests in the usual sense: each bound is tens of times what the linear code needs and a small
fraction of what the quadratic code needed on the same input (noted beside each), so they pass on a
loaded machine and fail when a scan turns quadratic again.
"""

from __future__ import annotations

import time

import pytest

from pipeline.nlp.annotator import MAX_WORD_CHARS, Annotator, annotated_text
from pipeline.nlp.text import split_sentences
from pipeline.records import ExtractedArticle

N = 50_000

PATHOLOGICAL = {
    "a run of full stops with no space after it": "Rakor digelar. " + "." * N,  # quadratic code: ~30 s
    "abbreviations one after another": "Kab. " * (N // 5),  # ~12 s
    "stops inside one long word": "a." * (N // 2),
    "stops and quotes": '."' * (N // 2),
    "many short sentences": "Rakor digelar. " * (N // 15),
}


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_sentence_splitting_is_linear(text: str) -> None:
    started = time.perf_counter()
    sentences = split_sentences(text)
    assert time.perf_counter() - started < 2.0
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_the_splitter_still_splits_as_before() -> None:
    text = "Rapat dipimpin Pj. Bupati Buol H. Katma F. Dirun, S.H., M.Si. di Kab. Buol. Hadir pula Camat."
    assert [s.text for s in split_sentences(text)] == [
        "Rapat dipimpin Pj. Bupati Buol H. Katma F. Dirun, S.H., M.Si. di Kab. Buol.", "Hadir pula Camat."]
    assert [s.text for s in split_sentences("Apa? Ya! \u201cBenar.\u201d Lalu...")] == [
        "Apa?", "Ya!", "\u201cBenar.\u201d", "Lalu..."]


def _article(text: str) -> ExtractedArticle:
    return ExtractedArticle(article_id="x", canonical_url="https://a.example/x", url="https://a.example/x",
                            source_id=None, title="Rakor", text=text, published="2024-09-17",
                            published_source=None, author=None, lang="id", page_id=None, content_hash="",
                            extractor_version="")


def test_annotating_a_run_of_full_stops_is_linear() -> None:
    annotator = Annotator()
    text = "Bawaslu Kabupaten Buol menggelar rakor netralitas ASN. " + "." * N
    started = time.perf_counter()
    annotator.annotate(_article(text))
    assert time.perf_counter() - started < 10.0  # quadratic tokenising: ~35 s for 50 000 dots


def test_blanking_long_runs_keeps_every_offset() -> None:
    text = "Rakor di Buol. " + "." * (MAX_WORD_CHARS + 1) + " Bupati hadir. " + "x" * MAX_WORD_CHARS
    head = annotated_text(text)
    assert len(head) == len(text)
    assert head.startswith("Rakor di Buol. ") and head.endswith(" Bupati hadir. " + "x" * MAX_WORD_CHARS)
    assert "." * (MAX_WORD_CHARS + 1) not in head
