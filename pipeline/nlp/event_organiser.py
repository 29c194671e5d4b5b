"""Who held an event: the organiser, from the most explicit evidence to the weakest.

1. "diselenggarakan oleh X", "yang digelar X"; "X menggelar ..." ("X bersama Y menggelar" gives X);
2. the official who led or opened it ("Pj Gubernur NTB memimpin apel");
3. the speaker of "telah kami lakukan", or the official who opens the sentence;
4. the employer of the staff who took part ("ASN di lingkungan Pemkab X mengikuti apel");
5. the first body with a region in the event's sentences, then in the lead; then the lead's official.
A bare "Bawaslu" is national when the article speaks of "Bawaslu RI", else the body's region elsewhere.
"""

from __future__ import annotations

import re
from collections import Counter

from pipeline.nlp.organisations import NASIONAL, OrganisationMention
from pipeline.nlp.text import Sentence
from pipeline.records import Official

_HELD_BY = re.compile(
    r"(?:diselenggarak\w*|digelar|diadakan|dilaksanakan|diinisiasi|digagas|difasilitasi|"
    r"dibuka|dipimpin|organized|held)\s+(?:oleh\s+|by\s+)?(?:pihak\s+)?$",
    re.IGNORECASE,
)
_DOES = re.compile(
    # "Pemkot X melalui BKPSDM menggelar ...": the government acts through its agency, and is the organiser.
    r"^\s*(?:\([^)]*\)\s*)?,?\s*(?:[^,]{0,60},\s*)?(?:melalui\s+(?:[^\s,.]+\s+){1,12}?)?"
    r"(?:(?:juga|telah|sudah|kembali|resmi|pun|turut)\s+)*"
    r"(?:menggelar|mengadakan|melaksanakan|menyelenggarakan|melakukan|membentuk|meluncurkan|menerima|"
    r"mencatat|menemukan|merekomendasikan|menjatuhkan|memberikan|menindaklanjuti|menangani|memproses|"
    r"meneruskan|melaporkan|mengeluarkan|memimpin|membuka|gelar|adakan|bentuk|laksanakan|held|holds|found|"
    r"recorded|reported)\b",
    re.IGNORECASE,
)
_REFERS_BACK = re.compile(r"^(?:Kegiatan|Acara|Rapat|Rakor|Rakornas|Apel|Sosialisasi|Deklarasi|Agenda)\b"
                          r"(?:\s+\w+){0,3}\s+(?:ini|tersebut|itu)\b", re.IGNORECASE)


def with_follow_ups(hit_sentences: list[Sentence], sentences: list[Sentence]) -> list[Sentence]:
    """Hit sentences, each followed by the next sentence when it refers back ("Kegiatan ini diadakan oleh ...")."""
    out: list[Sentence] = []
    for sentence in hit_sentences:
        out.append(sentence)
        index = sentences.index(sentence)
        if index + 1 < len(sentences) and _REFERS_BACK.match(sentences[index + 1].text):
            out.append(sentences[index + 1])
    return out


def _organiser(sentence: Sentence, orgs: list[OrganisationMention]) -> OrganisationMention | None:
    inside = [o for o in orgs if sentence.start <= o.start < sentence.end]
    for org in inside:
        before = sentence.text[:org.start - sentence.start]
        if _HELD_BY.search(before[-40:]):
            return org
    for index, org in enumerate(inside):
        after = sentence.text[org.end - sentence.start:]
        if _DOES.match(after):
            before = sentence.text[:org.start - sentence.start]
            if index and re.search(r"\bbersama(?:\s+dengan)?\s*$", before):
                return inside[index - 1]  # "Bawaslu Lampung bersama Bawaslu Lampung Selatan menggelar ..."
            return org
    return None


_WE_DID = re.compile(r"\b(?:kami|kita|pihaknya)\b", re.IGNORECASE)
_SAID_BY = re.compile(
    r"\b(?:ujar|kata|ungkap|tutur|jelas|terang|tegas|sebut|papar|ucap|imbuh|pungkas|tandas|katanya|ujarnya)\s+"
    r"(?:\w+\s+){0,4}?([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3})"
)


def _speaker_body(hit_sentences: list[Sentence], officials: list[Official]) -> OrganisationMention | None:
    """"... telah kami lakukan," ungkap Ismajaya: the speaker's body held it."""
    for sentence in hit_sentences:
        if not _WE_DID.search(sentence.text):
            continue
        said = _SAID_BY.search(sentence.text)
        if not said:
            continue
        speaker = said.group(1).lower().split()
        for official in officials:
            if official.institution and set(speaker) & set(official.name.lower().split()):
                return OrganisationMention(said.group(0), sentence.start, sentence.end, official.institution,
                                           official.region, official.region_code, official.institution.split()[0])
    return None


