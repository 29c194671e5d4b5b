"""Neutrality events: detect and type them, then fill their slots.

A sentence yields an event mention of type T when it names T (a trigger from
the lexicon), is about neutrality (itself, the sentence after it when that one
refers back, or a headline that pairs T with neutrality), and says the event
happened (an activity verb, a finite verb trigger or a date; plans, purposes,
warnings and lists do not count). A trigger followed by another subject
("rapat koordinasi persiapan debat", "deklarasi kampanye damai") or named only
as the occasion of a speech is not a neutrality event. Violations and sanctions
need a count or one specific case (Clarifications 4-5); monitoring needs a
concrete measure (Clarification 6). One record per named act: a gathering that
combines acts (apel, ikrar read, pakta signed) yields one record per act;
mentions of one type are one act unless they carry different dates (see
``event_acts``).

Slots come from the sentences that mention the event: the organiser from
"diselenggarakan oleh X" or "X menggelar ...", the venue from "di X", the date
from the nearest date that is not a trap (voting day, deadline, law), and
participant regions from the officials and bodies that attended.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from pipeline.nlp.event_acts import Act, TriggerHit, group_acts, only_performed, with_implied, with_support
from pipeline.nlp.event_cues import EventCues, event_cues
from pipeline.nlp.event_dates import ArticleDates
from pipeline.nlp.event_dates import another_time as _another_time
from pipeline.nlp.event_dates import sentence_dates as _sentence_dates
from pipeline.nlp.event_dates import usable_date as _usable_date
from pipeline.nlp.event_organiser import find_organiser
from pipeline.nlp.organisations import NASIONAL, OrganisationMention
from pipeline.nlp.text import Sentence
from pipeline.records import EventMention, Figure, Official, RegionMention

GATHERINGS = event_cues().gatherings
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


# "Hal itu ...", "Peringatan tersebut ...", "Menyikapi temuan ini ...": the sentence continues the previous one.
_REFERS_TO_PREVIOUS = re.compile(r"^\W*(?:\w+\s+){1,3}?(?:itu|ini|tersebut)\b|^Hal\s+senada\b", re.IGNORECASE)
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
        refers_back = re.search(r"\b(?:kegiatan|acara|tersebut|ini|itu)\b", following, re.IGNORECASE) if same_paragraph \
            else re.match(r"^\W*(?!(?:sementara|selain|di\s+sisi\s+lain|setelah|sebelum)\b)(?:\w+\s+){0,3}"
                          r"(?:ini|tersebut|itu)\b", following, re.IGNORECASE)
        return cues.is_neutral(following) and bool(refers_back or _names_it_again(cues, event_type, following))
    return False


_DEMONSTRATIVE = re.compile(r"\s+(?:ini|itu|tersebut)\b", re.IGNORECASE)


def _names_it_again(cues: EventCues, event_type: str, text: str) -> bool:
    """"... menjadi penekanan dalam sosialisasi itu": the sentence names the same act with a demonstrative."""
    trigger = cues.triggers.get(event_type)
    return trigger is not None and any(_DEMONSTRATIVE.match(text, m.end()) for m in trigger.finditer(text))


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


# "kasus tersebut", "keduanya diperiksa", "mereka": the count or the case is in the previous sentence.
_REFERS_BACK_INSIDE = re.compile(r"\b(?:tersebut|itu|ini|keduanya|ketiganya|mereka|bersangkutan|they|these|those)\b",
                                 re.IGNORECASE)


_NAME_END = re.compile(r"[,.;:\"“”]|\b(?:bahwa|agar|supaya|karena|kepada|that)\b", re.IGNORECASE)


def _name_after(text: str, end: int) -> str:
    """The words that can belong to a gathering's name: up to the next punctuation or clause word ("bahwa")."""
    return _NAME_END.split(text[end:end + 100], maxsplit=1)[0]


def _specific_case(cues: EventCues, event_type: str, text: str) -> bool:
    cue = cues.specific_case.get(event_type)
    return cue is not None and bool(cue.search(text))


class _SentenceFacts:
    """What a sentence says whatever its trigger (dated, active, planned, counted), computed once and only
    when a trigger needs it: most sentences are decided before the costlier checks run."""

    def __init__(self, cues: EventCues, sentence: Sentence, dates: list[Any]) -> None:
        self.cues, self.sentence, self.dates = cues, sentence, dates

    @cached_property
    def has_date(self) -> bool:
        return any(_usable_date(d) for d in _sentence_dates(self.sentence, self.dates))

    @cached_property
    def held(self) -> bool:
        """An activity verb or a date, and no plan ("akan menggelar") unless it says it was done."""
        text = self.sentence.text
        if self.cues.not_held.search(text) and not self.has_date and not re.search(
                r"\b(?:telah|sudah|tadi)\b", text, re.IGNORECASE):
            return False
        return self.has_date or bool(self.cues.activity.search(text))

    @cached_property
    def counted(self) -> bool:
        return bool(_figures(self.cues, self.sentence.text))


# "merupakan tindak lanjut (dari) rakor ...", "menindaklanjuti hasil rakor ...": the gathering named is the one
# this story's event follows up, recalled, not reported.
_FOLLOWS_UP = re.compile(r"(?:tindak\s+lanjut|menindaklanjuti|follow(?:-|\s)up\s+(?:to|of))\s+(?:dari\s+|hasil\s+)?"
                         r"(?:\S+\s+){0,2}$", re.IGNORECASE)


