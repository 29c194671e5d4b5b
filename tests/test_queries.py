"""Analysts' queries and SQL views over a database built from the seed articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline import query
from pipeline.cli import main
from pipeline.goldsets import gold_inputs
from pipeline.inputs import parse_line
from pipeline.process import ingest_articles
from pipeline.records import ExtractedArticle
from pipeline.settings import Paths
from pipeline.store import connect_readonly

SEEDS = Path(__file__).parent / "gold" / "seeds"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    paths = Paths.under(tmp_path_factory.mktemp("queries"))
    _, records = gold_inputs(SEEDS)
    published = ["2024-09-18", "2024-09-18", "2024-09-18", "2024-09-11", "2024-11-18"]
    articles = []
    for number, (record, day) in enumerate(zip(records, published, strict=True), 1):
        article = parse_line(json.dumps({**record, "published": day}), number)
        assert isinstance(article, ExtractedArticle)
        articles.append(article)
    ingest_articles(paths, articles)
    return paths.db


def test_region_aliases_resolve() -> None:
    assert query.resolve_region("Kalbar") == ("Provinsi Kalimantan Barat", "61")
    assert query.resolve_region("Kab. Mempawah")[0] == "Kabupaten Mempawah"
    assert query.resolve_region("Palangkaraya")[0] == "Kota Palangka Raya"


def test_an_unknown_region_gets_close_matches() -> None:
    with pytest.raises(query.QueryError, match=r"unknown region 'Kabupatn Mempawa'.*Kabupaten Mempawah"):
        query.resolve_region("Kabupatn Mempawa")


def test_region_timeline_knows_held_and_attended(db: Path) -> None:
    kalbar = query.region_timeline(db, "Kalbar")
    assert {"held"} <= {r["role"] for r in kalbar}
    mempawah = query.region_timeline(db, "Kabupaten Mempawah")
    assert [(r["date"], r["type"], r["role"]) for r in mempawah] == [("2024-11-18", "rakor", "attended")]


def test_officials_by_region_and_province(db: Path) -> None:
    names = {r["name"] for r in query.officials(db, province="Kalimantan Barat")}
    assert {"Ismail", "Harisson"} <= names
    assert {r["name"] for r in query.officials(db, region="Kabupaten Buol")} == {"Ismajaya", "Muhamad Singara"}


def test_rakor_by_province(db: Path) -> None:
    rows = query.filter_by_province(query.rakor_events(db), "Kalteng")
    assert [r["organizer_region"] for r in rows] == ["Provinsi Kalimantan Tengah"]


def test_full_text_search(db: Path) -> None:
    hits = query.search(db, "kepala desa netralitas")
    assert hits and hits[0]["score"] > 0
    assert query.search(db, "zyxwvut qwertyuiop") == []


def test_views_answer_the_weekly_questions(db: Path) -> None:
    con = connect_readonly(db)
    try:
        rakor = con.execute("SELECT iso_week, n_articles FROM rakor_events WHERE date = DATE '2024-09-17'").fetchall()
        assert rakor == [("2024-W38", 3)]
        attended = con.execute("SELECT region FROM event_participants WHERE type = 'rakor' AND iso_week = '2024-W38' "
                               "ORDER BY region").fetchall()
        assert [r[0] for r in attended] == ["Kabupaten Buol", "Kabupaten Majene", "Kabupaten Wajo"]
        activity = con.execute("SELECT rakor_held, rakor_attended FROM region_activity "
                               "WHERE region = 'Provinsi Kalimantan Barat' AND iso_week = '2024-W47'").fetchall()
        assert activity == [(1, 1)]
    finally:
        con.close()


@pytest.mark.parametrize("argv", [
    ["query", "region", "Kalbar'; DROP TABLE events; --"],
    ["query", "officials", "x' OR 1=1 --"],
    ["query", "rakor", "--province", "Kalbar; DELETE FROM articles"],
    ["search", "'); DROP TABLE articles; --"],
])
def test_sql_looking_arguments_are_harmless(db: Path, argv: list[str], capsys) -> None:  # type: ignore[no-untyped-def]
    code = main([*argv, "--db", str(db)])
    assert code in (0, 2)
    assert query.rakor_events(db), "events still there"
    con = connect_readonly(db)
    try:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 5  # type: ignore[index]
    finally:
        con.close()
