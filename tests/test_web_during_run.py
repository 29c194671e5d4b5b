"""The web app keeps answering while a daily run writes, and shows the run's data once it has finished.

``pantau serve`` reads the snapshot the daily flow publishes after its last write
(``pipeline.store.snapshot``), never the file the run is writing. Here a real daily run
crawls the sample outlets into the same data folder while pages are requested throughout.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from pipeline.store.snapshot import current_snapshot
from web_fixture import PantauServer, build_web_store

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

PAGES = ("/healthz", "/", "/rakor?format=json", "/rakor?from=2024-09-01", "/search?q=netralitas", "/sources",
         "/regions/72")


@pytest.fixture(scope="module")
def prefect_harness() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield


@pytest.mark.slow
def test_pages_answer_throughout_a_daily_run_and_then_show_it(
        prefect_harness: None, sample_sites: tuple[dict[str, str], Path], tmp_path: Path) -> None:
    from flows.daily import daily_run

    db = build_web_store(tmp_path)
    server = PantauServer(db)
    outlets = tuple(sample_sites[0].values())
    try:
        before = json.loads(server.get("/rakor?format=json")[2])
        assert before and not any(url.startswith(outlets) for row in before for url in row["articles"])
        first_snapshot = current_snapshot(db)
        outcome: dict[str, Any] = {}

        def run() -> None:
            outcome["state"] = daily_run(str(tmp_path), [str(sample_sites[1])], fast=True, db=str(db),
                                         return_state=True)

        runner = threading.Thread(target=run)
        runner.start()
        answered: list[str] = []
        stale: list[str] = []
        hosts = [urlsplit(url).netloc for url in outlets]
        while runner.is_alive():
            for path in PAGES:
                status, _, body = server.get(path)
                answered.append(path)
                assert status == 200, (path, status, body[:300])
                if current_snapshot(db) == first_snapshot:  # served from the snapshot published before the run
                    stale.append(path)
                    assert not any(host in body for host in hosts), f"{path} showed the unfinished run's data"
            time.sleep(0.1)
        runner.join()
        assert outcome["state"].is_completed(), outcome["state"].message
        assert len(answered) >= 3 * len(PAGES), "the run ended before the pages were asked throughout it"
        assert len(stale) >= 2 * len(PAGES), "too few pages were asked before the run published its data"

        assert current_snapshot(db) != first_snapshot
        after = json.loads(server.get("/rakor?format=json")[2])
        assert any(url.startswith(outlets) for row in after for url in row["articles"])
    finally:
        server.stop()
