"""``models/pantau_id`` as a spaCy pipeline: loads anywhere, tokens align with spans, spans show the annotation."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import tomllib
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from spacy import displacy
from spacy.language import Language

from pipeline.nlp.annotator import Annotator, load_pipeline
from pipeline.nlp.doc_spans import REGION_LABELS, SPAN_KEYS
from pipeline.records import ExtractedArticle

ROOT = Path(__file__).resolve().parents[1]
# A constructed story (no development article): an official with an office, three kinds of region, a date, a rakor.
TEXT = ("MEMPAWAH - Bupati Mempawah Erlina memimpin rapat koordinasi netralitas ASN di Kantor Bupati, "
        "Senin (12/2/2024). Rapat dihadiri camat se-Kabupaten Mempawah, perwakilan Kota Singkawang dan "
        "Provinsi Kalimantan Barat.\n\nIa meminta seluruh ASN menjaga netralitas.")
TITLE = "Bupati Mempawah Pimpin Rakor Netralitas ASN"
EXPECTED = {
    "officials": {("Erlina", "OFFICIAL")},
    "regions": {("Kabupaten Mempawah", "KABUPATEN"), ("Kota Singkawang", "KOTA"),
                ("Provinsi Kalimantan Barat", "PROVINSI")},
    "dates": {("Senin (12/2/2024)", "DATE")},
}

FRESH_INTERPRETER = textwrap.dedent("""
    import json, sys
    import spacy
    from spacy import displacy
    nlp = spacy.load("models/pantau_id")
    doc = nlp.make_doc(sys.argv[1])
    doc._.title = sys.argv[2]
    doc = nlp(doc)
    rendered = {key: len(displacy.render(doc, style="span", options={"spans_key": key})) for key in doc.spans}
    print(json.dumps({"pipeline": nlp.pipe_names,
                      "spans": {key: [[s.text, s.label_, s.start_char, s.end_char] for s in spans]
                                for key, spans in doc.spans.items()},
                      "rendered": rendered}))
""")


def _doc(nlp: Language, text: str = TEXT, title: str = TITLE):  # type: ignore[no-untyped-def]
    doc = nlp.make_doc(text)
    doc._.title = title
    return nlp(doc)


def _found(spans) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {(span.text, span.label_) for span in spans}


def test_entry_points_declared_in_pyproject_are_installed() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["entry-points"]
    for group, names in declared.items():
        installed = {ep.name: ep.value for ep in entry_points(group=group)}
        missing = {name: value for name, value in names.items() if installed.get(name) != value}
        assert not missing, f"{group} entry points not installed: {missing}; reinstall (make setup, pip install -e .)"


def test_a_fresh_interpreter_loads_the_pipeline_and_finds_each_span_key() -> None:
    run = subprocess.run([sys.executable, "-c", FRESH_INTERPRETER, TEXT, TITLE], cwd=ROOT, capture_output=True,
                         text=True, timeout=180)
    assert run.returncode == 0, f"spacy.load failed (entry points installed? make setup):\n{run.stderr[-2000:]}"
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["pipeline"][-1] == "pantau_spans"
    assert set(out["spans"]) == set(SPAN_KEYS)
    found = {key: {(text, label) for text, label, _, _ in spans} for key, spans in out["spans"].items()}
    for key, expected in EXPECTED.items():
        assert expected <= found[key], key
    assert {label for _, label in found["events"]} == {"rakor"}
    for spans in out["spans"].values():
        for text, _, start, end in spans:
            assert TEXT[start:end] == text
    assert all(size > len(TEXT) for size in out["rendered"].values())


def test_spans_carry_their_records_and_align_with_the_text() -> None:
    doc = _doc(load_pipeline())
    for key, expected in EXPECTED.items():
        assert expected <= _found(doc.spans[key]), key
    official = doc.spans["officials"][0]._.official
    assert (official.name, official.title, official.region_code) == ("Erlina", "Bupati", "61.02")
    assert TEXT[official.start:official.end] == "Erlina"
    assert {span._.region.code for span in doc.spans["regions"]} >= {"61.02", "61.72", "61"}
    assert all(span.label_ in REGION_LABELS for span in doc.spans["regions"])
    assert doc.spans["dates"][0]._.date.date.isoformat() == "2024-02-12"
    event = doc.spans["events"][0]
    assert event.label_ == event._.event.type == "rakor"
    assert "rapat koordinasi" in event.text and event.text == TEXT[event.start_char:event.end_char]
    for key in SPAN_KEYS:
        assert displacy.render(doc, style="span", options={"spans_key": key})


def test_tokens_split_at_whitespace_and_punctuation_and_rebuild_the_text() -> None:
    nlp = load_pipeline()
    text = "Pj. Bupati  H. Ismail,S.Sos (kiri) di Kab. Mempawah\n\nRp1,5 juta—pekan-lalu."
    doc = nlp.make_doc(text)
    assert doc.text == text
    assert [t.text for t in doc][:8] == ["Pj", ".", "Bupati", " ", "H", ".", "Ismail", ","]
    assert all(not t.is_punct or len(t.text) == 1 for t in doc)


def test_the_annotator_stores_offsets_but_not_in_the_contract_json() -> None:
    article = ExtractedArticle(article_id="a", canonical_url="https://x.id/a", url="https://x.id/a", source_id=None,
                               title=TITLE, text=TEXT, published="2024-02-12", published_source="input",
                               author=None, lang="id")
    annotation = Annotator().annotate(article)
    official = next(o for o in annotation.officials if o.name == "Erlina")
    assert TEXT[official.start:official.end] == "Erlina"
    event = annotation.events[0]
    assert event.evidence is not None and TEXT[event.evidence_start:event.evidence_end] == event.evidence
    contract = json.dumps(annotation.to_contract())
    assert "start" not in contract and "evidence_end" not in contract


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "Tanpa apa pun."])
def test_texts_with_nothing_to_find_give_empty_span_groups(text: str) -> None:
    doc = _doc(load_pipeline(), text, "")
    assert {key: len(doc.spans[key]) for key in SPAN_KEYS} == dict.fromkeys(SPAN_KEYS, 0)


def _article(text: str = TEXT) -> ExtractedArticle:
    return ExtractedArticle(article_id="a", canonical_url="https://x.id/a", url="https://x.id/a", source_id=None,
                            title=TITLE, text=text, published="2024-02-12", published_source="input",
                            author=None, lang="id")


def test_past_the_kept_words_each_articles_new_words_are_freed(monkeypatch: pytest.MonkeyPatch) -> None:
    annotator = Annotator()
    expected = annotator.annotate(_article())
    monkeypatch.setattr("pipeline.nlp.annotator.KEPT_WORDS", 0)
    before = len(annotator.nlp.vocab.strings)
    again = annotator.annotate(_article(TEXT + " Kata-kata zyxwvu qwertyuiop baru."))
    assert len(annotator.nlp.vocab.strings) == before
    assert again.officials == expected.officials and again.events[0].type == "rakor"


def test_an_article_renders_as_html_with_a_section_per_span_key(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    from pipeline.nlp.display import main

    source = tmp_path / "articles.jsonl"
    source.write_text(json.dumps({"url": "https://x.id/a", "title": TITLE, "text": TEXT,
                                  "published": "2024-02-12"}) + "\n", encoding="utf-8")
    assert main([str(source)]) == 0
    page = capsys.readouterr().out
    assert all(f"<h2>{key} (" in page for key in SPAN_KEYS)
    assert "Erlina" in page and "OFFICIAL" in page and "KOTA" in page
    assert main([str(source), "--line", "2"]) == 1
