"""The full-text search index: kept in step with the store article by article, and queried.

Why tantivy, not DuckDB's ``fts`` extension: ``fts`` can only rebuild its index over the whole table
(``PRAGMA create_fts_index(..., overwrite = 1)``), so a daily run paid for the archive, not for the day
(15 s at 50k articles, 44 s at 200k, minutes at 1M). A tantivy index takes documents one by one: a run
indexes what it added or changed, and a query reads only the index. Measured with
``python -m pipeline.bench.search_index`` on the 2-core VM while other work kept the load average at 5-6
(~3 KB generated Indonesian-looking texts, region and event mentions; DuckDB ``fts`` figures are the
rebuild this replaces):

    articles in store                        50,000            200,000
    full build (first run, or a rebuild)     13.2 s, 3,800/s   47.4 s, 4,200/s   (fts rebuild: 15 s, 44 s)
    a day's 2,000 more articles              0.48 s            0.64 s            (fts: the whole rebuild again)
    an update with nothing new               0.02 s            0.13 s
    two-word query (median of 21)            1-6 ms            3-12 ms           (reads only the index)

The full build is no faster than ``fts`` on two busy cores (tantivy's writer threads share them); the gain
is that a daily run pays for its day: the 2,000 articles cost the same into 50k and into 200k.

The index lives in ``<db>.search/`` (:func:`search_index_dir`), beside the database file.

Keeping the two in step across crashes. The store has a table ``search_indexed`` (schema v10) with one row
per article the index has *committed*, holding the ``articles.updated_at`` it was indexed at. Saving an
article or re-annotating it sets ``updated_at``, so an article is stale when its row is missing or holds
another time; finding them reads two narrow columns, never the texts. Each batch is written to the index
as delete-by-``article_id``-then-add, committed, and only then recorded in ``search_indexed``:

* killed after the store's commit, before the index's: no marker, so the next update indexes the article;
* killed after the index's commit, before the markers: the next update indexes it again, and delete-then-add
  leaves one document, not two.

A per-article marker was chosen over a watermark on ``updated_at``: equality, not order, decides, so a clock
that steps back cannot hide an article. The markers are a subset of the index's documents; an index folder
that is missing, unreadable, of another layout, or holding fewer documents than the markers (restored from
an old copy) is rebuilt from the store, with a log line.

Readers (the CLI, the web app) open the folder read-only: tantivy serves readers while a writer works. A
read snapshot (``pipeline.store.snapshot``) gets its own copy, made of hard links to the immutable segment
files plus copies of the small metadata files (:func:`copy_search_index`).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import os
import shutil
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tantivy

from pipeline.store.rows import insert_select

if TYPE_CHECKING:
    from pipeline.store.writer import Store

log = logging.getLogger(__name__)

LAYOUT = 1  # the fields below; another number rebuilds the index
LAYOUT_FILE = "pantau-index.json"
ANALYZER = "pantau_folded"
READ_BATCH = 5_000  # articles read from DuckDB at a time (keyset pagination over rowid)
COMMIT_EVERY = 100_000  # articles per index commit: bounds the markers held and the work a crash repeats
WRITER_HEAP = 128_000_000  # tantivy's indexing memory, split between its threads
# Files tantivy rewrites in place-by-rename; a snapshot copies them, and hard-links the rest.
_METADATA = ("meta.json", ".managed.json", LAYOUT_FILE)
_LOCKS = (".tantivy-writer.lock", ".tantivy-meta.lock")


def search_index_dir(db: Path | str) -> Path:
    """Where the search index of the database ``db`` lives: ``<db>.search/`` beside it."""
    db = Path(db)
    return db.with_name(db.name + ".search")


def _analyzer() -> tantivy.TextAnalyzer:
    """Words as Indonesian news writes them, folded: "Pemilú" and "PEMILU" are "pemilu"."""
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .build())


def _schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    b.add_text_field("article_id", stored=True, tokenizer_name="raw", index_option="basic")
    b.add_text_field("title", stored=True, tokenizer_name=ANALYZER, index_option="freq")
    b.add_text_field("text", stored=False, tokenizer_name=ANALYZER, index_option="freq")
    b.add_text_field("url", stored=True, tokenizer_name="raw", index_option="basic")
    b.add_text_field("source_id", stored=True, tokenizer_name="raw", index_option="basic")
    b.add_date_field("published", stored=True, indexed=True, fast=True)
    # Kemendagri codes of the regions an article names, and of the regions containing them ("61" for "61.04").
    b.add_text_field("region", stored=False, tokenizer_name="raw", index_option="basic")
    b.add_text_field("event_type", stored=False, tokenizer_name="raw", index_option="basic")
    return b.build()


SCHEMA = _schema()


def _open(folder: Path) -> tantivy.Index:
    layout = json.loads((folder / LAYOUT_FILE).read_text(encoding="utf-8"))
    if layout.get("layout") != LAYOUT:
        raise ValueError(f"index layout {layout.get('layout')}, this Pantau writes {LAYOUT}")
    index = tantivy.Index.open(str(folder))
    index.register_tokenizer(ANALYZER, _analyzer())
    return index


def _create(folder: Path) -> tantivy.Index:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    index = tantivy.Index(SCHEMA, path=str(folder), reuse=False)
    index.register_tokenizer(ANALYZER, _analyzer())
    (folder / LAYOUT_FILE).write_text(json.dumps({"layout": LAYOUT}) + "\n", encoding="utf-8")
    return index


def _index_for_writing(store: Store) -> tantivy.Index:
    """The store's index, rebuilt empty (and its markers cleared) when it is missing or cannot be trusted."""
    folder = search_index_dir(store.path)
    markers = int(store.query("SELECT count(*) FROM search_indexed")[0][0])
    why = None
    if not (folder / "meta.json").exists():
        why = "missing"
        index = None
    else:
        try:
            index = _open(folder)
            docs = index.searcher().num_docs
        except (OSError, ValueError) as exc:
            why, index = f"unreadable ({exc})", None
        else:
            if docs < markers:
                why = f"holds {docs} articles where the store recorded {markers}"
            elif docs and not markers:  # nothing in it is vouched for (a new database beside an old index)
                why = f"holds {docs} articles the store has no record of"
    if why is None and index is not None:
        return index
    if markers or why != "missing":
        log.warning("search index %s is %s; rebuilding it from the store", folder, why)
    with store.transaction() as con:  # markers first: a crash before the new index exists re-indexes all
        con.execute("DELETE FROM search_indexed")
    return _create(folder)


