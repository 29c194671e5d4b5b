"""The source registry: the validator's error messages and the shipped files in data/sources/."""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from lokal import wilayah

from pipeline.registry import RegistryError, Source, load_file, load_registry

SOURCES = Path(__file__).resolve().parents[1] / "data" / "sources"

# Province code -> time zone (Kemendagri province codes; Papua's 2022 provinces are 93-96).
WIB = {"11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35", "36", "61", "62"}
WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
WIT = {"81", "82", "91", "92", "93", "94", "95", "96"}

# Hosts of the seed articles (shared/seeds) and URLs of the development set (shared/devset/articles/*.json, `url`,
# tracking query dropped). The registry must crawl every outlet the project's fixtures come from, and its article
# patterns must accept these known article URLs.
SEED_HOSTS = {"exposetimur.com", "buol.bawaslu.go.id", "mediavers.id", "pontianak.tribunnews.com"}
DEVSET_URLS = (
    "https://swarafakta.my.id/berita/diduga-tidak-netral-12-asn-dan-9-kades-di-sumsel-dilaporkan-ke-bawaslu-96426",
    "https://tribratanews.lampung.polri.go.id/detail-post/bawaslu-fasilitasi-ikrar-netralitas-kepala-desa-se-lampung-selatan",
    "https://sumsel.antaranews.com/amp/berita/762745/bawaslu-sumsel-tindaklanjuti-laporan-12-asn-terkait-netralitas",
    "https://halmaheraraya.id/masita-64-asn-langgar-netralitas-asn",
    "https://waktu.news/wah-bawaslu-boltim-rekom-dua-oknum-kadis-ke-bkn-terkait-netralitas-asn",
    "https://jpnn.com/news/bawaslu-jabarkan-tren-dugaan-pelanggaran-netralitas-kepala-desa-di-rakornas-pemda",
    "https://read.id/bawaslu-kota-gorontalo-ingatkan-netralitas-asn-pada-pilkada-2024",
    "https://wartabalionline.com/2024/08/22/pemprov-bali-gandeng-bawaslu-gelar-sosialisasi-netralitas-asn-dan-non-asn",
    "https://gresriau.com/berita/696/rakor-bawaslu-rohil-menjaga-netralitas-asn-dan-tni-polri-jelang-pilkada-2024",
    "https://scientia.id/?p=67842",
    "https://www.metrotvnews.com/read/NQACq9M5-kades-di-semarang-disanksi-usai-bonceng-pendukung-paslon",
    "https://www.antaranews.com/berita/3854925/asn-pemprov-ntb-berikrar-netral-pada-pemilu-2024",
    "https://www.detik.com/sulsel/berita/d-7145529/sungai-pongkeru-luwu-timur-meluap-70-rumah-warga-terendam-banjir",
    "https://wartaperempuan-indonesia.com/politik/pj-gubernur-ntt-andriko-noto-susanto-asn-tni-dan-polri-tetap-jaga-netralitas-pada-pemilihan-kepala-daerah-serentak-tahun-2024",
    "https://jabar.inews.id/amp/berita/perindo-bersama-parpol-koalisi-antar-dadang-ali-daftar-pilkada-kabupaten-bandung-ke-kpu/1",
    "https://harianborneo.com/sosialisasi-netralitas-asn-di-loa-janan-pjs-bupati-kukar-soroti-kerawanan-pilkada/",
    "https://pancar.id/2217/bawaslu-kota-banjar-tempatkan-petugas-untuk-jaga-netralitas-asn-menjelang-pemilu-2024",
    "https://waspada.id/aceh/ribuan-asn-agara-apel-netralitas-pilkada",
    "https://papuainside.id/?p=62533",
    "https://telisik.id/amp/detail/kpu-gelar-deklarasi-kampanye-damai-ingatkan-paslon-hindari-hoaks-isu-sara-dan-adu-domba",
    "https://sebar.co.id/deklarasi-netralitas-asn-lotim-pada-pilkada-begini-penjelasan-pj-bupati-dan-pj-gubernur-ntb/",
    "https://gayo.tribunnews.com/2024/09/26/jelang-pilkada-2024-pj-bupati-aceh-tenggara-ingatkan-asn-dan-pengulu-kute-untuk-bersikap-netral",
    "https://kaltimkita.com/detailpost/pemkab-kukar-sosialisasikan-netralitas-asn",
    "https://centralberita.id/2024/03/01/gubernur-arinal-lantik-marindo-kurniawan-jadi-pj-bupati-pringsewu/",
    "https://bawaslu.go.id/en/node/7885",
    "https://diskominfomc.kalselprov.go.id/2024/09/24/apel-siaga-pengawasan-pilkada-kalsel-2024-pemprov-kalsel-terus-kawal-keamanan-dan-kelancaran-pesta-demokrasi",
    "https://kabarbanten.pikiran-rakyat.com/seputar-banten/pr-598123779/jelang-pilkada-pemkot-serang-bentuk-satgas-netralitas-asn-ini-tugasnya",
    "https://reliefweb.int/report/indonesia/indonesia-floods-and-landslide-bnpb-aha-centre-bmkg-echo-daily-flash-25-october",
    "https://amp.suara.com/bisnis/2024/02/07/081612/asn-jangan-coba-coba-memihak-salah-satu-capres-bisa-terancam-tunda-kenaikan-jabatan",
    "https://www.kilasbali.com/2024/07/29/dinas-puprpkp-tabanan-target-tuntaskan-jalan-rusak-di-akhir-2024/",
    "https://beta.tvonenews.com/daerah/jateng/259966-dprd-kabupaten-semarang-soroti-netralitas-kepala-desa-dalam-pilkada-2024?page=2",
    "https://restabengkulukota.bengkulu.polri.go.id/?p=13001",
    "https://imbcnews.com/bawaslu-bursel-temukan-empat-dugaan-pelanggaran-netralitas-asn",
    "https://harian.disway.id/amp/760777/bawaslu-jatim-proses-laporan-pelanggaran-netralitas-lima-asn-dan-satu-kades",
    "https://upradio.id/?p=39976",
    "https://radarjambi.co.id/read/2024/09/02/33201/pemkab-sarolangun-gelar-apel-gabungan-penandatanganan-pakta-integritas-netralitas-asng",
    "https://suarasurabaya.net/?p=705804",
    "https://ngopibareng.id/read/kpu-kabupaten-kediri-distribusikan-logistik-pemilu-di-26-wilayah-kecamatan/amp",
    "https://beritajateng.tv/asn-pemprov-jateng-ikrarkan-pakta-integritas-netralitas-nana-sudjana-layanan-publik-harus-bebas-intervensi-politik",
    "https://www.antaranews.com/berita/3742266/asn-jaktim-tandatangani-pakta-integritas-jaga-netralitas-pemilu-2024",
    "https://matapapua.com/32430-2",
    "https://sulteng.antaranews.com/amp/berita/328901/bawaslu-kabupaten-donggala-gelar-sosialisasi-pilkada-2024-ingatkan-asn-netral",
    "https://www.kalseltoday.com/2023/03/bawaslu-kalsel-sosialisasikan.html",
    "https://kaltim.tribunnews.com/2024/10/27/pemkot-samarinda-pastikan-jaga-netralitas-asn-di-pilkada-serentak-2024",
    "https://theindonesia.id/news/2023/11/22/084500/civil-servants-need-to-remain-neutral-in-2024-elections-ministry-official",
    "https://jogja.antaranews.com/berita/713963/bkd-minta-asn-di-diy-tidak-terjebak-politik-praktis-jelang-pilkada-2024",
    "https://medianesia.id/gubernur-sayangkan-dua-pejabat-kepri-tidak-netral-dalam-pemilu",
    "https://validasi.infopublik.id/kategori/nusantara/872386/jelang-pilkada-pemkab-aceh-jaya-gelar-apel-netralitas-asn",
    "https://gerakita.com/kontingen-jakarta-ambil-alih-pimpinan-perolehan-medali-pon-xxi",
    "https://beta.tvonenews.com/daerah/sulawesi/230532-bawaslu-sulsel-temukan-puluhan-asn-langgar-netralitas-pilkada?page=all",
)
DEVSET_HOSTS = {(urlsplit(url).hostname or "").removeprefix("www.") for url in DEVSET_URLS}


