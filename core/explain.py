"""Plain-language sentences that say what an analysis, a sweep, a decision problem, a market or a run of dynamics
shows."""

from __future__ import annotations

import numpy as np

from core.analysis import Analysis
from core.markets.equilibria import MarketAnalysis
from core.sweeps.diagram import Diagram

#: Below this inaccuracy the optimum counts as honest (a fixed point).
HONEST_TOL = 1e-6


def describe_analysis(analysis: Analysis) -> str:
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
    """What the completeness certificate of the fixed points says (docs/theory.md#completeness)."""
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


def describe_decision(actions: tuple[str, ...], outcomes: tuple[str, ...], honest, single, pair,
                      equilibria) -> str:
    """What the mechanisms of the decision setting do, from their :class:`core.decisions.MechanismResult`
    and the :class:`core.decisions.EquilibriumAnalysis` of the zero-sum pair under the page's pair rule."""

    def taken(probs) -> str:
        i = int(np.argmax(probs))
        share = probs[i]
        return f"“{actions[i]}”" + ("" if share > 0.999 else f" (with probability {share:.2f})")

    text = (f"With honest reports the human takes {taken(honest.action_probs)} and expects utility "
            f"{honest.human_utility:.3g}. ")
    if single.score > honest.score + 1e-9:
        text += (f"A single score-maximising predictor misreports (by up to {single.distance:.3g}) to steer the "
                 f"human to {taken(single.action_probs)}, whose outcome is easier to predict: its expected score "
                 f"rises from {honest.score:.4g} to {single.score:.4g} while the human's utility becomes "
                 f"{single.human_utility:.3g}. ")
    else:
        text += "Here no misreport pays a single predictor: honesty is already its best. "
    text += (f"Two honest predictors are an equilibrium of the zero-sum game ({pair.note}): the human takes "
             f"{taken(pair.action_probs)} (utility {pair.human_utility:.3g}). ")
    found = equilibria.dishonest
    if found is None:
        lead = "No dishonest equilibrium exists" if equilibria.exact else "No dishonest equilibrium was found"
        return text + f"{lead}: {equilibria.reason}."
    pessimistic = [b for b in range(len(actions)) if b != found.truthful]
    text += (f"\n\nBut it is not the only equilibrium under the {equilibria.pair_rule} rule: if both predictors "
             f"report the truth about “{actions[found.truthful]}” and put all probability on the worst outcome of "
             + ", ".join(f"“{actions[b]}” ({_worst(outcomes, found.first[b])})" for b in pessimistic)
             + f", the human takes {taken(found.action_probs)} and gets {found.human_utility:.3g} instead of "
             f"{found.best_utility:.3g} (a loss of {found.best_utility - found.human_utility:.3g}). It is an "
             "equilibrium because " + "; ".join(_why(actions, b) for b in found.blocked)
             + f", so the reports on the actions not taken are never scored (the best deviation found gains "
             f"{found.deviation_gain:.2g}).\n\n")
    return text + (f"With exploration ε = {equilibria.demo_epsilon:g} every action is scored: a deviation from "
                   f"these reports then gains {equilibria.demo_gain:.3g}, so they are no longer an equilibrium, and "
                   f"the only equilibrium is honest (a deviation from honesty gains {equilibria.demo_honest_gain:.2g}).")


def _worst(outcomes: tuple[str, ...], report: np.ndarray) -> str:
    return f"“{outcomes[int(np.argmax(report))]}”"


def _why(actions: tuple[str, ...], blocked) -> str:
    """Why one predictor alone does not get an action taken (a :class:`core.decisions.equilibria.Blocked`)."""
    name = f"“{actions[blocked.action]}”"
    if blocked.reach < blocked.floor:
        return (f"one predictor alone can raise the mean value of {name} to at most {blocked.reach:.3g} < "
                f"{blocked.floor:.3g}, below which it cannot push the other actions")
    if blocked.reach <= blocked.floor + 1e-9:
        return (f"one predictor alone can raise the mean value of {name} only to a tie at {blocked.floor:.3g}, "
                f"which loses it {-blocked.gain:.3g}")
    return f"one predictor alone can get {name} taken only with reports that score no better than the other's"


def describe_dynamics(method: str, step_size: float | None, steps: int, labels: np.ndarray,
                      where: dict[str, np.ndarray], names: tuple[str, ...]) -> str:
    """"From 72% of starts, stop-gradient ascent ends at fixed point 1 (…); from 28% …": the share of starts
    ending at each place (``labels``, one per start), largest first; ``where`` gives the attractors' points."""
    kinds, counts = np.unique(labels, return_counts=True)
    order = np.argsort(-counts, kind="stable")
    parts = []
    for i in order:
        share = f"{100 * counts[i] / len(labels):.0f}%"
        place = kinds[i] if kinds[i] not in where else f"{kinds[i]} ({_dist(names, where[kinds[i]])})"
        parts.append(f"{share} {'are ' if kinds[i] == 'still moving' else 'end at '}{place}")
    how = f"{method}" + ("" if step_size is None else f" with step size η = {step_size:g}")
    return (f"From the {len(labels):,} starts of the map, {how} after {steps:,} rounds: " + "; ".join(parts) + ".")


