"""A Pantau store of N articles of realistic length, generated in SQL, for the scale figures of ``make bench``.

Shaped like a year of Indonesian regional news as ``pantau process`` leaves it: ≈3 KB of text per article
(paragraphs drawn from a pool written by :mod:`pipeline.bench.corpus`), ~500 outlets (the five sample
outlets and invented ones), dates over the year to 2024-11-30, a raw page per article (processed by the
current extractor), URL aliases, ten region mentions per article, and for 2 % of the articles (the
neutrality stories) officials and one event mention each, three reports to an event. Every article has a
distinct content hash and MinHash signature (128 uint64 values below 2**32, as datasketch makes them) and
the current annotator version, so nothing in it is processed or annotated again.

Built in batches, each its own transaction on its own connection, under the store's DuckDB memory cap
(``PANTAU_DB_MEMORY_LIMIT``, 512 MB by default): one transaction of ten million rows does not fit, nor
one connection's primary-key indexes at a million articles.
Built once per bench run in a temporary folder; nothing is cached between runs.
"""

from __future__ import annotations

import logging
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from pipeline import embeddings
from pipeline.bench.corpus import _FIRST, _LAST, DEFAULT_SEED, CorpusGenerator
from pipeline.extract import EXTRACTOR_VERSION
from pipeline.nlp.annotator import annotator_version
from pipeline.nlp.event_cues import NAMED_EVENT_TYPES
from pipeline.process import region_reference
from pipeline.registry import load_registry
from pipeline.resolve import RESOLVER_VERSION
from pipeline.resolve_evidence import config_digest
from pipeline.settings import SAMPLE_REGISTRY
from pipeline.store import Store
from pipeline.store.rows import insert_select

log = logging.getLogger(__name__)

RELEVANT_EVERY = 50  # 2 % of the articles are neutrality stories with an event mention
REPORTS_PER_EVENT = 3
REGION_MENTIONS = 10
BODY_PARAGRAPHS = 16  # with the lead, ≈3 KB of text
POOL_RECORDS = 400  # generated stories whose paragraphs make the pools (a few thousand paragraphs)
OUTLETS = 500
LAST_DAY = "2024-11-30"  # the generated new pages are dated August to November 2024
KEY_SPAN = 25_000  # articles whose ids share their first four hex digits (see _key)
VECTOR_DIM = 384  # all-MiniLM-L6-v2, the default embedding model
# The builder's working tables, in the store file (a connection per batch), dropped at the end.
_HELPER_TABLES = ("scale_sources", "scale_regions", "scale_pool", "scale_lists", "scale_batch", "scale_relevant",
                  "scale_mentions")


def build_store_apart(path: Path, articles: int, **options: Any) -> dict[str, Any]:
    """:func:`build_store` in a fresh process of its own, as a backfill would build an archive.

    The bench's own process holds the annotator and the embedding model; building there would add the
    builder's DuckDB and tantivy memory to them, and ``peak_rss_mb`` reports the largest process.
    """
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        figures = pool.submit(build_store, path, articles, search_index=False, **options).result()
    # The search index in a process of its own too: DuckDB's build and tantivy's merges each near 1.2 GB.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        figures["build_search_index_s"] = pool.submit(index_store, path).result()
    return figures


def index_store(path: Path) -> float:
    """Build the store's search index (all of it); returns the seconds it took."""
    from pipeline.store.search import update_search_index

    started = time.monotonic()
    with Store(path) as store:
        update_search_index(store)
    return round(time.monotonic() - started, 1)


