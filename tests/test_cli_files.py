"""``pantau annotate`` and ``pantau ingest`` against bad files and bad lines (issue 12, items 5, 6, 12).

Runs the real command line (``pipeline.cli.main``) on files in a temporary folder.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.store import connect_readonly

TEXT = ("Bawaslu Kabupaten Buol menggelar rapat koordinasi netralitas ASN di Buol, Selasa (17/9/2024). "
        "Bupati Buol hadir bersama para camat.")


def _line(number: int, **extra: str) -> str:
    return json.dumps({"url": f"https://a.example/berita/{number}", "title": f"Rakor {number}", "text": TEXT,
                       **extra})


def test_annotate_refuses_to_write_over_its_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    both = tmp_path / "articles.jsonl"
    both.write_text(_line(1) + "\n", encoding="utf-8")
    assert main(["annotate", "--input", str(both), "--output", str(tmp_path / "." / "articles.jsonl")]) == 2
    assert both.read_text(encoding="utf-8") == _line(1) + "\n"
    assert "is the input file" in capsys.readouterr().err


def test_a_mistyped_input_leaves_the_existing_output_alone(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "out.jsonl"
    output.write_text("earlier results\n", encoding="utf-8")
    assert main(["annotate", "--input", str(tmp_path / "artciles.jsonl"), "--output", str(output)]) == 2
    assert output.read_text(encoding="utf-8") == "earlier results\n"
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "no such file" in err and len(err.strip().splitlines()) == 1


def test_an_interrupted_annotate_leaves_the_old_output_whole(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.nlp.annotator import Annotator

    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("\n".join(_line(n) for n in range(3)) + "\n", encoding="utf-8")
    output.write_text("earlier results\n", encoding="utf-8")
    real = Annotator.annotate
    calls = []

    def interrupted(self, article):  # type: ignore[no-untyped-def]
        calls.append(article)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(self, article)

    monkeypatch.setattr(Annotator, "annotate", interrupted)
    assert main(["annotate", "--input", str(source), "--output", str(output)]) == 130
    assert output.read_text(encoding="utf-8") == "earlier results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]  # no temporary file left


def test_a_lone_surrogate_or_a_blank_line_is_one_lines_error(tmp_path: Path) -> None:
    source, output = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    lines = [_line(1), _line(2, title="Rakor \\udcff"), "", _line(3), json.dumps({"url": "https://a.example/\udcff",
                                                                                    "text": TEXT})]
    source.write_text("\n".join(lines).replace("\\\\udcff", "\\udcff") + "\n", encoding="utf-8")
    assert main(["annotate", "--input", str(source), "--output", str(output)]) == 0
    records = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 5
    assert [("error" in r) for r in records] == [False, True, True, False, True]
    assert records[0]["url"].endswith("/1") and records[3]["url"].endswith("/3")
    assert "surrogate" in records[1]["error"] and "blank" in records[2]["error"]


def test_ingest_stores_the_good_lines_beside_a_lone_surrogate(tmp_path: Path) -> None:
    source, db = tmp_path / "in.jsonl", tmp_path / "p.duckdb"
    lines = [_line(n) for n in range(50)]
    lines.insert(10, json.dumps({"url": "https://a.example/bad", "title": "x", "text": "x"}).replace(
        '"title": "x"', '"title": "\\udcff"'))
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["ingest", "--input", str(source), "--db", str(db)]) == 0
    con = connect_readonly(db)
    try:
        stored = con.execute("SELECT count(*) FROM article_aliases WHERE url LIKE 'https://a.example/berita/%'").fetchone()
    finally:
        con.close()
    assert stored == (50,)
