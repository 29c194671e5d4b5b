"""The DuckDB store: schema and migrations, the single writer, read-only readers."""

from pipeline.store.connection import StoreError, StoreLockedError, connect_readonly
from pipeline.store.writer import Store

__all__ = ["Store", "StoreError", "StoreLockedError", "connect_readonly"]
