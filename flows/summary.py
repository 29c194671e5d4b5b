"""What a daily run reports: typed per-outlet results and the run summary, rendered as Markdown.

Prefect-free on purpose (plain dataclasses), so the CLI, the demo and tests can
read a summary without a flow context.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from pipeline.alerts import WatchDelivery
from pipeline.crawl import CrawlSummary
from pipeline.health import SourceHealth
from pipeline.process import ProcessSummary

OK = "ok"
UNREACHABLE = "unreachable"  # the crawler ran, but every request to the outlet failed
ERROR = "error"  # the crawl task raised (after its retries): crashed crawler, database lock, bad config


@dataclass(frozen=True)
class OutletResult:
    """One outlet's crawl in a daily run."""

    source_id: str
    status: str = OK
    fetches: int = 0
    pages_stored: int = 0
    failures: int = 0
    seconds: float = 0.0
    attempts: int = 1
    errors: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == OK

    @property
    def failed(self) -> bool:
        return self.status != OK

    @property
    def reason(self) -> str:
        if self.status == UNREACHABLE:
            first = f": {self.errors[0]}" if self.errors else ""
            return f"unreachable, {self.failures} of {self.fetches} requests failed{first}"
        if self.status == ERROR:
            return self.errors[0] if self.errors else "the crawl task failed"
        return f"{self.failures} failed requests" if self.failures else "ok"


def outlet_result(source_id: str, crawl: CrawlSummary, *, attempts: int = 1) -> OutletResult:
    """Fold one single-outlet crawl into a result, and say whether the outlet answered at all.

    The crawl process runs one outlet, so its unattributed fetches (robots.txt
    before the outlet is known, source_id '') belong to that outlet too.
    """
    fetches = sum(o.fetches for o in crawl.outlets.values())
    failures = sum(o.failures for o in crawl.outlets.values())
    pages = sum(o.pages_stored for o in crawl.outlets.values())
    errors = tuple(e for o in crawl.outlets.values() for e in o.errors)[:10]
    dead = pages == 0 and failures >= fetches  # also when no request was made at all
    return OutletResult(source_id, UNREACHABLE if dead else OK, fetches, pages, failures,
                        round(crawl.seconds, 2), attempts, errors)