def _resolve_bare_body(org: OrganisationMention, orgs: list[OrganisationMention],
                       text: str) -> OrganisationMention:
    """"Bawaslu" alone: national when the article speaks of "<body> RI", else the body's region elsewhere."""
    if org.region is not None:
        return org
    same_body = [o for o in orgs if o.body == org.body and o.region is not None]
    if any(o.region == NASIONAL for o in same_body) or re.search(rf"\b{re.escape(org.body)}\s+RI\b", text):
        national = next((o for o in same_body if o.region == NASIONAL), None)
        name = national.name if national else f"{org.body} RI"
        return OrganisationMention(org.surface, org.start, org.end, name, NASIONAL, "00", org.body)
    if same_body:
        best = Counter(o.name for o in same_body).most_common(1)[0][0]
        return next(o for o in same_body if o.name == best)
    return org


_LED = re.compile(r"\b(?:memimpin|membuka|dipimpin|dibuka|menyaksikan|mewakili|sambutan|amanat|led|opened)\b",
                  re.IGNORECASE)
_WITHIN = re.compile(r"\b(?:di\s+lingkungan|di\s+jajaran|lingkup)\s+$", re.IGNORECASE)
def _led_by(sentences: list[Sentence], officials: list[Official]) -> OrganisationMention | None:
    """"Pj Gubernur NTB memimpin apel": the body of the official who led or opened it."""
    for sentence in sentences:
        if not _LED.search(sentence.text):
            continue
        for official in officials:
            if (official.institution and official.region and official.name in sentence.text
                    and official.institution.startswith(("Pemerintah", "Bawaslu", "KPU", "Kesbangpol", "BKD"))):
                return OrganisationMention(official.name, sentence.start, sentence.end, official.institution,
                                           official.region, official.region_code, official.institution.split()[0])
    return None


def _staff_of(sentences: list[Sentence], orgs: list[OrganisationMention]) -> OrganisationMention | None:
    """"ASN di lingkungan Pemkab Aceh Tenggara mengikuti apel": the employer held it."""
    for sentence in sentences:
        for org in orgs:
            if sentence.start <= org.start < sentence.end and org.region and _WITHIN.search(
                    sentence.text[:org.start - sentence.start][-30:]):
                return org
    return None


# "dilaporkan ke BKN", "direkomendasikan kepada KASN": the body a case goes to, not the one that acted.
_RECIPIENT = re.compile(r"\b(?:ke|kepada|to)\s+(?:the\s+)?$", re.IGNORECASE)


def _first_placed(sentences: list[Sentence], orgs: list[OrganisationMention]) -> OrganisationMention | None:
    for sentence in sentences:
        for org in orgs:
            if sentence.start <= org.start < sentence.end and org.region and not _RECIPIENT.search(
                    sentence.text[max(0, org.start - sentence.start - 12):org.start - sentence.start]):
                return org
    return None


def find_organiser(hit_sentences: list[Sentence], sentences: list[Sentence], orgs: list[OrganisationMention],
                    officials: list[Official], text: str) -> OrganisationMention | None:
    """Who held it, most explicit evidence first."""
    context = with_follow_ups(hit_sentences, sentences)
    for sentence in context:
        organiser = _organiser(sentence, orgs)
        if organiser is not None:
            return _resolve_bare_body(organiser, orgs, text)
    return (_led_by(context, officials) or _speaker_body(hit_sentences, officials)
            or _subject_official(hit_sentences, officials) or _staff_of(context, orgs) or _first_placed(context, orgs)
            or _first_placed(sentences[:3], orgs) or _lead_official(sentences[:3], officials))


def _subject_official(hit_sentences: list[Sentence], officials: list[Official]) -> OrganisationMention | None:
    """"Bagja mengingatkan bahwa pelanggaran ... 1.000 kasus": the official who opens the sentence speaks
    for their body."""
    for sentence in hit_sentences:
        opening = set(re.findall(r"[A-Za-z]+", " ".join(sentence.text.split()[:4]).lower()))
        for official in officials:
            if official.institution and official.region and set(official.name.lower().split()) & opening:
                return OrganisationMention(official.name, sentence.start, sentence.end, official.institution,
                                           official.region, official.region_code, official.institution.split()[0])
    return None


def _lead_official(lead: list[Sentence], officials: list[Official]) -> OrganisationMention | None:
    """Press releases open with the official who speaks for the body that acted."""
    text = " ".join(s.text for s in lead)
    for official in officials:
        if official.institution and official.region and official.name in text:
            return OrganisationMention(official.name, 0, 0, official.institution, official.region,
                                       official.region_code, official.institution.split()[0])
    return None
