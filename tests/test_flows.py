"""The Prefect flows, run for real: one harness per session, sample outlets over HTTP, temporary DuckDB files.

- a clean daily run lands every outlet and publishes its summary as a markdown artifact;
- a dead outlet fails alone: the run completes, partially successful, naming it;
- a rerun adds nothing, even while a reader keeps opening the file, and dbt-style
  unique/not-null/relationship checks hold;
- only transient failures (a locked database, a crashed crawl) are retried;
- a run killed with SIGKILL (mid-crawl, then in the processing stage) and started
  again ends with exactly the rows of a clean run, and no orphan keeps writing;
- the weekly digest, and the schedules (cron, Asia/Jakarta) checked without serving.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

REPO = Path(__file__).resolve().parent.parent
DEAD_OUTLET = ("sources:\n  - id: dead\n    name: Dead Outlet\n    home: http://127.0.0.1:9/\n"
               "    regions: ['61']\n    rate: {delay_s: 0, concurrency: 1}\n")
# Tables a run fills (officials became official_mentions in schema 4; whichever is a table here is counted).
TABLES = ("sources", "raw_pages", "articles", "article_aliases", "officials", "official_mentions", "region_mentions",
          "event_mentions", "events", "event_articles")
# dbt-style: (table, columns that must be unique together and not null)
KEYS = [
    ("raw_pages", ("page_id",)), ("raw_pages", ("url",)),
    ("articles", ("article_id",)), ("articles", ("canonical_url",)),
    ("article_aliases", ("url",)),
    ("officials", ("official_id",)), ("official_mentions", ("official_id",)), ("region_mentions", ("mention_id",)),
    ("event_mentions", ("mention_id",)), ("events", ("event_id",)),
    ("event_articles", ("event_id", "mention_id")),
]
NOT_NULL = [
    ("raw_pages", ("source_id", "path", "sha256", "extracted_with", "extract_status")),  # none left pending
    ("articles", ("source_id", "page_id", "url", "text", "extractor_version", "annotator_version")),
    ("event_mentions", ("article_id", "type", "annotator_version")),
    ("events", ("type",)),
]


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[str]:
    """One Prefect test server for the session (its start needs more than the default 30 s on 2 cores)."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield str(PREFECT_API_URL.value())


def _run(data: Path, registries: list[Path], **kwargs: Any) -> Any:
    from flows.daily import daily_run

    return daily_run(str(data), [str(r) for r in registries], fast=True, db=str(data / "pantau.duckdb"),
                     return_state=True, **kwargs)


