"""The decisions page shows the worked example of docs/theory.md#conditional-predictions, trains as derived, and keeps its view in the link.

The worked example (preset ``decision-example``): outcomes (good, bad), the log score, and a best-responding
human without exploration whose utility is 1 for "good", so that the human takes the action whose reported
P(good) is larger. The truth is Q[action 1] = (1/3, 2/3), Q[action 2] = (1/2, 1/2).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.decisions import PAIR_RULES, DecisionProblem, mechanisms
from core.model.presets import PRESETS
from core.learning.training import METHODS, train
from tests.pages.helpers import decoded, charts, figure, open_app, params_of, rerun, scenario_of, table, warnings

EXAMPLE = "decision-example"
SCENARIO = PRESETS[EXAMPLE].scenario
PROBLEM = DecisionProblem.from_scenario(SCENARIO)
ACTIONS = SCENARIO.world.actions
REPORT_COLUMNS = [f"P(good | {a})" for a in ACTIONS]
MECHANISMS = ["honest", "single predictor", "zero-sum pair"]
VIEW_KEYS = {"pair", "joint_k", "train_eps", "train_lr", "train_steps", "train_sampled", "train_variants"}
DEFAULT_VARIANTS = ["single:gradient", "zero_sum:gradient", "self_play:gradient", "self_play:random-search"]
GRADIENT = METHODS["gradient"]  # how the page labels gradient ascent in the variant names

# Honest reports P = Q: the human compares V = (1/3, 1/2) and takes action 2. The predictor is scored on
# action 2 only: E S = ½ ln ½ + ½ ln ½ = ln ½ ≈ −0.6931; the human gets P(good | action 2) = ½.
HONEST_SCORE = math.log(1 / 2)
# One score-maximising predictor: it reports action 1 truthfully and understates action 2 below 1/3, so that
# the human takes action 1, whose outcome is easier to predict: E S = (1/3) ln(1/3) + (2/3) ln(2/3) ≈ −0.6365
# > ln ½ (the entropy of (1/3, 2/3) is smaller than ln 2). Steering to action 2 instead can do no better than
# honesty there (ln ½), so steering to action 1 is the optimum; the human then gets P(good | action 1) = 1/3.
SINGLE_SCORE = (1 / 3) * math.log(1 / 3) + (2 / 3) * math.log(2 / 3)
# The zero-sum pair: both honest (against an honest opponent nothing pays), so the human again takes action 2.
EXPECTED = {  # mechanism: (score, action taken, human's utility)
    "honest": (HONEST_SCORE, "action 2 1.00", 1 / 2),
    "single predictor": (SINGLE_SCORE, "action 1 1.00", 1 / 3),
    "zero-sum pair": (HONEST_SCORE, "action 2 1.00", 1 / 2),
}


def example(params: dict[str, str] | None = None):
    return open_app("decisions", {"preset": EXAMPLE, **(params or {})})


def mechanisms_table(at):
    frame = table(at, 0)
    assert list(frame["mechanism"]) == MECHANISMS
    return frame.set_index("mechanism")


def final_table(at):
    return table(at, 2).set_index("variant")


def view_widgets(at) -> dict[str, object]:
    """What the page's view widgets show, by the link key each one is written to."""
    return {
        "pair": at.radio(key="pair_rule").value,
        "joint_k": at.slider(key="joint_k").value,
        "train_eps": at.slider(key="train_eps").value,
        "train_lr": at.slider(key="train_lr").value,
        "train_steps": at.slider(key="train_steps").value,
        "train_sampled": at.toggle(key="train_sampled").value,
        "train_variants": list(at.multiselect(key="train_variants").value),
    }


def markdown_texts(at) -> list[str]:
    return [m.value for m in at.main.markdown]


