"""Serve the daily run and the weekly digest on cron schedules in Asia/Jakarta (``pantau schedule``).

Schedules are kept by a Prefect server: run ``prefect server start`` (local,
SQLite by default) and point ``PREFECT_API_URL`` at it. In ephemeral mode (no
server) a served deployment is registered but its cron never fires.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from prefect.deployments.runner import EntrypointType
from prefect.schedules import Cron

from flows.daily import daily_run
from flows.weekly_digest import weekly_digest
from pipeline.settings import DEFAULT_REGISTRY, Paths

TIMEZONE = "Asia/Jakarta"
DAILY_CRON = "0 6 * * *"  # every day at 06:00 WIB
WEEKLY_CRON = "0 7 * * 1"  # Mondays at 07:00 WIB, for the ISO week just ended

SERVER_NOTE = """\
Schedules need a Prefect server: a cron never fires in ephemeral mode (no server).
  prefect server start                                  # local, SQLite under $PREFECT_HOME by default
  export PREFECT_API_URL=http://127.0.0.1:4200/api      # in the shell that runs `pantau schedule`
The UI at http://127.0.0.1:4200 shows the deployments, upcoming and past runs, their logs and summaries
(Artifacts). Stop serving with Ctrl-C or SIGTERM."""


def deployments(data_dir: str | None = None, registry: Sequence[str] | None = None, db: str | None = None,
                sources: Sequence[str] | None = None, daily_cron: str = DAILY_CRON,
                weekly_cron: str = WEEKLY_CRON) -> list[Any]:
    """The two deployments (not yet served): their cron, timezone and parameters.

    Entrypoints are module paths (``flows.daily.daily_run``), so the served runs
    import the installed package whatever the working directory."""
    paths = Paths.under(Path(data_dir), Path(db) if db else None) if data_dir else Paths.default(db)
    data = str(paths.data)
    daily_parameters: dict[str, Any] = {
        "data_dir": data,
        "registry": [str(p) for p in (registry or [DEFAULT_REGISTRY])],
        "db": str(paths.db),
    }
    if sources:
        daily_parameters["sources"] = list(sources)
    return [
        daily_run.to_deployment(
            name="daily", schedules=[Cron(daily_cron, timezone=TIMEZONE)], parameters=daily_parameters,
            description="Crawl every outlet, then extract, annotate and resolve events.", tags=["pantau"],
            entrypoint_type=EntrypointType.MODULE_PATH),
        weekly_digest.to_deployment(
            name="weekly-digest", schedules=[Cron(weekly_cron, timezone=TIMEZONE)],
            parameters={"db": daily_parameters["db"], "out_dir": str(Path(data) / "digests")},
            description="Digest of the ISO week just ended (Asia/Jakarta).", tags=["pantau"],
            entrypoint_type=EntrypointType.MODULE_PATH),
    ]


def api_url() -> str | None:
    from prefect.settings import PREFECT_API_URL

    value = PREFECT_API_URL.value()
    return str(value) if value else None


def serve_schedules(data_dir: str | None = None, registry: Sequence[str] | None = None, db: str | None = None,
                    sources: Sequence[str] | None = None) -> None:
    """Register both deployments with the Prefect server and run their flows when they are due (blocks)."""
    from prefect import serve

    print(SERVER_NOTE, flush=True)
    url = api_url()
    if url is None:
        print("\nwarning: PREFECT_API_URL is not set, so this runs against an ephemeral server and no "
              "schedule will ever fire. Start `prefect server start` and set PREFECT_API_URL.", flush=True)
    else:
        print(f"\nPrefect API: {url}", flush=True)
    print(f"daily run '{DAILY_CRON}' and weekly digest '{WEEKLY_CRON}' in {TIMEZONE}\n", flush=True)
    serve(*deployments(data_dir, registry, db, sources))
