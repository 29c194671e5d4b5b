"""An article as displaCy HTML: what the annotator found and where, one section per span key.

    python -m pipeline.nlp.display ARTICLES.jsonl [--line N] [--keys events,officials] > article.html

Reads the same JSON lines as ``pantau annotate`` (one article a line) and renders the N-th with
``displacy.render(style="span")`` for each key of ``doc.spans``, so an analyst can check an answer
against the words it rests on.
"""

from __future__ import annotations

import argparse
import html
import sys
from collections.abc import Sequence
from pathlib import Path

from spacy import displacy
from spacy.tokens import Doc

from pipeline.inputs import InputError, read_articles
from pipeline.nlp.annotator import article_doc, load_pipeline
from pipeline.nlp.doc_spans import SPAN_KEYS


def render_article(doc: Doc, keys: Sequence[str] = SPAN_KEYS, title: str | None = None) -> str:
    """A standalone HTML page: a heading and one displaCy span rendering per key."""
    sections = [f"<h1>{html.escape(title or '')}</h1>"]
    for key in keys:
        sections.append(f"<h2>{html.escape(key)} ({len(doc.spans.get(key, []))})</h2>")
        sections.append(displacy.render(doc, style="span", options={"spans_key": key}, page=False))
    return "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>" + "\n".join(sections) + "</body></html>"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.nlp.display", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", type=Path, help="JSON lines, one article a line (as for pantau annotate)")
    parser.add_argument("--line", type=int, default=1, help="which article, counting lines from 1")
    parser.add_argument("--keys", default=",".join(SPAN_KEYS), help="span keys to show, comma-separated")
    args = parser.parse_args(argv)
    for number, item in enumerate(read_articles(args.input), 1):
        if number < args.line:
            continue
        if isinstance(item, InputError):
            print(f"line {number}: {item.error}", file=sys.stderr)
            return 1
        doc = article_doc(load_pipeline(), item)
        print(render_article(doc, [k for k in args.keys.split(",") if k], item.title))
        return 0
    print(f"no article on line {args.line}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
