"""The search index at archive scale: full build, a day's 2,000 articles into 50k and 200k, query time.

Articles of ~3 KB of Indonesian-looking words (a common vocabulary plus a long tail of ~20k rare words) are generated in SQL inside DuckDB (no extraction), with
region and event mentions, then ``update_search_index`` is timed as the daily run calls it: once over the
whole archive (the first run, or a backfill), then once after 2,000 more articles are stored.

    python -m pipeline.bench.search_index --articles 50000 200000
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from pipeline.store import Store
from pipeline.store.search import search_articles, search_index_dir, update_search_index

WORDS = ("bawaslu kabupaten kota provinsi rakor netralitas aparatur sipil negara pemilu pilkada kampanye "
         "pengawasan sosialisasi kepala desa camat bupati wali gubernur kepolisian tentara pelanggaran sanksi "
         "laporan warga pemilih daftar tetap suara rekapitulasi tahapan jadwal anggaran hibah rapat koordinasi "
         "pemerintah daerah dinas sekretaris jenderal komisi pemilihan umum partai politik calon peserta tim "
         "relawan media sosial berita bohong ujaran kebencian politik uang logistik kotak surat tinta tempat "
         "pemungutan penghitungan saksi panitia adhoc kecamatan kelurahan dusun musyawarah mufakat")


def _insert(store: Store, start: int, count: int) -> None:
    """``count`` articles from number ``start``: ~3 KB texts, two region mentions and one event mention each."""
    con = store.con
    # A pool of 1,000 paragraphs of ~1.5 KB; an article's text is two of them, its title words of a third.
    con.execute("""CREATE OR REPLACE TEMP TABLE pool AS
        SELECT p, array_to_string(list_transform(range(190),
                   j -> CASE WHEN hash(p * 7 + j) % 4 = 0 THEN 'kata' || hash(p * 31 + j) % 20000  -- a long tail
                             ELSE $v[CAST(1 + hash(p * 104729 + j) % len($v) AS BIGINT)] END), ' ') AS words
        FROM range(1000) t(p)""", {"v": WORDS.split()})
    con.execute("BEGIN TRANSACTION")
    con.execute("""
        INSERT INTO articles (article_id, canonical_url, url, source_id, title, text, published, published_date,
                              lang, relevant, annotator_version, updated_at)
        SELECT 'a' || i, 'http://o' || (i % 500) || '.example/b/' || i, 'http://o' || (i % 500) || '.example/b/' || i,
               'o' || (i % 500), 'Berita ' || i || ' ' || substr(c.words, 1, 60), a.words || ' ' || b.words,
               CAST(DATE '2024-01-01' + CAST(i % 365 AS INTEGER) AS VARCHAR), DATE '2024-01-01' + CAST(i % 365 AS INTEGER),
               'id', i % 50 = 0, 'bench', now()::TIMESTAMP
        FROM range($start, $end) t(i)
        JOIN pool a ON a.p = i % 1000 JOIN pool b ON b.p = (i // 1000 + i * 7) % 1000 JOIN pool c ON c.p = (i * 13) % 1000
        ORDER BY i""", {"start": start, "end": start + count})
    con.execute("""
        INSERT INTO region_mentions
        SELECT 'm' || i || '-' || k, 'a' || i, '61.' || lpad(CAST((i + k) % 14 + 1 AS VARCHAR), 2, '0'), 'Contoh',
               'Contoh', 0, 6, 'mention', 'bench'
        FROM range($start, $end) t(i), range(2) r(k)""", {"start": start, "end": start + count})
    con.execute("""
        INSERT INTO event_mentions (mention_id, article_id, type, figures, annotator_version)
        SELECT 'em' || i, 'a' || i, CASE WHEN i % 4 = 0 THEN 'rakor' ELSE 'sosialisasi' END, '[]', 'bench'
        FROM range($start, $end) t(i)""", {"start": start, "end": start + count})
    con.execute("COMMIT")


def measure(folder: Path, articles: int, daily: int = 2_000) -> dict[str, Any]:
    db = folder / f"search-{articles}.duckdb"
    db.unlink(missing_ok=True)
    shutil.rmtree(search_index_dir(db), ignore_errors=True)
    figures: dict[str, Any] = {"articles": articles}
    with Store(db) as store:
        started = time.monotonic()
        _insert(store, 0, articles)
        figures["generate_s"] = round(time.monotonic() - started, 1)
        started = time.monotonic()
        indexed = update_search_index(store)
        seconds = time.monotonic() - started
        figures.update(full_s=round(seconds, 1), full_aps=round(indexed / seconds))
        started = time.monotonic()
        assert update_search_index(store) == 0
        figures["nothing_new_s"] = round(time.monotonic() - started, 2)
        _insert(store, articles, daily)
        started = time.monotonic()
        assert update_search_index(store) == daily
        figures[f"add_{daily}_s"] = round(time.monotonic() - started, 2)
    timings = []
    for _ in range(21):
        started = time.perf_counter()
        hits = search_articles(db, "netralitas pengawasan", limit=20)
        timings.append((time.perf_counter() - started) * 1000)
    filtered = []
    for _ in range(21):
        started = time.perf_counter()
        search_articles(db, "netralitas pengawasan", limit=20, event_type="rakor", region_codes=["61.03"])
        filtered.append((time.perf_counter() - started) * 1000)
    figures.update(query_ms=round(statistics.median(timings), 1), query_first_ms=round(timings[0], 1),
                   query_filtered_ms=round(statistics.median(filtered), 1), hits=len(hits),
                   index_mb=round(sum(p.stat().st_size for p in search_index_dir(db).iterdir()) / 1e6))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, nargs="+", default=[50_000, 200_000])
    parser.add_argument("--folder", type=Path, default=Path("data/bench"))
    args = parser.parse_args(argv)
    args.folder.mkdir(parents=True, exist_ok=True)
    for n in args.articles:
        print(json.dumps(measure(args.folder, n)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
