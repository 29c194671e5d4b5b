"""A tile-grid map of Indonesia's 38 provinces, as inline SVG.

No package ships the boundaries of all 38 provinces (the 2022 Papua splits are
missing everywhere), so each province is one square tile laid out by hand at a
rough geographic position: Sumatra on the left running south-east, Java and the
Nusa Tenggara islands along the bottom, Kalimantan in the middle, Sulawesi's
arms, Maluku, and the six Papua provinces on the right.

A province that organised or hosted a rakor that week is filled dark, one that
only sent participants light; inside the tile one dot per kabupaten/kota marks
the regencies and cities that took part, and ``RakorFootprint.provinces`` lists
them by name for the text below the map.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

from pipeline.digest.data import DigestEvent
from pipeline.digest.labels import Labels
from pipeline.nlp.gazetteer import Region, RegionGazetteer

# Kemendagri code -> (column, row, short label). Hand-laid; see the module docstring.
TILES: dict[str, tuple[int, int, str]] = {
    "11": (0, 0, "ACEH"),
    "12": (1, 0, "SUMUT"),
    "13": (1, 1, "SUMBAR"),
    "14": (2, 1, "RIAU"),
    "21": (3, 1, "KEPRI"),
    "17": (1, 2, "BKL"),
    "15": (2, 2, "JAMBI"),
    "16": (2, 3, "SUMSEL"),
    "19": (3, 3, "BABEL"),
    "18": (2, 4, "LAMPUNG"),
    "36": (3, 5, "BANTEN"),
    "31": (4, 4, "DKI"),
    "32": (4, 5, "JABAR"),
    "33": (5, 5, "JATENG"),
    "34": (5, 6, "DIY"),
    "35": (6, 5, "JATIM"),
    "51": (7, 5, "BALI"),
    "52": (8, 5, "NTB"),
    "53": (9, 5, "NTT"),
    "65": (6, 0, "KALTARA"),
    "61": (5, 1, "KALBAR"),
    "64": (6, 1, "KALTIM"),
    "62": (5, 2, "KALTENG"),
    "63": (6, 2, "KALSEL"),
    "75": (9, 1, "GORONT."),
    "71": (10, 1, "SULUT"),
    "72": (8, 2, "SULTENG"),
    "76": (7, 3, "SULBAR"),
    "73": (8, 3, "SULSEL"),
    "74": (9, 3, "SULTRA"),
    "82": (11, 1, "MALUT"),
    "81": (11, 3, "MALUKU"),
    "96": (12, 1, "PBD"),
    "92": (13, 1, "P. BARAT"),
    "91": (15, 1, "PAPUA"),
    "94": (14, 2, "P. TENGAH"),
    "95": (15, 2, "P. PEG."),
    "93": (15, 3, "P. SELATAN"),
}

COLUMNS, ROWS = 16, 7
TILE, GAP, PAD = 58, 6, 8

HELD = "held"
ATTENDED = "attended"
# Colours used only by the map (tests look for them in a screenshot).
COLOURS = {HELD: "#b2182b", ATTENDED: "#f4a582", None: "#e3e8ef"}
DOT_COLOURS = {HELD: "#ffffff", ATTENDED: "#7a1020"}
INK = {HELD: "#ffffff", ATTENDED: "#4a0c15", None: "#6b7785"}


@dataclass(frozen=True)
class RegionRole:
    region: Region
    role: str  # held | attended


@dataclass(frozen=True)
class ProvinceFootprint:
    province: Region
    role: str  # held | attended: the stronger of the province's own and its regencies' roles
    regencies: tuple[RegionRole, ...]
    own_role: str | None = None  # the province itself as organiser, venue or participant


@dataclass(frozen=True)
class RakorFootprint:
    """Where the week's rakor were held and who attended, resolved to Kemendagri regions."""

    provinces: tuple[ProvinceFootprint, ...]  # in Kemendagri code order
    national: tuple[str, ...]  # organisers of national-level meetings
    unmapped: tuple[str, ...]  # region names the gazetteer does not know

    @property
    def regency_count(self) -> int:
        return sum(len(p.regencies) for p in self.provinces)

    def role_of(self, code: str) -> str | None:
        for footprint in self.provinces:
            if footprint.province.code == code:
                return footprint.role
        return None


