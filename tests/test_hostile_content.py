"""Hostile and degenerate input: huge pages, emoji, empty pages, broken lines, escape sequences."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.cli import main
from pipeline.extract import NotAnArticle, article_from_text, extract_html
from pipeline.nlp.annotator import MAX_ANNOTATED_CHARS, Annotator
from pipeline.query import render

URL = "https://contoh.example/berita/2024/09/17/judul-berita-panjang"


def test_a_five_megabyte_article_is_extracted_and_annotated_in_bounds() -> None:
    paragraph = ("<p>Bagian {}: Bawaslu Kabupaten Sambas menggelar rapat koordinasi netralitas ASN, Selasa "
                 "(17/9/2024), di aula kantor bupati dan dihadiri para camat.</p>")
    page = ("<html><body><article><h1>Judul</h1>" + "".join(paragraph.format(i) for i in range(36_000))
            + "</article></body></html>")
    assert len(page) > 5_000_000
    article = extract_html(page, URL)
    assert not isinstance(article, NotAnArticle)
    annotation = Annotator().annotate(article)
    assert annotation.relevant
    assert all(m.end <= MAX_ANNOTATED_CHARS for m in annotation.regions)


def test_an_emoji_only_article_is_kept_and_marked_not_indonesian() -> None:
    article = article_from_text(URL, "😀😀", "😀 🎉 " * 5000)
    annotation = Annotator().annotate(article)
    assert article.lang != "id"
    assert annotation.relevant is False and annotation.events == ()


def test_empty_and_binary_pages_are_not_articles() -> None:
    for body in (b"", b"\x00\xff\xfe garbage", "<html></html>", "<html><body>   </body></html>"):
        assert isinstance(extract_html(body, URL), NotAnArticle)


def test_annotate_keeps_input_order_and_reports_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"url": "u1", "text": "Bawaslu Kalbar menggelar rakor netralitas ASN, Senin (16/9/2024)."}),
        "{not json",
        json.dumps({"title": "no url", "text": "x"}),
        json.dumps({"url": "u4", "html": ""}),
        json.dumps({"url": "u5", "text": "<script>alert(1)</script> Pemkab Sambas menggelar apel netralitas ASN."}),
        json.dumps({"url": "u6", "text": "", "published": 12}),
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = tmp_path / "out.jsonl"
    assert main(["annotate", "--input", str(source), "--output", str(target)]) == 0
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(lines)
    assert records[0]["url"] == "u1" and records[0]["relevant"] is True
    assert "error" in records[1] and "not valid JSON" in records[1]["error"]
    assert "error" in records[2] and "url" in records[2]["error"]
    assert "error" in records[3] and records[3]["url"] == "u4"
    assert records[4]["url"] == "u5" and "error" not in records[4]
    assert "error" in records[5]


def test_tables_do_not_pass_terminal_escape_sequences() -> None:
    rows = [{"title": "Judul\x1b[2J\x1b[31mmerah\x07", "url": "http://x"}]
    table = render(rows, ("title", "url"), "table")
    assert "\x1b" not in table and "\x07" not in table
