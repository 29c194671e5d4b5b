"""Five offline sample outlets (WordPress, Tribun, Drupal/Bawaslu, Wix, Blogger) served on 127.0.0.1.

Spider tests and ``make demo`` crawl them over real HTTP; the benchmark renders
many pages from their templates. Content lives in ``data/sample_sites/``.
"""

from pipeline.sample_sites.render import SITE_IDS, render_article_page, render_site

__all__ = ["SITE_IDS", "render_article_page", "render_site"]
