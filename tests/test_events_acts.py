"""Events by class: each type's triggers (Indonesian and English), hard negatives, one record per act.

Every sentence here is constructed for the class it stands for (no development text is copied).
"""

from __future__ import annotations

import pytest

from pipeline.records import Annotation
from tests.test_events import annotate


def types_of(annotation: Annotation) -> list[str]:
    return sorted(e.type for e in annotation.events)


def of_type(annotation: Annotation, event_type: str):  # type: ignore[no-untyped-def]
    events = [e for e in annotation.events if e.type == event_type]
    assert len(events) == 1, annotation.events
    return events[0]


@pytest.mark.parametrize(("text", "expected"), [
    ("Bawaslu Kabupaten Ketapang menggelar rakor netralitas ASN di aula kantor bupati, Senin (16/9/2024).",
     "rakor"),
    ("Bawaslu Kota Pontianak menyosialisasikan netralitas kepala desa kepada 40 kades di Hotel Kapuas.", "sosialisasi"),
    ("BKPSDM Kabupaten Kapuas Hulu menyelenggarakan webinar netralitas ASN, Rabu (18/9/2024).", "sosialisasi"),
    ("Seluruh ASN Pemkab Melawi membacakan ikrar netralitas di halaman kantor bupati, Selasa (17/9/2024).",
     "deklarasi"),
    ("Pemkab Landak menggelar apel netralitas ASN di lapangan kantor bupati, Senin (23/9/2024).", "apel"),
    ("Para camat di Kabupaten Bengkayang menandatangani pakta integritas netralitas ASN, Kamis (19/9/2024).",
     "pakta_integritas"),
    ("Bawaslu Kabupaten Sanggau mencatat 7 ASN dilaporkan melanggar netralitas, Jumat (20/9/2024).", "pelanggaran"),
    ("BKPSDM Kabupaten Sekadau menjatuhkan sanksi disiplin kepada 3 ASN yang terbukti tidak netral, Jumat "
     "(20/9/2024).", "sanksi"),
    ("Pemkab Sintang membentuk satgas netralitas ASN menjelang Pilkada 2024, Senin (16/9/2024).", "pengawasan"),
    ("Pemkab Kubu Raya menggelar lomba video pendek bertema netralitas ASN, Senin (16/9/2024).", "other"),
])
def test_each_type_has_its_indonesian_triggers(text: str, expected: str) -> None:
    assert expected in types_of(annotate(text))


@pytest.mark.parametrize(("text", "expected"), [
    ("The West Kalimantan election supervisory agency held a coordination meeting on civil servant neutrality "
     "in Pontianak on Monday.", "rakor"),
    ("Civil servants of the Sambas regency government read a neutrality pledge at the regent's office on "
     "Monday.", "deklarasi"),
    ("Hundreds of civil servants attended a neutrality roll call at the governor's office on Monday.", "apel"),
    ("Regional heads signed an integrity pact on civil servant neutrality on Tuesday.", "pakta_integritas"),
    ("The commission recorded 120 reported violations of civil servant neutrality in the 2024 election.",
     "pelanggaran"),
    ("The agency imposed sanctions on 65 civil servants who were found not neutral.", "sanksi"),
])
def test_english_reports_are_read(text: str, expected: str) -> None:
    assert expected in types_of(annotate(text, published="2024-09-20"))