def _inside_measure_name(phrases: list[tuple[int, int, str]], event_type: str, start: int, end: int) -> bool:
    """A monitoring measure is named after what it receives ("posko pengaduan", "tim pemantau pelanggaran"):
    the words inside its name are not a report of cases. Other nestings are two acts ("pengucapan dan
    penandatanganan ikrar": the reading and the signing), so only measure names swallow their words."""
    return event_type != "pengawasan" and any(
        other == "pengawasan" and a <= start and end <= b and b - a > end - start for a, b, other in phrases)


def find_hits(cues: EventCues, title: str | None, sentences: list[Sentence], dates: list[Any]) -> list[TriggerHit]:
    title = title or ""
    title_neutral = cues.is_neutral(title)
    hits: list[TriggerHit] = []
    for index, sentence in enumerate(sentences):
        text = sentence.text
        if not cues.any_trigger.search(text):
            continue
        facts = _SentenceFacts(cues, sentence, dates)
        claimed: list[tuple[int, int]] = []
        found = {event_type: list(trigger.finditer(text)) for event_type, trigger in cues.triggers.items()}
        phrases = [(m.start(), m.end(), event_type) for event_type, matches in found.items() for m in matches]
        for event_type, matches in found.items():
            for match in matches:
                if _inside_measure_name(phrases, event_type, match.start(), match.end()):
                    continue  # "posko pengaduan": a word of a measure's name, not a report
                if any(start <= match.start() <= end + 60 for start, end in claimed) and event_type == "pengawasan":
                    continue  # "Rapat Koordinasi Pengawasan Netralitas": the rakor's name, not a second event
                before = text[max(0, match.start() - 60):match.start()]
                verb = match.group(0)[:2].lower() in ("me", "di")
                if event_type in cues.gatherings and cues.speech_occasion.search(before) and cues.speech_verb.search(
                        text) and not cues.is_neutral(_name_after(text, match.end())):
                    continue  # "saya sampaikan pada saat apel": the occasion of a speech, not a neutrality apel
                if verb and cues.purpose_before.search(before):
                    continue  # "berkewajiban untuk menyosialisasikan": a task, not an act
                not_after = cues.not_after.get(event_type)
                if not_after is not None and not_after.search(before):
                    continue  # "penandatanganan ikrar": the signing act (pakta_integritas), not a reading
                after = text[match.end():match.end() + 80]
                if cues.off_topic.search(after) and not cues.is_neutral(after[:40]):
                    continue
                # A finite verb trigger ("Bawaslu menyosialisasikan netralitas") says the act was done.
                if not (facts.held or (verb and not (cues.not_held.search(text) and not facts.has_date))):
                    continue
                if event_type in cues.requires and not cues.requires[event_type].search(text):
                    continue
                if event_type in cues.needs_figure and not facts.counted and not _specific_case(
                        cues, event_type, text) and not (index > 0 and _REFERS_BACK_INSIDE.search(text) and (
                        _figures(cues, sentences[index - 1].text)
                        or _specific_case(cues, event_type, sentences[index - 1].text))):
                    continue  # a count or case here, or in the sentence this one refers to ("kasus tersebut")
                if event_type in cues.hypothetical and cues.hypothetical[event_type].search(text) and not facts.counted:
                    continue  # a warning or a recommendation; one that names how many is a decision
                title_topic = title_neutral and bool(cues.triggers[event_type].search(title))
                if not _neutral_context(cues, sentences, index, title_topic, event_type):
                    continue
                hits.append(TriggerHit(event_type, index, sentence.start + match.start(), sentence.start + match.end()))
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
    hits = only_performed(cues, with_implied(cues, find_hits(cues, title, sentences, dates), sentences), text,
                          title)
    dated = {i for i, s in enumerate(sentences) if any(_usable_date(d) for d in _sentence_dates(s, dates))}
    hits = with_support(cues, hits, sentences, dated)
    acts = group_acts(hits, sentences, dates)
    by_type: dict[str, list[TriggerHit]] = {}
    for act in acts:
        by_type.setdefault(act.type, list(act.hits))
    title_types = {t for t, pattern in cues.triggers.items() if title and pattern.search(title)}
    gatherings = [t for t in by_type if t in GATHERINGS]
    main_type = next((t for t in gatherings if t in title_types), None) or min(
        gatherings, key=lambda t: by_type[t][0].sentence, default=None)
    # The main gathering first: other acts of the same gathering share its details.
    order: list[Act] = sorted(acts, key=lambda a: (a.type != main_type, a.hits[0].sentence))
    dateline = next((r for r in regions if r.role == "dateline"), None)
    main: EventMention | None = None
    main_date = None
    dating = ArticleDates(text, sentences, dates, by_type)
    events = []
    for act in order:
        event_type, by_type[act.type] = act.type, list(act.hits)  # this act's mentions, for the lines below
        hit_sentences = [sentences[h.sentence] for h in by_type[event_type]]
        date_mention = dating.date_for(event_type, event_type in GATHERINGS, hit_sentences, main_date)
        date = date_mention.event_date.isoformat() if date_mention else None
        if (main is not None and event_type in GATHERINGS and event_type != main_type and date is None
                and all(_FOLLOWS_UP.search(text, max(0, h.start - 40), h.start) for h in act.hits)):
            continue  # "apel ini tindak lanjut rakor ... yang digelar Bawaslu RI": the earlier gathering it follows
        # The violation behind a sanction: who found it is not the body that sanctioned.
        organiser = None if all(h.implied for h in act.hits) else find_organiser(
            hit_sentences, sentences, orgs, officials, text)
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
        if event_type in cues.announcements:
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
            evidence_start=hit_sentences[0].start,
            evidence_end=hit_sentences[0].end,
            trigger_start=act.hits[0].start,
            trigger_end=act.hits[0].end,
        )
        if event_type == main_type and main is None:
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
