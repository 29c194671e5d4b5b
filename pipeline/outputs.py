"""Writing a command's output file without ever leaving it half-written or emptied.

``pantau annotate --output B`` used to open B for writing first: the same path as the input emptied it, and
a run that failed (a mistyped input, an interrupt) left B empty or truncated. Output now goes to a temporary
file beside the target, renamed over it only when complete (a rename is atomic on one file system).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


class OutputError(ValueError):
    """An output path a user can fix (the CLI prints it as one line, status 2)."""


def check_distinct(source: Path, target: Path) -> None:
    """Refuse to write over the file being read."""
    same = source.resolve() == target.resolve()
    if not same and target.exists():
        try:
            same = source.samefile(target)
        except OSError:
            same = False
    if same:
        raise OutputError(f"--output {target} is the input file; write the output to another path")


@contextmanager
def replaced_atomically(target: Path) -> Iterator[TextIO]:
    """A text file to write; on success it replaces ``target``, on any failure ``target`` is untouched."""
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise OutputError(f"--output {target} is a folder; name a file")
    if target.exists() and not target.is_file():  # /dev/full, a pipe: never renamed over
        raise OutputError(f"--output {target} is not a regular file; name a file")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write in {folder}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        if target.exists():  # keep the old file's permissions, not mkstemp's 0600
            os.chmod(temporary, target.stat().st_mode & 0o777)
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
