"""The annotation as spaCy spans: ``doc.spans`` keys, labels and span extensions (the contract's table).

Rule modules return records with character offsets; this module turns them into token-aligned spans so
``displacy.render(doc, style="span", options={"spans_key": key})`` shows what was found and where. The
record a span stands for hangs on the span (``span._.official``, ``span._.region``, ``span._.date``,
``span._.event``): the normalised values travel with the words. Offsets are aligned outward
(``alignment_mode="expand"``), so a span never cuts a token.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from spacy.tokens import Doc, Span

from pipeline.records import EventMention, Official, RegionMention

OFFICIALS, REGIONS, DATES, EVENTS = "officials", "regions", "dates", "events"
SPAN_KEYS = (OFFICIALS, REGIONS, DATES, EVENTS)
OFFICIAL_LABEL, DATE_LABEL = "OFFICIAL", "DATE"
REGION_LABELS = ("PROVINSI", "KABUPATEN", "KOTA", "NASIONAL")
# The span extension carrying each key's record.
EXTENSIONS = {OFFICIALS: "official", REGIONS: "region", DATES: "date", EVENTS: "event"}

for _attr in EXTENSIONS.values():
    if not Span.has_extension(_attr):
        Span.set_extension(_attr, default=None)


def region_label(mention: RegionMention, kind: Callable[[str], str | None]) -> str:
    """PROVINSI, KABUPATEN, KOTA or NASIONAL, from the gazetteer's kind for the code."""
    if mention.code == "00":
        return "NASIONAL"
    known = kind(mention.code)
    if known:
        return known.upper()
    if "." not in mention.code:
        return "PROVINSI"
    # Kemendagri numbers kota from 71 within a province.
    return "KOTA" if mention.code.split(".")[1] >= "71" else "KABUPATEN"


def event_offsets(event: EventMention) -> tuple[int, int] | None:
    """The trigger words when the rules located them, else the evidence sentence."""
    if event.trigger_start is not None and event.trigger_end is not None:
        return event.trigger_start, event.trigger_end
    if event.evidence_start is not None and event.evidence_end is not None:
        return event.evidence_start, event.evidence_end
    return None


def _spans(doc: Doc, items: Iterable[tuple[int | None, int | None, str, Any]], attr: str) -> list[Span]:
    spans = []
    for start, end, label, record in items:
        if start is None or end is None or end <= start:
            continue
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None:
            span._.set(attr, record)
            spans.append(span)
    return spans


def set_spans(doc: Doc, officials: Iterable[Official], regions: Iterable[RegionMention], dates: Iterable[Any],
              events: Iterable[EventMention], region_kind: Callable[[str], str | None]) -> Doc:
    """Fill ``doc.spans`` under the four keys from the records (each key present, possibly empty)."""
    doc.spans[OFFICIALS] = _spans(doc, ((o.start, o.end, OFFICIAL_LABEL, o) for o in officials), "official")
    doc.spans[REGIONS] = _spans(doc, ((m.start, m.end, region_label(m, region_kind), m) for m in regions), "region")
    doc.spans[DATES] = _spans(doc, ((d.start, d.end, DATE_LABEL, d) for d in dates), "date")
    located = ((*(event_offsets(e) or (None, None)), e.type, e) for e in events)
    doc.spans[EVENTS] = _spans(doc, located, "event")
    return doc
