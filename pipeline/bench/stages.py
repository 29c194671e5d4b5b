"""Timings of bare trafilatura and of each Pantau stage over the same generated pages.

Every figure is articles (or pages, or paragraphs) per second of wall-clock
time in this process. Models are loaded before any clock starts and their
load times reported on their own: a daily run loads them once.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import trafilatura

from pipeline.bench.corpus import BenchPage
from pipeline.duplicates import DuplicateFinder
from pipeline.extract import EXTRACTOR_VERSION, NotAnArticle, extract_html
from pipeline.extract.dedup import text_signature
from pipeline.nlp.annotator import Annotator
from pipeline.process import SAVE_BATCH_PAGES, process_pages, region_reference
from pipeline.records import ExtractedArticle, RawPage
from pipeline.registry import load_registry
from pipeline.resolve import resolve_events
from pipeline.sample_sites.render import site_config
from pipeline.settings import SAMPLE_REGISTRY, Paths
from pipeline.store import Store
from pipeline.store.search import update_search_index
from pipeline.store.writer import ProcessedPage
from pipeline.urls import exact_id


def peak_rss_mb() -> float:
    """Peak resident memory of the largest process so far: this one, or any child process it has waited for
    (``process_pages``' workers count once its pool has closed). Linux reports kilobytes."""
    return max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024


class PeakMemory:
    """The peak RSS after each phase, and the phase in which the largest process reached it."""

    def __init__(self) -> None:
        self.peak = peak_rss_mb()
        self.phase = "start"
        self.by_phase: dict[str, float] = {}

    def after(self, phase: str) -> None:
        now = peak_rss_mb()
        self.by_phase[phase] = round(now)
        if now > self.peak:
            self.peak, self.phase = now, phase


def _children_cpu_s() -> float:
    """CPU seconds of the child processes waited for (workers count once their pool has closed)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@contextmanager
def clock(figures: dict[str, float], key: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    figures[key] = time.perf_counter() - started


def rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else 0.0


def warm_up() -> tuple[Annotator, dict[str, float]]:
    """Load the spaCy pipeline and the embedding model before timing anything."""
    from pipeline import embeddings

    seconds: dict[str, float] = {}
    with clock(seconds, "load_annotator_s"):
        annotator = Annotator()
    # Without the model, resolution runs on structure alone, as it would in production.
    with clock(seconds, "load_embedding_model_s"), contextlib.suppress(OSError, ImportError, RuntimeError):
        embeddings.embed(["pemanasan"])
    return annotator, {k: round(v, 2) for k, v in seconds.items()}


def time_baseline(pages: list[BenchPage]) -> dict[str, Any]:
    """Bare trafilatura with metadata, JSON out: what extraction costs without Pantau."""
    seconds: dict[str, float] = {}
    extracted = 0
    cpu = time.process_time()
    with clock(seconds, "t"):
        for page in pages:
            out = trafilatura.extract(page.html, url=page.url, with_metadata=True, output_format="json")
            extracted += out is not None
    return {"baseline_trafilatura_aps": rate(len(pages), seconds["t"]), "baseline_s": round(seconds["t"], 2),
            "baseline_cpu_s": round(time.process_time() - cpu, 2), "baseline_extracted": extracted}


def _timezone(site: str) -> str:
    return str(site_config(site)["timezone"])


def _raw_page(page: BenchPage, body: bytes) -> RawPage:
    page_id = exact_id(page.url)
    return RawPage(
        page_id=page_id, source_id=page.site, url=page.url, final_url=page.url,
        fetched_at=datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="milliseconds"),
        http_status=200, content_type="text/html; charset=utf-8", path=f"{page.site}/{page_id[:2]}/{page_id}.html.gz",
        sha256=hashlib.sha256(body).hexdigest(), size_bytes=len(body), discovered_via="sitemap",
    )


def _fresh_store(path: Path) -> Store:
    store = Store(path)
    store.upsert_sources(load_registry(SAMPLE_REGISTRY).sources)
    store.ensure_regions(region_reference())
    return store


def time_stages(pages: list[BenchPage], annotator: Annotator, workdir: Path,
                extracted: list[ExtractedArticle] | None = None) -> dict[str, Any]:
    """Pantau's stages one after another over the pages, each timed on its own.

    The extracted articles are appended to ``extracted`` when given, for timings that need them again.
    """
    bodies = [p.html.encode("utf-8") for p in pages]
    raw = [_raw_page(p, b) for p, b in zip(pages, bodies, strict=True)]
    t: dict[str, float] = {}
    with clock(t, "extract"):
        results = [extract_html(body, p.url, timezone=_timezone(p.site), source_id=p.site, page_id=r.page_id,
                                http_charset="utf-8")
                   for p, body, r in zip(pages, bodies, raw, strict=True)]
    articles = [(r.page_id, a) for r, a in zip(raw, results, strict=True) if not isinstance(a, NotAnArticle)]
    if extracted is not None:
        extracted.extend(a for _, a in articles)
    with clock(t, "annotate"):
        annotations = [annotator.annotate(a) for _, a in articles]
    store = _fresh_store(workdir / "stages.duckdb")
    try:
        store.upsert_raw_pages(raw)
        with clock(t, "dedup"):
            finder = DuplicateFinder(store)
            signatures = [text_signature(a.text) for _, a in articles]
            originals = finder.check_many([(a, s) for (_, a), s in zip(articles, signatures, strict=True)])
            checks = [(o, s.tobytes() if s is not None else None) for o, s in zip(originals, signatures, strict=True)]
        saved = [ProcessedPage(page_id, "ok", EXTRACTOR_VERSION, article, annotation, original, signature)
                 for (page_id, article), annotation, (original, signature) in zip(articles, annotations, checks,
                                                                                   strict=True)]
        with clock(t, "save"):
            for start in range(0, len(saved), SAVE_BATCH_PAGES):  # as process_pages saves them
                store.save_processed_pages(saved[start:start + SAVE_BATCH_PAGES])
        with clock(t, "resolve"):
            events = resolve_events(store)
        with clock(t, "index"):
            update_search_index(store)
    finally:
        store.close()
    n = len(pages)
    load_s = t["dedup"] + t["save"] + t["index"]
    return {
        "articles": len(articles),
        "rejected": n - len(articles),
        "relevant": sum(a.relevant for a in annotations),
        "events": events,
        "extract_aps": rate(n, t["extract"]),
        "annotate_aps": rate(len(articles), t["annotate"]),
        "dedup_aps": rate(len(articles), t["dedup"]),
        "save_aps": rate(len(articles), t["save"]),
        "resolve_aps": rate(len(articles), t["resolve"]),
        "index_aps": rate(len(articles), t["index"]),
        "load_aps": rate(len(articles), load_s),
        "stage_seconds": {k: round(v, 2) for k, v in t.items()},
    }


def store_raw_pages(pages: list[BenchPage], paths: Paths) -> int:
    """The pages as a crawl leaves them: gzip files under raw/ and raw_pages rows."""
    raw = []
    for page in pages:
        body = page.html.encode("utf-8")
        record = _raw_page(page, body)
        target = paths.raw / record.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(gzip.compress(body, compresslevel=6))
        raw.append(record)
    with _fresh_store(paths.db) as store:
        store.upsert_raw_pages(raw)
    return len(raw)


def time_end_to_end(pages: list[BenchPage], annotator: Annotator, workdir: Path,
                    profile: Callable[[Callable[[], Any]], Any] | None = None, *, workers: int | None = None,
                    key: str = "end_to_end") -> dict[str, Any]:
    """``process_pages`` over the stored pages, as ``pantau process`` runs it, into a fresh store, with
    ``workers`` processes (None: as many as CPUs). Figures are named ``{key}_aps`` and so on."""
    paths = Paths.under(workdir)
    paths.raw.mkdir(parents=True, exist_ok=True)
    store_raw_pages(pages, paths)

    def run() -> Any:
        return process_pages(paths, annotator=annotator, workers=workers)

    started, cpu, children_cpu = time.perf_counter(), time.process_time(), _children_cpu_s()
    summary = profile(run) if profile else run()
    seconds = time.perf_counter() - started
    figures = {
        f"{key}_aps": rate(len(pages), seconds),
        f"{key}_s": round(seconds, 2),
        f"{key}_cpu_s": round(time.process_time() - cpu + _children_cpu_s() - children_cpu, 2),
    }
    if key == "end_to_end":
        figures.update({"e2e_articles": summary.articles, "e2e_relevant": summary.relevant,
                        "e2e_events": summary.events, "e2e_failed": summary.failed,
                        "db_mb": round(os.path.getsize(paths.db) / 2**20, 1)})
    return figures


def time_embedding(paragraphs: list[str]) -> dict[str, Any]:
    """Paragraphs per second through ``pipeline.embeddings.embed``, on the CPU and on a GPU if torch sees one."""
    from pipeline import embeddings

    figures: dict[str, Any] = {"embed_paragraphs": len(paragraphs)}
    devices = ["cpu"]
    try:
        import torch

        if torch.cuda.is_available():
            devices.append("cuda")
            figures["gpu"] = torch.cuda.get_device_name(0)
        figures["torch_threads"] = torch.get_num_threads()
    except ImportError:
        pass
    previous = os.environ.get(embeddings.ENV_DEVICE)
    try:
        for device in devices:
            os.environ[embeddings.ENV_DEVICE] = device
            try:
                embeddings.embed(paragraphs[:8])  # load and warm up on this device
            except (OSError, ImportError, RuntimeError) as exc:
                figures[f"embed_{device}_error"] = str(exc)[:200]
                continue
            t: dict[str, float] = {}
            with clock(t, "t"):
                embeddings.embed(paragraphs)
            figures[f"embed_{device}_paragraphs_per_s"] = rate(len(paragraphs), t["t"])
    finally:
        if previous is None:
            os.environ.pop(embeddings.ENV_DEVICE, None)
        else:
            os.environ[embeddings.ENV_DEVICE] = previous
    return figures
