"""Dates (source priority, outlet timezones), canonical URLs and ids, language, decoding."""

from __future__ import annotations

import json

import pytest

from pipeline.extract import NotAnArticle, article_from_text, extract_html
from pipeline.extract.decode import decode_html
from pipeline.extract.language import detect_language
from pipeline.records import ExtractedArticle
from pipeline.urls import canonical_url, stable_id

BODY = "".join(
    f"<p>{s}</p>" for s in (
        "PALU - Bawaslu Sulawesi Tengah menggelar rapat koordinasi pengawasan netralitas aparatur sipil negara "
        "bersama pemerintah kabupaten dan kota se-Sulawesi Tengah di Palu.",
        "Ketua Bawaslu Sulteng meminta seluruh kepala daerah memastikan aparatur sipil negara tidak terlibat "
        "dalam kegiatan kampanye pasangan calon mana pun selama tahapan pilkada berlangsung.",
        "Menurut dia, pelanggaran netralitas dapat dilaporkan masyarakat melalui posko pengaduan yang dibuka "
        "di setiap kantor Bawaslu kabupaten dan kota hingga hari pemungutan suara.",
    )
)


def page(head: str = "", header: str = "", extra: str = "") -> str:
    return (f"<html lang='id'><head><title>Bawaslu Sulteng Gelar Rakor Netralitas ASN</title>{head}</head><body>"
            f"<article><h1>Bawaslu Sulteng Gelar Rakor Netralitas ASN</h1>{header}{BODY}</article>{extra}</body></html>")


def jsonld(**fields: str) -> str:
    return f'<script type="application/ld+json">{json.dumps({"@type": "NewsArticle", **fields})}</script>'


def extract(html: str, url: str = "https://sulteng.example/berita/2024/09/20/rakor-netralitas", **kw) -> ExtractedArticle:
    result = extract_html(html, url, **kw)
    assert isinstance(result, ExtractedArticle), result
    return result


def test_jsonld_beats_meta_listed_url_and_dateline() -> None:
    html = page(jsonld(datePublished="2024-09-20T08:30:00+08:00")
                + '<meta property="article:published_time" content="2024-09-19T10:00:00+07:00">',
                header="<div class='date'>Sabtu, 21 September 2024 09:00 WITA</div>")
    got = extract(html, timezone="WITA", listed_date="2024-09-22")
    assert (got.published, got.published_source) == ("2024-09-20T08:30:00+08:00", "json-ld")


def test_meta_beats_listed_and_url() -> None:
    html = page('<meta property="article:published_time" content="2024-09-20T01:30:00Z">')
    got = extract(html, listed_date="2024-09-22")
    assert (got.published, got.published_source) == ("2024-09-20T08:30:00+07:00", "meta")


def test_listed_date_beats_url_and_dateline() -> None:
    got = extract(page(header="<div class='date'>Sabtu, 21 September 2024</div>"), listed_date="2024-09-19T20:15:00+07:00")
    assert (got.published, got.published_source) == ("2024-09-19T20:15:00+07:00", "listed")


def test_url_date_and_dateline_time_on_the_same_day() -> None:
    got = extract(page(header="<span class='post-date'>Jumat, 20 September 2024 | 15:51 WIB</span>"))
    assert (got.published, got.published_source) == ("2024-09-20T15:51:00+07:00", "dateline")
    got = extract(page())
    assert (got.published, got.published_source) == ("2024-09-20", "url")


def test_dateline_only() -> None:
    got = extract(page(header="<div class='date'>Jumat, 20/09/2024 14:05</div>"), url="https://sulteng.example/berita/rakor",
                  timezone="WITA")
    assert (got.published, got.published_source) == ("2024-09-20T14:05:00+08:00", "dateline")


@pytest.mark.parametrize("zone, expected", [("WIB", "2024-09-20T09:00:00+07:00"),
                                            ("WITA", "2024-09-20T10:00:00+08:00"),
                                            ("WIT", "2024-09-20T11:00:00+09:00")])
def test_published_is_in_the_outlets_offset(zone: str, expected: str) -> None:
    got = extract(page(jsonld(datePublished="2024-09-20T02:00:00Z")), timezone=zone)
    assert got.published == expected


def test_naive_times_are_outlet_local() -> None:
    got = extract(page(jsonld(datePublished="2024-09-20 14:05:00")), timezone="WIT")
    assert got.published == "2024-09-20T14:05:00+09:00"


def test_date_from_related_box_or_comment_is_never_used() -> None:
    related = ("<aside class='related-posts'><ul><li><a href='/x'>Berita lama tentang Pilkada Sulteng</a>"
               "<span class='date'>Senin, 2 September 2024</span></li></ul></aside>")
    comments = ("<div id='comments' class='comments-area'><div class='comment-meta'>"
                "<time datetime='2024-09-25T10:00:00+08:00'>25 September 2024</time></div></div>")
    got = extract(page(extra=related + comments), url="https://sulteng.example/berita/rakor-netralitas")
    assert got.published is None and got.published_source is None


def test_text_input_date_sources() -> None:
    text = "Oleh MC KAB ACEH JAYA, Senin, 23 September 2024 | 15:51 WIB - Redaktur: Juli\n" + "Calang - Apel netralitas ASN digelar hari ini di halaman kantor bupati, diikuti seluruh ASN."
    assert article_from_text("https://x.example/a", None, text).published == "2024-09-23T15:51:00+07:00"
    got = article_from_text("https://x.example/a", None, text, published="2024-09-23")
    assert (got.published, got.published_source) == ("2024-09-23", "input")
    event_only = "Palu - Rapat digelar Selasa (17/9/2024) di aula kantor gubernur, kata Kepala Kesbangpol kepada wartawan."
    assert article_from_text("https://x.example/b", None, event_only).published is None  # an event date, not a byline


