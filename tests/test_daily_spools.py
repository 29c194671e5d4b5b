"""The daily flow loads leftover spools with the same live-crawl check as ``pantau crawl`` (issue 12, item 12):
a spool whose crawl is still running is never taken."""

from __future__ import annotations

from pathlib import Path

from pipeline.crawl import _claim, load_leftover_spools
from pipeline.settings import Paths
from pipeline.store import Store


def test_the_daily_flow_leaves_a_running_crawls_spool_alone(tmp_path: Path) -> None:
    from flows.daily import prepare_store

    paths = Paths.under(tmp_path)
    paths.spool.mkdir(parents=True)
    running = paths.spool / "20240917T000000Z-running.jsonl"
    running.write_text("", encoding="utf-8")
    with _claim(running):  # a `pantau crawl` in progress holds its spool's lock
        assert prepare_store.fn(str(paths.data), str(paths.db)) == 0
        assert running.exists()
    with Store(paths.db) as store:
        assert load_leftover_spools(store, paths.spool) == [running]  # abandoned now: loaded
    assert not running.exists() and (paths.spool / "loaded" / running.name).exists()
