"""Seeded samplers of random worlds for studies.

A study is described by a :class:`StudySpec` of plain values (so it pickles, hashes and caches), and
world ``i`` of a study with seed ``s`` is always the same world, whatever the chunking or the number
of workers: the worlds are drawn in fixed blocks of :data:`BLOCK` consecutive indices, block ``b``
from ``numpy.random.SeedSequence([s, b])``, and a chunk draws the blocks it overlaps and keeps its
slice. (One generator per world would cost about 90 µs a world, more than the whole kernel.)

Samplers
--------
``matrix``: f(p) = (1 − α) c + α A p, every column of A and c drawn from a symmetric Dirichlet with
the chosen concentration, α fixed or uniform on [0, 1].
``policy``: f(p) = Σ_a π(a | p) Q[a], the rows of Q from the Dirichlet, U uniform on [0, 1], the
human's rationality β uniform on the chosen range, π softmax or best response.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.model.rules import RULE_KINDS, ScoringRule
from core.model.scenario import MAX_OUTCOMES, MIN_OUTCOMES, Scenario
from core.model.worlds import MatrixWorld, PolicyWorld, World

SAMPLERS = ("matrix", "policy")
POLICIES = ("softmax", "best_response")
#: Worlds drawn from one generator; chunk boundaries on multiples of it waste nothing.
BLOCK = 1024


@dataclass(frozen=True)
class StudySpec:
    """What a study samples and how it scores.

    Parameters
    ----------
    sampler : ``"matrix"`` or ``"policy"``.
    outcomes : n, 2 to 6.
    rule : a scoring rule kind of :data:`core.model.rules.RULE_KINDS` (``rule_param`` its parameter).
    concentration : of the symmetric Dirichlet the columns of A, c and the rows of Q come from.
    alpha : the matrix worlds' α; ``None`` draws it uniformly from [0, 1].
    actions : the policy worlds' number of actions m (``None``: m = n).
    beta : the range (low, high) the policy worlds' β is drawn from.
    policy : ``"softmax"`` or ``"best_response"``.
    """

    sampler: str = "matrix"
    outcomes: int = 5
    rule: str = "quadratic"
    rule_param: float | None = None
    concentration: float = 1.0
    alpha: float | None = None
    actions: int | None = None
    beta: tuple[float, float] = (0.0, 10.0)
    policy: str = "softmax"

    def __post_init__(self) -> None:
        if self.sampler not in SAMPLERS:
            raise ValueError(f"sampler: choose one of {', '.join(SAMPLERS)}, got {self.sampler!r}")
        if not MIN_OUTCOMES <= self.outcomes <= MAX_OUTCOMES:
            raise ValueError(f"outcomes: need {MIN_OUTCOMES} to {MAX_OUTCOMES}, got {self.outcomes}")
        self.scoring_rule.check_outcomes(self.outcomes)
        if not (np.isfinite(self.concentration) and self.concentration > 0):
            raise ValueError(f"concentration: must be a positive number, got {self.concentration!r}")
        if self.alpha is not None and not (np.isfinite(self.alpha) and 0 <= self.alpha <= 1):
            raise ValueError(f"alpha: must lie in [0, 1], got {self.alpha!r}")
        if self.actions is not None and not 2 <= self.actions <= 8:
            raise ValueError(f"actions: need 2 to 8, got {self.actions}")
        lo, hi = self.beta
        if not (np.isfinite(lo) and np.isfinite(hi) and 0 <= lo <= hi):
            raise ValueError(f"beta: need a range 0 <= low <= high, got {self.beta!r}")
        if self.policy not in POLICIES:
            raise ValueError(f"policy: choose one of {', '.join(POLICIES)}, got {self.policy!r}")

    @property
    def scoring_rule(self) -> ScoringRule:
        if self.rule not in RULE_KINDS:
            raise ValueError(f"rule: unknown scoring rule {self.rule!r}; choose one of {', '.join(RULE_KINDS)}")
        return ScoringRule(self.rule, self.rule_param)

    @property
    def m(self) -> int:
        return self.outcomes if self.actions is None else self.actions


def sample(spec: StudySpec, seed: int, start: int, stop: int) -> dict[str, np.ndarray]:
    """The parameters of worlds ``start .. stop − 1``: arrays with one leading row per world.

    matrix: ``A`` (k, n, n) column-stochastic, ``c`` (k, n), ``alpha`` (k,);
    policy: ``Q`` (k, m, n) row-stochastic, ``U`` (k, m, n), ``beta`` (k,).
    """
    if not 0 <= start <= stop:
        raise ValueError(f"worlds: need 0 <= start <= stop, got {start}, {stop}")
    first, last = start // BLOCK, max(-(-stop // BLOCK), start // BLOCK + 1)
    blocks = [_block(spec, seed, b) for b in range(first, last)]
    lo = start - first * BLOCK
    return {key: np.concatenate([blk[key] for blk in blocks])[lo:lo + stop - start] for key in blocks[0]}


def _block(spec: StudySpec, seed: int, block: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(np.random.SeedSequence([seed, block]))
    n, conc = spec.outcomes, np.full(spec.outcomes, spec.concentration)
    if spec.sampler == "matrix":
        # dirichlet(size=(B, n)) gives B × (column j) × (entry i): transpose to make the columns sum to 1.
        a = rng.dirichlet(conc, size=(BLOCK, n)).transpose(0, 2, 1)
        c = rng.dirichlet(conc, size=BLOCK)
        alpha = rng.uniform(0.0, 1.0, size=BLOCK) if spec.alpha is None else np.full(BLOCK, float(spec.alpha))
        return {"A": a, "c": c, "alpha": alpha}
    q = rng.dirichlet(conc, size=(BLOCK, spec.m))
    u = rng.uniform(0.0, 1.0, size=(BLOCK, spec.m, n))
    beta = rng.uniform(spec.beta[0], spec.beta[1], size=BLOCK)
    return {"Q": q, "U": u, "beta": beta}


def world_of(spec: StudySpec, params: dict[str, np.ndarray], i: int) -> World:
    """Row ``i`` of :func:`sample`'s arrays as a world of the core."""
    if spec.sampler == "matrix":
        return MatrixWorld(A=params["A"][i], c=params["c"][i], alpha=float(params["alpha"][i]))
    return PolicyWorld(actions=tuple(f"action {a + 1}" for a in range(spec.m)), Q=params["Q"][i],
                       U=params["U"][i], policy=spec.policy, beta=float(params["beta"][i]))


def scenario_of(spec: StudySpec, params: dict[str, np.ndarray], i: int) -> Scenario:
    """Row ``i`` as a scenario (outcomes named ``outcome 1 .. n``), ready to save or open in the app."""
    return Scenario(tuple(f"outcome {k + 1}" for k in range(spec.outcomes)), world_of(spec, params, i),
                    spec.scoring_rule)


def scenario_at(spec: StudySpec, seed: int, index: int) -> Scenario:
    """World ``index`` of the study with this seed, alone, as a scenario."""
    return scenario_of(spec, sample(spec, seed, index, index + 1), 0)
