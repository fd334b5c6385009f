"""Bargaining math over the utility array: Pareto frontier and the classic
solution points (the domain's own math: the experiments' metrics, the
backtest's baselines, the analysis report and the app all read it here).

Everything here is a pure numpy function of ``U``, shape ``(n_outcomes,
n_parties)`` (row = outcome, column = party), the parties' reservation values
``rv`` and an optional boolean ``mask`` of the outcomes that may be agreed at
all (hard constraints: an outcome some party's constraints forbid can never be
an agreement, so it is neither on the frontier nor a solution, and it
dominates nothing). The definitions are the textbook ones (Nash 1950;
Kalai and Smorodinsky 1975; Kalai 1977):

- *dominates*: ``a`` dominates ``b`` when ``a ≥ b`` for every party and
  ``a > b`` for at least one.
- *Pareto frontier*: the allowed outcomes no allowed outcome dominates, over
  the whole space. Its *rational* part keeps those where every party gets at
  least its reservation value; it equals the frontier of the rational outcomes
  alone, since anything dominating a rational outcome is rational too.
- *Nash point* (Nash 1950, "The bargaining problem", Econometrica 18(2)):
  the rational outcome maximising ∏ (u_i − rv_i); the disagreement point is
  the reservation values.
- *Kalai–Smorodinsky point* (Kalai & Smorodinsky 1975, "Other solutions to
  Nash's bargaining problem", Econometrica 43(3)): with the ideal point
  I_i = max u_i over rational outcomes, the rational outcome maximising
  min_i (u_i − rv_i) / (I_i − rv_i). On a finite set this is exactly the K–S
  point of its free-disposal hull: the furthest point along the segment from
  the disagreement point to the ideal point that some outcome reaches.
- *Utilitarian point*: the rational outcome maximising Σ u_i.
- *Egalitarian point* (Kalai 1977, "Proportional solutions to bargaining
  situations", Econometrica 45(7)): the rational outcome maximising
  min_i (u_i − rv_i).

Ties. Outcomes with identical utility vectors are all kept on the frontier
(none dominates another). A solution point is picked among exact ties by the
leximin of the gains (the worst-off party first, then the next), then by the
utility vector in party order, and only among identical utility vectors by
the lowest outcome index. So the *utilities* of every result never depend on
the order outcomes are listed in, every point lies on the frontier (a
dominating outcome would win every one of these comparisons), and an
outcome's index is returned only when its utility vector is unique or it is
the first of its copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..runtime.lazy import numpy as np

BLOCK = 1024  # outcomes compared at once in the many-party frontier
CHUNK = 1 << 22  # elements per temporary comparison array (~4 MB of booleans)
POINTS = ("nash", "kalai_smorodinsky", "utilitarian", "egalitarian")


# -- checks ----------------------------------------------------------------------

def _utilities(U: Any) -> np.ndarray:
    U = np.asarray(U, dtype=np.float64)
    if U.ndim != 2 or U.shape[1] < 1:
        raise ValueError(f"utilities of shape (n_outcomes, n_parties) expected, got shape {U.shape}")
    if not np.isfinite(U).all():
        raise ValueError("utilities must be finite numbers")
    return U


def _reservations(rv: Any, n_parties: int) -> np.ndarray:
    rv = np.asarray(rv, dtype=np.float64).reshape(-1)
    if rv.shape != (n_parties,) or not np.isfinite(rv).all():
        raise ValueError(f"{n_parties} finite reservation values expected, got {rv.tolist()}")
    return rv


def _mask(mask: Any, n_outcomes: int) -> np.ndarray:
    if mask is None:
        return np.ones(n_outcomes, dtype=bool)
    mask = np.asarray(mask, dtype=bool).reshape(-1)
    if mask.shape != (n_outcomes,):
        raise ValueError(f"a mask of {n_outcomes} booleans expected, got {mask.shape[0]}")
    return mask


# -- dominance and the frontier ------------------------------------------------------

def dominates(a: Any, b: Any) -> np.ndarray:
    """Whether ``a`` dominates ``b`` (broadcast over leading axes): at least as
    good for every party and better for one."""
    a, b = np.asarray(a), np.asarray(b)
    at_least = a[..., 0] >= b[..., 0]  # column by column: far faster than reducing a short last axis
    better = a[..., 0] > b[..., 0]
    for j in range(1, a.shape[-1]):
        at_least &= a[..., j] >= b[..., j]
        better |= a[..., j] > b[..., j]
    return at_least & better


def pareto_front(U: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Sorted indices of the Pareto-optimal rows of ``U`` (exact).

    With ``mask``, only allowed rows count, as candidates and as dominators.
    First a few vectorised passes drop every row that one of a handful of
    strong rows (the best for several weightings of the parties) dominates;
    what is left is solved exactly: for two parties by one sort and a sweep,
    for more by sorting on the sum of utilities (a dominator never sorts
    after what it dominates) and comparing block by block with the frontier
    found so far.
    """
    U = _utilities(U)
    rows = np.flatnonzero(_mask(mask, U.shape[0]))
    if rows.size == 0:
        return rows.astype(np.int64)
    V = U[rows]
    if V.shape[1] == 1:
        return rows[V[:, 0] == V[:, 0].max()].astype(np.int64)
    alive = _prefilter(V)
    keep = _front_two(V[alive]) if V.shape[1] == 2 else _front_many(V[alive])
    return rows[alive[keep]].astype(np.int64)


