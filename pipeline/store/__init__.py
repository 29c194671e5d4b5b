"""The DuckDB store: schema and migrations, the single writer, read-only readers."""

from pipeline.store.connection import StoreDamagedError, StoreError, StoreLockedError, connect_readonly
from pipeline.store.writer import Store

__all__ = ["Store", "StoreDamagedError", "StoreError", "StoreLockedError", "connect_readonly"]
