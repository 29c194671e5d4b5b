"""Statements keyed by a list of ids that DuckDB answers through the table's ART index, not by a scan.

A join, ``IN (SELECT unnest(?))`` or ``list_contains`` is planned as a scan of the whole table: fine at ten
thousand rows, a cost that grows with the archive at millions. A literal ``IN (?, ?, ...)`` list on an
indexed column (a primary key) is an index probe per value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# Keys per IN list. DuckDB probes the ART index only when fewer than index_scan_max_count (2048) rows match,
# so a band list stays well below it: a boilerplate text can share a band with a few hundred articles.
KEYS_PER_LOOKUP = 500


def chunks(values: Sequence[Any], size: int = KEYS_PER_LOOKUP) -> list[Sequence[Any]]:
    return [values[start:start + size] for start in range(0, len(values), size)]


def in_list(column: str, values: Sequence[Any], sql_type: str = "VARCHAR") -> str:
    """``column IN (?::T, ...)``: a literal parameter list, which DuckDB answers from the ART index.

    Written out because ``IN (SELECT unnest(?))``, ``list_contains`` and joins are planned as table scans;
    the cast keeps a Python int from binding as HUGEINT, which also defeats the index.
    """
    return f"{column} IN ({', '.join([f'?::{sql_type}'] * len(values))})"