def describe_diagram(diagram: Diagram) -> str:
    """Sentences naming what happens along the sweep: where pairs of fixed points appear or vanish, and
    where fixed points gain or lose stability."""
    name = diagram.field.name
    folds: dict[tuple[float, int], int] = {}
    for e in diagram.bifurcations:
        if e.kind == "fold":
            key = (round(e.value, 6), e.side)
            folds[key] = folds.get(key, 0) + 1
    parts = []
    for (value, side), count in folds.items():
        pairs = "a pair of fixed points" if count == 1 else f"{count} pairs of fixed points"
        verb = ("appears" if side > 0 else "vanishes") if count == 1 else ("appear" if side > 0 else "vanish")
        parts.append(f"{pairs} {verb} as {name} grows past {value:.6g}")
    changes = []
    for e in diagram.bifurcations:
        if e.kind == "stability" and "attracting" in e.stabilities:
            verb = "stops attracting" if e.stabilities[0] == "attracting" else "starts attracting"
            where = ", ".join(f"{v:.3g}" for v in e.p)
            changes.append(f"at {name} = {e.value:.6g} the fixed point ({where}) {verb}")
    if not parts and not changes:
        counts = {len(fps) for fps in diagram.fixed_points}
        what = f"{counts.pop()} fixed point(s) throughout" if len(counts) == 1 else \
            f"between {min(counts)} and {max(counts)} fixed points"
        text = f"Along {name} from {diagram.values[0]:.6g} to {diagram.values[-1]:.6g} no bifurcation was found: {what}."
    else:
        text = "; ".join(parts + changes)
        text = text[0].upper() + text[1:] + "."
    drift = diagram.inaccuracy
    return text + (f" The optimum's inaccuracy ranges from {drift.min():.3g} to {drift.max():.3g}.")


def percent(share: float) -> str:
    """A share as a percentage with two significant figures below 10% (0.0021 → "0.21%"), whole above."""
    return f"{100 * share:.2g}%" if share < 0.1 else f"{share:.0%}"


def describe_market(market: MarketAnalysis, single: MarketAnalysis) -> str:
    """How close the market's best-paid equilibrium comes to a fixed point, against one predictor's (a market
    maker's: its price after k traders, against the first trader's, and its rest points)."""
    return _describe_equilibria(market, single) + ("" if market.complete else _INCOMPLETE[market.market.pool == "lmsr"])


#: What a three-outcome market's search does not prove, by whether it is a market maker's.
_INCOMPLETE = {True: " (Three outcomes: the rest points are checked among the fixed points found, a search not "
                     "proven complete.)",
               False: " (Three outcomes: the search finds the equilibria its starts reach; it is not proven "
                      "complete.)"}


def _describe_equilibria(market: MarketAnalysis, single: MarketAnalysis) -> str:
    k = market.market.k
    if market.market.pool == "lmsr":
        return _describe_maker(market, single)
    who = "one predictor" if k == 1 else f"{k} {'equal ' if market.symmetric else ''}predictors"
    chosen, alone = market.chosen, single.chosen
    if chosen is None:
        return (f"With {who} no equilibrium was found: every stationary point found lets some predictor gain "
                "by changing its report alone.")
    if np.isnan(chosen.distance_to_fixed_point):
        return f"With {who} the market announces {chosen.announcement.round(4).tolist()}; the world has no fixed point."
    if chosen.distance_to_fixed_point < HONEST_TOL:
        text = f"With {who} the market's forecast is a fixed point (within {HONEST_TOL:g})"
    else:
        text = f"With {who} the market's forecast is {chosen.distance_to_fixed_point:.3g} from the fixed point"
    if k > 1 and alone is not None and alone.distance_to_fixed_point > HONEST_TOL \
            and chosen.distance_to_fixed_point >= HONEST_TOL:
        share = chosen.distance_to_fixed_point / alone.distance_to_fixed_point
        text += f", {percent(share)} of one predictor's distance"
    text += "." if chosen.exact else " (checked only approximately: the best deviation found gains " \
                                     f"{float(np.max(chosen.deviation_gain)):.2g})."
    if len(market.equilibria) > 1:
        text += f" There are {len(market.equilibria)} equilibria; this is the best paid."
    return text


def _describe_maker(market: MarketAnalysis, single: MarketAnalysis) -> str:
    k, e, first = market.market.k, market.chosen, single.chosen
    who = "one trader" if k == 1 else f"{k} traders in turn"
    point = (lambda p: f"{p[0]:.4g}" if len(p) == 2 else str(p.round(4).tolist()))
    if np.isnan(e.distance_to_fixed_point):
        text = f"After {who} the market maker's price is {point(e.announcement)}; the world has no fixed point."
    elif e.distance_to_fixed_point < HONEST_TOL:
        text = f"After {who} the market maker's price is a fixed point (within {HONEST_TOL:g})."
    else:
        text = f"After {who} the market maker's price is {e.distance_to_fixed_point:.3g} from the fixed point"
        if k > 1 and first.distance_to_fixed_point > HONEST_TOL:
            share = e.distance_to_fixed_point / first.distance_to_fixed_point
            text += f", {percent(share)} of the first trader's distance"
        text += "."
    if not e.exact:
        text += (" (Each trader's move is checked only approximately: a better one found gains "
                 f"{float(np.max(e.deviation_gain)):.2g}.)")
    for r in market.rest_points:
        text += f" The fixed point {point(r.announcement)} is a rest point: no trader moves the price from it"
        text += {True: ", and the traders' prices are drawn to it.",
                 False: ", but the traders' prices are not drawn to it.",
                 None: "."}[r.attracts]
    if market.rejected:
        text += (f" {len(market.rejected)} fixed point{'s' if len(market.rejected) > 1 else ''} a trader would "
                 "leave for a better price.")
    if not market.rest_points and not market.rejected:
        text += " The world has no interior fixed point, so no price is a rest point."
    return text
