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


class InputFileError(ValueError):
    """The input file itself cannot be read (the CLI prints it as one line, status 2)."""


@dataclass(frozen=True)
class InputError:
    line: int
    url: str | None
    error: str

    def to_json(self) -> dict[str, str | None]:
        return {"url": printable(self.url) if self.url is not None else None, "error": printable(self.error)}


def printable(text: str) -> str:
    """``text`` with lone surrogates (from a JSON escape such as "\\udcff") replaced, so it can be written."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _lone_surrogate(value: object) -> bool:
    """Whether any string in a parsed JSON value holds a lone surrogate (not Unicode text; UTF-8 cannot hold it)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_lone_surrogate(k) or _lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_lone_surrogate(v) for v in value)
    return False


def check_input_file(path: Path) -> None:
    """A readable regular file, or an ``InputFileError`` that says what is wrong."""
    if not path.exists():
        raise InputFileError(f"--input {path}: no such file")
    if path.is_dir():
        raise InputFileError(f"--input {path} is a folder; name a JSON Lines file")
    try:
        with path.open("rb") as handle:
            handle.read(1)
    except OSError as exc:
        raise InputFileError(f"--input {path}: {exc.strerror or exc}") from exc


def parse_line(line: str, number: int) -> ExtractedArticle | InputError:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return InputError(number, None, f"line {number}: not valid JSON: {exc.msg}")
    if not isinstance(record, dict):
        return InputError(number, None, f"line {number}: expected a JSON object")
    if _lone_surrogate(record):
        url = record.get("url") if isinstance(record.get("url"), str) else None
        return InputError(number, url, f"line {number}: a string holds a lone surrogate escape "
                                       "(such as \\udcff), which is not Unicode text")
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
    """One item per input line, in order; a blank line is an ``InputError`` too, so outputs stay aligned."""
    check_input_file(path)
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                yield parse_line(line, number)
            else:
                yield InputError(number, None, f"line {number}: blank line")
