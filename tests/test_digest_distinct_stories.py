"""The digest counts distinct stories and outlets: one story under many URLs is one source (issue 12, item 11)."""

from __future__ import annotations

from pathlib import Path

from pipeline.digest.data import load_week, parse_week
from pipeline.digest.labels import labels_for
from pipeline.digest.view import build_view
from pipeline.records import Annotation, EventMention, ExtractedArticle, ResolvedEvent
from pipeline.registry import Source
from pipeline.store import Store
from pipeline.store.rows import event_mention_id

COPIES = 122
RAKOR = EventMention(type="rakor", date="2024-09-18", date_text="Rabu (18/9/2024)",
                     organizer="Bawaslu Provinsi Sulawesi Tengah", organizer_region="Provinsi Sulawesi Tengah",
                     venue="Hotel Santika Palu", venue_region="Kota Palu", online=False,
                     participant_regions=("Kabupaten Buol",), evidence="rakor netralitas ASN")


def _article(aid: str, url: str) -> ExtractedArticle:
    return ExtractedArticle(article_id=aid, canonical_url=url, url=url, source_id="palupos",
                            title="Bawaslu Sulteng Gelar Rakor Netralitas ASN", text="Rakor netralitas ASN di Palu.",
                            published="2024-09-19T09:00:00+08:00", published_source="meta", author=None, lang="id")


def _build(db: Path) -> None:
    with Store(db) as store:
        store.upsert_sources([Source(id="palupos", name="Palu Pos", home="https://palupos.example/",
                                     regions=("72",), timezone="WITA")])
        ids = ["story", *(f"copy-{n}" for n in range(COPIES))]
        for aid in ids:
            url = f"https://palupos.example/berita/rakor-asn?utm_id={aid}"
            store.upsert_article(_article(aid, url), duplicate_of=None if aid == "story" else "story")
            store.replace_annotation(aid, Annotation(url=url, title="Rakor", published_date="2024-09-19", lang="id",
                                                     relevant=True, officials=(), regions=(), events=(RAKOR,),
                                                     annotator_version="test", article_id=aid))
        store.replace_events([ResolvedEvent(
            event_id="ev-rakor", type="rakor", date="2024-09-18", organizer=RAKOR.organizer,
            organizer_region=RAKOR.organizer_region, venue=RAKOR.venue, venue_region=RAKOR.venue_region,
            online=False, participant_regions=RAKOR.participant_regions, article_ids=tuple(ids),
            mention_ids=tuple(event_mention_id(aid, 0, "rakor") for aid in ids))], "test")


def test_one_story_under_many_urls_is_one_source_from_one_outlet(tmp_path: Path) -> None:
    db = tmp_path / "p.duckdb"
    _build(db)
    data = load_week(db, parse_week("2024-W38"))
    view = build_view(data, labels_for("id"))
    assert len(view.rakor) == 1
    assert len(view.rakor[0].sources) == 1
    assert [a.article_id for a in data.articles] == ["story"]
    articles_headline = view.headlines[-1]
    assert articles_headline.value == "1" and "1 media" in articles_headline.label
    assert "1 artikel" in view.subtitle and str(COPIES) not in view.subtitle