def build_store(path: Path, articles: int, *, batch: int = 25_000, seed: int = DEFAULT_SEED,
                search_index: bool = True) -> dict[str, Any]:
    """Build a store of ``articles`` articles at ``path`` (a new file); returns counts and seconds."""
    started = time.monotonic()
    with Store(path) as store:
        _reference_rows(store)
        _load_pools(store, seed)
    for low in range(0, articles, batch):
        high = min(articles, low + batch)
        # A connection per batch: DuckDB keeps the primary-key indexes it has written in memory for as long
        # as the connection lives (~65 MB per 100k articles, mostly the ten region mentions' keys), past the
        # cap at 600k articles; a fresh connection loads index nodes only as it needs them.
        # A transaction keeps its appended rows in memory until the commit (≈5 KB an article with its rows):
        # 50k-article batches ran out of the 512 MB cap at 600k articles, once the indexes took their share.
        with Store(path) as store, store.transaction() as con:
            _insert_batch(con, low, high, seed)
        log.info("scale store: %d of %d articles", high, articles)
    with Store(path) as store:
        with store.transaction() as con:
            _insert_events(con)
        _insert_vectors(store, seed)
        for table in _HELPER_TABLES:
            store.con.execute(f"DROP TABLE IF EXISTS {table}")
        filled = time.monotonic()
        _fill_derived_tables(store, search_index=search_index)
        derived_s = time.monotonic() - filled
        counts = {table: store.query(f"SELECT count(*) FROM {table}")[0][0]
                  for table in ("articles", "region_mentions", "event_mentions", "events")}
    return {"build_s": round(time.monotonic() - started, 1), "build_derived_s": round(derived_s, 1),
            "db_mb": round(path.stat().st_size / 2**20), **{f"rows_{k}": v for k, v in counts.items()}}


def _fill_derived_tables(store: Store, batch: int = 25_000, *, search_index: bool = True) -> None:
    """Tables derived from the stored articles, as the daily run keeps them: the duplicate keys (URL keys,
    content hashes, MinHash band keys of the near-duplicate window), filled by the migration's own batched
    step (the migration ran while ``articles`` was empty), and the search index."""
    from pipeline.store.duplicate_keys import fill_duplicate_keys
    from pipeline.store.search import update_search_index

    position: int | None = 0
    while position is not None:
        with store.transaction() as con:
            position = fill_duplicate_keys(con, position, batch)
    if search_index:
        update_search_index(store)


def _reference_rows(store: Store) -> None:
    """Regions, the sample outlets and invented ones, as a registry load leaves them."""
    store.upsert_sources(load_registry(SAMPLE_REGISTRY).sources)
    store.ensure_regions(region_reference())
    samples = [row[0] for row in store.query("SELECT source_id FROM sources ORDER BY source_id")]
    with store.transaction() as con:
        con.execute(f"""
            INSERT INTO sources (source_id, name, home, kind, regions, timezone, verified, updated_at)
            SELECT printf('outlet%03d', i), printf('Outlet %03d', i), printf('https://outlet%03d.example/', i),
                   'news', [], 'WIB', true, now()::TIMESTAMP
            FROM range({len(samples)}, {OUTLETS}) t(i)""")
        con.execute("CREATE OR REPLACE TABLE scale_sources AS "
                    "SELECT row_number() OVER (ORDER BY source_id) - 1 AS k, source_id, home FROM sources")
        con.execute("CREATE OR REPLACE TABLE scale_regions AS "
                    "SELECT row_number() OVER (ORDER BY code) - 1 AS k, code, name FROM regions "
                    "WHERE kind IN ('kabupaten', 'kota')")


