"""Pantau's faces: the web app (``pantau.web``). Imports ``pipeline`` and ``flows``; neither imports it."""
