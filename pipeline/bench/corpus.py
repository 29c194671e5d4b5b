"""A generated corpus of realistic article pages for ``make bench``.

Articles are data (a title, paragraphs, a date, an author, a section) poured
through the five sample-outlet templates with
:func:`pipeline.sample_sites.render.render_article_page`, so every page carries
the chrome of a real platform (WordPress, Tribun, Drupal, Wix, Blogger). Texts
are recombined: ordinary regional news (roads, floods, prices, health,
schools, police, sport, budgets) is written from sentence templates filled with
regions and places from the gazetteer, invented officials and dates; about 2 %
are neutrality stories (rakor, sosialisasi, apel, ikrar, pakta integritas,
reported violations) that open with a generated lead and borrow paragraphs of
the sample outlets' own neutrality stories. The same seed gives the same pages.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import re
from dataclasses import dataclass
from typing import Any

from pipeline.sample_sites.render import (
    SITE_IDS,
    load_articles,
    prepare_article,
    render_article_page,
    site_config,
    slugify,
)
from pipeline.settings import MODELS_DIR

DEFAULT_SEED = 20240917
NEUTRAL_SHARE = 0.02

_DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
           "Oktober", "November", "Desember")
_FIRST = ("Ahmad", "Andi", "Budi", "Dedi", "Eko", "Fajar", "Hendra", "Irwan", "Joko", "Kurniawan", "Lukman",
          "Muhammad", "Nur", "Rahmat", "Slamet", "Taufik", "Wahyu", "Yusuf", "Agus", "Bambang", "Siti", "Dewi",
          "Sri", "Rina", "Yuliana", "Fitriani", "Hasanuddin", "Syamsul", "Arifin", "Rudi")
_LAST = ("Saputra", "Hidayat", "Santoso", "Wijaya", "Rahman", "Kusuma", "Nugroho", "Setiawan", "Syahputra",
         "Pratama", "Halim", "Lubis", "Siregar", "Nasution", "Tahir", "Makkasau", "Lamadjido", "Sinaga",
         "Harahap", "Gunawan", "Permana", "Ramadhan", "Firmansyah", "Sulaiman", "Hamzah")
_DATELINES = {
    "exposetimur": "Exposetimur.com – {place} – ",
    "tribunpontianak": "TRIBUNPONTIANAK.CO.ID, {PLACE} - ",
    "bawaslubuol": "{PLACE}, Bawaslu Kabupaten Buol - ",
    "kaltengnetwork": "KALTENG NETWORK, {PLACE} - ",
    "mediavers": "MEDIAVERS.ID, {PLACE} – ",
}

# Ordinary regional news: (tag, titles, lead sentences, body sentences, quotes, speaker titles).
_TOPICS: tuple[dict[str, Any], ...] = (
    {"tag": "Infrastruktur",
     "titles": ("Perbaikan Jalan di {place} Ditargetkan Rampung {month}",
                "Dinas PUPR {bare} Kebut Pembangunan Jembatan di {place}",
                "Warga {place} Keluhkan Jalan Rusak, Pemkab {bare} Janji Perbaiki Tahun Ini"),
     "leads": (("Pemerintah {region} melalui Dinas Pekerjaan Umum dan Penataan Ruang (PUPR) menargetkan perbaikan "
                "ruas jalan di Kecamatan {place} sepanjang {n} kilometer rampung pada akhir {month} {year}."),
               ("Pembangunan jembatan penghubung antardesa di {place}, {region}, sudah mencapai {pct} persen, "
                "kata pejabat Dinas PUPR saat meninjau lokasi, {day_date}.")),
     "body": (("Pekerjaan meliputi pengaspalan ulang, perbaikan drainase, serta penggantian {m} gorong-gorong yang "
               "rusak akibat banjir awal tahun."),
              "Anggaran proyek tersebut mencapai Rp {money} miliar yang bersumber dari APBD {year}.",
              ("Ruas jalan itu merupakan jalur utama distribusi hasil pertanian dari desa-desa di {place} menuju "
               "pusat kota."),
              "Selama ini warga mengeluhkan banyaknya lubang yang membuat waktu tempuh bertambah hingga satu jam.",
              "Kontraktor pelaksana diminta menjaga mutu pekerjaan dan mematuhi jadwal yang telah disepakati.",
              "Pengguna jalan diimbau berhati-hati saat melintas di lokasi pekerjaan, terutama pada malam hari."),
     "quotes": ("Progres fisik saat ini sudah mencapai {pct} persen. Kendala utama adalah cuaca",
                "Kami pastikan pekerjaan selesai tepat waktu dan kualitasnya sesuai kontrak"),
     "speakers": ("Kepala Dinas PUPR", "Bupati", "Sekda")},
    {"tag": "Bencana",
     "titles": ("Banjir Rendam {n} Rumah di {place}, Warga Mengungsi",
                "BPBD {bare} Siagakan Personel Hadapi Musim Hujan",
                "Tanah Longsor Tutup Akses Jalan di {place}"),
     "leads": (("Hujan deras yang mengguyur wilayah {region} sejak {day_date} malam menyebabkan banjir yang merendam "
                "sedikitnya {n} rumah warga di Kecamatan {place}."),
               ("Badan Penanggulangan Bencana Daerah (BPBD) {region} menyiagakan {n} personel menghadapi puncak "
                "musim hujan yang diperkirakan terjadi pada {month}.")),
     "body": ("Ketinggian air di permukiman warga mencapai {m}0 sentimeter hingga satu meter.",
              ("Sebagian warga mengungsi ke masjid dan balai desa terdekat, sementara yang lain bertahan di lantai "
               "dua rumah mereka."),
              "Petugas gabungan dari BPBD, TNI, Polri dan relawan membantu evakuasi warga lanjut usia dan anak-anak.",
              "Dapur umum didirikan di halaman kantor camat untuk memenuhi kebutuhan makan para pengungsi.",
              ("Tidak ada korban jiwa dalam peristiwa tersebut, namun kerugian materi ditaksir mencapai ratusan juta "
               "rupiah."),
              "BPBD meminta warga yang tinggal di bantaran sungai untuk tetap waspada."),
     "quotes": ("Kami sudah mendirikan posko dan menyalurkan bantuan logistik kepada warga terdampak",
                "Warga kami minta tidak panik dan segera melapor bila air kembali naik"),
     "speakers": ("Kepala BPBD", "Camat", "Bupati")},
    {"tag": "Ekonomi",
     "titles": ("Harga Cabai di Pasar {place} Tembus Rp {money}0 Ribu per Kilogram",
                "TPID {bare} Gelar Operasi Pasar Jaga Harga Beras",
                "Inflasi {bare} Terkendali, Pemkab Perluas Gerakan Pangan Murah"),
     "leads": (("Harga cabai rawit di Pasar {place}, {region}, terus merangkak naik dalam sepekan terakhir dan kini "
                "mencapai Rp {money}0 ribu per kilogram, {day_date}."),
               ("Tim Pengendalian Inflasi Daerah (TPID) {region} menggelar operasi pasar murah di {m} titik untuk "
                "menekan harga beras yang naik menjelang akhir tahun.")),
     "body": ("Kenaikan harga dipicu berkurangnya pasokan dari sentra produksi akibat cuaca yang tidak menentu.",
              "Pedagang mengaku omzet mereka turun karena pembeli mengurangi jumlah belanja.",
              "Operasi pasar menyediakan {n} ton beras medium dengan harga di bawah harga eceran tertinggi.",
              "Dinas Perindustrian dan Perdagangan memantau harga bahan pokok setiap hari di pasar tradisional.",
              "Pemerintah daerah juga bekerja sama dengan Bulog untuk menjamin ketersediaan stok hingga akhir tahun.",
              "Inflasi tahunan daerah itu tercatat {pct_small} persen, masih dalam rentang sasaran nasional."),
     "quotes": ("Stok aman, masyarakat tidak perlu membeli berlebihan",
                "Kami akan terus memantau harga agar daya beli warga tetap terjaga"),
     "speakers": ("Kepala Dinas Perindag", "Sekda", "Bupati")},
    {"tag": "Kesehatan",
     "titles": ("Angka Stunting di {bare} Turun Jadi {pct_small} Persen",
                "Dinkes {bare} Gencarkan Imunisasi Polio di {place}",
                "Puskesmas {place} Layani Warga Hingga Malam Hari"),
     "leads": (("Dinas Kesehatan {region} mencatat prevalensi stunting di daerah itu turun menjadi {pct_small} persen "
                "pada {year}, berkat intervensi gizi di {n} posyandu."),
               ("Dinas Kesehatan {region} menggencarkan imunisasi polio bagi anak usia nol hingga tujuh tahun di "
                "Kecamatan {place} sejak {day_date}.")),
     "body": ("Petugas kesehatan mendatangi rumah warga yang belum membawa anaknya ke posyandu.",
              "Sebanyak {n} kader posyandu dilatih untuk memantau tumbuh kembang balita setiap bulan.",
              "Pemberian makanan tambahan bagi ibu hamil dan balita dilakukan bersama tim penggerak PKK.",
              "Cakupan imunisasi sudah mencapai {pct} persen dari target yang ditetapkan.",
              "Warga diminta menjaga kebersihan lingkungan dan memastikan air minum layak konsumsi.",
              "Program ini didukung dana desa serta anggaran dari pemerintah provinsi."),
     "quotes": ("Kami ingin setiap anak di desa mendapatkan layanan kesehatan yang sama",
                "Penurunan stunting adalah kerja bersama, bukan hanya tugas dinas kesehatan"),
     "speakers": ("Kepala Dinas Kesehatan", "Wakil Bupati", "Camat")},
    {"tag": "Pendidikan",
     "titles": ("{n} Sekolah di {bare} Terima Bantuan Rehabilitasi Ruang Kelas",
                "Disdik {bare} Siapkan Seleksi Guru PPPK Tahun {year}",
                "Siswa SMA di {place} Raih Juara Olimpiade Sains Provinsi"),
     "leads": (("Sebanyak {n} sekolah dasar di {region} menerima bantuan rehabilitasi ruang kelas yang rusak "
                "berat, kata pejabat Dinas Pendidikan, {day_date}."),
               ("Dinas Pendidikan {region} menyiapkan seleksi {n} formasi guru Pegawai Pemerintah dengan "
                "Perjanjian Kerja (PPPK) yang akan digelar pada {month} {year}.")),
     "body": ("Bantuan tersebut bersumber dari Dana Alokasi Khusus bidang pendidikan.",
              "Sekolah penerima dipilih berdasarkan data kerusakan yang diverifikasi langsung oleh petugas.",
              "Selama perbaikan, kegiatan belajar mengajar dipindahkan sementara ke ruang perpustakaan.",
              "Kekurangan guru di daerah terpencil masih menjadi persoalan utama di {place}.",
              "Para kepala sekolah diminta mengawasi pekerjaan agar hasilnya bisa dipakai bertahun-tahun.",
              "Komite sekolah dilibatkan untuk memastikan penggunaan anggaran transparan."),
     "quotes": ("Kami ingin anak-anak belajar di ruang kelas yang aman dan nyaman",
                "Pemerataan guru tetap menjadi prioritas kami tahun depan"),
     "speakers": ("Kepala Dinas Pendidikan", "Bupati", "Sekda")},
    {"tag": "Hukum",
     "titles": ("Polres {bare} Ungkap Peredaran Sabu, {m} Tersangka Diamankan",
                "Kecelakaan Beruntun di Jalan Poros {place}, Dua Orang Luka",
                "Satlantas Polres {bare} Gelar Operasi Zebra di {place}"),
     "leads": (("Satuan Reserse Narkoba Polres {bare} mengamankan {m} tersangka pengedar sabu di Kecamatan {place}, "
                "{region}, dalam penggerebekan pada {day_date} dini hari."),
               ("Satuan Lalu Lintas Polres {bare} menggelar Operasi Zebra selama dua pekan di sejumlah ruas jalan "
                "di {place} mulai {day_date}.")),
     "body": ("Dari tangan tersangka polisi menyita {m}0 gram sabu, timbangan digital dan telepon genggam.",
              "Penangkapan berawal dari laporan warga yang resah dengan aktivitas mencurigakan di sebuah rumah.",
              "Para tersangka dijerat Undang-Undang Narkotika dengan ancaman hukuman di atas lima tahun penjara.",
              "Selama operasi petugas menindak {n} pelanggaran, sebagian besar pengendara tanpa helm.",
              "Polisi mengimbau orang tua mengawasi anak-anak mereka yang belum cukup umur mengendarai sepeda motor.",
              "Kasus tersebut kini ditangani penyidik dan berkas perkaranya segera dilimpahkan ke kejaksaan."),
     "quotes": ("Kami tidak akan memberi ruang bagi peredaran narkoba di wilayah hukum kami",
                "Keselamatan berlalu lintas dimulai dari kesadaran diri sendiri"),
     "speakers": ("Kapolres", "Kasat Reskrim Polres", "Kasat Lantas Polres")},
    {"tag": "Olahraga",
     "titles": ("Kontingen {bare} Targetkan {m} Besar di Porprov {year}",
                "Turnamen Sepak Bola Antar-Desa di {place} Diikuti {n} Tim",
                "Atlet Dayung {bare} Sumbang Emas di Kejurprov"),
     "leads": (("Kontingen {region} menargetkan masuk {m} besar pada Pekan Olahraga Provinsi (Porprov) {year} yang "
                "akan digelar pada {month}."),
               ("Turnamen sepak bola antar-desa di Kecamatan {place}, {region}, resmi dibuka pada {day_date} dan "
                "diikuti {n} tim.")),
     "body": ("Sebanyak {n} atlet dari berbagai cabang olahraga telah menjalani pemusatan latihan selama tiga bulan.",
              "Pemerintah daerah menyiapkan bonus bagi atlet yang berhasil meraih medali.",
              "Pertandingan pembuka berlangsung meriah dan disaksikan ribuan penonton.",
              "Panitia berharap turnamen ini melahirkan bibit pemain muda berbakat dari desa.",
              "Cabang olahraga unggulan daerah itu antara lain dayung, pencak silat dan atletik.",
              "KONI daerah meminta para pelatih menjaga kondisi fisik atlet menjelang pertandingan."),
     "quotes": ("Kami optimistis target itu bisa dicapai dengan persiapan yang matang",
                "Olahraga adalah cara terbaik menjauhkan anak muda dari narkoba"),
     "speakers": ("Ketua KONI", "Bupati", "Kepala Dinas Pemuda dan Olahraga")},
    {"tag": "Pemerintahan",
     "titles": ("DPRD {bare} Sahkan APBD {year_next} Sebesar Rp {money} Triliun",
                "Pemkab {bare} Salurkan Bantuan Bibit Padi untuk {n} Petani",
                "Bupati {bare} Lantik {n} Pejabat Eselon III"),
     "leads": (("Dewan Perwakilan Rakyat Daerah (DPRD) {region} menyetujui Rancangan Peraturan Daerah tentang APBD "
                "{year_next} dalam rapat paripurna di gedung dewan, {day_date}."),
               ("Pemerintah {region} menyalurkan bantuan bibit padi unggul dan pupuk kepada {n} petani di "
                "Kecamatan {place}, {day_date}.")),
     "body": ("Pendapatan daerah diproyeksikan naik dibanding tahun sebelumnya, terutama dari pajak daerah.",
              "Belanja infrastruktur dan pelayanan dasar mendapat porsi terbesar dalam anggaran tersebut.",
              "Seluruh fraksi menyampaikan pandangan akhir dan menyetujui rancangan itu dengan sejumlah catatan.",
              "Bantuan diberikan kepada kelompok tani yang lahannya terdampak kekeringan musim lalu.",
              "Penyuluh pertanian akan mendampingi petani mulai masa tanam hingga panen.",
              "Pemerintah daerah berharap produksi gabah meningkat {pct_small} persen tahun depan."),
     "quotes": ("Anggaran ini harus benar-benar dirasakan manfaatnya oleh masyarakat",
                "Petani adalah tulang punggung ekonomi daerah kita"),
     "speakers": ("Ketua DPRD", "Bupati", "Kepala Dinas Pertanian")},
)

# Sentences any regional story may carry.
_GENERIC = (
    "Kegiatan tersebut turut dihadiri unsur Forkopimda {region}, para camat, serta tokoh masyarakat setempat.",
    "Ia berharap program serupa dapat dilaksanakan secara berkelanjutan di seluruh kecamatan.",
    "Menurut dia, koordinasi lintas sektor menjadi kunci keberhasilan program tersebut.",
    "Pemerintah {region} juga membuka layanan pengaduan bagi warga yang ingin menyampaikan keluhan.",
    "Hal itu disampaikan usai rapat bersama jajaran organisasi perangkat daerah di kantor bupati.",
    "Data tersebut akan dievaluasi setiap tiga bulan untuk menentukan langkah berikutnya.",
    "Sejumlah warga yang ditemui mengaku menyambut baik langkah pemerintah daerah itu.",
    "Ke depan, pemerintah daerah akan melibatkan perguruan tinggi untuk melakukan kajian yang lebih mendalam.",
    "Program tersebut sejalan dengan rencana pembangunan jangka menengah daerah {bare}.",
    "Camat {place}, {name}, menyatakan pihaknya siap mendukung pelaksanaan kegiatan tersebut di tingkat desa.",
    "Ia juga mengingatkan agar seluruh pihak mengedepankan transparansi dan akuntabilitas.",
    "Hingga berita ini diturunkan, petugas masih melakukan pendataan di lapangan.",
    "Pemerintah {province} memberikan dukungan anggaran untuk kegiatan tersebut.",
    "Seorang warga {place}, {name2}, mengatakan perubahan mulai terasa dalam beberapa bulan terakhir.",
    "Kepala desa setempat berjanji menyampaikan informasi itu kepada warga melalui pengeras suara masjid.",
    "Langkah itu diambil setelah evaluasi bersama dinas terkait pada awal {month}.",
    "Pihaknya menargetkan seluruh tahapan kegiatan selesai sebelum akhir tahun anggaran {year}.",
    "Warga yang membutuhkan informasi lebih lanjut dapat mendatangi kantor kecamatan pada jam kerja.",
)

# Neutrality stories: (event tag, title, lead). The body borrows the sample outlets' neutrality paragraphs.
_NEUTRAL: tuple[tuple[str, str, str], ...] = (
    ("Rakor", "Bawaslu {bare} Gelar Rakor Netralitas ASN Jelang Pilkada",
     ("Badan Pengawas Pemilu (Bawaslu) {region} menggelar Rapat Koordinasi (Rakor) Pengawasan Netralitas Aparatur "
      "Sipil Negara (ASN) bersama pemerintah daerah dan camat se-{bare} di {place}, {day_date}.")),
    ("Sosialisasi", "Pemkab {bare} Sosialisasikan Netralitas ASN kepada Camat dan Lurah",
     ("Pemerintah {region} menggelar sosialisasi netralitas Aparatur Sipil Negara (ASN) bagi camat, lurah dan "
      "kepala perangkat daerah di aula kantor bupati, {day_date}.")),
    ("Apel", "Ratusan ASN {bare} Ikuti Apel dan Ikrar Netralitas",
     ("Sekitar {n} Aparatur Sipil Negara (ASN) di lingkungan Pemerintah {region} mengikuti apel dan ikrar "
      "netralitas menjelang Pilkada Serentak 2024 di halaman kantor bupati, {day_date}.")),
    ("Pakta Integritas", "Kepala Desa se-{bare} Tandatangani Pakta Integritas Netralitas",
     ("Sebanyak {n} kepala desa se-{region} menandatangani pakta integritas netralitas dalam Pilkada Serentak "
      "2024 yang disaksikan Bawaslu dan Forkopimda, {day_date}.")),
    ("Pelanggaran", "Bawaslu {bare} Temukan {m} ASN Diduga Tidak Netral",
     ("Badan Pengawas Pemilu (Bawaslu) {region} menemukan {m} Aparatur Sipil Negara (ASN) yang diduga melanggar "
      "netralitas karena mengunggah dukungan kepada pasangan calon di media sosial, {day_date}.")),
)


@dataclass(frozen=True)
class BenchPage:
    """One generated page as served and stored."""

    site: str
    url: str
    html: str
    neutral: bool


@dataclass(frozen=True)
class _Region:
    code: str
    kind: str
    name: str
    bare: str
    province: str


def _regions() -> tuple[list[_Region], dict[str, list[str]]]:
    with (MODELS_DIR / "gazetteer" / "regions.tsv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))[1:]
    regions = [_Region(r[0], r[1], r[2], r[3], r[5]) for r in rows if r[1] in ("kabupaten", "kota")]
    places: dict[str, list[str]] = {}
    with (MODELS_DIR / "gazetteer" / "non_regions.tsv").open(encoding="utf-8") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if len(row) >= 3 and not row[0].startswith("#"):
                places.setdefault(row[2], []).append(row[0])
    return regions, places


def _paragraphs(record: dict[str, Any]) -> list[str]:
    body = record["body"]
    items = re.split(r"\n\s*\n", body) if isinstance(body, str) else body
    return [str(p).strip() for p in items if str(p).strip()]


def _sample_pools() -> tuple[list[str], list[str]]:
    """Body paragraphs (not leads, which carry a dateline) of the sample neutrality and ordinary stories."""
    neutral, ordinary = [], []
    for record in load_articles():
        if record.get("syndicated_from"):
            continue
        pool = ordinary if record.get("kind") == "near_miss" else neutral
        pool.extend(_paragraphs(record)[1:])
    return neutral, ordinary


def _day_date(day: dt.date) -> str:
    return f"{_DAYS[day.weekday()]} ({day.day}/{day.month}/{day.year})"


class CorpusGenerator:
    """Deterministic records for ``render_article_page``; ``neutral_share`` of them are neutrality stories."""

    def __init__(self, seed: int = DEFAULT_SEED, neutral_share: float = NEUTRAL_SHARE) -> None:
        self.seed = seed
        self.neutral_share = neutral_share
        self.regions, self.places = _regions()
        self.neutral_pool, self.ordinary_pool = _sample_pools()
        self.authors = {s: sorted({str(a.get("author")) for a in load_articles() if a["site"] == s and a.get("author")})
                        for s in SITE_IDS}

    def records(self, n: int) -> list[dict[str, Any]]:
        rng = random.Random(self.seed)
        neutral = set(rng.sample(range(n), max(1, round(n * self.neutral_share)))) if n else set()
        return [self._record(rng, index, index in neutral) for index in range(n)]

    def _slots(self, rng: random.Random, region: _Region, day: dt.date) -> dict[str, Any]:
        place = rng.choice(self.places.get(region.code) or [region.bare])
        return {
            "region": region.name, "bare": region.bare, "place": place, "PLACE": place.upper(),
            "province": region.province, "name": self._name(rng), "name2": self._name(rng),
            "day_date": _day_date(day), "month": _MONTHS[(day.month + rng.randint(0, 2)) % 12],
            "year": day.year, "year_next": day.year + 1, "n": rng.randint(12, 480), "m": rng.randint(2, 9),
            "pct": rng.randint(35, 97), "pct_small": f"{rng.randint(1, 29)},{rng.randint(0, 9)}",
            "money": rng.randint(2, 95),
        }

    @staticmethod
    def _name(rng: random.Random) -> str:
        return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"

    def _official(self, rng: random.Random, title: str, region: _Region) -> str:
        if title == "Bupati" and region.kind == "kota":
            title = "Wali Kota"
        return f"{title} {region.bare}, {self._name(rng)}"

    @staticmethod
    def _chunk(rng: random.Random, sentences: list[str]) -> list[str]:
        """Sentences, each used once, as paragraphs of one to three."""
        paragraphs = []
        while sentences:
            take = rng.randint(1, 3)
            paragraphs.append(" ".join(sentences[:take]))
            sentences = sentences[take:]
        return paragraphs

    def _record(self, rng: random.Random, index: int, neutral: bool) -> dict[str, Any]:
        site = SITE_IDS[index % len(SITE_IDS)]
        config = site_config(site)
        region = rng.choice(self.regions)
        day = dt.date(2024, 8, 1) + dt.timedelta(days=rng.randint(0, 121))
        slots = self._slots(rng, region, day - dt.timedelta(days=rng.randint(0, 2)))
        dateline = _DATELINES[site].format(**slots)
        if neutral:
            tag, title, lead = rng.choice(_NEUTRAL)
            speaker = self._official(rng, rng.choice(("Ketua Bawaslu", "Bupati", "Sekda")), region)
            body = [lead.format(**slots)]
            body += rng.sample(self.neutral_pool, rng.randint(3, 5))
            body.insert(2, (f"“Kami minta seluruh ASN menjaga netralitas dan tidak terlibat politik praktis,” "
                            f"kata {speaker}."))
            body += self._chunk(rng, [g.format(**slots) for g in rng.sample(_GENERIC, rng.randint(2, 5))])
            tags = ["Netralitas ASN", tag, region.bare]
        else:
            topic = rng.choice(_TOPICS)
            title = rng.choice(topic["titles"])
            body = [rng.choice(topic["leads"]).format(**slots)]
            sentences = [s.format(**slots) for s in topic["body"]]
            sentences += [g.format(**slots) for g in rng.sample(_GENERIC, rng.randint(5, 10))]
            rng.shuffle(sentences)
            body += self._chunk(rng, sentences)
            for quote in rng.sample(topic["quotes"], 2):
                speaker = self._official(rng, rng.choice(topic["speakers"]), region)
                body.insert(rng.randint(1, len(body)), (f"“{quote.format(**slots)},” kata {speaker}, "
                                                        f"{slots['day_date']}."))
            for paragraph in rng.sample(self.ordinary_pool, rng.randint(0, 2)):
                body.insert(rng.randint(2, len(body)), paragraph)
            tags = [topic["tag"], region.bare]
        body[0] = dateline + body[0]
        title = title.format(**slots)
        hour, minute = rng.randint(6, 22), rng.randint(0, 59)
        published = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=config["tz"])
        return {
            "id": f"bench-{index:06d}",
            "site": site,
            "neutral": neutral,
            "title": title,
            "slug": f"{slugify(title, 70)}-{index}",
            "section": rng.choice(config["sections"])["id"],
            "published": published.isoformat(),
            "author": rng.choice(self.authors[site] or [config["default_author"]]),
            "tags": tags,
            "caption": f"Suasana kegiatan di {slots['place']}, {region.name}, {slots['day_date']}.",
            "body": body,
        }


def render_pages(records: list[dict[str, Any]], base_urls: dict[str, str]) -> list[BenchPage]:
    """Each record in its site's template, as served from ``base_urls[site]``."""
    pages = []
    for record in records:
        site = record["site"]
        view = {k: v for k, v in record.items() if k not in ("site", "neutral")}
        html = render_article_page(site, base_urls[site], view)
        url = prepare_article(site, base_urls[site], view)["url"]
        pages.append(BenchPage(site, url, html, bool(record["neutral"])))
    return pages
