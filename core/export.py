"""Any page's view as code: a short Python script or a Jupyter notebook that rebuilds the scenario and the page's
settings through the public ``core`` API, prints the numbers the page shows (its tables, from
:mod:`core.tables`, and its sentences) and draws its charts with the app's own figure builders (plotly).

A view is a page and its settings, the ones its share link carries (``dyn_method``, ``k``, ``sw_param`` …):
:func:`export` takes them as the link's text, :func:`read_link` reads them from an address the app wrote.
Settings the link leaves out take the page's defaults.

Nothing a user typed becomes code. The scenario travels as its JSON document, read back by
:meth:`core.model.scenario.Scenario.from_json`, inside one string literal written by :func:`repr`; each
setting is parsed first (a number, a whole number, one of the page's names) and written as the :func:`repr`
of that value. The code runs from the project's folder (it imports ``core`` and ``figures``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from core.decisions import PAIR_RULES
from core.decisions import unsuitable as decision_unsuitable
from core.learning.dynamics import METHODS as DYNAMICS_METHODS
from core.markets import MAX_PREDICTORS, PAYMENTS, POOLS
from core.markets import unsuitable as market_unsuitable
from core.model import RULE_KINDS, SCENARIO_KEYS, get_preset, PRESETS
from core.model.scenario import Scenario
from core.studies import SAMPLERS, StudySpec
from core.sweeps.diagram import MAX_VALUES, check_range, plotted_axis
from core.sweeps.fields import default_field, default_range, numeric_fields, parse_range
from core.sweeps.grid import MAX_CELLS, QUANTITIES
from core.tables import DEFAULT_VARIANTS, variant_names

FORMATS = ("py", "ipynb")


# --- settings: parsed from the link's text, written as Python literals ---------------------------------------


def _whole(lo: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = int(text)
        if value < lo:
            raise ValueError(f"needs a whole number of at least {lo}")
        return value
    return parse


def _number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("needs a finite number")
    return value


def _one_of(names) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in names:
            raise ValueError(f"choose one of {', '.join(names)}")
        return text
    return parse


def _flag(text: str) -> bool:
    return _one_of(("0", "1"))(text) == "1"


def _variants(text: str) -> tuple[str, ...]:
    return tuple(variant_names(text))


@dataclass(frozen=True)
class Setting:
    """One setting of a page: its link key, the variable the code names it by, how its text is read, and its
    default (a value, or computed from the scenario and the settings read before it)."""

    key: str
    variable: str
    parse: Callable[[str], object]
    default: object

    def default_for(self, scenario: Scenario, values: Mapping[str, object]) -> object:
        return self.default(scenario, values) if callable(self.default) else self.default


def _field_default(second: bool) -> Callable:
    def default(scenario: Scenario, values: Mapping[str, object]) -> str:
        fields = numeric_fields(scenario)
        return fields[min(1, len(fields) - 1)] if second else default_field(scenario)
    return default


def _range_default(variable: str, end: int) -> Callable:
    return lambda scenario, values: default_range(scenario, values[variable])[end]


@dataclass(frozen=True)
class View:
    """A page as code: its title, the numbers of outcomes it draws, its settings, and the code of its numbers and
    charts, built from the scenario and the parsed settings."""

    title: str
    outcomes: tuple[int, ...] | None  # None: any number
    settings: tuple[Setting, ...]
    numbers: Callable[[Scenario, Mapping[str, object]], str]
    charts: Callable[[Scenario, Mapping[str, object]], str]
    check: Callable[[Scenario, Mapping[str, object]], None] = field(default=lambda scenario, values: None)
    needs_scenario: bool = True
    #: The keys of the settings its code uses (the others are not written); None: all.
    uses: Callable[[Scenario, Mapping[str, object]], set[str]] | None = None

    def used(self, scenario: Scenario, values: Mapping[str, object]) -> list[Setting]:
        keys = None if self.uses is None else self.uses(scenario, values)
        return [s for s in self.settings if keys is None or s.key in keys]


# --- each page's code -----------------------------------------------------------------------------------------

_SHOW = "import plotly.graph_objects as go\n"


def _binary_numbers(scenario, values) -> str:
    return '''import json

from core import analyze, curves

analysis = analyze(scenario)
# The page's results table and metric cards are this report.
print(json.dumps(analysis.report(), indent=2))'''


def _binary_charts(scenario, values) -> str:
    return _SHOW + '''from figures.binary import binary_map_figure, binary_score_figure, cobweb_figure

curve = curves.binary_curve(scenario.world)
responds, held = curves.binary_scores(scenario.rule, scenario.world, curve.x, analysis.optimum.f)
go.Figure(binary_map_figure(analysis, curve)).show()
go.Figure(binary_score_figure(analysis, curve.x, responds, held)).show()
go.Figure(cobweb_figure(analysis, curve, curves.cobweb(scenario.world, start, rounds))).show()'''


def _triangle_charts(scenario, values) -> str:
    return _SHOW + '''from figures.triangle import triangle_figure

grid, field = curves.triangle_grid(scenario.world, scenario.rule), curves.arrow_field(scenario.world)
go.Figure(triangle_figure(analysis, grid, field)).show()'''


def _rules_numbers(scenario, values) -> str:
    return '''from core import tables

comparison = tables.rule_comparison(scenario)
print(tables.records(comparison))'''


def _rules_charts(scenario, values) -> str:
    code = _SHOW + '''from core import g_curves
from figures.scoring_rules import g_figure, rules_bar_figure

go.Figure(rules_bar_figure(list(comparison["rule"]), list(comparison["inaccuracy"]),
                           list(comparison["bound"]))).show()'''
    if scenario.n == 2:
        code += '''
go.Figure(g_figure(g_curves(tables.comparable_rules(scenario)), scenario.outcomes[0])).show()'''
    return code


def _dynamics_numbers(scenario, values) -> str:
    return '''import pandas as pd

from core import DYNAMICS_METHODS, analyze, describe_dynamics, tables, views

analysis = analyze(scenario)
runs = views.basins(analysis, method, step_size, rounds, seed)
print(describe_dynamics(DYNAMICS_METHODS[method], None if method == "repeated" else step_size, rounds,
                        runs["labels"], runs["where"], scenario.outcomes))
# Predicted and observed, at every end point:
print(tables.records(pd.DataFrame(views.prediction_rows(analysis, method, step_size, rounds, seed,
                                                        runs["labels"]))))'''


def _dynamics_charts(scenario, values) -> str:
    if scenario.n == 2:
        return _SHOW + '''from core import curves
from figures.binary import cobweb_figure
from figures.dynamics import paths_figure

marks = {label: float(p[0]) for label, p in runs["where"].items()} | {"p̂": float(analysis.optimum.p[0])}
paths = views.method_paths(scenario, (start, 1.0 - start), step_size, rounds, seed)
go.Figure(paths_figure(paths, scenario.outcomes[0], marks)).show()
curve, path = curves.binary_curve(scenario.world), curves.cobweb(scenario.world, start, min(rounds, 60))
go.Figure(cobweb_figure(analysis, curve, path)).show()'''
    if scenario.n == 3:
        return _SHOW + '''from figures.dynamics import basins_figure, trajectories_figure

paths = views.trajectories(scenario, method, step_size, rounds, seed)
go.Figure(trajectories_figure(paths, scenario.outcomes, runs["where"])).show()
go.Figure(basins_figure(runs["starts"], runs["labels"], scenario.outcomes, runs["where"])).show()'''
    return ""


def _decisions_check(scenario, values) -> None:
    if (reason := decision_unsuitable(scenario)) is not None:
        raise ValueError(f"--view: the decisions page {reason}")


def _decisions_numbers(scenario, values) -> str:
    trains = bool(values["train_variants"])
    code = '''from core import (JOINT_RULES, DecisionProblem, describe_decision, dishonest_equilibrium, joint_honest,
                  ''' + ("mean_curves, " if trains else "") + '''mechanisms, tables)

problem, rule, actions = DecisionProblem.from_scenario(scenario), scenario.rule, scenario.world.actions
honest, single, pair = mechanisms(problem, rule, pair_rule)
equilibria = dishonest_equilibrium(problem, rule, pair_rule)
worst = tables.dishonest_mechanism(problem, rule, equilibria)
print(describe_decision(actions, scenario.outcomes, honest, single, pair, equilibria))
print(tables.records(tables.mechanisms(actions, scenario.outcomes, (honest, single, pair, worst))))
# Many predictors under the joint rule:
print(tables.records(tables.joint(actions, [joint_honest(problem, rule, predictors, r) for r in JOINT_RULES])))'''
    if trains:
        code += '''
# Training:
training = mean_curves(problem.with_epsilon(epsilon), rule, pair_rule, step_size, steps, sampled, variants)
print(tables.records(tables.training(actions, scenario.outcomes[0], training)))'''
    return code


def _decisions_charts(scenario, values) -> str:
    code = _SHOW + '''from figures.decisions import learning_figure, reports_figure
from figures.decisions_equilibria import equilibrium_values_figure

go.Figure(reports_figure(actions, scenario.outcomes[0], scenario.world.q, [honest, single, pair])).show()
if (found := equilibria.dishonest) is not None:
    go.Figure(equilibrium_values_figure(actions, found.truth, found.seen, found.reach_low, found.reach_high,
                                        found.action_probs)).show()'''
    if values["train_variants"]:
        code += '''
labelled = {tables.VARIANTS[v]: c for v, c in training.items()}
go.Figure(learning_figure(labelled, actions, "distance", "Distance of each action's report from the truth",
                          "‖P[a] − Q[a]‖")).show()
go.Figure(learning_figure(labelled, actions, "utility", "The human's expected utility", "utility")).show()'''
    return code


def _markets_check(scenario, values) -> None:
    if (reason := market_unsuitable(scenario)) is not None:
        raise ValueError(f"--view: the markets page {reason}")
    if values["k"] > MAX_PREDICTORS:
        raise ValueError(f"k: a market has at most {MAX_PREDICTORS} predictors, not {values['k']}")


def _markets_numbers(scenario, values) -> str:
    if values["pool"] == "lmsr":  # as the page: the first traders of one market of the most
        return '''from core import CURVE_KS, MAX_PREDICTORS, Market, analyze_market, describe_market, first_traders, tables

ks = sorted(set(CURVE_KS) | {k})
largest = analyze_market(Market.equal(scenario.world, scenario.rule, MAX_PREDICTORS, pool, payment))
found, single = first_traders(largest, [k, 1])
curve = first_traders(largest, ks)
print(describe_market(found, single))
print(tables.records(tables.market(found, scenario.outcomes, k, maker=True)))'''
    return '''import numpy as np

from core import CURVE_KS, MARKET_METHODS, Market, analyze_market, describe_market, tables, train_market

ks = sorted(set(CURVE_KS) | {k})
curve = [analyze_market(Market.equal(scenario.world, scenario.rule, j, pool, payment)) for j in ks]
found, single = curve[ks.index(k)], curve[0]
print(describe_market(found, single))
print(tables.records(tables.market(found, scenario.outcomes, k, maker=False)))
# Learning together:
market = Market.equal(scenario.world, scenario.rule, k, pool, payment)
fixed = np.array([fp.p for fp in found.fixed_points]).reshape(-1, scenario.n)
runs = {m: train_market(market, m, rounds, step_size, seed, fixed) for m in MARKET_METHODS}
print(tables.records(tables.market_learning(scenario.outcomes, runs)))'''


def _markets_charts(scenario, values) -> str:
    maker = values["pool"] == "lmsr"
    curve = "curves.binary_curve(scenario.world)" if scenario.n == 2 else "None"
    return _SHOW + ("from core import curves\n" if scenario.n == 2 else "") + \
        "from figures.markets import distance_curve_figure, " + ("" if maker else "market_learning_figure, ") + \
        f"""market_map_figure

