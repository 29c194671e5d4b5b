"""The only way golden files change: ``python -m pipeline.extract.update_goldens``.

Rewrites the machine part (``expected``) of every golden, or of those whose
name contains one of the given words, from what the extractor produces now,
and prints each change so it can be reviewed with the diff. Hand-kept parts
(snippets, URL, ``reject``) are never touched; snippet failures are printed
as warnings, because a golden that fails its own snippets is a bug to fix,
not a value to record. ``--check`` changes nothing and exits 1 if any golden
would change.
"""

from __future__ import annotations

import argparse
import json

from pipeline.extract.goldens import iter_fixtures, observed, run, snippet_problems
from pipeline.records import ExtractedArticle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.extract.update_goldens", description=__doc__)
    parser.add_argument("names", nargs="*", help="only fixtures whose name contains one of these")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a golden would change")
    args = parser.parse_args(argv)
    changed = 0
    for fixture in iter_fixtures():
        if args.names and not any(word in fixture.name for word in args.names):
            continue
        result = run(fixture)
        new = observed(result)
        old = fixture.golden.get("expected")
        if isinstance(result, ExtractedArticle):
            for problem in snippet_problems(fixture, result.text):
                print(f"WARNING {fixture.name}: {problem}")
        if fixture.golden.get("reject") and isinstance(result, ExtractedArticle):
            print(f"WARNING {fixture.name}: golden says reject, extractor returns an article")
        if old == new:
            continue
        changed += 1
        print(f"{'would change' if args.check else 'updated'} {fixture.name}")
        for field in sorted(set(old or {}) | set(new)):
            before, after = (old or {}).get(field), new.get(field)
            if before != after:
                print(f"    {field}: {before!r} -> {after!r}")
        if not args.check:
            golden = dict(fixture.golden)
            golden["expected"] = new
            fixture.golden_path.write_text(json.dumps(golden, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{changed} golden(s) {'would change' if args.check else 'updated'}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
