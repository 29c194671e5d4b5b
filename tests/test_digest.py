"""The weekly digest: content, escaping, self-containment, languages, empty weeks, PDF, screenshot.

The fixture database (tests/digest_fixture.py) is built through the store's own API (no demo crawl):
week 2024-W38 holds two rakor (Sulawesi Tengah, and Papua Pegunungan, one of the
2022 Papua provinces), a sosialisasi whose article is hostile (a ``<script>``
title, a ``javascript:`` URL, markup in names), a violation with figures, a
declaration and officials; a rakor of the next week and an irrelevant article
must stay out.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from digest_fixture import (  # tests/ is on sys.path
    EMPTY_WEEK,
    HOSTILE_NAME,
    HOSTILE_TITLE,
    WEEK,
    build_fixture,
)
from pipeline.digest import DigestError, render_digest
from pipeline.digest.data import parse_week
from pipeline.digest.labels import missing_keys
from pipeline.digest.pdf import find_chromium, print_pdf, screenshot
from pipeline.digest.tilemap import ATTENDED, COLOURS, TILES
from pipeline.nlp.gazetteer import RegionGazetteer

needs_chromium = pytest.mark.skipif(
    find_chromium() is None,
    reason="Debian's chromium is not installed (run scripts/install-chromium.sh); PDF and screenshot untested",
)


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


def test_chromium_is_found_and_runs() -> None:
    """The browser the PDF and screenshot tests need: a skip that says why when there is none (they skip
    too), and a failure, not a pass, when what is found is not a working Chromium."""
    found = find_chromium()
    if found is None:
        pytest.skip("no headless Chromium (run scripts/install-chromium.sh or set PANTAU_CHROMIUM): "
                    "the PDF and screenshot tests are skipped, the browser check is not done")
    assert os.path.exists(found) or shutil.which(found), found
    done = subprocess.run([found, "--headless", "--no-sandbox", "--version"], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0 and re.search(r"(Chromium|Chrome) \d+", done.stdout), (done.returncode,
                                                                                       done.stdout, done.stderr)
