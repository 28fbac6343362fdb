"""Small display pieces the pages share: metric cards, the sentence, the results table, sharing."""

from __future__ import annotations

import html
import json
import math
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from core import Analysis, describe_analysis, describe_certificate, Scenario
from ui import state
from ui.compute import analysis, exported
from ui.copy_link import copy_link
from ui.pages import HOME, PAGES

TABLE_ROWS, TABLE_HEIGHT = 14, 560  # a table longer than this many rows scrolls in a box this many pixels high
TABLE_CLASS = "pfp-table"  # the HTML class of every read-only table (:func:`table`)


def _fmt(x: float | None) -> str:
    if x is None:
        return "—"
    return "0" if abs(x) < 1e-12 else f"{x:.4g}"  # rounding noise of an exact 0 reads as 0


def metric_cards(result: Analysis) -> None:
    """Inaccuracy, distance to the nearest fixed point, and the theorem's bound."""
    bounds = result.bounds
    cols = st.columns(4)
    cols[0].metric("Inaccuracy ‖p̂ − f(p̂)‖", _fmt(result.inaccuracy),
                   help="How far the score-maximising report is from what it makes happen.")
    cols[1].metric("Distance to nearest fixed point", _fmt(result.distance_to_fixed_point))
    cols[2].metric("Bound on the inaccuracy", _fmt(None if bounds is None else bounds.inaccuracy),
                   help=("No theorem applies to this world and rule." if bounds is None else bounds.theorem))
    cols[3].metric("Bound on the distance", _fmt(None if bounds is None else bounds.distance_to_fixed_point),
                   help="|p̂ − p*| ≤ L/(1 − L)·sup|g/g′|, for two outcomes when the slope bound L < 1.")


def sentence(result: Analysis) -> None:
    st.info(describe_analysis(result), icon=":material/lightbulb:")


def results_table(report: dict[str, Any]) -> pd.DataFrame:
    """Fixed points and the performative optimum, one row each, from :meth:`Analysis.report` (the one
    serialisation of an analysis; the command line prints the same numbers)."""
    names = list(report["scenario"]["outcomes"])
    points = report["fixed_points"]
    honest = report["honest_optimum"]
    tags = {}
    for key, label in (("by_score", "best score"), ("for_human", "best for human")):
        if honest[key] is not None and len(points) > 1:
            tags.setdefault(honest[key]["index"], []).append(label)
    has_human = report["performative_optimum"]["human_utility"] is not None

    def row(point: str, kind: str, stability: str, entry: dict[str, Any], honest_tag: str) -> dict[str, Any]:
        out = {"point": point, "kind": kind, "stability": stability,
               **{f"P({o})": float(entry["p"][o]) for o in names},
               "score S(p, f(p))": float(entry["score"]), "honest optimum": honest_tag}
        if has_human:
            out["human utility"] = float(entry["human_utility"])
        if entry.get("mixing") is not None:
            out["human's mixing"] = ", ".join(f"{a} {float(w):.3g}" for a, w in entry["mixing"].items())
        return out

    rows = [row(f"fixed point {i + 1}", fp["kind"], fp["stability"], fp, ", ".join(tags.get(i, [])))
            for i, fp in enumerate(points)]
    opt = report["performative_optimum"]
    rows.append(row("performative optimum p̂", "optimum" if opt["attained"] else "supremum", "", opt, ""))
    return pd.DataFrame(rows)