def _query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    from pipeline.store import connect_readonly

    con = connect_readonly(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()  # a read-only handle left open would clash with the next run's writer in this process


def _base_tables(db: Path) -> set[str]:
    return {r[0] for r in _query(db, "SELECT table_name FROM information_schema.tables "
                                     "WHERE table_type = 'BASE TABLE'")}


def _counts(db: Path) -> dict[str, int]:
    tables = _base_tables(db)
    return {t: _query(db, f"SELECT count(*) FROM {t}")[0][0] for t in TABLES if t in tables}


def _indexed_articles(db: Path) -> int | None:
    """Articles in the full-text index beside the file (``pipeline.store.search``), or None where there is none."""
    from pipeline.query import QueryError
    from pipeline.store.search import open_search_index

    try:
        return int(open_search_index(db).searcher().num_docs)
    except QueryError:
        return None


def _ids(db: Path) -> dict[str, set[str]]:
    return {t: {r[0] for r in _query(db, f"SELECT {c} FROM {t}")}
            for t, c in (("raw_pages", "page_id"), ("articles", "article_id"), ("event_mentions", "mention_id"),
                         ("events", "event_id"))}


def _assert_data_checks(db: Path) -> None:
    tables = _base_tables(db)
    for table, columns in KEYS:
        if table not in tables:
            continue
        cols = ", ".join(columns)
        nulls = " OR ".join(f"{c} IS NULL" for c in columns)
        assert _query(db, f"SELECT count(*) FROM {table} WHERE {nulls}")[0][0] == 0, f"{table}.{cols} has nulls"
        dupes = _query(db, f"SELECT {cols}, count(*) FROM {table} GROUP BY ALL HAVING count(*) > 1 LIMIT 3")
        assert not dupes, f"{table}.({cols}) not unique: {dupes}"
    for table, columns in NOT_NULL:
        for column in columns:
            assert _query(db, f"SELECT count(*) FROM {table} WHERE {column} IS NULL")[0][0] == 0, f"{table}.{column}"
    orphans = {
        "articles without a raw page": "SELECT count(*) FROM articles WHERE page_id NOT IN (SELECT page_id FROM raw_pages)",
        "mentions without an article":
            "SELECT count(*) FROM event_mentions WHERE article_id NOT IN (SELECT article_id FROM articles)",
        "event links without an event":
            "SELECT count(*) FROM event_articles WHERE event_id NOT IN (SELECT event_id FROM events)",
        "event links without a mention":
            "SELECT count(*) FROM event_articles WHERE mention_id NOT IN (SELECT mention_id FROM event_mentions)",
    }
    for name, sql in orphans.items():
        assert _query(db, sql)[0][0] == 0, name


@pytest.fixture(scope="module")
def clean_run(prefect_harness: str, sample_sites: tuple[dict[str, str], Path],
              tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any, dict[str, int], dict[str, set[str]]]:
    data = tmp_path_factory.mktemp("clean")
    state = _run(data, [sample_sites[1]])
    db = data / "pantau.duckdb"
    return data, state, _counts(db), _ids(db)


def test_a_daily_run_lands_every_outlet(clean_run, sample_sites) -> None:  # type: ignore[no-untyped-def]
    data, state, counts, _ = clean_run
    summary = state.result()
    assert state.is_completed() and summary.status == "completed", state.message
    assert {o.source_id for o in summary.outlets} == set(sample_sites[0])
    assert all(o.ok and o.pages_stored > 0 for o in summary.outlets)
    db = data / "pantau.duckdb"
    per_outlet = dict(_query(db, "SELECT source_id, count(*) FROM raw_pages GROUP BY 1"))
    assert per_outlet == {o.source_id: o.pages_stored for o in summary.outlets}
    assert counts["raw_pages"] == summary.pages_fetched >= 25
    assert counts["articles"] == summary.process.articles > 0
    assert _query(db, "SELECT count(*) FROM articles WHERE relevant")[0][0] == summary.process.relevant > 0
    assert counts["events"] == summary.process.events > 0
    assert _query(db, "SELECT count(*) FROM events WHERE type = 'rakor'")[0][0] >= 3
    assert _indexed_articles(db) in (None, counts["articles"])
    _assert_data_checks(db)
    _assert_the_sample_corpus_landed(db)


def _assert_the_sample_corpus_landed(db: Path) -> None:
    """Checks against what the sample outlets serve (their article records), not against the run's own
    numbers: a summary equal to the database it was computed from proves only that both were written."""
    from pipeline.sample_sites.render import load_articles

    records = [r for r in load_articles() if not r.get("blocked")]  # a robots-disallowed page is never fetched
    written = {r["title"] for r in records if r.get("kind", "written") == "written"}
    stored = {title for (title,) in _query(db, "SELECT title FROM articles")}
    assert not written - stored, f"stories the outlets serve were not stored: {sorted(written - stored)}"
    blocked = {r["title"] for r in load_articles() if r.get("blocked")}
    assert blocked and not blocked & stored, "a page robots.txt disallows was stored"
    relevant = {title for (title,) in _query(db, "SELECT title FROM articles WHERE relevant")}
    near_misses = {r["title"] for r in records if r.get("kind") == "near_miss"}
    assert len(relevant & written) >= 0.8 * len(written), "most written neutrality stories must be relevant"
    assert len(relevant & near_misses) <= 0.3 * len(near_misses), "near misses must mostly stay irrelevant"
    rakor = [r for r in records if "-rakor" in r["id"] and r.get("event_date")]
    neutrality_days = {r["event_date"] for r in rakor if r.get("kind") != "near_miss"}
    other_days = {r["event_date"] for r in rakor if r.get("kind") == "near_miss"}  # a rakor on inflation, say
    found_days = {str(day) for (day,) in _query(db, "SELECT date FROM events WHERE type = 'rakor'")}
    assert neutrality_days <= found_days, f"rakor of the corpus missing: {sorted(neutrality_days - found_days)}"
    assert not other_days & found_days, f"a rakor on another subject became an event: {other_days & found_days}"
    # One real rakor, one answer: every rakor the corpus reports is dated there, so an undated rakor event
    # is a report that failed to join its event (or a past rakor a story only recalls).
    undated = _query(db, "SELECT organizer FROM events WHERE type = 'rakor' AND date IS NULL")
    assert not undated, f"rakor events split off without a date: {undated}"


def test_the_run_summary_is_a_markdown_artifact(clean_run) -> None:  # type: ignore[no-untyped-def]
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    from flows.daily import ARTIFACT_KEY

    _, state, _, _ = clean_run
    summary = state.result()
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(
            flow_run_id=ArtifactFilterFlowRunId(any_=[summary.flow_run_id])))
    (artifact,) = [a for a in artifacts if a.key == ARTIFACT_KEY]
    assert artifact.type == "markdown"
    assert "pages fetched" in artifact.data and "relevant articles" in artifact.data
    assert "tribunpontianak" in artifact.data


