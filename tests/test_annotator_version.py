"""The annotator version moves with what changes annotation, and only with that."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.nlp.annotator import ANNOTATION_ASSETS, annotation_assets, annotator_version
from pipeline.settings import MODELS_DIR

DOCUMENTATION = {".md"}


def _models_copy(tmp_path: Path) -> Path:
    target = tmp_path / "models"
    shutil.copytree(MODELS_DIR, target)
    return target


def _version(models: Path) -> str:
    return annotator_version.__wrapped__(models)  # the cached one is for the real models/


def test_editing_a_readme_keeps_the_version(tmp_path: Path) -> None:
    models = _models_copy(tmp_path)
    before = _version(models)
    (models / "README.md").write_text((models / "README.md").read_text() + "\nOne more line of prose.\n")
    (models / "gazetteer" / "SOURCE.md").write_text("rewritten\n")
    (models / "notes.md").write_text("a new document\n")
    assert _version(models) == before


def test_editing_a_lexicon_or_the_gazetteer_changes_the_version(tmp_path: Path) -> None:
    models = _models_copy(tmp_path)
    before = _version(models)
    lexicon = models / "lexicons" / "events.yaml"
    lexicon.write_text(lexicon.read_text() + "\n# a comment is still a change to the file\n")
    after_lexicon = _version(models)
    assert after_lexicon != before
    aliases = models / "gazetteer" / "aliases.tsv"
    aliases.write_bytes(aliases.read_bytes() + b"\n")
    assert _version(models) != after_lexicon
    config = models / "pantau_id" / "config.cfg"
    config.write_text(config.read_text() + "\n")
    assert _version(models) not in {before, after_lexicon}


def test_every_file_under_models_is_an_annotation_asset_or_documentation() -> None:
    """A new data file the annotator reads must be named in ANNOTATION_ASSETS, or its edits re-annotate nothing."""
    hashed = set(annotation_assets(MODELS_DIR))
    files = {p for p in MODELS_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    left_out = {p.relative_to(MODELS_DIR).as_posix() for p in files - hashed if p.suffix not in DOCUMENTATION}
    assert not left_out, f"neither hashed nor documentation: {sorted(left_out)}"
    for pattern in ANNOTATION_ASSETS:  # a renamed folder must not leave a pattern matching nothing
        assert any(MODELS_DIR.glob(pattern)), pattern
