"""The stored-page fixtures and their golden files.

Each fixture is ``tests/fixtures/pages/<template>/<name>.html.gz`` beside
``<name>.golden.json``. A golden has hand-kept parts (the URL and extraction
arguments, snippets the text must and must not contain, ``reject`` for
non-articles, ``same_story_as`` for AMP/variant pages) and a machine part,
``expected`` (title, date, author, canonical URL, id, language), which only
``python -m pipeline.extract.update_goldens`` writes. Tests compare both; a
reviewer reads the diff of ``expected`` like code.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.extract.article import NotAnArticle, extract_html
from pipeline.extract.scoring import key
from pipeline.records import ExtractedArticle

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "pages"
EXPECTED_FIELDS = ("title", "published", "published_source", "author", "canonical_url", "article_id", "lang")


@dataclass(frozen=True)
class Fixture:
    name: str  # "<template>/<stem>"
    html_path: Path
    golden_path: Path
    golden: dict[str, Any]

    @property
    def template(self) -> str:
        return self.name.split("/", 1)[0]

    def html(self) -> bytes:
        return gzip.decompress(self.html_path.read_bytes())


def iter_fixtures(root: Path = FIXTURES) -> Iterator[Fixture]:
    for golden_path in sorted(root.glob("*/*.golden.json")):
        stem = golden_path.name[: -len(".golden.json")]
        html_path = golden_path.with_name(f"{stem}.html.gz")
        golden = json.loads(golden_path.read_text(encoding="utf-8"))
        yield Fixture(f"{golden_path.parent.name}/{stem}", html_path, golden_path, golden)


def run(fixture: Fixture) -> ExtractedArticle | NotAnArticle:
    args = fixture.golden.get("extract_args", {})
    return extract_html(fixture.html(), fixture.golden["url"], timezone=args.get("timezone", "WIB"),
                        listed_date=args.get("listed_date"), http_charset=args.get("http_charset"))


def observed(result: ExtractedArticle | NotAnArticle) -> dict[str, Any]:
    """The machine part of a golden, as the current code produces it."""
    if isinstance(result, NotAnArticle):
        return {"reason": result.reason}
    return {name: getattr(result, name) for name in EXPECTED_FIELDS}


def snippet_problems(fixture: Fixture, text: str) -> list[str]:
    problems = []
    text_key = key(text)
    flat = " ".join(text.split())
    for snippet in fixture.golden.get("must_contain", []):
        if key(snippet) not in text_key:
            problems.append(f"missing body snippet: {snippet!r}")
    for snippet in fixture.golden.get("must_contain_exact", []):
        if " ".join(snippet.split()) not in flat:
            problems.append(f"missing exact snippet (encoding?): {snippet!r}")
    for snippet in fixture.golden.get("must_not_contain", []):
        if key(snippet) and key(snippet) in text_key:
            problems.append(f"chrome left in text: {snippet!r}")
    return problems


def check(fixture: Fixture, result: ExtractedArticle | NotAnArticle) -> list[str]:
    """Everything about ``result`` that disagrees with the golden (empty: pass)."""
    golden = fixture.golden
    if golden.get("reject"):
        if not isinstance(result, NotAnArticle):
            return [f"should be rejected, got an article titled {result.title!r}"]
        return []
    if isinstance(result, NotAnArticle):
        return [f"rejected ({result.reason}) but the golden expects an article"]
    problems = []
    expected = golden.get("expected", {})
    for name, value in observed(result).items():
        if name in expected and expected[name] != value:
            problems.append(f"{name}: expected {expected[name]!r}, got {value!r}")
    return problems + snippet_problems(fixture, result.text)
