"""The analysts' web app (``pantau serve``): pages over the read snapshot; imports pipeline, never imported by it."""

from pantau.web.app import create_app

__all__ = ["create_app"]