def rakor_footprint(events: Iterable[DigestEvent], gazetteer: RegionGazetteer | None = None) -> RakorFootprint:
    """Resolve the organiser, venue and participant regions of rakor events to provinces and regencies."""
    gazetteer = gazetteer or RegionGazetteer()
    roles: dict[str, str] = {}  # region code -> role; held beats attended
    national: list[str] = []
    unmapped: list[str] = []

    def mark(name: str | None, role: str) -> None:
        if not name:
            return
        region = gazetteer.by_name(name)
        if region is None:
            if name not in unmapped:
                unmapped.append(name)
            return
        if region.kind == "nasional":
            return
        if roles.get(region.code) != HELD:
            roles[region.code] = role

    for event in events:
        if event.type != "rakor":
            continue
        if event.organizer_region and event.organizer_region.strip().lower() == "nasional":
            label = event.organizer or event.organizer_region
            if label not in national:
                national.append(label)
        mark(event.organizer_region, HELD)
        mark(event.venue_region, HELD)
        for name in event.participant_regions:
            mark(name, ATTENDED)

    by_province: dict[str, list[RegionRole]] = {}
    province_roles: dict[str, str] = {}
    own_roles: dict[str, str] = {}
    for code, role in roles.items():
        region = gazetteer.get(code)
        if region is None:
            continue
        province_code = region.province_code
        if region.kind == "provinsi":
            by_province.setdefault(province_code, [])
            own_roles[province_code] = role
        else:
            by_province.setdefault(province_code, []).append(RegionRole(region, role))
        if province_roles.get(province_code) != HELD:
            province_roles[province_code] = role
    provinces = []
    for code in sorted(by_province):
        province = gazetteer.get(code)
        if province is None:
            continue
        regencies = sorted(by_province[code], key=lambda r: (r.role != HELD, r.region.code))
        provinces.append(ProvinceFootprint(province, province_roles[code], tuple(regencies), own_roles.get(code)))
    return RakorFootprint(tuple(provinces), tuple(national), tuple(unmapped))


def render_tilemap(footprint: RakorFootprint, labels: Labels, gazetteer: RegionGazetteer | None = None) -> Markup:
    """The map as an ``<svg>`` element (every text escaped), with its legend."""
    gazetteer = gazetteer or RegionGazetteer()
    by_code = {p.province.code: p for p in footprint.provinces}
    width = PAD * 2 + COLUMNS * TILE + (COLUMNS - 1) * GAP
    height = PAD * 2 + ROWS * TILE + (ROWS - 1) * GAP
    parts = [
        (f'<svg class="tilemap" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
         f'role="img" aria-labelledby="tilemap-title">'),
        f'<title id="tilemap-title">{escape(labels("map_title"))}</title>',
    ]
    for code, (col, row, short) in TILES.items():
        x = PAD + col * (TILE + GAP)
        y = PAD + row * (TILE + GAP)
        province = gazetteer.get(code)
        name = province.bare if province else short
        found = by_code.get(code)
        role = found.role if found else None
        css = f"tile tile-{role}" if role else "tile"
        tooltip = name
        if found and found.regencies:
            tooltip += ": " + ", ".join(r.region.name for r in found.regencies)
        parts.append(f'<g class="{css}" data-code="{code}"><title>{escape(tooltip)}</title>')
        parts.append(f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="5" fill="{COLOURS[role]}"/>')
        parts.append(f'<text x="{x + TILE / 2:.0f}" y="{y + 15}" text-anchor="middle" font-size="9.5" '
                     f'font-weight="700" fill="{INK[role]}">{escape(short)}</text>')
        parts.append(f'<text x="{x + TILE / 2:.0f}" y="{y + 26}" text-anchor="middle" font-size="7.5" '
                     f'fill="{INK[role]}" opacity="0.85">{escape(code)}</text>')
        if found:
            parts.extend(_dots(found, x, y))
        parts.append("</g>")
    # The legend sits in the empty sea south of Maluku and Papua.
    parts.extend(_legend(labels, PAD + 10 * (TILE + GAP) + 24, PAD + 4 * (TILE + GAP) + 6))
    parts.append("</svg>")
    return Markup("".join(parts))


def _dots(found: ProvinceFootprint, x: int, y: int) -> list[str]:
    """One dot per kabupaten/kota, in rows of five under the tile's label."""
    out = []
    per_row, r, step = 5, 3.6, 9.6
    for i, regency in enumerate(found.regencies[:15]):
        cx = x + 9 + (i % per_row) * step
        cy = y + 35 + (i // per_row) * 8.5
        colour = DOT_COLOURS[found.role] if regency.role == HELD else "none"
        stroke = DOT_COLOURS[found.role]
        out.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r}" fill="{colour}" stroke="{stroke}" '
                   f'stroke-width="1.3"><title>{escape(regency.region.name)}</title></circle>')
    return out


def _legend(labels: Labels, x: int, y: int) -> list[str]:
    out = ['<g class="legend">']
    line = 0

    def row(swatch: str, text: str) -> None:
        nonlocal line
        top = y + line * 24
        out.append(swatch.format(x=x, y=top, cx=x + 8, cy=top + 8))
        out.append(f'<text x="{x + 24}" y="{top + 12.5}" font-size="12" fill="#2b3440">{escape(text)}</text>')
        line += 1

    for role, key in ((HELD, "map_held"), (ATTENDED, "map_attended"), (None, "map_none")):
        row(f'<rect x="{{x}}" y="{{y}}" width="16" height="16" rx="3" fill="{COLOURS[role]}"/>', labels(key))
    row('<circle cx="{cx}" cy="{cy}" r="4.5" fill="#7a1020" stroke="#7a1020"/>', labels("map_regency_held"))
    row('<circle cx="{cx}" cy="{cy}" r="4.5" fill="none" stroke="#7a1020" stroke-width="1.5"/>',
        labels("map_regency_attended"))
    out.append("</g>")
    return out