def test_mechanisms_table_shows_the_worked_example() -> None:
    at = example()
    assert not warnings(at)
    # The closed forms, to the 4 decimals of the worked example.
    assert round(HONEST_SCORE, 4) == -0.6931 and round(SINGLE_SCORE, 4) == -0.6365
    frame = mechanisms_table(at)
    for name, (score, taken, utility) in EXPECTED.items():
        row = frame.loc[name]
        assert row["predictor's score"] == pytest.approx(score, abs=1e-6), name  # the table is rounded to 6
        assert row["action taken"] == taken, name
        assert row["human's utility"] == pytest.approx(utility, abs=1e-6), name
    assert round(frame.loc["honest", "predictor's score"], 4) == -0.6931
    assert round(frame.loc["single predictor", "predictor's score"], 4) == -0.6365
    # The single predictor lies about action 2 only (to a hair below 1/3), truthful on the action taken.
    single = frame.loc["single predictor"]
    assert single[REPORT_COLUMNS[0]] == pytest.approx(1 / 3, abs=1e-6)
    assert single[REPORT_COLUMNS[1]] <= 1 / 3 + 1e-6
    assert single["distance from truth (actions taken)"] == pytest.approx(0, abs=1e-6)
    # ‖(1/3, 2/3) − (1/2, 1/2)‖₂ = √2/6 on action 2, up to the hair.
    assert single["distance from truth (all actions)"] == pytest.approx(math.sqrt(2) / 6, abs=1e-5)
    for name in ("honest", "zero-sum pair"):
        np.testing.assert_allclose(frame.loc[name, REPORT_COLUMNS].to_numpy(float), [1 / 3, 1 / 2], atol=1e-6)
        assert frame.loc[name, "distance from truth (all actions)"] == pytest.approx(0, abs=1e-6)
    # Everything agrees with the core called directly.
    for o in mechanisms(PROBLEM, SCENARIO.rule, "optimistic"):
        row = frame.loc[o.name]
        assert row["predictor's score"] == pytest.approx(o.score, abs=1e-6)
        assert row["human's utility"] == pytest.approx(o.human_utility, abs=1e-6)
        np.testing.assert_allclose(row[REPORT_COLUMNS].to_numpy(float), o.reports[:, 0], atol=1e-6)


def test_the_explanation_mentions_the_steering() -> None:
    at = example()
    (text,) = [i.value for i in at.main.info]
    assert "misreports" in text
    assert "to steer the human to “action 1”" in text
    assert f"from {HONEST_SCORE:.4g} to {SINGLE_SCORE:.4g}" in text  # "from -0.6931 to -0.6365"
    assert "the human's utility becomes 0.333" in text
    assert "With honest reports the human takes “action 2”" in text
    assert "the human takes “action 2” (utility 0.5)" in text  # the zero-sum pair


def test_the_reports_chart_matches_the_core() -> None:
    at = example()
    fig = figure(at, "reports")
    bars = {t["name"]: t for t in fig["data"]}
    assert list(bars) == ["truth Q", *MECHANISMS]
    assert all(t["type"] == "bar" and t["x"] == list(ACTIONS) for t in bars.values())
    np.testing.assert_allclose(decoded(bars["truth Q"]["y"]), PROBLEM.Q[:, 0], rtol=0, atol=1e-15)
    for o in mechanisms(PROBLEM, SCENARIO.rule, "optimistic"):
        bar = bars[o.name]
        np.testing.assert_allclose(decoded(bar["y"]), o.reports[:, 0], rtol=0, atol=1e-9)
        np.testing.assert_allclose(decoded(bar["customdata"]), o.action_probs, rtol=0, atol=1e-12)
        # Solid bars for the action the human takes, faded ones for the other.
        assert bar["marker"]["opacity"] == [1.0 if w > 1e-9 else 0.35 for w in o.action_probs]
    assert bars["single predictor"]["marker"]["opacity"] == [1.0, 0.35]  # action 1 taken
    assert bars["honest"]["marker"]["opacity"] == [0.35, 1.0]  # action 2 taken


def test_the_mean_pair_rule_reruns() -> None:
    """On this example both rules give the same zero-sum pair (two honest reports combine to Q either way),
    but two predictors trained by random search drift apart, and then the rule decides what the human sees."""
    at = example({"train_variants": "zero_sum:random-search"})
    assert at.radio(key="pair_rule").value == "optimistic"
    optimistic = final_table(at)
    at.radio(key="pair_rule").set_value("mean")
    rerun(at)  # no exception
    assert at.radio(key="pair_rule").value == "mean"
    assert params_of(at)["pair"] == "mean"
    assert not warnings(at)
    frame = mechanisms_table(at)
    pair = mechanisms(PROBLEM, SCENARIO.rule, "mean")[2]
    assert pair.name == "zero-sum pair"
    assert frame.loc["zero-sum pair", "predictor's score"] == pytest.approx(pair.score, abs=1e-6)
    assert frame.loc["zero-sum pair", "action taken"] == "action 2 1.00"  # two honest reports' mean is Q
    assert len(charts(at)) == 3
    # The training used the mean rule: the page's run (4 runs in the mean dynamics, seeded [0, variant index])
    # is the core's.
    log = train(PROBLEM, SCENARIO.rule, "zero_sum", "random-search", 400, 0.5, np.random.default_rng([0, 0]),
                runs=4, pair_rule="mean", sampled=False)
    (row,) = final_table(at).to_dict("records")
    np.testing.assert_allclose([row[c] for c in REPORT_COLUMNS], log.reports[:, -1].mean(axis=0)[:, 0],
                               atol=1e-12)
    assert row["final utility"] == pytest.approx(log.utilities.mean(axis=0)[-1], abs=1e-12)
    assert not final_table(at).equals(optimistic)


