"""Alerts to analysts: the watch list is validated, matching new events are sent once, through apprise,
to a webhook receiver on 127.0.0.1 (``json://``), and what was delivered is recorded."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from pipeline.alerts import send_alerts
from pipeline.cli import main
from pipeline.health import today_in_jakarta
from pipeline.records import ResolvedEvent
from pipeline.store import Store
from pipeline.watchlist import WatchListError, load_watchlist

TODAY = today_in_jakarta()
REGIONS = [("61", "provinsi", "Provinsi Kalimantan Barat", "61", "Provinsi Kalimantan Barat"),
           ("61.02", "kabupaten", "Kabupaten Mempawah", "61", "Provinsi Kalimantan Barat"),
           ("76.05", "kabupaten", "Kabupaten Majene", "76", "Provinsi Sulawesi Barat"),
           ("31", "provinsi", "Provinsi DKI Jakarta", "31", "Provinsi DKI Jakarta")]


class Receiver:
    """A webhook endpoint: records the JSON apprise posts; answers ``status``."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if receiver.status == 200:
                    receiver.posts.append({"path": self.path, **json.loads(body)})
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def _event(key: str, type_: str, days_ago: int, organizer_region: str | None, participants: tuple[str, ...] = (),
           mentions: tuple[str, ...] | None = None) -> ResolvedEvent:
    return ResolvedEvent(event_id=f"ev-{key}", type=type_, date=(TODAY - dt.timedelta(days=days_ago)).isoformat(),
                         organizer=f"Bawaslu {organizer_region}", organizer_region=organizer_region, venue=None,
                         venue_region=None, online=None, participant_regions=participants,
                         article_ids=tuple(f"art-{m}" for m in (mentions or (key,))),
                         mention_ids=tuple(f"m-{m}" for m in (mentions or (key,))))


EVENTS = [
    _event("mempawah", "pelanggaran", 2, "Kabupaten Mempawah"),  # kalbar: a kabupaten of the province
    _event("rakor", "rakor", 1, "Provinsi Kalimantan Barat"),  # kalbar's region, not its types
    _event("majene", "pelanggaran", 1, "Kabupaten Majene"),  # elsewhere
    _event("old", "pelanggaran", 60, "Kabupaten Mempawah"),  # history, not news
    _event("jakarta", "sanksi", 3, "Provinsi DKI Jakarta", ("Kabupaten Mempawah",)),  # kalbar as participant
]


def _store_events(db: Path, events: list[ResolvedEvent]) -> None:
    with Store(db) as store:
        store.ensure_regions(REGIONS)
        for event in events:
            for article_id in event.article_ids:
                url = f"http://127.0.0.1/berita/{article_id}"
                store.con.execute("INSERT OR IGNORE INTO articles (article_id, canonical_url, url, published_date) "
                                  "VALUES (?, ?, ?, ?)", [article_id, url, url, event.date])
        store.replace_events(events, "test")


def _watchlist(tmp_path: Path, port: int, **extra: str) -> Path:
    path = tmp_path / "watchlist.yaml"
    path.write_text(f"""watches:
  - name: kalbar
    regions: [Kalbar]
    event_types: [pelanggaran, sanksi]
    notify: ["json://127.0.0.1:{port}/kalbar"]
  - name: rakor
    event_types: [rakor]
    notify: ["json://127.0.0.1:{port}/${{PANTAU_TEST_RAKOR_PATH}}"]
""" + "".join(f"    {k}: {v}\n" for k, v in extra.items()), encoding="utf-8")
    return path


