"""Scoring cross-article event resolution against gold clusters (``pantau eval --gold DIR --clusters``).

Annotation scores (``pipeline.evaluate``) say whether each article's events were read; this module says
whether the reports of one real-world event became one event, and whether the analysts' rakor answer
has one row per real rakor. The gold articles go through the real pipeline (``ingest_articles``) into a
temporary DuckDB, and the answer is read back with the same query ``pantau query rakor`` runs.

Gold clusters come from two places:
- ``event_cluster_id`` on gold events (devset 051-110: ``C-...`` shared by several reports, ``E-...`` one);
- ``tests/gold/expected_clusters.json`` ``together`` groups (member keys are devset stems or
  ``seed:<stem>``); any other gold event is its own cluster.

An *item* is one (article, event type) pair present in both gold and prediction, so missing annotations
do not count as resolution errors; pairwise precision/recall is over pairs of items. The rakor answer
is judged by article overlap: a row matches a gold rakor cluster when it cites one of its reports.

Resolution is also run on the gold events themselves (structure only, no embeddings), as annotated,
with all reports of a cluster but one undated, and with every report undated: the resolver's own
figures, apart from today's annotation errors.
"""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

ItemKey = tuple[str, str]  # (article key, event type)


@dataclass(frozen=True)
class GoldClusters:
    """Gold cluster of each (article key, type) item, and the article key of each URL."""

    cluster_of: dict[ItemKey, str]
    key_of_url: dict[str, str]


@dataclass(frozen=True)
class PairScore:
    items: int
    gold_pairs: int
    predicted_pairs: int
    common_pairs: int

    @property
    def precision(self) -> float:
        return self.common_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.common_pairs / self.gold_pairs if self.gold_pairs else 1.0


@dataclass(frozen=True)
class RakorScore:
    rows: int
    gold_clusters: int
    matched: int  # gold rakor clusters cited by at least one row
    split: int  # extra rows for a gold rakor that already has one (one real rakor, several answers)
    merged: int  # rows citing reports of two or more gold rakor
    unmatched_rows: int  # rows citing no gold rakor report
    split_names: tuple[str, ...] = ()
    merged_names: tuple[str, ...] = ()

    @property
    def precision(self) -> float:
        return self.matched / self.rows if self.rows else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold_clusters if self.gold_clusters else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


UNDATE_MODES = ("none", "one", "all")


@dataclass(frozen=True)
class ClusterReport:
    pairs: PairScore
    rakor: RakorScore
    on_gold_events: tuple[tuple[str, PairScore], ...] = ()  # (undate mode, score), resolution alone

    def scores(self) -> dict[str, Any]:
        oracle = {f"gold_events_undated_{mode}_pair_{what}": getattr(score, what)
                  for mode, score in self.on_gold_events for what in ("precision", "recall")}
        return oracle | {
            "cluster_items": self.pairs.items,
            "cluster_pair_precision": self.pairs.precision,
            "cluster_pair_recall": self.pairs.recall,
            "cluster_gold_pairs": self.pairs.gold_pairs,
            "cluster_predicted_pairs": self.pairs.predicted_pairs,
            "rakor_rows": self.rakor.rows,
            "rakor_gold_clusters": self.rakor.gold_clusters,
            "rakor_precision": self.rakor.precision,
            "rakor_recall": self.rakor.recall,
            "rakor_f1": self.rakor.f1,
            "rakor_split_events": self.rakor.split,
            "rakor_wrongly_merged": self.rakor.merged,
            "rakor_unmatched_rows": self.rakor.unmatched_rows,
            "rakor_split_names": list(self.rakor.split_names),
            "rakor_merged_names": list(self.rakor.merged_names),
        }


def article_key(root: Path, stem: str) -> str:
    """The key expected_clusters.json uses: a devset stem as is, a seed as ``seed:<stem>``."""
    return stem if (root / "articles").is_dir() else f"seed:{stem}"