@pytest.fixture(scope="module")
def shipped() -> tuple[Source, ...]:
    return load_registry(SOURCES).sources


def _bare(host: str) -> str:
    return host.removeprefix("www.")


def _host(url: str) -> str:
    return _bare((urlsplit(url).hostname or "").lower())


# --- the shipped files ----------------------------------------------------------------------------------------


def test_every_shipped_file_loads(shipped: tuple[Source, ...]) -> None:
    files = sorted(p.name for p in SOURCES.glob("*.yaml"))
    assert {"seeds.yaml", "devset.yaml", "antara.yaml", "tribun.yaml", "bawaslu.yaml", "pemda.yaml"} <= set(files)
    for file in SOURCES.glob("*.yaml"):
        assert load_file(file), f"{file.name} has no sources"
    assert len(shipped) >= 150


def test_region_codes_exist_in_lokal(shipped: tuple[Source, ...]) -> None:
    unknown = [
        (s.id, code)
        for s in shipped
        for code in s.regions
        if code != "00" and wilayah.get_wilayah(code) is None
    ]
    assert unknown == []


def test_region_lists_have_no_duplicates(shipped: tuple[Source, ...]) -> None:
    for source in shipped:
        assert len(set(source.regions)) == len(source.regions), source.id


def test_timezone_agrees_with_regions(shipped: tuple[Source, ...]) -> None:
    zone_of = {**dict.fromkeys(WIB, "WIB"), **dict.fromkeys(WITA, "WITA"), **dict.fromkeys(WIT, "WIT")}
    assert set(zone_of) == {p.code for p in wilayah.list_wilayah()}
    for source in shipped:
        zones = {zone_of[code[:2]] for code in source.regions if code != "00"}
        expected = zones or {"WIB"}  # national outlets publish on Jakarta time
        assert expected == {source.timezone}, f"{source.id}: {source.regions} is {zones}, not {source.timezone}"