def test_no_stray_output() -> None:
    """Regression: an expression statement in the page's loop (``a.append(v) if … else b.append(…)``) was
    echoed by Streamlit's magic as a ``None`` block for every variant."""
    at = example()
    assert not [t for t in markdown_texts(at) if "None" in t], markdown_texts(at)


def test_exploration_lets_gradient_ascent_learn_every_action() -> None:
    """Why ε = 0.2 brings every gradient variant to the truth (sampling off: the mean dynamics).

    Mean dynamics: each step adds lr · Σ_a π_a ∇_θ S(softmax θ[a], Q[a]) to the logits. For the log score,
    ∇_θ E_{ω~q} ln softmax(θ)_ω = q − softmax(θ), so row a moves by lr · π_a (Q[a] − P[a]): towards the truth,
    at a rate set by how often the human takes a. The human best-responds, so the gradient has no term for the
    human's choice. The zero-sum pair's predictors each get the same direct term (the opponent's score does
    not depend on their logits), and the self-playing model's detached copy contributes nothing to the
    gradient: all three gradient variants follow the same dynamics.

    Without exploration (ε = 0) the uniform reports tie, so the human splits π = (½, ½) for one step:
    action 1's d = θ_good − θ_bad moves by 2 · lr · ½ · (1/3 − ½) = −1/12, its report to σ(−1/12) ≈ 0.4792.
    From then on the human takes action 2 only, π_1 = 0, and action 1's report stays there, far from 1/3.
    With ε = 0.2, π_a ≥ ε/m = 0.1 for both actions. For two outcomes, with d = θ_good − θ_bad and p = σ(d), a
    step changes d by 2 lr π_a (q − p), so p by about 2 lr π_a p(1 − p) (q − p): a contraction of at least
    2 · 0.5 · 0.1 · (2/9) ≈ 0.022 per step (p stays between 1/3 and 1/2, where p(1 − p) ≥ 2/9). After 400
    steps the initial gap of at most 1/6 has shrunk by e^(−0.022·400) ≈ 1.4e-4, to about 2e-5: within 1e-3.
    """
    at = example()
    assert view_widgets(at)["train_eps"] == 0.0 and not view_widgets(at)["train_sampled"]
    assert view_widgets(at)["train_lr"] == 0.5 and view_widgets(at)["train_steps"] == 400
    truth = PROBLEM.Q[:, 0]
    before = final_table(at)
    gradient = [v for v in before.index if v.endswith(GRADIENT)]
    assert len(gradient) == 3  # single, zero-sum and self-play, all trained by gradient ascent
    for variant in gradient:  # ε = 0: action 1 is never learned
        reports = before.loc[variant, REPORT_COLUMNS].to_numpy(float)
        assert abs(reports[0] - truth[0]) > 0.1, variant
        assert reports[0] == pytest.approx(1 / (1 + math.exp(1 / 12)), abs=1e-6), variant
        assert reports[1] == pytest.approx(truth[1], abs=1e-6), variant  # action 2 starts at its truth, ½

    at.slider(key="train_eps").set_value(0.2)
    rerun(at)
    assert params_of(at)["train_eps"] == "0.2"
    after = final_table(at)
    assert [v for v in after.index if v.endswith(GRADIENT)] == gradient
    for variant in gradient:
        reports = after.loc[variant, REPORT_COLUMNS].to_numpy(float)
        np.testing.assert_allclose(reports, truth, rtol=0, atol=1e-3, err_msg=variant)
        assert after.loc[variant, "final distance (max)"] < 1e-3, variant
        # The human's expected utility: ε explores uniformly, 1 − ε best-responds to the (now true) reports:
        # 0.8 · ½ + 0.1 · 1/3 + 0.1 · ½.
        assert after.loc[variant, "final utility"] == pytest.approx(0.8 * 0.5 + 0.1 / 3 + 0.1 * 0.5, abs=1e-6)


NON_DEFAULT_VIEW = {"pair": "mean", "joint_k": 5, "train_eps": 0.2, "train_lr": 0.3, "train_steps": 200,
                    "train_sampled": True, "train_variants": ["zero_sum:random-search", "single:gradient"]}


