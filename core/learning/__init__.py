"""Learning: how a predictor's reports change when it is trained.

repeated   repeated prediction p ← f(p) (also repeated risk minimisation under a proper rule)
training   conditional predictors for a decision maker, trained alone, in a zero-sum pair, or by self-play
"""

from core.learning.repeated import repeated_prediction
from core.learning.training import METHODS, OBJECTIVES, TrainingLog, train

__all__ = ["repeated_prediction", "METHODS", "OBJECTIVES", "TrainingLog", "train"]
