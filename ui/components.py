"""Small display pieces the pages share: metric cards, the sentence, the results table, sharing."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.analysis import Analysis
from core.explain import describe, describe_certificate
from core.model.scenario import Scenario
from ui import state
from ui.compute import analysis
from ui.pages import HOME, PAGES

_LINK_SLOT = "share_link_slot"  # the copy link's place in the sidebar, from the last full run
TABLE_ROWS, TABLE_HEIGHT = 14, 560  # a table longer than this many rows scrolls in a box this many pixels high


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
    st.info(describe(result), icon=":material/lightbulb:")


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
    """A read-only table, drawn as static HTML: the interactive grid (``st.dataframe``) is the slowest thing a
    rerun redraws in the browser. Numbers show four significant digits (the CSV downloads carry them all);
    a long table scrolls inside a box of about :data:`TABLE_ROWS` rows."""
    numbers = list(frame.select_dtypes("number").columns)
    styled = frame.style.hide(axis="index").format(_fmt, subset=numbers)
    (st.container(height=TABLE_HEIGHT) if len(frame) > TABLE_ROWS else st.container()).table(styled)


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
    """Whether the set of fixed points is complete (:func:`certificate_note`), and the results table with its CSV."""
    certificate_note(result)
    frame = results_table(result.report())
    table(frame)
    st.download_button("Download the results (CSV)", frame.to_csv(index=False).encode(), f"{file_stem}.csv",
                       "text/csv", key="download_csv")


def share_controls():
    """Copy link, download and upload of the scenario (sidebar).

    Returns the place for the copy link: fill it with :func:`show_share_link` after the page ran, when the
    page's own view settings (``state.set_view``) are known; drawn earlier, the link would lag one run behind.
    """
    with st.sidebar.expander("Share and save", expanded=False):
        st.caption("The address bar always holds this view. Copy it from here:")
        link = st.empty()
        st.session_state[_LINK_SLOT] = link  # for fragment_view, which runs without app.py
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
    return link


def show_share_link(where) -> None:
    """The full address of the current view (scenario and the page's view settings), ready to copy."""
    where.code(state.share_url(), language=None, wrap_lines=True)


def fragment_view(view: dict[str, str]) -> None:
    """The view settings of a section drawn in an ``st.fragment``: set them (:func:`ui.state.set_view`) and mirror
    them at once into the address bar and the copy link, since a rerun of the fragment alone does not reach the
    end of app.py, which does that after a full run."""
    state.set_view(view)
    state.write_url()
    show_share_link(st.session_state[_LINK_SLOT])


def summary(required: int, page_key: str) -> Analysis | None:
    """The top of a page for ``required`` outcomes: the current scenario's analysis, shown as its sentence and
    metric cards; ``None`` (after explaining the mismatch, see :func:`needs_outcomes`) for another number."""
    if not needs_outcomes(required, page_key):
        return None
    result = analysis(state.scenario())
    sentence(result)
    metric_cards(result)
    return result


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
