"""The typed records that flow between stages.

Stdlib only, so every stage (crawler, extraction, NLP, store, flows) may import it
without pulling in the others. Records are frozen: a stage returns new records
instead of editing the ones it was given. Ids are stable hashes (see
``pipeline.urls``), so re-running a stage yields the same ids and the store's
upserts stay idempotent.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Fetch:
    """One HTTP request the crawler made, successful or not."""

    fetch_id: str
    crawl_id: str
    source_id: str
    url: str
    status: int | None
    error: str | None
    duration_ms: float
    fetched_at: str  # ISO datetime, UTC
    size_bytes: int = 0
    content_type: str | None = None
    page_id: str | None = None  # set when the response was stored as a raw page


@dataclass(frozen=True)
class HttpValidator:
    """What a server said identifies a version of a feed, sitemap or listing page (for a conditional GET).

    ``forget`` drops the URL's record: the page is gone, or the crawl stopped at its page limit before
    following every link of the page, so the next crawl must download it in full.
    """

    url: str
    source_id: str
    role: str  # home | feed | sitemap | probe | listing
    etag: str | None = None
    last_modified: str | None = None
    forget: bool = False


@dataclass(frozen=True)
class RawPage:
    """A stored response body (gzip on disk) and where it came from."""

    page_id: str
    source_id: str
    url: str
    final_url: str
    fetched_at: str
    http_status: int
    content_type: str | None
    path: str  # relative to the raw-page root
    sha256: str
    size_bytes: int
    discovered_via: str  # sitemap | feed | listing | home | seed
    discovered_from: str | None = None
    listed_date: str | None = None  # date given by the sitemap or feed entry


@dataclass(frozen=True)
class ExtractedArticle:
    """What extraction makes of a page: clean text and metadata."""

    article_id: str
    canonical_url: str
    url: str
    source_id: str | None
    title: str | None
    text: str
    published: str | None  # ISO date or datetime in the outlet's timezone
    published_source: str | None  # json-ld | meta | listed (feed/sitemap) | url | dateline | text | input
    author: str | None
    lang: str
    page_id: str | None = None
    content_hash: str = ""
    extractor_version: str = ""
    # A canonical URL the page named on a host that is not its outlet's: kept as a claim, never as the key.
    claimed_canonical_url: str | None = None


@dataclass(frozen=True)
class RegionMention:
    """A province, kabupaten or kota named in an article."""

    code: str  # Kemendagri code, e.g. "61.04"; "00" for Nasional
    name: str  # normalised, e.g. "Kabupaten Mempawah"
    surface: str  # the text as written
    start: int  # character offsets in the article text
    end: int
    role: str = "mention"  # mention | dateline | body_name


@dataclass(frozen=True)
class Official:
    """A named office holder: the person, the post as written, the region it serves."""

    name: str
    title: str | None
    region: str | None
    region_code: str | None
    institution: str | None
    surface: str = ""
    start: int | None = None  # character offsets of the name in the annotated text (evidence for analysts)
    end: int | None = None


@dataclass(frozen=True)
class Figure:
    what: str
    number: float
    scope: str | None = None


@dataclass(frozen=True)
class EventMention:
    """One neutrality event as one article reports it."""

    type: str
    date: str | None
    date_text: str | None
    organizer: str | None
    organizer_region: str | None
    venue: str | None
    venue_region: str | None
    online: bool | None
    participant_regions: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    evidence: str | None = None
    # Character offsets in the annotated text: the evidence sentence and the trigger words inside it.
    evidence_start: int | None = None
    evidence_end: int | None = None
    trigger_start: int | None = None
    trigger_end: int | None = None


@dataclass(frozen=True)
class Annotation:
    """Everything the NLP stage knows about one article."""

    url: str
    title: str | None
    published_date: str | None
    lang: str
    relevant: bool
    officials: tuple[Official, ...] = ()
    regions: tuple[RegionMention, ...] = ()
    events: tuple[EventMention, ...] = ()
    annotator_version: str = ""
    article_id: str = ""

    @property
    def regions_mentioned(self) -> list[str]:
        seen: dict[str, None] = {}
        for mention in self.regions:
            seen.setdefault(mention.name, None)
        return list(seen)

    def to_contract(self) -> dict[str, Any]:
        """The JSON shape of ../shared/contract/annotation.schema.json."""
        return {
            "url": self.url,
            "title": self.title,
            "published_date": self.published_date,
            "lang": self.lang,
            "relevant": self.relevant,
            "officials": [
                {
                    "name": o.name,
                    "title": o.title or "",
                    "region": o.region,
                    "region_code": o.region_code,
                    "institution": o.institution,
                }
                for o in self.officials
            ],
            "regions_mentioned": self.regions_mentioned,
            "events": [_event_to_contract(e) for e in self.events],
            "annotator_version": self.annotator_version,
        }


_OFFSET_FIELDS = ("evidence_start", "evidence_end", "trigger_start", "trigger_end")


def _event_to_contract(event: EventMention) -> dict[str, Any]:
    data = asdict(event)
    for key in _OFFSET_FIELDS:  # offsets live in the store and on spaCy spans, not in the contract's JSON
        data.pop(key)
    data["participant_regions"] = list(event.participant_regions)
    data["figures"] = [asdict(f) for f in event.figures]
    return data


@dataclass(frozen=True)
class ResolvedEvent:
    """One real-world event, merged from the reports of one or more articles."""

    event_id: str
    type: str
    date: str | None
    organizer: str | None
    organizer_region: str | None
    venue: str | None
    venue_region: str | None
    online: bool | None
    participant_regions: tuple[str, ...]
    article_ids: tuple[str, ...]
    mention_ids: tuple[str, ...] = field(default=())
