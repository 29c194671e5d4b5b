"""Which date an event takes (``pipeline.nlp.event_dates``): one test per way news text gives it.

Every sentence here is written for these tests in the style of Indonesian regional news (none is
copied from the development set): the event's own sentence, a neighbouring sentence, the lead, a
dateline, a partial date whose year comes from the publication date or the election named, and the
dates an event must not take (a reporter's contact with a speaker, a report cut-off, the voting day,
a deadline, a regulation, another occasion).
"""

from __future__ import annotations

import datetime as dt
import time

from pipeline.nlp.date_mentions import find_dates
from pipeline.nlp.event_dates import ArticleDates
from pipeline.nlp.text import Sentence, split_sentences

D = dt.date


def dated(text: str, cue: str, *, gathering: bool = True, event_type: str = "sosialisasi",
          published: dt.date | None = None, types: tuple[str, ...] = (), shared: object = None) -> dt.date | None:
    """The event date chosen for an event mentioned in the sentences that contain ``cue``."""
    sentences = split_sentences(text)
    hits = [s for s in sentences if cue in s.text]
    assert hits, f"no sentence holds {cue!r}"
    chosen = ArticleDates(text, sentences, find_dates(text, published), (event_type, *types)).date_for(
        event_type, gathering, hits, shared)
    return None if chosen is None else chosen.event_date


FILLER = (
    "Ia meminta seluruh aparatur menjaga sikap selama tahapan berlangsung. "
    "Menurutnya, pelayanan publik tidak boleh terganggu oleh urusan politik. "
    "Masyarakat juga diajak ikut mengawasi. "
    "Pihaknya membuka posko di setiap kecamatan. "
)


# -- where the event's date stands ------------------------------------------------------------------


def test_own_sentence_date() -> None:
    text = "Pemkab Sigi menggelar sosialisasi netralitas ASN di aula kantor bupati, Kamis (10/10/2024)."
    assert dated(text, "sosialisasi") == D(2024, 10, 10)


def test_neighbouring_sentence_date() -> None:
    text = ("Pemkab Sigi menggelar sosialisasi netralitas ASN di aula kantor bupati. "
            "Peserta berasal dari seluruh organisasi perangkat daerah. "
            "Kegiatan dibuka Sekda Sigi, Kamis (10/10/2024).")
    assert dated(text, "sosialisasi netralitas") == D(2024, 10, 10)


def test_date_in_the_sentence_before_the_mention() -> None:
    text = ("Ratusan kepala desa berkumpul di gedung serbaguna, Selasa (8/10/2024). "
            "Mereka mengikuti sosialisasi netralitas yang digelar Bawaslu.")
    assert dated(text, "mengikuti sosialisasi") == D(2024, 10, 8)


def test_lead_date() -> None:
    text = ("Bawaslu Kota Palu mengumpulkan lurah se-kota pada Senin (14/10/2024). " + FILLER
            + "Dalam kesempatan itu juga dilakukan deklarasi netralitas lurah.")
    assert dated(text, "deklarasi netralitas", event_type="deklarasi") == D(2024, 10, 14)


def test_dateline_date_glued_to_the_place() -> None:
    text = ("Kendari-21 Oktober 2024. Bawaslu Kota Kendari menggelar apel netralitas ASN di halaman kantor. "
            + FILLER)
    assert dated(text, "apel netralitas", event_type="apel") == D(2024, 10, 21)


def test_another_act_of_the_gathering_shares_its_date() -> None:
    text = ("Pemkab Muna menggelar apel netralitas ASN, Senin (7/10/2024). " + FILLER
            + "Apel tersebut ditutup dengan pembacaan ikrar netralitas.")
    sentences = split_sentences(text)
    dates = find_dates(text)
    article = ArticleDates(text, sentences, dates, ("apel", "deklarasi"))
    apel = article.date_for("apel", True, [sentences[0]])
    ikrar = article.date_for("deklarasi", True, [s for s in sentences if "ikrar" in s.text], apel)
    assert apel.event_date == ikrar.event_date == D(2024, 10, 7)


