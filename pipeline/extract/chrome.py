"""The Indonesian chrome filter: page furniture out, article sentences in.

It works on lines, so the same rules clean trafilatura's output and the plain
text of the contract's text input (which arrives with "Baca juga" links,
bylines and promo lines still in it). The rules are data
(``chrome_patterns.yaml``); this module only knows how to apply them:

* a related-link line ("Baca juga: ...") goes, with the headline-like lines
  right after it, because a bare "Baca Juga" is often followed by the linked
  headline on a line of its own: every such line would hand the annotator
  another regency and another event;
* a section header ("Berita Terkait", "Terpopuler") goes with the run of
  headline-like lines under it; the run ends at the first line of prose;
* a comment-form opener ends the text, when most of the text precedes it;
* single chrome lines (bylines, credits, ads, share bars, copyright) go;
* inline markers ("(ADV)", reporter initials "(sa/red)") are cut, the
  sentence stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pipeline.extract.line_shapes import (
    _BULLET,
    _SPACES,
    is_date_stamp,
    is_headline_like,
    is_prose,
    is_ticker,
    is_title_case,
    normalise_line,
    word_count,
)

PATTERNS_PATH = Path(__file__).with_name("chrome_patterns.yaml")



@dataclass(frozen=True)
class ChromeRule:
    """One pattern from the patterns file."""

    id: str
    kind: str  # related_markers | section_headers | tail_markers | drop_lines | strip_inline
    regex: re.Pattern[str]
    max_words: int | None

    def matches(self, line: str, words: int) -> bool:
        if self.max_words is not None and words > self.max_words:
            return False
        return self.regex.search(line) is not None


@dataclass(frozen=True)
class ChromeRules:
    version: int
    related_markers: tuple[ChromeRule, ...]
    section_headers: tuple[ChromeRule, ...]
    tail_markers: tuple[ChromeRule, ...]
    drop_lines: tuple[ChromeRule, ...]
    strip_inline: tuple[ChromeRule, ...]
    html_prune: tuple[ChromeRule, ...] = ()
    html_keep: tuple[ChromeRule, ...] = ()
    opening_lines: tuple[ChromeRule, ...] = ()
    closing_lines: tuple[ChromeRule, ...] = ()
    closing_strip: tuple[ChromeRule, ...] = ()


def _rule(kind: str, raw: dict[str, Any]) -> ChromeRule:
    flags = 0 if raw.get("case_sensitive") else re.IGNORECASE
    return ChromeRule(raw["id"], kind, re.compile(raw["pattern"], flags), raw.get("max_words"))


@lru_cache(maxsize=4)
def load_rules(path: str | None = None) -> ChromeRules:
    """Read and compile the patterns file once per process."""
    data = yaml.safe_load(Path(path or PATTERNS_PATH).read_text(encoding="utf-8"))
    kinds = ("related_markers", "section_headers", "tail_markers", "drop_lines", "strip_inline", "html_prune",
             "html_keep", "opening_lines", "closing_lines", "closing_strip")
    unknown = set(data) - set(kinds) - {"version"}
    if unknown:
        raise ValueError(f"unknown sections in {path or PATTERNS_PATH}: {sorted(unknown)}")
    compiled = {k: tuple(_rule(k, r) for r in data.get(k) or ()) for k in kinds}
    return ChromeRules(version=int(data.get("version", 0)), **compiled)


def rule_for(line: str, rules: ChromeRules | None = None) -> ChromeRule | None:
    """The first whole-line rule that ``line`` matches (None for a body line)."""
    rules = rules or load_rules()
    norm = normalise_line(line)
    if not norm:
        return None
    words = word_count(norm)
    for group in (rules.related_markers, rules.section_headers, rules.tail_markers, rules.drop_lines):
        for rule in group:
            if rule.matches(norm, words):
                return rule
    return None


def strip_markers(line: str, rules: ChromeRules | None = None) -> str:
    rules = rules or load_rules()
    for rule in rules.strip_inline:
        line = rule.regex.sub("", line)
    return line.rstrip()


def _tail_start(lines: list[str], rules: ChromeRules) -> int:
    """Index of a comment-section opener past the middle of the text, else len(lines)."""
    total = sum(len(x) for x in lines) or 1
    seen = 0
    for i, line in enumerate(lines):
        norm = normalise_line(line)
        if norm and any(r.matches(norm, word_count(norm)) for r in rules.tail_markers) and seen >= total * 0.5:
            return i
        seen += len(line)
    return len(lines)


def _headline_list_tail(kept: list[str]) -> int:
    """Start of a closing run of 3+ bulleted headline lines (a related list), else len."""
    i = len(kept)
    run = 0
    while i > 0:
        line = kept[i - 1]
        if not line.strip():
            i -= 1
            continue
        is_bullet = _BULLET.match(line.strip()) is not None and line.strip()[0] in "-–—•·*»›▶►■●○▪"
        norm = normalise_line(line)
        if is_bullet and not is_prose(norm) and is_title_case(norm) and word_count(norm) <= 25:
            run += 1
            i -= 1
            continue
        break
    return i if run >= 3 else len(kept)


def clean_lines(lines: list[str], rules: ChromeRules | None = None) -> list[str]:
    """Apply the filter to a list of lines; returns the kept, normalised lines."""
    rules = rules or load_rules()
    lines = lines[: _tail_start(lines, rules)]
    kept: list[str] = []
    in_block = False
    for raw in lines:
        norm = normalise_line(raw)
        if not norm:
            kept.append("")
            continue
        rule = rule_for(raw, rules)
        if rule is not None:
            if rule.kind in ("related_markers", "section_headers"):
                in_block = True
            continue
        if in_block and is_headline_like(norm):
            continue  # a headline under a related-link marker or section header
        if is_ticker(norm):
            continue
        in_block = False
        if is_date_stamp(norm):
            continue
        stripped = strip_markers(raw.strip(), rules)
        stripped = _SPACES.sub(" ", stripped).strip()
        if not normalise_line(stripped):
            continue
        previous = next((x for x in reversed(kept) if x), None)
        if previous is not None and previous == stripped:
            continue  # a headline or caption printed twice in a row
        kept.append(stripped)
    kept = kept[: _headline_list_tail(kept)]
    return _trim_ends(kept, rules)


def _matches_any(line: str, group: tuple[ChromeRule, ...]) -> bool:
    norm = normalise_line(line)
    words = word_count(norm)
    return bool(norm) and any(rule.matches(norm, words) for rule in group)


def _trim_ends(kept: list[str], rules: ChromeRules) -> list[str]:
    """Drop a kicker before the first paragraph and sign-offs after the last."""
    start = 0
    while start < len(kept) and (not kept[start].strip() or _matches_any(kept[start], rules.opening_lines)):
        start += 1
    end = len(kept)
    while end > start and (not kept[end - 1].strip() or _matches_any(kept[end - 1], rules.closing_lines)):
        end -= 1
    kept = kept[start:end]
    if kept:
        last = kept[-1]
        for rule in rules.closing_strip:
            last = rule.regex.sub("", last)
        kept[-1] = last.rstrip()
    return kept


def split_header(text: str, rules: ChromeRules | None = None, window: int = 8) -> tuple[list[str], str]:
    """Split off the header that text copies of a page carry above the byline.

    Pages pasted as text start "[rubric] headline [teaser] Penulis: X | Editor: Y"
    and then the story. When a byline line sits among the first ``window``
    non-blank lines, the lines above it are header, not body; returns
    ``(header_lines, rest_of_text)`` (no header: ``([], text)``).
    """
    rules = rules or load_rules()
    lines = text.replace("\r\n", "\n").split("\n")
    seen = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        seen += 1
        if seen > window:
            break
        rule = rule_for(line, rules)
        if rule is not None and rule.id in BYLINE_RULES:
            header = [normalise_line(x) for x in lines[:i] if x.strip()]
            return header, "\n".join(lines[i:])
    return [], text


BYLINE_RULES = frozenset({"byline-label", "byline-label-bare", "report-by", "oleh-byline", "byline-header"})


_RUN_ON_SPLIT = re.compile(r"(?<=[.!?)])\s+(?=[\"“]?[A-Z])")
RUN_ON_CHARS = 1000


def _split_run_on(line: str) -> list[str]:
    """Split a page flattened into one huge line (trafilatura's fallback on pages
    without block markup) into sentences, so the line rules can see its chrome."""
    if len(line) <= RUN_ON_CHARS:
        return [line]
    return _RUN_ON_SPLIT.split(line)


def clean_text(text: str) -> str:
    """Remove Indonesian page chrome from plain text; paragraphs stay on their own lines.

    Blank lines between paragraphs are kept (one at most), so callers that split
    on blank lines or on newlines both see the article's paragraphs.
    """
    lines: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        lines.extend(_split_run_on(line))
    kept = clean_lines(lines)
    out: list[str] = []
    for line in kept:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)
