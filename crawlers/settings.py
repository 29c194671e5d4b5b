"""Scrapy settings: politeness is configuration.

Per-outlet delay and concurrency come from the registry (one download slot per
outlet, see ``crawlers.spiders.outlets``); these are the defaults and caps.
"""

BOT_NAME = "pantau"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

USER_AGENT = (
    "PantauBot/0.1 (+https://github.com/pantau-id/pantau; news monitoring for Indonesian "
    "election watchdogs; obeys robots.txt)"
)
ROBOTSTXT_OBEY = True

AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0

DOWNLOAD_TIMEOUT = 20
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024  # a news page is < 1 MB; bigger is a bug or an attack
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 5
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DEPTH_LIMIT = 3

DOWNLOADER_MIDDLEWARES = {
    # robots.txt over DOWNLOAD_MAXSIZE disallows everything instead of nothing (crawlers.middlewares).
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawlers.middlewares.StrictRobotsTxtMiddleware": 100,
    # The outlet-bounds check sits before the redirect middleware hands on a new request.
    "crawlers.middlewares.OutletBoundsMiddleware": 60,
    # Closest to the downloader, so every attempt (retries included) is recorded.
    "crawlers.middlewares.FetchLogMiddleware": 950,
}

COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
