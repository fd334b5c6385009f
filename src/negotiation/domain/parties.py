"""Parties: who sits at (or around) the table, as validated frozen data.

Every party has a name and a role. What each role holds, how it is read from
a scenario, what it does in a run and how it is described lives in one
module per role (``negotiation/roles/``); this module keeps the data that
several roles share: a bargainer's strategy, and the effect an event has on
a bargainer's preferences.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from .acceptance import ACCEPTANCES, Acceptance
from .preferences import Preferences, normalise_weights
from .tactics import TACTICS, Tactic


@dataclass(frozen=True)
class StrategySpec:
    """A tactic, its acceptance conditions and its opponent model, by name."""

    name: str
    params: tuple[tuple[str, float], ...] = ()
    acceptance: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = (("ac_next", ()),)
    opponent_model: str = "frequency"

    def build(self) -> tuple[Tactic, list[Acceptance]]:
        return (TACTICS[self.name](**{k: float(v) for k, v in self.params}),
                [ACCEPTANCES[name](**{k: float(v) for k, v in params}) for name, params in self.acceptance])


@dataclass(frozen=True)
class Party:
    """A party and its role. Bargainers hold preferences and a strategy, and
    may have a hard ``deadline``, a ``horizon`` their tactic paces itself to
    when they have none, and soft deadlines (``domain/deadlines.py``)."""

    name: str
    role: str
    preferences: Preferences | None = None
    strategy: StrategySpec | None = None
    deadline: dt.date | None = None
    horizon: dt.date | None = None
    soft_deadlines: tuple[SoftDeadline, ...] = ()
    loss_aversion: float | None = None  # λ of a reference-dependent bargainer (preferences.loss_averse), already applied


@dataclass(frozen=True)
class Effect:
    """How an event moves a bargainer's preferences: ``reservation`` is added
    to its reservation value (clipped to [0, 1]); ``weights`` are added to its
    normalised clause weights, which are then normalised again."""

    reservation: float = 0.0
    weights: tuple[tuple[str, float], ...] = ()

    def apply(self, prefs: Preferences) -> Preferences:
        weights = dict(prefs.weights)
        for clause, delta in self.weights:
            weights[clause] = max(0.0, weights.get(clause, 0.0) + delta)
        moved = replace(prefs, weights=normalise_weights(weights)) if self.weights else prefs
        return moved.with_reservation(prefs.reservation + self.reservation)

    def describe(self) -> str:
        parts = [f"reservation {self.reservation:+.2f}"] if self.reservation else []
        parts += [f"weight of {clause} {delta:+.2f}" for clause, delta in self.weights]
        return ", ".join(parts) or "no change"


@dataclass(frozen=True)
class SoftDeadline:
    """A dated cost: ``cost`` applies on ``on`` unless a definitive agreement
    exists by then."""

    on: dt.date
    cost: Effect
