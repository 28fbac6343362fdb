"""Running an exported notebook in a real Jupyter kernel (nbclient), from the project's folder, as a user would."""

from __future__ import annotations

import json
from pathlib import Path

import nbclient
import nbformat

REPO_ROOT = Path(__file__).resolve().parents[1]


def first_json(text: str) -> dict:
    """The first JSON object printed in ``text``."""
    return json.JSONDecoder().raw_decode(text[text.index("{"):])[0]


def run_notebook(text: str) -> tuple[dict, nbformat.NotebookNode]:
    """Execute the notebook ``text``; the report it printed first, and the executed notebook."""
    nb = nbformat.reads(text, as_version=4)
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(REPO_ROOT)}}).execute()
    printed = "".join(o.get("text", "") for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs
                      if o.output_type == "stream")
    return first_json(printed), nb
