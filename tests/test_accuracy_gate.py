"""The accuracy gate: annotations of the gold sets scored with `pantau eval`; fails below the floors.

Floors live in tests/accuracy_floors.json, were set from measurements, and only ever rise.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import annotate_gold_set
from pipeline.evaluate import evaluate, format_report, load_gold

GOLD = Path(__file__).parent / "gold"
FLOORS = json.loads((Path(__file__).parent / "accuracy_floors.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["seeds", "devset"])
def test_scores_stay_above_their_floors(name: str) -> None:
    root = GOLD / name
    report = evaluate(load_gold(root / "gold"), annotate_gold_set(root))
    scores = report.scores()
    below = {k: (round(scores[k], 3), floor) for k, floor in FLOORS[name].items() if scores[k] < floor}
    assert not below, f"{name} below floor (score, floor): {below}\n{format_report(report)}"


def test_every_annotation_validates_against_the_contract_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((Path(__file__).parent / "contract" / "annotation.schema.json").read_text(encoding="utf-8"))
    for name in ("seeds", "devset"):
        for record in annotate_gold_set(GOLD / name):
            jsonschema.validate(record, schema)