def _prefilter(V: np.ndarray, n_pivots: int = 16) -> np.ndarray:
    """Indices of the rows that survive a few pivots. Dropping a row some row
    dominates is always safe, whoever dominates it, so a pivot needs no
    special property; the best row for a positive weighting of the parties
    (each party alone, all equally, a few fixed mixes) tends to dominate a lot.
    Each pass works on the survivors of the previous ones."""
    m = V.shape[1]
    mixes = np.random.default_rng(0).dirichlet(np.ones(m), max(0, n_pivots - m - 1))  # fixed seed: fixed mixes
    weights = np.vstack([np.eye(m) + 1e-3, np.ones((1, m)), mixes])
    cols = [np.ascontiguousarray(V[:, j]) for j in range(m)]
    alive = np.arange(V.shape[0])
    for w in weights:
        score = cols[0] * w[0]
        for j in range(1, m):
            score += cols[j] * w[j]
        p = [c[int(score.argmax())] for c in cols]
        at_most, worse = cols[0] <= p[0], cols[0] < p[0]
        for j in range(1, m):
            at_most &= cols[j] <= p[j]
            worse |= cols[j] < p[j]
        keep = ~(at_most & worse)  # p dominates these
        if not keep.all():
            alive, cols = alive[keep], [c[keep] for c in cols]
    return alive


def _front_two(V: np.ndarray) -> np.ndarray:
    """Two parties: sort by u0, best first. A row is dominated iff a row of a
    larger u0 has a u1 at least as large, or a row of the same u0 a larger u1."""
    n = V.shape[0]
    order = np.argsort(-V[:, 0], kind="stable")
    x, y = V[order, 0], V[order, 1]
    starts = np.flatnonzero(np.r_[True, x[1:] != x[:-1]])
    group = np.repeat(np.arange(starts.size), np.diff(np.r_[starts, n]))
    best_in_group = np.maximum.reduceat(y, starts)
    best_before = np.r_[-np.inf, np.maximum.accumulate(best_in_group)[:-1]]  # over larger u0
    keep_sorted = (y == best_in_group[group]) & (y > best_before[group])
    keep = np.empty(n, dtype=bool)
    keep[order] = keep_sorted
    return keep


