"""Officials, by class of post: each head family with its acting prefixes, units with numbers, bodies,
both name orders and English posts. The sentences are constructed for each class (not copied from the
development set), so a test fails when its class breaks."""

from __future__ import annotations

import pytest

from pipeline.nlp.components import shared_gazetteer, shared_tagger
from pipeline.nlp.officials import extract_officials

Found = tuple[str, str | None, str | None]


def officials(text: str) -> list[Found]:
    return [(o.name, o.title, o.region) for o in extract_officials(text, shared_gazetteer(), shared_tagger().find(text))]


@pytest.mark.parametrize("text, expected", [
    # Heads of regional government, with Pj/Pjs/Plt prefixes.
    ("Penjabat Sementara (Pjs) Bupati Sleman, Suparmono, membuka kegiatan.",
     ("Suparmono", "Penjabat Sementara (Pjs) Bupati", "Kabupaten Sleman")),
    ("Bupati Sleman Kustini Sri Purnomo dan Wakil Bupati Danang Maharsa hadir.",
     ("Danang Maharsa", "Wakil Bupati", "Kabupaten Sleman")),
    ("Sekretaris Daerah (Sekda) Kabupaten Gunungkidul Sri Suhartanta memimpin apel.",
     ("Sri Suhartanta", "Sekretaris Daerah (Sekda)", "Kabupaten Gunungkidul")),
    ("Hal itu dikatakan bupati Sleman, Kustini Sri Purnomo, kepada wartawan.",
     ("Kustini Sri Purnomo", "bupati", "Kabupaten Sleman")),  # lower case mid-sentence
    ("Inspektur Daerah Kota Yogyakarta Hardjuno Wiwoho meminta ASN netral.",
     ("Hardjuno Wiwoho", "Inspektur Daerah", "Kota Yogyakarta")),
    # Agency heads: Kepala + unit (Dinas, Badan, Bidang, Biro...), Kaban/Kadis/Kalak + abbreviation.
    ("Plt Kepala Dinas Sosial Kabupaten Sleman, Budi Hartono, mengatakan bantuan sudah disalurkan.",
     ("Budi Hartono", "Plt Kepala Dinas Sosial", "Kabupaten Sleman")),
    ("Pelaksana Tugas (Plt) Kepala BKPSDM Kabupaten Bantul, Sulistyanta, mengingatkan ASN.",
     ("Sulistyanta", "Pelaksana Tugas (Plt) Kepala BKPSDM", "Kabupaten Bantul")),
    ("Kaban Kesbangpol Kota Bogor Rakhmawati menyampaikan sambutan.",
     ("Rakhmawati", "Kaban Kesbangpol", "Kota Bogor")),
    ("Kalak BPBD Kabupaten Bantul, Agus Yuli Herwanto, meminta warga waspada.",
     ("Agus Yuli Herwanto", "Kalak BPBD", "Kabupaten Bantul")),
    ("Kepala Pelaksana BPBD Kabupaten Klaten, Jajang Prihono, mengatakan.",
     ("Jajang Prihono", "Kepala Pelaksana BPBD", "Kabupaten Klaten")),
    ("Kepala Bidang Ideologi dan Wawasan Kebangsaan Kesbangpol Kota Malang, Agus Salim, menjelaskan aturan.",
     ("Agus Salim", "Kepala Bidang Ideologi dan Wawasan Kebangsaan Kesbangpol", "Kota Malang")),
    ("Kepala Dinas Pekerjaan Umum dan Penataan Ruang (PUPR) Kabupaten Klaten Sri Nugroho meninjau jalan.",
     ("Sri Nugroho", "Kepala Dinas Pekerjaan Umum dan Penataan Ruang (PUPR)", "Kabupaten Klaten")),
    # Staf Ahli, Asisten, Analis, Deputi, Direktur Jenderal.
    ("Staf Ahli Bupati Bidang Hukum dan Politik, Dewi Lestari, membuka sosialisasi.",
     ("Dewi Lestari", "Staf Ahli Bupati Bidang Hukum dan Politik", None)),
    ("Asisten Pemerintahan dan Kesra Setda Kabupaten Sragen, Joko Suratno, membacakan sambutan.",
     ("Joko Suratno", "Asisten Pemerintahan dan Kesra Setda", "Kabupaten Sragen")),
    ("Analis Kebijakan BKPSDM Kabupaten Tegal, Siti Aminah, memaparkan materi.",
     ("Siti Aminah", "Analis Kebijakan BKPSDM", "Kabupaten Tegal")),
    ("Deputi Bidang Pengawasan Kemenpan-RB, Bambang Dayanto, menegaskan sanksi.",
     ("Bambang Dayanto", "Deputi Bidang Pengawasan Kemenpan-RB", "Nasional")),
    ("Direktur Jenderal Otonomi Daerah Kemendagri Akmal Malik mengatakan hal itu.",
     ("Akmal Malik", "Direktur Jenderal Otonomi Daerah Kemendagri", "Nasional")),
    # Ministers and ministries, national unless a regional office is named.
    ("Menteri Dalam Negeri (Mendagri) Tito Karnavian meminta kepala daerah netral.",
     ("Tito Karnavian", "Menteri Dalam Negeri (Mendagri)", "Nasional")),
    ("Wakil Menteri Keuangan Anggito Abimanyu hadir.", ("Anggito Abimanyu", "Wakil Menteri Keuangan", "Nasional")),
    ("Kepala Kantor Kementerian Agama (Kemenag) Kabupaten Sleman, Ahmad Shidqi, mengajak ASN netral.",
     ("Ahmad Shidqi", "Kepala Kantor Kementerian Agama (Kemenag)", "Kabupaten Sleman")),
    ("Panglima TNI Jenderal TNI Agus Subiyanto memerintahkan prajurit netral.",
     ("Agus Subiyanto", "Panglima TNI", "Nasional")),
    # Election bodies: Ketua, Anggota, Komisioner, Koordinator Divisi (typos of Koordinator included).
    ("Koordinator Divisi Pencegahan dan Partisipasi Masyarakat Bawaslu Kota Surabaya, Novli Thyssen, hadir.",
     ("Novli Thyssen", "Koordinator Divisi Pencegahan dan Partisipasi Masyarakat Bawaslu", "Kota Surabaya")),
    ("Kordinator Divisi Hukum Bawaslu Kabupaten Kebumen, Arif Rahman, menjelaskan.",
     ("Arif Rahman", "Kordinator Divisi Hukum Bawaslu", "Kabupaten Kebumen")),
    ("Komisioner KPU Kota Semarang, Novi Maria Ulfah, hadir.", ("Novi Maria Ulfah", "Komisioner KPU", "Kota Semarang")),
    ("Kepala Sekretariat Bawaslu Kabupaten Sragen, Bambang Wijaya, menyiapkan acara.",
     ("Bambang Wijaya", "Kepala Sekretariat Bawaslu", "Kabupaten Sragen")),
])
def test_civil_and_election_posts(text: str, expected: Found) -> None:
    assert expected in officials(text)


