"""A bargainer over an outcome space too large to enumerate.

Above :data:`~negotiation.domain.clausewise.ENUMERATION_LIMIT` outcomes no
utility array is built: the bargainer keeps its utility clause by clause
(``utility[outcome]`` and ``allowed[outcome]`` still work, as sums and
checks of per-clause lookups), and it makes its offer by the exact search
of :mod:`negotiation.domain.clausewise`: its tactic sets the target utility
as always, then the outcome best for its opponent among those worth at
least the target is read off the two parties' Pareto frontier, which is
computed again only when some preferences (or, with the frequency model,
the estimate) change. The scenario has two bargainers (checked when it is
read), so "its opponent" is one party.

Differences from the enumerated search, all deterministic: among outcomes
that tie exactly, the frontier keeps one (no draw from the run's random
generator); with the ``known`` model, when no outcome the opponent allows
reaches the target, the search ignores the opponent's constraints (the
enumerated search draws at random among all such outcomes); the ``random``
tactic draws by rejection sampling (4,096 draws a turn, its best outcome if
none qualifies).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..domain.clausewise import (EPS, ClausewiseAllowed, ClausewiseUtility, Frontier, best_options, both,
                                 clause_allowed, clause_tables, pareto_frontier, sample_at_least, total)
from ..domain.preferences import Preferences
from ..domain.tactics import Tactic
from ..errors import InputError
from .agents import Bargainer


class ClausewiseBargainer(Bargainer):
    """A :class:`Bargainer` whose utility is kept clause by clause."""

    def set_preferences(self, preferences: Preferences) -> None:
        space = self.model.space
        self.preferences = preferences
        self.tables = clause_tables(preferences, space)
        self.options_allowed = clause_allowed(preferences, space)
        self.utility: Any = ClausewiseUtility(space, self.tables)
        self.allowed: Any = ClausewiseAllowed(space, self.options_allowed)
        self.best_outcome = best_options(self.tables, self.options_allowed)
        self.best = total(self.tables, self.best_outcome) if self.best_outcome is not None else 0.0
        self.model.preferences_changed()

    def masked(self) -> None:  # type: ignore[override]
        return None  # no array: offers come from the frontier

    def opponent(self) -> ClausewiseBargainer:
        (other,) = self.opponents()
        assert isinstance(other, ClausewiseBargainer)
        return other

    def opponent_tables(self) -> tuple[np.ndarray, ...]:
        """What it believes the opponent's per-clause utilities are."""
        other = self.opponent()
        if self.opponent_model == "known":
            return other.tables
        estimate = self.estimates.get(other.name)
        if estimate is None:  # nothing offered yet: every outcome looks alike to it
            return tuple(np.zeros_like(t) for t in self.tables)
        return tuple(estimate.tables())

    def frontiers(self) -> list[Frontier]:
        """Where it searches, in order: outcomes both allow (when it knows the
        opponent's constraints), then outcomes it allows."""
        def compute() -> list[Frontier]:
            theirs = self.opponent_tables()
            found = [pareto_frontier(self.tables, theirs, self.options_allowed)]
            if self.opponent_model == "known":
                joint = both(self.options_allowed, self.opponent().options_allowed)
                found.insert(0, pareto_frontier(self.tables, theirs, joint))
            return found

        # the frequency estimate moves with each offer received
        key = (self.model.preferences_version, 0 if self.opponent_model == "known" else len(self.received))
        if getattr(self, "_frontiers", (None,))[0] != key:
            self._frontiers = (key, compute())
        return self._frontiers[1]

    def search(self, target: float) -> tuple[int, ...]:
        """The outcome best for the opponent among those worth at least
        ``target``; its own best outcome if none is (target above its best)."""
        frontiers = self.frontiers()
        for frontier in frontiers:
            row = frontier.best_for_other(target)
            if row is not None:
                return tuple(int(o) for o in frontier.options[row])
        own = frontiers[-1]
        assert self.best_outcome is not None and len(own)
        return tuple(int(o) for o in own.options[len(own) - 1])

    def propose(self) -> int:
        view = self.view()
        if self.strategy.name == "random":
            options = sample_at_least(self.tables, self.options_allowed, self.floor(), self.model.rng) \
                or self.best_outcome
        elif type(self.strategy).target is Tactic.target:  # a registered tactic that only proposes
            raise InputError(self.model.spec.source, f"parties.{self.name}.strategy.name",
                             f"a tactic with a target(view) expected: {self.strategy.name} only proposes, and "
                             "this outcome space is too large to enumerate (searched clause by clause)")
        else:
            options = self.search(self.strategy.aspiration(view))
        assert options is not None
        offer = self.model.space.index_of(options)
        self.own_offers.append(offer)
        return offer

    def hopeless(self) -> bool:
        """Nothing it allows is worth its reservation value, or (knowing its
        opponent) nothing both allow is worth both reservation values."""
        if self.best_outcome is None or self.best < self.floor() - EPS:
            return True
        if self.opponent_model != "known":
            return False
        other = self.opponent()

        def compute() -> bool:
            joint = self.frontiers()[0]
            row = joint.best_for_other(self.floor())
            return row is None or bool(joint.other[row] < other.floor() - EPS)

        return compute() if self.delay is not None or other.delay is not None else bool(self.cached("hopeless", compute))
