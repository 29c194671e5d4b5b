"""Whether two event reports can be one real-world event: the slots they agree and disagree on.

Event resolution (``pipeline.resolve``) asks this of every candidate pair. Two dated reports are judged on
their dates and organisers; a report with no date, only a weekday, or a year that was guessed, is judged
on everything else it states: organiser region and body, venue, participants, figures, the weekday or day
and month written, and publication dates when the input has them. A *contradiction* rules a pair out
whatever else agrees (other organiser region, dates or publications too far apart); *conflicts* only
weigh against (another organiser body, venue region, day and month, or figures). A weekday that does not
fit is neither: reports of one event disagree on those, as 085 and 102 do.

The thresholds are data: ``data/resolution.yaml``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

# Beside the source registry, not in models/: every file there sets the annotator version, and tuning
# resolution must not re-annotate the archive (a new configuration re-resolves every event on the next run).
CONFIG_PATH = Path(__file__).resolve().parent.parent / "data" / "resolution.yaml"


class ResolutionConfig(BaseModel):
    """``data/resolution.yaml``, validated (unknown keys refused)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    dated_within_days: int
    same_event_similarity: float
    min_agreement: int
    min_agreement_gathering: int
    min_agreement_both_undated: int
    undated_similarity: float
    published_after_event_days: int
    published_before_event_days: int
    published_apart_days: int
    inferred_year_slack: int
    max_candidates: int
    organiser_region_words: tuple[str, ...]
    organiser_aliases: dict[str, str]
    venue_generic_words: tuple[str, ...]


@lru_cache(maxsize=2)
def load_config(path: Path = CONFIG_PATH) -> ResolutionConfig:
    with open(path, encoding="utf-8") as handle:
        return ResolutionConfig.model_validate(yaml.safe_load(handle))


@lru_cache(maxsize=2)
def config_digest(path: Path = CONFIG_PATH) -> str:
    """A short digest of the configuration file, part of the resolver version stored with each event."""
    return hashlib.sha1(path.read_bytes()).hexdigest()[:8]


@dataclass(frozen=True)
class Mention:
    """One article's report of an event, as resolution sees it."""

    mention_id: str
    article_id: str
    type: str
    date: dt.date | None
    organizer: str | None
    organizer_region: str | None
    venue: str | None
    venue_region: str | None
    online: bool | None
    participant_regions: tuple[str, ...]
    description: str
    original_article: str  # the article itself, or the one it duplicates
    figures: frozenset[float] = frozenset()
    date_text: str | None = None
    published: dt.date | None = None  # the article's publication date, when the input gives one


@dataclass(frozen=True)
class DateClues:
    """What a report's date text says even when no full date could be fixed."""

    weekday: int | None  # 0 = Monday
    day_month: tuple[int, int] | None
    has_year: bool


@dataclass(frozen=True)
class Evidence:
    """How two reports compare. ``dated``: both have firm dates within the allowed days."""

    contradiction: str | None
    agreement: int
    dated: bool

    @property
    def possible(self) -> bool:
        return self.contradiction is None


@lru_cache(maxsize=1)
def _weekday_names() -> tuple[re.Pattern[str], dict[str, int], dict[str, int]]:
    from pipeline.nlp.date_lexicon import alternation, load_lexicon

    lexicon = load_lexicon()
    names = {n: i for n, i in lexicon.weekday_index.items() if n not in {w.lower() for w in lexicon.weekday_needs_date}}
    return re.compile(rf"(?<!\w)({alternation(names)})(?!\w)", re.IGNORECASE), names, lexicon.month_index


_NUMERIC_DAY_MONTH = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})(?!\d)")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


@lru_cache(maxsize=4096)
def date_clues(text: str | None) -> DateClues:
    """Weekday, day and month, and whether a year is written, in a date text ("Rabu (22/11)", "rabu pagi")."""
    if not text:
        return DateClues(None, None, False)
    pattern, weekdays, months = _weekday_names()
    found = pattern.search(text)
    weekday = weekdays.get(found.group(1).lower()) if found else None
    day_month = None
    numeric = _NUMERIC_DAY_MONTH.search(text)
    if numeric and 1 <= int(numeric.group(1)) <= 31 and 1 <= int(numeric.group(2)) <= 12:
        day_month = (int(numeric.group(1)), int(numeric.group(2)))
    else:
        for match in re.finditer(r"(?<!\d)(\d{1,2})\s+([A-Za-z]+)", text):
            month = months.get(match.group(2).lower())
            if month and 1 <= int(match.group(1)) <= 31:
                day_month = (int(match.group(1)), month)
                break
    return DateClues(weekday, day_month, bool(_YEAR.search(text)))