@dataclass(frozen=True)
class DailySummary:
    """The whole run: crawl per outlet, then one processing stage."""

    started_at: datetime
    seconds: float
    outlets: tuple[OutletResult, ...]
    process: ProcessSummary | None = None
    process_error: str | None = None
    flow_run_id: str | None = None
    flow_run_name: str | None = None
    leftover_spools: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)
    health: tuple[SourceHealth, ...] = ()  # after this run (pipeline.health)
    quarantined: tuple[str, ...] = ()  # outlets not crawled: quarantined until their retry day
    watch_alerts: tuple[WatchDelivery, ...] = ()  # alerts to analysts (pipeline.alerts)

    @property
    def health_alerts(self) -> list[str]:
        """Volume drops and breakages this run revealed, one line each."""
        return [f"{h.source_id}: {a.message}" for h in self.health for a in h.alerts]

    @property
    def failed_outlets(self) -> list[str]:
        return [o.source_id for o in self.outlets if o.failed]

    @property
    def pages_fetched(self) -> int:
        """New pages stored by this run's crawls (a URL already stored is never fetched again)."""
        return sum(o.pages_stored for o in self.outlets)

    @property
    def requests(self) -> int:
        return sum(o.fetches for o in self.outlets)

    @property
    def status(self) -> str:
        """``completed``, ``partially successful`` (some outlets failed) or ``failed``."""
        if self.process_error is not None or (self.outlets and len(self.failed_outlets) == len(self.outlets)):
            return "failed"
        return "partially successful" if self.failed_outlets else "completed"

    def headline(self) -> str:
        p = self.process
        articles = (f"{p.articles} new articles ({p.relevant} relevant), {p.events} events"
                    if p is not None else "processing did not run")
        failed = f"; failed outlets: {', '.join(self.failed_outlets)}" if self.failed_outlets else ""
        alerts = f"; {len(self.health_alerts)} outlet alerts" if self.health_alerts else ""
        return (f"daily run {self.status}: {self.pages_fetched} pages fetched from {len(self.outlets)} outlets, "
                f"{articles}{failed}{alerts}")

    def to_markdown(self) -> str:
        p = self.process
        lines = [
            f"# Pantau daily run, {self.started_at:%Y-%m-%d %H:%M} UTC: {self.status}",
            "",
            f"Flow run `{self.flow_run_name or '-'}` ({self.flow_run_id or 'no id'}).",
            "",
            "| | |",
            "|---|---|",
            f"| outlets crawled | {len(self.outlets)} ({len(self.failed_outlets)} failed) |",
            f"| pages fetched (new pages stored) | {self.pages_fetched} |",
            f"| requests | {self.requests} ({sum(o.failures for o in self.outlets)} failed) |",
        ]
        if p is not None:
            lines += [
                f"| pages processed | {p.pages} ({p.rejected} not articles, {p.failed} failed) |",
                f"| new articles (pages extracted this run) | {p.articles} ({p.duplicates} duplicates) |",
                f"| relevant articles | {p.relevant} |",
                f"| re-annotated articles | {p.reannotated} |",
                f"| events (all, after merging reports) | {p.events} |",
            ]
        lines.append(f"| run time | {self.seconds:.1f} s |")
        if self.leftover_spools:
            lines.append(f"| spool files left by an interrupted crawl, loaded | {self.leftover_spools} |")
        if self.process_error is not None:
            lines += ["", f"**Processing failed:** {self.process_error}"]
        if self.failed_outlets:
            lines += ["", "## Failed outlets", ""]
            lines += [f"- `{o.source_id}`: {_md(o.reason)}" for o in self.outlets if o.failed]
        lines += ["", "## Outlets", "", "| outlet | status | new pages | requests | failed requests | attempts | s |",
                  "|---|---|---:|---:|---:|---:|---:|"]
        lines += [f"| {o.source_id} | {o.status} | {o.pages_stored} | {o.fetches} | {o.failures} | {o.attempts} | "
                  f"{o.seconds:.1f} |" for o in self.outlets]
        lines += self._health_markdown()
        if p is not None and p.errors:
            lines += ["", "## Pages that failed to process", ""]
            lines += [f"- {_md(e)}" for e in p.errors[:20]]
        lines += [f"\n{n}" for n in self.notes]
        return "\n".join(lines) + "\n"

    def _health_markdown(self) -> list[str]:
        lines: list[str] = []
        if self.health_alerts:
            lines += ["", "## Outlet alerts", ""] + [f"- {_md(a)}" for a in self.health_alerts]
        if self.quarantined:
            lines += ["", "## Quarantined outlets (not crawled this run)", ""]
            lines += [f"- {_md(q)}" for q in self.quarantined]
        if any(d.events for d in self.watch_alerts):
            lines += ["", "## Alerts to analysts", ""]
            lines += [f"- `{d.watch}`: {d.events} new events, {_md(d.detail)}" for d in self.watch_alerts if d.events]
        if self.health:
            lines += ["", "## Outlet health", "",
                      "| outlet | state | verified | last success (UTC) | articles/day | failed requests | "
                      "failing days |", "|---|---|---|---|---:|---:|---:|"]
            for h in self.health:
                success = f"{h.last_success:%Y-%m-%d %H:%M}" if h.last_success else "-"
                lines.append(f"| {h.source_id} | {h.state} | {'yes' if h.verified else 'no'} | {success} | "
                             f"{h.articles_per_day:.1f} | {h.failure_rate:.0%} | {h.failing_days} |")
        return lines


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")[:300]