def _dominated_by_any(X: np.ndarray, F: np.ndarray) -> np.ndarray:
    """For each row of X, whether some row of F dominates it. F is taken in
    chunks, and rows of X already dominated skip the later chunks."""
    out = np.zeros(X.shape[0], dtype=bool)
    step = 256
    for first in range(0, X.shape[0], 4 * BLOCK):
        todo = np.arange(first, min(X.shape[0], first + 4 * BLOCK))
        for start in range(0, F.shape[0], step):
            if todo.size == 0:
                break
            hit = dominates(F[None, start:start + step, :], X[todo][:, None, :]).any(axis=1)
            out[todo[hit]] = True
            todo = todo[~hit]
    return out


def _front_many(V: np.ndarray) -> np.ndarray:
    """Three or more parties. Rows sorted by decreasing sum (added column by
    column, so a dominator's float sum is never smaller); a block always ends
    with a whole run of equal sums, so every dominator of a row is in the
    row's block or an earlier one, and the frontier never needs pruning."""
    n = V.shape[0]
    total = V[:, 0].copy()
    for j in range(1, V.shape[1]):
        total += V[:, j]
    order = np.argsort(-total, kind="stable")
    W, neg = V[order], -total[order]
    keep_sorted = np.zeros(n, dtype=bool)
    F = np.empty((0, V.shape[1]))
    start = 0
    while start < n:
        end = int(np.searchsorted(neg, neg[min(n, start + BLOCK) - 1], side="right"))
        X = W[start:end]
        fresh = np.flatnonzero(~_dominated_by_any(X, F))
        inner = fresh[~_dominated_by_any(X[fresh], X[fresh])]
        keep_sorted[start + inner] = True
        F = np.concatenate([F, X[inner]])
        start = end
    keep = np.empty(n, dtype=bool)
    keep[order] = keep_sorted
    return keep


