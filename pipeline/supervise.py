"""Everything a long command starts dies with it, however it is stopped.

``pantau daily`` runs a Prefect flow, and Prefect starts a temporary API server (a uvicorn process of about
200 MB) that it stops only from ``atexit``: a ``kill`` skips ``atexit``, so every killed run left one behind.
The command therefore runs as a *worker* child in a session (process group) of its own, under a small
*supervisor* (the process the user started):

- the supervisor forwards SIGTERM/SIGINT/SIGHUP to the worker's group and, whatever way the worker ends,
  kills what is left in that group (the API server, any helper) before it returns;
- the worker gets SIGTERM when the supervisor dies (``PR_SET_PDEATHSIG``, Linux), so even a ``kill -9`` of
  the supervisor reaches it; on SIGTERM it stops its whole group and exits.

Crawler processes have their own session and die with their parent already (``flows.crawl_runner``).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from types import FrameType

WORKER_ENV = "PANTAU_SUPERVISED_WORKER"
_PR_SET_PDEATHSIG = 1
_FORWARDED = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
_GRACE_S = 15.0


def is_worker() -> bool:
    return os.environ.get(WORKER_ENV) == str(os.getppid())


def _term_when_parent_dies() -> None:
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def run_supervised(argv: Sequence[str]) -> int:
    """Run ``python -m pipeline.cli *argv`` as a worker in its own session; return its exit status."""
    env = {**os.environ, WORKER_ENV: str(os.getpid())}
    worker = subprocess.Popen([sys.executable, "-m", "pipeline.cli", *argv], env=env, start_new_session=True,
                              preexec_fn=_term_when_parent_dies)

    def forward(signum: int, frame: FrameType | None) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGTERM)

    previous = {sig: signal.signal(sig, forward) for sig in _FORWARDED}
    try:
        while True:
            try:
                code = worker.wait()
                break
            except KeyboardInterrupt:
                forward(signal.SIGINT, None)
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(worker.pid, signal.SIGKILL)  # whatever the worker left running
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 130 if code in (-signal.SIGINT, -signal.SIGTERM) else code


def guard_worker() -> None:
    """In the worker: on SIGTERM (sent by the supervisor, or by the kernel when it died) stop the group."""

    def stop(signum: int, frame: FrameType | None) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(os.getpgid(0), signal.SIGTERM)
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    if os.getppid() == 1:  # the supervisor died before the death signal was armed
        stop(signal.SIGTERM, None)
