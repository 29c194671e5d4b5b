"""Score ``find_dates`` against the gold event dates of the development set and the seeds.

For every gold event with a ``date_text``, a hit is a mention that overlaps an occurrence of that
text and whose ``event_date`` equals the gold ``date`` (None where the gold is null: a weekday
alone, a contradicted weekday, a report cut-off...). The reference for relative forms is the
gold ``published_date`` when the text states one, else a /YYYY/MM/DD/ date in the URL; without
either, the context year is the URL's /YYYY/ or 2024 (the Pilkada/Pemilu year of the set).

    python -m pipeline.nlp.eval_dates [--shared tests/gold] [--verbose]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from pipeline.nlp.date_mentions import DateMention, find_dates

DEFAULT_SHARED = Path(__file__).resolve().parents[2] / "tests" / "gold"  # same layout as ../shared
DEFAULT_CONTEXT_YEAR = 2024
_URL_DAY = re.compile(r"/(20\d{2})/(\d{2})/(\d{2})(?:/|$)")
_URL_YEAR = re.compile(r"/(20\d{2})/(?:\d{2}/)?")


@dataclass(frozen=True)
class Case:
    """One gold event date to find."""

    doc: str
    date_text: str
    gold: dt.date | None
    text: str
    published: dt.date | None
    context_year: int


@dataclass(frozen=True)
class Outcome:
    case: Case
    hit: bool
    found: tuple[DateMention, ...]  # mentions overlapping the gold text
    reason: str


def reference_for(url: str | None, published_date: str | None) -> tuple[dt.date | None, int]:
    """Publication date and context year as the brief fixes them for the evaluation."""
    if published_date:
        day = dt.date.fromisoformat(published_date)
        return day, day.year
    if url:
        m = _URL_DAY.search(url)
        if m:
            try:
                day = dt.date(int(m[1]), int(m[2]), int(m[3]))
                return day, day.year
            except ValueError:
                pass
        y = _URL_YEAR.search(url)
        if y:
            return None, int(y[1])
    return None, DEFAULT_CONTEXT_YEAR


def load_cases(shared: Path) -> list[Case]:
    cases: list[Case] = []
    for gold_path in sorted((shared / "devset" / "gold").glob("*.json")):
        article = _json(shared / "devset" / "articles" / gold_path.name)
        cases.extend(_cases(f"devset/{gold_path.stem}", _json(gold_path), article["text"]))
    for gold_path in sorted((shared / "seeds" / "gold").glob("*.json")):
        text = (shared / "seeds" / f"{gold_path.stem}.txt").read_text(encoding="utf-8")
        cases.extend(_cases(f"seeds/{gold_path.stem}", _json(gold_path), text))
    return cases


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _cases(doc: str, gold: dict, text: str) -> list[Case]:
    published, year = reference_for(gold.get("url"), gold.get("published_date"))
    out = []
    for event in gold.get("events", []):
        if event.get("date_text"):
            day = dt.date.fromisoformat(event["date"]) if event.get("date") else None
            out.append(Case(doc, event["date_text"], day, text, published, year))
    return out


def score(case: Case, mentions: list[DateMention]) -> Outcome:
    spans = [(m.start(), m.end()) for m in re.finditer(re.escape(case.date_text), case.text)]
    if not spans:
        return Outcome(case, False, (), "date_text not in text")
    found = tuple(m for m in mentions if any(m.start < e and s < m.end for s, e in spans))
    if not found:
        return Outcome(case, False, found, "no mention overlaps")
    if any(m.event_date == case.gold for m in found):
        return Outcome(case, True, found, "")
    return Outcome(case, False, found, "wrong date")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--verbose", action="store_true", help="also list every hit")
    args = parser.parse_args(argv)
    cases = load_cases(args.shared)
    if not cases:
        print(f"no gold cases under {args.shared}", file=sys.stderr)
        return 2
    outcomes: list[Outcome] = []
    cache: dict[tuple[str, dt.date | None, int], list[DateMention]] = {}
    for case in cases:
        key = (case.doc, case.published, case.context_year)
        if key not in cache:
            cache[key] = find_dates(case.text, case.published, case.context_year)
        outcomes.append(score(case, cache[key]))
    texts = {(c.doc, c.text, c.published, c.context_year) for c in cases}
    started = time.perf_counter()
    rounds = 20
    for _ in range(rounds):
        for _, text, published, year in texts:
            find_dates(text, published, year)
    per_doc_ms = (time.perf_counter() - started) * 1000 / (rounds * len(texts))
    for part in ("devset", "seeds", ""):
        chosen = [o for o in outcomes if o.case.doc.startswith(part)]
        hits = sum(o.hit for o in chosen)
        print(f"{part or 'all':7s} {hits}/{len(chosen)} = {hits / len(chosen):.1%}")
    mean_chars = sum(len(t[1]) for t in texts) // len(texts)
    print(f"speed   {per_doc_ms:.3f} ms per article (mean {mean_chars} chars)")
    for o in outcomes:
        if o.hit and not args.verbose:
            continue
        got = "; ".join(_describe(m) for m in o.found)
        status = "hit " if o.hit else "MISS"
        print(f"{status} {o.case.doc} {o.case.date_text!r} gold={o.case.gold} {o.reason} {got}")
    return 0


def _describe(m: DateMention) -> str:
    return f"{m.text!r}->{m.event_date} ({m.date}, {m.kind}, wd={m.weekday_ok}, {m.role_hint})"


if __name__ == "__main__":
    raise SystemExit(main())