go.Figure(market_map_figure(scenario.outcomes, found, single, {curve})).show()
go.Figure(distance_curve_figure(ks, curve, k)).show()""" + ("" if maker else """
go.Figure(market_learning_figure({MARKET_METHODS[m]: r["distance"] for m, r in runs.items()})).show()""")


def _sweep_check(scenario, values) -> None:
    fields = numeric_fields(scenario)
    if not fields:
        raise ValueError("--view: this scenario has no number to vary")
    if values["mode"] == "diagram":
        check_range(scenario, values["param"], values["from"], values["to"], values["num"])
        plotted_axis(scenario.outcomes, values["plot"], values["point"])
    else:
        for suffix in ("", "2"):
            parse_range(scenario, values["param" + suffix], values["from" + suffix], values["to" + suffix],
                        values["num" + suffix], MAX_CELLS)


def _sweep_numbers(scenario, values) -> str:
    if values["mode"] == "diagram":
        return '''from core import describe_diagram, sweep

diagram = sweep(scenario, field, start, stop, values)
print(describe_diagram(diagram))
print(diagram.to_csv())'''
    return '''from core import sweep_grid

result = sweep_grid(scenario, (field, start, stop, values), (field2, start2, stop2, values2), quantity)
print(result.to_csv())'''


def _sweep_charts(scenario, values) -> str:
    if values["mode"] == "diagram":
        return _SHOW + '''from core import plotted_axis
from figures.sweep import diagram_figure

what, title = plotted_axis(scenario.outcomes''' + (", plot, point" if scenario.n > 2 else "") + ''')
go.Figure(diagram_figure(diagram, what, title)).show()'''
    return _SHOW + '''from figures.sweep import map_figure

go.Figure(map_figure(result)).show()'''


def _studies_check(scenario, values) -> None:
    StudySpec(sampler=values["study_sampler"], outcomes=values["study_outcomes"], rule=values["study_rule"])


def _studies_numbers(scenario, values) -> str:
    return '''import json

from core import StudySpec, frame, run_study, summarize, tables, worst_rows

spec = StudySpec(sampler=sampler, outcomes=outcomes, rule=rule)
result = run_study(spec, worlds, seed)
print(json.dumps(summarize(spec, seed, result), indent=2))
by, worst = worst_rows(result, tables.WORST_WORLDS)
# The worst worlds (largest inaccuracy / bound, or inaccuracy where no theorem applies):
print(tables.records(tables.worst_worlds(frame(result).iloc[worst])))'''


def _studies_charts(scenario, values) -> str:
    code = _SHOW + '''from figures.studies import bound_scatter_figure, histograms_figure

go.Figure(histograms_figure(result)).show()'''
    if values["study_sampler"] == "matrix":
        code += '''
from core import bound_slope
go.Figure(bound_scatter_figure(result["norm_T"], result["inaccuracy"], bound_slope(spec), worst)).show()'''
    return code


VIEWS: dict[str, View] = {
    "binary": View("Two outcomes", (2,), (Setting("start", "start", _number, 0.9), Setting("steps", "rounds", _whole(1), 12)),
                   _binary_numbers, _binary_charts),
    "triangle": View("Three outcomes", (3,), (), _binary_numbers, _triangle_charts),
    "scoring-rules": View("Scoring rules side by side", None, (), _rules_numbers, _rules_charts),
    "dynamics": View("Dynamics", None, (
        Setting("dyn_method", "method", _one_of(tuple(DYNAMICS_METHODS)), "stop-gradient"),
        Setting("dyn_eta", "step_size", _number, 0.05), Setting("dyn_steps", "rounds", _whole(1), 300),
        Setting("dyn_seed", "seed", _whole(0), 0), Setting("dyn_start", "start", _number, 0.9)),
        _dynamics_numbers, _dynamics_charts,
        uses=lambda scenario, values: {"dyn_method", "dyn_eta", "dyn_steps", "dyn_seed"} | (
            {"dyn_start"} if scenario.n == 2 else set())),
    "decisions": View("Decisions", None, (
        Setting("pair", "pair_rule", _one_of(tuple(PAIR_RULES)), "optimistic"),
        Setting("joint_k", "predictors", _whole(2), 3), Setting("train_eps", "epsilon", _number, 0.0),
        Setting("train_lr", "step_size", _number, 0.5), Setting("train_steps", "steps", _whole(1), 400),
        Setting("train_sampled", "sampled", _flag, False),
        Setting("train_variants", "variants", _variants, DEFAULT_VARIANTS)),
        _decisions_numbers, _decisions_charts, _decisions_check),
    "markets": View("Markets", (2, 3), (
        Setting("k", "k", _whole(1), 10), Setting("pool", "pool", _one_of(POOLS), "linear"),
        Setting("payment", "payment", _one_of(PAYMENTS), "own"),
        Setting("market_steps", "rounds", _whole(1), 500), Setting("market_lr", "step_size", _number, 0.02),
        Setting("market_seed", "seed", _whole(0), 0)),
        _markets_numbers, _markets_charts, _markets_check,
        uses=lambda scenario, values: {"k", "pool", "payment"} | (
            set() if values["pool"] == "lmsr" else {"market_steps", "market_lr", "market_seed"})),
    "sweep": View("Sweeps", None, (
        Setting("mode", "mode", _one_of(("diagram", "map")), "diagram"),
        Setting("param", "field", str, _field_default(False)),
        Setting("from", "start", _number, _range_default("param", 0)),
        Setting("to", "stop", _number, _range_default("param", 1)),
        Setting("num", "values", _whole(2), 101),
        Setting("param2", "field2", str, _field_default(True)),
        Setting("from2", "start2", _number, _range_default("param2", 0)),
        Setting("to2", "stop2", _number, _range_default("param2", 1)),
        Setting("num2", "values2", _whole(2), 41),
        Setting("quantity", "quantity", _one_of(tuple(QUANTITIES)), "inaccuracy"),
        Setting("plot", "plot", str, "0"), Setting("point", "point", str, "")),
        _sweep_numbers, _sweep_charts, _sweep_check,
        uses=lambda scenario, values: {"mode", "param", "from", "to", "num"} | (
            ({"plot", "point"} if scenario.n > 2 else set()) if values["mode"] == "diagram" else {"param2", "from2", "to2", "num2", "quantity"})),
    "studies": View("Studies across many worlds", None, (
        Setting("study_sampler", "sampler", _one_of(SAMPLERS), "matrix"),
        Setting("study_outcomes", "outcomes", _whole(2), 5),
        Setting("study_rule", "rule", _one_of(tuple(RULE_KINDS)), "quadratic"),
        Setting("study_worlds", "worlds", _whole(1), 2000), Setting("study_seed", "seed", _whole(0), 0)),
        _studies_numbers, _studies_charts, _studies_check, needs_scenario=False),
}
def settings(scenario: Scenario, view: str, link: Mapping[str, str] | None = None) -> dict[str, object]:
    """The view's settings read from ``link`` (the text of a share link's parameters; other keys are ignored),
    each missing one at the page's default. ``ValueError`` naming the setting if one is bad."""
    spec = _view(view)
    values: dict[str, object] = {}
    for setting in spec.settings:
        text = (link or {}).get(setting.key)
        if text is None:
            values[setting.key] = setting.default_for(scenario, values)
            continue
        try:
            values[setting.key] = setting.parse(text)
        except ValueError as err:
            raise ValueError(f"{setting.key}: {text!r} is not valid ({err})") from None
    spec.check(scenario, values)
    return values