@pytest.mark.parametrize("text", [
    # a readiness assembly for supervision or disaster, with TNI/Polri present
    "Bawaslu Kabupaten Kayong Utara menggelar apel siaga pengawasan Pilkada bersama TNI dan Polri, Senin "
    "(16/9/2024). Ketua Bawaslu meminta jajarannya bersikap netral dan profesional.",
    # a peace-campaign declaration of candidates
    "KPU Kabupaten Sambas menggelar deklarasi kampanye damai bersama pasangan calon, Selasa (24/9/2024). "
    "Aparat diminta menjaga situasi tetap kondusif.",
    # a KPU voter outreach
    "KPU Kota Singkawang menggelar sosialisasi pemilih pemula di SMA Negeri 1, Rabu (25/9/2024). Pelajar diajak "
    "datang ke TPS.",
    # an integrity pact on school admissions
    "Dinas Pendidikan Kabupaten Landak menandatangani pakta integritas penerimaan peserta didik baru, Senin "
    "(1/7/2024).",
    # a band called Netral
    "Band Netral tampil memukau di alun-alun Kota Pontianak, Sabtu (21/9/2024). Ribuan penonton hadir.",
    # money-politics arrests
    "Gakkumdu Kabupaten Bengkayang menangkap dua orang yang diduga membagikan uang kepada pemilih, Sabtu "
    "(23/11/2024).",
])
def test_hard_negatives_have_no_events(text: str) -> None:
    annotation = annotate(text)
    assert annotation.events == ()
    assert annotation.relevant is False


def test_apel_ikrar_and_signing_are_three_records_of_one_gathering() -> None:
    text = ("Pemkab Kapuas Hulu menggelar apel netralitas ASN di halaman kantor bupati, Senin (23/9/2024). Usai "
            "apel, seluruh ASN mengucapkan ikrar netralitas, dilanjutkan penandatanganan pakta integritas oleh para "
            "kepala OPD.")
    annotation = annotate(text, published="2024-09-23")
    assert types_of(annotation) == ["apel", "deklarasi", "pakta_integritas"]
    assert {e.date for e in annotation.events} == {"2024-09-23"}


def test_a_declaration_that_is_only_signed_is_the_pakta_record() -> None:
    text = ("Camat, Danramil dan Kapolsek Sungai Raya melakukan penandatanganan deklarasi netralitas ASN, TNI dan "
            "Polri di kantor kecamatan, Rabu (13/11/2024).")
    assert types_of(annotate(text, published="2024-11-14")) == ["pakta_integritas"]


def test_a_declaration_read_and_signed_is_two_records() -> None:
    text = ("Bawaslu Kabupaten Sintang menggelar pembacaan dan penandatanganan ikrar netralitas kepala desa di "
            "aula kantor bupati, Sabtu (21/9/2024).")
    assert types_of(annotate(text, published="2024-09-22")) == ["deklarasi", "pakta_integritas"]


def test_one_type_on_two_dates_is_two_acts() -> None:
    text = ("Bawaslu Kabupaten Melawi menggelar sosialisasi netralitas kepala desa, Jumat (1/11/2024). "
            "Sebelumnya para kepala desa telah mengucapkan ikrar netralitas di kantor bupati, Senin (28/10/2024). "
            "Ikrar netralitas kedua diucapkan perangkat desa di aula kecamatan, Kamis (31/10/2024).")
    annotation = annotate(text, published="2024-11-02")
    declarations = sorted(e.date or "" for e in annotation.events if e.type == "deklarasi")
    assert declarations == ["2024-10-28", "2024-10-31"]


def test_a_count_inside_a_rakor_story_is_a_pelanggaran_with_its_figure() -> None:
    text = ("Bawaslu Kabupaten Ketapang menggelar rapat koordinasi netralitas ASN di Hotel Aston, Selasa "
            "(5/11/2024). Dalam rakor itu, Ketua Bawaslu menyebut pihaknya telah menerima 12 laporan dugaan "
            "pelanggaran netralitas ASN.")
    annotation = annotate(text, published="2024-11-06")
    assert types_of(annotation) == ["pelanggaran", "rakor"]
    assert [f.number for f in of_type(annotation, "pelanggaran").figures] == [12]


def test_one_named_case_referred_to_bkn_is_a_pelanggaran() -> None:
    text = ("Bawaslu Kabupaten Sambas merekomendasikan kasus dugaan pelanggaran netralitas oleh seorang camat ke "
            "BKN, Kamis (17/10/2024).")
    assert types_of(annotate(text, published="2024-10-18")) == ["pelanggaran"]


