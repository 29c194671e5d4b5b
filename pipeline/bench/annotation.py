"""Annotation speed on one core: ``Annotator.annotate`` against bare spaCy tokenisation of the same texts.

The annotator is a spaCy pipeline (``models/pantau_id``); the baseline is what any spaCy user pays
before a single rule runs: ``spacy.blank("id")`` making Docs of the same texts. Both run in this
process pinned to one CPU (where the OS allows), interleaved, best of ``repeat``, so the figures are
taken under the same load. CPU-time rates are reported beside wall-clock ones: on a shared machine
they show what the code costs when the clock also counts other people's work, and the 250 articles/s
target is checked on them (the annotator is single-threaded: CPU seconds are one core's work).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import spacy

from pipeline.nlp.annotator import Annotator
from pipeline.records import ExtractedArticle

TARGET_APS = 250.0


@contextmanager
def one_core() -> Iterator[bool]:
    """Pin this process to one CPU for the block; yields whether pinning was possible."""
    getter = getattr(os, "sched_getaffinity", None)
    setter = getattr(os, "sched_setaffinity", None)
    if getter is None or setter is None:
        yield False
        return
    before = getter(0)
    try:
        setter(0, {min(before)})
    except OSError:
        yield False
        return
    try:
        yield True
    finally:
        setter(0, before)


def _timed(work: Callable[[], Any]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def _rate(count: int, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else 0.0


def time_annotation(articles: Sequence[ExtractedArticle], annotator: Annotator, repeat: int = 3) -> dict[str, Any]:
    """Articles per second through the annotator and through bare ``spacy.blank("id")`` tokenisation."""
    blank = spacy.blank("id")
    texts = [a.text for a in articles]

    def baseline() -> None:
        for text in texts:
            blank.make_doc(text)

    def annotate() -> None:
        for article in articles:
            annotator.annotate(article)

    runs: dict[str, list[tuple[float, float]]] = {"baseline": [], "annotate": []}
    with one_core() as pinned:
        for _ in range(max(1, repeat)):
            runs["baseline"].append(_timed(baseline))
            runs["annotate"].append(_timed(annotate))
    n = len(articles)
    best = {key: min(values) for key, values in runs.items()}
    best_cpu = {key: min(cpu for _, cpu in values) for key, values in runs.items()}
    figures = {
        "one_core_pinned": pinned,
        "annotation_articles": n,
        "annotation_mean_chars": round(sum(map(len, texts)) / max(1, n)),
        "baseline_blank_id_aps": _rate(n, best["baseline"][0]),
        "baseline_blank_id_cpu_aps": _rate(n, best_cpu["baseline"]),
        "annotate_one_core_aps": _rate(n, best["annotate"][0]),
        "annotate_one_core_cpu_aps": _rate(n, best_cpu["annotate"]),
        "annotate_one_core_runs_aps": [_rate(n, wall) for wall, _ in runs["annotate"]],
    }
    figures["annotate_vs_blank_id"] = round(figures["annotate_one_core_aps"] / figures["baseline_blank_id_aps"], 2) \
        if figures["baseline_blank_id_aps"] else 0.0
    return figures
