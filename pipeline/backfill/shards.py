"""One WARC file, or a byte range of one, -> a folder of Parquet shards.

A shard is what a worker hands the writer: every kept page with its archive
provenance (file and offset; the raw HTML stays in the WARC), its extraction
status, and the extracted article and its annotation as JSON
and the MinHash signature of its text (``pages.parquet``), plus the event mentions flattened with their stable ids
(``mentions.parquet``) for anyone who wants to look without a database. The
same code as a crawl does the work (``extract_html``, ``Annotator``); a page
without a date of its own (metadata, URL, dateline) is dated by the archive's
fetch, the last fallback.

A shard folder is written under a temporary name and renamed when complete,
so a worker killed mid-shard leaves nothing a rerun would mistake for done;
``manifest.json`` inside records the extractor and annotator versions, and a
shard made by other versions is rebuilt. Workers need only paths: the WARC
files and the shard folder must be visible under the same path on every
machine of the cluster.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb

from pipeline.backfill.warc import ReadCounts, WarcPage, normalise_host, read_pages, record_offsets
from pipeline.extract import EXTRACTOR_VERSION, NotAnArticle, extract_html
from pipeline.extract.dedup import signature_bytes
from pipeline.records import ExtractedArticle
from pipeline.registry import load_registry
from pipeline.urls import content_id, exact_id

log = logging.getLogger(__name__)

DEFAULT_SPLIT_BYTES = 64 * 1024 * 1024  # a CC-NEWS file (~1 GB) becomes ~16 tasks
_OFFSETS = {"WIB": 7, "WITA": 8, "WIT": 9}
MANIFEST = "manifest.json"
SHARD_FORMAT = 2  # the Parquet columns; a shard of another format is rebuilt


@dataclass(frozen=True)
class ShardSpec:
    """What one task reads: the records of ``warc_file`` that begin in [start, end) (end None: to the end)."""

    shard_id: str
    warc_file: str
    start: int
    end: int | None
    size: int


@dataclass(frozen=True)
class Outlet:
    source_id: str
    timezone: str


@dataclass(frozen=True)
class ShardResult:
    """A finished shard's manifest: counts and versions; ``error`` when the file broke part-way."""

    shard_id: str
    warc_file: str
    start: int
    end: int | None
    records: int
    kept: int
    articles: int
    rejected: int
    failed: int
    skipped: dict[str, int]
    error: str | None
    extractor_version: str
    annotator_version: str
    reused: bool = False  # found complete on disk, not rebuilt by this run

    @classmethod
    def from_json(cls, data: dict[str, Any], reused: bool = False) -> ShardResult:
        fields = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**{**fields, "reused": reused})


def shard_id(path: Path, size: int, start: int, end: int | None) -> str:
    """Named by the file's name and size and the range, so a rerun finds it wherever the file is mounted."""
    return content_id(path.name, str(size), str(start), str(end))


def record_starts(path: Path) -> list[int]:
    """Where records begin, for splitting; a file that breaks part-way is split only where it was readable."""
    try:
        return record_offsets(path)
    except (OSError, ValueError) as exc:  # one task reads what it can and reports the break
        log.warning("%s: cannot index records (%s); read as one task", path, exc)
        return [0]


def file_shards(path: Path, split_bytes: int = DEFAULT_SPLIT_BYTES,
                offsets: list[int] | None = None) -> list[ShardSpec]:
    """One spec for a file up to ``split_bytes``; for a larger one, one per range cut at record ``offsets``
    (found here when not given: the flow finds them on the cluster, a file per task)."""
    path = path.resolve()
    size = path.stat().st_size
    if size <= split_bytes:
        return [ShardSpec(shard_id(path, size, 0, None), str(path), 0, None, size)]
    cuts = [0]
    for offset in record_starts(path) if offsets is None else offsets:
        if offset - cuts[-1] >= split_bytes:
            cuts.append(offset)
    bounds: list[int | None] = [*cuts[1:], None]
    return [ShardSpec(shard_id(path, size, start, end), str(path), start, end, size)
            for start, end in zip(cuts, bounds, strict=True)]


def plan_shards(files: list[Path], split_bytes: int = DEFAULT_SPLIT_BYTES) -> list[ShardSpec]:
    """One spec per file, or per ``split_bytes`` range of a larger one (cut at record boundaries)."""
    return [spec for path in files for spec in file_shards(path, split_bytes)]


@lru_cache(maxsize=1)
def _annotator():  # type: ignore[no-untyped-def]
    """One spaCy pipeline per worker process, loaded on its first shard."""
    from pipeline.nlp.annotator import Annotator

    return Annotator()


@lru_cache(maxsize=1)
def annotator_version() -> str:
    """The current annotator's version (a hash of models/, so computed once per process)."""
    from pipeline.nlp.annotator import annotator_version as version

    return str(version())


@lru_cache(maxsize=8)
def outlets_by_host(registry_paths: tuple[str, ...], domains_file: str | None) -> dict[str, Outlet]:
    """host -> outlet for the registry's sources; ``--domains`` hosts count as outlets of their own."""
    hosts: dict[str, Outlet] = {}
    if registry_paths:
        for source in load_registry(*(Path(p) for p in registry_paths)).sources:
            for host in source.hosts:
                hosts.setdefault(normalise_host(host), Outlet(source.id, source.timezone))
    if domains_file:
        for line in Path(domains_file).read_text(encoding="utf-8").splitlines():
            host = normalise_host(line.split("#", 1)[0])
            if host:
                hosts.setdefault(host, Outlet("", "WIB"))
    return hosts


