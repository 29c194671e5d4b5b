"""Reading a person's name next to a post, and telling a name from a fragment of a body, place or sentence.

Indonesian news writes names with honorifics and degrees around them ("Dr. H. Andi Islamuddin, S.H.,
M.Si."), ranks before them ("Kompol", "Letkol Inf."), and in every naming tradition of the archipelago
(single names, Balinese "I Made ...", Sasak "Lalu ...", Arabic "bin"/"al"). The same capitalised run can
also be a headline ("Masih Rendah"), a body ("Bidang Pemerintahan"), a place ("Luwuk Selatan") or a verb
that opens a sentence ("Ditambahkan"): those are rejected by their shape, not by a list of known names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.lang.id.stop_words import STOP_WORDS

from pipeline.nlp.official_lexicon import OfficialsLexicon

NAME_TOKEN = (r"(?:[A-Z][a-zA-Z'’\-]+|[A-Z]\.|[A-Z](?=\s+[A-Z][a-z])|(?:I|Ni)(?=\s+[A-Z][a-z])"
              r"|(?:bin|binti|van|de|al|el|La|Wa)\b)")
NAME_RUN = re.compile(rf"{NAME_TOKEN}(?:(?:[ \t]+|[ \t]*\n[ \t]*){NAME_TOKEN}){{0,4}}")
# A verb form that opens a sentence ("Ditambahkan", "Menjadikan"): prefix + stem + -kan.
_VERB_FORM = re.compile(r"(?:Di|Me[mn]?g?y?|Ber|Ter|Per)[a-z]{3,}kan")
_ACRONYM = re.compile(r"[A-Z]{3,}")
# A common noun formed with pe-/per-/ke- ... -an ("Pemilihan", "Perwakilan", "Kegiatan") is no name.
_NOUN_FORM = re.compile(r"(?:Pe(?:m|n|ng|ny|r)|Ke)[a-z]{3,}an|(?:Pe|Ke)[a-z]{4,}an")
# A word with the -nya clitic ("Hadirnya", "Selanjutnya"); short names such as "Sonya" are kept.
_CLITIC_FORM = re.compile(r"[A-Z][a-z]{4,}nya")
_LEADING = re.compile(r"^\s*,?\s*(?:(?:petahana|terpilih|definitif|nonaktif|sementara|baru)\s*,?\s*)?")


@dataclass(frozen=True)
class NameSpan:
    name: str
    start: int  # offsets in the text the name was read from
    end: int


def looks_like_person(lex: OfficialsLexicon, name: str) -> bool:
    """A run of name-shaped tokens that is not a body, place, acronym or common word."""
    tokens = name.split()
    if not tokens or len(name) < 3 or not re.search(r"[a-z]", name):
        return False
    for index, token in enumerate(tokens):
        bare = token.strip(".,")
        if bare in lex.name_particles and index < len(tokens) - 1:
            continue
        parts = bare.split("-")
        if (bare.lower() in STOP_WORDS or _ACRONYM.fullmatch(bare) or _VERB_FORM.fullmatch(bare)
                or _NOUN_FORM.fullmatch(bare) or _CLITIC_FORM.fullmatch(bare)
                or any(p in lex.not_name or lex.unit_re.fullmatch(p) or lex.title_re.fullmatch(p) for p in parts)):
            return False
    return not (len(tokens) > 1 and tokens[-1] in lex.direction_words)


def clean_name(lex: OfficialsLexicon, raw: str) -> str | None:
    """The bare name: ranks, honorifics and degrees removed, cut at the first word that is no name."""
    name = raw.strip(" ,")
    for _ in range(3):
        name = lex.rank_re.sub("", name)
        name = lex.name_prefix_re.sub("", name).strip()
    name = lex.degree_re.sub("", name).strip(" ,")
    kept: list[str] = []
    for token in name.split():
        bare = token.strip(".,")
        if _ACRONYM.fullmatch(bare) or lex.unit_re.fullmatch(bare):
            return None  # the run goes on into a body ("... Pengendalian Manajemen ASN"): not a person
        if bare in lex.not_name or lex.title_re.fullmatch(bare) or lex.rank_re.fullmatch(bare):
            break
        kept.append(token)
    while len(kept) > 1 and re.fullmatch(r"[A-Z]\.?", kept[-1]):
        kept.pop()  # a trailing initial is a degree remnant more often than a name
    name = " ".join(kept).strip(" ,.")
    if not name or name.isupper() or not looks_like_person(lex, name):
        return None
    return name


def _span(raw: str, offset: int, name: str) -> NameSpan:
    first, last = name.split()[0], name.split()[-1]
    start = raw.find(first)
    end = raw.rfind(last)
    if start < 0 or end < start:
        return NameSpan(name, offset, offset + len(raw))
    return NameSpan(name, offset + start, offset + end + len(last))


def name_after(lex: OfficialsLexicon, text: str, base: int) -> NameSpan | None:
    """The name that opens ``text`` (which starts at ``base`` in the article), after ranks and honorifics."""
    position = _LEADING.match(text).end()  # type: ignore[union-attr]  # the pattern matches the empty string
    for _ in range(4):
        rank = lex.rank_at.match(text, position)
        prefix = None if rank else lex.name_prefix_re.match(text[position:position + 40])
        if rank and rank.end() > position:
            position = rank.end()
        elif prefix and prefix.group(0):
            position += len(prefix.group(0))
        else:
            break
    run = NAME_RUN.match(text, position)
    if not run:
        return None
    name = clean_name(lex, run.group(0))
    return _span(run.group(0), base + position, name) if name else None


def name_before(lex: OfficialsLexicon, text: str, base: int, separator: str) -> NameSpan | None:
    """The name that ends ``text`` before ``separator`` ("Katma F. Dirun, " + title)."""
    match = re.search(rf"(?<![\w.])({NAME_TOKEN}(?:\s+{NAME_TOKEN}){{0,4}})(?:{lex.degree_tail})?{separator}$", text)
    if not match:
        return None
    name = clean_name(lex, match.group(1))
    return _span(match.group(1), base + match.start(1), name) if name else None
