"""Neutrality events: detect and type them, then fill their slots.

A sentence yields an event mention of type T when it names T (a trigger from
the lexicon), is about neutrality (itself, the sentence after it when that one
refers back, or a headline that pairs T with neutrality), and says the event
happened (an activity verb or a date; plans and lists do not count). A trigger
followed by another subject ("rapat koordinasi persiapan debat", "deklarasi
kampanye damai") is not a neutrality event even when neutrality is mentioned
nearby. Mentions of one type in one article are one event (a gathering that
combines acts yields one event per act, by type).

Slots come from the sentences that mention the event: the organiser from
"diselenggarakan oleh X" or "X menggelar ...", the venue from "di X", the date
from the nearest date that is not a trap (voting day, deadline, law), and
participant regions from the officials and bodies that attended.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pipeline.nlp.event_cues import EventCues, event_cues
from pipeline.nlp.event_dates import ArticleDates
from pipeline.nlp.event_dates import another_time as _another_time
from pipeline.nlp.event_dates import sentence_dates as _sentence_dates
from pipeline.nlp.event_dates import usable_date as _usable_date
from pipeline.nlp.event_organiser import find_organiser
from pipeline.nlp.organisations import NASIONAL, OrganisationMention
from pipeline.nlp.text import Sentence
from pipeline.records import EventMention, Figure, Official, RegionMention

GATHERINGS = ("rakor", "sosialisasi", "deklarasi", "apel", "pakta_integritas")
_CASES = re.compile(r"\b(?:kasus|pelanggaran|dilaporkan|laporan|temuan|sanksi|cases?|violations?)\b", re.IGNORECASE)
_ATTEND = re.compile(r"\b(?:menghadiri|mengikuti|hadir|turut\s+hadir|attended)\b", re.IGNORECASE)
_ATTENDED_BY = re.compile(r"\b(?:dihadiri|diikuti)\s+(?:oleh\s+)?", re.IGNORECASE)
_VENUE = re.compile(
    r"(?:bertempat\s+)?\b(?:di|in|at)\s+((?:[A-Z][\w.'’&\-]*|\d+[A-Z]?)(?:\s+(?:[A-Z][\w.'’&\-]*|\d+|dan|&|de|II|III|IV))*"
    r"(?:,\s+(?!Senin|Selasa|Rabu|Kamis|Jumat|Jum'at|Sabtu|Minggu|Ahad)[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*){0,2})?)"
)
_NOT_VENUE_START = re.compile(
    r"^(?:Kabupaten|Kota|Provinsi|Indonesia|Pilkada|Pemilu|Pemilihan|Tahun|Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|"
    r"Minggu|Bawaslu|KPU|Pemkab|Pemkot|Pemprov|ASN|TNI|Polri|Lingkungan|Masa|Tengah|Sela|Hadapan|Mana|Antara|"
    r"Bawah|Atas|Luar|Dalam|Tempat|Wilayah|Daerah|Setiap|Seluruh|Pemerintah|Pemerintahan|Badan|Komisi|"
    r"Kementerian|Instansi|Lingkup|Jajaran|Kalangan|Masing)\b"
)


@dataclass(frozen=True)
class _Hit:
    type: str
    sentence: int
    trigger_start: int  # offset within the sentence


_REFERS_TO_PREVIOUS = re.compile(r"^(?:Hal\s+(?:itu|ini|tersebut)|Pernyataan\s+(?:itu|ini|tersebut)|Imbauan\s+"
                                 r"(?:itu|ini|tersebut)|Hal\s+senada)\b", re.IGNORECASE)
_CONTINUES_REPORT = ("pelanggaran", "sanksi")


def _neutral_context(cues: EventCues, sentences: list[Sentence], index: int, title_topic: bool,
                     event_type: str = "") -> bool:
    """Neutrality in the sentence, in the next one when it refers back ("Kegiatan ini ..."), in the
    previous one when this one refers back ("Hal itu disampaikan ... pada apel"), or in the report that a
    violation count continues."""
    if cues.is_neutral(sentences[index].text) or title_topic:
        return True
    previous = sentences[index - 1] if index > 0 else None
    if previous is not None and cues.is_neutral(previous.text) and (
            _REFERS_TO_PREVIOUS.match(sentences[index].text) or event_type in _CONTINUES_REPORT):
        return True
    if index + 1 < len(sentences) and sentences[index + 1].paragraph - sentences[index].paragraph <= 1:
        following = sentences[index + 1].text
        same_paragraph = sentences[index + 1].paragraph == sentences[index].paragraph
        refers_back = re.search(r"\b(?:kegiatan|acara|tersebut|ini)\b", following, re.IGNORECASE) if same_paragraph \
            else re.match(r"^\W*(?!(?:sementara|selain|di\s+sisi\s+lain|setelah|sebelum)\b)(?:\w+\s+){0,3}"
                          r"(?:ini|tersebut|itu)\b", following, re.IGNORECASE)
        return cues.is_neutral(following) and bool(refers_back)
    return False


def _figures(cues: EventCues, text: str) -> list[tuple[float, str]]:
    found = []
    for match in cues.figure.finditer(text):
        written = match.group(1).lower()
        number = float(cues.number_words[" ".join(written.split())] if written[0].isalpha()
                       else written.replace(".", ""))
        if 1900 <= number <= 2100 and not re.match(r"\s*(?:kasus|laporan)", text[match.end(1):]):
            continue
        if re.search(r"(?:nomor|no\.|undang-undang|uu|pasal|ayat|tahun|pp|perpres|permen\w*)\s*$",
                     text[:match.start(1)], re.IGNORECASE):
            continue  # "UU 20 ASN", "Nomor 5": a law's number, not a count
        found.append((number, match.group(0)))
    for match in re.finditer(r"(pelanggaran|laporan|aduan)\s+(?:sebanyak\s+)?(\d+)\s+(kasus|laporan)", text,
                             re.IGNORECASE):
        found.append((float(match.group(2)), match.group(0)))
    return found


def find_hits(cues: EventCues, title: str | None, sentences: list[Sentence], dates: list[Any]) -> list[_Hit]:
    title = title or ""
    title_neutral = cues.is_neutral(title)
    hits: list[_Hit] = []
    for index, sentence in enumerate(sentences):
        text = sentence.text
        claimed: list[tuple[int, int]] = []
        for event_type in ("rakor", "sosialisasi", "deklarasi", "apel", "pakta_integritas", "sanksi",
                           "pelanggaran", "pengawasan"):
            for match in cues.triggers[event_type].finditer(text):
                if any(start <= match.start() <= end + 60 for start, end in claimed) and event_type == "pengawasan":
                    continue  # "Rapat Koordinasi Pengawasan Netralitas": the rakor's name, not a second event
                after = text[match.end():match.end() + 80]
                if cues.off_topic.search(after) and not cues.is_neutral(after[:40]):
                    continue
                title_topic = title_neutral and bool(cues.triggers[event_type].search(title))
                if not _neutral_context(cues, sentences, index, title_topic, event_type):
                    continue
                has_date = any(_usable_date(d) for d in _sentence_dates(sentence, dates))
                held = bool(cues.activity.search(text)) or has_date
                if cues.not_held.search(text) and not has_date and not re.search(
                        r"\b(?:telah|sudah|tadi)\b", text, re.IGNORECASE):
                    held = False
                if event_type in cues.needs_figure and not _figures(cues, text) and not (
                        index > 0 and re.search(r"\b(?:tersebut|itu|ini)\b", text)
                        and _figures(cues, sentences[index - 1].text)):
                    held = False  # a count here, or in the sentence this one refers back to ("kasus tersebut")
                if event_type in cues.hypothetical and cues.hypothetical[event_type].search(text):
                    held = False
                if held:
                    hits.append(_Hit(event_type, index, match.start()))
                    claimed.append((match.start(), match.end()))
                    break
    return hits


def _venue(sentence: Sentence) -> tuple[str, int, int] | None:
    for match in _VENUE.finditer(sentence.text):
        venue = match.group(1).strip(" ,.")
        if _NOT_VENUE_START.match(venue) or len(venue) < 4:
            continue
        start = sentence.start + match.start(1)
        return venue, start, start + len(venue)
    return None


def _as_venue_region(name: str) -> str:
    if name.startswith(("Kota Administrasi", "Kabupaten Administrasi")):
        return "Provinsi DKI Jakarta"  # Jakarta's cities are administrative: the province is the region
    return name


def _most_specific(regions: list[RegionMention]) -> str | None:
    if not regions:
        return None
    ranked = sorted(regions, key=lambda r: (r.name.startswith("Provinsi"), r.start))
    return _as_venue_region(ranked[0].name)


def _locality_region(gazetteer: Any, venue: str) -> str | None:
    """A venue in a town that is not a regency ("Gedung X, Bagansiapiapi") lies in that town's regency."""
    for part in reversed([p.strip() for p in venue.split(",")]):
        words = part.split()
        for size in range(min(3, len(words)), 0, -1):
            region = gazetteer.locality_region(" ".join(words[-size:]))
            if region is not None:
                return _as_venue_region(str(region.name))
    return None