def _ancestors(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def _document(row: tuple[Any, ...], regions: Sequence[str], types: Sequence[str]) -> tantivy.Document:
    article_id, title, text, url, source_id, published = row
    doc = tantivy.Document()
    doc.add_text("article_id", article_id)
    doc.add_text("title", title or "")
    doc.add_text("text", text or "")
    doc.add_text("url", url or "")
    if source_id:
        doc.add_text("source_id", source_id)
    if published is not None:
        doc.add_date("published", dt.datetime(published.year, published.month, published.day))
    for code in sorted({a for mentioned in regions for a in _ancestors(mentioned)}):
        doc.add_text("region", code)
    for kind in sorted(set(types)):
        doc.add_text("event_type", kind)
    return doc


def _stale_pages(store: Store) -> Iterator[list[tuple[Any, ...]]]:
    """Articles whose current state the index lacks, READ_BATCH at a time, in rowid order.

    The stale set is found once, from two narrow columns (id and updated_at), into a temporary table of
    rowids; each page then reads its rows by a rowid range, which DuckDB answers from the row groups in it.
    """
    con = store.con
    con.execute("""CREATE OR REPLACE TEMP TABLE search_stale AS
                   SELECT a.rowid AS rid FROM articles a
                   LEFT JOIN search_indexed s ON s.article_id = a.article_id
                   WHERE s.updated_at IS DISTINCT FROM a.updated_at""")
    try:
        after = -1
        while True:
            bounds = con.execute("SELECT min(rid), max(rid), count(*) FROM (SELECT rid FROM search_stale "
                                 "WHERE rid > ? ORDER BY rid LIMIT ?)", [after, READ_BATCH]).fetchone()
            if not bounds or not bounds[2]:
                return
            low, high = bounds[0], bounds[1]
            rows = con.execute(
                """SELECT a.article_id, a.updated_at, a.title, a.text, a.url, a.source_id, a.published_date
                   FROM articles a JOIN search_stale s ON s.rid = a.rowid
                   WHERE a.rowid BETWEEN $low AND $high AND s.rid BETWEEN $low AND $high
                   ORDER BY a.rowid""", {"low": low, "high": high}).fetchall()
            after = high
            yield rows
    finally:
        con.execute("DROP TABLE IF EXISTS search_stale")


def _annotations(store: Store, ids: list[str]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Region codes and event types per article of one page."""
    regions: dict[str, list[str]] = {}
    types: dict[str, list[str]] = {}
    for table, column, into in (("region_mentions", "region_code", regions), ("event_mentions", "type", types)):
        for article_id, values in store.con.execute(
                f"SELECT article_id, list(DISTINCT {column}) FROM {table} "
                "WHERE article_id IN (SELECT unnest(CAST(? AS VARCHAR[]))) GROUP BY 1", [ids]).fetchall():
            into[article_id] = list(values)
    return regions, types


def _record(store: Store, done: list[tuple[str, dt.datetime]]) -> None:
    """Markers for articles the index has committed (called only after the commit)."""
    if done:
        with store.transaction() as con:
            insert_select(con, "INSERT OR REPLACE INTO search_indexed", done, ("VARCHAR", "TIMESTAMP"))


def _forget_removed(store: Store, writer: tantivy.IndexWriter) -> list[str]:
    """Documents of articles no longer in the store (none are deleted today; a cleanup may)."""
    gone = [r[0] for r in store.query("SELECT s.article_id FROM search_indexed s "
                                      "ANTI JOIN articles a ON a.article_id = s.article_id")]
    for article_id in gone:
        writer.delete_documents_by_term("article_id", article_id)
    return gone


def update_search_index(store: Store, *, heap_size: int = WRITER_HEAP, threads: int = 0) -> int:
    """Index every article the index does not hold in its current state; returns how many were (re)indexed.

    Costs what the new and changed articles cost: they are found by their markers and read READ_BATCH at a
    time; the index is committed every COMMIT_EVERY articles and at the end, each commit followed by its
    markers. ``threads`` 0 lets tantivy choose its indexing threads.
    """
    index = _index_for_writing(store)
    was_empty = index.searcher().num_docs == 0  # nothing to replace: skip the deletes
    writer = index.writer(heap_size=heap_size, num_threads=threads)
    try:
        gone = _forget_removed(store, writer)
        total, pending = 0, []
        for rows in _stale_pages(store):
            ids = [r[0] for r in rows]
            regions, types = _annotations(store, ids)
            for article_id, updated_at, title, text, url, source_id, published in rows:
                if not was_empty:
                    writer.delete_documents_by_term("article_id", article_id)
                writer.add_document(_document((article_id, title, text, url, source_id, published),
                                              regions.get(article_id, ()), types.get(article_id, ())))
                pending.append((article_id, updated_at))
            total += len(rows)
            if len(pending) >= COMMIT_EVERY:
                writer.commit()
                _record(store, pending)
                pending = []
        if pending or gone:
            writer.commit()
            _record(store, pending)
            if gone:
                with store.transaction() as con:
                    con.execute("DELETE FROM search_indexed WHERE article_id IN "
                                "(SELECT unnest(CAST(? AS VARCHAR[])))", [gone])
    except BaseException:
        writer.rollback()
        raise
    finally:
        writer.wait_merging_threads()
    if total:
        log.info("search index: %d articles (re)indexed", total)
    return total


# -- reading ----------------------------------------------------------------------------------------------

def open_search_index(db: Path | str) -> tantivy.Index:
    """The index of ``db`` (a database or a read snapshot) for reading; QueryError when there is none."""
    from pipeline.query import QueryError

    folder = search_index_dir(db)
    try:
        meta = (folder / "meta.json").stat()
        return _open_cached(str(folder), meta.st_mtime_ns, meta.st_size)
    except (OSError, ValueError) as exc:
        raise QueryError("no search index yet: run `pantau process` (or ingest) first") from exc


@functools.lru_cache(maxsize=4)
def _open_cached(folder: str, mtime_ns: int, size: int) -> tantivy.Index:
    """An opened index per folder and commit (meta.json is replaced on each): a web request saves the open."""
    return _open(Path(folder))


def search_articles(db: Path, text: str, *, limit: int = 20, date_from: dt.date | None = None,
                    date_to: dt.date | None = None, region: str | None = None, event_type: str | None = None,
                    region_codes: Sequence[str] = (), article_ids: Collection[str] | None = None,
                    ) -> list[dict[str, Any]]:
    """BM25 over titles and texts (any of the words), best first, with filters; reads only the index.

    ``region``: a region as users write it ("Kalbar", "Kabupaten Mempawah"); an article matches when it
    names the region or a place inside it. ``event_type``: a type of event mention ("rakor").
    ``region_codes``: Kemendagri codes every hit must name as well; ``article_ids``: hits only among these.
    Each hit: article_id, score, published (ISO date or None), title, url, source_id.
    """
    from pipeline.query import QueryError, resolve_region

    if not text.strip():
        raise QueryError("search needs some words")
    codes = list(region_codes)
    if region:
        codes.append(resolve_region(region)[1])
    index = open_search_index(db)
    words = list(dict.fromkeys(_analyzer().analyze(text)))
    if not words or (article_ids is not None and not article_ids):
        return []
    schema = index.schema
    match = tantivy.Query.boolean_query([(tantivy.Occur.Should, tantivy.Query.term_query(schema, field, word))
                                         for word in words for field in ("title", "text")])
    filters = []
    if date_from or date_to:
        low = dt.datetime(date_from.year, date_from.month, date_from.day) if date_from else None
        high = dt.datetime(date_to.year, date_to.month, date_to.day) if date_to else None
        filters.append(tantivy.Query.range_query(schema, "published", tantivy.FieldType.Date, low, high))
    filters += [tantivy.Query.term_query(schema, "region", code) for code in dict.fromkeys(codes)]
    if event_type:
        filters.append(tantivy.Query.term_query(schema, "event_type", event_type.strip().lower()))
    if article_ids is not None:
        filters.append(tantivy.Query.term_set_query(schema, "article_id", list(article_ids)))
    # Filters score nothing: the score is the words' BM25 alone.
    query = tantivy.Query.boolean_query([(tantivy.Occur.Must, match)] + [
        (tantivy.Occur.Must, tantivy.Query.const_score_query(f, 0.0)) for f in filters])
    searcher = index.searcher()
    hits = []
    for score, address in searcher.search(query, limit=int(limit), count=False).hits:
        doc = searcher.doc(address).to_dict()
        published = doc.get("published")
        hits.append({
            "article_id": doc["article_id"][0],
            "score": round(float(score), 3),
            "published": published[0].date().isoformat() if published else None,
            "title": (doc.get("title") or [None])[0] or None,
            "url": (doc.get("url") or [None])[0],
            "source_id": (doc.get("source_id") or [None])[0],
        })
    return hits


# -- read snapshots ---------------------------------------------------------------------------------------

def copy_search_index(db: Path | str, target_db: Path | str) -> Path | None:
    """Give the snapshot ``target_db`` the index of ``db`` as it is now; None when ``db`` has none.

    Segment files are immutable, so they are hard-linked (a copy where links are refused); the metadata
    files tantivy replaces on each commit are copied. The caller holds the database against writers, and
    the index is written only by a writer of the database, so the copy is of one commit.
    """
    source, target = search_index_dir(db), search_index_dir(target_db)
    if not (source / "meta.json").exists():
        return None
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    for path in source.iterdir():
        if not path.is_file() or path.name in _LOCKS:
            continue
        if path.name in _METADATA:
            shutil.copyfile(path, partial / path.name)
            continue
        try:
            os.link(path, partial / path.name)
        except OSError:
            shutil.copyfile(path, partial / path.name)
    shutil.rmtree(target, ignore_errors=True)
    os.replace(partial, target)
    return target


def remove_search_index(db: Path | str) -> None:
    """Delete a snapshot's index copy (its reader, holding the files open, keeps reading them)."""
    shutil.rmtree(search_index_dir(db), ignore_errors=True)
