"""Outlet health states, volume-drop and breakage alerts, verification and `pantau sources health`.

The store is filled with the rows a crawl and a processing run leave (fetches, raw pages, articles)
on chosen days, one outlet per situation, and the health read back from it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.health import (
    DEGRADED,
    FAILING,
    HEALTHY,
    NEW,
    QUARANTINED,
    HealthPolicy,
    OutletDay,
    assess,
    due_for_crawl,
    mark_verified,
    source_health,
    today_in_jakarta,
)
from pipeline.health_alerts import BREAKAGE, VOLUME_DROP
from pipeline.records import Fetch, RawPage
from pipeline.registry import Source
from pipeline.store import Store
from pipeline.urls import content_id

TODAY = today_in_jakarta()


def _day(offset: int) -> dt.date:
    return TODAY - dt.timedelta(days=offset)


def _crawl_day(store: Store, source_id: str, day: dt.date, *, answered: int = 10, failed: int = 0,
               pages: int = 0, extracted: int | None = None) -> None:
    """What one crawl and processing of an outlet leave in the store on ``day``."""
    extracted = pages if extracted is None else extracted
    at = f"{day.isoformat()}T05:00:00.000"
    fetches = [Fetch(content_id(source_id, str(day), "ok", str(i)), "c", source_id, f"http://{source_id}/{day}/{i}",
                     200, None, 1.0, at) for i in range(answered)]
    fetches += [Fetch(content_id(source_id, str(day), "bad", str(i)), "c", source_id, f"http://{source_id}/x/{i}",
                      None, "timeout: TimeoutError", 1.0, at) for i in range(failed)]
    fetches.append(Fetch(content_id(source_id, str(day), "robots"), "c", source_id, f"http://{source_id}/private",
                         None, "blocked by robots.txt", 0.0, at))  # policy, not a failure
    store.record_fetches(fetches)
    raw = [RawPage(content_id(source_id, str(day), "page", str(i)), source_id, f"http://{source_id}/{day}/a{i}",
                   f"http://{source_id}/{day}/a{i}", at, 200, "text/html", "x.html.gz", "h", 10, "sitemap")
           for i in range(pages)]
    store.upsert_raw_pages(raw)
    for i, page in enumerate(raw):
        ok = i < extracted
        store.con.execute("UPDATE raw_pages SET extract_status = ? WHERE page_id = ?",
                          ["ok" if ok else "rejected: no article text", page.page_id])
        if ok:
            store.con.execute("INSERT INTO articles (article_id, canonical_url, url, source_id, page_id, text) "
                              "VALUES (?, ?, ?, ?, ?, 'Teks berita.')",
                              [page.page_id, page.url, page.url, source_id, page.page_id])


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("health") / "pantau.duckdb"
    ids = ("steady", "dead", "flaky", "quiet", "redesigned", "unseen")
    with Store(path) as store:
        store.upsert_sources([Source(id=i, name=i, home=f"http://{i}.example/", regions=("61",)) for i in ids])
        for offset in range(5, -1, -1):
            _crawl_day(store, "steady", _day(offset), pages=5)
            _crawl_day(store, "quiet", _day(offset), pages=1 if offset == 0 else 8)
            _crawl_day(store, "redesigned", _day(offset), pages=5, extracted=0 if offset == 0 else 5)
        _crawl_day(store, "quiet", _day(6), pages=200)  # its first crawl backfilled: not its daily rate
        _crawl_day(store, "dead", _day(3), pages=4)
        for offset in (2, 1, 0):
            _crawl_day(store, "dead", _day(offset), answered=0, failed=6)
        _crawl_day(store, "flaky", _day(1), pages=3)
        _crawl_day(store, "flaky", _day(0), answered=0, failed=4)
        mark_verified(store)
    return path


def _by_id(db: Path) -> dict[str, object]:
    return {h.source_id: h for h in source_health(db)}


def test_states_of_outlets(db: Path) -> None:
    health = _by_id(db)
    states = {sid: h.state for sid, h in health.items()}  # type: ignore[attr-defined]
    assert states == {"steady": HEALTHY, "dead": QUARANTINED, "flaky": FAILING, "quiet": DEGRADED,
                      "redesigned": DEGRADED, "unseen": NEW}
    steady = health["steady"]
    assert steady.articles_per_day == 5.0 and steady.failure_rate == 0.0  # type: ignore[attr-defined]
    assert steady.last_success.date() == TODAY and steady.crawl_days == 6  # type: ignore[attr-defined]
    dead = health["dead"]
    assert dead.failing_days == 3 and dead.failure_rate == pytest.approx(18 / 28, abs=1e-3)  # type: ignore[attr-defined]
    assert dead.last_success.date() == _day(3)  # type: ignore[attr-defined]


def test_a_quarantined_outlet_is_retried_at_a_lower_rate(db: Path) -> None:
    dead = _by_id(db)["dead"]
    assert dead.next_retry == TODAY + dt.timedelta(days=7)  # type: ignore[attr-defined]
    assert not due_for_crawl(dead, TODAY)  # type: ignore[arg-type]
    assert not due_for_crawl(dead, TODAY + dt.timedelta(days=6))  # type: ignore[arg-type]
    assert due_for_crawl(dead, TODAY + dt.timedelta(days=7))  # type: ignore[arg-type]
    assert due_for_crawl(_by_id(db)["flaky"], TODAY)  # type: ignore[arg-type]


def test_one_answered_retry_lifts_the_quarantine() -> None:
    failing = [OutletDay(_day(o), requests=5, failed=5) for o in (20, 13, 6)]
    assert assess("x", failing).state == QUARANTINED
    back = assess("x", [*failing, OutletDay(TODAY, requests=5, answered=5, pages=2, articles=2)])
    assert back.state == DEGRADED and back.failing_days == 0  # answered, but 15 of 20 requests failed


def test_volume_drop_is_flagged_against_the_outlets_own_rate(db: Path) -> None:
    quiet = _by_id(db)["quiet"]
    assert [a.kind for a in quiet.alerts] == [VOLUME_DROP]  # type: ignore[attr-defined]
    assert "1 new articles" in quiet.alerts[0].message and "8.0 a day" in quiet.alerts[0].message  # type: ignore[attr-defined]
    assert not _by_id(db)["steady"].alerts  # type: ignore[attr-defined]


def test_small_or_new_outlets_raise_no_volume_drop() -> None:
    small = [OutletDay(_day(o), requests=3, answered=3, articles=2) for o in range(5, 0, -1)]
    assert not assess("x", [*small, OutletDay(TODAY, requests=3, answered=3)]).alerts  # 2 a day is no baseline
    young = [OutletDay(_day(o), requests=3, answered=3, articles=20) for o in (2, 1)]
    assert not assess("x", [*young, OutletDay(TODAY, requests=3, answered=3)]).alerts
    policy = HealthPolicy(min_baseline_days=2)
    assert [a.kind for a in assess("x", [*young, OutletDay(TODAY, requests=3, answered=3)],
                                   policy=policy).alerts] == [VOLUME_DROP]


def test_pages_that_stop_yielding_text_are_a_breakage(db: Path) -> None:
    redesigned = _by_id(db)["redesigned"]
    assert [a.kind for a in redesigned.alerts] == [BREAKAGE, VOLUME_DROP] or \
        [a.kind for a in redesigned.alerts] == [VOLUME_DROP, BREAKAGE]  # type: ignore[attr-defined]
    message = next(a.message for a in redesigned.alerts if a.kind == BREAKAGE)  # type: ignore[attr-defined]
    assert "0 of 5 pages" in message and "100%" in message


def test_outlets_with_extracted_articles_are_verified_in_the_database(db: Path) -> None:
    health = _by_id(db)
    assert {sid for sid, h in health.items() if h.verified} == {  # type: ignore[attr-defined]
        "steady", "dead", "flaky", "quiet", "redesigned"}
    with Store(db) as store:
        assert mark_verified(store) == []  # already recorded, first verification kept
        assert store.query("SELECT count(*) FROM source_verifications")[0][0] == 5


def test_pantau_sources_health(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sources", "health", "--db", str(db), "--format", "json"]) == 0
    rows = {r["source_id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["dead"]["state"] == "quarantined" and rows["dead"]["next_retry"] == str(TODAY + dt.timedelta(days=7))
    assert "volume drop" in rows["quiet"]["alerts"]
    assert main(["sources", "health", "--db", str(db)]) == 0
    table = capsys.readouterr().out
    assert "quarantined" in table and "(6 rows)" in table


def test_the_daily_summary_shows_health_and_alerts(db: Path) -> None:
    from flows.summary import DailySummary, OutletResult

    summary = DailySummary(started_at=dt.datetime.now(dt.UTC), seconds=1.0,
                           outlets=(OutletResult("steady", pages_stored=5, fetches=10),),
                           health=tuple(source_health(db)), quarantined=("dead (next retry 2026-12-13)",))
    text = summary.to_markdown()
    assert "## Outlet alerts" in text and "quiet: volume drop" in text and "redesigned: breakage" in text
    assert "## Quarantined outlets (not crawled this run)" in text and "dead (next retry" in text
    assert "| quiet | degraded | yes |" in text and "| unseen | new | no | - |" in text
    assert summary.headline().endswith("3 outlet alerts")


def test_pantau_sources_list_shows_verification_from_the_database(db: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    registry = tmp_path / "registry.yaml"
    registry.write_text("sources:\n" + "".join(
        f"  - {{id: {i}, name: {i}, home: 'http://{i}.example/', regions: ['61']}}\n" for i in ("steady", "unseen")),
        encoding="utf-8")
    assert main(["sources", "list", "--registry", str(registry), "--db", str(db)]) == 0
    flags = {line.split()[0]: line.split()[4] for line in capsys.readouterr().out.splitlines()}
    assert flags == {"steady": "verified", "unseen": "unverified"}
