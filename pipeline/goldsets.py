"""Turning the gold sets into contract input (JSON Lines), for ``pantau eval`` and the accuracy gate.

Two layouts exist: the seeds (``NNN.txt`` beside ``gold/NNN.json``, no URLs) and the development set
(``articles/NNN.json`` with url/title/text beside ``gold/NNN.json``). Seeds get a ``seed:`` URL so
predictions and gold pair up by URL.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def gold_inputs(root: Path) -> tuple[Path, list[dict[str, Any]]]:
    """(gold folder, input records in gold-file order) for a seeds- or devset-shaped folder."""
    gold_dir = root / "gold"
    records = []
    for gold_file in sorted(gold_dir.glob("*.json")):
        stem = gold_file.stem
        article_json = root / "articles" / f"{stem}.json"
        if article_json.exists():
            article = json.loads(article_json.read_text(encoding="utf-8"))
            record = {"url": article["url"], "title": article.get("title"), "text": article["text"]}
            if article.get("published"):  # the contract's optional publication date, where a set has it
                record["published"] = article["published"]
            records.append(record)
        else:
            text = (root / f"{stem}.txt").read_text(encoding="utf-8")
            records.append({"url": f"seed:{stem}", "title": None, "text": text})
    return gold_dir, records


def gold_with_urls(root: Path) -> list[dict[str, Any]]:
    """Gold records, with the seed URLs filled in the same way as ``gold_inputs``."""
    items = []
    for gold_file in sorted((root / "gold").glob("*.json")):
        item = json.loads(gold_file.read_text(encoding="utf-8"))
        if not item.get("url"):
            item["url"] = f"seed:{gold_file.stem}"
        item["_file"] = gold_file.name
        items.append(item)
    return items


def annotate_gold_set(root: Path) -> list[dict[str, object]]:
    """Annotate a seeds- or devset-shaped folder's own articles (for ``pantau eval`` without --pred)."""
    from pipeline.inputs import InputError, parse_line
    from pipeline.nlp.annotator import Annotator

    annotator = Annotator()
    _, records = gold_inputs(root)
    out: list[dict[str, object]] = []
    for number, record in enumerate(records, 1):
        item = parse_line(json.dumps(record), number)
        out.append(item.to_json() if isinstance(item, InputError) else annotator.annotate(item).to_contract())
    return out
