"""What the runs of an experiment have in common, computed once per process.

Every run of a Monte Carlo, a sweep cell or a what-if arm plays the same
clauses: the same outcome space (one object, ``OutcomeSpace.of``). Most parties' constraints are never
perturbed, so their allowed masks at the start of a run are the same in
every run; without noise, so are the utility arrays. A worker process keeps
them here (a small least-recently-used cache, keyed by the space and the
exact preferences) instead of recomputing them at the start of each run and
after every event; the arrays are read-only, so sharing them cannot leak
state from one run into another.
"""

from __future__ import annotations

from functools import lru_cache

from ..runtime.lazy import numpy as np

from .links import Link
from .outcomes import OutcomeSpace
from .preferences import Constraint, Preferences, allowed, utility

SHARED_MAX_OUTCOMES = 2_000_000  # larger arrays are not kept (16 MB each): a cache must not hold gigabytes


def utility_array(prefs: Preferences, space: OutcomeSpace) -> np.ndarray:
    """``preferences.utility``, shared between runs with the same weights and values."""
    if space.size > SHARED_MAX_OUTCOMES:
        return utility(prefs, space)
    return _utility(space, tuple(prefs.weights.items()), tuple(prefs.values.items()))


def allowed_mask(prefs: Preferences, space: OutcomeSpace) -> np.ndarray:
    """``preferences.allowed``, shared between runs with the same constraints."""
    if space.size > SHARED_MAX_OUTCOMES:
        return allowed(prefs, space)
    return _allowed(space, prefs.constraints, prefs.links)


@lru_cache(maxsize=8)
def _utility(space: OutcomeSpace, weights: tuple, values: tuple) -> np.ndarray:
    return _read_only(utility(Preferences(dict(weights), dict(values)), space))


@lru_cache(maxsize=32)
def _allowed(space: OutcomeSpace, constraints: tuple[Constraint, ...], links: tuple[Link, ...]) -> np.ndarray:
    return _read_only(allowed(Preferences({}, {}, constraints=constraints, links=links), space))


def _read_only(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array
