"""The generated sentences say what the numbers say."""

from core.analysis import analyze
from core.decisions import DecisionProblem, dishonest_equilibrium, mechanisms
from core.explain import describe_analysis, describe_decision
from core.model.presets import get_preset


def test_notebook_default_understates_the_event():
    # docs/theory.md#worked-example: p̂ = 0.125 < f(p̂) = 0.21875, so the report understates the event by 0.09375.
    text = describe_analysis(analyze(get_preset("notebook-quadratic").scenario))
    assert "understates the chance of “event” by 0.0938" in text
    assert "reports 0.125" in text and "probability 0.219" in text
    assert "one self-fulfilling prediction (P(event) = 0.25); it is attracting" in text


def test_log_rule_overstates_above_one_half():
    # Notebook log world around 0.675: the first-order condition pushes p̂ above f(p̂) (towards 1).
    text = describe_analysis(analyze(get_preset("notebook-log").scenario))
    assert text.startswith("The predictor overstates the chance of “event”")


def test_honest_optimum_and_mixed_fixed_point():
    # Self-defeating commuters: the optimum is the mixed fixed point 1/2 itself (inaccuracy 0).
    text = describe_analysis(analyze(get_preset("self-defeating").scenario))
    assert "no reason to bend" in text
    assert "a mixed fixed point, where the human randomises" in text and "repelling" in text


def test_many_fixed_points_are_counted():
    # Coordination: 7 fixed points, 3 of them attracting.
    assert "7 fixed points, 3 attracting" in describe_analysis(analyze(get_preset("coordination").scenario))


def test_a_single_saddle_reads_as_a_saddle():
    assert "it is a saddle under repeated prediction" in describe_analysis(analyze(get_preset("route-choice").scenario))


def decision_text(name: str, pair_rule: str) -> str:
    scenario = get_preset(name).scenario
    problem = DecisionProblem.from_scenario(scenario)
    honest, single, pair = mechanisms(problem, scenario.rule, pair_rule)
    equilibria = dishonest_equilibrium(problem, scenario.rule, pair_rule)
    return describe_decision(scenario.world.actions, scenario.outcomes, honest, single, pair, equilibria)


def test_decision_sentence_names_the_steering():
    text = decision_text("decision-three", "optimistic")
    # Honest: treatment C (0.6); the lie steers to A (recovery 0.2, the most predictable outcome).
    assert "honest reports the human takes “treatment C”" in text
    assert "steer the human to “treatment A”" in text
    assert "Two honest predictors are an equilibrium of the zero-sum game" in text
    assert "the human takes “treatment C” (utility 0.6)" in text
    # The optimistic rule: a theorem, no search.
    assert text.endswith("No dishonest equilibrium exists: under the optimistic rule every equilibrium takes a "
                         "best action (Hudson & Treutlein).")


def test_decision_sentence_shows_the_dishonest_equilibrium():
    """The risky/safe example under the mean rule (tests/core/decisions/test_equilibria.py derives it): both
    predictors say "risky" always fails; one alone lifts its mean value to at most ½(1 + 0) = 0.5 < 0.6."""
    text = decision_text("decision-risky-safe", "mean")
    assert "But it is not the only equilibrium under the mean rule" in text
    assert "report the truth about “safe” and put all probability on the worst outcome of “risky” (“bad”)" in text
    assert "the human takes “safe” and gets 0.6 instead of 0.8 (a loss of 0.2)" in text
    assert ("one predictor alone can raise the mean value of “risky” to at most 0.5 < 0.6, below which it cannot "
            "push the other actions") in text
    assert "With exploration ε = 0.05 every action is scored" in text and "the only equilibrium is honest" in text
    assert "No dishonest equilibrium" in decision_text("decision-risky-safe", "optimistic")


def test_decision_sentence_marks_an_incomplete_search():
    # The worked example under the mean rule: the pessimistic reports fail (one predictor lifts "action 2" to
    # ½(1 + 0) = 0.5 > ½(0 + 1/3), the least it can give "action 1"); the sentence says the search is partial.
    text = decision_text("decision-example", "mean")
    assert "No dishonest equilibrium was found" in text
    assert "not excluded" in text


def test_certificate_sentences():
    from dataclasses import replace

    from core.explain import describe_certificate
    from core.solve.certificate import Certificate

    complete = analyze(get_preset("coordination").scenario)
    assert describe_certificate(complete) == "Index sum Σ sign det(I − Df) = 1: the set of fixed points is complete."
    step = analyze(get_preset("self-defeating").scenario)
    assert "support enumeration" in describe_certificate(step)
    # A set missing a saddle sums to 2 (see tests/core/solve/test_certificate.py): the sentence says so.
    missing = replace(complete, certificate=Certificate("index theorem", 2, False))
    assert describe_certificate(missing).startswith("Some fixed points may be missing: the index sum")
    assert "is 2, and it is 1 for a complete set" in describe_certificate(missing)