def _view(view: str) -> View:
    if view not in VIEWS:
        raise ValueError(f"--view: choose one of {', '.join(VIEWS)}, not {view!r}")
    return VIEWS[view]


def cells(scenario: Scenario, view: str, link: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """The export as (kind, text) cells: ``"markdown"`` or ``"code"``."""
    spec = _view(view)
    if spec.outcomes is not None and scenario.n not in spec.outcomes:
        raise ValueError(f"--view: the {view} page shows {' or '.join(map(str, spec.outcomes))} outcomes; this "
                         f"scenario has {scenario.n}")
    values = settings(scenario, view, link)
    setup = []
    if spec.needs_scenario:
        setup.append("from core import Scenario\n\n"
                     f"scenario = Scenario.from_json({json.dumps(scenario.to_dict(), allow_nan=False)!r})")
    if used := spec.used(scenario, values):
        setup.append("# The page's settings, as its link gives them.\n" + "\n".join(
            f"{s.variable} = {values[s.key]!r}" for s in used))
    about = (f"the scenario with outcomes {', '.join(scenario.outcomes)}" if spec.needs_scenario
             else "a study of random worlds")
    out = [("markdown", f"# {spec.title}\n\nThe app's *{spec.title}* page for {about}, rebuilt with the public "
                        "`core` API: its numbers, then its charts. Run it from the project's folder."),
           ("code", "\n\n".join(setup)),
           ("code", spec.numbers(scenario, values))]
    if charts := spec.charts(scenario, values):
        out.append(("code", charts))
    return out


def script(scenario: Scenario, view: str, link: Mapping[str, str] | None = None) -> str:
    """The export as one Python script."""
    parts = []
    for kind, text in cells(scenario, view, link):
        parts.append("\n".join("# " + line if line else "#" for line in text.splitlines()) if kind == "markdown"
                     else text)
    return "\n\n".join(parts) + "\n"


def notebook(scenario: Scenario, view: str, link: Mapping[str, str] | None = None) -> str:
    """The export as a Jupyter notebook (nbformat 4), as JSON text."""
    import nbformat  # only the export needs it

    nb = nbformat.v4.new_notebook()
    # Cell ids from their place, not random: the same view exports the same file.
    nb.cells = [nbformat.v4.new_markdown_cell(text, id=f"cell-{i}") if kind == "markdown"
                else nbformat.v4.new_code_cell(text, id=f"cell-{i}")
                for i, (kind, text) in enumerate(cells(scenario, view, link))]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nbformat.writes(nb)


def export(scenario: Scenario, view: str, fmt: str = "ipynb", link: Mapping[str, str] | None = None) -> str:
    """The export of the page ``view`` with the settings of ``link`` (its parameters, as text), in format ``fmt``
    (``"py"`` or ``"ipynb"``).

    Examples
    --------
    >>> from core import get_preset
    >>> code = export(get_preset("notebook-log").scenario, "dynamics", "py", {"dyn_method": "repeated"})
    >>> "method = 'repeated'" in code and "rounds = 300" in code
    True
    """
    if fmt not in FORMATS:
        raise ValueError(f"--format: choose one of {', '.join(FORMATS)}, not {fmt!r}")
    return script(scenario, view, link) if fmt == "py" else notebook(scenario, view, link)


def read_link(url: str) -> tuple[Scenario | None, str, dict[str, str]]:
    """An address the app wrote: its scenario (``None`` if it carries none), its page and its parameters.

    Examples
    --------
    >>> scenario, view, params = read_link("https://host/app/markets?preset=notebook-log&k=5&pool=lmsr")
    >>> scenario.outcomes, view, params["k"]
    (('event', 'no event'), 'markets', '5')
    """
    parts = urlsplit(url.strip())
    view = parts.path.rstrip("/").rsplit("/", 1)[-1]
    if view not in VIEWS:
        raise ValueError(f"--link: the address opens no page that exports (its path ends in {view!r}; the pages "
                         f"are {', '.join(VIEWS)})")
    params = dict(parse_qsl(parts.query, keep_blank_values=True))
    if "preset" in params:
        if params["preset"] not in PRESETS:
            raise ValueError(f"--link: there is no preset called {params['preset']!r}")
        return get_preset(params["preset"]).scenario, view, params
    if SCENARIO_KEYS & params.keys():
        try:
            return Scenario.from_query_params(params), view, params
        except ValueError as err:
            raise ValueError(f"--link: its scenario could not be read ({err})") from None
    return None, view, params
