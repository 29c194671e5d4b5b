"""One page never stops a processing run (issue 12, items 1, 2 and 7).

Pages are stored the way the crawler stores them (gzip under ``raw/`` and a
``raw_pages`` row); ``process_pages`` then runs over them for real.
"""

from __future__ import annotations

import gzip
import hashlib
import time
from pathlib import Path

import pytest

from pipeline.budget import BudgetExceeded, time_budget
from pipeline.process import ProcessSummary, process_pages
from pipeline.records import RawPage
from pipeline.settings import Paths
from pipeline.store import Store, connect_readonly

GOOD_TEXT = (
    "Pemerintah Kabupaten Buol menggelar rapat koordinasi netralitas ASN pada Senin, 16 September 2024. "
    "Bupati Buol memimpin rapat yang dihadiri para kepala dinas dan camat se-Kabupaten Buol. "
) * 4
NESTED_JSON_LD = '{"a":' * 50_000 + "1" + "}" * 50_000


def _html(title: str, body: str, head: str = "") -> bytes:
    return (f"<html><head><title>{title}</title>{head}</head><body><article><h1>{title}</h1>"
            f"<p>{body}</p><p>{body}</p></article></body></html>").encode()


def store_page(paths: Paths, url: str, body: bytes, *, write_file: bool = True) -> str:
    """A page stored as the crawler stores it; returns its page id."""
    page_id = hashlib.sha1(url.encode()).hexdigest()
    rel = f"test/{page_id}.html.gz"
    if write_file:
        (paths.raw / "test").mkdir(parents=True, exist_ok=True)
        (paths.raw / rel).write_bytes(gzip.compress(body))
    with Store(paths.db) as store:
        store.upsert_raw_pages([RawPage(page_id, "test-outlet", url, url, "2024-09-17T00:00:00", 200,
                                        "text/html; charset=utf-8", rel, hashlib.sha256(body).hexdigest(),
                                        len(body), "seed")])
    return page_id


def _status(paths: Paths) -> dict[str, str]:
    con = connect_readonly(paths.db)
    try:
        return dict(con.execute("SELECT url, extract_status FROM raw_pages").fetchall())
    finally:
        con.close()


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths.under(tmp_path)


def test_a_page_that_raises_anything_is_its_own_error_and_the_run_goes_on(paths: Paths) -> None:
    hostile = "https://hostile.example/nested"
    good = "https://good.example/rakor-netralitas-asn"
    store_page(paths, hostile, _html("Nested", GOOD_TEXT,
                                     f'<script type="application/ld+json">{NESTED_JSON_LD}</script>'))
    store_page(paths, good, _html("Rakor netralitas ASN di Buol", GOOD_TEXT))
    summary: ProcessSummary = process_pages(paths)
    assert summary.failed == 1
    assert any(error.startswith(hostile) and "RecursionError" in error for error in summary.errors)
    statuses = _status(paths)
    assert statuses[hostile].startswith("error: RecursionError")
    assert statuses[good] == "ok"


def test_the_time_budget_interrupts_a_long_pure_python_loop() -> None:
    started = time.monotonic()
    with pytest.raises(BudgetExceeded), time_budget(0.2):
        while True:
            pass
    assert time.monotonic() - started < 5
    with time_budget(5):  # work inside its budget is untouched, and nothing fires afterwards
        total = sum(range(1000))
    time.sleep(0.3)
    assert total == 499500


def test_a_page_over_its_time_budget_is_recorded_and_the_run_goes_on(paths: Paths,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.process as process

    slow = "https://slow.example/stall"
    good = "https://good.example/rakor"
    store_page(paths, slow, _html("Stall", GOOD_TEXT))
    store_page(paths, good, _html("Rakor netralitas ASN di Buol", GOOD_TEXT))
    real_extract = process.extract_html

    def stalling_extract(body: bytes, url: str, **kwargs):  # type: ignore[no-untyped-def]
        while url == slow:
            pass
        return real_extract(body, url, **kwargs)

    monkeypatch.setattr(process, "extract_html", stalling_extract)
    monkeypatch.setattr(process, "PAGE_BUDGET_S", 0.5)
    summary = process_pages(paths)
    assert any(error.startswith(slow) and "BudgetExceeded" in error for error in summary.errors)
    assert _status(paths)[good] == "ok"


def test_a_page_whose_raw_file_was_briefly_missing_is_retried_and_recovers(paths: Paths) -> None:
    url = "https://good.example/rakor-asn-buol"
    body = _html("Rakor netralitas ASN di Buol", GOOD_TEXT)
    page_id = store_page(paths, url, body, write_file=False)
    first = process_pages(paths)
    assert first.failed == 1 and _status(paths)[url].startswith("error: FileNotFoundError")
    (paths.raw / "test").mkdir(parents=True, exist_ok=True)
    (paths.raw / f"test/{page_id}.html.gz").write_bytes(gzip.compress(body))
    second = process_pages(paths)
    assert second.pages == 1 and second.articles == 1
    assert _status(paths)[url] == "ok"


def test_a_page_failing_the_same_way_is_given_up_after_n_runs_and_retried_on_demand(paths: Paths) -> None:
    from pipeline.process import MAX_PAGE_ATTEMPTS

    url = "https://gone.example/rakor"
    store_page(paths, url, b"", write_file=False)
    for _ in range(MAX_PAGE_ATTEMPTS):
        assert process_pages(paths).failed == 1
    given_up = process_pages(paths)
    assert given_up.pages == 0
    assert "given up" in " ".join(process_pages(paths, retry_failed=True).errors)


def test_a_refetch_of_a_page_whose_raw_file_was_lost_is_processed_again(paths: Paths) -> None:
    from pipeline.crawl import _export_known_urls
    from pipeline.process import MAX_PAGE_ATTEMPTS

    url = "https://gone.example/rakor-hilang"
    body = _html("Rakor netralitas ASN di Buol", GOOD_TEXT)
    page_id = store_page(paths, url, body, write_file=False)
    for _ in range(MAX_PAGE_ATTEMPTS):
        process_pages(paths)
    with Store(paths.db) as store:
        _export_known_urls(store, paths.data / "known.txt")
    assert url not in (paths.data / "known.txt").read_text(encoding="utf-8").split("\n")  # the crawler refetches
    store_page(paths, url, body)  # what loading the refetch's spool does
    assert page_id and process_pages(paths).articles == 1