def year_inferred(mention: Mention) -> bool:
    """A date whose year nobody wrote and no publication date fixed: its day and month are all it states."""
    return mention.date is not None and mention.published is None and not date_clues(mention.date_text).has_year


def organiser_body(mention: Mention, config: ResolutionConfig) -> str | None:
    """The organiser's body without its region: "Bawaslu Provinsi Bali" -> "bawaslu", "Pemkab Agara" -> "pemerintah"."""
    if not mention.organizer:
        return None
    return _body(mention.organizer, mention.organizer_region, config.organiser_region_words,
                 tuple(sorted(config.organiser_aliases.items())))


@lru_cache(maxsize=4096)
def _body(organizer: str, organizer_region: str | None, region_words: tuple[str, ...],
          alias_pairs: tuple[tuple[str, str], ...]) -> str | None:
    aliases = dict(alias_pairs)
    name = organizer.lower()
    region = (organizer_region or "").lower()
    for word in region.split():
        name = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", " ", name)
    words = [aliases.get(w, w) for w in re.findall(r"\w+", name) if w not in region_words]
    return " ".join(words) or None


def _regions_compatible(a: str, b: str, province_of: Mapping[str, str]) -> bool:
    return a == b or province_of.get(a) == b or province_of.get(b) == a


def _venue_names_agree(a: Mention, b: Mention, config: ResolutionConfig) -> bool:
    """Whether two venues name one place: distinctive words (not "Aula", "Hotel" or the region's name) shared,
    two of them or all of the shorter name's."""
    if not a.venue or not b.venue:
        return False
    regions = {w for m in (a, b) for r in (m.organizer_region, m.venue_region) if r for w in r.lower().split()}
    ignored = regions | set(config.venue_generic_words)

    def words(venue: str) -> set[str]:
        return {w for w in re.findall(r"\w+", venue.lower()) if len(w) >= 3 and not w.isdigit()} - ignored

    first, second = words(a.venue), words(b.venue)
    shared = first & second
    # "Aston Pontianak" is "Hotel Aston Pontianak"; "Santika Pontianak" is not "Santika Palu".
    return bool(shared) and (len(shared) >= 2 or first <= second or second <= first)


def _firm(mention: Mention) -> bool:
    return mention.date is not None and not year_inferred(mention)


def same_venue(a: Mention, b: Mention, province_of: Mapping[str, str] | None = None,
               config: ResolutionConfig | None = None) -> bool:
    """Two physical venues with a distinctive name word in common, in compatible regions."""
    config = config or load_config()
    if a.online or b.online:
        return False
    if a.venue_region and b.venue_region and not _regions_compatible(a.venue_region, b.venue_region,
                                                                       province_of or {}):
        return False
    return _venue_names_agree(a, b, config)


def _participants_agree(a: Mention, b: Mention) -> bool:
    """A shared participant region; when both organisers are known, one besides the hosts' own regions
    (every report of a Bawaslu Malut finding names Maluku Utara, whichever finding it is)."""
    shared = set(a.participant_regions) & set(b.participant_regions)
    if a.organizer_region and b.organizer_region:
        shared -= {a.organizer_region, b.organizer_region}
    return bool(shared)


def _lead(published: dt.date, other: Mention) -> int:
    """Days from the other report's event date to a publication date; a guessed year is moved next to it."""
    if _firm(other):
        return (published - other.date).days  # type: ignore[operator]
    leads = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            leads.append((published - other.date.replace(year=year)).days)  # type: ignore[union-attr]
        except ValueError:  # 29 February
            continue
    return min(leads, key=abs) if leads else 0