def test_vague_background_is_not_a_pelanggaran() -> None:
    text = ("Ketua Bawaslu Kota Pontianak mengatakan ada beberapa laporan soal netralitas ASN. Ia mengimbau ASN "
            "menghindari pelanggaran netralitas.")
    assert "pelanggaran" not in types_of(annotate(text))


def test_a_recommendation_of_a_sanction_is_a_pelanggaran_not_a_sanksi() -> None:
    text = ("KASN merekomendasikan sanksi disiplin sedang bagi 2 ASN Pemkab Bengkayang yang terbukti tidak netral, "
            "Kamis (8/2/2024).")
    assert types_of(annotate(text, published="2024-02-09")) == ["pelanggaran"]


def test_a_sanction_imposed_also_records_the_violation() -> None:
    text = ("Bupati Sanggau menjatuhkan sanksi teguran tertulis kepada Kepala Desa Sungai Mawang yang terbukti "
            "melanggar netralitas dalam Pilkada, Kamis (24/10/2024).")
    assert types_of(annotate(text, published="2024-10-25")) == ["pelanggaran", "sanksi"]


def test_a_warning_of_sanctions_is_no_sanksi() -> None:
    text = ("Pj Bupati Landak mengingatkan ASN yang tidak netral akan dijatuhi sanksi tegas. ASN diminta siap "
            "menerima sanksi jika melanggar.")
    assert "sanksi" not in types_of(annotate(text))


def test_a_monitoring_team_is_pengawasan_but_an_appeal_to_watch_is_not() -> None:
    team = ("Propam Polda Kalimantan Barat menerjunkan tim untuk mengawasi netralitas anggota Polri dan membuka "
            "posko pengaduan di setiap Polres, Minggu (10/11/2024).")
    appeal = ("Pj Gubernur Kalimantan Barat meminta masyarakat ikut mengawasi netralitas ASN. Menurutnya, "
              "pengawasan netralitas ASN menjadi fokus pemerintah provinsi.")
    assert types_of(annotate(team, published="2024-11-11")) == ["pengawasan"]
    assert "pengawasan" not in types_of(annotate(appeal))


def test_a_gathering_named_only_as_where_a_speech_was_given_is_not_recorded() -> None:
    text = ("“Sudah saya sampaikan pada saat apel pagi bahwa ASN harus netral,” kata Pj Wali Kota Singkawang, "
            "Senin (4/11/2024).")
    assert "apel" not in types_of(annotate(text, published="2024-11-05"))


def test_a_task_named_in_a_purpose_clause_is_not_an_act() -> None:
    text = ("Satgas netralitas ASN yang dibentuk Pemkab Sintang berkewajiban untuk menyosialisasikan netralitas "
            "di setiap OPD, Senin (16/9/2024).")
    assert types_of(annotate(text, published="2024-09-17")) == ["pengawasan"]


def test_event_offsets_point_at_the_evidence_and_the_trigger() -> None:
    text = ("Hujan turun sejak pagi. Bawaslu Kabupaten Ketapang menggelar rakor netralitas ASN di aula kantor "
            "bupati, Senin (16/9/2024).")
    event = of_type(annotate(text, published="2024-09-17"), "rakor")
    assert event.evidence_start is not None and event.evidence_end is not None
    assert text[event.evidence_start:event.evidence_end] == event.evidence
    assert event.trigger_start is not None and event.trigger_end is not None
    assert text[event.trigger_start:event.trigger_end] == "rakor"


def test_a_truncated_verb_form_still_says_the_event_was_held() -> None:
    text = "Sosialisasi netralitas ASN diselenggarakn oleh Bawaslu Kabupaten Sintang di aula kantor bupati."
    event = of_type(annotate(text), "sosialisasi")
    assert event.organizer_region == "Kabupaten Sintang"


