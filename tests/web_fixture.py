"""The web app's test data and a real server: the digest fixture plus articles run through the pipeline.

``build_web_store`` starts from ``digest_fixture.build_fixture`` (hostile text included) and ingests
articles through ``pipeline.process.ingest_articles``, which re-resolves every event and stores the
evidence offsets and the search index exactly as a daily run does. ``PantauServer`` runs
``pantau serve`` as its own process on a free port of 127.0.0.1.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from digest_fixture import build_fixture
from pipeline.process import ingest_articles
from pipeline.records import ExtractedArticle
from pipeline.settings import Paths
from pipeline.urls import stable_id

REPO = Path(__file__).resolve().parents[1]
RTL = "\u202e"
MEMPAWAH_URL = "https://beritamempawah.example/2024/09/17/rakor-netralitas"
MEMPAWAH_TITLE = f"Pemkab Mempawah Gelar Rakor Netralitas ASN {RTL}fdp.exe"


def _article(url: str, title: str, text: str, published: str) -> ExtractedArticle:
    return ExtractedArticle(stable_id(url), url, url, None, title, text, published, "input", None, "id")


ARTICLES = (
    _article(MEMPAWAH_URL, MEMPAWAH_TITLE,
             "MEMPAWAH - Bupati Mempawah Erlina memimpin rapat koordinasi netralitas ASN di Aula Kantor Bupati "
             "Mempawah, Selasa (17/9/2024). Rakor diikuti camat se-Kabupaten Mempawah.", "2024-09-18"),
)


def build_web_store(data: Path) -> Path:
    paths = Paths.under(data)
    build_fixture(paths.db)
    ingest_articles(paths, ARTICLES)
    return paths.db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PantauServer:
    """``python -m pipeline.cli serve`` in a subprocess; ``get`` fetches a path and returns (status, headers, body)."""

    def __init__(self, db: Path, *extra: str, token: str | None = None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        command = [sys.executable, "-m", "pipeline.cli", "serve", "--db", str(db), "--port", str(self.port), *extra]
        if token:
            command += ["--token", token]
        self.token = token
        self.process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"pantau serve exited: {self.process.stdout.read() if self.process.stdout else ''}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("pantau serve did not start within 90 s")

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, dict(response.headers), response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read().decode("utf-8", "replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
