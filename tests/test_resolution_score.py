"""The cluster score (``pantau eval --gold DIR --clusters``): its counting on constructed answers, and the
resolver run on the devset's gold events (a regression guard on the texts the rules were checked against,
not a measure of accuracy on unseen articles)."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.evaluate_clusters import (
    GoldClusters,
    evaluate_on_gold_events,
    load_gold_clusters,
    score_pairs,
    score_rakor,
)

GOLD = Path(__file__).parent / "gold"

RAKOR_GOLD = GoldClusters(
    cluster_of={("1", "rakor"): "C-X", ("2", "rakor"): "C-X", ("3", "rakor"): "E-Y", ("4", "rakor"): "E-Z",
                ("5", "apel"): "E-W"},
    key_of_url={f"u{n}": str(n) for n in range(1, 7)},
)


def test_one_row_per_rakor_scores_one() -> None:
    score = score_rakor(RAKOR_GOLD, [{"articles": ["u1", "u2"]}, {"articles": ["u3"]}, {"articles": ["u4"]}])
    assert (score.f1, score.split, score.merged, score.unmatched_rows) == (1.0, 0, 0, 0)


def test_a_rakor_answered_twice_is_a_split_event() -> None:
    score = score_rakor(RAKOR_GOLD, [{"articles": ["u1"]}, {"articles": ["u2"]}, {"articles": ["u3"]},
                                     {"articles": ["u4"]}])
    assert score.split == 1 and score.split_names == ("C-X",)
    assert score.recall == 1.0 and score.precision == 0.75


def test_two_rakor_in_one_row_are_wrongly_merged_and_a_stray_row_is_counted() -> None:
    score = score_rakor(RAKOR_GOLD, [{"articles": ["u1", "u2", "u3"]}, {"articles": ["u5"]}])
    assert score.merged == 1 and score.unmatched_rows == 1
    assert score.matched == 2 and score.gold_clusters == 3


def test_pairs_are_scored_over_items_both_sides_have() -> None:
    predicted = {("1", "rakor"): {"e1"}, ("2", "rakor"): {"e2"}, ("3", "rakor"): {"e2"}}
    score = score_pairs(RAKOR_GOLD, predicted)
    assert (score.items, score.gold_pairs, score.predicted_pairs, score.common_pairs) == (3, 1, 1, 0)


def test_devset_gold_clusters_come_from_ids_and_expected_groups() -> None:
    gold = load_gold_clusters(GOLD / "devset", GOLD / "expected_clusters.json")
    assert gold.cluster_of[("081", "rakor")] == gold.cluster_of[("091", "rakor")] == "C-JAKARTA-RAKOR-2024-09-17"
    assert gold.cluster_of[("001", "pelanggaran")] == gold.cluster_of[("003", "pelanggaran")]
    assert gold.cluster_of[("053", "rakor")] != gold.cluster_of[("101", "rakor")]


def test_resolution_on_the_devset_gold_events_merges_no_two_events() -> None:
    """Regression guard: with the gold annotations as input, no wrong merge, as annotated or undated."""
    for mode, least_recall in (("none", 0.9), ("one", 0.6), ("all", 0.45)):
        score = evaluate_on_gold_events(GOLD / "devset", GOLD / "expected_clusters.json", undate=mode)
        assert score.precision == 1.0, mode
        assert score.recall >= least_recall, (mode, score)


def _gold_folder(root: Path) -> Path:
    """A devset-shaped folder of three constructed reports: one rakor told twice (once undated), one other."""
    from tests.test_resolution_ingest import DATED, OTHER_REGION, UNDATED

    reports = [("001", DATED, "C-MEMPAWAH-RAKOR-2024-11-18"), ("002", UNDATED, "C-MEMPAWAH-RAKOR-2024-11-18"),
               ("003", OTHER_REGION, "E-SINTANG-RAKOR-2024-11-18")]
    (root / "articles").mkdir(parents=True)
    (root / "gold").mkdir()
    for stem, text, cluster in reports:
        url = f"https://example.org/{stem}"
        article = {"url": url, "source_domain": "example.org", "title": None, "text": text}
        gold = {"url": url, "relevant": True, "events": [{"type": "rakor", "event_cluster_id": cluster}]}
        (root / "articles" / f"{stem}.json").write_text(json.dumps(article), encoding="utf-8")
        (root / "gold" / f"{stem}.json").write_text(json.dumps(gold), encoding="utf-8")
    return root


def test_eval_clusters_command_scores_one_answer_per_rakor(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from pipeline.cli import main

    root = _gold_folder(tmp_path / "constructed")
    assert main(["eval", "--gold", str(root / "gold"), "--clusters", "--expected", str(tmp_path / "none.json"),
                 "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["rakor_gold_clusters"] == 2
    assert (scores["rakor_f1"], scores["rakor_split_events"], scores["rakor_wrongly_merged"]) == (1.0, 0, 0)
    assert scores["cluster_pair_precision"] == scores["cluster_pair_recall"] == 1.0