def table(frame: pd.DataFrame) -> None:
    """A read-only table, written as an HTML table in a markdown element. Not ``st.dataframe`` (its
    interactive grid is the slowest thing a rerun redraws) and not ``st.table`` (its Arrow formatting code is
    the largest download a first visit waits for, and pandas' Styler the slowest step of a rerun on the
    server). Numbers show four significant digits, and every digit on hover (the CSV downloads carry them
    all too); each cell keeps its value as JSON in ``data-value``. A long table scrolls inside a box of about
    :data:`TABLE_ROWS` rows."""
    head = "".join(f"<th>{html.escape(str(name))}</th>" for name in frame.columns)
    body = "".join("<tr>" + "".join(_cell(value) for value in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    box = st.container(height=TABLE_HEIGHT) if len(frame) > TABLE_ROWS else st.container()
    # A table wider than the screen (a phone) scrolls sideways in its own box rather than out of the page.
    box.markdown(f'<div style="overflow-x: auto"><table class="{TABLE_CLASS}"><thead><tr>{head}</tr></thead>'
                 f"<tbody>{body}</tbody></table></div>", unsafe_allow_html=True)


@dataclass(frozen=True)
class Link:
    """A table cell that links to ``url`` (opened in a new tab), shown as ``text``."""

    text: str
    url: str


def _cell(value: Any) -> str:
    """One table cell: text escaped; a number right-aligned, rounded (:func:`_fmt`), in full on hover; a
    :class:`Link` as a link; nothing to show (``None``) as a dash."""
    if value is None:
        return f'<td align="right">{_fmt(None)}</td>'
    if isinstance(value, Link):
        return (f'<td><a href="{html.escape(value.url)}" target="_blank" rel="noopener">'
                f"{html.escape(value.text)}</a></td>")
    if isinstance(value, bool | np.bool_):
        return f'<td data-value="{json.dumps(bool(value))}">{value}</td>'
    if isinstance(value, numbers.Number) and not isinstance(value, complex):
        exact = json.dumps(float(value)) if math.isfinite(value) else json.dumps(str(float(value)))
        return (f'<td align="right" title="{float(value)!r}" data-value=\'{exact}\'>'
                f"{_fmt(None if math.isnan(value) else float(value))}</td>")
    return f"<td>{html.escape(str(value))}</td>"


def certificate_note(result: Analysis) -> None:
    """Whether the fixed points shown are all there is: a warning when the certificate fails, a quiet
    caption when it holds."""
    if result.certificate.complete:
        st.caption(f":material/verified: {describe_certificate(result)}")
    else:
        st.warning(describe_certificate(result), icon=":material/warning:")


def certificate_tag(result: Analysis) -> str:
    """A few words for a count of fixed points: "complete" or "some may be missing"."""
    return "complete" if result.certificate.complete else "some may be missing"


def results_section(result: Analysis, file_stem: str) -> None:
    """Whether the set of fixed points is complete (:func:`certificate_note`), and the results table with its
    CSV."""
    certificate_note(result)
    frame = results_table(result.report())
    table(frame)
    st.download_button("Download the results (CSV)", frame.to_csv(index=False).encode(), f"{file_stem}.csv",
                       "text/csv", key="download_csv")


def export_row(page_key: str, file_stem: str) -> None:
    """"Download as notebook" and "as Python script": this page's view, the scenario and the settings its link
    carries (:func:`ui.state.view`, so call this after the page set them), as code that reproduces it
    (:mod:`core.export`). The files are written with the page (a few milliseconds, cached), not when clicked:
    a deferred download's first click is sometimes lost on a busy server."""
    scenario_json, link = state.scenario().to_json(), tuple(sorted(state.view().items()))
    st.caption("Take this view further: the same numbers and charts as code, through the public `core` API.")
    notebook, script, _ = st.columns([1, 1, 2])
    notebook.download_button("Download as notebook", exported(scenario_json, page_key, link, "ipynb").encode(),
                             f"{file_stem}.ipynb", "application/x-ipynb+json", key="download_ipynb")
    script.download_button("Download as Python script", exported(scenario_json, page_key, link, "py").encode(),
                           f"{file_stem}.py", "text/x-python", key="download_py")


def share_controls() -> None:
    """Copy link, download and upload of the scenario (sidebar)."""
    with st.sidebar.expander("Share and save", expanded=False):
        st.caption("The address bar always holds this view. Copy it from here:")
        copy_link()
        st.download_button("Download the scenario (JSON)", state.scenario().to_json().encode(), "scenario.json",
                           "application/json", key="download_json")
        upload = st.file_uploader("Open a scenario file (JSON)", type=["json"], key="upload_json")
        if upload is not None and st.session_state.get("upload_done") != upload.file_id:
            st.session_state["upload_done"] = upload.file_id
            try:
                state.load(Scenario.from_json(upload.getvalue()))
                st.rerun()
            except ValueError as err:
                st.error(f"That file is not a scenario this app can read: {err}. Nothing was changed.")


def fragment_view(view: dict[str, str]) -> None:
    """The view settings of a section drawn in an ``st.fragment``: set them (:func:`ui.state.set_view`) and mirror
    them at once into the address bar (and so the copy link), since a rerun of the fragment alone does not reach
    the end of app.py, which does that after a full run."""
    state.set_view(view)
    state.write_url()


def summary(required: int, page_key: str) -> Analysis | None:
    """The top of a page for ``required`` outcomes: the current scenario's analysis, shown as its sentence and
    metric cards; ``None`` (after explaining the mismatch, see :func:`needs_outcomes`) for another number."""
    if not needs_outcomes(required, page_key):
        return None
    result = analysis(state.scenario())
    sentence(result)
    metric_cards(result)
    return result


def refuse_unless_suitable(reason: str | None, example: str, label: str, key: str) -> None:
    """On a page that cannot show the scenario (``reason``, a sentence from the core's ``…_unsuitable``), say
    why, offer the preset ``example`` (a button labelled ``label``), and end the page there."""
    if reason is None:
        return
    st.warning(f"This page {reason}.")
    if st.button(label, key=key):
        state.load_preset(example)
        st.rerun()
    state.stop_page()


def needs_outcomes(required: int, page_key: str) -> bool:
    """On a page for ``required`` outcomes, explain a mismatch and offer a way out; True if it matches."""
    current = state.scenario()
    if current.n == required:
        return True
    st.warning(f"This page shows scenarios with {required} outcomes; the current one has {current.n} "
               f"({', '.join(current.outcomes)}).")
    for spec in PAGES:
        if spec.key not in (page_key, HOME, "theory") and current.n in spec.outcomes:
            st.page_link(spec.file, label=f"Open it on the {spec.title} page", icon=":material/arrow_forward:")
    examples = {2: "notebook-quadratic", 3: "coordination"}
    if required in examples and st.button(f"Load a {required}-outcome example here", key="load_example"):
        state.load_preset(examples[required])
        st.rerun()
    return False
