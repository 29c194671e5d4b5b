"""The Markdown digest cannot be injected through scraped URLs or text (issue 12, item 10).

Rendered with markdown-it (CommonMark plus GFM tables), as a mail client or chat would: a hostile URL or
title must stay inside its own link, cell and row.
"""

from __future__ import annotations

from markdown_it import MarkdownIt

from pipeline.digest.markdown import _sources, _table, _url, md
from pipeline.digest.view import SourceRef

HOSTILE_URLS = (
    "https://a.example/x\n| injected | row | here |\n",
    "https://a.example/x|injected cell",
    "https://a.example/x>\n# Heading\n<script>alert(1)</script>",
    "https://a.example/x\r\n\r\n[click](javascript:alert(1))",
)


def _html(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


def test_a_hostile_url_stays_inside_its_cell_and_row() -> None:
    for url in HOSTILE_URLS:
        lines = _table(["Acara", "Sumber"], [[md("Rakor"), _sources([SourceRef(1, "Palu Pos", url)])]])
        html = _html("\n".join(lines) + "\n")
        assert html.count("<tr>") == 2, html  # the header and the one row
        assert html.count("<td>") == 2, html
        assert "<script" not in html and "<h1>" not in html and 'href="javascript' not in html, html


def test_a_hostile_url_in_a_list_line_stays_one_link() -> None:
    for url in HOSTILE_URLS:
        html = _html(f"1. [{md('Judul')}]({_url(url)}): {md('Palu Pos')}\n")
        assert html.count("<li>") == 1 and html.count("<a ") == 1, html
        assert "<script" not in html and "<h1>" not in html and "<table" not in html, html


def test_ordinary_urls_keep_their_query_and_escapes() -> None:
    assert _url("https://a.example/berita?id=1&p=2#x") == "<https://a.example/berita?id=1&p=2#x>"
    assert _url("https://a.example/a%20b") == "<https://a.example/a%20b>"


def test_scraped_text_cannot_start_a_block() -> None:
    for text in ("# Judul palsu", "- butir palsu", "1. butir palsu", "=== garis", "+ plus"):
        html = _html(md(text) + "\n")
        assert html.startswith("<p>") and text.split()[-1] in html, html
