"""Headless Chromium (Debian's ``chromium``): print the digest to PDF, or take a screenshot of it.

Chromium is optional: without it the digest still writes HTML and Markdown, and
``ChromiumMissing`` says how to install it (``scripts/install-chromium.sh``).
Each run gets a throwaway profile and no background networking, so printing
the page makes no request of its own.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
)
TIMEOUT_S = 120.0


class ChromiumMissing(RuntimeError):
    """No headless Chromium on this machine."""


class ChromiumFailed(RuntimeError):
    """Chromium ran but did not produce the file; the message holds the end of its output."""


def find_chromium() -> str | None:
    """``$PANTAU_CHROMIUM`` if set, else the first Chromium on the PATH (Debian: /usr/bin/chromium)."""
    chosen = os.environ.get("PANTAU_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).exists() or shutil.which(chosen) else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _run(args: list[str], source: Path, target: Path, timeout_s: float) -> None:
    if not source.is_file():
        raise FileNotFoundError(f"no page to render at {source}")  # chromium would print its error page
    binary = find_chromium()
    if binary is None:
        raise ChromiumMissing("no headless Chromium found (install Debian's `chromium`: "
                              "scripts/install-chromium.sh, or set PANTAU_CHROMIUM)")
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.unlink()
    with tempfile.TemporaryDirectory(prefix="pantau-chromium-") as profile:
        command = [binary, *FLAGS, f"--user-data-dir={profile}", *args]
        log.info("running %s", " ".join(command))
        env = {**os.environ, "HOME": profile}  # chromium writes caches under $HOME
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s, env=env,
                                  check=False)
        except subprocess.TimeoutExpired as exc:
            raise ChromiumFailed(f"chromium did not finish within {timeout_s:.0f} s") from exc
    if done.returncode != 0 or not target.exists() or target.stat().st_size == 0:
        tail = (done.stderr or done.stdout or "").strip().splitlines()[-5:]
        raise ChromiumFailed(f"chromium exited with status {done.returncode} and wrote no {target.name}: "
                             + " | ".join(tail))


def print_pdf(html: Path, pdf: Path, *, timeout_s: float = TIMEOUT_S) -> Path:
    """Print ``html`` to ``pdf`` (A4, the page's print styles, no header or footer lines)."""
    _run(["--no-pdf-header-footer", "--print-to-pdf-no-header", f"--print-to-pdf={pdf.resolve()}",
          html.resolve().as_uri()], html, pdf, timeout_s)
    return pdf


def screenshot(html: Path, png: Path, *, width: int = 1280, height: int = 2400,
               timeout_s: float = TIMEOUT_S) -> Path:
    """A PNG of the page as a reader sees it on screen."""
    _run([f"--screenshot={png.resolve()}", f"--window-size={width},{height}", html.resolve().as_uri()],
         html, png, timeout_s)
    return png