def _date_fit(a: Mention, b: Mention, config: ResolutionConfig) -> tuple[str | None, int]:
    """(contradiction, agreement) of a pair that is not firmly dated on both sides, from what each states:
    publication dates bound the event's date, and a weekday or day and month written must fit the other's date."""
    agreement = 0
    for report, other in ((a, b), (b, a)):
        if report.published is not None and other.date is not None:
            lead = _lead(report.published, other)
            if not -config.published_before_event_days <= lead <= config.published_after_event_days:
                return "published too far from the other report's date", 0
            agreement += 1
        if not _firm(report) and other.date is not None:
            clues = date_clues(report.date_text)
            # A weekday that fits counts; one that does not is no proof: reports of one announcement name the
            # day of the statement or of the interview ("Senin" vs "Minggu (10/11)").
            agreement += clues.weekday is not None and clues.weekday == other.date.weekday()
            if clues.day_month is not None:
                agreement += 1 if clues.day_month == (other.date.day, other.date.month) else -1
    if a.published is not None and b.published is not None:
        if abs((a.published - b.published).days) > config.published_apart_days:
            return "published too far apart", 0
        if not _firm(a) and not _firm(b):
            agreement += 1
    return None, agreement


def _dates(a: Mention, b: Mention, config: ResolutionConfig) -> tuple[str | None, bool]:
    """(contradiction, both firmly dated within the allowed days)."""
    if a.date is None or b.date is None:
        return None, False
    gap = abs((a.date - b.date).days)
    if gap <= config.dated_within_days:
        return None, True
    if (year_inferred(a) or year_inferred(b)) and abs(a.date.year - b.date.year) <= config.inferred_year_slack:
        try:
            moved = b.date.replace(year=a.date.year)
        except ValueError:  # 29 February
            moved = None
        if moved is not None and abs((a.date - moved).days) <= config.dated_within_days:
            return None, False  # the same day and month; only a guessed year differs
    return "dates differ", False


def compare(a: Mention, b: Mention, province_of: Mapping[str, str] | None = None,
            config: ResolutionConfig | None = None) -> Evidence:
    """The evidence that ``a`` and ``b`` report one event (see the module docstring)."""
    config = config or load_config()
    province_of = province_of or {}
    if a.type != b.type:
        return Evidence("types differ", 0, False)
    if a.article_id == b.article_id:
        return Evidence("one article", 0, False)
    contradiction, dated = _dates(a, b, config)
    if contradiction:
        return Evidence(contradiction, 0, False)
    # One venue: one gathering, whichever body each outlet credits with it (a kabupaten outlet may name its
    # own Pemkab as the host of the province's rakor it attended). Undated, the other slots must still agree.
    other_host = bool(a.organizer_region and b.organizer_region and a.organizer_region != b.organizer_region)
    if other_host and not same_venue(a, b, province_of, config):
        return Evidence("organisers differ", 0, dated)
    agreement = int(bool(a.organizer_region and a.organizer_region == b.organizer_region))
    body_a, body_b = organiser_body(a, config), organiser_body(b, config)
    if body_a and body_b and not other_host:  # crediting another host, the outlets name other bodies too
        agreement += 1 if body_a == body_b else -1
    if a.venue_region and b.venue_region:
        if a.venue_region == b.venue_region:
            agreement += 1
        elif not _regions_compatible(a.venue_region, b.venue_region, province_of):
            agreement -= 1
    agreement += _venue_names_agree(a, b, config)
    agreement += _participants_agree(a, b)
    if a.figures and b.figures:
        agreement += 1 if a.figures & b.figures else -1  # one finding is reported with its numbers
    if not dated:
        problem, points = _date_fit(a, b, config)
        if problem:
            return Evidence(problem, 0, False)
        agreement += points
    return Evidence(None, agreement, dated)


def needed_agreement(a: Mention, b: Mention, config: ResolutionConfig | None = None) -> int:
    """Agreeing slots a loosely dated pair needs: more when neither report has a date at all."""
    config = config or load_config()
    if a.date is None and b.date is None:
        return config.min_agreement_both_undated
    return config.min_agreement_gathering if a.type in _gathering_types() else config.min_agreement


@lru_cache(maxsize=1)
def _gathering_types() -> frozenset[str]:
    """Event types that are one occasion at one place (the events lexicon says which)."""
    from pipeline.nlp.event_cues import event_cues

    return event_cues().gatherings