def test_announcement_takes_the_statement_date() -> None:
    text = ("Bawaslu Provinsi menemukan 14 ASN diduga melanggar netralitas. "
            "Temuan itu sudah diteruskan ke BKN. "
            "Hal itu disampaikan Ketua Bawaslu kepada wartawan, Jumat (18/10/2024).")
    assert dated(text, "14 ASN", gathering=False, event_type="pelanggaran") == D(2024, 10, 18)


# -- "Selasa (17/9)": the year, then the weekday check ---------------------------------------------------


def test_partial_date_takes_the_publication_year_when_the_weekday_agrees() -> None:
    text = "Bawaslu menggelar sosialisasi netralitas kepala desa, Selasa (17/9)."
    assert dated(text, "sosialisasi", published=D(2024, 9, 19)) == D(2024, 9, 17)


def test_partial_date_whose_weekday_disagrees_has_no_date() -> None:
    text = "Bawaslu menggelar sosialisasi netralitas kepala desa, Rabu (17/9). Acara dihadiri camat, Rabu (18/9)."
    assert dated(text, "sosialisasi", published=D(2024, 9, 19)) is None  # a trap: the neighbour lends nothing


def test_partial_date_takes_its_year_from_the_election_named() -> None:
    # 14 October was a Monday in 2024 and a Saturday in 2023; 16 October 2023 was a Monday.
    pilkada = "Menjelang Pilkada serentak 2024, Pemkab menggelar sosialisasi netralitas ASN, Senin (14/10)."
    assert dated(pilkada, "sosialisasi") == D(2024, 10, 14)
    pemilu = "Menjelang Pemilu 2024, Pemkab menggelar sosialisasi netralitas ASN, Senin (16/10)."
    assert dated(pemilu, "sosialisasi") == D(2023, 10, 16)
    # In the run-up to the Pemilu of February 2024, 14 October is 2023: a Saturday, not a Monday.
    trap = "Menjelang Pemilu 2024, Pemkab menggelar sosialisasi netralitas ASN, Senin (14/10)."
    assert dated(trap, "sosialisasi") is None


def test_election_named_with_its_region_gives_the_year() -> None:
    text = "Bawaslu menggelar sosialisasi netralitas ASN untuk Pilkada Kabupaten Muna 2024, Kamis (17/10)."
    assert dated(text, "sosialisasi") == D(2024, 10, 17)


def test_year_cut_to_three_digits_is_inferred_with_the_weekday_check() -> None:
    text = "Sosialisasi netralitas kades Pilkada 2024 digelar di hotel, Rabu (9/10/202)."
    assert dated(text, "Sosialisasi") == D(2024, 10, 9)


# -- dates an event does not take --------------------------------------------------------------------


def test_reporter_contact_date_is_not_the_gathering_date_but_is_the_statement_date() -> None:
    text = ("Pemkot menggelar sosialisasi netralitas ASN di aula balai kota. "
            "Semua camat diminta hadir, kata Kepala BKPSDM saat dikonfirmasi, Rabu (16/10/2024).")
    assert dated(text, "sosialisasi netralitas") is None
    text = ("Bawaslu menerima 6 laporan dugaan pelanggaran netralitas ASN. "
            "Semua sedang dikaji, kata Ketua Bawaslu saat dikonfirmasi, Rabu (16/10/2024).")
    assert dated(text, "6 laporan", gathering=False, event_type="pelanggaran") == D(2024, 10, 16)


def test_press_statement_date_dates_the_count_not_the_gathering() -> None:
    text = ("Bawaslu mencatat 40 laporan dugaan pelanggaran netralitas kepala desa. "
            "Data itu diungkap Ketua Bawaslu dalam keterangannya, Minggu (10/11/2024). "
            "Ia memaparkan data tersebut saat rakor pemerintah daerah di Kota Bogor.")
    assert dated(text, "40 laporan", gathering=False, event_type="pelanggaran") == D(2024, 11, 10)
    assert dated(text, "saat rakor", event_type="rakor") is None


