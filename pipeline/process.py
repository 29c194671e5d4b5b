"""The processing stage: raw pages -> articles -> annotations -> resolved events.

Reads stored pages (never the network), so a fix to extraction or annotation
is applied by re-running this stage alone. A page is processed when its
extractor version is not the current one; an article is re-annotated when its
annotator version is not the current one. Pages are saved in batches, each in
one transaction, so a run killed half-way resumes at the first page of the
batch it was in.
"""

from __future__ import annotations

import datetime as dt
import gzip
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pipeline.budget import time_budget
from pipeline.duplicates import DuplicateFinder
from pipeline.extract import EXTRACTOR_VERSION, NotAnArticle, extract_html
from pipeline.extract.dedup import signature_bytes, signature_from_bytes
from pipeline.nlp.annotator import Annotator
from pipeline.records import Annotation, ExtractedArticle
from pipeline.resolve import resolve_events
from pipeline.settings import Paths
from pipeline.store import Store
from pipeline.store.search import update_search_index
from pipeline.store.writer import ProcessedPage
from pipeline.urls import host_and_port
from pipeline.workers import WorkerPool, default_workers, worker_state

log = logging.getLogger(__name__)

# Pages saved per transaction: a commit and each statement cost as much as saving dozens of articles. At 500 the
# writer spends ~1.6 ms a page (100: ~2.2), the share of the two cores the workers do not get; a killed run
# redoes at most one batch.
SAVE_BATCH_PAGES = 500
# Extraction and annotation of one page: a news page takes well under a second; past this it is a broken
# or hostile page, recorded as that page's error so the rest of the run goes on.
PAGE_BUDGET_S = 60.0
# A failed page is retried on the next runs; after this many failures in a row for the same reason it is
# given up until `pantau process --retry-failed` (a missing raw file may come back, a bug may be fixed).
MAX_PAGE_ATTEMPTS = 3


@dataclass
class ProcessSummary:
    pages: int = 0
    articles: int = 0
    rejected: int = 0
    failed: int = 0
    duplicates: int = 0
    relevant: int = 0
    reannotated: int = 0
    events: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


def region_reference() -> list[tuple[str, str, str, str, str]]:
    """Rows of the ``regions`` table: every province and kabupaten/kota, and Nasional."""
    from pipeline.nlp.components import shared_gazetteer

    gazetteer = shared_gazetteer()
    provinces = {p.code: p.name for p in gazetteer.provinces()}
    rows = [("00", "nasional", "Nasional", "00", "Nasional")]
    rows += [(r.code, r.kind, r.name, r.province_code, provinces[r.province_code])
             for r in [*gazetteer.provinces(), *gazetteer.regencies()]]
    return rows


@dataclass(frozen=True)
class PendingPage:
    """A stored page to process, with the outcome of its last attempt."""

    page_id: str
    url: str
    path: str
    listed_date: str | None
    content_type: str | None
    timezone: str
    source_id: str
    last_status: str | None
    failures: int
    fetched_at: dt.datetime | None = None


@dataclass(frozen=True)
class PageJob:
    """What a worker needs to process one stored page (picklable)."""

    page: PendingPage
    raw_dir: Path
    hosts: tuple[str, ...]


@dataclass(frozen=True)
class PageOutcome:
    """A worker's result for one page: what to save (without its duplicate link, found by the writer),
    the page's MinHash signature, and the line for the run summary when it failed."""

    saved: ProcessedPage
    signature: bytes | None = None
    error: str | None = None

    @property
    def kind(self) -> str:
        if self.saved.article is not None:
            return "article"
        return "failed" if self.error is not None else "rejected"


# Pending pages read from the store at a time: the list of a whole re-extraction (every stored page after an
# extractor upgrade) would not fit the memory a daily run may use.
PENDING_BATCH = 2_000
_PENDING_SQL = (
    "SELECT p.page_id, p.url, p.path, p.listed_date, p.content_type, coalesce(s.timezone, 'WIB'), p.source_id, "
    "p.extract_status, coalesce(p.extract_failures, 0), coalesce(p.fetched_at, TIMESTAMP '1970-01-01') AS fetched "
    "FROM raw_pages p LEFT JOIN sources s USING (source_id) "
    "WHERE (p.extracted_with IS DISTINCT FROM ? OR (? AND p.extract_status LIKE 'error:%')) "
    "AND p.path NOT LIKE 'warc:%' "
)


