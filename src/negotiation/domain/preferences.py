"""Preferences: linear additive utility functions, as in GENIUS.

u(ω) = Σ_c w_c · eval_c(ω_c) / max eval_c, with the weights summing to 1
(Lin et al. 2014, "GENIUS: an integrated environment for supporting the
design of generic automated negotiators"), so every utility lies in [0, 1].
A party may also hold hard constraints (an outcome violating one is never
acceptable to it, whatever its utility) and a reservation value: the utility
of no agreement, its BATNA (Fisher & Ury 1981), which events may move.

Everything here is a pure function of frozen data; utilities over the whole
outcome space are one broadcast numpy expression.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from ..runtime.lazy import numpy as np

from .links import Link, links_mask
from .outcomes import OutcomeSpace


@dataclass(frozen=True)
class Constraint:
    """Options of one clause a party can live with (others are deal-breakers)."""

    clause: str
    allowed: tuple[bool, ...]
    text: str  # as written in the YAML, for messages and logs

    def admits(self, option_index: int) -> bool:
        return self.allowed[option_index]


@dataclass(frozen=True)
class Preferences:
    """One party's utility function over the outcome space.

    ``weights`` maps every clause to a non-negative weight (normalised to sum
    to 1); ``values`` every clause to one value per option (normalised so the
    best option is worth 1, as GENIUS does with its evaluations).
    """

    weights: dict[str, float]
    values: dict[str, tuple[float, ...]]
    reservation: float = 0.0
    constraints: tuple[Constraint, ...] = ()
    links: tuple[Link, ...] = ()  # the scenario's rules over several clauses (``links.py``), the same for all

    def with_reservation(self, reservation: float) -> Preferences:
        return replace(self, reservation=float(np.clip(reservation, 0.0, 1.0)))


def normalise_weights(raw: dict[str, float]) -> dict[str, float]:
    """Scale non-negative weights to sum to 1 (GENIUS convention)."""
    total = sum(raw.values())
    if total <= 0:
        raise ValueError("weights must not all be zero")
    return {clause: w / total for clause, w in raw.items()}


def normalise_values(raw: tuple[float, ...]) -> tuple[float, ...]:
    """Divide option evaluations by the largest (GENIUS: eval / max eval)."""
    top = max(raw)
    if top <= 0:
        raise ValueError("option values must not all be zero")
    return tuple(v / top for v in raw)


SHAPES = {"increasing": (True, 1.0), "decreasing": (False, 1.0),
          "concave_increasing": (True, 0.5), "concave_decreasing": (False, 0.5)}


def ramp(n: int, increasing: bool = True, power: float = 1.0) -> tuple[float, ...]:
    """Values over ordered options: 0 for the worst, 1 for the best.

    ``power`` 1 is linear; ``power`` 0.5 (the ``concave_*`` shapes) gives
    diminishing marginal value, the shape of a risk-averse utility over money
    or time (Keeney & Raiffa 1976, *Decisions with Multiple Objectives*, ch. 4):
    the first steps away from the worst option matter most.

    Equal, bit for bit, to ``numpy.linspace(0, 1, n) ** power`` (reading a
    scenario then needs no numpy): the steps are ``i * (1 / (n - 1))`` and
    the last is exactly 1, as ``linspace`` computes them, and the square root
    is ``math.sqrt``, as numpy's ``** 0.5`` is (``x ** 0.5``, the C ``pow``,
    differs from it in the last bit for some ``x``).
    """
    if n <= 1:
        return (1.0,)
    step = 1.0 / (n - 1)
    steps = [i * step for i in range(n - 1)] + [1.0]
    values = [math.sqrt(v) if power == 0.5 else v ** power for v in steps]
    return tuple(values if increasing else values[::-1])


def utility(prefs: Preferences, space: OutcomeSpace) -> np.ndarray:
    """Utility of every outcome, shape ``(space.size,)``, values in [0, 1]."""
    per_clause = [prefs.weights.get(c.name, 0.0) * np.asarray(prefs.values.get(c.name, np.zeros(len(c.options))))
                  for c in space.clauses]
    return space.broadcast(per_clause, np.add).astype(np.float64, copy=False)


def allowed(prefs: Preferences, space: OutcomeSpace) -> np.ndarray:
    """Boolean mask of the outcomes that break none of the party's
    constraints, nor any link between clauses."""
    if not prefs.constraints:
        return links_mask(prefs.links, space)
    per_clause = [np.ones(len(c.options), dtype=bool) for c in space.clauses]
    for constraint in prefs.constraints:
        i = space.names.index(constraint.clause)
        per_clause[i] = per_clause[i] & np.asarray(constraint.allowed)
    mask = space.broadcast(per_clause, np.logical_and).copy()
    return mask & links_mask(prefs.links, space) if prefs.links else mask


def loss_averse(prefs: Preferences, reference: dict[str, int], lam: float) -> Preferences:
    """The party's preferences when it values changes from a reference
    outcome (the status quo) asymmetrically: loss aversion (Kahneman &
    Tversky 1979, prospect theory; Tversky & Kahneman 1991, "Loss aversion in
    riskless choice": losses weigh about λ ≈ 2 times gains).

    u(o) = u(sq) + Σ_c w_c · g(v_c(o_c) − v_c(sq_c)), g(x) = x for a gain and
    λ·x for a loss, on every clause in ``reference`` (clause → the index of
    its status-quo option); a clause without one counts as before. The sum is
    still additive over clauses, so it is rescaled to [0, 1] over the outcome
    space by one affine map: the worst outcome 0, the best 1 (each the sum of
    its clauses' extremes, so no outcome is enumerated). What comes back is
    again a linear additive utility (each clause's shifted values scaled to
    [0, 1], its weight in proportion to their span), so every part of the
    engine reads it unchanged. The reservation value moves by the same map,
    so no deal keeps its place among the outcomes (R1's no-deal utility, the
    status quo, stays the status quo's); events that move it later move it
    in these units. With λ = 1 and every clause's worst option valued 0 (as
    V1 and V3 of docs/codebook.md give) it is the linear utility exactly.
    """
    shifted, weights = {}, {}
    for clause, raw in prefs.values.items():
        v = np.asarray(raw, dtype=float)
        if clause in reference:
            d = v - v[reference[clause]]
            v = np.where(d < 0, lam * d, d)
        shifted[clause] = v
    low = sum(prefs.weights.get(c, 0.0) * float(v.min()) for c, v in shifted.items())
    high = sum(prefs.weights.get(c, 0.0) * float(v.max()) for c, v in shifted.items())
    span = high - low
    if span <= 0:  # the party is indifferent between all outcomes: nothing to rescale
        return prefs
    values = {}
    for clause, v in shifted.items():
        width = float(v.max() - v.min())
        weights[clause] = prefs.weights.get(clause, 0.0) * width / span
        values[clause] = tuple(((v - v.min()) / width).tolist()) if width > 0 else tuple(1.0 for _ in v)
    for clause, w in prefs.weights.items():
        weights.setdefault(clause, 0.0 if clause in shifted else w)
    # the reservation, written on the linear scale, moves by the same map: the status quo's utility stays its own
    sq = sum(prefs.weights.get(c, 0.0) * float(prefs.values[c][i]) for c, i in reference.items() if c in prefs.values)
    reservation = (prefs.reservation - sq - low) / span
    return replace(prefs, weights=weights, values=values, reservation=float(np.clip(reservation, 0.0, 1.0)))