def _regions_in(regions: list[RegionMention], start: int, end: int) -> list[RegionMention]:
    return [r for r in regions if start <= r.start and r.end <= end and r.name != NASIONAL]


def _without_addresses(found: list[RegionMention]) -> list[RegionMention]:
    """Drop datelines, and a province written only as the address of its own kabupaten/kota."""
    local_provinces = {r.code.split(".")[0] for r in found if "." in r.code}
    return [r for r in found if r.role != "dateline" and not ("." not in r.code and r.code in local_provinces)]


def _participants(cues: EventCues, event_type: str, is_main: bool, hit_sentences: list[Sentence],
                  sentences: list[Sentence], regions: list[RegionMention], officials: list[Official],
                  organiser_region: str | None) -> list[str]:
    """Regions whose officials or bodies took part (for violations: where the cases are)."""
    mentioned = {r.name for r in regions}
    chosen: list[str] = []

    def add(name: str | None) -> None:
        if name and name != NASIONAL and name in mentioned and name not in chosen:
            chosen.append(name)

    if event_type in GATHERINGS and is_main:
        for sentence in sentences:
            attend = _ATTEND.search(sentence.text)
            if attend:
                subject_end = sentence.start + attend.start()
                for region in _without_addresses(_regions_in(regions, sentence.start, subject_end)):
                    add(region.name)
            by = _ATTENDED_BY.search(sentence.text)
            if by:
                for region in _without_addresses(_regions_in(regions, sentence.start + by.end(), sentence.end)):
                    add(region.name)
        for official in officials:
            add(official.region)
        add(organiser_region)
    elif event_type in ("pelanggaran", "sanksi"):
        add(organiser_region)
        for sentence in sentences:
            if sentence in hit_sentences or _figures(cues, sentence.text) or _CASES.search(sentence.text):
                for region in _without_addresses(_regions_in(regions, sentence.start, sentence.end)):
                    add(region.name)
    else:
        add(organiser_region)
        for sentence in hit_sentences:
            for region in _without_addresses(_regions_in(regions, sentence.start, sentence.end)):
                add(region.name)
    return chosen


