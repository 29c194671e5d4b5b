"""Readers for the evaluation corpora in ``../shared`` (outside the repository).

Each corpus comes from another project and stores its pages and expectations
its own way; these readers turn them into one shape, ``EvalPage`` (HTML bytes,
URL, expected body), so the report and the fixture import treat them alike.
Nothing here is used by the extraction itself.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

# The shared folder sits beside the repository (../shared); PANTAU_SHARED overrides it.
SHARED = Path(os.environ.get("PANTAU_SHARED", Path(__file__).resolve().parents[3] / "shared"))
_CANONICAL = re.compile(rb"""(?:rel=["']canonical["'][^>]*href|property=["']og:url["'][^>]*content)=["']([^"']+)""")


@dataclass(frozen=True)
class EvalPage:
    """One page of an evaluation corpus and what its body should be."""

    corpus: str
    name: str
    template: str  # the outlet / site template
    url: str
    html: bytes
    expected_body: str | None  # None when the corpus gives no body (title-only or listing)
    listing: bool = False
    lang: str = "id"


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _page_url(html: bytes, fallback: str) -> str:
    match = _CANONICAL.search(html)
    return match.group(1).decode("utf-8", "replace") if match else fallback


def split_glued_paragraphs(text: str) -> str:
    """slasherrb joins paragraphs with no separator ("...ilegal.Sebab, ..."): split them again."""
    return re.sub(r"(?<=[a-z0-9][.!?]|[.!?][\"”])(?=[\"“]?[A-Z])", "\n", text)


def indonesian_pages(root: Path | None = None) -> Iterator[EvalPage]:
    """The 42 real Indonesian article pages and 10 listing pages, with their expected bodies."""
    base = (root or SHARED) / "real-html" / "indonesian"
    for html_path in sorted((base / "fundus").glob("*.html.gz")):
        stem = html_path.name[: -len(".html.gz")]
        meta = json.loads((html_path.parent / f"{stem}.meta.info.json").read_text(encoding="utf-8"))
        expected = json.loads((html_path.parent / f"{stem}.expected.json").read_text(encoding="utf-8"))
        version = expected[sorted(expected)[-1]]
        body = version.get("body", {})
        paragraphs = list(body.get("summary", []))
        for section in body.get("sections", []):
            paragraphs += section.get("headline", []) + section.get("paragraphs", [])
        yield EvalPage("fundus", stem, "mediaindonesia", next(iter(meta.values()))["url"],
                       _read(html_path), "\n".join(paragraphs))
    scraper = base / "indonesian-news-scraper"
    for html_path in sorted(scraper.glob("*.html")):
        expected = json.loads((scraper / f"{html_path.stem}.expected.json").read_text(encoding="utf-8"))
        data = expected.get("expected", {})
        site = html_path.stem.split("-")[0]
        listing = expected.get("page_kind") == "listing"
        url = data.get("url") or _page_url(_read(html_path), f"http://www.{site}.com/")
        yield EvalPage("indonesian-news-scraper", html_path.stem, site if site != "tempoen" else "tempo", url,
                       _read(html_path), None if listing else data.get("content"), listing,
                       "en" if site == "tempoen" else "id")
    meta_lib = base / "metadata-lib"
    for html_path in sorted(meta_lib.glob("*.html")):
        expected = json.loads((meta_lib / f"{html_path.stem}.expected.json").read_text(encoding="utf-8"))
        url = expected["url"].split("/web/", 1)[-1]  # the archived page, not the Wayback wrapper
        yield EvalPage("metadata-lib", html_path.stem, "jpnn", url, _read(html_path), None)
    slasher = base / "slasherrb"
    for html_path in sorted(slasher.glob("*.html")):
        html = _read(html_path)
        expectation = (slasher / f"{html_path.stem}_expectation.txt").read_text(encoding="utf-8").strip()
        lang = "en" if html_path.stem.startswith("thejakarta") else "id"
        yield EvalPage("slasherrb", html_path.stem, html_path.stem, _page_url(html, f"http://{html_path.stem}.com/"),
                       html, split_glued_paragraphs(expectation), False, lang)


@dataclass(frozen=True)
class BenchmarkPage:
    key: str
    url: str
    html: str
    expected_body: str


def benchmark_pages(root: Path | None = None) -> Iterator[BenchmarkPage]:
    """The 181 pages of scrapinghub's article-extraction-benchmark with their gold bodies."""
    base = (root or SHARED) / "real-html" / "article-extraction-benchmark"
    truth = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(truth):
        html = gzip.decompress((base / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8")
        yield BenchmarkPage(key, truth[key]["url"], html, truth[key]["articleBody"])


@dataclass(frozen=True)
class TextSample:
    """A plain-text article (seed or development set) and the chrome its gold notes name."""

    name: str
    url: str
    title: str | None
    text: str
    notes: str


def text_samples(root: Path | None = None) -> Iterator[TextSample]:
    base = root or SHARED
    for path in sorted((base / "seeds").glob("*.txt")):
        gold = base / "seeds" / "gold" / f"{path.stem}.json"
        notes = json.loads(gold.read_text(encoding="utf-8")).get("notes", "") if gold.exists() else ""
        yield TextSample(f"seed/{path.stem}", f"seed://{path.stem}", None, path.read_text(encoding="utf-8"), notes)
    for path in sorted((base / "devset" / "articles").glob("*.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        gold = base / "devset" / "gold" / path.name
        notes = json.loads(gold.read_text(encoding="utf-8")).get("notes", "") if gold.exists() else ""
        yield TextSample(f"devset/{path.stem}", article["url"], article.get("title"), article["text"], notes)
