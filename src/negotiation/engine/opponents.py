"""Opponent models: how an offerer scores outcomes for the other side.

:func:`~negotiation.domain.tactics.select_offer` picks, among outcomes good
enough for the offerer, the one that scores best for its opponents. With
several opponents the score is the *lowest* of their (estimated) utilities
(``Space.belief``, ``domain/enumerated.lowest``): an offer stands only if
every one of them accepts, so the worst-served one is the one to win over.

- ``known``: the opponents' current utilities and deal-breakers are known
  (complete information; fits a negotiation whose positions are public).
- ``frequency``: the frequency model of the HardHeaded agent (van Krimpen,
  Looije & Hajizadeh 2013, ANAC 2011 winner; analysed in Baarslag et al.
  2013, "Predicting the performance of opponent models in automated
  negotiation"): options an opponent offers often are worth more to it;
  clauses whose option it rarely changes weigh more.
"""

from __future__ import annotations

import numpy as np

from ..domain.outcomes import OutcomeSpace


class FrequencyModel:
    """Estimated utility of one opponent from the offers it made."""

    def __init__(self, space: OutcomeSpace, learning_rate: float = 0.2) -> None:
        self.space = space
        n = len(space.clauses)
        self.counts = [[0.0] * k for k in space.shape]  # offers seen per option (plain floats: a few per clause)
        self.weights = np.full(n, 1.0 / max(n, 1))
        self.step = learning_rate / max(n, 1)
        self.last: tuple[int, ...] | None = None
        self._cache: np.ndarray | None = None

    def observe(self, outcome: int) -> None:
        options = self.space.option_indices(outcome)
        for counts, option in zip(self.counts, options):
            counts[option] += 1.0
        if self.last is not None:
            unchanged = np.array([a == b for a, b in zip(options, self.last)])
            self.weights = self.weights + self.step * unchanged
            self.weights = self.weights / self.weights.sum()
        self.last = options
        self._cache = None

    def tables(self) -> list[np.ndarray]:
        """The estimate clause by clause: weight × (count + 1) / (largest count + 1) per option."""
        return [np.array([w * (count + 1.0) / (top + 1.0) for count in counts])  # numpy's float64 arithmetic
                for w, counts, top in zip(self.weights.tolist(), self.counts, map(max, self.counts))]

    def utility(self) -> np.ndarray:
        if self._cache is None:
            self._cache = self.space.broadcast(self.tables(), np.add)
        return self._cache