def test_a_headline_that_names_the_signing_types_the_declaration_in_the_body() -> None:
    title = "Camat Sungai Raya Hadiri Penandatanganan Deklarasi Netralitas ASN, TNI dan Polri"
    text = ("Deklarasi netralitas ASN, TNI dan Polri dalam Pilkada 2024 bertempat di Kantor Kecamatan Sungai Raya, "
            "Rabu (13/11/2024). Deklarasi ini menjadi bentuk komitmen bersama.")
    assert types_of(annotate(text, title=title, published="2024-11-14")) == ["pakta_integritas"]


@pytest.mark.parametrize("text", [
    "Bawaslu mengingatkan ASN Pemkab Sambas dilarang hadir di posko pemenangan pasangan calon, Senin (16/9/2024).",
    "In a press briefing on Monday, the minister said civil servants must remain neutral in the election.",
    "The new regent took the oath of office on Monday and said civil servants must stay neutral.",
])
def test_words_near_a_trigger_that_name_no_neutrality_act(text: str) -> None:
    assert annotate(text, published="2024-09-17").events == ()


def test_neutrality_in_a_later_paragraph_that_names_the_act_again() -> None:
    text = ("Pemkab Sekadau bersama Bawaslu melakukan sosialisasi tahapan Pilkada kepada ASN, Senin (16/9/2024)."
            "\n\nNetralitas ASN menjadi penekanan dalam sosialisasi itu.")
    assert types_of(annotate(text, published="2024-09-17")) == ["sosialisasi"]


def test_a_monitoring_measure_named_after_complaints_is_no_report_of_cases() -> None:
    annotation = annotate("Kabid Propam Polda Kalbar Kombes Pol Andi Wijaya mengatakan, pihaknya membuka posko "
                          "pengaduan netralitas Polri di setiap polres, Senin (7/10/2024).")
    assert types_of(annotation) == ["pengawasan"]


def test_an_official_suspended_by_the_regional_head_is_a_sanksi() -> None:
    annotation = annotate("Penjabat Wali Kota Singkawang menonaktifkan seorang lurah yang terbukti melanggar "
                          "netralitas ASN, Selasa (19/11/2024).")
    assert "sanksi" in types_of(annotation)


def test_a_circular_ordering_supervision_is_pengawasan_dated_by_its_signing() -> None:
    annotation = annotate("Penjabat Bupati Sambas menerbitkan surat edaran tentang netralitas ASN menjelang Pilkada "
                          "2024. Surat edaran itu ditandatangani pada 2 September 2024. Dalam surat edaran tersebut, "
                          "para kepala perangkat daerah diperintahkan mengawasi netralitas bawahannya.")
    event = of_type(annotation, "pengawasan")
    assert event.date == "2024-09-02"


def test_a_government_acting_through_its_agency_is_the_organiser() -> None:
    annotation = annotate("Pemerintah Kota Singkawang melalui Badan Kepegawaian dan Pengembangan Sumber Daya "
                          "Manusia (BKPSDM) menggelar sosialisasi netralitas ASN, Jumat (4/10/2024).")
    assert of_type(annotation, "sosialisasi").organizer_region == "Kota Singkawang"


def test_a_supervisory_committee_written_out_keeps_its_region() -> None:
    annotation = annotate("Panitia Pengawas Pemilihan (Panwaslih) Aceh mencatat 12 kasus dugaan pelanggaran "
                          "netralitas ASN. Delapan kasus telah direkomendasikan ke Badan Kepegawaian Negara, Senin "
                          "(11/11/2024).")
    assert of_type(annotation, "pelanggaran").organizer_region == "Provinsi Aceh"


def test_an_earlier_gathering_the_story_only_recalls_is_not_reported_again() -> None:
    annotation = annotate("Pemkab Sambas menggelar apel netralitas ASN di halaman kantor bupati, Senin (30/9/2024). "
                          "Apel ini merupakan tindak lanjut rapat koordinasi nasional netralitas ASN yang digelar "
                          "Bawaslu RI di Jakarta beberapa waktu lalu.", title="Pemkab Sambas Gelar Apel Netralitas ASN")
    assert types_of(annotation) == ["apel"]
