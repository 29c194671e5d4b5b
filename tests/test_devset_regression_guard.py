"""Regression guard: annotations of the development gold sets scored with `pantau eval`; fails below the floors.

The rules were written while reading these texts, so these scores say nothing about accuracy on unseen
articles (measure that on texts the rules were not written against, as issue 11's note does for 051-110
before its changes). What this guard does say: a change that breaks a class of writing the development
set contains shows up here. Per-class behaviour is pinned by constructed sentences in the test modules of
each annotator (tests/test_officials*.py, test_dates*.py, test_events*.py, test_region_tagger.py).

Floors live in tests/regression_floors.json, were set from measurements, and only ever rise.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.evaluate import evaluate, format_report, load_gold
from pipeline.goldsets import annotate_gold_set

GOLD = Path(__file__).parent / "gold"
FLOORS = json.loads((Path(__file__).parent / "regression_floors.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["seeds", "devset", "constructed"])
def test_development_set_scores_stay_above_their_regression_floors(name: str) -> None:
    root = GOLD / name
    report = evaluate(load_gold(root / "gold"), annotate_gold_set(root))
    scores = report.scores()
    below = {k: (round(scores[k], 3), floor) for k, floor in FLOORS[name].items() if scores[k] < floor}
    assert not below, f"{name} below floor (score, floor): {below}\n{format_report(report)}"


def test_every_annotation_validates_against_the_contract_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((Path(__file__).parent / "contract" / "annotation.schema.json").read_text(encoding="utf-8"))
    for name in ("seeds", "devset", "constructed"):
        for record in annotate_gold_set(GOLD / name):
            jsonschema.validate(record, schema)