def test_a_dead_outlet_fails_alone(prefect_harness, sample_sites, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    dead = tmp_path / "dead.yaml"
    dead.write_text(DEAD_OUTLET, encoding="utf-8")
    state = _run(tmp_path, [sample_sites[1], dead])
    summary = state.result()
    assert state.is_completed(), state
    assert summary.status == "partially successful"
    assert summary.failed_outlets == ["dead"]
    assert "dead" in (state.message or "")
    (outlet,) = [o for o in summary.outlets if o.source_id == "dead"]
    assert outlet.status == "unreachable" and outlet.attempts == 1  # not retried: nothing transient about it
    assert any("refused" in e for e in outlet.errors)
    assert "## Failed outlets" in summary.to_markdown() and "`dead`" in summary.to_markdown()
    landed = dict(_query(tmp_path / "pantau.duckdb", "SELECT source_id, count(*) FROM raw_pages GROUP BY 1"))
    assert set(landed) == set(sample_sites[0])  # the other five landed
    assert summary.process is not None and summary.process.articles == sum(landed.values())
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[summary.flow_run_id])))
    states = {r.name: r.state_type.value for r in runs if r.state_type is not None}
    assert states["crawl-dead"] == "FAILED"
    assert all(states[f"crawl-{s}"] == "COMPLETED" for s in sample_sites[0])


def test_a_rerun_adds_nothing_while_a_reader_holds_the_file(clean_run, sample_sites) -> None:  # type: ignore[no-untyped-def]
    data, _, counts, ids = clean_run
    db = data / "pantau.duckdb"
    # An analyst's notebook opening and closing the file read-only throughout the run: the crawls,
    # four at once, must wait for it rather than fail.
    reader = subprocess.Popen([sys.executable, "-c", (
        "import duckdb, sys, time\nend = time.time() + 6\nprint('open', flush=True)\n"
        "while time.time() < end:\n"
        f"    con = duckdb.connect({str(db)!r}, read_only=True); time.sleep(0.8); con.close(); time.sleep(0.1)\n")],
        stdout=subprocess.PIPE, text=True)
    assert reader.stdout is not None and reader.stdout.readline().strip() == "open"
    try:
        state = _run(data, [sample_sites[1]])
    finally:
        reader.wait(timeout=30)
    summary = state.result()
    assert state.is_completed() and summary.status == "completed", state.message
    assert summary.pages_fetched == 0 and summary.process.articles == 0
    assert _counts(db) == counts
    assert _ids(db) == ids
    assert _indexed_articles(db) in (None, counts["articles"])
    _assert_data_checks(db)


