"""Prefect flows around the Prefect-free stages in ``pipeline/`` (see flows/README.md)."""

import os

# Before anything imports prefect: no telemetry from an offline installation.
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