def _load_pools(store: Store, seed: int) -> None:
    """Leads, body paragraphs and titles of generated stories, ordinary and neutrality ones, as temp tables."""
    ordinary = CorpusGenerator(seed, neutral_share=0.0).records(POOL_RECORDS)
    neutral = CorpusGenerator(seed + 1, neutral_share=1.0).records(POOL_RECORDS // 4)
    pools: dict[str, list[str]] = {
        "lead": [r["body"][0] for r in ordinary],
        "body": sorted({p for r in ordinary for p in r["body"][1:]}),
        "title": sorted({r["title"] for r in ordinary}),
        "neutral_lead": [r["body"][0] for r in neutral],
        "neutral_body": sorted({p for r in neutral for p in r["body"][1:]}),
        "neutral_title": sorted({r["title"] for r in neutral}),
        "name": [f"{first} {last}" for first in _FIRST for last in _LAST],
    }
    con = store.con
    con.execute("CREATE OR REPLACE TABLE scale_pool (kind VARCHAR, k INTEGER, t VARCHAR)")
    for kind, texts in pools.items():
        insert_select(con, "INSERT INTO scale_pool", [(kind, k, t) for k, t in enumerate(texts)],
                      ("VARCHAR", "INTEGER", "VARCHAR"))
    con.execute("CREATE OR REPLACE TABLE scale_lists AS SELECT "
                + ", ".join(f"list(t ORDER BY k) FILTER (WHERE kind = '{kind}') AS {kind}" for kind in pools)
                + " FROM scale_pool")
    con.execute("CREATE OR REPLACE TABLE scale_mentions (mention_id VARCHAR, grp BIGINT)")


def _key(digest: str, length: int, i: str = "i") -> str:
    """SQL for a hash id (a uuid when ``length`` is 32) whose first four hex digits number its batch of
    KEY_SPAN articles. Random keys all over a primary-key index make DuckDB load the whole index to insert a
    batch (10M region mention keys are more than the 512 MB cap); keys of one batch side by side touch one
    branch of it. Lookups of the increment's random keys are unaffected."""
    text = f"printf('%04x', {i} // {KEY_SPAN}) || substr({digest}, 5, {length - 4})"
    return f"CAST({text} AS UUID)::VARCHAR" if length == 32 else text


def _pick(items: str, keys: str) -> str:
    """SQL for an element of the list column ``items`` chosen by the hash of ``keys``."""
    return f"{items}[1 + CAST(hash({keys}) % len({items}) AS BIGINT)]"


def _text(lead: str, body: str) -> str:
    """SQL for an article's text: a lead and BODY_PARAGRAPHS body paragraphs picked by hash(i, k)."""
    picks = [_pick(lead, "i, 0, 'lead'")] + [_pick(body, f"i, {k}") for k in range(1, BODY_PARAGRAPHS + 1)]
    return f"concat_ws(chr(10) || chr(10), {', '.join(picks)})"


def _insert_batch(con: Any, low: int, high: int, seed: int) -> None:
    """Articles ``low`` to ``high`` - 1 and their rows in the other tables. Texts and signatures are made
    inside the INSERT (a 50k-article batch of them held in a temp table, or passed from Python, took
    DuckDB past its memory cap: the process peaked at 1.8 GB)."""
    version = annotator_version()
    relevant = f"i % {RELEVANT_EVERY} = 0"
    group = f"(i // {RELEVANT_EVERY}) // {REPORTS_PER_EVENT}"
    con.execute(f"""
        CREATE OR REPLACE TABLE scale_batch AS
        WITH base AS (
            SELECT i, {relevant} AS relevant,
                   -- reports of one event share its date (published that day or the next)
                   DATE '{LAST_DAY}' - CAST(CASE WHEN {relevant} THEN hash({group}, 'day') % 365 + 1 - hash(i) % 2
                                                 ELSE hash(i, 'day') % 366 END AS INTEGER) AS day,
                   hash(i, 'source') % {OUTLETS} AS source_k
            FROM range({low}, {high}) t(i))
        SELECT b.*, s.source_id, {_key("md5('scale-article:' || " + str(seed) + " || ':' || i)", 32)} AS article_id,
               {_key("md5('scale-page:' || " + str(seed) + " || ':' || i)", 32)} AS page_id,
               s.home || 'arsip/' || strftime(day, '%Y/%m/%d') || '/berita-' || i AS url,
               day + INTERVAL (6 + hash(i, 'hour') % 16) HOUR + INTERVAL (hash(i, 'minute') % 60) MINUTE AS stamp
        FROM base b JOIN scale_sources s ON s.k = b.source_k""")
    con.execute(f"""
        INSERT INTO raw_pages (page_id, source_id, url, final_url, fetched_at, http_status, content_type, path, sha256,
                               size_bytes, discovered_via, listed_date, extracted_with, extract_status)
        SELECT page_id, source_id, url, url, stamp + INTERVAL 20 MINUTE, 200, 'text/html; charset=utf-8',
               source_id || '/' || page_id[:2] || '/' || page_id || '.html.gz', sha256(url),
               40000 + hash(i, 'size') % 30000, 'sitemap', strftime(day, '%Y-%m-%d'), '{EXTRACTOR_VERSION}', 'ok'
        FROM scale_batch""")
    # MinHash signatures as datasketch leaves them: 128 uint64 values below 2**32, little-endian (1 KB).
    minhash = ("unhex(array_to_string(list_transform(range(128), k -> "
               "lpad(to_hex(hash(i, k, 'minhash') % 4294967296), 8, '0') || '00000000'), ''))")
    con.execute(f"""
        INSERT INTO articles (article_id, canonical_url, url, source_id, page_id, title, text, published,
                              published_date, published_source, author, lang, content_hash, duplicate_of,
                              extractor_version, relevant, annotator_version, updated_at, minhash)
        SELECT article_id, url, url, source_id, page_id, title, text, published, day, 'meta', author, 'id',
               sha1(text), NULL, '{EXTRACTOR_VERSION}', relevant, ?, now()::TIMESTAMP, minhash
        FROM (SELECT b.*,
                     CASE WHEN relevant THEN {_pick('l.neutral_title', "i, 'title'")}
                          ELSE {_pick('l.title', "i, 'title'")} END AS title,
                     CASE WHEN relevant THEN {_text('l.neutral_lead', 'l.neutral_body')}
                          ELSE {_text('l.lead', 'l.body')} END AS text,
                     strftime(stamp, '%Y-%m-%dT%H:%M:00+07:00') AS published,
                     {_pick('l.name', "i, 'author'")} AS author, {minhash} AS minhash
              FROM scale_batch b, scale_lists l)""", [version])
    con.execute("INSERT INTO article_aliases SELECT url, article_id FROM scale_batch")
    con.execute(f"""
        INSERT INTO region_mentions
        SELECT {_key("sha1(m.article_id || ':' || r.code || ':' || m.k)", 20, "m.i")}, m.article_id, r.code, r.name,
               r.name, start_char, start_char + length(r.name), CASE WHEN m.k = 0 THEN 'dateline' ELSE 'mention' END,
               ?
        FROM (SELECT i, article_id, k, CAST(hash(i, k, 'at') % 2900 AS INTEGER) AS start_char,
                     hash(i, k, 'region') % (SELECT count(*) FROM scale_regions) AS region_k
              FROM scale_batch, range({REGION_MENTIONS}) t(k)) m
        JOIN scale_regions r ON r.k = m.region_k""", [version])
    types = [t for t in NAMED_EVENT_TYPES if t != "rakor"]
    con.execute(f"""
        CREATE OR REPLACE TABLE scale_relevant AS
        SELECT b.i, b.article_id, DATE '{LAST_DAY}' - CAST(hash({group}, 'day') % 365 + 1 AS INTEGER) AS day,
               {group} AS grp,
               -- a quarter of the events are rakor, the rest of the other types
               CASE WHEN {group} % 4 = 0 THEN 'rakor'
                    ELSE {_pick(repr(types), f"{group}, 'type'")} END AS type,
               r.name AS region, r.code AS region_code, r2.name AS other_region, {_key("sha1(b.article_id || ':event:0')", 20, "b.i")} AS mention_id
        FROM scale_batch b
        JOIN scale_regions r ON r.k = hash({group}, 'organiser') % (SELECT count(*) FROM scale_regions)
        JOIN scale_regions r2 ON r2.k = hash({group}, 'participant') % (SELECT count(*) FROM scale_regions)
        WHERE b.relevant""")
    con.execute("""
        INSERT INTO event_mentions (mention_id, article_id, type, date, date_text, organizer, organizer_region,
                                    venue, venue_region, online, participant_regions, figures, evidence,
                                    annotator_version, evidence_start, evidence_end, trigger_start, trigger_end)
        SELECT mention_id, article_id, type, day, strftime(day, '%d/%m/%Y'),
               'Bawaslu ' || region, region, NULL, NULL, false, [region, other_region],
               CASE WHEN type = 'pelanggaran'
                    THEN '[{"what": "ASN", "number": ' || (2 + grp % 7) || ', "scope": "' || region || '"}]'
                    ELSE '[]' END,
               'Bawaslu ' || region || ' menggelar kegiatan bersama ' || other_region, ?, 40, 120, 40, 52
        FROM scale_relevant""", [version])
    con.execute("INSERT INTO scale_mentions SELECT mention_id, grp FROM scale_relevant")
    con.execute(f"""
        INSERT INTO official_mentions (official_id, article_id, name, title, region, region_code, institution,
                                       annotator_version, name_start, name_end)
        SELECT {_key("sha1(s.article_id || ':official:' || k)", 20, "s.i")}, s.article_id,
               {_pick('l.name', "s.i, k, 'official'")}, CASE WHEN k = 0 THEN 'Ketua' ELSE 'Bupati' END,
               s.region, s.region_code, CASE WHEN k = 0 THEN 'Bawaslu' ELSE 'Pemerintah Kabupaten' END, ?, 200, 215
        FROM scale_relevant s, range(2) t(k), scale_lists l""",
                [version])


def _insert_events(con: Any) -> None:
    """Three reports to an event: events and event_articles from the generated mentions."""
    version = f"{RESOLVER_VERSION}+{config_digest()}"
    con.execute("""
        CREATE OR REPLACE TABLE scale_events AS
        SELECT substr(sha1('scale-event:' || s.grp), 1, 20) AS event_id, m.mention_id, m.article_id, m.type,
               m.date, m.organizer, m.organizer_region, m.participant_regions
        FROM scale_mentions s JOIN event_mentions m USING (mention_id)""")
    con.execute("""
        INSERT INTO events (event_id, type, date, organizer, organizer_region, venue, venue_region, online,
                            participant_regions, resolver_version, updated_at)
        SELECT event_id, any_value(type), min(date), any_value(organizer), any_value(organizer_region), NULL, NULL,
               false, list_distinct(flatten(list(participant_regions))), ?, now()::TIMESTAMP
        FROM scale_events GROUP BY event_id""", [version])
    con.execute("INSERT INTO event_articles SELECT event_id, mention_id, article_id FROM scale_events")
    con.execute("DROP TABLE scale_events")


def _insert_vectors(store: Store, seed: int) -> None:
    """Cached embeddings of the event mentions, as resolution leaves them: random unit vectors, the reports
    of one event close to each other (cosine ≈ 0.9), so the resolver's meaning check confirms them."""
    rows = store.query("SELECT mention_id, grp FROM scale_mentions ORDER BY grp, mention_id")
    rng = np.random.default_rng([seed, VECTOR_DIM])
    model = embeddings.model_name()
    for start in range(0, len(rows), 5_000):
        chunk = rows[start:start + 5_000]
        groups = sorted({grp for _, grp in chunk})
        bases = dict(zip(groups, rng.standard_normal((len(groups), VECTOR_DIM)), strict=True))
        vectors = np.stack([bases[grp] for _, grp in chunk]) + 0.33 * rng.standard_normal((len(chunk), VECTOR_DIM))
        vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
        with store.transaction() as con:
            insert_select(con, "INSERT INTO event_mention_vectors",
                          [(m, model, v.tolist()) for (m, _), v in zip(chunk, vectors, strict=True)],
                          ("VARCHAR", "VARCHAR", "FLOAT[]"))