def test_the_view_goes_into_the_link_and_comes_back() -> None:
    at = example()
    default_params = params_of(at)
    assert {k: default_params[k] for k in VIEW_KEYS} == {
        "pair": "optimistic", "joint_k": "3", "train_eps": "0.0", "train_lr": "0.5", "train_steps": "400",
        "train_sampled": "0", "train_variants": ",".join(DEFAULT_VARIANTS)}
    at.radio(key="pair_rule").set_value(NON_DEFAULT_VIEW["pair"])
    at.slider(key="joint_k").set_value(NON_DEFAULT_VIEW["joint_k"])
    at.slider(key="train_eps").set_value(NON_DEFAULT_VIEW["train_eps"])
    at.slider(key="train_lr").set_value(NON_DEFAULT_VIEW["train_lr"])
    at.slider(key="train_steps").set_value(NON_DEFAULT_VIEW["train_steps"])
    at.toggle(key="train_sampled").set_value(NON_DEFAULT_VIEW["train_sampled"])
    at.multiselect(key="train_variants").set_value(NON_DEFAULT_VIEW["train_variants"])
    rerun(at)
    assert view_widgets(at) == NON_DEFAULT_VIEW
    link = params_of(at)
    assert {k: link[k] for k in VIEW_KEYS} == {
        "pair": "mean", "joint_k": "5", "train_eps": "0.2", "train_lr": "0.3", "train_steps": "200", "train_sampled": "1",
        "train_variants": "zero_sum:random-search,single:gradient"}
    assert {k: v for k, v in link.items() if k not in VIEW_KEYS} == SCENARIO.to_query_params()

    other = open_app("decisions", link)  # a new session opened with the share link
    assert not warnings(other)
    assert scenario_of(other) == SCENARIO
    assert view_widgets(other) == NON_DEFAULT_VIEW
    assert params_of(other) == link
    assert final_table(other).equals(final_table(at))
    assert len(final_table(other)) == 2


def test_no_variants_is_a_view_too() -> None:
    at = example()
    at.multiselect(key="train_variants").set_value([])
    rerun(at)
    assert params_of(at)["train_variants"] == ""
    assert len(charts(at)) == 1  # the reports chart only
    other = open_app("decisions", params_of(at))
    assert not warnings(other)
    assert view_widgets(other)["train_variants"] == []
    assert len(charts(other)) == 1


BAD_VIEWS = [{"train_steps": "9"}, {"train_steps": "2.5"}, {"pair": "nonsense"}, {"train_eps": "abc"},
             {"train_eps": "0.9"}, {"train_eps": "nan"}, {"train_lr": "0"}, {"train_sampled": "yes"},
             {"train_variants": "nonsense"}, {"train_variants": "single:gradient,bogus"}]


@pytest.mark.parametrize("bad", BAD_VIEWS, ids=[f"{k}={v}" for b in BAD_VIEWS for k, v in b.items()])
def test_a_bad_view_setting_warns_and_uses_the_default(bad: dict[str, str]) -> None:
    baseline = example()
    at = example(bad)  # no exception
    (key, text), = bad.items()
    found = warnings(at)
    assert len(found) == 1, found
    assert f"'{key}'" in found[0] and repr(text) in found[0]
    assert view_widgets(at) == view_widgets(baseline)
    assert view_widgets(at)["train_variants"] == DEFAULT_VARIANTS
    assert params_of(at) == params_of(baseline)
    assert len(charts(at)) == 3
    assert not warnings(rerun(at))  # warned once


def test_a_scenario_without_a_policy_offers_the_example() -> None:
    at = open_app("decisions", {"preset": "bank-run"})
    (warning,) = warnings(at)
    assert warning.startswith("This page needs a human who best-responds or uses softmax")
    assert not charts(at) and not at.table
    at.button(key="load_decision").click()
    rerun(at)
    assert scenario_of(at) == SCENARIO
    assert not warnings(at)
    assert params_of(at)["world"] == "policy"
    frame = mechanisms_table(at)
    assert frame.loc["single predictor", "predictor's score"] == pytest.approx(SINGLE_SCORE, abs=1e-6)
    assert len(charts(at)) == 3


def test_pair_rules_are_the_radio_options() -> None:
    at = example()
    assert list(at.radio(key="pair_rule").options) == list(PAIR_RULES.values())


# --- the zero-sum pair's dishonest equilibrium (preset decision-risky-safe) ------------------------------------
# tests/core/decisions/test_equilibria.py derives it: "risky" is good with probability 0.8 (utility 1, else 0),
# "safe" gives 0.6. If both predictors say "risky" always fails, the human sees 0 and 0.6 and takes "safe"; under
# the mean rule one predictor alone lifts "risky" to at most ½(1 + 0) = 0.5 < 0.6: an equilibrium, utility 0.6.