def test_ids_unique_across_files() -> None:
    seen: Counter[str] = Counter()
    for file in SOURCES.glob("*.yaml"):
        seen.update(entry["id"] for entry in yaml.safe_load(file.read_text(encoding="utf-8"))["sources"])
    assert [i for i, n in seen.items() if n > 1] == []


def test_home_hosts_unique(shipped: tuple[Source, ...]) -> None:
    homes = Counter(_host(s.home) for s in shipped)
    assert [h for h, n in homes.items() if n > 1] == []


def test_network_counts(shipped: tuple[Source, ...]) -> None:
    by_network = Counter(s.network for s in shipped)
    assert by_network["antara"] + by_network["tribun"] + by_network["bawaslu"] >= 30
    assert by_network["antara"] >= 25
    assert by_network["tribun"] >= 25
    assert by_network["bawaslu"] >= 30
    kinds = Counter(s.kind for s in shipped)
    assert kinds["pemda"] >= 30 and kinds["government"] >= 4


def test_seed_and_devset_outlets_are_covered(shipped: tuple[Source, ...]) -> None:
    hosts = {_bare(h) for s in shipped for h in s.hosts}
    assert SEED_HOSTS - hosts == set()
    assert DEVSET_HOSTS - hosts == set()
    assert any(s.id == "kalteng-network" for s in shipped)  # its domain is a guess, so it is checked by id


def test_development_urls_pass_their_outlets_rules(shipped: tuple[Source, ...]) -> None:
    by_host = {_bare(h): s for s in shipped for h in s.hosts}
    for url in DEVSET_URLS:
        source = by_host[_host(url)]
        if source.article_pattern:
            assert re.search(source.article_pattern, url), (source.id, url)
        assert not any(re.search(p, url) for p in source.deny), (source.id, url)
        assert not source.allow or any(re.search(p, url) for p in source.allow), (source.id, url)


def test_rates_are_polite(shipped: tuple[Source, ...]) -> None:
    for source in shipped:
        assert 2 <= source.rate.delay_s <= 5, source.id
        assert 1 <= source.rate.concurrency <= 2, source.id


