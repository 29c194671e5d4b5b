"""Scores the region tagger's ``regions_mentioned`` against the gold dev set and seeds.

``python -m pipeline.nlp.eval_regions [-v]`` prints micro precision/recall/F1 per set.
Texts are used as stored, minus related-link lines starting with "Baca juga" (the three
usual spellings), since chrome removal is another stage's job; ``--clean`` runs that
stage's ``clean_text`` first, as the full pipeline would. ``-v`` lists each article's
misses and extras, which is how the rule classes were tuned.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.evaluate import Counts
from pipeline.nlp.regions import RegionTagger

# The repository's copies of the shared gold sets (same layout); PANTAU_SHARED points elsewhere.
SHARED = Path(os.environ.get("PANTAU_SHARED", Path(__file__).resolve().parents[2] / "tests" / "gold"))
_RELATED = re.compile(r"^\s*(?:Baca juga|BACA JUGA|Baca Juga)\b")


@dataclass(frozen=True)
class GoldDoc:
    doc_id: str
    text: str
    regions: frozenset[str]


@dataclass
class Scores(Counts):
    """Precision/recall counts (``pipeline.evaluate.Counts``) plus each document's misses and extras."""

    errors: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)  # id -> (missed, extra)


def strip_related(text: str) -> str:
    """Drops "Baca juga: ..." related-link lines."""
    return "\n".join(line for line in text.split("\n") if not _RELATED.match(line))


def load_devset(root: Path = SHARED / "devset") -> list[GoldDoc]:
    docs = []
    for gold_path in sorted((root / "gold").glob("*.json")):
        article = json.loads((root / "articles" / gold_path.name).read_text(encoding="utf-8"))
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        regions = frozenset(gold["regions_mentioned"])
        docs.append(GoldDoc(gold_path.stem, strip_related(article["text"]), regions))
    return docs


def load_seeds(root: Path = SHARED / "seeds") -> list[GoldDoc]:
    docs = []
    for text_path in sorted(root.glob("*.txt")):
        gold = json.loads((root / "gold" / f"{text_path.stem}.json").read_text(encoding="utf-8"))
        text = strip_related(text_path.read_text(encoding="utf-8"))
        docs.append(GoldDoc(f"seed {text_path.stem[:3]}", text, frozenset(gold["regions_mentioned"])))
    return docs


def evaluate(tagger: RegionTagger, docs: list[GoldDoc]) -> Scores:
    scores = Scores()
    for doc in docs:
        predicted = {m.name for m in tagger.find(doc.text)}
        missed = sorted(doc.regions - predicted)
        extra = sorted(predicted - doc.regions)
        scores.tp += len(doc.regions & predicted)
        scores.fn += len(missed)
        scores.fp += len(extra)
        if missed or extra:
            scores.errors[doc.doc_id] = (missed, extra)
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Region tagger accuracy on the dev set and seeds.")
    parser.add_argument("--devset", type=Path, default=SHARED / "devset")
    parser.add_argument("--seeds", type=Path, default=SHARED / "seeds")
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and extras per article")
    parser.add_argument("--clean", action="store_true",
                        help="first remove page chrome with pipeline.extract.chrome.clean_text")
    args = parser.parse_args(argv)
    tagger = RegionTagger()
    sets = {"devset": load_devset(args.devset), "seeds": load_seeds(args.seeds)}
    if args.clean:
        from pipeline.extract.chrome import clean_text  # another stage's module: only on request

        sets = {k: [replace(d, text=clean_text(d.text)) for d in v] for k, v in sets.items()}
    sets["all"] = sets["devset"] + sets["seeds"]
    for name, docs in sets.items():
        s = evaluate(tagger, docs)
        print(f"{name:7s} docs={len(docs):3d} tp={s.tp:3d} fp={s.fp:3d} fn={s.fn:3d} "
              f"P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f}")
        if args.verbose and name != "all":
            for doc_id, (missed, extra) in s.errors.items():
                print(f"  {doc_id}: missed={missed} extra={extra}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