def count_pending_pages(store: Store, retry_failed: bool = False) -> int:
    return int(store.query("SELECT count(*) FROM (" + _PENDING_SQL + ")", [EXTRACTOR_VERSION, retry_failed])[0][0])


def pending_pages(store: Store, limit: int | None = None, retry_failed: bool = False) -> Iterator[PendingPage]:
    """Pages not processed by the current extractor (a failed page counts as not processed until it is
    given up); with ``retry_failed``, the given-up pages too. Pages that live in a WARC archive
    ('warc:<file>@<offset>') are re-extracted by rerunning ``pantau backfill``, not here.

    Read in fetch order, ``PENDING_BATCH`` at a time (keyset pagination: a failed page stays pending, so
    paging by offset or by "still pending" would skip or repeat pages). Each batch is fetched whole, so the
    store's connection is free between batches for the saves.
    """
    after: tuple[Any, ...] | None = None
    left = limit if limit else None
    while left is None or left > 0:
        size = PENDING_BATCH if left is None else min(PENDING_BATCH, left)
        keyset = "" if after is None else "AND (fetched, p.page_id) > (CAST(? AS TIMESTAMP), ?) "
        rows = store.query(_PENDING_SQL + keyset + f"ORDER BY fetched, p.page_id LIMIT {size}",
                           [EXTRACTOR_VERSION, retry_failed, *(after or ())])
        for row in rows:
            yield PendingPage(*row)
        if len(rows) < size:
            return
        after = (rows[-1][9], rows[-1][0])
        if left is not None:
            left -= len(rows)


def outlet_hosts(store: Store) -> dict[str, tuple[str, ...]]:
    """host[:port] of each outlet's home page: where a page's canonical URL may point (``read_canonical``)."""
    return {source_id: (host_and_port(home),) for source_id, home in store.query("SELECT source_id, home FROM sources")}


def _charset(content_type: str | None) -> str | None:
    if content_type and "charset=" in content_type.lower():
        return content_type.lower().split("charset=", 1)[1].split(";")[0].strip() or None
    return None


def _load_annotator(state: dict[str, Any]) -> None:
    """Worker setup: the annotator, loaded once per process (inherited when the worker is forked)."""
    if "annotator" not in state:
        state["annotator"] = Annotator()


def annotation_pool(annotator: Annotator | None, workers: int | None) -> WorkerPool:
    """Worker processes that each hold an annotator: the one passed in (forked workers inherit it), the
    one an earlier run of this process loaded, or a new one."""
    if annotator is not None:
        worker_state()["annotator"] = annotator
    return WorkerPool(workers if workers is not None else default_workers(), setup=_load_annotator)


def process_pages(
    paths: Paths,
    *,
    limit: int | None = None,
    annotator: Annotator | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    lock_timeout_s: float = 30.0,
    retry_failed: bool = False,
    workers: int | None = None,
) -> ProcessSummary:
    """Extract and annotate every page not yet processed by the current versions; then resolve events.

    Extraction and annotation run in ``workers`` processes (default: ``PANTAU_WORKERS`` or the machine's
    cores; 1 runs them here); this process checks duplicates and saves, in page order, so the store ends
    the same whatever the number of workers. A page that failed is tried again on later runs;
    ``retry_failed`` also retries the pages given up after ``MAX_PAGE_ATTEMPTS`` identical failures.
    """
    started = time.monotonic()
    summary = ProcessSummary()
    with annotation_pool(annotator, workers) as pool, Store(paths.db, lock_timeout_s=lock_timeout_s) as store:
        store.ensure_regions(region_reference())
        duplicates = DuplicateFinder(store)
        total = count_pending_pages(store, retry_failed)
        total = min(total, limit) if limit else total
        hosts = outlet_hosts(store)
        jobs = (PageJob(page, paths.raw, hosts.get(page.source_id, ()))
                for page in pending_pages(store, limit, retry_failed))
        batch: list[PageOutcome] = []

        def flush() -> None:
            _save_outcomes(store, duplicates, batch, summary)
            if on_progress is not None:
                for number in range(summary.pages - len(batch) + 1, summary.pages + 1):
                    on_progress(number, total)
            batch.clear()

        try:
            for outcome in pool.map(_page_worker, jobs, on_death=_page_died):
                summary.pages += 1
                batch.append(outcome)
                if len(batch) >= SAVE_BATCH_PAGES:
                    flush()
        except BaseException:
            if batch:  # an unexpected error keeps what was done before it
                _save_outcomes(store, duplicates, batch, summary)
            raise
        flush()
        summary.reannotated = reannotate_stale(store, pool)
        summary.events = resolve_events(store)
        update_search_index(store)  # also mends an index a killed run left behind
    summary.seconds = time.monotonic() - started
    return summary


