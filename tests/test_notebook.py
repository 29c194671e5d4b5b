"""The analyst notebook reproduces the week's rakor table and chart from the digest's fixture database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest_fixture import NOTEBOOK, REPO, WEEK, build_fixture


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("notebook-db") / "pantau.duckdb"
    build_fixture(db)
    return db


@pytest.fixture()
def notebook_env(fixture_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PANTAU_DB", str(fixture_db))
    monkeypatch.setenv("PANTAU_WEEK", WEEK)
    yield


def test_the_notebook_code_reproduces_the_rakor_table(notebook_env: None, capsys: pytest.CaptureFixture[str]) -> None:
    """Runs the notebook's code cells in order, as a kernel would (without needing Jupyter installed)."""
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4
    namespace: dict[str, object] = {"__name__": "__main__"}
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            exec(compile("".join(cell["source"]), str(NOTEBOOK), "exec"), namespace)
    rows = namespace["rakor_rows"]
    assert isinstance(rows, list)
    assert [row[2] for row in rows] == ["Pemerintah Provinsi Papua Pegunungan", "Bawaslu Provinsi Sulawesi Tengah"]
    out = capsys.readouterr().out
    assert "digest agrees: 2 rakor, 5 neutrality events" in out


def test_the_notebook_executes_in_a_kernel(notebook_env: None) -> None:
    nbformat = pytest.importorskip("nbformat", reason="needs nbformat, nbclient and ipykernel to run a kernel")
    nbclient = pytest.importorskip("nbclient", reason="needs nbformat, nbclient and ipykernel to run a kernel")
    pytest.importorskip("ipykernel", reason="needs nbformat, nbclient and ipykernel to run a kernel")
    notebook = nbformat.read(str(NOTEBOOK), as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(REPO)}})
    client.execute()
    outputs = "".join(o.get("text", "") for c in notebook.cells if c.cell_type == "code" for o in c.outputs)
    assert "digest agrees: 2 rakor" in outputs


def test_the_notebook_is_saved_without_outputs() -> None:
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert all(not c.get("outputs") for c in notebook["cells"] if c["cell_type"] == "code")
    assert "read_only=True" in "".join("".join(c["source"]) for c in notebook["cells"])
