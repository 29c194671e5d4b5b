"""The web app over a real server process: the contract routes, the pages, hostile text, the token.

The store is the digest fixture plus articles ingested through the pipeline (``web_fixture``);
``pantau serve`` runs as its own process, and every check is an HTTP request to it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from pantau.web.labels import missing_web_keys
from pipeline import query
from pipeline.store.snapshot import current_snapshot, publish_snapshot
from web_fixture import MEMPAWAH_URL, REPO, RTL, PantauServer, build_web_store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_web_store(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[PantauServer]:
    running = PantauServer(store)
    try:
        yield running
    finally:
        running.stop()


def _ok(server: PantauServer, path: str) -> str:
    status, headers, body = server.get(path)
    assert status == 200, (path, status, body[:500])
    assert "default-src 'none'" in headers["content-security-policy"]
    return body


def _event_id(store: Path, organizer_region: str, kind: str = "rakor") -> str:
    rows = [r for r in query.rakor_events(store) if r["organizer_region"] == organizer_region] if kind == "rakor" \
        else []
    if rows:
        return str(rows[0]["event_id"])
    import duckdb

    con = duckdb.connect(str(store), read_only=True)
    try:
        found = con.execute("SELECT event_id FROM events WHERE type = ? AND organizer_region = ?",
                            [kind, organizer_region]).fetchone()
    finally:
        con.close()
    assert found, (kind, organizer_region)
    return str(found[0])


def test_healthz_says_ok(server: PantauServer) -> None:
    assert server.get("/healthz")[0::2] == (200, "ok")


@pytest.mark.parametrize("params", [{}, {"from": "2024-09-16", "to": "2024-09-22"}, {"province": "Sulteng"},
                                    {"province": "Kalimantan Barat", "from": "2024-09-01"}])
def test_rakor_json_and_csv_are_the_rows_of_pantau_query_rakor(server: PantauServer, store: Path,
                                                               params: dict[str, str]) -> None:
    expected = query.filter_by_province(
        query.rakor_events(store, query.parse_date(params.get("from"), "from"), query.parse_date(params.get("to"), "to")),
        params.get("province"))
    assert expected, "the fixture must give rows for every case, or the comparison proves nothing"
    qs = "&".join(f"{k}={quote(v)}" for k, v in params.items())
    assert json.loads(_ok(server, f"/rakor?{qs}&format=json")) == expected
    assert _ok(server, f"/rakor?{qs}&format=csv") == query.render(expected, query.RAKOR_COLUMNS, "csv")
    page = _ok(server, f"/rakor?{qs}")
    assert re.findall(r'data-event="([^"]+)"', page) == [r["event_id"] for r in expected]


def test_the_export_links_carry_the_filters_shown(server: PantauServer) -> None:
    page = _ok(server, "/rakor?province=Sulteng&from=2024-09-16&to=2024-09-22")
    link = re.search(r'id="export-csv" href="([^"]+)"', page)
    assert link and "province=Sulteng" in link.group(1) and "from=2024-09-16" in link.group(1)
    rows = list(csv.DictReader(io.StringIO(_ok(server, link.group(1).replace("&amp;", "&")))))
    assert [r["organizer_region"] for r in rows] == ["Provinsi Sulawesi Tengah"]


def test_regency_organiser_and_type_filters(server: PantauServer) -> None:
    def regions(qs: str) -> list[str]:
        return [r["organizer_region"] for r in json.loads(_ok(server, f"/rakor?{qs}&format=json"))]

    assert regions("regency=Kabupaten%20Poso") == ["Provinsi Sulawesi Tengah"]
    assert regions("regency=Kab.%20Mempawah") == ["Kabupaten Mempawah"]
    assert regions("organizer=bawaslu") == ["Provinsi Sulawesi Tengah"]
    assert regions("type=pelanggaran") == ["Kabupaten Sigi"]
    assert regions("organizer=" + quote("'; DROP TABLE events; --")) == []
    assert len(regions("")) == 4  # the table is still there


def test_bad_filters_are_a_400_that_says_why(server: PantauServer) -> None:
    status, _, body = server.get("/rakor?from=17-09-2024")
    assert status == 400 and "2024-09-17" in body
    status, _, body = server.get("/rakor?province=Kabupaten%20Poso")
    assert status == 400 and "not a province" in body
    assert server.get("/rakor?type=pesta")[0] == 400


def test_the_event_page_shows_each_report_with_highlighted_evidence(server: PantauServer, store: Path) -> None:
    page = _ok(server, f"/events/{_event_id(store, 'Kabupaten Mempawah')}")
    assert f'href="{MEMPAWAH_URL}"' in page
    marks = re.findall(r"<mark>([^<]+)</mark>", page)
    assert "rapat koordinasi" in " ".join(marks).lower() and "Erlina" in marks
    organiser = re.search(r'data-field="organizer_region">.*?</tr>', page, re.S)
    assert organiser and "Kabupaten Mempawah" in organiser.group(0) and 'href="#report-1"' in organiser.group(0)


def test_a_merged_event_names_every_report(server: PantauServer, store: Path) -> None:
    page = _ok(server, f"/events/{_event_id(store, 'Provinsi Sulawesi Tengah')}")
    assert 'id="report-1"' in page and 'id="report-2"' in page
    assert "Kabar Sulteng" in page and "Palu Pos" in page
    assert "Kabupaten Buol" in page


def test_hostile_text_is_shown_as_text(server: PantauServer, store: Path) -> None:
    page = _ok(server, f"/events/{_event_id(store, 'Kabupaten Poso', 'sosialisasi')}")
    assert "<script" not in page and "&lt;script&gt;" in page
    assert not re.search(r'href="\s*javascript:', page, re.I)
    assert "javascript:alert(3)" in page  # shown, not linked
    for path in ("/rakor?from=2024-09-01&to=2024-09-30", "/search?q=Mempawah", "/", "/?week=2024-W38",
                 "/officials", "/regions/72.02"):
        body = _ok(server, path)
        assert RTL not in body and "<script" not in body and "onerror=\"" not in body, path
    assert "Pemkab Mempawah Gelar Rakor" in _ok(server, "/search?q=Mempawah")


def test_overview_has_the_week_the_map_and_the_coverage_gaps(server: PantauServer) -> None:
    page = _ok(server, "/?week=2024-W38")
    assert 'class="tilemap"' in page and 'class="chart"' in page and 'id="headline"' in page
    gaps = page[page.index('id="gaps"'):]
    quiet = gaps[:gaps.index("<h3>", gaps.index("<h3>") + 1)] if gaps.count("<h3>") > 1 else gaps
    assert "Aceh" in quiet and ">Sulawesi Tengah<" not in quiet
    assert "/events/" in page[page.index('id="latest-rakor"'):]


def test_region_page_has_timeline_violations_and_officials(server: PantauServer) -> None:
    mempawah = _ok(server, "/regions/61.02")
    assert "Kabupaten Mempawah" in mempawah and "Erlina" in mempawah and "/events/" in mempawah
    sigi = _ok(server, "/regions/72.10")
    assert "12 dugaan pelanggaran" in sigi
    assert server.get("/regions/99.99")[0] == 404


def test_search_with_filters(server: PantauServer) -> None:
    assert MEMPAWAH_URL in _ok(server, "/search?q=Mempawah")
    assert MEMPAWAH_URL in _ok(server, "/search?q=Mempawah&province=Kalbar&type=rakor")
    assert MEMPAWAH_URL not in _ok(server, "/search?q=Mempawah&province=Sulteng")


def test_digests_officials_sources_and_english(server: PantauServer) -> None:
    assert "/digests/2024-W38.md" in _ok(server, "/digests")
    status, headers, body = server.get("/digests/2024-W38.md")
    assert status == 200 and "2024-W38" in body and "attachment" in headers["content-disposition"]
    assert "Nasrun Lamasese" in _ok(server, "/officials?province=Sulteng")
    assert "Palu Pos" in _ok(server, "/sources")
    english = _ok(server, "/rakor?lang=en")
    assert "Rakor answer" in english and 'href="/events/' in english and "lang=en" in english


def test_every_language_has_every_web_label() -> None:
    assert missing_web_keys() == {"id": set(), "en": set()}


def test_a_token_is_checked_on_every_request(store: Path) -> None:
    guarded = PantauServer(store, token="s3cret")
    try:
        assert guarded.get("/healthz")[0] == 401
        assert guarded.get("/rakor?format=json")[0] == 401
        assert guarded.get("/healthz", {"Authorization": "Bearer wrong"})[0] == 401
        assert guarded.get("/healthz", {"Authorization": "Bearer s3cret"})[0::2] == (200, "ok")
        status, headers, _ = guarded.get("/?token=s3cret")
        assert status == 200 and "pantau_token=s3cret" in headers["set-cookie"]
    finally:
        guarded.stop()


def test_binding_beyond_loopback_needs_a_token(store: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "serve", "--db", str(store), "--host", "0.0.0.0"],
                            cwd=REPO, capture_output=True, text=True, timeout=60,
                            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 2 and "--token" in result.stderr


def test_the_app_switches_to_a_newly_published_snapshot(server: PantauServer, store: Path) -> None:
    before = current_snapshot(store)
    assert before is not None  # `pantau serve` published one at start
    newer = publish_snapshot(store)
    assert current_snapshot(store) == newer != before
    assert server.get("/healthz")[0::2] == (200, "ok")


def test_region_names_link_to_their_pages(server: PantauServer, store: Path) -> None:
    page = _ok(server, f"/events/{_event_id(store, 'Provinsi Sulawesi Tengah')}")
    assert 'href="/regions/72"' in page  # the organiser's province
    assert re.search(r'href="/regions/7[0-9]\.\d\d">Kabupaten Buol<', page)
    assert 'href="/regions/72"' in _ok(server, "/rakor?province=Sulteng")


def test_a_downloaded_digest_is_the_digest_file(server: PantauServer) -> None:
    status, headers, body = server.get("/digests/2024-W38.html?lang=en")
    assert status == 200 and 'filename="digest-2024-W38-en.html"' in headers["content-disposition"]
    assert "Weekly Media Digest" in body and "<script>alert" not in body
    assert headers["content-security-policy"].startswith("default-src 'none'")


def test_pipeline_and_flows_never_import_the_web_app() -> None:
    code = ("import sys, pipeline.cli, pipeline.query, flows.daily, flows.weekly_digest; "
            "print(any(m == 'pantau' or m.startswith('pantau.') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120,
                            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "DO_NOT_TRACK": "1"})
    assert result.stdout.strip() == "False", result.stderr[-500:]


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("::1", True), ("localhost", True),
                                                ("0.0.0.0", False), ("192.168.1.5", False), ("example.org", False)])
def test_only_loopback_addresses_count_as_private(host: str, loopback: bool) -> None:
    from pantau.web.server import is_loopback

    assert is_loopback(host) is loopback


def test_a_province_page_lists_its_regencies_and_officials_link_to_regions(server: PantauServer) -> None:
    page = _ok(server, "/regions/61")
    assert "Kalimantan Barat" in page and 'href="/regions/61.02">Kabupaten Mempawah<' in page
    assert 'href="/regions/72.10"' in _ok(server, "/officials?province=Sulteng")