def rational(U: np.ndarray, reservations: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Boolean mask of the allowed outcomes every party weakly prefers to no deal."""
    U = _utilities(U)
    rv = _reservations(reservations, U.shape[1])
    return _mask(mask, U.shape[0]) & (U >= rv).all(axis=1)


def rational_front(U: np.ndarray, reservations: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Sorted indices of the rational part of the frontier (NegMAS's
    ``pareto_frontier`` returns this set)."""
    return pareto_front(U, rational(U, reservations, mask))


# -- solution points -----------------------------------------------------------------

def _pick(rows: np.ndarray, score: np.ndarray, gains: np.ndarray, U: np.ndarray) -> int | None:
    """Among ``rows`` the best ``score``; exact ties go to the leximin of the
    gains, then the utility vector in party order, then the lowest index."""
    if rows.size == 0:
        return None
    top = score == score.max()
    rows, gains = rows[top], gains[top]
    if rows.size == 1:
        return int(rows[0])
    worst_first = np.sort(gains, axis=1)
    keys = [rows] + [-U[rows, j] for j in reversed(range(U.shape[1]))]
    keys += [-worst_first[:, j] for j in reversed(range(worst_first.shape[1]))]
    return int(rows[np.lexsort(keys)[0]])


def _rational_gains(U: Any, reservations: Any, mask: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    U = _utilities(U)
    rv = _reservations(reservations, U.shape[1])
    rows = np.flatnonzero(_mask(mask, U.shape[0]) & (U >= rv).all(axis=1))
    return U, rows, U[rows] - rv


def nash_point(U: np.ndarray, reservations: np.ndarray, mask: np.ndarray | None = None) -> int | None:
    """Index of the Nash bargaining point (Nash 1950): the rational outcome
    maximising the product of gains over the reservation values, which are
    the disagreement point. ``None`` when no allowed outcome is rational."""
    U, rows, gains = _rational_gains(U, reservations, mask)
    return _pick(rows, np.prod(gains, axis=1), gains, U)


def kalai_smorodinsky_point(U: np.ndarray, reservations: np.ndarray,
                            mask: np.ndarray | None = None) -> int | None:
    """Index of the Kalai–Smorodinsky point (Kalai & Smorodinsky 1975): the
    rational outcome maximising the smallest gain as a share of the party's
    ideal gain (its best over rational outcomes). A party whose ideal equals
    its reservation value gains nothing anywhere and is left out of the min."""
    U, rows, gains = _rational_gains(U, reservations, mask)
    if rows.size == 0:
        return None
    ideal = gains.max(axis=0)
    share = np.where(ideal > 0, gains / np.where(ideal > 0, ideal, 1.0), 1.0)
    return _pick(rows, share.min(axis=1), share, U)


def utilitarian_point(U: np.ndarray, reservations: np.ndarray, mask: np.ndarray | None = None) -> int | None:
    """Index of the rational outcome with the largest sum of utilities."""
    U, rows, gains = _rational_gains(U, reservations, mask)
    return _pick(rows, U[rows].sum(axis=1), gains, U)


def egalitarian_point(U: np.ndarray, reservations: np.ndarray, mask: np.ndarray | None = None) -> int | None:
    """Index of the rational outcome maximising the smallest gain over the
    reservation values (Kalai 1977; NegMAS calls it ``kalai_points``)."""
    U, rows, gains = _rational_gains(U, reservations, mask)
    return _pick(rows, gains.min(axis=1), gains, U)


# -- distances -----------------------------------------------------------------------

def distance_to_set(points: Any, targets: Any) -> np.ndarray:
    """Euclidean distance in utility space from each of ``points`` (shape
    ``(k, n_parties)`` or one vector) to the nearest of ``targets``; ``inf``
    when ``targets`` is empty."""
    P = np.atleast_2d(np.asarray(points, dtype=np.float64))
    T = np.atleast_2d(np.asarray(targets, dtype=np.float64))
    out = np.full(P.shape[0], np.inf)
    if T.size == 0:
        return out
    step = max(1, CHUNK // max(1, P.shape[0] * P.shape[1]))
    for start in range(0, T.shape[0], step):
        diff = P[:, None, :] - T[None, start:start + step, :]
        out = np.minimum(out, np.sqrt((diff * diff).sum(axis=-1)).min(axis=1))
    return out


# -- everything at once --------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Bargaining:
    """The analysis of one bargaining problem: frontier and solution points
    as outcome indices (``None`` where no allowed outcome is rational)."""

    utilities: np.ndarray
    reservations: np.ndarray
    allowed: np.ndarray
    pareto: np.ndarray
    rational_pareto: np.ndarray
    nash: int | None
    kalai_smorodinsky: int | None
    utilitarian: int | None
    egalitarian: int | None

    @property
    def points(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in POINTS}

    def distance_to_frontier(self, utilities: Any) -> float:
        """Euclidean distance from a utility vector to the nearest frontier outcome."""
        return float(distance_to_set(utilities, self.utilities[self.pareto])[0])

    def distances(self, utilities: Any) -> dict[str, float | None]:
        """Distance from a utility vector to the frontier and to each point."""
        u = np.asarray(utilities, dtype=np.float64)
        out: dict[str, float | None] = {"frontier": self.distance_to_frontier(u)}
        for name, index in self.points.items():
            out[name] = None if index is None else float(np.linalg.norm(u - self.utilities[index]))
        return out


def analyse(U: np.ndarray, reservations: np.ndarray, mask: np.ndarray | None = None) -> Bargaining:
    """Frontier, rational frontier and the four solution points of ``U``."""
    U = _utilities(U)
    rv = _reservations(reservations, U.shape[1])
    allowed = _mask(mask, U.shape[0])
    front = pareto_front(U, allowed)
    return Bargaining(U, rv, allowed, front, front[(U[front] >= rv).all(axis=1)],
                      nash_point(U, rv, allowed), kalai_smorodinsky_point(U, rv, allowed),
                      utilitarian_point(U, rv, allowed), egalitarian_point(U, rv, allowed))
