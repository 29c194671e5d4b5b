"""Date role hints: the dates an event must never take (voting day, deadlines, laws, reports, plans, bylines).

The sentences are written for these tests in the style of Indonesian regional news; none is copied
from the development set.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.nlp.dates import DateMention, find_dates

D = dt.date


def one(text: str, published: dt.date | None = None, context_year: int | None = None) -> DateMention:
    """The only date mention in ``text`` (fails loudly when there are more or none)."""
    found = find_dates(text, published, context_year)
    assert len(found) == 1, found
    return found[0]


def by_text(
    text: str, published: dt.date | None = None, context_year: int | None = None
) -> dict[str, DateMention]:
    return {m.text: m for m in find_dates(text, published, context_year)}


# -- role hints ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "ASN diminta netral hingga hari pemungutan suara 27 November 2024.",
        "Jelang Pilkada 27 November 2024, Pemkab mengumpulkan camat.",
        "Pilkada serentak yang akan digelar pada 27 November 2024 diikuti dua pasangan calon.",
        "Warga diminta datang ke TPS saat hari pencoblosan, Rabu (14/2/2024).",
    ],
)
def test_voting_day(text: str) -> None:
    days = [m for m in find_dates(text) if m.precision == "day"]
    assert len(days) == 1
    assert days[0].role_hint == "voting_day"
    assert days[0].event_date is None


@pytest.mark.parametrize(
    "text",
    [
        "Pendaftaran petugas dibuka paling lambat 5 Agustus 2024 pukul 16.00.",
        "Batas waktu penyerahan berkas adalah tanggal 12 Agustus 2024.",
        "Masa kampanye berlangsung sampai dengan 23 November 2024.",
        "Perbaikan dokumen diterima hingga tanggal 9 September 2024.",
    ],
)
def test_deadline(text: str) -> None:
    days = [m for m in find_dates(text) if m.precision == "day"]
    assert [m.role_hint for m in days] == ["deadline"]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Larangan itu diatur dalam UU Nomor 20 Tahun 2023 tentang ASN.", "Tahun 2023"),
        ("Sanksi mengacu pada Peraturan Pemerintah Nomor 94 tahun 2021.", "tahun 2021"),
        ("Surat Edaran Bupati Nomor 800/123 tanggal 5 Agustus 2024 sudah beredar.", "tanggal 5 Agustus 2024"),
        ("Keputusan itu ditandatangani 29 Februari 2024 oleh Menteri.", "29 Februari 2024"),
        ("Hak politik dijamin UUD 1945 pasal 28.", "UUD 1945"),
    ],
)
def test_law_dates(text: str, written: str) -> None:
    found = by_text(text)
    assert found[written].role_hint == "law"


def test_a_decision_on_a_weekday_is_not_a_law_date() -> None:
    m = one("Bawaslu mengeluarkan keputusan soal kades itu pada Senin (7/10/2024).")
    assert m.role_hint is None


@pytest.mark.parametrize(
    "text",
    [
        "Data per 31 Januari 2024 mencatat 47 laporan pelanggaran netralitas.",
        "Sebanyak 47 kasus telah dilaporkan sampai 31 Januari 2024.",
        "Jumlah aduan yang tercatat hingga 31 Januari 2024 mencapai 47.",
    ],
)
def test_report_cutoff(text: str) -> None:
    days = [m for m in find_dates(text) if m.precision == "day"]
    assert [m.role_hint for m in days] == ["report"]


def test_count_announced_on_a_weekday_is_not_a_cutoff() -> None:
    m = one("Hingga Jumat (15/11/2024), Bawaslu mencatat 12 laporan ASN.")
    assert m.role_hint is None
    assert m.event_date == D(2024, 11, 15)


@pytest.mark.parametrize(
    "text",
    [
        "Deklarasi netralitas akan digelar pada Kamis (26/9/2024) di lapangan.",
        "Penetapan pasangan calon dijadwalkan 22 September 2024.",
        "Debat publik digelar 5 Oktober 2024 mendatang.",
    ],
)
def test_future(text: str) -> None:
    days = [m for m in find_dates(text) if m.precision == "day"]
    assert [m.role_hint for m in days] == ["future"]


def test_date_after_publication_is_future() -> None:
    m = one("Apel gabungan digelar Senin (30/9/2024) di alun-alun.", D(2024, 9, 26))
    assert m.role_hint == "future"


def test_akan_before_a_date_already_past_at_publication_is_not_future() -> None:
    text = "Rakor yang akan membahas netralitas ASN itu digelar Senin (5/8/2024) di aula."
    assert one(text).role_hint == "future"  # no publication date: the words decide
    assert one(text, D(2024, 8, 6)).role_hint is None


def test_closing_ceremony_is_not_a_deadline() -> None:
    assert one("Kegiatan itu ditutup Sekda pada Selasa (6/8/2024).").role_hint is None


def test_a_soft_line_wrap_does_not_hide_a_cue() -> None:
    m = one("Menurut panitia, batas\nwaktu pendaftaran adalah tanggal 8 Agustus 2024.")
    assert m.role_hint == "deadline"


def test_attribution_is_the_statement_date_even_after_akan() -> None:
    m = one("ASN yang terbukti tidak netral akan disanksi, ujar Kepala BKD pada Senin (7/10/2024).")
    assert m.role_hint is None


@pytest.mark.parametrize(
    "text",
    [
        "Oleh Humas Pemkab, Senin, 23 September 2024 | 15:51 WIB - Apel netralitas digelar.",
        "Redaksi • 24 Oktober 2024 18:44 Semarang - Kades itu disanksi.",
        "Diterbitkan 2 Oktober 2024 oleh Diskominfo.",
    ],
)
def test_publication_stamp(text: str) -> None:
    assert find_dates(text)[0].role_hint == "publication"


def test_event_time_with_pukul_is_not_a_byline() -> None:
    m = one("Apel digelar Senin (23/9/2024) pukul 07.30 WIB di halaman kantor.")
    assert m.role_hint is None


def test_publication_stamp_serves_as_reference_without_published() -> None:
    text = "Oleh Humas, Kamis, 3 Oktober 2024 | 10:12 WIB\nBupati memimpin apel kemarin, Rabu (2/10)."
    found = by_text(text)
    assert found["kemarin"].date == D(2024, 10, 2)
    assert found["Rabu (2/10)"].date == D(2024, 10, 2)


def test_birth_and_anniversary() -> None:
    text = "Ia lahir 17 Agustus 1975. Proklamasi 17 Agustus 1945 dirayakan tiap tahun."
    found = by_text(text, context_year=2024)
    assert found["17 Agustus 1975"].role_hint == "birth"
    assert found["17 Agustus 1945"].role_hint == "birth"
    # A celebration held this year is a day something happened, not a founding date.
    text = "Apel netralitas dirangkai peringatan HUT Kemerdekaan RI pada Sabtu (17/8/2024)."
    m = one(text, context_year=2024)
    assert m.role_hint is None