def _save_outcomes(store: Store, duplicates: DuplicateFinder, outcomes: list[PageOutcome],
                   summary: ProcessSummary) -> None:
    """One batch of workers' results: duplicate links found in page order, then saved in one transaction."""
    articles = [o for o in outcomes if o.kind == "article"]
    originals = duplicates.check_many([(o.saved.article, signature_from_bytes(o.signature)) for o in articles
                                       if o.saved.article is not None])
    links = {id(o): original for o, original in zip(articles, originals, strict=True)}
    saved = []
    for outcome in outcomes:
        if outcome.kind == "failed":
            summary.failed += 1
            summary.errors.append(outcome.error or "")
        elif outcome.kind == "rejected":
            summary.rejected += 1
        else:
            original = links[id(outcome)]
            summary.articles += 1
            summary.duplicates += original is not None
            summary.relevant += bool(outcome.saved.annotation and outcome.saved.annotation.relevant)
            outcome = PageOutcome(replace(outcome.saved, duplicate_of=original), outcome.signature)
        saved.append(outcome.saved)
    store.save_processed_pages(saved)


def _page_worker(job: PageJob) -> PageOutcome:
    """Extract and annotate one stored page, in a worker process.

    Any exception from one page's bytes (a RecursionError from nested JSON-LD, a page past its time
    budget, a bug a page triggers) becomes that page's recorded error: one page never stops a run.
    """
    page = job.page
    annotator: Annotator = worker_state()["annotator"]
    try:
        with time_budget(PAGE_BUDGET_S):
            body = gzip.decompress((job.raw_dir / page.path).read_bytes())
            result = extract_html(body, page.url, timezone=page.timezone, listed_date=page.listed_date,
                                  source_id=page.source_id, page_id=page.page_id,
                                  http_charset=_charset(page.content_type), outlet_hosts=job.hosts)
            annotation = None if isinstance(result, NotAnArticle) else annotator.annotate(result)
    except Exception as exc:  # any exception, see the docstring
        return _failure(page, f"{type(exc).__name__}: {exc}")
    if isinstance(result, NotAnArticle) or annotation is None:
        return PageOutcome(ProcessedPage(page.page_id, f"rejected: {getattr(result, 'reason', '')}"[:300],
                                         EXTRACTOR_VERSION))
    raw = signature_bytes(result.text)
    return PageOutcome(ProcessedPage(page.page_id, "ok", EXTRACTOR_VERSION, result, annotation, None, raw), raw)


def _page_died(job: PageJob) -> PageOutcome:
    return _failure(job.page, "WorkerDied: the worker process processing this page died (killed or crashed)")


def _failure(page: PendingPage, message: str) -> PageOutcome:
    """A page's failure: retried on the next runs until it has failed the same way MAX_PAGE_ATTEMPTS times."""
    status = f"error: {message}"[:300]
    failures = page.failures + 1 if status == page.last_status else 1
    given_up = failures >= MAX_PAGE_ATTEMPTS
    outcome = (f"given up after {failures} identical failures (pantau process --retry-failed)" if given_up
               else f"failure {failures} of {MAX_PAGE_ATTEMPTS}, retried on the next run")
    log.warning("page %s failed: %s (%s)", page.url, message, outcome)
    # Not marked as processed (extracted_with NULL) until given up, so the next run tries again.
    return PageOutcome(ProcessedPage(page.page_id, status, EXTRACTOR_VERSION if given_up else None,
                                     failures=failures),
                       error=f"{page.url}: {message}"[:450] + f" ({outcome})")


