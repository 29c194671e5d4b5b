"""The annotation stage: an extracted article in, an ``Annotation`` out.

The spaCy pipeline is assembled from ``models/pantau_id`` (config.cfg naming
Pantau's components, found through the package's entry points) and loaded once
per process; ``nlp(text)`` gives the same Doc outside the annotator. The annotator version
combines the code version with a hash of the assets the annotator reads (``ANNOTATION_ASSETS``), so a
changed gazetteer or lexicon re-annotates stored articles on the next run, and an edited README does not.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import re
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

# spacy.load finds the components through the installed entry points; importing them as well keeps a
# source checkout that was never pip-installed working.
import pipeline.nlp.components  # noqa: F401
from pipeline.records import Annotation, ExtractedArticle
from pipeline.settings import MODELS_DIR

log = logging.getLogger(__name__)

CODE_VERSION = "0.1.0"
# News stories are under 50 000 characters; a multi-megabyte "article" is a broken page or an attack.
# Only its head is annotated (the stored text stays whole), so one page cannot stall a run.
MAX_ANNOTATED_CHARS = 300_000
# A whitespace-free run longer than this (a line of dots, a base64 blob) is no word: spaCy's tokenizer
# strips affixes one character at a time, each strip costing the run's length, so a 100 000-dot run took
# minutes. Such runs are blanked with spaces of the same length, which keeps every offset.
MAX_WORD_CHARS = 200
_LONG_RUN = re.compile(rf"(?<!\S)\S{{{MAX_WORD_CHARS + 1},}}")  # starts only at a run's start: linear
PIPELINE_DIR = MODELS_DIR / "pantau_id"
# Words kept in the vocabulary across articles: a few tens of MB at most, and enough for any run's common words.
KEPT_WORDS = 100_000


# What the annotator reads under models/, as globs: a change to any of these files re-annotates the whole
# archive on the next run. Documentation beside them (README.md, SOURCE.md) changes no annotation and is left
# out; a new data file must be named here (tests/test_annotator_version.py fails on a file that is neither).
ANNOTATION_ASSETS = (
    "lexicons/*.yaml",
    "gazetteer/*.tsv",
    "gazetteer/meta.json",  # read by RegionGazetteer.source
    "patterns/*.jsonl",
    "pantau_id/config.cfg",
    "pantau_id/meta.json",
    "pantau_id/tokenizer",
    "pantau_id/vocab/*",
)


def annotation_assets(models_dir: Path = MODELS_DIR) -> list[Path]:
    """The files under ``models_dir`` that ``ANNOTATION_ASSETS`` names, in a stable order."""
    return sorted({path for pattern in ANNOTATION_ASSETS for path in models_dir.glob(pattern) if path.is_file()})


@lru_cache(maxsize=1)
def annotator_version(models_dir: Path = MODELS_DIR) -> str:
    """The code version and a hash of the annotation assets (names and bytes)."""
    digest = hashlib.sha1()
    for path in annotation_assets(models_dir):
        digest.update(path.relative_to(models_dir).as_posix().encode())
        digest.update(path.read_bytes())
    return f"{CODE_VERSION}+{digest.hexdigest()[:10]}"


@lru_cache(maxsize=1)
def load_pipeline(path: Path = PIPELINE_DIR) -> Language:
    return spacy.load(path)


def _published_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def annotated_text(text: str) -> str:
    """The part of an article's text that is annotated: all of it, up to MAX_ANNOTATED_CHARS, with runs
    longer than MAX_WORD_CHARS blanked (same length, so offsets into it index the article's text)."""
    if len(text) > MAX_ANNOTATED_CHARS:
        cut = text.rfind("\n", 0, MAX_ANNOTATED_CHARS)
        text = text[: cut if cut > MAX_ANNOTATED_CHARS // 2 else MAX_ANNOTATED_CHARS]
    return _LONG_RUN.sub(lambda run: " " * len(run.group()), text)


def article_doc(nlp: Language, article: ExtractedArticle) -> Doc:
    """The article through the pipeline, with its title and publication date on ``doc._`` for the rules.

    Offsets in the Doc's spans and records index the article's text (its annotated head).
    """
    doc = nlp.make_doc(annotated_text(article.text))
    doc._.title = article.title
    doc._.published = _published_date(article.published)
    return nlp(doc)


class Annotator:
    """Runs the spaCy pipeline over articles; cheap to create once the pipeline is loaded."""

    def __init__(self, pipeline_dir: Path = PIPELINE_DIR) -> None:
        self.nlp = load_pipeline(pipeline_dir)
        self.version = annotator_version()

    def annotate(self, article: ExtractedArticle) -> Annotation:
        published = _published_date(article.published)
        # Making a word's lexeme is most of tokenising (pipeline.nlp.tokenizer). The first articles' words
        # stay in the vocabulary, so a run's common words are made once; past KEPT_WORDS, a memory zone
        # frees each article's new words when it is done, so a long run does not grow the vocabulary.
        keep = len(self.nlp.vocab.strings) < KEPT_WORDS
        with contextlib.nullcontext() if keep else self.nlp.memory_zone():
            doc = article_doc(self.nlp, article)
            return Annotation(
                url=article.url,
                title=article.title,
                published_date=published.isoformat() if published else None,
                lang=article.lang,
                relevant=bool(doc._.relevant),
                officials=tuple(doc._.officials or ()),
                regions=tuple(doc._.regions or ()),
                events=tuple(doc._.events or ()),
                annotator_version=self.version,
                article_id=article.article_id,
            )
