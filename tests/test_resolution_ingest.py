"""One rakor, one answer: constructed reports through ``ingest`` and ``query rakor``, as the outside check runs them.

The reports are written for the class (one outlet dates the rakor, another gives no date), not copied from
any development text. If the annotator stops reading one of them, the first assertion says so.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.inputs import parse_line
from pipeline.process import ingest_articles
from pipeline.query import rakor_events
from pipeline.records import ExtractedArticle
from pipeline.settings import Paths

DATED = ("MEMPAWAH - Bawaslu Kabupaten Mempawah menggelar rapat koordinasi netralitas ASN di Aula Kantor Bupati "
         "Mempawah, Senin (18/11/2024). Rakor dihadiri camat dan kepala desa se-Kabupaten Mempawah.")
UNDATED = ("Bawaslu Kabupaten Mempawah menggelar rapat koordinasi (rakor) netralitas aparatur sipil negara "
           "menjelang Pilkada 2024 di Aula Kantor Bupati Mempawah. Para camat se-Kabupaten Mempawah mengikuti rakor "
           "tersebut. Ketua Bawaslu Mempawah meminta ASN tidak berpihak.")
OTHER_REGION = ("SINTANG - Bawaslu Kabupaten Sintang menggelar rapat koordinasi netralitas ASN di Aula Bawaslu "
                "Sintang, Senin (18/11/2024). Rakor diikuti para camat.")


def _ingest(tmp_path: Path, records: list[dict[str, str]]) -> list[dict[str, object]]:
    articles = []
    for number, record in enumerate(records, 1):
        article = parse_line(json.dumps(record), number)
        assert isinstance(article, ExtractedArticle), article
        articles.append(article)
    paths = Paths.under(tmp_path)
    ingest_articles(paths, articles)
    rows = rakor_events(paths.db)
    cited = sorted(url for row in rows for url in row["articles"])  # type: ignore[union-attr]
    assert cited == sorted(r["url"] for r in records), f"annotation: a report was not read as a rakor: {rows}"
    return rows


def test_an_undated_report_joins_the_dated_rakor_and_another_region_stays_apart(tmp_path: Path) -> None:
    rows = _ingest(tmp_path, [
        {"url": "https://a.example/1", "published": "2024-11-19", "text": DATED},
        {"url": "https://b.example/2", "published": "2024-11-20", "text": UNDATED},
        {"url": "https://c.example/3", "published": "2024-11-19", "text": OTHER_REGION},
    ])
    by_region = {row["organizer_region"]: row for row in rows}
    assert sorted(by_region) == ["Kabupaten Mempawah", "Kabupaten Sintang"]
    mempawah = by_region["Kabupaten Mempawah"]
    assert mempawah["date"] == "2024-11-18"
    assert mempawah["articles"] == ["https://a.example/1", "https://b.example/2"]


def test_an_undated_report_without_publication_dates_still_joins(tmp_path: Path) -> None:
    rows = _ingest(tmp_path, [
        {"url": "https://a.example/1", "text": DATED},
        {"url": "https://b.example/2", "text": UNDATED},
    ])
    assert len(rows) == 1 and rows[0]["date"] == "2024-11-18"


def test_an_undated_report_published_months_later_is_another_rakor(tmp_path: Path) -> None:
    rows = _ingest(tmp_path, [
        {"url": "https://a.example/1", "published": "2024-11-19", "text": DATED},
        {"url": "https://b.example/2", "published": "2025-03-04", "text": UNDATED},
    ])
    assert len(rows) == 2
