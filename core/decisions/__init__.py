"""The decision setting: conditional predictions, one per action, for a human who acts on them.

problem      DecisionProblem (Q, U and how the human decides), scores of reports, the zero-sum payoff
steering     optimal_reports: what a single score-maximising predictor reports
deviations   best_deviation_gain: the check of an equilibrium of the zero-sum pair
equilibria   dishonest_equilibrium: is there an equilibrium of the pair in which the human loses? the worst one
mechanisms   honest, single_optimum, zero_sum_equilibrium, joint_honest (k predictors), mechanisms: what each
             leads to
"""

from core.decisions.deviations import best_deviation_gain
from core.decisions.equilibria import Equilibrium, EquilibriumAnalysis, dishonest_equilibrium
from core.decisions.mechanisms import (MAX_JOINT, MechanismResult, honest, joint_honest, mechanism_result, mechanisms,
                                      single_optimum, zero_sum_equilibrium)
from core.decisions.problem import (JOINT_RULES, PAIR_RULES, DecisionProblem, action_scores, check_rule, expected_score, pair_gain,
                                   unsuitable, zero_sum_gains)
from core.decisions.steering import optimal_reports

__all__ = [
    "best_deviation_gain", "Equilibrium", "EquilibriumAnalysis", "dishonest_equilibrium",
    "MAX_JOINT", "MechanismResult", "honest", "joint_honest", "mechanisms", "mechanism_result", "single_optimum", "zero_sum_equilibrium",
    "JOINT_RULES", "PAIR_RULES", "DecisionProblem", "action_scores", "check_rule", "expected_score", "pair_gain",
    "unsuitable", "zero_sum_gains", "optimal_reports",
]
