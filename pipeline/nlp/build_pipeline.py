"""Writes ``models/pantau_id``: the spaCy pipeline (config, tokenizer, vocab) that ``spacy.load`` reads.

Run ``python -m pipeline.nlp.build_pipeline`` after changing the component list or the tokenizer. The
components hold no weights; their data is read from the other folders in ``models/`` when the pipeline
loads. Loading needs no import: the factories and the tokenizer are found through the package's
``spacy_factories`` and ``spacy_tokenizers`` entry points.
"""

from __future__ import annotations

import json
import sys

import spacy

import pipeline.nlp.components
import pipeline.nlp.dates
import pipeline.nlp.regions
import pipeline.nlp.tokenizer  # noqa: F401
from pipeline.settings import MODELS_DIR

COMPONENTS = ("pantau_sentences", "pantau_regions", "pantau_dates", "pantau_officials", "pantau_events",
              "pantau_spans")
# How tokens are made (pipeline.nlp.tokenizer): punctuation-only splitting, lexemes with few attributes.
NLP_CONFIG = {"tokenizer": {"@tokenizers": "pantau.PunctuationTokenizer.v1"},
              "after_creation": {"@callbacks": "pantau.LeanLexemes.v1"}}
TARGET = MODELS_DIR / "pantau_id"


def build() -> spacy.language.Language:
    nlp = spacy.blank("id", config={"nlp": NLP_CONFIG})
    for name in COMPONENTS:
        nlp.add_pipe(name)
    nlp.meta.update({
        "name": "pantau_id",
        "version": "0.1.0",
        "description": "Rule-based Indonesian pipeline for election-neutrality news: regions, dates, officials, "
                       "events. Data lives in models/gazetteer, models/lexicons and models/patterns.",
        "license": "MIT",
    })
    return nlp


def main() -> int:
    nlp = build()
    nlp.to_disk(TARGET)
    print(json.dumps({"written": str(TARGET), "pipeline": nlp.pipe_names}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
