"""Reading the contract's article input (JSON Lines; see ../shared/contract/README.md).

Each line is ``{"url", "title"?, "text"}`` or ``{"url", "html"}`` with an optional
``"published"``. A line that cannot be used becomes an ``InputError`` in its
place, so callers keep input order and the run goes on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.extract import NotAnArticle, article_from_text, extract_html
from pipeline.records import ExtractedArticle


@dataclass(frozen=True)
class InputError:
    line: int
    url: str | None
    error: str

    def to_json(self) -> dict[str, str | None]:
        return {"url": self.url, "error": self.error}


def parse_line(line: str, number: int) -> ExtractedArticle | InputError:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return InputError(number, None, f"line {number}: not valid JSON: {exc.msg}")
    if not isinstance(record, dict):
        return InputError(number, None, f"line {number}: expected a JSON object")
    url = record.get("url")
    if not isinstance(url, str) or not url.strip():
        return InputError(number, None, f"line {number}: missing 'url'")
    published = record.get("published")
    if published is not None and not isinstance(published, str):
        return InputError(number, url, f"line {number}: 'published' must be an ISO date string")
    html, text = record.get("html"), record.get("text")
    try:
        if isinstance(html, str) and html.strip():
            result = extract_html(html, url, listed_date=published)
            if isinstance(result, NotAnArticle):
                # Still annotate what there is: the caller asked about this page.
                return InputError(number, url, f"line {number}: not an article: {result.reason}")
            return result
        if isinstance(text, str):
            title = record.get("title") if isinstance(record.get("title"), str) else None
            return article_from_text(url, title, text, published)
    except Exception as exc:
        return InputError(number, url, f"line {number}: {type(exc).__name__}: {exc}")
    return InputError(number, url, f"line {number}: needs a 'text' or an 'html' field")


def read_articles(path: Path) -> Iterator[ExtractedArticle | InputError]:
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                yield parse_line(line, number)
