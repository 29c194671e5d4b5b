"""The digest as one self-contained HTML page (jinja2, autoescape on).

Everything scraped reaches the page through jinja2's autoescaping, so a title
holding ``<script>`` is shown as text. Styles, the map and the chart are inline
and a Content-Security-Policy forbids any request, so the file reads the same
offline, in a mail client or printed.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from pipeline.digest.data import Week
from pipeline.digest.labels import Labels
from pipeline.digest.view import DigestView

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its name: scraped text is never trusted
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(view: DigestView, labels: Labels, week: Week) -> str:
    return environment().get_template("digest.html.j2").render(v=view, L=labels, week=week)