VARIANTS = [
    "https://www.kompas.com/read/2024/09/20/123/rakor-netralitas",
    "http://kompas.com/read/2024/09/20/123/rakor-netralitas/",
    "https://m.kompas.com/read/2024/09/20/123/rakor-netralitas?utm_source=wa&utm_medium=share",
    "https://amp.kompas.com/read/2024/09/20/123/rakor-netralitas",
    "https://www.kompas.com/read/2024/09/20/123/rakor-netralitas/amp",
    "https://www.kompas.com/amp/read/2024/09/20/123/rakor-netralitas",
    "https://www.kompas.com/read/2024/09/20/123/rakor-netralitas?page=all",
    "https://www.kompas.com/read/2024/09/20/123/rakor-netralitas?page=all#komentar",
    "https://www.kompas.com/read/2024/09/20/123/rakor-netralitas?fbclid=IwAR0abc&gclid=x",
    "https://www.kompas.com/read/2024/09/20/123/rakor-netralitas?page=1",
]


def test_url_variants_are_one_id() -> None:
    assert len({stable_id(url) for url in VARIANTS}) == 1
    assert stable_id(VARIANTS[0] + "?page=2") != stable_id(VARIANTS[0])
    assert stable_id("https://www.kompas.com/read/2024/09/20/124/lain") != stable_id(VARIANTS[0])


def test_canonical_link_validated() -> None:
    url = "https://sulteng.example/berita/2024/09/20/rakor-netralitas?utm_source=fb"
    good = extract(page('<link rel="canonical" href="https://www.sulteng.example/berita/2024/09/20/rakor-netralitas">'), url)
    assert good.canonical_url == "http://sulteng.example/berita/2024/09/20/rakor-netralitas"
    assert good.article_id == stable_id(good.canonical_url)
    other_site = extract(page('<link rel="canonical" href="https://aggregator.example/story/99">'), url)
    assert other_site.canonical_url == canonical_url(url)
    home = extract(page('<link rel="canonical" href="https://sulteng.example/">'), url)
    assert home.canonical_url == canonical_url(url)
    og = extract(page('<meta property="og:url" content="https://m.sulteng.example/berita/2024/09/20/rakor-netralitas">'), url)
    assert og.canonical_url == "http://sulteng.example/berita/2024/09/20/rakor-netralitas"


def test_title_author_and_ids() -> None:
    html = page(jsonld(headline="Bawaslu Sulteng Gelar Rakor Netralitas ASN", author={"@type": "Person", "name": "Moh. Ikbal"})  # type: ignore[arg-type]
                .replace('"author": {', '"author": {'))
    got = extract(html)
    assert got.title == "Bawaslu Sulteng Gelar Rakor Netralitas ASN"
    assert got.author == "Moh. Ikbal"
    assert got.extractor_version and len(got.content_hash) == 40
    assert got.lang == "id"


def test_outlet_named_as_author_is_dropped() -> None:
    got = extract(page('<meta name="author" content="Kompas Cyber Media">'), url="https://regional.kompas.com/read/2024/09/20/1/x")
    assert got.author is None


def test_language() -> None:
    assert detect_language("Pemerintah kabupaten meminta aparatur sipil negara untuk tetap netral dalam pilkada yang akan digelar pada bulan November.") == "id"
    assert detect_language("The government asked civil servants to remain neutral in the regional elections that will be held in November.") == "en"
    assert detect_language("Le gouvernement a demandé aux fonctionnaires de rester neutres lors des élections régionales.") == "other"


def test_english_article_is_kept_and_marked() -> None:
    text = ("JAKARTA - The Coordinating Ministry said that 122 civil servants have been reported for violating "
            "neutrality rules since September, and 65 of them have been sanctioned by their agencies.")
    got = article_from_text("https://en.example/news/1", "Civil servants must stay neutral", text)
    assert got.lang == "en" and got.text


def test_listing_page_rejected() -> None:
    items = "".join(f"<li><h3><a href='/berita/{i}-judul-berita-nomor-{i}'>Judul Berita Daerah Nomor {i} Tentang Pilkada Serentak</a></h3>"
                    f"<p>Ringkasan singkat berita nomor {i} tentang kegiatan pemerintah daerah menjelang pilkada serentak.</p></li>" for i in range(30))
    html = f"<html><head><title>Indeks Berita</title></head><body><ul class='list'>{items}</ul></body></html>"
    assert isinstance(extract_html(html, "https://daerah.example/indeks"), NotAnArticle)


def test_decoding() -> None:
    text = "<html><head><meta charset='utf-8'></head><body><p>“Netralitas” ASN – kata Pj. Bupati</p></body></html>"
    assert decode_html(text.encode("cp1252"))[0].count("“Netralitas”") == 1  # declared utf-8, really cp1252
    latin = text.replace("utf-8", "iso-8859-1")
    assert decode_html(latin.encode("utf-8"))[0].count("“Netralitas”") == 1  # declared latin-1, really utf-8
    assert decode_html(latin.encode("cp1252"))[0].count("“Netralitas”") == 1  # latin-1 label means cp1252
    assert decode_html(text.encode("utf-8"), http_charset="ISO-8859-1")[1] == "utf-8"
    assert decode_html(b"\xef\xbb\xbf<p>ok</p>")[0].endswith("<p>ok</p>")
