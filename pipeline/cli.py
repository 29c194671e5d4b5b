"""``pantau``: the command line. Thin: parse arguments, call a stage, print.

Errors a user can fix (a bad registry, a locked database, a malformed date)
print one clear line and exit with status 2; nothing else is touched.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import duckdb

from pipeline.eval_command import DEFAULT_EXPECTED_CLUSTERS, cmd_eval
from pipeline.registry import RegistryError, load_registry
from pipeline.settings import DEFAULT_REGISTRY, REPO_ROOT, Paths
from pipeline.store import StoreError
from pipeline.store.connection import damaged, is_damage
from pipeline.workers import ENV_WORKERS

log = logging.getLogger("pantau")

def _paths(args: argparse.Namespace) -> Paths:
    return Paths.default(getattr(args, "db", None))


def cmd_crawl(args: argparse.Namespace) -> int:
    from pipeline.crawl import run_crawl

    paths = _paths(args)
    sources = [s for s in (args.sources or "").split(",") if s]

    def show(line: str) -> None:
        if "PROGRESS" in line or " ERROR" in line or args.verbose:
            print("  " + line.split("] ", 1)[-1], file=sys.stderr)

    summary = run_crawl(paths, args.registry or [DEFAULT_REGISTRY], sources, fast=args.fast,
                        max_pages=args.max_pages, on_line=show)
    print(f"crawl {summary.crawl_id}: {summary.fetches} requests, {summary.pages_stored} new pages, "
          f"{summary.failures} failures in {summary.seconds:.1f} s")
    for outlet in summary.outlets.values():
        print(f"  {outlet.source_id:28} {outlet.pages_stored:4} new pages  {outlet.fetches:4} requests  "
              f"{outlet.failures:3} failures")
    return 0 if summary.exit_code == 0 else 1


def cmd_process(args: argparse.Namespace) -> int:
    from pipeline.process import process_pages

    def progress(done: int, total: int) -> None:
        if done == total or done % 25 == 0:
            print(f"  processed {done}/{total} pages", file=sys.stderr)

    summary = process_pages(_paths(args), limit=args.limit, on_progress=progress, retry_failed=args.retry_failed,
                            workers=args.workers)
    print(f"processed {summary.pages} pages: {summary.articles} articles ({summary.relevant} relevant, "
          f"{summary.duplicates} duplicates), {summary.rejected} not articles, {summary.failed} failed; "
          f"{summary.reannotated} re-annotated; {summary.events} events in {summary.seconds:.1f} s")
    for error in summary.errors[:10]:
        print(f"  error: {error}", file=sys.stderr)
    _mark_verified(_paths(args))
    return 0


def _mark_verified(paths: Paths) -> None:
    """Outlets whose articles were extracted are verified (in the database; the registry YAML stays)."""
    from pipeline.health import mark_verified
    from pipeline.store import Store

    with Store(paths.db) as store:
        verified = mark_verified(store)
    if verified:
        print(f"verified outlets: {', '.join(verified)}")


def cmd_query(args: argparse.Namespace) -> int:
    from pipeline import query

    paths = _paths(args)
    date_from = query.parse_date(args.date_from, "--from")
    date_to = query.parse_date(args.date_to, "--to")
    if args.what == "rakor":
        rows = query.filter_by_province(query.rakor_events(paths.db, date_from, date_to), args.province)
        columns: tuple[str, ...] = query.RAKOR_COLUMNS
    elif args.what == "region":
        if not args.name:
            raise query.QueryError('name the region: pantau query region "Kabupaten Mempawah"')
        rows, columns = query.region_timeline(paths.db, args.name, date_from, date_to), query.REGION_COLUMNS
    else:
        rows = query.officials(paths.db, args.name, args.province, date_from, date_to)
        columns = query.OFFICIAL_COLUMNS
    print(query.render(rows, columns, args.format))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from pipeline import query

    words = " ".join(args.words)
    if _not_text(words):  # bytes that are not UTF-8 arrive as lone surrogates (surrogateescape)
        raise query.QueryError("the search words are not valid UTF-8 text; check the terminal's encoding")
    rows = query.search(_paths(args).db, words, args.limit,
                        date_from=query.parse_date(args.date_from, "--from"),
                        date_to=query.parse_date(args.date_to, "--to"), region=args.region, event_type=args.type)
    print(query.render(rows, query.SEARCH_COLUMNS, args.format))
    return 0


def cmd_annotate(args: argparse.Namespace) -> int:
    from pipeline.inputs import InputError, check_input_file, read_articles
    from pipeline.nlp.annotator import Annotator
    from pipeline.outputs import check_distinct, replaced_atomically

    source, target = Path(args.input), Path(args.output)
    check_input_file(source)  # before the output is touched: a mistyped input must not cost the output
    check_distinct(source, target)
    annotator = Annotator()
    count = errors = 0
    with replaced_atomically(target) as out:  # the old output stays whole until the new one is complete
        for item in read_articles(source):
            if isinstance(item, InputError):
                record = item.to_json()
                errors += 1
            else:
                try:
                    record = annotator.annotate(item).to_contract()
                except Exception as exc:
                    record = {"url": item.url, "error": f"{type(exc).__name__}: {exc}"}
                    errors += 1
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    print(f"annotated {count - errors} of {count} articles into {args.output}", file=sys.stderr)
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from pipeline.inputs import InputError, read_articles
    from pipeline.process import ingest_articles
    from pipeline.records import ExtractedArticle

    def articles() -> Iterator[ExtractedArticle]:  # streamed: an input of any size is read as it is annotated
        for item in read_articles(Path(args.input)):
            if isinstance(item, InputError):
                print(f"  skipped: {item.error}", file=sys.stderr)
            else:
                yield item

    summary = ingest_articles(_paths(args), articles(), workers=args.workers)
    for error in summary.errors:
        print(f"  failed: {error}", file=sys.stderr)
    print(f"ingested {summary.articles} articles ({summary.relevant} relevant, {summary.duplicates} duplicates); "
          f"{summary.events} events")
    return 0


def cmd_backfill(args: argparse.Namespace) -> int:
    """WARC files -> the store on a Dask cluster (see flows/backfill.py and README "Backfill")."""
    import glob

    from flows.backfill import run_backfill
    from pipeline.backfill.shards import DEFAULT_SPLIT_BYTES

    files: list[str] = []
    for pattern in args.warc:
        found = sorted(glob.glob(pattern)) if glob.has_magic(pattern) else [pattern]
        if not found:
            raise FileNotFoundError(f"--warc {pattern}: no such files")
        files += [f for f in found if f not in files]
    missing = [f for f in files if not Path(f).is_file()]
    if missing:
        raise FileNotFoundError(f"--warc: no such file: {missing[0]}")
    if not args.verbose:  # the workers' own logs; their processes read Dask's config from the environment
        os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
        logging.getLogger("distributed").setLevel(logging.WARNING)
    db = _paths(args).db
    shard_dir = Path(args.shards) if args.shards else db.with_name(db.name + ".shards")
    registry = [str(p) for p in (args.registry or [DEFAULT_REGISTRY])]
    split = int(args.split_mb * 1024 * 1024) if args.split_mb else DEFAULT_SPLIT_BYTES
    summary = run_backfill([str(Path(f).resolve()) for f in files], str(db), str(shard_dir.resolve()), registry,
                           workers=args.workers, scheduler=args.scheduler,
                           domains=str(Path(args.domains).resolve()) if args.domains else None, split_bytes=split)
    for broken in summary.broken:
        print(f"  broken: {broken}", file=sys.stderr)
    print(summary.line())
    return 1 if summary.broken and len(summary.broken) >= summary.files else 0


def cmd_sources(args: argparse.Namespace) -> int:
    if args.action == "health":
        return _sources_health(args)
    registry = load_registry(*(args.registry or [DEFAULT_REGISTRY]))
    if args.action == "validate":
        print(f"ok: {len(registry)} sources")
        return 0
    from pipeline.health import verified_sources

    verified = verified_sources(_paths(args).db)
    for source in registry.sources:
        flag = "verified" if source.verified or source.id in verified else "unverified"
        print(f"{source.id:32} {source.kind:10} {source.timezone:4} {','.join(source.regions):16} {flag:10} "
              f"{source.home}")
    return 0


def _sources_health(args: argparse.Namespace) -> int:
    from pipeline.health import HEALTH_COLUMNS, health_rows, source_health
    from pipeline.query import render

    report = source_health(_paths(args).db)
    print(render(health_rows(report), HEALTH_COLUMNS, args.format))
    return 0


def cmd_daily(args: argparse.Namespace) -> int:
    from pipeline.supervise import guard_worker, is_worker, run_supervised

    load_registry(*(args.registry or [DEFAULT_REGISTRY]))  # a bad registry: status 2 before any process starts
    if not is_worker():  # Prefect's temporary API server must die with this command: see pipeline.supervise
        return run_supervised(args.argv)
    guard_worker()
    if args.workers:  # read by every processing stage of the flow (pipeline.workers.default_workers)
        os.environ[ENV_WORKERS] = str(args.workers)
    from flows.daily import daily_run  # pipeline never imports flows at import time

    paths = _paths(args)
    sources = [s for s in (args.sources or "").split(",") if s] or None
    registry = [str(p) for p in (args.registry or [DEFAULT_REGISTRY])]
    load_registry(*(args.registry or [DEFAULT_REGISTRY])).select(sources)  # bad registry or id: status 2, no run
    if args.watchlist:
        from pipeline.watchlist import load_watchlist

        load_watchlist(args.watchlist)  # a malformed watch list: status 2, no run
    state = daily_run(str(paths.data), registry, sources, args.fast, str(paths.db), args.max_pages,
                      watchlist=str(args.watchlist) if args.watchlist else None, return_state=True)
    summary = state.result(raise_on_failure=False)
    if hasattr(summary, "to_markdown"):
        print(summary.to_markdown())
        return 0 if summary.status != "failed" else 1
    print(f"error: the daily run ended {state.type.value.lower()}: {state.message or summary}", file=sys.stderr)
    return 1


def cmd_alerts(args: argparse.Namespace) -> int:
    from pipeline.alerts import send_alerts
    from pipeline.watchlist import DEFAULT_WATCHLIST

    deliveries = send_alerts(_paths(args).db, args.watchlist or DEFAULT_WATCHLIST, dry_run=args.dry_run)
    for d in deliveries:
        print(f"{d.watch:32} {d.events:4} new events  {d.detail}")
    return 1 if any(d.events and not d.sent and d.detail.startswith("delivery failed") for d in deliveries) else 0


def cmd_schedule(args: argparse.Namespace) -> int:
    from flows.schedule import serve_schedules  # pipeline never imports flows at import time

    serve_schedules(str(Paths.default(args.db).data), [str(p) for p in (args.registry or [DEFAULT_REGISTRY])],
                    args.db)
    return 0


def cmd_sample_sites(args: argparse.Namespace) -> int:
    from pipeline.sample_sites.server import main as serve_main

    return serve_main(["--port-base", str(args.port_base)]) or 0


def cmd_eval_extraction(args: argparse.Namespace) -> int:
    from pipeline.extract.eval_report import main as eval_main

    return eval_main(args.rest) or 0


def cmd_digest(args: argparse.Namespace) -> int:
    from pipeline.digest import render_digest

    paths = _paths(args)
    out_dir = Path(args.out) if args.out else paths.data / "out"
    files = render_digest(paths.db, args.week, out_dir, lang=args.lang, pdf=not args.no_pdf)
    print(f"digest {files.week} ({files.lang}): {files.events} neutrality events, {files.rakor} rakor")
    for path in files.paths:
        print(f"  {path}")
    if files.pdf_note:
        print(f"  {files.pdf_note}", file=sys.stderr)
    return 1 if files.pdf_failed else 0


def cmd_serve(args: argparse.Namespace) -> int:
    # The web app is a face above pipeline: imported here only when asked for, like flows above.
    from pantau.web.server import ServeError, serve

    try:
        serve(_paths(args).db, args.host, args.port, args.token)
    except ServeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pantau", description="News monitoring of election neutrality events "
                                     "in Indonesian regional media.")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--db", help="DuckDB file (default data/pantau.duckdb, or $PANTAU_DB)")
        return p

    crawl = with_db(sub.add_parser("crawl", help="fetch new articles from the registry's outlets"))
    crawl.add_argument("--sources", help="comma-separated source ids (default: all)")
    crawl.add_argument("--registry", type=Path, action="append", help=f"registry file or folder ({DEFAULT_REGISTRY})")
    crawl.add_argument("--fast", action="store_true", help="no politeness delays (local outlets only)")
    crawl.add_argument("--max-pages", type=int, help="at most this many articles per outlet")
    crawl.set_defaults(func=cmd_crawl)

    process = with_db(sub.add_parser("process", help="extract and annotate stored pages, resolve events"))
    process.add_argument("--limit", type=_positive_int, help="at most this many pages")
    process.add_argument("--retry-failed", action="store_true",
                         help="also retry pages given up after repeated identical failures")
    with_workers(process)
    process.set_defaults(func=cmd_process)

    query = with_db(sub.add_parser("query", help="answer an analyst's question"))
    query.add_argument("what", choices=["rakor", "region", "officials"],
                       help="rakor: the contract answer; region NAME: its timeline; officials [REGION]")
    query.add_argument("name", nargs="?", help="a region, as written: 'Kabupaten Mempawah', 'Kab. Mempawah', 'Kalbar'")
    query.add_argument("--province", help="only this province (name or alias)")
    query.add_argument("--from", dest="date_from")
    query.add_argument("--to", dest="date_to")
    query.add_argument("--format", choices=["table", "json", "csv"], default="table")
    query.set_defaults(func=cmd_query)

    search = with_db(sub.add_parser("search", help="full-text search over article titles and texts"))
    search.add_argument("words", nargs="+")
    search.add_argument("--limit", type=_positive_int, default=20)
    search.add_argument("--from", dest="date_from", help="published on or after this date (2024-09-01)")
    search.add_argument("--to", dest="date_to", help="published on or before this date")
    search.add_argument("--region", help="articles naming this region or a place in it: 'Kalbar', 'Kab. Mempawah'")
    search.add_argument("--type", help="articles reporting an event of this type (rakor, sosialisasi...)")
    search.add_argument("--format", choices=["table", "json", "csv"], default="table")
    search.set_defaults(func=cmd_search)

    annotate = sub.add_parser("annotate", help="annotate JSONL articles without a database")
    annotate.add_argument("--input", required=True)
    annotate.add_argument("--output", required=True)
    annotate.set_defaults(func=cmd_annotate)

    ingest = with_db(sub.add_parser("ingest", help="run JSONL articles through the whole pipeline into a database"))
    ingest.add_argument("--input", required=True)
    with_workers(ingest)
    ingest.set_defaults(func=cmd_ingest)

    backfill = with_db(sub.add_parser("backfill", help="load WARC archives (CC-NEWS) of the registry's outlets, "
                                      "on a Dask cluster"))
    backfill.add_argument("--warc", nargs="+", action="extend", required=True, metavar="FILE_OR_GLOB",
                          help="WARC or WARC.gz files (quote globs to let Pantau expand them)")
    backfill.add_argument("--workers", type=int, default=os.cpu_count() or 2,
                          help="worker processes of the local cluster (default: one per core)")
    backfill.add_argument("--scheduler", help="address of a running Dask scheduler (tcp://host:8786) instead")
    backfill.add_argument("--domains", help="file of extra hosts to keep besides the registry's outlets, one a line")
    backfill.add_argument("--registry", type=Path, action="append", help=f"registry file or folder ({DEFAULT_REGISTRY})")
    backfill.add_argument("--shards", help="shard folder, shared by every machine of the cluster "
                          "(default: beside the database, PATH.shards)")
    backfill.add_argument("--split-mb", type=float, help="split larger files into ranges of this size (default 64)")
    backfill.set_defaults(func=cmd_backfill)

    evaluate = sub.add_parser("eval", help="score annotations against gold")
    evaluate.add_argument("--gold", required=True, help="folder of gold *.json files")
    evaluate.add_argument("--pred", help="JSONL from `pantau annotate` (default: annotate the gold set's articles)")
    evaluate.add_argument("--json", action="store_true", help="print the scores as JSON")
    evaluate.add_argument("--clusters", action="store_true",
                          help="score cross-article event resolution and the rakor answer instead: ingest the "
                          "gold set's articles into a temporary database, compare with the gold clusters")
    evaluate.add_argument("--expected", help=f"cluster groups for gold without event_cluster_id "
                          f"(default {DEFAULT_EXPECTED_CLUSTERS.relative_to(REPO_ROOT)})")
    evaluate.set_defaults(func=cmd_eval)

    sources = with_db(sub.add_parser("sources", help="list or validate the source registry; health of each outlet"))
    sources.add_argument("action", choices=["list", "validate", "health"], nargs="?", default="list")
    sources.add_argument("--registry", type=Path, action="append")
    sources.add_argument("--format", choices=["table", "json", "csv"], default="table", help="for health")
    sources.set_defaults(func=cmd_sources)

    daily = with_db(sub.add_parser("daily", help="run the daily flow once: crawl each outlet, then process"))
    daily.add_argument("--sources", help="comma-separated source ids (default: all)")
    daily.add_argument("--registry", type=Path, action="append", help=f"registry file or folder ({DEFAULT_REGISTRY})")
    daily.add_argument("--fast", action="store_true", help="no politeness delays (local outlets only)")
    daily.add_argument("--max-pages", type=int, help="at most this many articles per outlet")
    with_workers(daily)
    daily.add_argument("--watchlist", type=Path, help="watch list for alerts to analysts (data/watchlist.yaml)")
    daily.set_defaults(func=cmd_daily)

    alerts = with_db(sub.add_parser("alerts", help="notify analysts of new events matching the watch list"))
    alerts.add_argument("--watchlist", type=Path, help="watch list (default data/watchlist.yaml)")
    alerts.add_argument("--dry-run", action="store_true", help="show what would be sent; send and record nothing")
    alerts.set_defaults(func=cmd_alerts)

    schedule = with_db(sub.add_parser("schedule", help="serve the daily run (06:00) and weekly digest (Mon 07:00), "
                                      "Asia/Jakarta; needs `prefect server start`"))
    schedule.add_argument("--registry", type=Path, action="append", help=f"registry file or folder ({DEFAULT_REGISTRY})")
    schedule.set_defaults(func=cmd_schedule)

    samples = sub.add_parser("sample-sites", help="serve the bundled sample outlets on 127.0.0.1")
    samples.add_argument("action", choices=["serve"])
    samples.add_argument("--port-base", type=int, default=8701)
    samples.set_defaults(func=cmd_sample_sites)

    evaluation = sub.add_parser("eval-extraction", help="extraction quality against real pages, beside trafilatura")
    evaluation.add_argument("rest", nargs=argparse.REMAINDER)
    evaluation.set_defaults(func=cmd_eval_extraction)

    serve = with_db(sub.add_parser("serve", help="the analysts' web app over the database, read-only"))
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback only)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--token", help="required off loopback (or PANTAU_TOKEN); checked on every request")
    serve.set_defaults(func=cmd_serve)

    digest = with_db(sub.add_parser("digest", help="write the weekly digest (HTML, Markdown, PDF)"))
    digest.add_argument("--week", required=True, help="ISO week, e.g. 2024-W38 (Monday to Sunday)")
    digest.add_argument("--out", help="output folder (default data/out/)")
    digest.add_argument("--lang", choices=["id", "en"], default="id", help="language of the digest (default id)")
    digest.add_argument("--no-pdf", action="store_true", help="write HTML and Markdown only")
    digest.set_defaults(func=cmd_digest)
    return parser


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).encode("utf-8", "backslashreplace").decode("utf-8").split())


def _not_text(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def with_workers(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--workers", type=_positive_int, default=None,
                        help=f"processes for extraction and annotation (default: {ENV_WORKERS} or the machine's "
                             "cores; 1: none started)")
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


def _parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """Options anywhere: ``pantau query region --db X NAME`` as well as ``... NAME --db X``.

    argparse fills a subcommand's positionals from the first run of them, so a name after an option was
    left over; it is the optional ``name`` of ``query``, and an error anywhere else.
    """
    args, extra = parser.parse_known_args(argv)
    if extra and args.command == "query" and args.name is None and not any(e.startswith("-") for e in extra) \
            and len(extra) == 1:
        args.name = extra[0]
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def _stdout_failed() -> bool:
    try:
        sys.stdout.flush()
    except OSError:
        return True
    return False


def _quiet_stdout() -> None:
    """Standard output cannot be written: point it at /dev/null so the exit's flush does not fail again."""
    import os

    with contextlib.suppress(OSError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["eval-extraction"]:  # its own options (--json ...) go to the report untouched
        from pipeline.extract.eval_report import main as eval_main

        return eval_main(argv[1:]) or 0
    parser = build_parser()
    args = _parse(parser, argv)
    args.argv = argv
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        code = int(args.func(args))
        sys.stdout.flush()  # a full disk (/dev/full) is found here, not at exit
        return code
    except (RegistryError, StoreError, ValueError, FileNotFoundError) as exc:  # QueryError is a ValueError
        print(f"error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `pantau query ... | head`
        _quiet_stdout()
        return 0
    except OSError as exc:  # a full disk, a read-only folder, a folder given for a file
        if exc.errno is None:
            raise
        where = exc.filename or ("standard output" if _stdout_failed() else "")
        print(f"error: {exc.strerror or exc}{': ' + str(where) if where else ''}", file=sys.stderr)
        if where == "standard output":
            _quiet_stdout()
        return 2
    except duckdb.Error as exc:  # a damaged file found part-way through reading it
        if not is_damage(exc):
            raise
        print(f"error: {_one_line(damaged(_paths(args).db, exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; rerun to continue where it stopped", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
