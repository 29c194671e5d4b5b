"""Our top-level names (crawlers, pipeline, flows, pantau) must resolve to this repository."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", ["crawlers", "pipeline", "flows", "pantau"])
def test_package_comes_from_this_repository(name: str) -> None:
    module = importlib.import_module(name)
    assert Path(module.__file__).resolve().parent == REPO / name


@pytest.mark.parametrize("folder", ["models", "data", "notebooks"])
def test_data_folders_are_not_packages(folder: str) -> None:
    assert not (REPO / folder / "__init__.py").exists()


def test_models_hold_no_python() -> None:
    assert not list((REPO / "models").rglob("*.py"))
