"""The processing stage: raw pages -> articles -> annotations -> resolved events.

Reads stored pages (never the network), so a fix to extraction or annotation
is applied by re-running this stage alone. A page is processed when its
extractor version is not the current one; an article is re-annotated when its
annotator version is not the current one. Pages are saved in batches, each in
one transaction, so a run killed half-way resumes at the first page of the
batch it was in.
"""

from __future__ import annotations

import gzip
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pipeline.budget import time_budget
from pipeline.duplicates import DuplicateFinder
from pipeline.extract import EXTRACTOR_VERSION, NotAnArticle, extract_html
from pipeline.nlp.annotator import Annotator
from pipeline.records import Annotation, ExtractedArticle
from pipeline.resolve import resolve_events
from pipeline.settings import Paths
from pipeline.store import Store
from pipeline.store.writer import ProcessedPage
from pipeline.urls import host_and_port

log = logging.getLogger(__name__)

# Pages saved per transaction: a commit costs as much as saving dozens of articles' rows.
SAVE_BATCH_PAGES = 100
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


def _pending_pages(store: Store, limit: int | None, retry_failed: bool = False) -> list[PendingPage]:
    """Pages not processed by the current extractor (a failed page counts as not processed until it is
    given up); with ``retry_failed``, the given-up pages too. Pages that live in a WARC archive
    ('warc:<file>@<offset>') are re-extracted by rerunning ``pantau backfill``, not here."""
    sql = (
        "SELECT p.page_id, p.url, p.path, p.listed_date, p.content_type, coalesce(s.timezone, 'WIB'), p.source_id, "
        "p.extract_status, coalesce(p.extract_failures, 0) "
        "FROM raw_pages p LEFT JOIN sources s USING (source_id) "
        "WHERE (p.extracted_with IS DISTINCT FROM ? OR (? AND p.extract_status LIKE 'error:%')) "
        "AND p.path NOT LIKE 'warc:%' "
        "ORDER BY p.fetched_at, p.page_id"
    )
    rows = store.query(sql + (f" LIMIT {int(limit)}" if limit else ""), [EXTRACTOR_VERSION, retry_failed])
    return [PendingPage(*row) for row in rows]


def outlet_hosts(store: Store) -> dict[str, tuple[str, ...]]:
    """host[:port] of each outlet's home page: where a page's canonical URL may point (``read_canonical``)."""
    return {source_id: (host_and_port(home),) for source_id, home in store.query("SELECT source_id, home FROM sources")}


def _charset(content_type: str | None) -> str | None:
    if content_type and "charset=" in content_type.lower():
        return content_type.lower().split("charset=", 1)[1].split(";")[0].strip() or None
    return None


def process_pages(
    paths: Paths,
    *,
    limit: int | None = None,
    annotator: Annotator | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    lock_timeout_s: float = 30.0,
    retry_failed: bool = False,
) -> ProcessSummary:
    """Extract and annotate every page not yet processed by the current versions; then resolve events.

    A page that failed is tried again on later runs; ``retry_failed`` also retries the pages given up after
    ``MAX_PAGE_ATTEMPTS`` identical failures.
    """
    started = time.monotonic()
    summary = ProcessSummary()
    annotator = annotator or Annotator()
    with Store(paths.db, lock_timeout_s=lock_timeout_s) as store:
        store.ensure_regions(region_reference())
        duplicates = DuplicateFinder(store)
        pending = _pending_pages(store, limit, retry_failed)
        hosts = outlet_hosts(store)
        batch: list[ProcessedPage] = []

        def flush() -> None:
            done = batch[:]
            batch.clear()
            store.save_processed_pages(done)
            if on_progress is not None:
                for number in range(summary.pages - len(done) + 1, summary.pages + 1):
                    on_progress(number, len(pending))

        try:
            for page in pending:
                if len(batch) >= SAVE_BATCH_PAGES:
                    flush()
                summary.pages += 1
                batch.append(_process_page(paths, annotator, duplicates, summary, page,
                                           hosts.get(page.source_id, ())))
        except BaseException:
            if batch:  # an unexpected error keeps what was done before it, as saving page by page did
                store.save_processed_pages(batch)
            raise
        flush()
        summary.reannotated = reannotate_stale(store, annotator)
        summary.events = resolve_events(store)
        if summary.articles or summary.reannotated or not store.search_index_covers_articles():
            store.rebuild_search_index()
    summary.seconds = time.monotonic() - started
    return summary