def shard_complete(shard_dir: Path, spec: ShardSpec) -> ShardResult | None:
    """The manifest of a shard already built by the current versions, or None."""
    try:
        data = json.loads((shard_dir / spec.shard_id / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (data.get("format") != SHARD_FORMAT or data.get("extractor_version") != EXTRACTOR_VERSION
            or data.get("annotator_version") != annotator_version()):
        return None
    return ShardResult.from_json(data, reused=True)


def warc_dated(article: ExtractedArticle, page: WarcPage, tz: str) -> ExtractedArticle:
    """The archive's fetch time, in the outlet's timezone, for an article the page gave no date."""
    if article.published or not page.warc_date:
        return article
    try:
        fetched = datetime.fromisoformat(page.warc_date.replace("Z", "+00:00"))
    except ValueError:
        return article
    local = fetched.astimezone(timezone(timedelta(hours=_OFFSETS.get(tz, 7))))
    return replace(article, published=local.isoformat(timespec="seconds"), published_source="warc")


def page_id(page: WarcPage) -> str:
    """Stable across reruns and mounts: the URL, the file's name and the record's offset."""
    return exact_id(f"{page.url}#{Path(page.warc_file).name}@{page.offset}")


def build_shard(spec: ShardSpec, shard_dir: Path, registry_paths: tuple[str, ...],
                domains_file: str | None = None) -> ShardResult:
    """Read, extract and annotate one range; write its shard folder atomically. Reuses a complete one."""
    done = shard_complete(shard_dir, spec)
    if done is not None:
        return done
    outlets = outlets_by_host(registry_paths, domains_file)
    annotator = _annotator()
    counts = ReadCounts()
    rows: list[tuple[Any, ...]] = []
    mentions: list[tuple[Any, ...]] = []
    articles = rejected = failed = 0
    for page in read_pages(Path(spec.warc_file), frozenset(outlets), spec.start, spec.end, counts):
        outlet = outlets[page.host]
        pid = page_id(page)
        article_json = annotation_json = minhash = None
        try:
            result = extract_html(page.body, page.url, timezone=outlet.timezone, source_id=outlet.source_id or None,
                                  page_id=pid, http_charset=page.charset)
        except (ValueError, UnicodeError) as exc:
            failed += 1
            status = f"error: {type(exc).__name__}: {exc}"[:300]
        else:
            if isinstance(result, NotAnArticle):
                rejected += 1
                status = f"rejected: {result.reason}"[:300]
            else:
                article = warc_dated(result, page, outlet.timezone)
                annotation = annotator.annotate(article)
                articles += 1
                status = "ok"
                article_json = json.dumps(asdict(article), ensure_ascii=False)
                annotation_json = json.dumps(asdict(annotation), ensure_ascii=False)
                minhash = signature_bytes(article.text)  # for the writer's duplicate check, off its clock
                mentions += [(content_id(article.article_id, "event", str(i), e.type), article.article_id, e.type,
                              e.date, e.organizer, e.organizer_region, e.venue, e.venue_region,
                              list(e.participant_regions), e.evidence)
                             for i, e in enumerate(annotation.events)]
        rows.append((pid, outlet.source_id or None, page.url, page.warc_file, page.offset, page.warc_date,
                     page.content_type, len(page.body), page.digest, status, article_json, annotation_json, minhash))
    result = ShardResult(spec.shard_id, spec.warc_file, spec.start, spec.end, counts.records, counts.kept, articles,
                         rejected, failed, dict(sorted(counts.skipped.items())), counts.error, EXTRACTOR_VERSION,
                         annotator.version)
    _write_shard(shard_dir, result, rows, mentions)
    return result


_PAGE_COLUMNS = ("page_id VARCHAR, source_id VARCHAR, url VARCHAR, warc_file VARCHAR, warc_offset BIGINT, "
                 "warc_date VARCHAR, content_type VARCHAR, size_bytes BIGINT, digest VARCHAR, status VARCHAR, "
                 "article JSON, annotation JSON, minhash BLOB")
_MENTION_COLUMNS = ("mention_id VARCHAR, article_id VARCHAR, type VARCHAR, date VARCHAR, organizer VARCHAR, "
                    "organizer_region VARCHAR, venue VARCHAR, venue_region VARCHAR, participant_regions VARCHAR[], "
                    "evidence VARCHAR")


def _write_shard(shard_dir: Path, result: ShardResult, rows: list[tuple[Any, ...]],
                 mentions: list[tuple[Any, ...]]) -> None:
    final = shard_dir / result.shard_id
    tmp = shard_dir / f".{result.shard_id}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    con = duckdb.connect()  # in memory: only a Parquet writer here, the store is never opened by a worker
    try:
        for name, columns, values in (("pages", _PAGE_COLUMNS, rows), ("mentions", _MENTION_COLUMNS, mentions)):
            con.execute(f"CREATE TABLE {name} ({columns})")
            if values:
                marks = ", ".join("?" * len(values[0]))
                con.executemany(f"INSERT INTO {name} VALUES ({marks})", values)
            con.execute(f"COPY {name} TO '{tmp / (name + '.parquet')}' (FORMAT parquet)")
    finally:
        con.close()
    (tmp / MANIFEST).write_text(json.dumps(asdict(result) | {"reused": False, "format": SHARD_FORMAT}, indent=1), encoding="utf-8")
    shutil.rmtree(final, ignore_errors=True)  # a shard of older versions
    os.replace(tmp, final)
