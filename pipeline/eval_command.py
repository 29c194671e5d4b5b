"""``pantau eval``: annotations or cross-article resolution scored against a gold set.

Kept out of ``pipeline.cli`` so the command line stays a parser and a dispatcher; the scoring itself lives
in ``pipeline.evaluate`` and ``pipeline.evaluate_clusters``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from pipeline.goldsets import annotate_gold_set
from pipeline.settings import REPO_ROOT

DEFAULT_EXPECTED_CLUSTERS = REPO_ROOT / "tests" / "gold" / "expected_clusters.json"


def cmd_eval(args: argparse.Namespace) -> int:
    from pipeline.evaluate import evaluate, format_report, load_gold, load_predictions

    gold_dir = Path(args.gold)
    if args.clusters:
        return _eval_clusters(args, gold_dir)
    gold = load_gold(gold_dir)
    predictions = load_predictions(Path(args.pred)) if args.pred else annotate_gold_set(gold_dir.parent)
    report = evaluate(gold, predictions)
    print(json.dumps(report.scores(), indent=2) if args.json else format_report(report))
    return 0


def _eval_clusters(args: argparse.Namespace, gold_dir: Path) -> int:
    """Cross-article resolution scores: the gold set's articles ingested into a temporary database."""
    from pipeline.evaluate_clusters import evaluate_clusters, format_cluster_report

    root = gold_dir.parent if gold_dir.name == "gold" else gold_dir
    expected = Path(args.expected) if args.expected else DEFAULT_EXPECTED_CLUSTERS
    report = evaluate_clusters(root, expected)
    print(json.dumps(report.scores(), indent=2) if args.json else format_cluster_report(report))
    return 0