def test_every_feed_and_listing_page_is_on_the_outlet(shipped: tuple[Source, ...]) -> None:
    for source in shipped:
        for url in (*source.feeds, *source.sitemaps, *source.listing_pages):
            host = _host(url)
            assert host == _host(source.home) or host in source.domains, (source.id, url)


def test_profiles_with_one_name_are_identical_in_every_file() -> None:
    profiles: dict[str, dict[str, object]] = {}
    for file in sorted(SOURCES.glob("*.yaml")):
        for name, profile in (yaml.safe_load(file.read_text(encoding="utf-8")).get("profiles") or {}).items():
            assert profiles.setdefault(name, profile) == profile, f"profile {name!r} in {file.name} differs"


def test_network_members_inherit_their_profile(shipped: tuple[Source, ...]) -> None:
    tribun = next(s for s in shipped if s.id == "tribun-pontianak")
    assert "/tag/" in tribun.deny and tribun.article_pattern and tribun.rate.delay_s >= 2
    antara = next(s for s in shipped if s.id == "antara-kalbar")
    assert antara.article_pattern is not None and "/berita/" in antara.article_pattern


# --- the validator, on temporary files -------------------------------------------------------------------------


def _write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


GOOD = """\
    sources:
      - id: good-one
        name: Good One
        home: https://good.example/
        regions: ["61"]
"""


