"""Date expressions for the annotator: the public API and the ``pantau_dates`` spaCy component.

The work happens in ``date_mentions`` (no spaCy import, for callers that only need
``find_dates``); this module re-exports it and registers the component, so importing
``pipeline.nlp.dates`` is enough before ``spacy.load`` of a pipeline that names ``pantau_dates``.
"""

from __future__ import annotations

import datetime as dt

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp.date_lexicon import LexiconError, load_lexicon
from pipeline.nlp.date_mentions import (
    TRAP_ROLES,
    DateMention,
    Kind,
    Precision,
    RoleHint,
    check_weekday,
    find_dates,
    infer_year,
)

__all__ = [
    "TRAP_ROLES",
    "DateAnnotator",
    "DateMention",
    "Kind",
    "LexiconError",
    "Precision",
    "RoleHint",
    "check_weekday",
    "find_dates",
    "infer_year",
    "load_lexicon",
]

# Other components register the same extensions; whoever comes first wins, with the same defaults.
for _name in ("published", "dates"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class DateAnnotator:
    """Sets ``doc._.dates`` from the text, resolving relative dates against ``doc._.published``."""

    def __init__(self, context_year: int | None = None) -> None:
        self.context_year = context_year

    def __call__(self, doc: Doc) -> Doc:
        published = doc._.published
        if isinstance(published, dt.datetime):
            published = published.date()
        elif isinstance(published, str):
            published = _iso_date(published)
        if not isinstance(published, dt.date):
            published = None
        doc._.dates = find_dates(doc.text, published, self.context_year)
        return doc


def _iso_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


@Language.factory("pantau_dates", default_config={"context_year": None})
def make_date_annotator(nlp: Language, name: str, context_year: int | None) -> DateAnnotator:
    return DateAnnotator(context_year)