@pytest.mark.parametrize("text, expected", [
    # Police: Ka-/Waka- commands, staff units after Kasat/Kabag/Kabid, ranks stripped.
    ("Kasat Reskrim Polres Sleman AKP Riski Adrian memimpin penyelidikan.",
     ("Riski Adrian", "Kasat Reskrim Polres", "Kabupaten Sleman")),
    ("Plh Kabag Ops Polres Bantul Kompol Bambang Sutejo memberi arahan.",
     ("Bambang Sutejo", "Plh Kabag Ops Polres", "Kabupaten Bantul")),
    ("Kabid Humas Polda Jawa Timur Kombes Pol Dirmanto mengatakan.",
     ("Dirmanto", "Kabid Humas Polda", "Provinsi Jawa Timur")),
    ("Wakapolda Jawa Tengah Brigjen Pol Agus Suryonugroho memberi arahan.",
     ("Agus Suryonugroho", "Wakapolda", "Provinsi Jawa Tengah")),
    ("Kapolresta Yogyakarta Kombes Pol Aditya Surya Dharma memimpin apel.",
     ("Aditya Surya Dharma", "Kapolresta", "Kota Yogyakarta")),
    ("Waka Polres Klaten Kompol Sutrisno hadir.", ("Sutrisno", "Waka Polres", "Kabupaten Klaten")),
    ("Kasatreskrim Polres Sleman AKP Riski Adrian memimpin penyelidikan.",
     ("Riski Adrian", "Kasatreskrim Polres", "Kabupaten Sleman")),
    ("Kapolres Sleman AKBP Yuswanto Ardi melalui Kasihumas AKP Edy Widaryanta menjelaskan.",
     ("Edy Widaryanta", "Kasihumas", "Kabupaten Sleman")),
    ("Kepala Kepolisian Resor (Kapolres) Sleman AKBP Edy Setyanto memimpin apel.",
     ("Edy Setyanto", "Kepala Kepolisian Resor (Kapolres)", "Kabupaten Sleman")),
    ("Wabup Sleman Danang Maharsa hadir.", ("Danang Maharsa", "Wabup", "Kabupaten Sleman")),
    # Military: Dandim/Kasdim/Danramil with unit numbers, Pasi + Kodim, Komandan + Kodim.
    ("Apel dipimpin Dandim 0732/Sleman Letkol Inf. Joko Santoso, S.IP.",
     ("Joko Santoso", "Dandim 0732", "Kabupaten Sleman")),
    ("Kasdim 0611/Garut Mayor Inf Dedi Kurniawan membuka acara.", ("Dedi Kurniawan", "Kasdim 0611", "Kabupaten Garut")),
    ("Danramil 0801/Pacitan Kapten Inf Suparno turut hadir.", ("Suparno", "Danramil 0801", "Kabupaten Pacitan")),
    ("Pasi Ops Kodim 0734/Yogyakarta Kapten Arm Hendra Wijaya menyampaikan materi.",
     ("Hendra Wijaya", "Pasi Ops Kodim 0734", "Kota Yogyakarta")),
    ("Komandan Kodim (Dandim) 0726 Sukoharjo Letkol (Inf) Tri Haryanto membuka apel.",
     ("Tri Haryanto", "Komandan Kodim (Dandim) 0726", "Kabupaten Sukoharjo")),
    # Prosecutors and local posts.
    ("Kepala Seksi Pidana Umum Kejari Sleman, Indra Aprio, menjelaskan.",
     ("Indra Aprio", "Kepala Seksi Pidana Umum Kejari", "Kabupaten Sleman")),
    ("Kepala Desa Sukamaju, Kecamatan Cibeber, Kabupaten Cianjur, Dedi Mulyadi, dijatuhi sanksi.",
     ("Dedi Mulyadi", "Kepala Desa", "Kabupaten Cianjur")),
])
def test_police_military_and_local_posts(text: str, expected: Found) -> None:
    assert expected in officials(text)


