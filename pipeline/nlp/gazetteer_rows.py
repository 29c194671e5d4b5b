"""Reads and validates the hand-kept gazetteer files (TSV) and the region context words (JSONL).

Every row goes through a pydantic model with unknown keys refused, so a typo in a kind, a case
rule or a label fails loudly with the file, the line and the entry named instead of silently
switching a rule off (a mistyped ``case`` used to read as "title"). The generated files
(``regions.tsv``, ``kecamatan.tsv``) are checked the same way, since a hand edit can break them too.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import ValidationError, field_validator

from pipeline.nlp.lexicon import LexiconError, LexiconModel

_CODE = re.compile(r"\d{2}(?:\.\d{2}(?:\.\d{2})?)?")


class _Row(LexiconModel):
    @field_validator("code", "region_code", "province_code", "regency_code", check_fields=False)
    @classmethod
    def _kemendagri_code(cls, value: str) -> str:
        if not _CODE.fullmatch(value):
            raise ValueError(f"not a Kemendagri code: {value!r}")
        return value


class RegionRow(_Row):
    code: str
    kind: Literal["provinsi", "kabupaten", "kota"]
    name: str
    bare: str
    province_code: str
    province_name: str


class AliasRow(_Row):
    alias: str
    code: str
    type: Literal["abbr", "short", "spelling", "english", "old_name", "byname"]
    case: Literal["title", "any", "exact"]


class LocalityRow(_Row):
    name: str
    kind: Literal["seat", "capital", "area", "idiom"]
    region_code: str


class KecamatanRow(_Row):
    name: str
    code: str
    regency_code: str


class CorrectionRow(_Row):
    code: str
    source_name: str
    official_name: str
    note: str = ""


class GazetteerMeta(LexiconModel):
    """``meta.json``: where ``regions.tsv`` and ``kecamatan.tsv`` come from (written by the builder)."""

    source_package: str
    source_version: str
    source_data: str
    licence: str
    counts: dict[str, int]
    name_corrections: int
    builder: str


class AmbiguousRow(LexiconModel):
    word: str
    rule: Literal["context", "start"]
    note: str = ""


class ContextWordEntry(LexiconModel):
    """One line of ``region_context.jsonl``: a word or phrase the tagger reads around a name."""

    id: str
    label: Literal["KIND_KAB", "KIND_KOTA", "KIND_PROV", "KIND_ANY", "BODY", "SUBREGION", "ROAD", "FEATURE",
                   "HONORIFIC", "COMPANY", "ETHNIC", "OUTLET_BEFORE", "OUTLET_AFTER", "SUFFIX_KAB",
                   "SUFFIX_KOTA", "SUFFIX_PROV", "OK_NEXT"]
    pattern: str
    ignore_case: bool = True
    role: Literal["body_name", "dateline", "mention"] | None = None
    span: bool = False


M = TypeVar("M", bound=LexiconModel)


def _invalid(path: Path, line: int, entry: object, error: ValidationError | ValueError) -> LexiconError:
    if isinstance(error, ValidationError):
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(row)'}: {e['msg'].removeprefix('Value error, ')}"
            for e in error.errors())
    else:
        problems = str(error)
    return LexiconError(f"{path}:{line}: invalid entry {entry!r}: {problems}")


def read_tsv(path: Path, model: type[M], *, header: bool = False) -> Iterator[M]:
    """Rows of a TSV file as ``model`` records; ``#`` lines are comments; fields in the model's order."""
    fields = list(model.model_fields)
    with path.open(encoding="utf-8") as fh:
        for line, row in enumerate(csv.reader(fh, delimiter="\t"), 1):
            if not row or row[0].startswith("#") or (header and line == 1):
                continue
            if len(row) > len(fields):
                raise _invalid(path, line, row, ValueError(f"{len(row)} columns, expected {len(fields)}"))
            try:
                yield model.model_validate(dict(zip(fields, row, strict=False)))
            except ValidationError as exc:
                raise _invalid(path, line, row, exc) from exc


def read_json(path: Path, model: type[M]) -> M:
    """One JSON document as a ``model`` record."""
    try:
        return model.model_validate_json(path.read_text(encoding="utf-8"))
    except ValidationError as exc:
        raise _invalid(path, 1, path.name, exc) from exc


def read_jsonl(path: Path, model: type[M]) -> Iterator[M]:
    """Records of a JSON-lines file as ``model`` records; blank lines are skipped."""
    for line, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        try:
            yield model.model_validate(json.loads(raw))
        except json.JSONDecodeError as exc:
            raise _invalid(path, line, raw, ValueError(f"not JSON: {exc}")) from exc
        except ValidationError as exc:
            raise _invalid(path, line, raw, exc) from exc
