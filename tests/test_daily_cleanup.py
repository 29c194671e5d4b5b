"""Killing ``pantau daily`` leaves nothing running: Prefect's temporary API server dies with it (issue 12,
item 9). A real run is started as a user would, without a Prefect server, and killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
import pytest

REPO = Path(__file__).resolve().parent.parent
MARKER = "PANTAU_TEST_RUN_MARKER"


def _ours(marker: str) -> list[psutil.Process]:
    """Every live process carrying this test's marker in its environment (children inherit it)."""
    found = []
    for proc in psutil.process_iter(["pid"]):
        try:
            if proc.environ().get(MARKER) == marker and proc.status() != psutil.STATUS_ZOMBIE:
                found.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return found


def _server(marker: str) -> psutil.Process | None:
    for proc in _ours(marker):
        try:
            if "prefect.server.api.server:create_app" in " ".join(proc.cmdline()):
                return proc
        except psutil.NoSuchProcess:
            continue
    return None


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_killing_daily_kills_the_temporary_prefect_server(sample_sites, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                          how: signal.Signals) -> None:
    marker = uuid.uuid4().hex
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update({MARKER: marker, "PREFECT_HOME": str(tmp_path / ".prefect"), "PANTAU_DATA": str(tmp_path / "data"),
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
                "PYTHONPATH": os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])})
    log = tmp_path / "daily.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "daily", "--registry", str(sample_sites[1]),
                                 "--fast", "--db", str(tmp_path / "p.duckdb")], cwd=REPO, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while _server(marker) is None:
            if proc.poll() is not None:
                pytest.fail(f"the run ended before its server was seen:\n{log.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"no temporary Prefect server appeared:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)
        proc.send_signal(how)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 30
        while _ours(marker) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = [" ".join(p.cmdline())[:120] for p in _ours(marker)]
        assert not left, f"still running after the run was killed: {left}"
    finally:
        for leftover in _ours(marker):
            leftover.kill()