def load_gold_clusters(root: Path, expected: Path | None) -> GoldClusters:
    """Gold clusters of a seeds- or devset-shaped folder (see the module docstring)."""
    from pipeline.goldsets import gold_inputs

    _, records = gold_inputs(root)
    stems = sorted(p.stem for p in (root / "gold").glob("*.json"))
    key_of_url = {record["url"]: article_key(root, stem) for stem, record in zip(stems, records, strict=True)}
    groups: dict[ItemKey, str] = {}
    if expected is not None and expected.is_file():
        for group in json.loads(expected.read_text(encoding="utf-8")).get("together", []):
            for member in group["members"]:
                groups[(member, group["type"])] = f"X:{group['name']}"
    cluster_of: dict[ItemKey, str] = {}
    for stem in stems:
        key = article_key(root, stem)
        gold = json.loads((root / "gold" / f"{stem}.json").read_text(encoding="utf-8"))
        if not gold.get("relevant"):
            continue
        for event in gold.get("events") or []:
            item = (key, event["type"])
            cluster_of.setdefault(item, event.get("event_cluster_id") or groups.get(item) or f"S:{key}:{item[1]}")
    return GoldClusters(cluster_of, key_of_url)


def _pairs(members: dict[ItemKey, set[str]]) -> set[frozenset[ItemKey]]:
    return {frozenset((a, b)) for a, b in combinations(sorted(members), 2) if members[a] & members[b]}


def score_pairs(gold: GoldClusters, predicted: dict[ItemKey, set[str]]) -> PairScore:
    """Pairwise precision/recall over items both gold and prediction have."""
    items = sorted(set(gold.cluster_of) & set(predicted))
    gold_pairs = _pairs({i: {gold.cluster_of[i]} for i in items})
    predicted_pairs = _pairs({i: predicted[i] for i in items})
    return PairScore(len(items), len(gold_pairs), len(predicted_pairs), len(gold_pairs & predicted_pairs))


def score_rakor(gold: GoldClusters, rows: Iterable[dict[str, Any]]) -> RakorScore:
    """The rakor answer's rows against the gold rakor clusters, by the reports they cite."""
    clusters: dict[str, set[str]] = defaultdict(set)
    for (key, kind), cluster in gold.cluster_of.items():
        if kind == "rakor":
            clusters[cluster].add(key)
    cluster_of_article = {key: cluster for cluster, keys in clusters.items() for key in keys}
    rows_of_cluster: dict[str, int] = defaultdict(int)
    merged, unmatched, total = [], 0, 0
    for row in rows:
        total += 1
        cited = {cluster_of_article[k] for k in (gold.key_of_url.get(u) for u in row["articles"])
                 if k in cluster_of_article}
        if not cited:
            unmatched += 1
        if len(cited) > 1:
            merged.append(" + ".join(sorted(cited)))
        for cluster in cited:
            rows_of_cluster[cluster] += 1
    split = {c: n - 1 for c, n in rows_of_cluster.items() if n > 1}
    return RakorScore(total, len(clusters), len(rows_of_cluster), sum(split.values()), len(merged), unmatched,
                      tuple(sorted(split)), tuple(merged))


def predicted_items(db: Path, key_of_url: dict[str, str]) -> dict[ItemKey, set[str]]:
    """Resolved event ids of each (article key, type) item in a database."""
    from pipeline.store import connect_readonly

    con = connect_readonly(db)
    try:
        rows = con.execute(
            "SELECT a.url, m.type, ea.event_id FROM event_mentions m JOIN articles a USING (article_id) "
            "JOIN event_articles ea ON ea.mention_id = m.mention_id").fetchall()
    finally:
        con.close()
    items: dict[ItemKey, set[str]] = defaultdict(set)
    for url, kind, event_id in rows:
        if url in key_of_url:
            items[(key_of_url[url], kind)].add(event_id)
    return dict(items)


def score_database(db: Path, gold: GoldClusters) -> ClusterReport:
    from pipeline.query import rakor_events

    return ClusterReport(score_pairs(gold, predicted_items(db, gold.key_of_url)), score_rakor(gold, rakor_events(db)))


def evaluate_clusters(root: Path, expected: Path | None) -> ClusterReport:
    """Ingest a gold folder's articles through the whole pipeline into a temporary database and score it."""
    from pipeline.goldsets import gold_inputs
    from pipeline.inputs import parse_line
    from pipeline.process import ingest_articles
    from pipeline.records import ExtractedArticle
    from pipeline.settings import Paths

    gold = load_gold_clusters(root, expected)
    _, records = gold_inputs(root)
    articles = [a for n, r in enumerate(records, 1)
                if isinstance(a := parse_line(json.dumps(r), n), ExtractedArticle)]
    with tempfile.TemporaryDirectory(prefix="pantau-clusters-") as folder:
        paths = Paths.under(Path(folder))
        ingest_articles(paths, articles)
        report = score_database(paths.db, gold)
    oracle = tuple((mode, evaluate_on_gold_events(root, expected, undate=mode)) for mode in UNDATE_MODES)
    return ClusterReport(report.pairs, report.rakor, oracle)


