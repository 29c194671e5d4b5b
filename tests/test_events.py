"""Events: typed, held (not planned), about neutrality, with organiser, venue, date and participants.

Hand-written Indonesian news sentences, one per pattern and per trap.
"""

from __future__ import annotations

import datetime as dt

from pipeline.nlp.annotator import Annotator
from pipeline.records import Annotation, ExtractedArticle
from pipeline.urls import stable_id

_ANNOTATOR: Annotator | None = None


def annotate(text: str, title: str | None = None, published: str | None = "2024-09-20") -> Annotation:
    global _ANNOTATOR
    _ANNOTATOR = _ANNOTATOR or Annotator()
    article = ExtractedArticle(stable_id("https://contoh.id/a"), "https://contoh.id/a", "https://contoh.id/a",
                               None, title, text, published, "input", None, "id")
    return _ANNOTATOR.annotate(article)


def only(annotation: Annotation, event_type: str):  # type: ignore[no-untyped-def]
    events = [e for e in annotation.events if e.type == event_type]
    assert len(events) == 1, annotation.events
    return events[0]


def test_a_rakor_held_by_a_provincial_bawaslu_attended_by_a_regency() -> None:
    text = ("SINTANG - Pj Bupati Sintang Herman Suryadi menghadiri rapat koordinasi netralitas ASN yang "
            "diselenggarakan Bawaslu Kalbar di Hotel Mercure Pontianak, Kamis (19/9/2024).")
    event = only(annotate(text), "rakor")
    assert event.date == "2024-09-19"
    assert event.organizer == "Bawaslu Provinsi Kalimantan Barat"
    assert event.organizer_region == "Provinsi Kalimantan Barat"
    assert event.venue == "Hotel Mercure Pontianak"
    assert event.venue_region == "Kota Pontianak"
    assert event.online is False
    assert "Kabupaten Sintang" in event.participant_regions


def test_the_subject_that_holds_it_is_the_organiser() -> None:
    text = ("Pemerintah Kabupaten Sambas menggelar rapat koordinasi pengawasan netralitas ASN di aula kantor bupati, "
            "Senin (16/9/2024).")
    event = only(annotate(text), "rakor")
    assert event.organizer_region == "Kabupaten Sambas"
    assert event.date == "2024-09-16"


def test_an_online_meeting_is_marked_online() -> None:
    text = ("Kesbangpol Provinsi Jambi menggelar rapat koordinasi netralitas ASN secara daring melalui zoom "
            "meeting, Rabu (18/9/2024).")
    assert only(annotate(text), "rakor").online is True


def test_a_kpu_debate_rakor_is_not_a_neutrality_rakor() -> None:
    text = ("KPU Kabupaten Landak menggelar rapat koordinasi persiapan debat publik pasangan calon, Selasa "
            "(17/9/2024). Dalam rapat itu Ketua KPU juga mengingatkan netralitas ASN.")
    assert not [e for e in annotate(text).events if e.type == "rakor"]


def test_a_campaign_peace_declaration_is_not_relevant() -> None:
    text = ("KPU Kota Kendari menggelar deklarasi kampanye damai di lapangan, Selasa (24/9/2024). Seluruh "
            "pasangan calon berjanji menghindari hoaks dan isu SARA.")
    annotation = annotate(text)
    assert annotation.events == ()
    assert annotation.relevant is False


def test_a_flood_story_has_no_events() -> None:
    text = "Banjir merendam ratusan rumah di Kabupaten Luwu Utara, Senin (16/9/2024). BPBD mengerahkan perahu karet."
    annotation = annotate(text)
    assert annotation.events == () and annotation.relevant is False


def test_a_planned_sosialisasi_is_not_an_event() -> None:
    text = "Bawaslu Kabupaten Kubu Raya akan menggelar sosialisasi netralitas ASN bulan depan."
    assert not annotate(text).events


def test_a_composite_gathering_gives_one_event_per_act_sharing_date_and_venue() -> None:
    text = ("Pemkab Sanggau menggelar apel netralitas ASN di halaman kantor bupati, Senin (23/9/2024). "
            "Usai apel, ASN membacakan ikrar netralitas dan menandatangani pakta integritas.")
    annotation = annotate(text, published="2024-09-23")
    types = sorted(e.type for e in annotation.events)
    assert types == ["apel", "deklarasi", "pakta_integritas"]
    assert {e.date for e in annotation.events} == {"2024-09-23"}
    assert {e.organizer_region for e in annotation.events} == {"Kabupaten Sanggau"}


def test_violation_counts_become_figures_with_scope() -> None:
    text = ("PALEMBANG - Bawaslu Sumatera Selatan mencatat 12 ASN dan 9 kepala desa dilaporkan melanggar "
            "netralitas, Jumat (15/11/2024). Kasus terbanyak berada di Kabupaten Banyuasin.")
    event = only(annotate(text, published="2024-11-16"), "pelanggaran")
    assert {f.number for f in event.figures} == {12, 9}
    assert event.organizer_region == "Provinsi Sumatera Selatan"
    assert "Kabupaten Banyuasin" in event.participant_regions


def test_the_voting_day_is_never_the_event_date() -> None:
    text = ("Bawaslu Kabupaten Sekadau menggelar sosialisasi netralitas kepala desa menjelang pemungutan suara "
            "27 November 2024.")
    event = only(annotate(text), "sosialisasi")
    assert event.date is None


def test_kemarin_is_read_against_the_publication_date() -> None:
    text = "Bawaslu Kota Singkawang menggelar rapat koordinasi netralitas ASN, Kamis (19/9/2024) kemarin."
    assert only(annotate(text, published="2024-09-20"), "rakor").date == dt.date(2024, 9, 19).isoformat()


def test_an_appeal_with_no_activity_is_relevant_without_events() -> None:
    text = ("Pj Gubernur Kalimantan Barat mengingatkan seluruh ASN agar menjaga netralitas. Menurutnya, "
            "ASN yang tidak netral akan dilaporkan.")
    annotation = annotate(text)
    assert annotation.relevant is True
    assert [e for e in annotation.events if e.type in ("rakor", "apel", "sosialisasi")] == []


def test_inflected_triggers_count() -> None:
    text = ("ASN se-Kota Singkawang mendeklarasikan netralitas dalam Pilkada 2024 di halaman balai kota, "
            "Kamis (26/9/2024).")
    event = only(annotate(text, published="2024-09-27"), "deklarasi")
    assert event.date == "2024-09-26"


def test_neutrality_in_the_next_paragraph_that_refers_back() -> None:
    text = ("Bawaslu Kota Singkawang melaksanakan sosialisasi pengawasan partisipatif di Hotel Swiss-Belinn "
            "Singkawang, Sabtu (21/9/2024).\n\nPelaksanaan sosialisasi ini merupakan bagian dari upaya memperkuat "
            "netralitas ASN.")
    event = only(annotate(text, published="2024-09-22"), "sosialisasi")
    assert event.organizer_region == "Kota Singkawang" and event.date == "2024-09-21"


def test_a_meanwhile_paragraph_does_not_lend_its_neutrality() -> None:
    text = ("Dinas Pertanian Kabupaten Sintang melaksanakan sosialisasi pupuk bersubsidi kepada petani, Senin "
            "(16/9/2024).\n\nSementara itu, Bawaslu mengingatkan netralitas ASN.")
    assert not [e for e in annotate(text, published="2024-09-17").events if e.type == "sosialisasi"]