def _online(cues: EventCues, context: str, has_venue: bool) -> bool | None:
    if cues.hybrid.search(context):
        return None
    if cues.online.search(context):
        return True
    return False if has_venue else None


def extract_events(
    text: str,
    title: str | None,
    sentences: list[Sentence],
    regions: list[RegionMention],
    dates: list[Any],
    officials: list[Official],
    orgs: list[OrganisationMention],
    gazetteer: Any = None,
    tagger: Any = None,
) -> list[EventMention]:
    cues = event_cues()
    by_type: dict[str, list[_Hit]] = {}
    for hit in find_hits(cues, title, sentences, dates):
        by_type.setdefault(hit.type, []).append(hit)
    title_types = {t for t, pattern in cues.triggers.items() if title and pattern.search(title)}
    gatherings = [t for t in by_type if t in GATHERINGS]
    main_type = next((t for t in gatherings if t in title_types), None) or min(
        gatherings, key=lambda t: by_type[t][0].sentence, default=None)
    # The main gathering first: other acts of the same gathering share its details.
    order = sorted(by_type, key=lambda t: (t != main_type, by_type[t][0].sentence))
    dateline = next((r for r in regions if r.role == "dateline"), None)
    main: EventMention | None = None
    main_date = None
    dating = ArticleDates(text, sentences, dates, by_type)
    events = []
    for event_type in order:
        hit_sentences = [sentences[h.sentence] for h in by_type[event_type]]
        date_mention = dating.date_for(event_type, event_type in GATHERINGS, hit_sentences, main_date)
        date = date_mention.event_date.isoformat() if date_mention else None
        organiser = find_organiser(hit_sentences, sentences, orgs, officials, text)
        organiser_name = organiser.name if organiser else None
        organiser_region = organiser.region if organiser else None
        same_gathering = (main is not None and event_type in GATHERINGS and (date is None or date == main.date)
                          and not _another_time(hit_sentences, int(main.date[:4]) if main.date else None))
        if organiser is None and same_gathering and main is not None:
            organiser_name, organiser_region = main.organizer, main.organizer_region
        venue = next((v for s in hit_sentences if (v := _venue(s))), None) if event_type in GATHERINGS else None
        online = _online(cues, " ".join(s.text for s in hit_sentences), venue is not None)
        venue_text, venue_region = (venue[0], None) if venue else (None, None)
        if venue is not None:
            venue_region = _most_specific(
                _regions_in(regions, venue[1], venue[2])
                or (tagger.find(venue[0], dateline=False) if tagger is not None else []))
            if venue_region is None and gazetteer is not None:
                venue_region = _locality_region(gazetteer, venue[0])
            if venue_region is None:
                venue_region = dateline.name if dateline else (
                    organiser_region if organiser_region != NASIONAL else None)
        elif same_gathering and main is not None and main.venue:
            venue_text, venue_region, online = main.venue, main.venue_region, main.online
            date = date or main.date
        if online and venue_region is None and organiser_region not in (None, NASIONAL):
            venue_region = organiser_region
        # A region named only as where it took place ("di Jakarta") did not take part.
        place_spans = [(v[1], v[2]) for s in hit_sentences if (v := _venue(s))]
        participants = _participants(cues, event_type, event_type == main_type, hit_sentences, sentences,
                                     [r for r in regions if not any(a <= r.start < b for a, b in place_spans)],
                                     officials, organiser_region)
        figures = []
        if event_type in ("pelanggaran", "sanksi", "pengawasan"):
            scope = _most_specific([r for s in hit_sentences for r in _regions_in(regions, s.start, s.end)
                                    if r.role != "dateline"])
            scope = scope or organiser_region or (participants[0] if participants else None)
            for sentence in hit_sentences:
                for number, what in _figures(cues, sentence.text):
                    figures.append(Figure(what=what, number=number, scope=scope))
        event = EventMention(
            type=event_type,
            date=date,
            date_text=date_mention.text if date_mention else None,
            organizer=organiser_name,
            organizer_region=organiser_region,
            venue=venue_text,
            venue_region=venue_region,
            online=online,
            participant_regions=tuple(participants),
            figures=tuple(figures),
            evidence=hit_sentences[0].text,
        )
        if event_type == main_type:
            main, main_date = event, date_mention
        events.append(event)
    return events


def is_relevant(title: str | None, sentences: list[Sentence], events: list[EventMention]) -> bool:
    """Neutrality is the article's subject: an event, or repeated talk of whose neutrality."""
    if events:
        return True
    cues = event_cues()
    neutral = [s for s in sentences if cues.is_neutral(s.text) and cues.subjects.search(s.text)]
    title_neutral = bool(title and cues.is_neutral(title))
    return len(neutral) >= 2 or (title_neutral and len(neutral) >= 1)
