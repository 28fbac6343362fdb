"""Hostile input at every door of the app: links on every page, the sidebar's editor, and uploaded files.

Property-based (hypothesis, derandomized so that CI is reproducible): whatever arrives, no page shows an
exception; a problem gets a message that names the field; and the session keeps the last good scenario.
The expected scenario and messages come from the core (``Scenario.from_query_params``/``from_json``), which
is tested on its own in tests/core/model/test_scenario.py; here the question is whether the pages honour it.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.model.presets import PRESETS
from core.model.scenario import MAX_DOCUMENT_BYTES, SCENARIO_KEYS, Scenario
from tests.core.scenario_strategies import FIELD_PREFIX, json_values, nasty_text
from streamlit.testing.v1 import AppTest

from tests.pages.helpers import APP, PAGES, SWITCH_AFTER_FIRST_RUN, TITLES, errors, open_app, params_of, rerun, \
    scenario_of, warnings
from ui.state import DEFAULT_PRESET

#: Small enough to keep the suite fast (each example is a fresh session of the app), derandomized for CI.
HOSTILE = settings(max_examples=20, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
#: The pages' own view settings (ui.state.link_value), beside the scenario.
VIEW_KEYS = ("start", "steps", "pair", "train_eps", "train_lr", "train_steps", "train_sampled", "train_variants",
             "k", "pool", "payment", "market_steps", "market_lr", "market_seed", "joint_k",
             "dyn_steps", "dyn_start", "dyn_seed", "dyn_method", "dyn_eta",
             "mode", "param", "from", "to", "num", "param2", "from2", "to2", "num2", "quantity", "plot", "point",
             "study_sampler", "study_outcomes", "study_rule", "study_worlds", "study_seed")
KEYS = sorted(SCENARIO_KEYS) + list(VIEW_KEYS) + ["preset"]
#: The warnings a page may show about a link, and what each must name.
LINK_WARNING = re.compile(r"^This link's scenario could not be read \((?P<message>.*)\)\. Showing the default")
VIEW_WARNING = re.compile(r"^The link's '(?P<key>[a-z_0-9]+)' setting \(.*\) is not valid; using ")
PRESET_WARNING = re.compile(r"^There is no preset called '.*'; the scenario is unchanged\.$", re.S)
PAGE_WARNINGS = ("This page shows scenarios with", "This page needs a human who best-responds or uses softmax",
                 "This page needs a world without jumps")
DEFAULT = PRESETS[DEFAULT_PRESET].scenario


@st.composite
def hostile_links(draw: st.DrawFn) -> dict[str, str | list[str]]:
    """A preset's link (or none) with a few parameters replaced, removed, repeated or added."""
    base = draw(st.sampled_from([None, *PRESETS]))
    link: dict[str, str | list[str]] = {} if base is None else dict(PRESETS[base].scenario.to_query_params())
    for _ in range(draw(st.integers(1, 3))):
        key = draw(st.sampled_from(KEYS) | st.text(min_size=1, max_size=8))
        action = draw(st.sampled_from(["set", "set", "set", "remove", "repeat"]))
        if action == "remove":
            link.pop(key, None)
        elif action == "repeat":  # ?beta=1&beta=nan: Streamlit reads the last one
            link[key] = [draw(nasty_text), draw(nasty_text)]
        else:
            link[key] = draw(nasty_text)
    return link


def expected_from(link: dict[str, str | list[str]]) -> tuple[Scenario, str | None]:
    """The scenario the session must hold after opening ``link``, and the core's complaint about it (if any)."""
    flat = {key: value[-1] if isinstance(value, list) else value for key, value in link.items()}
    scenario, complaint = DEFAULT, None
    if SCENARIO_KEYS & flat.keys():
        try:
            scenario = Scenario.from_query_params(flat)
        except ValueError as err:
            complaint = str(err)
    if flat.get("preset") in PRESETS:
        scenario = PRESETS[flat["preset"]].scenario
    return scenario, complaint


def check_warnings(found: list[str], complaint: str | None) -> None:
    """Every warning is one the app means to give and names what it is about; the core's complaint is shown."""
    for text in found:
        if match := LINK_WARNING.match(text):
            assert re.match(FIELD_PREFIX, match["message"]), text
        elif match := VIEW_WARNING.match(text):
            assert match["key"] in VIEW_KEYS, text
        else:
            assert PRESET_WARNING.match(text) or text.startswith(PAGE_WARNINGS), text
    if complaint is not None:
        assert any(complaint in text for text in found), (complaint, found)