RISKY = "decision-risky-safe"
WORST = "zero-sum pair, dishonest equilibrium"


def explanation(at) -> str:
    (text,) = [i.value for i in at.main.info]
    return text


def test_the_risky_safe_preset_opens_with_the_mean_rule_and_shows_the_dishonest_equilibrium() -> None:
    at = open_app("decisions", {"preset": RISKY, "pair": "mean"})
    assert not warnings(at)
    assert at.radio(key="pair_rule").value == "mean"
    text = explanation(at)
    assert "But it is not the only equilibrium under the mean rule" in text
    assert "the human takes “safe” and gets 0.6 instead of 0.8 (a loss of 0.2)" in text
    assert "one predictor alone can raise the mean value of “risky” to at most 0.5 < 0.6" in text
    assert "With exploration ε = 0.05 every action is scored" in text
    frame = table(at, 0).set_index("mechanism")
    assert list(frame.index) == [*MECHANISMS, WORST]
    worst = frame.loc[WORST]
    assert worst["action taken"] == "safe 1.00"
    assert worst["human's utility"] == pytest.approx(0.6, abs=1e-6)
    assert worst["P(good | risky)"] == pytest.approx(0.0, abs=1e-6)
    assert worst["P(good | safe)"] == pytest.approx(0.5, abs=1e-6)
    assert frame.loc["zero-sum pair", "human's utility"] == pytest.approx(0.8, abs=1e-6)  # honest is one too
    # The values chart: true values (0.8, 0.6), the values the human sees (0, 0.6), and what one predictor can
    # reach, ½(U range + 0) for "risky" = [0, 0.5] and 0.6 for "safe".
    bars = {t["name"]: t for t in figure(at, "equilibrium")["data"]}
    np.testing.assert_allclose(decoded(bars["true value q"]["y"]), [0.8, 0.6], atol=1e-12)
    np.testing.assert_allclose(decoded(bars["value the human sees"]["y"]), [0.0, 0.6], atol=1e-8)
    reach = bars["one predictor alone can move it within"]
    np.testing.assert_allclose(decoded(reach["base"]), [0.0, 0.6], atol=1e-8)
    np.testing.assert_allclose(np.add(decoded(reach["base"]), decoded(reach["y"])), [0.5, 0.6], atol=1e-8)


def test_the_risky_safe_preset_under_the_optimistic_rule_has_none() -> None:
    at = open_app("decisions", {"preset": RISKY, "pair": "mean"})
    at.radio(key="pair_rule").set_value("optimistic")
    rerun(at)
    text = explanation(at)
    assert "No dishonest equilibrium exists: under the optimistic rule every equilibrium takes a best action" in text
    assert "dishonest equilibrium" not in table(at, 0)["mechanism"].str.cat() and "not the only equilibrium" not in text
    assert list(table(at, 0)["mechanism"]) == MECHANISMS
    assert len(charts(at)) == 3  # no equilibrium chart
    assert params_of(at)["pair"] == "optimistic"


def test_the_worked_example_marks_the_mean_rule_search_as_partial() -> None:
    at = example({"pair": "mean"})
    text = explanation(at)
    assert "No dishonest equilibrium was found" in text and "not excluded" in text
    optimistic = explanation(example())
    assert "No dishonest equilibrium exists: under the optimistic rule" in optimistic


def test_the_gallery_links_the_preset_with_its_view() -> None:
    at = open_app("home")
    (link,) = [p for p in at.get("page_link") if RISKY in str(p.proto.query_string)]
    assert "pair=mean" in link.proto.query_string


def test_the_joint_rule_for_k_predictors() -> None:
    # All honest: the human acts on the truth whichever way it combines the reports, so it takes action 2
    # (utility ½) as with honest reports; no deviation against k − 1 honest others gains (properness).
    at = example({"joint_k": "4"})
    frame = table(at, 1)
    assert list(frame["the human follows"]) == ["the most optimistic report", "the mean of the reports",
                                                "one predictor's reports, drawn at random"]
    assert set(frame["action taken"]) == {"action 2 1.00"}
    np.testing.assert_allclose(frame["human's utility"].to_numpy(float), 0.5, atol=1e-9)
    assert all(float(note.rsplit(" ", 1)[-1]) <= 1e-9 for note in frame["check"])
    assert at.slider(key="joint_k").value == 4
