"""examples/explore.ipynb runs top to bottom in a fresh Jupyter kernel without an error, shows
what its text promises, and is committed with its outputs cleared."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "explore.ipynb"


def test_the_notebook_is_committed_without_outputs() -> None:
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert len(code) >= 8
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)


def _text(cell: Any) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            parts.append(output["text"])
        for kind in ("text/plain", "text/html"):
            parts.append(output.get("data", {}).get(kind, ""))
    return "\n".join(parts)


def _source_index(cells: list[Any], needle: str) -> int:
    found = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and needle in c["source"]]
    assert len(found) == 1, f"one code cell should contain `{needle}`"
    return found[0]


def test_the_notebook_runs() -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("matplotlib")
    pytest.importorskip("pandas")
    kernelspec = pytest.importorskip("jupyter_client.kernelspec")
    try:
        kernelspec.KernelSpecManager().get_kernel_spec("python3")
    except kernelspec.NoSuchKernel:
        pytest.skip("no Jupyter kernel `python3` (pip install ipykernel)")

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=180,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError, with the cell and traceback, on any error
    cells = notebook.cells
    for cell in cells:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", output

    # the policy and the report as rich HTML
    policy = cells[_source_index(cells, "policyrules.load(")]
    assert "<table>" in _text(policy) and "半年工作总结" in _text(policy)
    report = _text(cells[_source_index(cells, "report = evaluate(")])
    assert "as of 2021-07-12" in report and "10 at_risk" in report and "28 overdue" in report

    # typed columns
    dtypes = _text(cells[_source_index(cells, "df.dtypes")])
    assert "category" in dtypes and "Asia/Shanghai" in dtypes and "float64" in dtypes

    # the half-year summary: nine units at risk three days before it is due
    grouped = _text(cells[_source_index(cells, "groupby(")])
    assert "半年工作总结" in grouped and "hy-sifa" in grouped

    # explain: the unit's half-year summary, and a report that did not count
    explained = _text(cells[_source_index(cells, ".explain(")])
    assert "2021H1: at_risk (due 2021-07-15 23:59)" in explained and "✗" in explained

    # the two pictures, inline
    for needle in ("plots.heatmap(", "plots.timeline("):
        images = [
            base64.b64decode(output["data"]["image/png"])
            for output in cells[_source_index(cells, needle)]["outputs"]
            if "image/png" in output.get("data", {})
        ]
        assert len(images) == 1, needle
        assert images[0][:8] == b"\x89PNG\r\n\x1a\n" and len(images[0]) > 10_000
