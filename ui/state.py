"""The current scenario in the session, and the URL that always mirrors it.

The session holds one validated :class:`~core.model.scenario.Scenario` (the last good one). It arrives
from a link when the session starts, from a preset, from an uploaded file, or from the editor.
Every run ends by writing the scenario (and the page's view settings) into the query string, so
the address bar is always a share link. A bad link or file shows a warning and changes nothing.
"""

from __future__ import annotations

from typing import Callable, Mapping, NoReturn, TypeVar
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from core import PRESETS, SCENARIO_KEYS, get_preset, Scenario

DEFAULT_PRESET = "notebook-quadratic"
T = TypeVar("T")

_SCENARIO = "scenario"
_LOADED = "loaded_scenario"  # the scenario as last loaded: the editor's widgets start from it
_VERSION = "scenario_version"  # bumped when a scenario arrives from outside the editor
_LINK = "initial_link"  # the query string the session started with
_NOTICES = "notices"
_VIEW = "view"  # the current page's view settings, written into the URL after the page ran


def scenario() -> Scenario:
    """The current scenario."""
    return st.session_state[_SCENARIO]


def version() -> int:
    """Changes whenever a scenario is loaded from outside the editor (its widgets then start afresh)."""
    return st.session_state[_VERSION]


def loaded() -> Scenario:
    """The scenario as it was last loaded (before the editor's changes)."""
    return st.session_state[_LOADED]


def load(new: Scenario) -> None:
    """Make ``new`` the current scenario and reset the editor to show it."""
    st.session_state[_SCENARIO] = new
    st.session_state[_LOADED] = new
    st.session_state[_VERSION] = st.session_state.get(_VERSION, 0) + 1


def load_preset(name: str) -> None:
    load(get_preset(name).scenario)


def edit(new: Scenario) -> None:
    """Accept a scenario from the editor (its widgets already show it)."""
    st.session_state[_SCENARIO] = new


def notify(message: str) -> None:
    """Queue a warning to show at the top of the page (for problems found before the page draws)."""
    st.session_state.setdefault(_NOTICES, []).append(message)


def show_notices(where=st) -> None:
    """Show the queued warnings in ``where`` (app.py passes a container at the top of the page, filled after
    the page ran, so that problems the page itself finds, such as a bad view setting, show on the same run)."""
    for message in st.session_state.pop(_NOTICES, []):
        where.warning(message, icon=":material/warning:")


def start() -> None:
    """Once per session: take the scenario from the link, or the default. Every run: honour ``?preset=``."""
    params = {key: st.query_params[key] for key in st.query_params}
    if _SCENARIO not in st.session_state:
        st.session_state[_LINK] = params
        load_preset(DEFAULT_PRESET)
        if SCENARIO_KEYS & params.keys():  # also a stale link with scenario keys but no 'world'
            try:
                load(Scenario.from_query_params(params))
            except ValueError as err:
                notify(f"This link's scenario could not be read ({err}). Showing the default scenario instead.")
    if "preset" in params:
        name = params["preset"]
        if name in PRESETS:
            load_preset(name)
            st.session_state[_LINK] = params  # a preset's link also sets the view (e.g. its pair rule)
        else:
            notify(f"There is no preset called {name!r}; the scenario is unchanged.")
        del st.query_params["preset"]


def link_value(key: str, parse: Callable[[str], T], default: T) -> T:
    """A view setting from the link the session started with, or ``default`` if absent or bad.

    A bad setting is reported once and then forgotten (the page asks again on every run).
    """
    link = st.session_state.get(_LINK, {})
    text = link.get(key)
    if text is None:
        return default
    try:
        return parse(text)
    except ValueError:
        del link[key]
        notify(f"The link's {key!r} setting ({text!r}) is not valid; using {default!r}.")
        return default


def bounded(parse: Callable[[str], T], lo: T, hi: T) -> Callable[[str], T]:
    """``parse``, then ``ValueError`` unless lo <= value <= hi (NaN fails too): for :func:`link_value`."""

    def checked(text: str) -> T:
        value = parse(text)
        if not lo <= value <= hi:
            raise ValueError(f"{value!r} is outside [{lo}, {hi}]")
        return value

    return checked


def one_of(choices: Mapping[str, object] | set[str]) -> Callable[[str], str]:
    """A parser for :func:`link_value` that accepts only the given names."""

    def checked(text: str) -> str:
        if text not in choices:
            raise ValueError(f"{text!r} is not one of {', '.join(choices)}")
        return text

    return checked


def set_view(view: Mapping[str, str]) -> None:
    """The page's own settings (beside the scenario) that belong in its share link."""
    st.session_state[_VIEW] = dict(view)


def view() -> dict[str, str]:
    return st.session_state.get(_VIEW, {})


def clear_view() -> None:
    st.session_state[_VIEW] = {}


class PageStopped(Exception):
    """Raised by :func:`stop_page`; app.py catches it around the page."""


def stop_page() -> NoReturn:
    """End the page here, like ``st.stop()``, but let the run finish: app.py still shows the notices, fills
    the share link and writes the URL. (After ``st.stop()`` Streamlit runs nothing more, so a page that
    refuses the scenario would leave an address bar that no longer reopens it.)"""
    raise PageStopped


def write_url() -> None:
    """Mirror the scenario and the page's view settings into the address bar."""
    wanted = scenario().to_query_params() | view()
    if {key: st.query_params[key] for key in st.query_params} != wanted:
        st.query_params.from_dict(wanted)


def page_url(key: str, params: Mapping[str, str]) -> str:
    """The address of the app's page ``key`` carrying ``params`` (the pages sit side by side under one path)."""
    base = urlsplit(st.context.url or "")
    path = base.path.rsplit("/", 1)[0] + "/" + key
    return urlunsplit((base.scheme, base.netloc, path, urlencode(params), ""))