@pytest.mark.parametrize("text, name, title", [
    ("Lurah Sungai Bambu Ahmad Fauzi menerima laporan warga.", "Ahmad Fauzi", "Lurah"),
    ("Sekretaris Camat Tanjung Priok Rina Kartika membuka rapat.", "Rina Kartika", "Sekretaris Camat"),
    ("Camat Tanjung Priok, Siti Rahma, hadir.", "Siti Rahma", "Camat"),
    ("Keuchik Gampong Meunasah Baro, Abdullah Yusuf, mengaku siap netral.", "Abdullah Yusuf", "Keuchik"),
    ("Ketua Panwascam Cisolok Asep Saepudin, saat diwawancarai, menyampaikan hal itu.", "Asep Saepudin",
     "Ketua Panwascam"),
    ("Ketua Panwaslu Kecamatan Mlati, Budi Hartono, membuka acara.", "Budi Hartono", "Ketua Panwaslu Kecamatan"),
    ("Acara dihadiri Wakapolsek AKP Syamsul Bahri, S.H., bersama tokoh masyarakat.", "Syamsul Bahri", "Wakapolsek"),
])
def test_village_and_district_posts_name_the_place_then_the_person(text: str, name: str, title: str) -> None:
    assert [(n, t) for n, t, _ in officials(text)] == [(name, title)]