def test_unknown_key_names_file_entry_and_field(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.yaml", """\
        sources:
          - id: first
            name: First
            home: https://first.example/
            regions: ["61"]
          - id: second
            name: Second
            home: https://second.example/
            regions: ["61"]
            colour: blue
    """)
    with pytest.raises(RegistryError) as info:
        load_registry(tmp_path)
    message = str(info.value)
    assert str(path) in message
    assert "entry #1" in message and "id='second'" in message
    assert "'colour'" in message


def test_unknown_key_in_profile_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.yaml", """\
        profiles:
          net:
            delay: 3
        sources:
          - id: first
            name: First
            home: https://first.example/
            regions: ["61"]
            network: net
    """)
    with pytest.raises(RegistryError, match=r"profiles\.net\.delay") as info:
        load_file(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("field, value", [("home", "first.example/news"), ("home", "ftp://first.example/"),
                                           ("feeds", ["ftp://first.example/feed/"])])
def test_bad_url_is_refused(tmp_path: Path, field: str, value: object) -> None:
    entry = {"id": "first", "name": "First", "home": "https://first.example/", "regions": ["61"], field: value}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"sources": [entry]}), encoding="utf-8")
    with pytest.raises(RegistryError, match="absolute http") as info:
        load_file(path)
    assert f"field '{field}'" in str(info.value) and "id='first'" in str(info.value)


@pytest.mark.parametrize("code", ["6104", "61.4", "Kalbar", "0", "61.04.01"])
def test_bad_region_code_is_refused(tmp_path: Path, code: str) -> None:
    path = _write(tmp_path, "bad.yaml", GOOD.replace('["61"]', f'["{code}"]'))
    with pytest.raises(RegistryError, match="Kemendagri code") as info:
        load_file(path)
    assert "field 'regions'" in str(info.value) and code in str(info.value)


def test_empty_regions_are_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.yaml", GOOD.replace('["61"]', "[]"))
    with pytest.raises(RegistryError, match="field 'regions'"):
        load_file(path)


@pytest.mark.parametrize("field, value", [("allow", "['(unclosed']"), ("deny", "['[a-']"),
                                           ("article_pattern", "'*bad'")])
def test_bad_regex_is_refused(tmp_path: Path, field: str, value: str) -> None:
    path = _write(tmp_path, "bad.yaml", GOOD + f"        {field}: {value}\n")
    with pytest.raises(RegistryError, match="invalid regular expression") as info:
        load_file(path)
    assert f"field '{field}'" in str(info.value)


def test_bad_regex_in_profile_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.yaml", """\
        profiles:
          net:
            article_pattern: '(oops'
        sources:
          - id: first
            name: First
            home: https://first.example/
            regions: ["61"]
    """)
    with pytest.raises(RegistryError, match="invalid regular expression"):
        load_file(path)


def test_bad_id_and_timezone_are_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.yaml", GOOD.replace("good-one", "Good One") + "        timezone: UTC\n")
    with pytest.raises(RegistryError) as info:
        load_file(path)
    assert "field 'id'" in str(info.value) and "field 'timezone'" in str(info.value)


def test_duplicate_ids_across_files_name_both_files(tmp_path: Path) -> None:
    first = _write(tmp_path, "a.yaml", GOOD)
    second = _write(tmp_path, "b.yaml", GOOD.replace("good.example", "other.example"))
    with pytest.raises(RegistryError, match="good-one") as info:
        load_registry(tmp_path)
    assert str(first) in str(info.value) and str(second) in str(info.value)


def test_duplicate_ids_in_one_file_are_refused(tmp_path: Path) -> None:
    entries = textwrap.dedent(GOOD).split("\n", 1)[1]
    _write(tmp_path, "a.yaml", GOOD + entries)
    with pytest.raises(RegistryError, match="good-one"):
        load_registry(tmp_path)


def test_invalid_yaml_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "broken.yaml", "sources:\n  - id: [unclosed\n")
    with pytest.raises(RegistryError, match="not valid YAML") as info:
        load_registry(tmp_path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("text", ["- just\n- a list\n", "", "profiles: {}\n"])
def test_file_without_sources_is_refused(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path, "odd.yaml", text)
    with pytest.raises(RegistryError) as info:
        load_file(path)
    assert str(path) in str(info.value)


def test_empty_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="no registry files"):
        load_registry(tmp_path)


def test_network_naming_a_missing_profile_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.yaml", GOOD + "        network: nowhere\n")
    with pytest.raises(RegistryError, match="field 'network': 'nowhere' is not a defined profile") as info:
        load_registry(tmp_path)
    assert str(path) in str(info.value) and "good-one" in str(info.value)


def test_profile_settings_are_inherited(tmp_path: Path) -> None:
    _write(tmp_path, "net.yaml", """\
        profiles:
          net:
            allow: ['/news/']
            deny: ['/tag/']
            article_pattern: '/news/\\d+'
            rate: {delay_s: 4, concurrency: 1}
        sources:
          - id: plain-member
            name: Plain member
            home: https://one.example/
            regions: ["61"]
            network: net
          - id: own-settings
            name: Own settings
            home: https://two.example/
            regions: ["61.04"]
            network: net
            deny: ['/foto/']
            article_pattern: '/read/\\d+'
            rate: {delay_s: 2, concurrency: 2}
          - id: no-network
            name: No network
            home: https://three.example/
            regions: ["00"]
    """)
    registry = load_registry(tmp_path)
    plain = registry.get("plain-member")
    assert plain.allow == ("/news/",) and plain.deny == ("/tag/",)
    assert plain.article_pattern == r"/news/\d+"
    assert (plain.rate.delay_s, plain.rate.concurrency) == (4, 1)
    own = registry.get("own-settings")
    assert own.deny == ("/tag/", "/foto/")  # lists add up, the profile's first
    assert own.article_pattern == r"/read/\d+"  # single values: the entry wins
    assert (own.rate.delay_s, own.rate.concurrency) == (2, 2)
    alone = registry.get("no-network")
    assert alone.deny == () and alone.article_pattern is None and alone.rate.delay_s == 1.0


def test_registry_lookup_names_unknown_ids(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", GOOD)
    registry = load_registry(tmp_path)
    assert len(registry) == 1 and registry.select(None) == registry.sources
    assert registry.select(["good-one"])[0].utc_offset == "+07:00"
    with pytest.raises(RegistryError, match="unknown source 'missing'"):
        registry.get("missing")


def test_relative_feed_and_listing_urls_resolve_against_home(tmp_path: Path) -> None:
    path = _write(tmp_path, "rel.yaml", """
        sources:
          - id: first
            name: First
            home: https://first.example/news/
            regions: ["61"]
            feeds: ["/feed/"]
            listing_pages: ["daerah"]
            deny:
    """)
    (source,) = load_file(path)
    assert source.feeds == ("https://first.example/feed/",)
    assert source.listing_pages == ("https://first.example/news/daerah",)
    assert source.deny == ()
