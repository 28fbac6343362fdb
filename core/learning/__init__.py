"""Learning: how a predictor's reports change when it is trained.

dynamics   repeated prediction, stop-gradient and full gradient ascent, SGD, random search (batched)
stability  the local theory: which fixed point (or p̂) each method converges to, and up to which step size
training   conditional predictors for a decision maker, trained alone, in a zero-sum pair, or by self-play
"""

from core.learning.dynamics import METHODS as DYNAMICS, Run, repeated_prediction, simulate
from core.learning.training import METHODS, OBJECTIVES, TrainingLog, train

__all__ = ["DYNAMICS", "Run", "repeated_prediction", "simulate", "METHODS", "OBJECTIVES", "TrainingLog", "train"]
