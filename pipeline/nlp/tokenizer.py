"""How Pantau's pipeline makes tokens: punctuation-only splitting and lean lexemes, both named in the config.

Pantau's components read ``doc.text`` and match with regular expressions; tokens exist so the spans they
leave in ``doc.spans`` have boundaries that ``displacy`` and ``doc.char_span`` can use. Two registered
functions keep that cheap (``make bench`` measures it):

- ``pantau.PunctuationTokenizer.v1``: spaCy's own Tokenizer with no exceptions; every punctuation mark is
  its own token and nothing else is split, so a span found in the text aligns with tokens exactly. The
  blank ``id`` tokenizer's thousands of exceptions cost more than all of Pantau's rules.
- ``pantau.LeanLexemes.v1`` (an ``after_creation`` callback): a new word's lexeme gets only the attributes
  a token pattern needs for case-blind words and punctuation (LOWER, IS_PUNCT, IS_SPACE), not all 23 of
  the Indonesian defaults (shape, like_url, prefix, stop word...). The annotator frees each article's
  words after it (a memory zone), so every article builds its lexemes again: each attribute costs about
  75 microseconds an article, and the full set more than the whole tokenizer.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy import attrs
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import registry

_PUNCT = r"[^\w\s]"
LEAN_ATTRS = (attrs.LOWER, attrs.IS_PUNCT, attrs.IS_SPACE)


@registry.tokenizers("pantau.PunctuationTokenizer.v1")
def create_punctuation_tokenizer() -> Callable[[Language], Tokenizer]:
    def make(nlp: Language) -> Tokenizer:
        return Tokenizer(
            nlp.vocab,
            rules={},
            prefix_search=re.compile(f"^{_PUNCT}").search,
            suffix_search=re.compile(f"{_PUNCT}$").search,
            infix_finditer=re.compile(_PUNCT).finditer,
        )

    return make


@registry.callbacks("pantau.LeanLexemes.v1")
def create_lean_lexemes() -> Callable[[Language], Language]:
    def lean(nlp: Language) -> Language:
        getters = nlp.vocab.lex_attr_getters
        nlp.vocab.lex_attr_getters = {attr: getters[attr] for attr in LEAN_ATTRS if attr in getters}
        return nlp

    return lean
