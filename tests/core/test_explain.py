"""The generated sentences say what the numbers say."""

from core.analysis import analyze
from core.decisions import DecisionProblem, mechanisms
from core.explain import describe, describe_decision
from core.model.presets import get_preset


def test_notebook_default_understates_the_event():
    # THEORY §3: p̂ = 0.125 < f(p̂) = 0.21875, so the report understates the event by 0.09375.
    text = describe(analyze(get_preset("notebook-quadratic").scenario))
    assert "understates the chance of “event” by 0.0938" in text
    assert "reports 0.125" in text and "probability 0.219" in text
    assert "one self-fulfilling prediction (P(event) = 0.25); it is attracting" in text


def test_log_rule_overstates_above_one_half():
    # Notebook log world around 0.675: the first-order condition pushes p̂ above f(p̂) (towards 1).
    text = describe(analyze(get_preset("notebook-log").scenario))
    assert text.startswith("The predictor overstates the chance of “event”")


def test_honest_optimum_and_mixed_fixed_point():
    # Self-defeating commuters: the optimum is the mixed fixed point 1/2 itself (inaccuracy 0).
    text = describe(analyze(get_preset("self-defeating").scenario))
    assert "no reason to bend" in text
    assert "a mixed fixed point, where the human randomises" in text and "repelling" in text


def test_many_fixed_points_are_counted():
    # Coordination: 7 fixed points, 3 of them attracting.
    assert "7 fixed points, 3 attracting" in describe(analyze(get_preset("coordination").scenario))


def test_a_single_saddle_reads_as_a_saddle():
    assert "it is a saddle under repeated prediction" in describe(analyze(get_preset("route-choice").scenario))


def test_decision_sentence_names_the_steering():
    scenario = get_preset("decision-three").scenario
    honest, single, pair = mechanisms(DecisionProblem.from_scenario(scenario), scenario.rule)
    text = describe_decision(scenario.world.actions, honest, single, pair)
    # Honest: treatment C (0.6); the lie steers to A (recovery 0.2, the most predictable outcome).
    assert "honest reports the human takes “treatment C”" in text
    assert "steer the human to “treatment A”" in text
    assert "zero-sum game report honestly, and the human takes “treatment C”" in text


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
