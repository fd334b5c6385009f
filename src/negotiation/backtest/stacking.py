"""The ensemble: a stacked mixture of the model and the baselines.

Stacking of predictive distributions (Yao, Vehtari, Simpson & Gelman 2018,
"Using stacking to average Bayesian predictive distributions", Bayesian
Analysis 13): weights w on the simplex that maximise the log score of the
mixture Σ_j w_j p_j over held-out data. Here the held-out data are whole
cases: for each case the weights are fit on every clause of every *other*
case of the library and the mixture is scored on the case left out, so the
ensemble is out of sample like every other predictor. The weight the fit on
the whole library puts on the model, with a bootstrap interval over cases,
says whether the simulation adds skill to the one-line baselines: a weight
near 0 means the mixture does as well without it.

The maximum is found by the EM algorithm for mixture weights (Dempster,
Laird & Rubin 1977): w_j ← mean over clauses of w_j p_ij / Σ_k w_k p_ik.
The log score is concave in w, every step increases it, and it converges
to the maximum from the uniform start; the probabilities are the smoothed
ones (ε floor), so no ratio divides by zero. Mixing smoothed forecasts is
the same as smoothing the mixture, so the ensemble is floored like the rest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .scoring import LEVEL

ITERATIONS = 3000
TOLERANCE = 1e-9
WEIGHT_BOOTSTRAP = 1000  # refits; each refit is a whole EM fit, so fewer than the 2,000 of a mean


def fit(q: np.ndarray, counts: np.ndarray | None = None) -> np.ndarray:
    """Stacking weights for ``q[i, j]``, the (smoothed) probability
    predictor j gave the real option of clause i. ``counts`` (B × clauses)
    fits B weighted problems at once (the bootstrap); then B × J weights."""
    q = np.asarray(q, dtype=float)
    n, k = q.shape
    single = counts is None
    c = np.ones((1, n)) if counts is None else np.asarray(counts, dtype=float)
    w = np.full((len(c), k), 1.0 / k)
    total = c.sum(axis=1, keepdims=True)
    for _ in range(ITERATIONS):
        mix = w @ q.T  # B × n
        new = w * ((c / mix) @ q) / total
        done = np.abs(new - w).max() < TOLERANCE
        w = new
        if done:
            break
    return w[0] if single else w


def log_score(q: np.ndarray, w: np.ndarray) -> float:
    """Mean log score of the mixture with weights ``w``."""
    return float(np.mean(np.log(np.asarray(q) @ w)))


def leave_one_case_out(q_by_case: Sequence[np.ndarray]) -> list[np.ndarray | None]:
    """Per case, the weights fit on every other case's clauses (None when
    there is no other case)."""
    out: list[np.ndarray | None] = []
    for k in range(len(q_by_case)):
        others = [q for j, q in enumerate(q_by_case) if j != k and len(q)]
        out.append(fit(np.vstack(others)) if others else None)
    return out


def weight_interval(q_by_case: Sequence[np.ndarray], column: int, seed: int = 0, n: int = WEIGHT_BOOTSTRAP,
                    level: float = LEVEL) -> tuple[float, float] | None:
    """Percentile interval of one predictor's weight, refitting on cases
    resampled with replacement (all clauses of a drawn case go together)."""
    cases = [q for q in q_by_case if len(q)]
    if len(cases) < 2:
        return None
    q = np.vstack(cases)
    owner = np.repeat(np.arange(len(cases)), [len(c) for c in cases])
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(cases), size=(n, len(cases)))
    per_case = np.stack([np.bincount(d, minlength=len(cases)) for d in draws])  # B × cases
    weights = fit(q, per_case[:, owner])
    lo, hi = np.quantile(weights[:, column], [(1 - level) / 2, (1 + level) / 2])
    return round(float(lo), 6), round(float(hi), 6)


def mixture(forecasts: Mapping[str, Mapping[str, np.ndarray]], names: Sequence[str],
            w: np.ndarray) -> dict[str, np.ndarray]:
    """Per clause, Σ_j w_j p_j over the named predictors' (raw) forecasts."""
    clauses = forecasts[names[0]]
    return {c: sum(float(wj) * np.asarray(forecasts[name][c], dtype=float) for name, wj in zip(names, w))
            for c in clauses}
