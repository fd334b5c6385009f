"""Mesa agents: the parties at the table.

Agents hold state (their current preferences, what they offered and
received) and call the pure functions of ``preferences``, ``strategies`` and
``opponents``; the model decides who acts when (``protocol``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..lazy import mesa  # Mesa without its unused parts: start-up time
import numpy as np

from .opponents import FrequencyModel, known_score, lowest
from ..domain.preferences import Constraint, Preferences, allowed, utility
from ..domain.parties import InvestorParty, OutsideOptionParty, Party, RatifierParty, Tranche
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
        def compute() -> bool:
            possible = self.allowed & (self.utility >= self.reservation - EPS)
            if self.opponent_model == "known":
                for other in self.opponents():
                    possible &= other.allowed & (other.utility >= other.reservation - EPS)
            return not possible.any()

        return self.cached("hopeless", compute)


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


class Investor(mesa.Agent):
    """Commits money to a bargainer on condition of a deal by a date. From the
    commitment on, that date is the bargainer's deadline and the money at
    stake lowers its value of walking away (SoftBank's round of March 2025)."""

    model: NegotiationModel

    def __init__(self, model: NegotiationModel, party: InvestorParty) -> None:
        super().__init__(model)
        self.name = party.name
        self.party = party
        self.steps = [TrancheStep(self, tranche) for tranche in party.tranches]  # held: Mesa keeps weak refs

    def commit(self) -> None:
        backed = self.model.bargainer(self.party.backs)
        before = backed.reservation
        backed.set_preferences(self.party.effect.apply(backed.preferences))
        backed.move_deadline(min(backed.deadline, self.party.condition_date))
        text = (f"{self.name} commits {self.party.amount_usd_bn:g} bn USD to {backed.name} if a deal is done by "
                f"{self.party.condition_date}; {backed.name}: {self.party.effect.describe()}, deadline {backed.deadline}")
        self.model.event("investor", self.name, day=self.party.commits_on, text=text,
                         changes={backed.name: {"reservation": [round(before, 6), round(backed.reservation, 6)],
                                                "deadline": backed.deadline.isoformat()}})


class OutsideOption(mesa.Agent):
    """A dated offer to a bargainer from outside the table (a rival cloud's
    compute contract; Microsoft's own models): it changes what the bargainer
    values and raises its BATNA (Fisher & Ury 1981)."""

    model: NegotiationModel

    def __init__(self, model: NegotiationModel, party: OutsideOptionParty) -> None:
        super().__init__(model)
        self.name = party.name
        self.party = party

    def offer(self) -> None:
        target = self.model.bargainer(self.party.offers_to)
        before = target.reservation
        target.set_preferences(self.party.effect.apply(target.preferences))
        worth = f" worth {self.party.value_usd_bn:g} bn USD" if self.party.value_usd_bn else ""
        self.model.event("outside_option", self.name, day=self.party.on,
                         text=f"{self.name} makes {target.name} an offer{worth}; {target.name}: "
                         f"{self.party.effect.describe()}",
                         changes={target.name: {"reservation": [round(before, 6), round(target.reservation, 6)]}})


class TrancheStep:
    """One dated step of an investor's commitment, as a Mesa calendar event."""

    def __init__(self, investor: Investor, tranche: Tranche) -> None:
        self.investor = investor
        self.tranche = tranche

    def fire(self) -> None:
        model, tranche = self.investor.model, self.tranche
        backed = model.bargainer(self.investor.party.backs)
        before = backed.reservation
        backed.set_preferences(tranche.effect.apply(backed.preferences))
        model.event("investor", self.investor.name, day=tranche.on,
                    text=f"{self.investor.name}: {tranche.amount_usd_bn:g} bn USD step on condition of a deal by "
                         f"{self.investor.party.condition_date}; {backed.name}: {tranche.effect.describe()}",
                    changes={backed.name: {"reservation": [round(before, 6), round(backed.reservation, 6)]}})
