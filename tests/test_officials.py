"""Officials: the title/name/region shapes of Indonesian news, with degrees and ranks removed."""

from __future__ import annotations

import pytest

from pipeline.nlp.components import shared_gazetteer, shared_tagger
from pipeline.nlp.officials import extract_officials


def officials(text: str) -> list[tuple[str, str | None, str | None]]:
    regions = shared_tagger().find(text)
    return [(o.name, o.title, o.region) for o in extract_officials(text, shared_gazetteer(), regions)]


@pytest.mark.parametrize("text, expected", [
    ("Pj Bupati Sintang Herman Suryadi membuka kegiatan itu.",
     ("Herman Suryadi", "Pj Bupati", "Kabupaten Sintang")),
    ("Ketua Bawaslu RI, Rahmat Bagja, membuka acara.", ("Rahmat Bagja", "Ketua Bawaslu", "Nasional")),
    ("Hal itu disampaikan Andi Wijaya, Kepala Kesbangpol Kalsel, kepada wartawan.",
     ("Andi Wijaya", "Kepala Kesbangpol", "Provinsi Kalimantan Selatan")),
    ("Pj. Bupati Bone, Dr. H. Andi Islamuddin, S.H., M.Si., hadir.",
     ("Andi Islamuddin", "Pj. Bupati", "Kabupaten Bone")),
    ("Kapolres Sanggau AKBP Yuri Nurhidayat menegaskan hal itu.",
     ("Yuri Nurhidayat", "Kapolres", "Kabupaten Sanggau")),
    ("Wali Kota Pontianak Edi Rusdi Kamtono ikut hadir.", ("Edi Rusdi Kamtono", "Wali Kota", "Kota Pontianak")),
    ("Anggota Bawaslu Kabupaten Sigi, Ratna Dewi, mengingatkan ASN.",
     ("Ratna Dewi", "Anggota Bawaslu", "Kabupaten Sigi")),
    ("Penjabat (Pj) Gubernur Sulawesi Barat Bahtiar Baharuddin memimpin apel.",
     ("Bahtiar Baharuddin", "Penjabat (Pj) Gubernur", "Provinsi Sulawesi Barat")),
])
def test_title_name_region_forms(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in officials(text)


def test_a_title_list_is_not_a_person() -> None:
    text = "Acara ini dihadiri oleh Gubernur, Bupati, Walikota, serta Sekretaris Daerah se-Sulawesi Tengah."
    assert officials(text) == []


def test_a_headline_verb_is_not_a_name() -> None:
    assert officials("Pj Bupati Landak Hadiri Rakor Netralitas ASN") == []


def test_later_mentions_of_the_same_person_are_joined() -> None:
    text = ("Wakil Bupati Rudi Hartono membuka sosialisasi. Wakil Bupati Kapuas Hulu, Rudi Hartono, "
            "mengingatkan ASN agar netral.")
    found = officials(text)
    assert found == [("Rudi Hartono", "Wakil Bupati", "Kabupaten Kapuas Hulu")]


def test_an_unqualified_post_takes_the_article_region() -> None:
    text = "MAJENE - Pemkab Majene menggelar apel. Wakil Bupati Lukman Hakim memimpin apel itu."
    assert ("Lukman Hakim", "Wakil Bupati", "Kabupaten Majene") in officials(text)


def test_a_panel_speaker_from_a_national_body_is_an_official() -> None:
    text = ("Diskusi panel menghadirkan Dr. Budi Santoso dari Kementerian Dalam Negeri dan Prof. Sari Dewi dari "
            "Universitas Tanjungpura.")
    found = officials(text)
    assert ("Budi Santoso", "", "Nasional") in found
    assert not [o for o in found if o[0] == "Sari Dewi"], "a university is not a public body"


@pytest.mark.parametrize("text, expected", [
    ("Gubernur DKI Jakarta Basuki Tjahaja Purnama mengatakan.",
     ("Basuki Tjahaja Purnama", "Gubernur", "Provinsi DKI Jakarta")),
    ("Kapolda Bali Irjen Pol. Daniel Adityajaya menegaskan.", ("Daniel Adityajaya", "Kapolda", "Provinsi Bali")),
    ("Kepala Dinas Perhubungan DKI Jakarta Benjamin Bukit menjelaskan.",
     ("Benjamin Bukit", "Kepala Dinas Perhubungan", "Provinsi DKI Jakarta")),
    ("Kepala Dinas PUPR Tabanan I Made Dedy Darmasaputra mengatakan.",
     ("I Made Dedy Darmasaputra", "Kepala Dinas PUPR", "Kabupaten Tabanan")),
])
def test_full_region_names_ranks_with_dots_and_agency_heads(text: str, expected: tuple[str, str, str]) -> None:
    assert officials(text) == [expected]
