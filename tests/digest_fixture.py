"""The digest tests' database: one ISO week of events built through the store's own API.

Week 2024-W38 holds two rakor (Sulawesi Tengah, and Papua Pegunungan, one of the 2022 Papua
provinces), a sosialisasi whose article is hostile (a ``<script>`` title, a ``javascript:`` URL,
markup in names), a violation with figures, a declaration and officials; a rakor of the next week and
an irrelevant article must stay out.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.records import Annotation, EventMention, ExtractedArticle, Figure, Official, ResolvedEvent
from pipeline.registry import Source
from pipeline.store import Store
from pipeline.store.rows import event_mention_id

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "weekly_rakor.ipynb"
HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_NAME = '<img src=x onerror="alert(2)">'
WEEK = "2024-W38"
EMPTY_WEEK = "2024-W10"

# -- fixture database ----------------------------------------------------------------


def _article(aid: str, source: str, url: str, title: str, published: str, text: str = "") -> ExtractedArticle:
    return ExtractedArticle(article_id=aid, canonical_url=url, url=url, source_id=source, title=title,
                            text=text or f"{title}. Isi berita.", published=published, published_source="meta",
                            author=None, lang="id")


def _rakor(date: str, organizer: str, region: str, venue: str, venue_region: str,
           participants: tuple[str, ...]) -> EventMention:
    return EventMention(type="rakor", date=date, date_text=date, organizer=organizer, organizer_region=region,
                        venue=venue, venue_region=venue_region, online=False, participant_regions=participants,
                        evidence="rakor netralitas ASN")


def build_fixture(db: Path) -> None:
    sulteng_rakor = _rakor("2024-09-18", "Bawaslu Provinsi Sulawesi Tengah", "Provinsi Sulawesi Tengah",
                           "Hotel Santika Palu", "Kota Palu",
                           ("Kabupaten Buol", "Kabupaten Poso", "Kabupaten Toli-Toli", "Kabupaten Gorontalo"))
    papua_rakor = _rakor("2024-09-16", "Pemerintah Provinsi Papua Pegunungan", "Provinsi Papua Pegunungan",
                         "Aula Kantor Gubernur Wamena", "Kabupaten Jayawijaya",
                         ("Kabupaten Jayawijaya", "Kabupaten Lanny Jaya"))
    next_week_rakor = _rakor("2024-09-25", "Pemerintah Kabupaten Sambas", "Kabupaten Sambas",
                             "Aula Kantor Bupati Sambas", "Kabupaten Sambas", ("Kabupaten Sambas",))
    sosialisasi = EventMention(type="sosialisasi", date="2024-09-17", date_text="Selasa (17/9/2024)",
                               organizer='<b>Pemkab</b> "Poso" & <script>x()</script>',
                               organizer_region="Kabupaten Poso", venue="Aula <i>Setda</i> Poso",
                               venue_region="Kabupaten Poso", online=True,
                               participant_regions=("Kabupaten Poso",))
    violation = EventMention(type="pelanggaran", date="2024-09-20", date_text="Jumat (20/9/2024)",
                             organizer="Bawaslu Kabupaten Sigi", organizer_region="Kabupaten Sigi", venue=None,
                             venue_region=None, online=None,
                             figures=(Figure("12 dugaan pelanggaran", 12, "Kabupaten Sigi"),
                                      Figure("lebih dari 1.000 kasus", 1000, None)))
    deklarasi = EventMention(type="deklarasi", date="2024-09-22", date_text="Minggu (22/9/2024)",
                             organizer="Pemerintah Provinsi Kalimantan Barat", organizer_region="Provinsi Kalimantan Barat",
                             venue="Halaman Kantor Gubernur", venue_region="Kota Pontianak", online=False)
    nasrun = Official("Nasrun Lamasese", "Ketua Bawaslu", "Provinsi Sulawesi Tengah", "72",
                      "Bawaslu Provinsi Sulawesi Tengah")
    articles = [
        (_article("a1", "kabarsulteng", "https://kabarsulteng.example/2024/09/19/rakor-netralitas",
                  "Bawaslu Sulteng Gelar Rakor Netralitas ASN", "2024-09-19T09:00:00+08:00"),
         True, (nasrun, Official("Asrul Lasawedy", "Kepala BKD", "Provinsi Sulawesi Tengah", "72",
                                 "BKD Provinsi Sulawesi Tengah")), (sulteng_rakor,)),
        (_article("a2", "palupos", "https://palupos.example/berita/rakor-asn-palu",
                  "Enam Kabupaten Ikuti Rakor Netralitas di Palu", "2024-09-20T10:00:00+08:00"),
         True, (nasrun,), (sulteng_rakor,)),
        (_article("a3", "palupos", "javascript:alert(3)", HOSTILE_TITLE, "2024-09-17T12:00:00+08:00",
                  text='<iframe src="https://evil.example/x"></iframe> Sosialisasi netralitas.'),
         True, (Official(HOSTILE_NAME, "Kepala <b>BKPSDM</b>", "Kabupaten Poso", "72.02", None),), (sosialisasi,)),
        (_article("a4", "kabarsulteng", "https://kabarsulteng.example/2024/09/20/pelanggaran-sigi",
                  "Bawaslu Sigi Catat 12 Dugaan Pelanggaran Netralitas ASN", "2024-09-20T15:00:00+08:00"),
         True, (Official("Ketut Wiranata", "Ketua Bawaslu", "Kabupaten Sigi", "72.10", "Bawaslu Kabupaten Sigi"),),
         (violation,)),
        (_article("a5", "cenderawasih", "https://cenderawasih.example/rakor-papua-pegunungan",
                  "Papua Pegunungan Gelar Rakor Netralitas ASN", "2024-09-16T11:00:00+09:00"),
         True, (), (papua_rakor,)),
        (_article("a6", "pontianakpost", "https://pontianakpost.example/deklarasi-netralitas",
                  "Ribuan ASN Kalbar Ikrarkan Netralitas", "2024-09-22T18:00:00+07:00"),
         True, (), (deklarasi,)),
        (_article("a7", "pontianakpost", "https://pontianakpost.example/rakor-sambas",
                  "Pemkab Sambas Gelar Rakor Netralitas", "2024-09-25T10:00:00+07:00"),
         True, (Official("Satono", "Bupati", "Kabupaten Sambas", "61.01", "Pemerintah Kabupaten Sambas"),),
         (next_week_rakor,)),
        (_article("a8", "palupos", "https://palupos.example/harga-cabai", "Harga Cabai Naik di Pasar Inpres",
                  "2024-09-18T08:00:00+08:00"),
         False, (Official("Hidayat Lamakarate", "Wali Kota", "Kota Palu", "72.71", "Pemerintah Kota Palu"),), ()),
    ]
    sources = [
        Source(id="kabarsulteng", name="Kabar Sulteng", home="https://kabarsulteng.example/", regions=("72",),
               timezone="WITA"),
        Source(id="palupos", name="Palu Pos", home="https://palupos.example/", regions=("72",), timezone="WITA"),
        Source(id="cenderawasih", name="Cenderawasih Pos", home="https://cenderawasih.example/", regions=("95",),
               timezone="WIT"),
        Source(id="pontianakpost", name="Pontianak Post", home="https://pontianakpost.example/", regions=("61",)),
    ]
    mentions: dict[tuple[str, str], list[tuple[str, str]]] = {}  # (type, date) -> (mention, article)
    with Store(db) as store:
        store.upsert_sources(sources)
        for article, relevant, officials, events in articles:
            store.upsert_article(article)
            store.replace_annotation(article.article_id, Annotation(
                url=article.url, title=article.title, published_date=(article.published or '')[:10], lang="id",
                relevant=relevant, officials=officials, events=events, annotator_version="test",
                article_id=article.article_id))
            for index, event in enumerate(events):
                mentions.setdefault((event.type, event.date or ""), []).append(
                    (event_mention_id(article.article_id, index, event.type), article.article_id))
        by_key = {(e.type, e.date or ""): e for _, _, _, events in articles for e in events}
        store.replace_events([
            ResolvedEvent(event_id=f"ev-{kind}-{date}", type=kind, date=date or None,
                          organizer=by_key[(kind, date)].organizer,
                          organizer_region=by_key[(kind, date)].organizer_region,
                          venue=by_key[(kind, date)].venue, venue_region=by_key[(kind, date)].venue_region,
                          online=by_key[(kind, date)].online,
                          participant_regions=by_key[(kind, date)].participant_regions,
                          article_ids=tuple(a for _, a in links), mention_ids=tuple(m for m, _ in links))
            for (kind, date), links in mentions.items()
        ], "test")
