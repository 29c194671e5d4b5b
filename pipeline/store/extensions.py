"""DuckDB extensions that ship in PyPI packages (nothing is downloaded at run time).

Full-text search comes from ``duckdb-extension-fts``, whose wheel carries the
extension binary for the pinned DuckDB version.
"""

from __future__ import annotations

from pathlib import Path

import duckdb


def fts_extension_path() -> Path:
    import duckdb_extension_fts

    root = Path(duckdb_extension_fts.__file__).parent / "extensions"
    candidates = sorted(root.glob(f"v{duckdb.__version__}/fts.duckdb_extension")) or sorted(
        root.glob("*/fts.duckdb_extension"))
    if not candidates:
        raise FileNotFoundError(f"no fts extension for DuckDB {duckdb.__version__} under {root}")
    return candidates[0]


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"LOAD '{fts_extension_path()}'")
