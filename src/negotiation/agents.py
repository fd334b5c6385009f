"""Mesa agents: the parties at the table.

Agents hold state (their current preferences, what they offered and
received) and call the pure functions of ``preferences``, ``strategies`` and
``opponents``; the model decides who acts when (``protocol``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from .opponents import FrequencyModel, known_score, lowest
from .preferences import Preferences, allowed, utility
from .scenario import Party
from .strategies import EPS, View

if TYPE_CHECKING:
    from .model import NegotiationModel


class Bargainer(mesa.Agent):
    """Makes and answers offers (Microsoft and OpenAI in the default scenario)."""

    model: NegotiationModel

    def __init__(self, model: NegotiationModel, party: Party) -> None:
        super().__init__(model)
        assert party.preferences is not None and party.strategy is not None
        self.name = party.name
        self.party = party
        self.strategy, self.acceptance = party.strategy.build()
        self.opponent_model = party.strategy.opponent_model
        self.deadline = party.deadline or model.spec.calendar.deadline
        self.own_offers: list[int] = []
        self.received: list[int] = []
        self.estimates: dict[str, FrequencyModel] = {}
        self.set_preferences(party.preferences)

    # -- state -----------------------------------------------------------------
    def set_preferences(self, preferences: Preferences) -> None:
        """Adopt new preferences (an event moved a value or the BATNA) and
        recompute the utility arrays: one numpy expression each."""
        space = self.model.space
        self.preferences = preferences
        self.utility = utility(preferences, space)
        self.allowed = allowed(preferences, space)
        self.best = float(self.utility[self.allowed].max())

    @property
    def reservation(self) -> float:
        return self.preferences.reservation

    def relative_time(self) -> float:
        return self.model.spec.calendar.relative(self.model.date, self.deadline)

    def view(self) -> View:
        return View(self.relative_time(), self.utility, self.allowed, self.reservation, self.best,
                    self.own_offers, self.received)

    def opponents(self) -> list[Bargainer]:
        return [b for b in self.model.bargainers if b is not self]

    # -- acting ----------------------------------------------------------------
    def opponent_score(self) -> np.ndarray:
        size = self.model.space.size
        if self.opponent_model == "known":
            return known_score([(b.utility, b.allowed) for b in self.opponents()], size)
        return lowest([self.estimates[b.name].utility() for b in self.opponents() if b.name in self.estimates], size)

    def propose(self) -> int:
        offer = self.strategy.propose(self.view(), self.opponent_score(), self.model.rng)
        self.own_offers.append(offer)
        return offer

    def respond(self, offer: int, proposer: Bargainer) -> bool:
        """Accept iff the offer is individually rational (allowed, at least the
        reservation value) and one of its acceptance conditions holds."""
        self.received.append(offer)
        if self.opponent_model == "frequency":
            self.estimates.setdefault(proposer.name, FrequencyModel(self.model.space)).observe(offer)
        offered = float(self.utility[offer])
        if not self.allowed[offer] or offered < self.reservation - EPS:
            return False
        view = self.view()
        next_offer = self.strategy.next_utility(view)
        return any(ac.accepts(view, offered, next_offer) for ac in self.acceptance)

    def hopeless(self) -> bool:
        """True when its reservation value beats anything it can still get:
        no outcome it allows, and (if it knows them) its opponents would
        accept, is worth its BATNA."""
        possible = self.allowed & (self.utility >= self.reservation - EPS)
        if self.opponent_model == "known":
            for other in self.opponents():
                possible &= other.allowed & (other.utility >= other.reservation - EPS)
        return not possible.any()