@pytest.mark.parametrize("text, expected", [
    ("Budi Santoso, Kepala Kesbangpol Kota Malang, menegaskan ASN harus netral.",
     ("Budi Santoso", "Kepala Kesbangpol", "Kota Malang")),
    ("Andi Wijaya selaku Ketua Bawaslu Kabupaten Bone mengatakan pengawasan diperketat.",
     ("Andi Wijaya", "Ketua Bawaslu", "Kabupaten Bone")),
    ("Budi Santoso Ketua Bawaslu Sleman mengatakan hal itu.", ("Budi Santoso", "Ketua Bawaslu", "Kabupaten Sleman")),
    ("Sanksi dijatuhkan kepada Rudi Hermawan (Kepala Dinas Perhubungan Kabupaten Kendal).",
     ("Rudi Hermawan", "Kepala Dinas Perhubungan", "Kabupaten Kendal")),
    ("Materi disampaikan oleh Hartono Kasdim 0726 Sukoharjo, Sri Wahyuni Kabid Mutasi BKPSDM Sukoharjo.",
     ("Hartono", "Kasdim 0726", "Kabupaten Sukoharjo")),
    ("Kegiatan dihadiri Ketua dan Anggota Bawaslu Kota Bandung Yusuf Kurnia, Harlan, Dewi Lestari, dan "
     "Ahmad Fauzi, Ketua KPU Kota Bandung Wenti Frihadianti.",
     ("Ahmad Fauzi", "Ketua dan Anggota Bawaslu", "Kota Bandung")),
])
def test_name_before_the_post_and_member_lists(text: str, expected: Found) -> None:
    assert expected in officials(text)


def test_the_person_after_a_list_belongs_to_the_next_post() -> None:
    found = officials("Materi disampaikan oleh Hartono Kasdim 0726 Sukoharjo, Sri Wahyuni Kabid Mutasi BKPSDM "
                      "Sukoharjo.")
    assert ("Sri Wahyuni", "Kabid Mutasi BKPSDM", "Kabupaten Sukoharjo") in found
    assert len(found) == 2


@pytest.mark.parametrize("text, expected", [
    ("Acting Governor of Bali Sang Made Mahendra Jaya said civil servants must stay neutral.",
     ("Sang Made Mahendra Jaya", "Acting Governor", "Provinsi Bali")),
    ("Regional Secretary of Central Java Sumarno said the rule applies to all of the staff.",
     ("Sumarno", "Regional Secretary", "Provinsi Jawa Tengah")),
    ("Minister of Home Affairs Tito Karnavian said the ministry would act on the reports.",
     ("Tito Karnavian", "Minister", "Nasional")),
    ("The Deputy for political affairs at the Ministry of Home Affairs, Budi Prasetyo, said the rules "
     "were clear.", ("Budi Prasetyo", "Deputy for political affairs", "Nasional")),
    ("Deputy for Supervision of the State Civil Service Agency (BKN) Rina Kusuma said the cases were "
     "being processed.", ("Rina Kusuma", "Deputy for Supervision", "Nasional")),
    ("Head of the State Civil Service Agency (BKN) Joko Santosa said the agency would act.",
     ("Joko Santosa", "Head", "Nasional")),
])
def test_english_posts(text: str, expected: Found) -> None:
    assert expected in officials(text)


def test_mayor_in_indonesian_text_is_a_rank_not_a_post() -> None:
    assert officials("Kasdim 0611/Garut Mayor Inf Dedi Kurniawan membuka acara dan memberi arahan.") == [
        ("Dedi Kurniawan", "Kasdim 0611", "Kabupaten Garut")]


@pytest.mark.parametrize("text", [
    "Wakil Ketua DPRD Sleman Arif Kurniawan mengkritik kebijakan itu.",
    "Anggota DPRD Kabupaten Sleman, Budi Susanto, mengkritik kebijakan itu.",
    "Ketua Umum Partai Golkar Airlangga Hartarto hadir.",
    "Kepala Sekolah SMAN 1 Sleman, Budi Rahardjo, menyambut siswa.",
    "Kepala Bagian Humas PT Angkasa Pura, Yudi Sasongko, menjelaskan.",
    "Kepala Pusat Studi Pancasila Universitas Gadjah Mada, Agus Wahyudi, berpendapat.",
    "Koordinator Liputan Harian Jogja, Sunarto, menulis.",
    "Ketua Tim Pemenangan Paslon Nomor 1, Sugeng Riyadi, membantah.",
    "calon Bupati Sleman Harda Kiswaya mendaftar ke KPU.",
    "Ketua RT 05 Budi Santoso melapor ke polisi.",
])
def test_legislators_candidates_and_private_posts_are_not_officials(text: str) -> None:
    assert officials(text) == []
