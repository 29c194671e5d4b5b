"""Extraction stage: stored pages (or text input) to clean, typed articles.

``extract_html`` and ``article_from_text`` are the entry points; ``clean_text``
is the Indonesian chrome filter on its own. Imports ``pipeline.records`` and
``pipeline.urls`` only; nothing here knows about the store or Prefect.
"""

from pipeline.extract.article import EXTRACTOR_VERSION, NotAnArticle, article_from_text, extract_html
from pipeline.extract.chrome import clean_text

__all__ = ["EXTRACTOR_VERSION", "NotAnArticle", "article_from_text", "clean_text", "extract_html"]