def test_reporting_cue_in_another_sentence_does_not_touch_the_date() -> None:
    text = ("Rilis itu dikutip dari laman resmi pemkab. "
            "Sosialisasi netralitas ASN digelar Senin (7/10/2024) di aula.")
    assert dated(text, "Sosialisasi") == D(2024, 10, 7)


def test_quote_source_date_is_not_the_gathering_date() -> None:
    text = ("Rakor netralitas ASN digelar di pendopo kabupaten. "
            "Dikutip dari laman resmi pemkab, Selasa (15/10/2024), rakor diikuti seluruh kepala dinas.")
    assert dated(text, "Rakor netralitas", event_type="rakor") is None


def test_report_cut_off_leaves_a_count_undated() -> None:
    text = ("Kantor regional mencatat 31 laporan pelanggaran netralitas ASN hingga 30 September 2024. "
            "Data itu dipaparkan dalam rapat, Selasa (8/10/2024).")
    assert dated(text, "31 laporan", gathering=False, event_type="pelanggaran") is None


def test_voting_day_deadline_and_law_dates_are_not_taken() -> None:
    voting = "Pemkab menggelar apel netralitas ASN menjelang Pilkada 27 November 2024."
    assert dated(voting, "apel", event_type="apel") is None
    deadline = "Sosialisasi netralitas ASN menegaskan laporan harta wajib diserahkan paling lambat 5 November 2024."
    assert dated(deadline, "Sosialisasi") is None
    law = "Sosialisasi netralitas ASN membahas Surat Edaran Nomor 100/2/2024 tertanggal 1 Oktober 2024."
    assert dated(law, "Sosialisasi") is None
    rerun = "Deklarasi netralitas ASN digelar guna menyukseskan Pilkada ulang secara serentak pada 3 Mei 2025."
    assert dated(rerun, "Deklarasi", event_type="deklarasi") is None


def test_neighbour_about_another_occasion_lends_no_date() -> None:
    text = ("Bawaslu menggelar sosialisasi netralitas kepala desa di hotel. "
            "Sebelumnya, pada Senin (7/10/2024) lalu, Bawaslu juga mengumpulkan para camat.")
    assert dated(text, "sosialisasi netralitas") is None


def test_case_behind_a_sanction_is_not_dated_by_the_sanction() -> None:
    text = ("Bupati menjatuhkan sanksi teguran tertulis kepada Kepala Desa Sukamaju, Kamis (24/10/2024). "
            "Pelanggaran netralitas itu berupa unggahan dukungan kepada salah satu pasangan calon.")
    assert dated(text, "Pelanggaran", gathering=False, event_type="pelanggaran", types=("sanksi",)) is None
    assert dated(text, "sanksi", gathering=False, event_type="sanksi", types=("pelanggaran",)) == D(2024, 10, 24)


def test_letter_issued_per_weekday_is_an_event_date_not_a_byline() -> None:
    text = ("KASN merekomendasikan sanksi disiplin sedang bagi camat itu. "
            "Surat rekomendasi itu terbit per Rabu, 7 Februari 2024.")
    assert dated(text, "KASN", gathering=False, event_type="pelanggaran") == D(2024, 2, 7)
    stamp = find_dates("Diterbitkan: Senin, 23 September 2024\nBawaslu menggelar rakor.")[0]
    assert stamp.role_hint == "publication"


# -- speed -------------------------------------------------------------------------------------------------


def test_long_runs_are_linear() -> None:
    """100k full stops without spaces, and a long article, are dated quickly (the sentences are given:
    splitting is not this module's job)."""
    dots = "." * 100_000
    article_text = (FILLER + "Sosialisasi digelar Senin (7/10/2024). ") * 300
    cases = [(dots, [Sentence(dots, 0, len(dots), 0)]), (article_text, split_sentences(article_text))]
    for text, sentences in cases:
        started = time.perf_counter()
        article = ArticleDates(text, sentences, find_dates(text), ("sosialisasi",))
        article.date_for("sosialisasi", True, sentences[-3:])
        assert time.perf_counter() - started < 1.0
