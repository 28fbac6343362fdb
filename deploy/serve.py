"""``python -m deploy.serve [streamlit options]``: ``streamlit run app.py`` with the app's libraries imported and
warmed before the server takes its first visitor.

Streamlit runs the pages in the server's own process, so whatever this process has imported, the first page
finds imported. Without this, the first visitor of a fresh server waits for numpy, scipy, pandas, plotly and the
core to import, and for the core's first solve to fill its small caches (simplex grids and their neighbours).
Options after the command go to ``streamlit run`` (``--server.port 8501``, ``--server.address 0.0.0.0``, …).
"""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app.py"


def warm_up() -> None:
    """Import the libraries the pages import and solve one scenario of each number of outcomes the presets have.
    (``ui`` is left to the first run: its caches' decorators want Streamlit's runtime, which starts after.)"""
    import plotly.io  # noqa: F401 (imported to have it loaded: ui.charts needs it)

    import core
    import figures.binary  # noqa: F401
    import figures.triangle  # noqa: F401

    for name in ("bank-run", "coordination", "five-candidates"):
        core.analyze(core.get_preset(name).scenario)


def main(argv: list[str]) -> None:
    warm_up()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *argv]
    cli.main()


if __name__ == "__main__":
    main(sys.argv[1:])
