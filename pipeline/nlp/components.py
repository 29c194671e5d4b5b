"""spaCy components that assemble Pantau's annotator (see ``models/pantau_id/config.cfg``).

Each component reads what earlier ones left on ``doc._`` and adds its own
layer. They share one region gazetteer, loaded once per process. The last one,
``pantau_spans``, shows the records as ``doc.spans`` (see ``pipeline.nlp.doc_spans``).
The factories are advertised through the package's ``spacy_factories`` entry points
(pyproject.toml), so ``spacy.load("models/pantau_id")`` needs no import first.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

import pipeline.nlp.dates
import pipeline.nlp.tokenizer  # noqa: F401  (registers what models/pantau_id names besides these factories)
from pipeline.nlp.doc_spans import set_spans
from pipeline.nlp.events import extract_events, is_relevant
from pipeline.nlp.gazetteer import RegionGazetteer
from pipeline.nlp.officials import extract_officials
from pipeline.nlp.offsets import locate_event, locate_official
from pipeline.nlp.organisations import find_organisations
from pipeline.nlp.regions import RegionTagger
from pipeline.nlp.text import split_sentences

for _name, _default in (("title", None), ("published", None), ("sentences", None), ("officials", None),
                        ("organisations", None), ("events", None), ("relevant", None), ("regions", None),
                        ("dates", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


@lru_cache(maxsize=1)
def shared_gazetteer() -> RegionGazetteer:
    return RegionGazetteer()


@lru_cache(maxsize=1)
def shared_tagger() -> RegionTagger:
    return RegionTagger(shared_gazetteer())


_TEXT_KEY = "pantau_text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, read once per Doc: spaCy rebuilds it from every token on each access."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return str(text)


@Language.factory("pantau_sentences")
def make_sentences(nlp: Language, name: str) -> Any:
    def component(doc: Doc) -> Doc:
        doc._.sentences = split_sentences(doc_text(doc))
        return doc

    return component


@Language.factory("pantau_officials")
def make_officials(nlp: Language, name: str) -> Any:
    def component(doc: Doc) -> Doc:
        gazetteer = shared_gazetteer()
        doc._.organisations = find_organisations(doc_text(doc), gazetteer)
        doc._.officials = extract_officials(doc_text(doc), gazetteer, list(doc._.regions or []))
        return doc

    return component


@Language.factory("pantau_events")
def make_events(nlp: Language, name: str) -> Any:
    def component(doc: Doc) -> Doc:
        sentences = doc._.sentences if doc._.sentences is not None else split_sentences(doc_text(doc))
        events = extract_events(
            doc_text(doc), doc._.title, sentences, list(doc._.regions or []), list(doc._.dates or []),
            list(doc._.officials or []), list(doc._.organisations or []), shared_gazetteer(), shared_tagger(),
        )
        doc._.events = events
        doc._.relevant = is_relevant(doc._.title, sentences, events)
        return doc

    return component


def _region_kind(code: str) -> str | None:
    region = shared_gazetteer().get(code)
    return region.kind if region is not None else None


@Language.factory("pantau_spans")
def make_spans(nlp: Language, name: str) -> Any:
    """Offsets the rules left empty are located in the text (so the store keeps them), then spans are set."""

    def component(doc: Doc) -> Doc:
        text = doc_text(doc)
        doc._.officials = [locate_official(o, text) for o in doc._.officials or ()]
        doc._.events = [locate_event(e, text) for e in doc._.events or ()]
        return set_spans(doc, doc._.officials, doc._.regions or (), doc._.dates or (), doc._.events,
                         _region_kind)

    return component
