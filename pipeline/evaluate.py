"""Scoring annotations against gold (``pantau eval --gold DIR --pred FILE``).

Gold files are the JSON objects of ``../shared/devset/gold`` and
``../shared/seeds/gold`` (annotation schema plus ``notes``); predictions are the
JSON Lines ``pantau annotate`` writes. Articles pair by URL; gold without a URL
pairs by position (file order), which is how the seed set is fed in.

Officials match by normalised name; regions as sets of normalised names; events
by type (then date) within an article. Field accuracies are over matched pairs.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set[Any], pred: set[Any]) -> None:
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass
class Report:
    articles: int = 0
    relevance: Counts = field(default_factory=Counts)
    officials: Counts = field(default_factory=Counts)
    official_region: Accuracy = field(default_factory=Accuracy)
    regions: Counts = field(default_factory=Counts)
    events: Counts = field(default_factory=Counts)
    event_date: Accuracy = field(default_factory=Accuracy)
    organizer_region: Accuracy = field(default_factory=Accuracy)
    participants: Counts = field(default_factory=Counts)
    errors: list[str] = field(default_factory=list)

    def scores(self) -> dict[str, float]:
        return {
            "relevance_f1": self.relevance.f1,
            "officials_precision": self.officials.precision,
            "officials_recall": self.officials.recall,
            "officials_f1": self.officials.f1,
            "official_region_accuracy": self.official_region.value,
            "regions_precision": self.regions.precision,
            "regions_recall": self.regions.recall,
            "regions_f1": self.regions.f1,
            "events_precision": self.events.precision,
            "events_recall": self.events.recall,
            "events_f1": self.events.f1,
            "event_date_accuracy": self.event_date.value,
            "organizer_region_accuracy": self.organizer_region.value,
            "participants_f1": self.participants.f1,
        }


def person_key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z]+", text))


def _names_match(gold: str, pred: str) -> bool:
    g, p = set(person_key(gold).split()), set(person_key(pred).split())
    return bool(g) and bool(p) and (g <= p or p <= g)


def load_gold(directory: Path) -> list[dict[str, Any]]:
    files = sorted(directory.glob("*.json"))
    if not files:
        raise FileNotFoundError(f"no gold *.json files in {directory}")
    return [json.loads(f.read_text(encoding="utf-8")) | {"_file": f.name} for f in files]


def load_predictions(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def pair(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any] | None]]:
    by_url = {p.get("url"): p for p in pred if p.get("url")}
    pairs = []
    for index, item in enumerate(gold):
        match = by_url.get(item.get("url")) if item.get("url") else None
        if match is None and not item.get("url") and index < len(pred):
            match = pred[index]
        pairs.append((item, match))
    return pairs


def _match_officials(report: Report, gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> None:
    used: set[int] = set()
    for g in gold:
        hit = next((i for i, p in enumerate(pred) if i not in used and _names_match(g["name"], p["name"])), None)
        if hit is None:
            report.officials.fn += 1
            continue
        used.add(hit)
        report.officials.tp += 1
        report.official_region.add(g.get("region") == pred[hit].get("region"))
    report.officials.fp += len(pred) - len(used)


def _match_events(report: Report, gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> None:
    used: set[int] = set()
    for g in gold:
        candidates = [i for i, p in enumerate(pred) if i not in used and p.get("type") == g["type"]]
        if not candidates:
            report.events.fn += 1
            continue
        hit = next((i for i in candidates if pred[i].get("date") == g.get("date")), candidates[0])
        used.add(hit)
        p = pred[hit]
        report.events.tp += 1
        report.event_date.add(p.get("date") == g.get("date"))
        report.organizer_region.add(p.get("organizer_region") == g.get("organizer_region"))
        report.participants.add(set(g.get("participant_regions") or []), set(p.get("participant_regions") or []))
    report.events.fp += len(pred) - len(used)


def evaluate(gold_items: list[dict[str, Any]], predictions: list[dict[str, Any]]) -> Report:
    report = Report()
    for gold, pred in pair(gold_items, predictions):
        report.articles += 1
        if pred is None or "error" in pred:
            report.errors.append(f"{gold.get('_file')}: {'missing' if pred is None else pred['error']}")
            pred = {"relevant": False, "officials": [], "regions_mentioned": [], "events": []}
        report.relevance.add({1} if gold["relevant"] else set(), {1} if pred.get("relevant") else set())
        _match_officials(report, gold.get("officials") or [], pred.get("officials") or [])
        report.regions.add(set(gold.get("regions_mentioned") or []), set(pred.get("regions_mentioned") or []))
        _match_events(report, gold.get("events") or [], pred.get("events") or [])
    return report


def format_report(report: Report) -> str:
    s = report.scores()
    lines = [
        f"articles: {report.articles}",
        f"relevance         P {report.relevance.precision:.3f}  R {report.relevance.recall:.3f}  F1 {s['relevance_f1']:.3f}",
        f"officials         P {s['officials_precision']:.3f}  R {s['officials_recall']:.3f}  F1 {s['officials_f1']:.3f}"
        f"   region accuracy {s['official_region_accuracy']:.3f}",
        f"regions           P {s['regions_precision']:.3f}  R {s['regions_recall']:.3f}  F1 {s['regions_f1']:.3f}",
        f"events            P {s['events_precision']:.3f}  R {s['events_recall']:.3f}  F1 {s['events_f1']:.3f}",
        f"event date accuracy        {s['event_date_accuracy']:.3f}  ({report.event_date.total} matched events)",
        f"organizer region accuracy  {s['organizer_region_accuracy']:.3f}",
        f"participants      F1 {s['participants_f1']:.3f}",
    ]
    lines += [f"error: {e}" for e in report.errors]
    return "\n".join(lines)
