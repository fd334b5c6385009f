"""Mesa agents: the parties' state in a run.

Agents hold state (their current preferences, what they offered and
received) and call the pure functions of ``domain`` (preferences, tactics,
acceptance) and ``opponents``; the protocol (``model.py``) decides who acts
when and what counts. Which agents a party brings is its role's business
(``negotiation/roles/``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..lazy import mesa  # Mesa without its unused parts: start-up time
import numpy as np

from ..domain.parties import Effect, Party
from ..domain.preferences import Constraint, Preferences, allowed, utility
from ..domain.tactics import View
from .opponents import FrequencyModel, known_score, lowest

if TYPE_CHECKING:
    from ..roles.ratifier import RatifierParty
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
        self.constraints_learned: list[str] = []
        self.own_offers: list[int] = []
        self.received: list[int] = []
        self.estimates: dict[str, FrequencyModel] = {}
        self._cache: dict[str, tuple[int, Any]] = {}
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
        self.model.preferences_version += 1  # what opponents know of it changed too

    @property
    def reservation(self) -> float:
        return self.preferences.reservation

    def move_deadline(self, deadline: dt.date) -> None:
        self.deadline = deadline

    def bargaining_deadline(self) -> dt.date:
        """The date by which it must agree tentatively: its own deadline less
        the longest ratification review, since the deal must be ratified
        before the deadline to count."""
        return self.deadline - dt.timedelta(days=self.model.longest_review)

    def relative_time(self) -> float:
        return self.model.spec.calendar.relative(self.model.date, self.bargaining_deadline())

    def learn(self, constraint: Constraint) -> None:
        """A ratifier vetoed for failing ``constraint``: from now on an outcome
        that breaks it cannot be the deal, so it joins this party's own."""
        self.constraints_learned.append(constraint.text)
        self.set_preferences(replace(self.preferences, constraints=self.preferences.constraints + (constraint,)))

    def view(self) -> View:
        return View(self.relative_time(), self.utility, self.allowed, self.reservation, self.best,
                    self.own_offers, self.received)

    def opponents(self) -> list[Bargainer]:
        return [b for b in self.model.bargainers if b is not self]

    # -- acting ----------------------------------------------------------------
    def cached(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()``, recomputed only after some party's preferences changed."""
        version = self.model.preferences_version
        if self._cache.get(key, (None,))[0] != version:
            self._cache[key] = (version, compute())
        return self._cache[key][1]

    def opponent_score(self) -> np.ndarray:
        size = self.model.space.size
        if self.opponent_model == "known":
            return self.cached("score", lambda: known_score([(b.utility, b.allowed) for b in self.opponents()], size))
        return lowest([self.estimates[b.name].utility() for b in self.opponents() if b.name in self.estimates], size)

    def propose(self) -> int:
        offer = self.strategy.propose(self.view(), self.opponent_score(), self.model.rng)
        self.own_offers.append(offer)
        return offer

    def observe(self, offer: int, proposer: Bargainer) -> None:
        """Note an offer it received (what its opponent model learns from)."""
        self.received.append(offer)
        if self.opponent_model == "frequency":
            self.estimates.setdefault(proposer.name, FrequencyModel(self.model.space)).observe(offer)

    def conditions_accept(self, offer: int) -> bool:
        """Whether one of its acceptance conditions holds for ``offer``. The
        protocol also requires the offer to be individually rational
        (``engine/model.py``): a condition alone never makes a deal."""
        view = self.view()
        return any(ac.accepts(view, float(self.utility[offer]), self.strategy.next_utility(view))
                   for ac in self.acceptance)


class Ratifier(mesa.Agent):
    """Reviews a tentative agreement for ``review_days`` and approves it, or
    vetoes it naming the first of its conditions the agreement fails (the
    state attorneys general clearing OpenAI's recapitalisation; antitrust
    authorities)."""

    model: NegotiationModel

    def __init__(self, model: NegotiationModel, party: RatifierParty) -> None:
        super().__init__(model)
        self.name = party.name
        self.party = party
        self.review_days = party.review_days

    def failed_condition(self, outcome: int) -> Constraint | None:
        options = dict(zip(self.model.space.names, self.model.space.option_indices(outcome)))
        return next((c for c in self.party.requires if not c.admits(options[c.clause])), None)

    def decide(self) -> None:
        """Scheduled at the end of its review (a Mesa calendar event)."""
        self.model.ratify(self, self.failed_condition(self.model.tentative))


class DatedEffect(mesa.Agent):
    """A dated event that moves one bargainer: an investor's commitment or a
    later step of it, an outside offer. It schedules itself on the model's
    calendar when created, as Mesa's wolf–sheep ``GrassPatch`` schedules its
    own regrowth; when it fires it applies ``effect`` to the bargainer's
    preferences (and, with ``deadline``, brings its deadline forward to that
    date at the latest) and logs one event saying what changed."""

    model: NegotiationModel

    def __init__(self, model: NegotiationModel, source: str, kind: str, day: dt.date, target: str, effect: Effect,
                 text: Callable[[Bargainer], str], deadline: dt.date | None = None) -> None:
        super().__init__(model)
        self.name, self.kind, self.day, self.target = source, kind, day, target
        self.effect, self.text, self.deadline = effect, text, deadline
        model.schedule_event(self.fire, at=model.event_time(day))

    def fire(self) -> None:
        target = self.model.bargainer(self.target)
        before = target.reservation
        target.set_preferences(self.effect.apply(target.preferences))
        changes: dict[str, Any] = {"reservation": [round(before, 6), round(target.reservation, 6)]}
        if self.deadline is not None:
            target.move_deadline(min(target.deadline, self.deadline))
            changes["deadline"] = target.deadline.isoformat()
        self.model.event(self.kind, self.name, day=self.day, text=self.text(target), changes={target.name: changes})
