"""Officials, by name shape: naming traditions, degrees/ranks/honorifics stripped, and fragments of bodies,
places, headlines and sentences rejected. Constructed sentences, one class each."""

from __future__ import annotations

import pytest

from pipeline.nlp.components import shared_gazetteer, shared_tagger
from pipeline.nlp.official_lexicon import officials_lexicon
from pipeline.nlp.official_names import looks_like_person
from pipeline.nlp.officials import extract_officials


def names(text: str) -> list[str]:
    return [o.name for o in extract_officials(text, shared_gazetteer(), shared_tagger().find(text))]


@pytest.mark.parametrize("text, name", [
    ("Kapolres Klaten AKBP Warsono mengatakan personel disiagakan.", "Warsono"),  # single name after a rank
    ("Camat Depok, Suharno, menghadiri apel.", "Suharno"),  # single name after a comma
    ("Wali Kota Denpasar I Gusti Ngurah Jaya Negara membuka acara.", "I Gusti Ngurah Jaya"),  # Balinese
    ("Bupati Tabanan Ni Putu Eka Wiryastuti membuka rapat.", "Ni Putu Eka Wiryastuti"),  # Balinese, female
    ("Sekda Lombok Tengah Lalu Firman Wijaya membacakan ikrar.", "Lalu Firman Wijaya"),  # Sasak
    ("Ketua Bawaslu Kabupaten Sleman, Arjuna Al Ichsan Siregar, hadir.", "Arjuna Al Ichsan Siregar"),  # Batak
    ("Ketua Panwaslih Aceh Besar, Teuku Muhammad bin Abdullah, mengatakan hal itu.",
     "Teuku Muhammad bin Abdullah"),  # Acehnese/Arabic
    ("Ketua KPU Kabupaten Buton, La Ode Muhammad Syarif, hadir.", "La Ode Muhammad Syarif"),  # Buton
    ("Kepala BKD Kabupaten Gowa, Dr. H. Andi Sulaiman, S.Sos., M.Si., menegaskan aturan itu.", "Andi Sulaiman"),
    ("Asisten I Bidang Pemerintahan, drg. Maria Ulfa, M.Kes., membuka rapat.", "Maria Ulfa"),
    ("Ketua Bawaslu Kab.Sleman Arjuna Siregar,S.Sos. menjelaskan.", "Arjuna Siregar"),
    ("Kapolda Jawa Barat Irjen Pol. Akhmad Wiyagus mengatakan.", "Akhmad Wiyagus"),
    ("Penjabat Gubernur Banten, Mayjen TNI (Purn) Al Muktabar, membuka apel.", "Al Muktabar"),
    ("Dandim 0735/Surakarta Letkol (Arh) Wiweko Wulang Widodo memimpin apel.", "Wiweko Wulang Widodo"),
    ("Kabag Ops Polres Bantul KOMPOL Bambang Sutejo memberi arahan.", "Bambang Sutejo"),  # rank in capitals
])
def test_name_shapes(text: str, name: str) -> None:
    assert name in names(text)


@pytest.mark.parametrize("text", [
    "Kantor Bupati Sleman di Jalan Parasamya ramai dikunjungi.",
    "Pemilihan Bupati dan Wakil Bupati Sleman digelar November.",  # a noun phrase before a post
    "Sosialisasi Dan Ikrar Kepala Desa Se-Kabupaten Sleman",
    "Rapat Bidang Pemerintahan Setda Kota Malang membahas anggaran.",
    "Bupati Sleman Resmi Lantik Pejabat Baru",  # headline verbs
    "Gubernur Jawa Timur Menyerahkan Bantuan",
    "Kapolres Sleman Selanjutnya memimpin apel.",  # a sentence adverb
    "Kepala Desa se-Kecamatan Depok mengikuti sosialisasi.",
    "Ketua KPU Kabupaten Sleman Tingkat Kecamatan menjelaskan.",  # a fragment of a body
    "Camat Loa Janan hadir bersama warga.",  # a two-word place, not a person
    "Apel digelar di halaman Kantor Bupati Banggai, Luwuk Selatan.",  # a place with a compass word
    "Kepala Dinas Kesehatan Kabupaten Sleman menjelaskan kasus DBD.",  # an unnamed holder
    "Deklarasi dihadiri Kepala Desa, Bhabinkamtibmas dan Babinsa se-Kecamatan Depok.",
    "Ditambahkan, Kades Sukamaju diduga melanggar aturan.",  # a verb that opens a sentence
    "Sekda Sleman\nHarda Kiswaya\nBawaslu Sleman\n",  # a tag list, one item a line
    "Bupati Sleman Apresiasi Kinerja Bawaslu dalam Pilkada",  # headlines in title case
    "Pemilihan Gubernur dan Wakil Gubernur Provinsi DKI Jakarta yang dihadiri warga.",  # a region is no name
    "Kunjungan Kerja Kepala Dinas Sosial Kabupaten Sleman berjalan lancar.",  # noun phrases before a post
    "Hadirnya Ketua KPU Sleman disambut warga.",
    "Sidang Etik Anggota Bawaslu Sleman digelar.",
    "Wakil Bupati Sleman Danang Maharsa Tinjau Lokasi Banjir\nBanjir melanda tiga desa.",
])
def test_fragments_are_not_people(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize("name, person", [
    ("Suharno", True), ("Lalu Firman Wijaya", True), ("I Made Sutama", True), ("Iskardo P. Panggar", True),
    ("Masih Rendah", False), ("Pemilihan Serentak", False), ("Luwuk Selatan", False), ("Bidang Pemerintahan", False),
    ("TNI Polri", False), ("Bupati-Wakil", False), ("Ditambahkan", False), ("Perwakilan", False),
])
def test_looks_like_person(name: str, person: bool) -> None:
    assert looks_like_person(officials_lexicon(), name) is person


def test_offsets_point_at_the_first_mention_of_the_name() -> None:
    text = ("Wakil Bupati Sleman Danang Maharsa membuka acara. Sementara itu, Danang Maharsa, Wakil Bupati "
            "Sleman, mengingatkan ASN.")
    [official] = extract_officials(text, shared_gazetteer(), shared_tagger().find(text))
    assert official.start is not None and official.end is not None
    assert text[official.start:official.end] == "Danang Maharsa"
    assert official.start == text.index("Danang")


def test_old_and_new_spellings_of_a_name_are_one_person() -> None:
    text = ("Kabag Ops Polres Bantul Kompol Iwan Darmawan membuka apel. Sementara itu, Kabag Ops Polres Bantul "
            "Kompol Iwan Dharmawan mengingatkan personel.")
    assert names(text) == ["Iwan Darmawan"]


@pytest.mark.parametrize(("text", "name"), [
    ("Kajari Lhoksukon Teuku Rahmatsyah menyebutkan berkas perkara sudah lengkap.", "Teuku Rahmatsyah"),
    ("Camat Tenggarong Sukono Hadi membuka kegiatan itu.", "Sukono Hadi"),
    ("Kapolres Bambang Sutrisno Hadi memimpin apel.", "Bambang Sutrisno Hadi"),  # a one-word kecamatan is a given name too
])
def test_a_town_between_the_post_and_the_holder_is_not_part_of_the_name(text: str, name: str) -> None:
    assert names(text) == [name]