def open_link(page: str, link: dict[str, str | list[str]]) -> tuple[AppTest, list[str]]:
    """Like ``open_app``, but also keeps the warnings of the first run: AppTest opens some pages only after
    a first run on the home page (see helpers.SWITCH_AFTER_FIRST_RUN), where the link's warnings then show."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in link.items():
        at.query_params[key] = value
    shown = warnings(rerun(at)) if page in SWITCH_AFTER_FIRST_RUN else []
    if page != "home":
        at.switch_page(PAGES[page])
    shown += warnings(rerun(at))
    assert [t.value for t in at.title][:1] == [TITLES[page]]
    return at, shown


@pytest.mark.parametrize("page", list(PAGES))
@HOSTILE
@given(link=hostile_links())
def test_any_link_on_any_page(page: str, link: dict[str, str | list[str]]) -> None:
    at, shown = open_link(page, link)  # no exception shown (rerun asserts it), and the page asked for
    scenario, complaint = expected_from(link)
    assert scenario_of(at) == scenario
    check_warnings(shown, complaint)
    # The address bar now holds a clean link that reopens the same scenario.
    assert Scenario.from_query_params(params_of(at)) == scenario
    assert "preset" not in params_of(at)
    assert not at.exception


#: Each page's own view settings, and a preset the page can show, for links aimed at its controls.
PAGE_VIEWS = {
    "sweep": ("coordination", ("mode", "param", "from", "to", "num", "param2", "from2", "to2", "num2", "quantity",
                               "plot", "point")),
    "studies": ("notebook-log", ("study_sampler", "study_outcomes", "study_rule", "study_worlds", "study_seed")),
    "markets": ("route-choice", ("k", "pool", "payment", "market_steps", "market_lr", "market_seed")),
    "dynamics": ("notebook-log", ("dyn_steps", "dyn_start", "dyn_seed", "dyn_method", "dyn_eta")),
    "decisions": ("decision-example", ("pair", "train_eps", "train_lr", "train_steps", "train_sampled",
                                       "train_variants", "joint_k")),
}
#: Values that ask for the most a control allows, or more, or nothing a number can be.
BIG = st.sampled_from(["1e9", "1000000", "10001", "501", "51", "7", "-1", "0", "nan", "inf", "-inf", "1e308",
                       "map", "diagram", "lmsr", "zero-sum", "world.beta", "rule.param", "A[0][0]"])


@st.composite
def view_links(draw: st.DrawFn, page: str) -> dict[str, str]:
    preset, keys = PAGE_VIEWS[page]
    link = {"preset": preset}
    for key in draw(st.lists(st.sampled_from(keys), min_size=1, max_size=len(keys), unique=True)):
        link[key] = draw(BIG | nasty_text)
    return link


@pytest.mark.parametrize("page", list(PAGE_VIEWS))
@HOSTILE
@given(data=st.data())
def test_any_view_setting_on_its_page(page: str, data) -> None:
    # The page's own controls, pushed to their limits and past them: a message, never an exception, and the
    # scenario the link names.
    link = data.draw(view_links(page))
    at, shown = open_link(page, link)
    assert scenario_of(at) == PRESETS[link["preset"]].scenario
    check_warnings(shown, None)
    assert not at.exception


# --- uploads -----------------------------------------------------------------------------------------------


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


DOCUMENT_FIELDS = ["version", "outcomes", "world", "rule", "extra", "world.kind", "world.Q", "world.U",
                   "world.beta", "world.actions", "world.threshold_outcome", "world.alpha", "world.steepness",
                   "world.A", "world.c", "rule.kind", "rule.param"]


@st.composite
def hostile_documents(draw: st.DrawFn) -> bytes:
    """A preset's document with one field replaced by any JSON value, or a document that is not one."""
    doc = PRESETS[draw(st.sampled_from(list(PRESETS)))].scenario.to_dict()
    path = draw(st.sampled_from(DOCUMENT_FIELDS))
    *parents, last = path.split(".")
    target = doc
    for part in parents:
        target = target[part]
    target[last] = draw(json_values | st.sampled_from([0, 2, 1.0, "1", None, 1e308, -1e308, 10**400]))
    return draw(st.just(json.dumps(doc).encode()) | st.sampled_from([
        _nested(100_000), b"", b"null", b"\xff\xfe", json.dumps(doc, allow_nan=True).replace("0.", "NaN.").encode(),
        b" " * (MAX_DOCUMENT_BYTES + 1), json.dumps({**doc, "version": 2}).encode(),
    ]))


