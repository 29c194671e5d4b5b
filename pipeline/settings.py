"""Where things live on disk, overridable by environment variables.

Defaults put everything under the repository's ``data/`` folder (git-ignored);
``PANTAU_DATA`` moves the lot, and the database path can be given per command.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
MODELS_DIR = REPO_ROOT / "models"
DEFAULT_REGISTRY = DATA_DIR / "sources"
SAMPLE_REGISTRY = DATA_DIR / "sample_sites" / "registry.yaml"


@dataclass(frozen=True)
class Paths:
    """The working files of one Pantau installation (or one test)."""

    data: Path
    db: Path
    raw: Path
    spool: Path

    @classmethod
    def under(cls, data: Path, db: Path | None = None) -> Paths:
        return cls(data=data, db=db or data / "pantau.duckdb", raw=data / "raw", spool=data / "spool")

    @classmethod
    def default(cls, db: Path | str | None = None) -> Paths:
        data = Path(os.environ.get("PANTAU_DATA", DATA_DIR))
        env_db = os.environ.get("PANTAU_DB")
        chosen = Path(db) if db else (Path(env_db) if env_db else None)
        return cls.under(data, chosen)
