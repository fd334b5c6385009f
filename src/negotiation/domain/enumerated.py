"""The enumerated outcome space: numpy arrays over every outcome.

Up to :data:`~negotiation.domain.outcomes.ENUMERATION_LIMIT` outcomes a
party's utility is one array over the space and its constraints one boolean
mask (``preferences.py``, shared between the runs of a process by
``shared.py``); an offer is the two steps of ``tactics.py`` (the tactic's
target, then the outcome best for the opponents among those reaching it), a
walk-away test one comparison per party, and the analysis the exact
frontier and points of ``bargaining.py`` over every outcome (Nash 1950;
Kalai & Smorodinsky 1975; Kalai 1977). Nothing loops over outcomes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..runtime.lazy import numpy as np

from .outcomes import OutcomeSpace
from .preferences import Preferences, allowed
from .shared import allowed_mask, utility_array
from .space_types import Analysis, Estimate, Floored, Position, Problem
from .tactics import EPS, Ranking, Tactic, View, masked_utility


@dataclass(frozen=True, eq=False)
class EnumeratedPosition(Position):
    """A position over every outcome; ``held`` keeps its ranking, made on first
    use and handed on to the next position of the same party while its
    masked utility is the same array (a moved reservation value changes
    neither utilities nor constraints)."""

    held: list[Ranking | None] = field(default_factory=lambda: [None])

    @property
    def ranking(self) -> Ranking:
        if self.held[0] is None:
            assert self.masked is not None
            self.held[0] = Ranking(self.masked)
        return self.held[0]


def lowest(scores: Sequence[np.ndarray], size: int) -> np.ndarray:
    """Element-wise minimum over the opponents (all-equal when there are none):
    an offer stands only if every opponent accepts it, so the worst-served
    one is the one to win over."""
    if not scores:
        return np.zeros(size)
    return np.minimum.reduce(scores) if len(scores) > 1 else scores[0]


class Enumerated:
    """The :class:`~negotiation.domain.spaces.Space` of every outcome in arrays."""

    def __init__(self, outcomes: OutcomeSpace) -> None:
        self.outcomes = outcomes

    def position(self, preferences: Preferences, before: Position | None = None) -> Position:
        """The utility array is recomputed only when weights or values changed,
        the allowed mask only when constraints did, both shared with other runs
        of this process (``shared.py``)."""
        space, old = self.outcomes, None if before is None else before.preferences
        same_values = old is not None and old.weights == preferences.weights and old.values == preferences.values
        utility = before.utility if same_values else utility_array(preferences, space)  # type: ignore[union-attr]
        same_rules = old is not None and old.constraints == preferences.constraints and old.links == preferences.links
        mask = before.allowed if same_rules else allowed_mask(preferences, space)  # type: ignore[union-attr]
        if before is not None and utility is before.utility and mask is before.allowed:
            return EnumeratedPosition(preferences, utility, mask, before.best, before.masked,
                                      before.held)  # type: ignore[attr-defined]
        masked = masked_utility(utility, mask)
        return EnumeratedPosition(preferences, utility, mask, float(masked.max()), masked)  # −inf: allows nothing

    def unplayable(self, strategy: str, tactic: Tactic) -> str | None:
        return None  # every tactic offers over an enumerated space

    def belief(self, me: Position, known: Sequence[Position] | None, estimates: Sequence[Estimate]) -> np.ndarray:
        """The opponents' score of each outcome: their true utilities, −inf where
        one rules it out (an outcome some opponent rules out is then chosen only
        when every candidate is, as a score of −1 would), or the estimates; the
        lowest of them."""
        if known is not None:
            return lowest([p.masked for p in known], self.outcomes.size)  # type: ignore[misc]
        return lowest([e.utility() for e in estimates], self.outcomes.size)

    def offer(self, tactic: Tactic, view: View, me: Position, belief: np.ndarray, floor: float,
              rng: np.random.Generator) -> int:
        return tactic.propose(view, belief, rng)

    def hope(self, me: Position, others: Sequence[Floored]) -> float:
        if not others:
            return me.best
        candidates = me.masked
        for other, floor in others:
            candidates = np.where(other.masked >= floor - EPS, candidates, -np.inf)
        return float(candidates.max())  # type: ignore[union-attr]

    def hopeless(self, me: Position, floor: float, others: Sequence[Floored], belief: Callable[[], Any],
                 hint: dict[str, Any]) -> bool:
        """One comparison per party (masked: −inf where not allowed). ``hint``
        keeps the outcome that showed a deal possible last time: while it still
        does, no pass over the space is needed."""
        parties = [(me, floor), *others]
        witness = hint.get("witness")
        if witness is not None and all(p.masked[witness] >= f - EPS for p, f in parties):  # type: ignore[index]
            return False
        possible = me.masked >= floor - EPS  # type: ignore[operator]
        for other, f in others:
            possible &= other.masked >= f - EPS  # type: ignore[operator]
        hint["witness"] = int(possible.argmax()) if possible.any() else None
        return hint["witness"] is None

    def analyse(self, problem: Problem) -> Analysis:
        """Every outcome's utilities; an outcome any party rules out is neither on
        the frontier nor a point (``bargaining.analyse``)."""
        from .bargaining import analyse

        space = self.outcomes
        U = np.column_stack([utility_array(p, space) for p in problem.preferences])
        mask = np.ones(space.size, dtype=bool)
        ruled_out: dict[str, int] = {}
        for name, rule in problem.rules:
            ok = rule.mask(space) if rule.mask is not None else \
                allowed(Preferences(weights={}, values={}, constraints=rule.constraints), space)
            ruled_out[name] = int((~ok).sum())
            mask &= ok
        r = analyse(U, problem.reservations, mask)
        return Analysis(space, problem.parties, r.reservations, int(r.allowed.sum()), r.pareto, r.rational_pareto,
                        U[r.pareto], r.points, U, ruled_out=ruled_out, exhaustive=r)
