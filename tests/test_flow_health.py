"""The daily flow, run for real, with outlet health and alerts: a quarantined outlet is left out until its retry
day, crawled outlets are verified in the database, the summary shows health, and new rakor are sent to a webhook
receiver on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_alerts import Receiver

from pipeline.health import today_in_jakarta
from pipeline.records import Fetch
from pipeline.store import Store, connect_readonly

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

TODAY = today_in_jakarta()
DEAD = ("sources:\n  - id: mati\n    name: Outlet Mati\n    home: http://127.0.0.1:9/\n"
        "    regions: ['61']\n    rate: {delay_s: 0, concurrency: 1}\n")
SAMPLES = {"exposetimur", "tribunpontianak", "bawaslubuol", "kaltengnetwork", "mediavers"}


@pytest.fixture(scope="module")
def harness() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield


def test_daily_run_with_health_and_alerts(harness: None, sample_sites: tuple[dict[str, str], Path],
                                          tmp_path: Path) -> None:
    from flows.daily import daily_run

    _, sample_registry = sample_sites
    dead_registry = tmp_path / "dead.yaml"
    dead_registry.write_text(DEAD, encoding="utf-8")
    data, db = tmp_path / "data", tmp_path / "data" / "pantau.duckdb"
    with Store(db) as store:  # three days in a row without an answer
        store.record_fetches([Fetch(f"f{d}", "c", "mati", "http://127.0.0.1:9/", None, "connection refused: x", 1.0,
                                    f"{TODAY - dt.timedelta(days=d)}T05:00:00") for d in (3, 2, 1)])
    receiver = Receiver()
    watchlist = tmp_path / "watchlist.yaml"
    watchlist.write_text(f"watches:\n  - name: semua-rakor\n    event_types: [rakor]\n    max_age_days: null\n"
                         f"    notify: ['json://127.0.0.1:{receiver.port}/hook']\n", encoding="utf-8")
    try:
        state = daily_run(str(data), [str(sample_registry), str(dead_registry)], fast=True, db=str(db),
                          watchlist=str(watchlist), return_state=True)
    finally:
        receiver.close()
    summary = state.result()
    assert summary.status == "completed"
    assert {o.source_id for o in summary.outlets} == SAMPLES  # the quarantined outlet was not crawled
    assert summary.quarantined == (f"mati (next retry {TODAY + dt.timedelta(days=6)})",)
    health = {h.source_id: h for h in summary.health}
    assert health["mati"].state == "quarantined" and not health["mati"].verified
    assert all(health[s].state == "healthy" and health[s].verified for s in SAMPLES), health
    [delivery] = summary.watch_alerts
    assert delivery.sent and delivery.events > 0
    assert len(receiver.posts) == 1 and " rakor in " in receiver.posts[0]["message"]
    markdown = summary.to_markdown()
    assert "## Outlet health" in markdown and "## Quarantined outlets" in markdown
    assert "## Alerts to analysts" in markdown
    con = connect_readonly(db)
    try:
        assert {r[0] for r in con.execute("SELECT source_id FROM source_verifications").fetchall()} == SAMPLES
        assert con.execute("SELECT count(*) FROM fetches WHERE source_id = 'mati'").fetchone() == (3,)
        assert con.execute("SELECT count(*) FROM alerts_sent").fetchone() == (delivery.events,)
    finally:
        con.close()
