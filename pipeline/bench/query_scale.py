"""The rakor query on a generated database of a million articles and ten million mentions.

The data are synthetic but shaped like a year of Indonesian online news: a
million articles over 365 days, ten region mentions each, 2 % relevant, events
and their article links in proportion. Generated in SQL inside DuckDB (a few
seconds), then ``pantau query rakor`` is timed as the CLI runs it: a fresh
read-only connection per query.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from pipeline.query import rakor_events
from pipeline.store import Store


def build(path: Path, articles: int = 1_000_000, mentions_per_article: int = 10) -> dict[str, float]:
    started = time.monotonic()
    with Store(path) as store:
        con = store.con
        con.execute("BEGIN TRANSACTION")
        con.execute(f"""
            INSERT INTO articles (article_id, canonical_url, url, source_id, title, text, published,
                                  published_date, lang, relevant, annotator_version)
            SELECT 'a' || i, 'http://outlet' || (i % 500) || '.example/berita/' || i,
                   'http://outlet' || (i % 500) || '.example/berita/' || i, 'outlet' || (i % 500),
                   'Berita nomor ' || i, 'Isi berita ' || i,
                   CAST(DATE '2024-01-01' + CAST(i % 365 AS INTEGER) AS VARCHAR),
                   DATE '2024-01-01' + CAST(i % 365 AS INTEGER), 'id', (i % 50 = 0), 'bench'
            FROM range({articles}) t(i)""")
        con.execute(f"""
            INSERT INTO region_mentions
            SELECT 'm' || i, 'a' || (i // {mentions_per_article}), '61.' || lpad(CAST(i % 14 AS VARCHAR), 2, '0'),
                   'Kabupaten Contoh ' || (i % 514), 'Contoh', 0, 6, 'mention', 'bench'
            FROM range({articles * mentions_per_article}) t(i)""")
        relevant = articles // 50
        con.execute(f"""
            INSERT INTO event_mentions (mention_id, article_id, type, date, organizer, organizer_region,
                                        participant_regions, figures, annotator_version)
            SELECT 'em' || i, 'a' || (i * 50),
                   CASE WHEN i % 4 = 0 THEN 'rakor' ELSE 'sosialisasi' END,
                   DATE '2024-01-01' + CAST((i * 50) % 365 AS INTEGER), 'Bawaslu Provinsi Contoh',
                   'Provinsi Contoh ' || (i % 38), ['Kabupaten Contoh ' || (i % 514)], '[]', 'bench'
            FROM range({relevant}) t(i)""")
        # Three reports per real event on average.
        con.execute("""
            INSERT INTO events (event_id, type, date, organizer, organizer_region, participant_regions,
                                resolver_version)
            SELECT 'e' || (i // 3), any_value(type), min(date), any_value(organizer), any_value(organizer_region),
                   flatten(list(participant_regions)), 'bench'
            FROM (SELECT CAST(substr(mention_id, 3) AS BIGINT) AS i, * FROM event_mentions)
            GROUP BY i // 3""")
        con.execute("""
            INSERT INTO event_articles
            SELECT 'e' || (CAST(substr(mention_id, 3) AS BIGINT) // 3), mention_id, article_id FROM event_mentions""")
        con.execute("COMMIT")
    return {"build_s": round(time.monotonic() - started, 1)}


def time_query(path: Path, runs: int = 7) -> dict[str, float]:
    timings = []
    rows = 0
    for _ in range(runs):
        started = time.perf_counter()
        rows = len(rakor_events(path))
        timings.append((time.perf_counter() - started) * 1000)
    week = []
    import datetime as dt

    for _ in range(runs):
        started = time.perf_counter()
        rakor_events(path, dt.date(2024, 9, 16), dt.date(2024, 9, 22))
        week.append((time.perf_counter() - started) * 1000)
    return {
        "rakor_rows": rows,
        "query_rakor_ms": round(statistics.median(timings), 1),
        "query_rakor_first_ms": round(timings[0], 1),
        "query_rakor_week_ms": round(statistics.median(week), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=Path("data/bench/scale.duckdb"))
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)
    figures: dict[str, float] = {"articles": args.articles}
    if args.rebuild or not args.db.exists():
        args.db.parent.mkdir(parents=True, exist_ok=True)
        args.db.unlink(missing_ok=True)
        figures.update(build(args.db, args.articles))
    figures.update(time_query(args.db))
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
