"""The weekly digest: content, escaping, self-containment, languages, empty weeks, PDF, screenshot, notebook.

The fixture database is built here through the store's own API (no demo crawl):
week 2024-W38 holds two rakor (Sulawesi Tengah, and Papua Pegunungan, one of the
2022 Papua provinces), a sosialisasi whose article is hostile (a ``<script>``
title, a ``javascript:`` URL, markup in names), a violation with figures, a
declaration and officials; a rakor of the next week and an irrelevant article
must stay out.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from pipeline.digest import DigestError, render_digest
from pipeline.digest.data import parse_week
from pipeline.digest.labels import missing_keys
from pipeline.digest.pdf import find_chromium, print_pdf, screenshot
from pipeline.digest.tilemap import ATTENDED, COLOURS, TILES
from pipeline.nlp.gazetteer import RegionGazetteer
from pipeline.records import Annotation, EventMention, ExtractedArticle, Figure, Official, ResolvedEvent
from pipeline.registry import Source
from pipeline.store import Store
from pipeline.store.writer import event_mention_id

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "weekly_rakor.ipynb"
HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_NAME = '<img src=x onerror="alert(2)">'
WEEK = "2024-W38"
EMPTY_WEEK = "2024-W10"

needs_chromium = pytest.mark.skipif(
    find_chromium() is None,
    reason="Debian's chromium is not installed (run scripts/install-chromium.sh); PDF and screenshot untested",
)


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


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("digest-db") / "pantau.duckdb"
    build_fixture(db)
    return db


@pytest.fixture(scope="module")
def digest(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str | Path]:
    out = tmp_path_factory.mktemp("digest-out")
    files = render_digest(fixture_db, WEEK, out, pdf=False)
    return {"html": files.html.read_text(encoding="utf-8"), "md": files.markdown.read_text(encoding="utf-8"),
            "html_path": files.html, "out": out}


def _doc(text: str) -> etree._Element:
    return lxml_html.document_fromstring(text)


# -- the week ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2024-38", "2024W38", "W38", "2024-W", "24-W38", "2024-W00", "2024-W53", "",
                                  "2024-W38; DROP TABLE events"])
def test_a_malformed_week_is_a_clear_error(text: str) -> None:
    with pytest.raises(DigestError, match=r"2024-W38|ISO weeks 1 to 52"):
        parse_week(text)


def test_weeks_are_iso_weeks_from_monday_to_sunday() -> None:
    week = parse_week("2024-W38")
    assert (str(week.start), str(week.end)) == ("2024-09-16", "2024-09-22")
    assert parse_week("2020-W53").end.isoformat() == "2021-01-03"  # 2020 has 53 ISO weeks
    assert parse_week("2025-w01").start.isoformat() == "2024-12-30"


def test_the_cli_rejects_a_malformed_week_with_one_line(fixture_db: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    from pipeline.cli import main

    assert main(["digest", "--week", "2024-38", "--db", str(fixture_db), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: week must be an ISO week like 2024-W38") and err.count("\n") == 1
    assert not list(tmp_path.iterdir())


# -- content -------------------------------------------------------------------------


def test_the_digest_names_the_weeks_events_and_regions(digest: dict[str, str]) -> None:
    doc = _doc(digest["html"])
    rakor_rows = doc.xpath('//section[@id="rakor"]//tbody/tr')
    assert len(rakor_rows) == 2
    first, second = (" ".join(r.text_content().split()) for r in rakor_rows)
    assert "Senin, 16 September 2024" in first and "Pemerintah Provinsi Papua Pegunungan" in first
    assert "Kabupaten Jayawijaya" in first and "Kabupaten Lanny Jaya" in first
    assert "Rabu, 18 September 2024" in second and "Bawaslu Provinsi Sulawesi Tengah" in second
    assert "Hotel Santika Palu" in second and "Kota Palu" in second
    for region in ("Kabupaten Buol", "Kabupaten Poso", "Kabupaten Toli-Toli", "Kabupaten Gorontalo"):
        assert region in second
    # each source of the Sulteng rakor is linked
    links = {a.get("href") for a in rakor_rows[1].xpath(".//a")}
    assert links == {"https://kabarsulteng.example/2024/09/19/rakor-netralitas",
                     "https://palupos.example/berita/rakor-asn-palu"}
    other = " ".join(doc.xpath('//section[@id="other-events"]')[0].text_content().split())
    assert "Sosialisasi" in other and "Deklarasi" in other and "Pemerintah Provinsi Kalimantan Barat" in other
    figures = " ".join(doc.xpath('//section[@id="figures"]')[0].text_content().split())
    assert "12 dugaan pelanggaran" in figures and "Kabupaten Sigi" in figures and "Kabar Sulteng" in figures
    assert "1.000" in figures  # Indonesian thousands separator
    officials = doc.xpath('//section[@id="officials"]//tbody/tr')
    assert "Nasrun Lamasese" in officials[0].text_content() and officials[0].xpath("string(td[5])").strip() == "2"
    text = doc.text_content()
    assert "Sambas" not in text, "next week's rakor leaked into this week"
    assert "Harga Cabai" not in text and "Hidayat Lamakarate" not in text, "an irrelevant article was listed"


def test_the_map_marks_provinces_and_regencies(digest: dict[str, str]) -> None:
    doc = _doc(digest["html"])
    tiles = {g.get("data-code"): g.get("class") for g in doc.xpath('//svg[contains(@class, "tilemap")]//g[@data-code]')}
    assert len(tiles) == 38
    assert {"91", "92", "93", "94", "95", "96"} <= set(tiles)  # the 2022 Papua provinces
    assert "tile-held" in tiles["72"] and "tile-held" in tiles["95"]  # Sulteng, Papua Pegunungan
    assert "tile-attended" in tiles["75"]  # Gorontalo only sent participants
    assert tiles["61"] == "tile", "a deklarasi is not a rakor"
    sulteng = doc.xpath('//g[@data-code="72"]/circle/title/text()')
    assert {"Kota Palu", "Kabupaten Buol", "Kabupaten Poso", "Kabupaten Toli-Toli"} <= set(sulteng)
    listed = " ".join(doc.xpath('//table[@class="map-list"]')[0].text_content().split())
    assert "Papua Pegunungan" in listed and "Kabupaten Lanny Jaya (peserta)" in listed
    # the map's legend
    assert doc.xpath('//svg[contains(@class, "tilemap")]//g[@class="legend"]')


def test_the_tile_grid_holds_all_38_provinces_once() -> None:
    provinces = {r.code for r in RegionGazetteer().provinces()}
    assert set(TILES) == provinces and len(provinces) == 38
    positions = [(col, row) for col, row, _ in TILES.values()]
    assert len(set(positions)) == len(positions)


def test_the_chart_counts_events_per_day(digest: dict[str, str]) -> None:
    doc = _doc(digest["html"])
    bars = doc.xpath('//svg[contains(@class, "chart")]//rect/title/text()')
    assert any(t.startswith("Sen 16 Sep: Rapat koordinasi (rakor) 1") for t in bars)
    assert any(t.startswith("Min 22 Sep: Deklarasi") for t in bars)
    assert "| Rabu, 18 Sep | 1 | 0 | 0 | 0 | **1** |" in digest["md"]


# -- safety and self-containment --------------------------------------------------------


def test_the_html_parses_cleanly_and_scraped_markup_stays_text(digest: dict[str, str]) -> None:
    parser = etree.HTMLParser(recover=True)
    etree.fromstring(digest["html"].encode("utf-8"), parser)
    serious = [e for e in parser.error_log if "invalid" not in e.message.lower()]  # libxml2 knows no HTML5 tags
    assert not serious, serious
    doc = _doc(digest["html"])
    assert not doc.xpath("//script"), "a <script> element reached the page"
    assert not doc.xpath("//iframe | //img | //object | //embed")
    assert not [a for el in doc.iter() for a in el.attrib if a.lower().startswith("on")]
    assert HOSTILE_TITLE in doc.text_content()  # shown, as text
    assert HOSTILE_NAME in doc.text_content()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in digest["html"]
    for svg in re.findall(r"<svg\b.*?</svg>", digest["html"], flags=re.DOTALL):
        etree.fromstring(svg.encode("utf-8"))  # the inline SVG is well-formed XML


def test_no_request_leaves_the_file(digest: dict[str, str]) -> None:
    doc = _doc(digest["html"])
    assert not doc.xpath("//link | //script | //img | //iframe | //object | //embed | //video | //audio | //source")
    for el in doc.iter():
        for attr in ("src", "srcset", "poster", "data", "xlink:href", "{http://www.w3.org/1999/xlink}href"):
            assert el.get(attr) is None, (el.tag, attr)
        href = el.get("href")
        if href is not None:
            assert el.tag == "a" and href.startswith(("https://", "http://", "#")), (el.tag, href)
    assert not [a.get("href") for a in doc.xpath("//a[@href]") if a.get("href").lower().startswith("javascript")]
    styles = " ".join(s.text or "" for s in doc.xpath("//style"))
    assert "@import" not in styles and not re.search(r"url\(", styles)
    assert not [el for el in doc.iter() if "url(" in (el.get("style") or "")]
    csp = doc.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
    assert csp and "default-src 'none'" in csp[0]


def test_the_markdown_has_the_rakor_table_and_escapes(digest: dict[str, str]) -> None:
    md = digest["md"]
    assert "| Tanggal | Penyelenggara | Tempat | Daerah peserta | Sumber |" in md
    row = next(line for line in md.splitlines() if "Bawaslu Provinsi Sulawesi Tengah" in line and line.startswith("|"))
    assert "Kabupaten Toli-Toli" in row and "(<https://palupos.example/berita/rakor-asn-palu>)" in row
    assert "<script>" not in md and "\\<script\\>alert(1)\\</script\\>" in md
    assert "javascript:" not in md
    assert "## Pejabat yang paling banyak dikutip" in md and "**Nasrun Lamasese**" in md


def test_the_database_is_only_read(fixture_db: Path, tmp_path: Path) -> None:
    before = (fixture_db.stat().st_size, fixture_db.stat().st_mtime_ns)
    render_digest(fixture_db, WEEK, tmp_path, pdf=False)
    assert (fixture_db.stat().st_size, fixture_db.stat().st_mtime_ns) == before


# -- empty weeks, languages, files -----------------------------------------------------


def test_an_empty_week_gives_a_no_events_digest(fixture_db: Path, tmp_path: Path) -> None:
    files = render_digest(fixture_db, EMPTY_WEEK, tmp_path, pdf=False)
    html = files.html.read_text(encoding="utf-8")
    doc = _doc(html)
    assert "Tidak ada peristiwa netralitas pada minggu ini" in doc.xpath('string(//section[@id="no-events"])')
    assert "4 Maret 2024" in doc.text_content() and not doc.xpath('//section[@id="rakor"]')
    assert "## Tidak ada peristiwa netralitas pada minggu ini" in files.markdown.read_text(encoding="utf-8")
    assert files.events == 0


def test_english_is_a_switch(fixture_db: Path, tmp_path: Path) -> None:
    assert missing_keys() == {"id": set(), "en": set()}
    files = render_digest(fixture_db, WEEK, tmp_path, lang="en", pdf=False)
    assert files.html.name == "digest-2024-W38-en.html"
    doc = _doc(files.html.read_text(encoding="utf-8"))
    assert doc.get("lang") == "en"
    text = " ".join(doc.text_content().split())
    assert "Neutrality coordination meetings this week" in text and "Monday 16 September 2024" in text
    assert "Rapat koordinasi netralitas minggu ini" not in text and "Pejabat" not in text
    md = files.markdown.read_text(encoding="utf-8")
    assert "| Date | Organiser | Venue | Participating regions | Sources |" in md
    empty = render_digest(fixture_db, EMPTY_WEEK, tmp_path, lang="en", pdf=False)
    assert "No neutrality events this week" in empty.html.read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="unknown digest language"):
        render_digest(fixture_db, WEEK, tmp_path, lang="fr", pdf=False)


def test_the_cli_writes_the_digest(fixture_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pipeline.cli import main

    assert main(["digest", "--week", WEEK, "--db", str(fixture_db), "--out", str(tmp_path), "--no-pdf"]) == 0
    assert {p.name for p in tmp_path.iterdir()} == {"digest-2024-W38.html", "digest-2024-W38.md"}
    assert "5 neutrality events, 2 rakor" in capsys.readouterr().out


def test_without_chromium_the_pdf_is_skipped_not_a_crash(fixture_db: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PANTAU_CHROMIUM", str(tmp_path / "no-such-chromium"))
    files = render_digest(fixture_db, WEEK, tmp_path, pdf=True)
    assert files.pdf is None and not files.pdf_failed
    assert files.pdf_note and files.pdf_note.startswith("PDF skipped") and "chromium" in files.pdf_note
    assert files.html.exists() and files.markdown.exists()


@needs_chromium
def test_the_pdf_is_printed(fixture_db: Path, tmp_path: Path) -> None:
    files = render_digest(fixture_db, WEEK, tmp_path, pdf=True)
    assert files.pdf is not None and files.pdf.name == "digest-2024-W38.pdf", files.pdf_note
    data = files.pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000


# -- how it looks ----------------------------------------------------------------------


def _pixels(png: Path) -> tuple[int, int, list[tuple[int, int, int]]]:
    """Every 2nd pixel of every 2nd row as RGB: Pillow when installed, else a small PNG decoder."""
    try:
        from PIL import Image  # type: ignore[import-not-found]
    except ImportError:
        return _decode_png(png)
    with Image.open(png) as image:
        rgb = image.convert("RGB")
        width, height = rgb.size
        data = rgb.load()
        return width, height, [data[x, y] for y in range(0, height, 2) for x in range(0, width, 2)]


def _decode_png(png: Path) -> tuple[int, int, list[tuple[int, int, int]]]:
    raw = png.read_bytes()
    assert raw[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    while pos < len(raw):
        (size,) = struct.unpack(">I", raw[pos:pos + 4])
        kind, body = raw[pos + 4:pos + 8], raw[pos + 8:pos + 8 + size]
        pos += 12 + size
        if kind == b"IHDR":
            width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0 and colour_type in (2, 6), "unexpected PNG format"
            bpp = 3 if colour_type == 2 else 4
        elif kind == b"IDAT":
            idat += body
    data, stride = zlib.decompress(idat), width * bpp
    previous, pixels, i = bytearray(stride), [], 0
    for y in range(height):
        line_filter, line = data[i], bytearray(data[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = previous[x], (previous[x - bpp] if x >= bpp else 0)
            if line_filter == 1:
                line[x] = (line[x] + a) & 255
            elif line_filter == 2:
                line[x] = (line[x] + b) & 255
            elif line_filter == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif line_filter == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        if y % 2 == 0:
            pixels += [tuple(line[x:x + 3]) for x in range(0, stride, 2 * bpp)]
        previous = line
    return width, height, pixels  # type: ignore[return-value]


def _near(colour: str, tolerance: int = 6) -> Callable[[tuple[int, int, int]], bool]:
    want = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return lambda px: all(abs(p - w) <= tolerance for p, w in zip(px, want, strict=True))


@needs_chromium
def test_a_screenshot_shows_real_content_and_the_map(digest: dict[str, str | Path], tmp_path: Path) -> None:
    png = screenshot(Path(digest["html_path"]), tmp_path / "digest.png", width=1280, height=2400)
    width, height, pixels = _pixels(png)
    assert (width, height) == (1280, 2400)
    luminance = [0.299 * r + 0.587 * g + 0.114 * b for r, g, b in pixels]
    mean = sum(luminance) / len(luminance)
    variance = sum((v - mean) ** 2 for v in luminance) / len(luminance)
    assert variance > 300, f"the page looks blank (luminance variance {variance:.0f})"
    assert len(set(pixels)) > 200, "too few colours for a rendered digest"
    # The map: grey tiles for most provinces and the light red of a province that only attended.
    # Pixels were sampled every 2nd row and column, so one 56-px tile gives ~780 samples.
    grey = sum(map(_near(COLOURS[None]), pixels))
    attended = sum(map(_near(COLOURS[ATTENDED]), pixels))
    assert grey > 20 * 600, f"the map's province tiles are missing ({grey} grey samples)"
    assert attended > 600, f"no province tile is marked as attending a rakor ({attended} samples)"
    navy = sum(map(_near("#14213d"), pixels))
    assert navy > 20_000, "the masthead is missing"


def test_a_failing_chromium_is_reported_not_hidden(fixture_db: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from pipeline.cli import main

    failing = tmp_path / "chromium"
    failing.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n", encoding="utf-8")
    failing.chmod(0o755)
    monkeypatch.setenv("PANTAU_CHROMIUM", str(failing))
    files = render_digest(fixture_db, WEEK, tmp_path / "out", pdf=True)
    assert files.pdf is None and files.pdf_failed and files.html.exists()
    assert files.pdf_note and "status 3" in files.pdf_note and "cannot open display" in files.pdf_note
    assert main(["digest", "--week", WEEK, "--db", str(fixture_db), "--out", str(tmp_path / "cli")]) == 1
    assert "PDF failed" in capsys.readouterr().err
    with pytest.raises(FileNotFoundError):
        print_pdf(tmp_path / "missing.html", tmp_path / "x.pdf")


# -- the notebook ------------------------------------------------------------------------


@pytest.fixture()
def notebook_env(fixture_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PANTAU_DB", str(fixture_db))
    monkeypatch.setenv("PANTAU_WEEK", WEEK)
    yield


def test_the_notebook_code_reproduces_the_rakor_table(notebook_env: None, capsys: pytest.CaptureFixture[str]) -> None:
    """Runs the notebook's code cells in order, as a kernel would (without needing Jupyter installed)."""
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4
    namespace: dict[str, object] = {"__name__": "__main__"}
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            exec(compile("".join(cell["source"]), str(NOTEBOOK), "exec"), namespace)
    rows = namespace["rakor_rows"]
    assert isinstance(rows, list)
    assert [row[2] for row in rows] == ["Pemerintah Provinsi Papua Pegunungan", "Bawaslu Provinsi Sulawesi Tengah"]
    out = capsys.readouterr().out
    assert "digest agrees: 2 rakor, 5 neutrality events" in out


def test_the_notebook_executes_in_a_kernel(notebook_env: None) -> None:
    nbformat = pytest.importorskip("nbformat", reason="needs nbformat, nbclient and ipykernel to run a kernel")
    nbclient = pytest.importorskip("nbclient", reason="needs nbformat, nbclient and ipykernel to run a kernel")
    pytest.importorskip("ipykernel", reason="needs nbformat, nbclient and ipykernel to run a kernel")
    notebook = nbformat.read(str(NOTEBOOK), as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(REPO)}})
    client.execute()
    outputs = "".join(o.get("text", "") for c in notebook.cells if c.cell_type == "code" for o in c.outputs)
    assert "digest agrees: 2 rakor" in outputs


def test_the_notebook_is_saved_without_outputs() -> None:
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert all(not c.get("outputs") for c in notebook["cells"] if c["cell_type"] == "code")
    assert "read_only=True" in "".join("".join(c["source"]) for c in notebook["cells"])


def test_chromium_is_found_or_the_reason_is_known() -> None:
    found = find_chromium()
    assert found is None or os.path.exists(found) or shutil.which(found)