# Stale articles read from the store at a time for re-annotation.
REANNOTATE_BATCH = 500
_ARTICLE_FIELDS = ("article_id", "canonical_url", "url", "source_id", "title", "text", "published",
                   "published_source", "author", "lang", "page_id", "content_hash", "extractor_version")


def reannotate_stale(store: Store, pool: WorkerPool) -> int:
    """Articles annotated by an older annotator version get the current one, on the pool's workers.

    Read ``REANNOTATE_BATCH`` at a time in article order (keyset pagination: an article whose
    re-annotation fails keeps its older annotation and must not be read again in this run).
    """
    version = worker_state()["annotator"].version
    done, after = 0, ""
    while True:
        rows = store.query(f"SELECT {', '.join(_ARTICLE_FIELDS)} FROM articles "
                           "WHERE annotator_version IS DISTINCT FROM ? AND article_id > ? "
                           f"ORDER BY article_id LIMIT {REANNOTATE_BATCH}", [version, after])
        if not rows:
            return done
        articles = [ExtractedArticle(**dict(zip(_ARTICLE_FIELDS, row, strict=True)) | {
            "text": row[5] or "", "lang": row[9] or "id", "content_hash": row[11] or "",
            "extractor_version": row[12] or ""}) for row in rows]
        annotations = {article_id: annotation for article_id, annotation in pool.map(_annotate_worker, articles)
                       if annotation is not None}
        store.replace_annotations(annotations)
        done += len(rows)
        after = rows[-1][0]


def _annotate_worker(article: ExtractedArticle) -> tuple[str, Annotation | None]:
    """Annotate one article in a worker; a failure keeps its older annotation and is logged."""
    annotator: Annotator = worker_state()["annotator"]
    try:
        with time_budget(PAGE_BUDGET_S):
            return article.article_id, annotator.annotate(article)
    except Exception as exc:  # one article keeps its older annotation; the others go on
        log.warning("re-annotating %s failed: %s: %s", article.url, type(exc).__name__, exc)
        return article.article_id, None


def ingest_articles(paths: Paths, articles: Iterable[ExtractedArticle], *, annotator: Annotator | None = None,
                    lock_timeout_s: float = 30.0, workers: int | None = None) -> ProcessSummary:
    """Articles that arrive as text or HTML input (``pantau ingest``) rather than from a crawl.

    Annotated on ``workers`` processes as ``process_pages`` does; saved in input order.
    """
    started = time.monotonic()
    summary = ProcessSummary()
    with annotation_pool(annotator, workers) as pool, Store(paths.db, lock_timeout_s=lock_timeout_s) as store:
        store.ensure_regions(region_reference())
        duplicates = DuplicateFinder(store)
        batch: list[tuple[ExtractedArticle, Annotation, bytes | None]] = []

        def flush() -> None:
            originals = duplicates.check_many([(article, signature_from_bytes(raw)) for article, _, raw in batch])
            store.save_articles([(article, annotation, original, raw)
                                 for (article, annotation, raw), original in zip(batch, originals, strict=True)])
            summary.duplicates += sum(original is not None for original in originals)
            batch.clear()

        for article, annotation, raw, error in pool.map(_ingest_worker, articles):
            if annotation is None:  # one article's error, as for a stored page
                summary.failed += 1
                summary.errors.append(f"{article.url}: {error}"[:500])
                continue
            batch.append((article, annotation, raw))
            summary.articles += 1
            summary.relevant += annotation.relevant
            if len(batch) >= SAVE_BATCH_PAGES:
                flush()
        flush()
        summary.events = resolve_events(store)
        update_search_index(store)
    summary.seconds = time.monotonic() - started
    return summary


def _ingest_worker(article: ExtractedArticle) -> tuple[ExtractedArticle, Annotation | None, bytes | None, str | None]:
    """Annotate one input article and sign its text, in a worker."""
    annotator: Annotator = worker_state()["annotator"]
    try:
        with time_budget(PAGE_BUDGET_S):
            annotation = annotator.annotate(article)
    except Exception as exc:  # any exception: that article's error
        return article, None, None, f"{type(exc).__name__}: {exc}"
    return article, annotation, signature_bytes(article.text), None