def test_new_matching_events_are_sent_once(tmp_path: Path, receiver: Receiver,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PANTAU_TEST_RAKOR_PATH", "rakor-hook")
    db, watchlist = tmp_path / "p.duckdb", _watchlist(tmp_path, receiver.port)
    _store_events(db, EVENTS)
    deliveries = {d.watch: d for d in send_alerts(db, watchlist)}
    assert deliveries["kalbar"].sent and deliveries["kalbar"].events == 2
    assert deliveries["rakor"].sent and deliveries["rakor"].events == 1
    posts = {p["path"]: p for p in receiver.posts}
    assert set(posts) == {"/kalbar", "/rakor-hook"}
    assert posts["/kalbar"]["title"] == "Pantau: 2 new events for kalbar"
    message = posts["/kalbar"]["message"]
    assert "pelanggaran in Kabupaten Mempawah" in message and "sanksi in Provinsi DKI Jakarta" in message
    assert "Majene" not in message and (TODAY - dt.timedelta(days=60)).isoformat() not in message
    assert "http://127.0.0.1/berita/art-mempawah" in message

    # The next run finds nothing new: nothing is sent twice.
    again = send_alerts(db, watchlist)
    assert [d.events for d in again] == [0, 0] and len(receiver.posts) == 2

    # Re-resolution re-keys an event a new report merged into (same reports plus one): still not news.
    # A genuinely new event is sent, alone.
    merged = _event("mempawah-2", "pelanggaran", 2, "Kabupaten Mempawah", mentions=("mempawah", "late"))
    fresh = _event("baru", "sanksi", 0, "Kabupaten Mempawah")
    _store_events(db, [merged, fresh, *EVENTS[1:]])
    third = {d.watch: d for d in send_alerts(db, watchlist)}
    assert third["kalbar"].events == 1 and third["rakor"].events == 0
    assert receiver.posts[-1]["title"] == "Pantau: 1 new event for kalbar"
    assert "sanksi in Kabupaten Mempawah" in receiver.posts[-1]["message"]
    with Store(db) as store:
        assert store.query("SELECT watch, count(*) FROM alerts_sent GROUP BY 1 ORDER BY 1") == [
            ("kalbar", 3), ("rakor", 1)]


def test_a_failed_delivery_is_not_recorded_and_is_tried_again(tmp_path: Path, receiver: Receiver,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PANTAU_TEST_RAKOR_PATH", raising=False)
    db, watchlist = tmp_path / "p.duckdb", _watchlist(tmp_path, receiver.port)
    _store_events(db, EVENTS)
    receiver.status = 500
    deliveries = {d.watch: d for d in send_alerts(db, watchlist)}
    assert not deliveries["kalbar"].sent and "failed" in deliveries["kalbar"].detail
    assert not deliveries["rakor"].sent and "not set" in deliveries["rakor"].detail  # its variable is unset
    receiver.status = 200
    assert {d.watch: d.sent for d in send_alerts(db, watchlist)} == {"kalbar": True, "rakor": False}
    assert [p["path"] for p in receiver.posts] == ["/kalbar"]


def test_pantau_alerts_dry_run_sends_and_records_nothing(tmp_path: Path, receiver: Receiver,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    db, watchlist = tmp_path / "p.duckdb", _watchlist(tmp_path, receiver.port)
    _store_events(db, EVENTS)
    assert main(["alerts", "--db", str(db), "--watchlist", str(watchlist), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "kalbar" in out and "2 new events  dry run" in out
    assert not receiver.posts
    with Store(db) as store:
        assert store.query("SELECT count(*) FROM alerts_sent") == [(0,)]


@pytest.mark.parametrize(("entry", "error"), [
    ("    evnt_types: [rakor]\n", "evnt_types: Extra inputs are not permitted"),
    ("    event_types: [rapat]\n", "unknown event types"),
    ("    regions: [Atlantis Raya]\n", "unknown region 'Atlantis Raya'"),
])
def test_a_malformed_watch_list_names_the_field(tmp_path: Path, entry: str, error: str) -> None:
    path = tmp_path / "watchlist.yaml"
    path.write_text(f"watches:\n  - name: satu\n    notify: ['json://127.0.0.1:9/x']\n{entry}", encoding="utf-8")
    with pytest.raises(WatchListError, match=error) as raised:
        load_watchlist(path)
    assert str(path) in str(raised.value)


def test_watch_names_are_unique_and_need_a_target(tmp_path: Path) -> None:
    path = tmp_path / "watchlist.yaml"
    path.write_text("watches:\n  - {name: dua, notify: ['json://x']}\n  - {name: dua, notify: ['json://y']}\n",
                    encoding="utf-8")
    with pytest.raises(WatchListError, match="unique: dua"):
        load_watchlist(path)
    path.write_text("watches:\n  - {name: tiga, notify: []}\n", encoding="utf-8")
    with pytest.raises(WatchListError, match=r"watches\.0\.notify"):
        load_watchlist(path)


def test_the_shipped_watch_list_is_valid() -> None:
    watchlist, codes = load_watchlist()
    assert watchlist.watches and codes["pelanggaran-kalimantan"] == {"61", "62"}