def gold_mentions(root: Path, *, undate: str = "none") -> tuple[list[Any], dict[str, ItemKey]]:
    """The gold events themselves as resolution's input: resolution judged with annotation made perfect.

    ``undate`` takes dates away to test the class the issue names: "none", "one" (every report of a gold
    cluster but its first loses its date and date text) or "all".
    """
    from pipeline.resolve_evidence import Mention

    mentions, item_of = [], {}
    firsts: set[str] = set()
    for gold_file in sorted((root / "gold").glob("*.json")):
        key = article_key(root, gold_file.stem)
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        if not gold.get("relevant"):
            continue
        published = _iso(gold.get("published_date"))
        for number, event in enumerate(gold.get("events") or []):
            cluster = event.get("event_cluster_id") or f"{key}:{number}"
            drop = undate == "all" or (undate == "one" and cluster in firsts)
            firsts.add(cluster)
            mention_id = f"{key}:{number}"
            mentions.append(Mention(
                mention_id=mention_id, article_id=key, type=event["type"],
                date=None if drop else _iso(event.get("date")), organizer=event.get("organizer"),
                organizer_region=event.get("organizer_region"), venue=event.get("venue"),
                venue_region=event.get("venue_region"), online=event.get("online"),
                participant_regions=tuple(event.get("participant_regions") or ()), description="",
                original_article=key,
                figures=frozenset(float(f["number"]) for f in event.get("figures") or [] if "number" in f),
                date_text=None if drop else event.get("date_text"), published=published))
            item_of[mention_id] = (key, event["type"])
    return mentions, item_of


def _province_of() -> dict[str, str]:
    """Kabupaten/kota name -> province name, as the store's region table has them."""
    from pipeline.process import region_reference

    return {name: province for _, kind, name, _, province in region_reference() if kind not in ("provinsi", "nasional")}


def _iso(value: Any) -> Any:
    import datetime as dt

    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def evaluate_on_gold_events(root: Path, expected: Path | None, *, undate: str = "none",
                            province_of: dict[str, str] | None = None) -> PairScore:
    """Pairwise scores of resolution (structure only, no embeddings) run on the gold events."""
    from pipeline.resolve import candidate_pairs, cluster

    gold = load_gold_clusters(root, expected)
    mentions, item_of = gold_mentions(root, undate=undate)
    groups = cluster(mentions, None, candidate_pairs(mentions, province_of or _province_of()))
    predicted: dict[ItemKey, set[str]] = defaultdict(set)
    for number, group in enumerate(groups):
        for index in group:
            predicted[item_of[mentions[index].mention_id]].add(str(number))
    return score_pairs(gold, dict(predicted))


def format_cluster_report(report: ClusterReport) -> str:
    p, r = report.pairs, report.rakor
    lines = [
        f"cluster pairs     P {p.precision:.3f}  R {p.recall:.3f}  ({p.items} items, {p.gold_pairs} gold pairs, "
        f"{p.predicted_pairs} predicted pairs, {p.common_pairs} common)",
        f"rakor answer      P {r.precision:.3f}  R {r.recall:.3f}  F1 {r.f1:.3f}  ({r.rows} rows, "
        f"{r.gold_clusters} gold rakor, {r.matched} found)",
        f"rakor split events {r.split}   wrongly merged {r.merged}   rows with no gold rakor {r.unmatched_rows}",
    ]
    lines += [f"  split: {name}" for name in r.split_names]
    lines += [f"  merged: {name}" for name in r.merged_names]
    for mode, score in report.on_gold_events:
        lines.append(f"on gold events, {mode:4} undated: pairs P {score.precision:.3f}  R {score.recall:.3f}  "
                     f"({score.gold_pairs} gold pairs, {score.predicted_pairs} predicted, {score.common_pairs} common)")
    return "\n".join(lines)
