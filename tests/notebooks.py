"""Running an exported notebook in a real Jupyter kernel (nbclient), from the project's folder, as a user would,
and reading what it printed and drew."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbclient
import nbformat

REPO_ROOT = Path(__file__).resolve().parents[1]
PLOTLY = "application/vnd.plotly.v1+json"


def json_values(text: str) -> list[Any]:
    """The JSON objects and arrays printed in ``text``, in order (each starts a line, as ``print`` writes it)."""
    decoder, values, i = json.JSONDecoder(), [], 0
    while i < len(text):
        if text[i] in "[{" and (i == 0 or text[i - 1] == "\n"):
            try:
                value, i = decoder.raw_decode(text, i)
            except json.JSONDecodeError:
                i += 1
                continue
            values.append(value)
        else:
            i += 1
    return values


def run_notebook(text: str) -> nbformat.NotebookNode:
    """Execute the notebook ``text``; the executed notebook."""
    nb = nbformat.reads(text, as_version=4)
    nbclient.NotebookClient(nb, timeout=180, kernel_name="python3",
                            resources={"metadata": {"path": str(REPO_ROOT)}}).execute()
    return nb


def printed(nb: nbformat.NotebookNode) -> str:
    """All a run notebook printed."""
    return "".join(o.get("text", "") for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs
                   if o.output_type == "stream")


def drawn(nb: nbformat.NotebookNode) -> list[dict[str, Any]]:
    """The plotly figures a run notebook drew, in order."""
    return [o["data"][PLOTLY] for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs
            if PLOTLY in o.get("data", {})]
