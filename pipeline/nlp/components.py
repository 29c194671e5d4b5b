"""spaCy components that assemble Pantau's annotator (see ``models/pantau_id/config.cfg``).

Each component reads what earlier ones left on ``doc._`` and adds its own
layer. They share one region gazetteer, loaded once per process.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp.events import extract_events, is_relevant
from pipeline.nlp.gazetteer import RegionGazetteer
from pipeline.nlp.officials import extract_officials
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


@Language.factory("pantau_sentences")
def make_sentences(nlp: Language, name: str) -> Any:
    def component(doc: Doc) -> Doc:
        doc._.sentences = split_sentences(doc.text)
        return doc

    return component


@Language.factory("pantau_officials")
def make_officials(nlp: Language, name: str) -> Any:
    def component(doc: Doc) -> Doc:
        gazetteer = shared_gazetteer()
        doc._.organisations = find_organisations(doc.text, gazetteer)
        doc._.officials = extract_officials(doc.text, gazetteer, list(doc._.regions or []))
        return doc

    return component


@Language.factory("pantau_events")
def make_events(nlp: Language, name: str) -> Any:
    def component(doc: Doc) -> Doc:
        sentences = doc._.sentences if doc._.sentences is not None else split_sentences(doc.text)
        events = extract_events(
            doc.text, doc._.title, sentences, list(doc._.regions or []), list(doc._.dates or []),
            list(doc._.officials or []), list(doc._.organisations or []), shared_gazetteer(), shared_tagger(),
        )
        doc._.events = events
        doc._.relevant = is_relevant(doc._.title, sentences, events)
        return doc

    return component