def test_only_transient_failures_are_retried() -> None:
    from prefect.states import Failed

    from flows.crawl_runner import CrawlConfigError, CrawlerCrashed
    from flows.daily import OutletUnreachable, is_transient
    from pipeline.store import StoreLockedError

    def retried(error: Exception) -> bool:
        return is_transient(None, None, Failed(data=error))

    assert retried(StoreLockedError("held by a notebook")) and retried(CrawlerCrashed("exit -9"))
    assert not retried(OutletUnreachable("dead: unreachable")) and not retried(CrawlConfigError("no such source"))
    assert not retried(ValueError("a bug"))


def _wait_for(condition: Callable[[], bool], proc: subprocess.Popen[bytes], log: Path, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if proc.poll() is not None:
            pytest.fail(f"the run ended (rc {proc.returncode}) before it could be killed:\n{log.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail(f"timed out waiting to kill the run:\n{log.read_text()[-3000:]}")
        time.sleep(0.05)


def _start(args: list[str], log: Path, api_url: str, data: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PREFECT_API_URL": api_url, "PREFECT_HOME": str(data / ".prefect"),
           "PANTAU_DATA": str(data), "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, *args], cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the flow process alone; its crawl processes must die with it."""
    proc.kill()
    proc.wait(timeout=30)


def _files(data: Path) -> dict[str, int]:
    return {str(p): p.stat().st_size for p in data.rglob("*") if p.is_file() and ".prefect" not in p.parts}


@pytest.fixture(scope="module")
def resumed_run(prefect_harness, clean_run, sample_sites,  # type: ignore[no-untyped-def]
                tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """A day killed twice with SIGKILL (mid-crawl, then in the processing stage), then run to the end."""
    _, _, clean_counts, _ = clean_run
    registry = str(sample_sites[1])
    tmp_path = tmp_path_factory.mktemp("resumed")
    data = tmp_path / "data"
    db = data / "pantau.duckdb"

    # 1. Killed mid-crawl, one outlet at a time, once a few raw pages are on disk.
    log = tmp_path / "first.log"
    code = ("from prefect.task_runners import ThreadPoolTaskRunner\nfrom flows.daily import daily_run\n"
            "daily_run.with_options(task_runner=ThreadPoolTaskRunner(max_workers=1))"
            f"({str(data)!r}, [{registry!r}], fast=True, db={str(db)!r})\n")
    proc = _start(["-c", code], log, prefect_harness, data)
    _wait_for(lambda: len(list((data / "raw").rglob("*.html.gz"))) >= 2, proc, log, 90)
    _kill(proc)
    time.sleep(0.5)
    files = _files(data)
    time.sleep(1.5)
    assert _files(data) == files, "an orphaned crawl process kept writing after the flow process died"
    assert list((data / "spool" / "outlets").glob("*/*.jsonl")), "the killed crawl left its spool for the next run"
    assert len(list((data / "raw").rglob("*.html.gz"))) < clean_counts["raw_pages"]

    # 2. `pantau daily`, killed in the processing stage once pages were saved. Pages are saved in batches, so
    #    the kill may land after the last one was saved, while events are resolved and the index rebuilt.
    log = tmp_path / "second.log"
    proc = _start(["-m", "pipeline.cli", "daily", "--registry", registry, "--fast", "--db", str(db)], log,
                  prefect_harness, data)
    _wait_for(lambda: "processed 25/" in log.read_text(errors="replace"), proc, log, 90)
    _kill(proc)
    assert not list((data / "spool" / "outlets").glob("*/*.jsonl")), "the second run loaded the first one's spool"
    assert 25 <= _query(db, "SELECT count(*) FROM articles")[0][0] <= clean_counts["articles"]

    # 3. Started again: it completes the day.
    return db, _run(data, [sample_sites[1]])


def test_a_killed_run_resumes_to_the_same_result(resumed_run, clean_run) -> None:  # type: ignore[no-untyped-def]
    _, _, clean_counts, clean_ids = clean_run
    db, state = resumed_run
    assert state.is_completed() and state.result().status == "completed", state.message
    assert _counts(db) == clean_counts  # nothing duplicated, nothing lost
    assert _ids(db) == clean_ids
    _assert_data_checks(db)


def test_a_killed_run_leaves_the_search_index_whole(resumed_run, clean_run) -> None:  # type: ignore[no-untyped-def]
    # process_pages indexes every article the index lacks, so a run killed between the last save and the
    # index commit is mended by the rerun; the store's markers agree with the index.
    db, _ = resumed_run
    assert _indexed_articles(db) == _counts(db)["articles"]
    assert _query(db, "SELECT count(*) FROM search_indexed")[0][0] == _counts(db)["articles"]


def test_the_weekly_digest_covers_the_week(clean_run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from flows.weekly_digest import weekly_digest

    data, _, _, _ = clean_run
    digest = weekly_digest(str(data / "pantau.duckdb"), "2024-W38", str(tmp_path))
    assert (digest.first_day, digest.last_day) == (date(2024, 9, 16), date(2024, 9, 22))
    assert digest.rakor >= 2
    text = Path(digest.path).read_text(encoding="utf-8")
    assert "2024-W38" in text and Path(digest.path).parent == tmp_path


def test_the_week_just_ended_is_counted_in_jakarta() -> None:
    from zoneinfo import ZoneInfo

    from flows.weekly_digest import week_days, week_just_ended

    jakarta = ZoneInfo("Asia/Jakarta")
    # Monday 07:00 WIB is still Sunday in UTC: the week just ended is the one before this Monday.
    assert week_just_ended(datetime(2024, 11, 18, 7, 0, tzinfo=jakarta)) == "2024-W46"
    assert week_just_ended(datetime(2024, 11, 17, 23, 30, tzinfo=ZoneInfo("UTC"))) == "2024-W46"
    assert week_just_ended(datetime(2025, 1, 6, 7, 0, tzinfo=jakarta)) == "2025-W01"
    assert week_days("2024-W46") == (date(2024, 11, 11), date(2024, 11, 17))
    with pytest.raises(ValueError, match="2024-W46"):
        week_days("2024-46")


def test_the_schedules_are_cron_in_jakarta(tmp_path: Path) -> None:
    from flows.schedule import deployments

    daily, weekly = deployments(str(tmp_path), ["data/sources"])
    assert (daily.name, daily.entrypoint) == ("daily", "flows.daily.daily_run")
    assert (weekly.name, weekly.entrypoint) == ("weekly-digest", "flows.weekly_digest.weekly_digest")
    assert [(s.schedule.cron, s.schedule.timezone) for s in daily.schedules] == [("0 6 * * *", "Asia/Jakarta")]
    assert [(s.schedule.cron, s.schedule.timezone) for s in weekly.schedules] == [("0 7 * * 1", "Asia/Jakarta")]
    assert daily.parameters == {"data_dir": str(tmp_path), "registry": ["data/sources"],
                                "db": str(tmp_path / "pantau.duckdb")}
    assert weekly.parameters["db"] == str(tmp_path / "pantau.duckdb")


def test_the_cli_wires_the_flows_without_importing_them() -> None:
    code = ("import sys, pipeline.cli as c\n"
            "assert not [m for m in sys.modules if m == 'flows' or m.startswith('flows.')], 'flows imported'\n"
            "p = c.build_parser()\n"
            "a = p.parse_args(['daily', '--sources', 'a,b', '--fast', '--db', 'x.duckdb'])\n"
            "assert a.func is c.cmd_daily and a.sources == 'a,b' and a.fast\n"
            "assert p.parse_args(['schedule']).func is c.cmd_schedule\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
