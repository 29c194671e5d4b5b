"""Shared fixtures: the sample outlets on free ports, with a registry pointing at them."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
sys.path.insert(0, str(TESTS))  # helper modules such as faulty_site
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def sample_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, str], Path]]:
    """The five sample outlets served on free ports, and a registry file for them."""
    from pipeline.sample_sites.server import SampleSites, registry_for

    server = SampleSites()
    server.start(port_base=0)
    registry = tmp_path_factory.mktemp("registry") / "sample.yaml"
    registry.write_text(registry_for(server.base_urls), encoding="utf-8")
    try:
        yield server.base_urls, registry
    finally:
        server.stop()
