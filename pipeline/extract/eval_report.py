"""``pantau eval-extraction``: extraction quality, side by side with bare trafilatura.

One run prints:

1. the 181-page article-extraction benchmark: token precision/recall/F1 of
   the body (mean per page), Pantau vs ``trafilatura.extract`` defaults;
2. the real Indonesian pages: body recall, body sentences kept, chrome lines
   left, listing pages rejected;
3. the sample outlets (one per site template): chrome lines left, related
   headlines left, body sentences kept;
4. the fixture corpus: goldens passing, chrome snippets left, body snippets kept;
5. the seed and development-set texts through ``clean_text``: chrome lines
   before and after, "Baca juga"-type lines left (must be 0).

The corpora of sections 1, 2 and 5 live in ../shared (``--shared``); a
section whose corpus is missing is skipped, not failed.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import trafilatura

from pipeline.extract.article import NotAnArticle, extract_html
from pipeline.extract.chrome import clean_text
from pipeline.extract.eval_corpora import SHARED, benchmark_pages, indonesian_pages, text_samples
from pipeline.extract.goldens import check, iter_fixtures, run
from pipeline.extract.scoring import PRF, chrome_lines, key, mean_prf, sentences_kept, token_prf


def _text(result: Any) -> str:
    return "" if isinstance(result, NotAnArticle) else result.text


def _bare(html: bytes | str) -> str:
    if isinstance(html, bytes):
        html = html.decode("utf-8", "replace")
    return trafilatura.extract(html) or ""


def _row(label: str, bare: str, ours: str) -> str:
    return f"  {label:<44} {bare:>14} {ours:>14}"


def _prf(p: PRF) -> str:
    return f"{p.precision:.3f}/{p.recall:.3f}/{p.f1:.3f}"


def benchmark_section(shared: Path, limit: int | None) -> dict[str, Any]:
    pages = list(benchmark_pages(shared))[:limit]
    bare_scores, our_scores, rejected = [], [], 0
    for page in pages:
        result = extract_html(page.html, page.url)
        rejected += isinstance(result, NotAnArticle)
        bare_scores.append(token_prf(page.expected_body, _bare(page.html)))
        our_scores.append(token_prf(page.expected_body, _text(result)))
    bare, ours = mean_prf(bare_scores), mean_prf(our_scores)
    print(f"\n1. Article-extraction benchmark ({len(pages)} pages, token P/R/F1, mean per page)")
    print(_row("", "trafilatura", "pantau"))
    print(_row("precision / recall / F1", _prf(bare), _prf(ours)))
    print(_row("pages rejected as not an article", "-", str(rejected)))
    return {"pages": len(pages), "bare": bare.__dict__, "pantau": ours.__dict__, "rejected": rejected}


def indonesian_section(shared: Path, verbose: bool) -> dict[str, Any]:
    pages = list(indonesian_pages(shared))
    articles = [p for p in pages if not p.listing]
    listings = [p for p in pages if p.listing]
    recall = {"bare": [], "pantau": []}  # type: dict[str, list[float]]
    kept = {"bare": [0, 0], "pantau": [0, 0]}
    chrome = {"bare": 0, "pantau": 0}
    related = {"bare": 0, "pantau": 0}
    rejected_articles = []
    for page in articles:
        result = extract_html(page.html, page.url)
        if isinstance(result, NotAnArticle):
            rejected_articles.append(f"{page.name} ({result.reason})")
        outputs = {"bare": _bare(page.html), "pantau": _text(result)}
        for name, text in outputs.items():
            lines = chrome_lines(text)
            chrome[name] += len(lines)
            related[name] += sum(f == "related" for f, _ in lines)
            if verbose and name == "pantau":
                for family, line in lines:
                    print(f"    [{page.name}] {family}: {line[:100]}")
            if page.expected_body:
                recall[name].append(token_prf(page.expected_body, text).recall)
                k, n = sentences_kept(page.expected_body, text)
                kept[name][0] += k
                kept[name][1] += n
    listing_rejected = sum(isinstance(extract_html(p.html, p.url), NotAnArticle) for p in listings)
    print(f"\n2. Real Indonesian pages ({len(articles)} articles, {len(listings)} listing pages)")
    print(_row("", "trafilatura", "pantau"))
    for name in ("bare", "pantau"):
        recall[name] = [sum(recall[name]) / len(recall[name])] if recall[name] else [0.0]
    print(_row("body recall vs expected text (mean)", f"{recall['bare'][0]:.3f}", f"{recall['pantau'][0]:.3f}"))
    print(_row("body sentences kept", _pct(kept["bare"]), _pct(kept["pantau"])))
    print(_row("chrome lines left (audit)", str(chrome["bare"]), str(chrome["pantau"])))
    print(_row("  of which related-link lines", str(related["bare"]), str(related["pantau"])))
    print(_row("listing pages rejected", "-", f"{listing_rejected}/{len(listings)}"))
    if rejected_articles:
        print("  article pages rejected: " + "; ".join(rejected_articles))
    return {"articles": len(articles), "recall": {k: v[0] for k, v in recall.items()},
            "sentences_kept": kept, "chrome_left": chrome, "related_left": related,
            "listings_rejected": listing_rejected, "listings": len(listings)}


def _pct(pair: list[int]) -> str:
    return f"{pair[0]}/{pair[1]} {100 * pair[0] / pair[1]:.1f}%" if pair[1] else "-"


def sample_outlet_section(verbose: bool) -> dict[str, Any]:
    try:
        from pipeline.sample_sites.render import SITE_IDS, load_articles, render_article_page, site_articles
    except ImportError:
        print("\n3. Sample outlets: pipeline.sample_sites not available, skipped")
        return {}
    titles = {a["id"]: a.get("title", "") for a in load_articles()}
    print("\n3. Sample outlets (site templates; chrome = audit lines + related headlines)")
    print(f"  {'template':<18} {'pages':>5} {'chrome bare':>12} {'chrome left':>12} {'sentences kept':>18}")
    report = {}
    for site in SITE_IDS:
        chrome_bare = chrome_left = 0
        kept = [0, 0]
        records = site_articles(site)
        for record in records:
            html = render_article_page(site, f"http://{site}.example", record)
            result = extract_html(html, f"http://{site}.example/{record.get('slug', record['id'])}")
            body = record["body"] if isinstance(record["body"], str) else "\n".join(record["body"])
            related = [titles.get(x, x) for x in record.get("related_links") or []]
            for name, text in (("bare", _bare(html)), ("pantau", _text(result))):
                count = len(chrome_lines(text)) + sum(1 for t in related if t and key(t) in key(text))
                if name == "bare":
                    chrome_bare += count
                else:
                    chrome_left += count
                    k, n = sentences_kept(body, text)
                    kept[0] += k
                    kept[1] += n
                    if verbose:
                        for family, line in chrome_lines(text):
                            print(f"    [{site}/{record['id']}] {family}: {line[:100]}")
        print(f"  {site:<18} {len(records):>5} {chrome_bare:>12} {chrome_left:>12} {_pct(kept):>18}")
        report[site] = {"pages": len(records), "chrome_bare": chrome_bare, "chrome_left": chrome_left,
                        "sentences_kept": kept}
    return report


def fixture_section(verbose: bool) -> dict[str, Any]:
    fixtures = list(iter_fixtures())
    failing, chrome_left, body_missing, snippets = [], 0, 0, 0
    templates = set()
    for fixture in fixtures:
        templates.add(fixture.template)
        problems = check(fixture, run(fixture))
        snippets += len(fixture.golden.get("must_contain", []))
        chrome_left += sum(p.startswith("chrome left") for p in problems)
        body_missing += sum(p.startswith("missing") for p in problems)
        if problems:
            failing.append(fixture.name)
            if verbose:
                for problem in problems:
                    print(f"    [{fixture.name}] {problem}")
    print(f"\n4. Fixture corpus ({len(fixtures)} pages, {len(templates)} templates)")
    print(f"  goldens passing: {len(fixtures) - len(failing)}/{len(fixtures)}; chrome snippets left: {chrome_left}; "
          f"body snippets missing: {body_missing}/{snippets}")
    if failing:
        print("  failing: " + ", ".join(failing))
    return {"fixtures": len(fixtures), "templates": len(templates), "failing": failing,
            "chrome_left": chrome_left, "body_missing": body_missing}


def text_section(shared: Path, verbose: bool) -> dict[str, Any]:
    samples = list(text_samples(shared))
    before = after = related_before = related_after = 0
    for sample in samples:
        raw_lines = chrome_lines(sample.text)
        clean = chrome_lines(clean_text(sample.text))
        before += len(raw_lines)
        after += len(clean)
        related_before += sum(f == "related" for f, _ in raw_lines)
        related_after += sum(f == "related" for f, _ in clean)
        if verbose:
            for family, line in clean:
                print(f"    [{sample.name}] {family}: {line[:100]}")
    print(f"\n5. Seed and development-set texts through clean_text ({len(samples)} texts)")
    print(_row("", "before", "after"))
    print(_row("chrome lines (audit)", str(before), str(after)))
    print(_row("\"Baca juga\"-type lines", str(related_before), str(related_after)))
    return {"texts": len(samples), "chrome_before": before, "chrome_after": after,
            "related_before": related_before, "related_after": related_after}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pantau eval-extraction", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=SHARED, help=f"shared corpora folder (default {SHARED})")
    parser.add_argument("--limit", type=int, help="score only the first N benchmark pages")
    parser.add_argument("--skip-benchmark", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every chrome line left")
    args = parser.parse_args(argv)
    started = time.monotonic()
    figures: dict[str, Any] = defaultdict(dict)
    have_shared = args.shared.is_dir()
    print("Pantau extraction report" + ("" if have_shared else f" ({args.shared} missing: shared corpora skipped)"))
    if have_shared and not args.skip_benchmark and (args.shared / "real-html" / "article-extraction-benchmark").is_dir():
        figures["benchmark"] = benchmark_section(args.shared, args.limit)
    if have_shared and (args.shared / "real-html" / "indonesian").is_dir():
        figures["indonesian"] = indonesian_section(args.shared, args.verbose)
    figures["sample_outlets"] = sample_outlet_section(args.verbose)
    figures["fixtures"] = fixture_section(args.verbose)
    if have_shared and (args.shared / "devset").is_dir():
        figures["texts"] = text_section(args.shared, args.verbose)
    print(f"\n({time.monotonic() - started:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
