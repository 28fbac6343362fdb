"""Plain-language sentences that say what an analysis shows."""

from __future__ import annotations

import numpy as np

from core.analysis import Analysis

#: Below this inaccuracy the optimum counts as honest (a fixed point).
HONEST_TOL = 1e-6


def describe(analysis: Analysis) -> str:
    """One or two sentences: how the score-maximising report bends, and the fixed points around it."""
    names = analysis.scenario.outcomes
    opt = analysis.optimum
    gap = opt.p - opt.f
    points = analysis.fixed_points
    if analysis.inaccuracy < HONEST_TOL:
        first = (f"The score-maximising report is itself self-fulfilling: announcing it makes it come true, "
                 f"so here the predictor has no reason to bend ({_dist(names, opt.p)}).")
    else:
        # Two outcomes: always speak of the first one (the papers' p); more: the most bent outcome.
        i = 0 if len(names) == 2 else int(np.argmax(np.abs(gap)))
        verb = "overstates" if gap[i] > 0 else "understates"
        first = (f"The predictor {verb} the chance of “{names[i]}” by {abs(gap[i]):.3g}: it reports "
                 f"{opt.p[i]:.3g}, which makes “{names[i]}” happen with probability {opt.f[i]:.3g}, because that "
                 f"makes the outcome more predictable and so earns a higher expected score.")
        if not opt.attained:
            first += " (Its best score is a supremum, approached just beside a jump of the human's response.)"
    attracting = sum(fp.stability == "attracting" for fp in points)
    mixed = sum(fp.kind == "mixed" for fp in points)
    if len(points) == 1:
        fp = points[0]
        what = "a mixed fixed point, where the human randomises between actions" if fp.kind == "mixed" \
            else "one self-fulfilling prediction"
        how = "a saddle" if fp.stability == "saddle" else fp.stability
        second = f"The world has {what} ({_dist(names, fp.p)}); it is {how} under repeated prediction."
    else:
        second = (f"The world has {len(points)} fixed points, {attracting} attracting"
                  + (f" and {mixed} mixed" if mixed else "") + ".")
    return f"{first} {second}"


def describe_certificate(analysis: Analysis) -> str:
    """What the completeness certificate of the fixed points says (docs/theory.md, "Completeness check")."""
    cert = analysis.certificate
    if not cert.applies:
        return ("Every fixed point listed: f is a step function here, and each set of actions the human may mix "
                "was checked (support enumeration).")
    if cert.degenerate:
        where = "; ".join(_dist(analysis.scenario.outcomes, p) for p in cert.degenerate)
        return (f"Some fixed points may be missing or about to appear: a fixed point is degenerate "
                f"(det(I − Df) ≈ 0 at {where}), a bifurcation, where a tiny change of the world can change the "
                f"count, so the index theorem certifies nothing (index sum of the others {cert.index_sum}).")
    if not cert.complete:
        return (f"Some fixed points may be missing: the index sum Σ sign det(I − Df) over those found is "
                f"{cert.index_sum}, and it is 1 for a complete set.")
    return "Index sum Σ sign det(I − Df) = 1: the set of fixed points is complete."


def _dist(names: tuple[str, ...], p: np.ndarray) -> str:
    if len(names) == 2:
        return f"P({names[0]}) = {p[0]:.3g}"
    return ", ".join(f"{name} {v:.2f}" for name, v in zip(names, p))


def describe_decision(actions: tuple[str, ...], honest, single, pair) -> str:
    """What the mechanisms of the decision setting do, from their :class:`core.decisions.MechanismResult`."""

    def taken(o) -> str:
        i = int(np.argmax(o.action_probs))
        share = o.action_probs[i]
        return f"“{actions[i]}”" + ("" if share > 0.999 else f" (with probability {share:.2f})")

    text = (f"With honest reports the human takes {taken(honest)} and expects utility {honest.human_utility:.3g}. ")
    if single.score > honest.score + 1e-9:
        text += (f"A single score-maximising predictor misreports (by up to {single.distance:.3g}) to steer the "
                 f"human to {taken(single)}, whose outcome is easier to predict: its expected score rises from "
                 f"{honest.score:.4g} to {single.score:.4g} while the human's utility becomes "
                 f"{single.human_utility:.3g}. ")
    else:
        text += "Here no misreport pays a single predictor: honesty is already its best. "
    text += (f"Two predictors in a zero-sum game report honestly, and the human takes {taken(pair)} "
             f"(utility {pair.human_utility:.3g}).")
    return text