def upload(at, content: bytes) -> None:
    (uploader,) = at.sidebar.file_uploader
    uploader.set_value(("scenario.json", content, "application/json"))
    rerun(at)


@HOSTILE
@given(content=hostile_documents())
def test_any_file_becomes_the_scenario_or_changes_nothing(content: bytes) -> None:
    at = open_app("scoring-rules", {"preset": "route-choice"})
    link = params_of(at)
    upload(at, content)
    try:
        expected = Scenario.from_json(content)
    except ValueError as err:
        (message,) = errors(at.sidebar)
        assert message.startswith("That file is not a scenario this app can read: ")
        assert str(err) in message and re.match(FIELD_PREFIX, str(err)), message
        assert scenario_of(at) == PRESETS["route-choice"].scenario  # the last good scenario stays
        assert params_of(at) == link
        return
    assert not errors(at)
    assert scenario_of(at) == expected
    assert Scenario.from_query_params(params_of(at)) == expected


# --- the sidebar's editor ----------------------------------------------------------------------------------

hostile_numbers = st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e308, -1e308, -1.0, 0.0, 1e6, 1e100,
                                   501.0, 5e-324]) | st.floats()


def _sidebar(at, kind: str, label: str):
    (widget,) = [w for w in getattr(at.sidebar, kind) if w.label.startswith(label)]
    return widget


@st.composite
def hostile_edits(draw: st.DrawFn) -> tuple[str, Any]:
    """One edit a user (or a hand-crafted request) can make in the editor of the route-choice scenario."""
    return draw(st.one_of(
        st.tuples(st.just("names"), nasty_text),
        st.tuples(st.just("rule_param"), hostile_numbers),
        st.tuples(st.sampled_from(["P(jam on A)", "U(no jam)"]), hostile_numbers),
        st.tuples(st.just("policy"), st.sampled_from(["threshold", "best_response", "softmax"])),
    ))


@HOSTILE
@given(edit=hostile_edits())
def test_any_edit_becomes_the_scenario_or_changes_nothing(edit: tuple[str, Any]) -> None:
    at = open_app("triangle", {"preset": "route-choice"})
    before = scenario_of(at)
    field, value = edit
    if field == "names":
        _sidebar(at, "text_input", "Outcome names").set_value(value)
    elif field == "rule_param":
        _sidebar(at, "selectbox", "Scoring rule").set_value("power")
        rerun(at)
        _sidebar(at, "number_input", "alpha").set_value(value)
    elif field == "policy":
        _sidebar(at, "selectbox", "Policy").set_value(value)
    else:
        (editor,) = at.data_editor
        at.session_state[editor.key] = {"edited_rows": {0: {field: value}}, "added_rows": [], "deleted_rows": []}
    rerun(at)
    found = errors(at.sidebar)
    if found:  # refused: the message names the field, and the last good scenario stays
        assert len(found) == 1 and re.match(FIELD_PREFIX, found[0]), found
        if field != "rule_param":  # (choosing the power rule was itself a good edit)
            assert scenario_of(at) == before
    assert Scenario.from_query_params(params_of(at)) == scenario_of(at)


@pytest.mark.parametrize("field, value, label", [("beta", "500.0", "rationality β"),
                                                 ("steepness", "1000.0", "steepness k")])
def test_a_value_beyond_a_sliders_range_is_shown_and_kept(field: str, value: str, label: str) -> None:
    """A link may carry what the core accepts but the slider's usual range does not reach (β ≤ 1000, but the
    slider's range is 0 to 50). The slider's range then widens to the value (Streamlit does this, and the
    editor relies on it) rather than clamping it: a clamped slider would show a number the scenario does not
    hold, and the next unrelated edit would silently change the scenario."""
    preset = "self-defeating-softmax" if field == "beta" else "bank-run"
    link = {**PRESETS[preset].scenario.to_query_params(), field: value}
    at = open_app("binary", link)
    assert not warnings(at)
    (slider,) = [s for s in at.sidebar.slider if s.label == label]
    assert slider.value == float(value) and slider.max >= float(value)
    other = next(s for s in at.sidebar.slider if s.label != label)  # an unrelated edit keeps the value
    other.set_value(other.value + (0.01 if other.value < other.max else -0.01))
    rerun(at)
    assert getattr(scenario_of(at).world, field) == float(value)
    assert params_of(at)[field] == value
