"""Event resolution on generated stores: a daily batch resolved incrementally, against the archive's size.

Synthetic but shaped like a year of regional news: articles over 365 days, 2 % relevant, one event mention
per relevant article, three reports per real event (same type, day, organiser region and venue), one report
in six undated (a publication date only), participants the organiser's region and its province. Generated
in SQL inside DuckDB, resolved whole once; then a day's batch is added (queued as saving queues it) and
``resolve_events`` timed. Structure only (``use_embeddings=False``): embedding the batch's new mentions costs
the same whatever the archive's size, and is cached.

    python -m pipeline.bench.resolve_scale --mentions 400 40000 --batch 2000
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pipeline.resolve import resolve_events
from pipeline.store import Store

TYPES = ("rakor", "sosialisasi", "apel", "pelanggaran", "sanksi")


def _insert(store: Store, first: int, count: int, *, relevant_every: int, day0: int, days: int) -> None:
    """Articles ``first``.. ``first + count``; each ``relevant_every``-th is relevant with one event mention."""
    con = store.con
    con.execute(f"""
        INSERT INTO articles (article_id, canonical_url, url, source_id, title, text, published, published_date,
                              lang, relevant, annotator_version)
        SELECT 'a' || i, 'http://o' || (i % 500) || '.example/' || i, 'http://o' || (i % 500) || '.example/' || i,
               'o' || (i % 500), 'Berita ' || i, '', NULL,
               DATE '2024-01-01' + CAST({day0} + (i // {relevant_every} // 3) % {days} + (i % 3) AS INTEGER),
               'id', i % {relevant_every} = 0, 'bench'
        FROM range({first}, {first + count}) t(i)""")
    con.execute(f"""
        INSERT INTO event_mentions (mention_id, article_id, type, date, date_text, organizer, organizer_region,
                                    venue, venue_region, participant_regions, figures, evidence, annotator_version)
        SELECT 'm' || i, 'a' || i, {_pick('e', TYPES)},
               CASE WHEN k % 6 = 5 THEN NULL ELSE DATE '2024-01-01' + CAST({day0} + e % {days} AS INTEGER) END,
               CASE WHEN k % 6 = 5 THEN NULL ELSE 'Senin (1/1/2024)' END,
               'Bawaslu Kabupaten Contoh ' || (e % 514), 'Kabupaten Contoh ' || (e % 514),
               CASE WHEN e % 3 = 0 THEN 'Aula Contoh ' || (e % 514) END,
               CASE WHEN e % 3 = 0 THEN 'Kabupaten Contoh ' || (e % 514) END,
               ['Kabupaten Contoh ' || (e % 514), 'Provinsi Contoh ' || (e % 514 % 38)], '[]', 'rakor', 'bench'
        FROM (SELECT i, i // {relevant_every} AS k, i // {relevant_every} // 3 AS e FROM range({first}, {first + count}) t(i)
              WHERE i % {relevant_every} = 0)""")


def _pick(column: str, values: tuple[str, ...]) -> str:
    cases = " ".join(f"WHEN {column} % {len(values)} = {n} THEN '{v}'" for n, v in enumerate(values))
    return f"CASE {cases} END"


def run(folder: Path, mentions: int, batch: int, relevant_every: int = 50) -> dict[str, Any]:
    """Full resolution of a store of ``mentions`` event mentions, then ``batch`` new articles (each relevant:
    the worst day) resolved incrementally, then a rerun with nothing new."""
    path = folder / f"resolve-{mentions}.duckdb"
    articles = mentions * relevant_every
    with Store(path) as store:
        with store.transaction():
            _insert(store, 0, articles, relevant_every=relevant_every, day0=0, days=358)
        store.con.execute("DELETE FROM resolution_pending")
        started = time.monotonic()
        resolve_events(store, full=True, use_embeddings=False)
        full_s = time.monotonic() - started
        with store.transaction() as con:  # a day's batch, queued as saving it queues it
            _insert(store, articles, batch, relevant_every=1, day0=358, days=7)
            con.execute("INSERT INTO resolution_pending SELECT 'a' || i, now()::TIMESTAMP "
                        f"FROM range({articles}, {articles + batch}) t(i)")
        started = time.monotonic()
        events = resolve_events(store, use_embeddings=False)
        incremental_s = time.monotonic() - started
        started = time.monotonic()
        resolve_events(store, use_embeddings=False)
        rerun_s = time.monotonic() - started
        resolved_in_batch = store.query("SELECT count(*) FROM event_articles WHERE article_id IN "
                                        f"(SELECT 'a' || i FROM range({articles}, {articles + batch}) t(i))")[0][0]
    return {"mentions": mentions, "articles": articles, "batch": batch, "events": events,
            "batch_mentions_resolved": resolved_in_batch, "full_s": round(full_s, 3),
            "incremental_s": round(incremental_s, 3), "rerun_s": round(rerun_s, 4)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, nargs="+", default=[400, 40_000])
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--relevant-every", type=int, default=50, help="one article in N is relevant (2 %%)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pantau-resolve-") as folder:
        for mentions in args.mentions:
            print(json.dumps(run(Path(folder), mentions, args.batch, args.relevant_every)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