def _process_page(paths: Paths, annotator: Annotator, duplicates: DuplicateFinder, summary: ProcessSummary,
                  page: PendingPage, hosts: tuple[str, ...] = ()) -> ProcessedPage:
    """Extract and annotate one stored page; the outcome is counted in ``summary``.

    Any exception from one page's bytes (a RecursionError from nested JSON-LD, a page past its time
    budget, a bug a page triggers) becomes that page's recorded error: one page never stops a run.
    """
    page_id, url = page.page_id, page.url
    try:
        with time_budget(PAGE_BUDGET_S):
            body = gzip.decompress((paths.raw / page.path).read_bytes())
            result = extract_html(body, url, timezone=page.timezone, listed_date=page.listed_date,
                                  source_id=page.source_id, page_id=page_id,
                                  http_charset=_charset(page.content_type), outlet_hosts=hosts)
            annotation = None if isinstance(result, NotAnArticle) else annotator.annotate(result)
    except Exception as exc:  # any exception, see the docstring
        status = f"error: {type(exc).__name__}: {exc}"[:300]
        failures = page.failures + 1 if status == page.last_status else 1
        given_up = failures >= MAX_PAGE_ATTEMPTS
        outcome = (f"given up after {failures} identical failures (pantau process --retry-failed)" if given_up
                   else f"failure {failures} of {MAX_PAGE_ATTEMPTS}, retried on the next run")
        log.warning("page %s failed: %s: %s (%s)", url, type(exc).__name__, exc, outcome)
        summary.failed += 1
        summary.errors.append(f"{url}: {type(exc).__name__}: {exc}"[:450] + f" ({outcome})")
        # Not marked as processed (extracted_with NULL) until given up, so the next run tries again.
        return ProcessedPage(page_id, status, EXTRACTOR_VERSION if given_up else None, failures=failures)
    if isinstance(result, NotAnArticle) or annotation is None:
        summary.rejected += 1
        return ProcessedPage(page_id, f"rejected: {getattr(result, 'reason', '')}"[:300], EXTRACTOR_VERSION)
    original, signature = duplicates.check(result)
    summary.articles += 1
    summary.duplicates += original is not None
    summary.relevant += annotation.relevant
    return ProcessedPage(page_id, "ok", EXTRACTOR_VERSION, result, annotation, original, signature)


def reannotate_stale(store: Store, annotator: Annotator) -> int:
    """Articles annotated by an older annotator version get the current one."""
    rows = store.query(
        "SELECT article_id, canonical_url, url, source_id, title, text, published, published_source, author, "
        "lang, page_id, content_hash, extractor_version FROM articles "
        "WHERE annotator_version IS DISTINCT FROM ?",
        [annotator.version],
    )
    for start in range(0, len(rows), SAVE_BATCH_PAGES):
        annotations = {}
        for row in rows[start:start + SAVE_BATCH_PAGES]:
            article = ExtractedArticle(
                article_id=row[0], canonical_url=row[1], url=row[2], source_id=row[3], title=row[4],
                text=row[5] or "", published=row[6], published_source=row[7], author=row[8], lang=row[9] or "id",
                page_id=row[10], content_hash=row[11] or "", extractor_version=row[12] or "",
            )
            try:
                with time_budget(PAGE_BUDGET_S):
                    annotations[article.article_id] = annotator.annotate(article)
            except Exception as exc:  # one article keeps its older annotation; the others go on
                log.warning("re-annotating %s failed: %s: %s", article.url, type(exc).__name__, exc)
        store.replace_annotations(annotations)
    return len(rows)


def ingest_articles(paths: Paths, articles: Iterable[ExtractedArticle], *, annotator: Annotator | None = None,
                    lock_timeout_s: float = 30.0) -> ProcessSummary:
    """Articles that arrive as text or HTML input (``pantau ingest``) rather than from a crawl."""
    started = time.monotonic()
    summary = ProcessSummary()
    annotator = annotator or Annotator()
    with Store(paths.db, lock_timeout_s=lock_timeout_s) as store:
        store.ensure_regions(region_reference())
        duplicates = DuplicateFinder(store)
        batch: list[tuple[ExtractedArticle, Annotation, str | None, bytes | None]] = []
        for article in articles:
            try:
                with time_budget(PAGE_BUDGET_S):
                    annotation = annotator.annotate(article)
            except Exception as exc:  # one article's error, as for a stored page
                summary.failed += 1
                summary.errors.append(f"{article.url}: {type(exc).__name__}: {exc}"[:500])
                continue
            original, signature = duplicates.check(article)
            batch.append((article, annotation, original, signature))
            summary.articles += 1
            summary.duplicates += original is not None
            summary.relevant += annotation.relevant
            if len(batch) >= SAVE_BATCH_PAGES:
                store.save_articles(batch)
                batch.clear()
        store.save_articles(batch)
        summary.events = resolve_events(store)
        store.rebuild_search_index()
    summary.seconds = time.monotonic() - started
    return summary
