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
from .discounting import CostOfDelay
from .preferences import Preferences, normalise_weights
from .registry import tactic_class
from .tactics import Tactic


@dataclass(frozen=True)
class StrategySpec:
    """A tactic, its acceptance conditions and its opponent model, by name."""

    name: str
    params: tuple[tuple[str, float], ...] = ()
    acceptance: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = (("ac_next", ()),)
    opponent_model: str = "frequency"

    def build(self) -> tuple[Tactic, list[Acceptance]]:
        cls = tactic_class(self.name)
        if cls is None:  # a registered tactic this process does not know (a worker it was not shipped to)
            raise LookupError(f"tactic {self.name!r} is not registered in this process")
        return (cls(**{k: float(v) for k, v in self.params}),
                [ACCEPTANCES[name](**{k: float(v) for k, v in params}) for name, params in self.acceptance])


@dataclass(frozen=True)
class Party:
    """A party and its role. Bargainers hold preferences and a strategy, and
    may have a hard ``deadline``, a ``horizon`` their tactic paces itself to
    when nothing else dates it, soft deadlines (``domain/deadlines.py``), a
    cost of delay (``domain/discounting.py``), and shared stakes: (party,
    share) when it bears ``share`` of that party's dated costs and investor
    money, in its own utility."""

    name: str
    role: str
    preferences: Preferences | None = None
    strategy: StrategySpec | None = None
    deadline: dt.date | None = None
    horizon: dt.date | None = None
    soft_deadlines: tuple[SoftDeadline, ...] = ()
    cost_of_delay: CostOfDelay | None = None
    shared_stakes: tuple[tuple[str, float], ...] = ()
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
