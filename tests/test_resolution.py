"""Event resolution: the gold sets ingested together give the expected real-world events."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.goldsets import gold_inputs
from pipeline.inputs import parse_line
from pipeline.process import ingest_articles
from pipeline.records import ExtractedArticle
from pipeline.settings import Paths
from pipeline.store import connect_readonly

GOLD = Path(__file__).parent / "gold"
EXPECTED = json.loads((GOLD / "expected_clusters.json").read_text(encoding="utf-8"))


def _articles() -> tuple[list[ExtractedArticle], dict[str, str]]:
    articles, by_key = [], {}
    for name in ("seeds", "devset"):
        _, records = gold_inputs(GOLD / name)
        stems = sorted(p.stem for p in (GOLD / name / "gold").glob("*.json"))
        for number, (stem, record) in enumerate(zip(stems, records, strict=True), 1):
            article = parse_line(json.dumps(record), number)
            assert isinstance(article, ExtractedArticle), article
            articles.append(article)
            by_key[f"seed:{stem}" if name == "seeds" else stem] = article.article_id
    return articles, by_key


@pytest.fixture(scope="module")
def resolved(tmp_path_factory):  # type: ignore[no-untyped-def]
    paths = Paths.under(tmp_path_factory.mktemp("resolution"))
    articles, by_key = _articles()
    ingest_articles(paths, articles)
    con = connect_readonly(paths.db)
    try:
        events = con.execute(
            "SELECT e.event_id, e.type, list(DISTINCT ea.article_id) FROM events e "
            "JOIN event_articles ea USING (event_id) GROUP BY ALL").fetchall()
    finally:
        con.close()
    return paths, by_key, [(event_id, kind, set(ids)) for event_id, kind, ids in events], articles


def _events_with(resolved, kind: str, article_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [event_id for event_id, t, ids in resolved[2] if t == kind and article_id in ids]


def _expectation(group: dict) -> object:  # type: ignore[type-arg]
    """A group the annotator cannot yet read is expected to fail, with the missing annotation as reason."""
    if group.get("needs_annotation"):
        return pytest.param(group, marks=pytest.mark.xfail(reason=f"annotation: {group['needs_annotation']}",
                                                            strict=False), id=group["name"])
    return pytest.param(group, id=group["name"])


@pytest.mark.parametrize("group", [_expectation(g) for g in EXPECTED["together"]])
def test_reports_of_one_event_are_one_event(resolved, group) -> None:  # type: ignore[no-untyped-def]
    by_key = resolved[1]
    owners = {tuple(_events_with(resolved, group["type"], by_key[m])) for m in group["members"]}
    assert len(owners) == 1 and () not in owners, (group["name"], owners)


@pytest.mark.parametrize("group", [_expectation(g) for g in EXPECTED["apart"]])
def test_different_events_stay_apart(resolved, group) -> None:  # type: ignore[no-untyped-def]
    by_key = resolved[1]
    first, second = (set(_events_with(resolved, group["type"], by_key[m])) for m in group["members"])
    # Two reports with no event of the type would be "apart" trivially: each must have its event first.
    assert first and second, (group["name"], "a member has no event of this type", first, second)
    assert not first & second, group["name"]


def test_the_national_rakornas_is_one_answer_with_all_its_sources(resolved) -> None:  # type: ignore[no-untyped-def]
    """Seeds 000-002 and devset 081 and 091 (cluster H) report the one rakornas at Ecovention Ancol."""
    from pipeline.query import rakor_events

    national = [e for e in rakor_events(resolved[0].db) if e["date"] == "2024-09-17"]
    assert len(national) == 1
    assert national[0]["organizer_region"] == "Nasional"
    assert {"Kabupaten Majene", "Kabupaten Buol", "Kabupaten Wajo"} <= set(national[0]["participant_regions"])
    assert len(national[0]["articles"]) == 5


def test_reingesting_changes_nothing(resolved) -> None:  # type: ignore[no-untyped-def]
    paths, _, _, articles = resolved
    tables = ("articles", "official_mentions", "region_mentions", "event_mentions", "events", "event_articles",
              "event_mention_vectors")

    def counts() -> dict[str, int]:
        con = connect_readonly(paths.db)
        try:
            return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}  # type: ignore[index]
        finally:
            con.close()

    before = counts()
    ingest_articles(paths, articles)
    assert counts() == before


def test_two_same_day_rakor_in_different_provinces_stay_apart(tmp_path: Path) -> None:
    texts = [
        ("https://a.example/1", "PONTIANAK - Bawaslu Kalbar menggelar rapat koordinasi netralitas ASN di Hotel "
         "Aston Pontianak, Selasa (17/9/2024). Pj Bupati Sanggau Suherman hadir."),
        ("https://b.example/2", "PALU - Bawaslu Sulteng menggelar rapat koordinasi netralitas ASN di Hotel "
         "Santika Palu, Selasa (17/9/2024). Pj Bupati Buol Muchlis hadir."),
        ("https://c.example/3", "SANGGAU - Pj Bupati Sanggau Suherman menghadiri rapat koordinasi netralitas ASN "
         "yang digelar Bawaslu Kalbar di Hotel Aston Pontianak, Selasa (17/9/2024)."),
    ]
    articles = []
    for number, (url, text) in enumerate(texts, 1):
        article = parse_line(json.dumps({"url": url, "text": text, "published": "2024-09-18"}), number)
        assert isinstance(article, ExtractedArticle)
        articles.append(article)
    paths = Paths.under(tmp_path)
    ingest_articles(paths, articles)
    from pipeline.query import rakor_events

    rakor = rakor_events(paths.db)
    assert sorted(e["organizer_region"] for e in rakor) == ["Provinsi Kalimantan Barat", "Provinsi Sulawesi Tengah"]
    kalbar = next(e for e in rakor if e["organizer_region"] == "Provinsi Kalimantan Barat")
    assert len(kalbar["articles"]) == 2


def test_the_apart_check_fails_when_a_member_has_no_event() -> None:
    """Two reports of which one has no event are not evidence of anything: the check must not pass."""
    group = {"name": "constructed", "type": "rakor", "members": ["x", "y"]}
    resolved = (None, {"x": "article-x", "y": "article-y"}, [("event-1", "rakor", {"article-x"})], [])
    with pytest.raises(AssertionError, match="has no event"):
        test_different_events_stay_apart(resolved, group)
