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

from ..runtime.lazy import mesa  # Mesa without its unused parts: start-up time
import numpy as np

from ..domain.deadlines import concession_plan, effect_size, pace, stake
from ..domain.parties import Effect, Party, SoftDeadline
from ..domain.preferences import Constraint, Preferences
from ..domain.timeline import Calendar
from ..domain.space_types import Floored, Position
from ..domain.tactics import View
from ..errors import InputError
from .opponents import FrequencyModel

if TYPE_CHECKING:
    from ..roles.ratifier import RatifierParty
    from .model import NegotiationModel


class Bargainer(mesa.Agent):
    """Makes and answers offers (Microsoft and OpenAI in the default scenario).

    It holds its state (preferences, offers made and received, estimates of
    its opponents) and its :class:`~negotiation.domain.spaces.Position`; the
    model's space (``model.outcomes``) computes with them, whatever its
    size, and what is worked out once a version of the preferences or once
    a day is kept in the model's memo (``engine/memo.py``)."""

    model: NegotiationModel

    def __init__(self, model: NegotiationModel, party: Party) -> None:
        super().__init__(model)
        assert party.preferences is not None and party.strategy is not None
        self.name = party.name
        self.party = party
        self.strategy, self.acceptance = party.strategy.build()
        refused = model.outcomes.unplayable(party.strategy.name, self.strategy)
        if refused:
            raise InputError(model.spec.source, f"parties.{party.name}.strategy.name", refused)
        self.opponent_model = party.strategy.opponent_model
        self.deadline = party.deadline  # hard: past it, it walks away; None: it has none
        self.pace = party.deadline or party.horizon or model.spec.calendar.deadline  # H without a cost of delay
        self.delay = party.cost_of_delay  # domain/discounting.py; None: waiting costs its deal nothing
        for soft in party.soft_deadlines:
            SoftDeadlineCost(model, party.name, soft)
        self.constraints_learned: list[str] = []
        self.own_offers: list[int] = []
        self.received: list[int] = []
        self.estimates: dict[str, FrequencyModel] = {}
        self.keys = {what: (self.name, what) for what in KEYS}  # its entries in the memo
        self.position: Position | None = None
        self.set_preferences(party.preferences)

    # -- state -----------------------------------------------------------------
    def set_preferences(self, preferences: Preferences) -> None:
        """Adopt new preferences (an event moved a value or the BATNA): its
        position over the space, reusing what did not change."""
        self.preferences = preferences
        position = self.position = self.model.outcomes.position(preferences, self.position)
        self.utility, self.allowed, self.best = position.utility, position.allowed, position.best
        self.model.preferences_changed()  # what opponents know of it changed too

    @property
    def reservation(self) -> float:
        return self.preferences.reservation

    def concession(self) -> tuple[dt.date, dt.date, int]:
        """The date T its tactic concedes toward: the rule of
        ``domain/deadlines.py`` over its hard deadline or horizon, its soft
        deadlines weighted by their stakes, less the longest review. Kept as
        (the last day it holds, T, days from the calendar's start to T) and
        worked out again only when some party's preferences change (with a
        cost of delay: the date) or a soft deadline drops out."""
        model = self.model
        memo, key = model.memo, self.keys["concession"]
        stamp = memo.version if not model.time_costs else memo.moment  # floors move daily
        held = memo.held.get(key)  # the memo's test written out (see ``Memo.held``), with the plan's own last day
        if held is not None and held[0] == stamp and model.date <= held[1][0]:
            return held[1]
        target, holds = concession_plan(model.date, self.clock()[0], self.soft_stakes(), model.longest_review)
        plan = holds, target, (target - model.spec.calendar.start).days
        memo.held[key] = (stamp, plan)
        return plan

    def clock(self) -> tuple[dt.date, str]:
        """H of ``domain/deadlines.py`` and what set it: its hard deadline or
        the date past which waiting no longer pays, else its horizon."""
        if self.delay is None:
            return self.pace, "deadline" if self.deadline else "horizon" if self.party.horizon else "calendar"
        return pace(self.deadline, self.waiting_stops(), self.party.horizon, self.model.spec.calendar.deadline)

    def waiting_stops(self) -> dt.date | None:
        """The first day from today its best hope, discounted, is worth no more
        than its reservation value (``CostOfDelay.waiting_stops``)."""
        assert self.delay is not None
        return self.delay.waiting_stops(self.hope(), self.reservation, self.model.date)

    def hope(self) -> float:
        """Its best hope: the most it can get. Knowing its opponents, the best
        outcome it allows that each of them would accept today (worth its
        floor to each); else its best outcome. As the opponents' own costs of
        delay raise their floors, what it can hope for shrinks, and waiting
        stops paying sooner."""
        return self.model.outcomes.hope(self.position, self.known_floors())

    def known_floors(self) -> list[Floored]:
        """Its opponents' positions and floors today, when it knows them."""
        if self.opponent_model != "known":
            return []
        return [(o.position, o.floor()) for o in self.opponents()]

    def floor(self) -> float:
        """What a deal today must be worth to it: its reservation value, or with
        a cost of delay the utility whose discounted value today equals it."""
        if self.delay is None:
            return self.preferences.reservation
        memo, key = self.model.memo, self.keys["floor"]
        held = memo.held.get(key)  # ``per_moment`` written out: the protocol asks many times a turn
        if held is not None and held[0] == memo.moment:
            return held[1]
        floor = self.delay.floor(self.reservation, self.model.date)
        memo.held[key] = (memo.moment, floor)
        return floor

    def soft_stakes(self) -> list[tuple[dt.date, float]]:
        """Each soft deadline's date and stake w. A stake moves only with some
        party's preferences (what is at risk is what dated effects have fired
        so far, and every effect changes preferences), so it is computed once
        per change, not once a day."""
        return self.model.memo.per_version(
            self.keys["soft"], lambda: [(on, stake(at_risk(), self.best, self.reservation))
                                        for on, at_risk in self.model.soft_deadlines.get(self.name, [])])

    def relative_time(self) -> float:
        """Its relative time today: the same until the date or some party's
        preferences (a soft deadline's stake moves with them) change."""
        memo, key = self.model.memo, self.keys["time"]
        held = memo.held.get(key)  # ``per_moment`` written out, as in ``floor``
        if held is not None and held[0] == memo.moment:
            return held[1]
        t = Calendar.share(self.model.elapsed, self.concession()[2])
        memo.held[key] = (memo.moment, t)
        return t

    def learn(self, constraint: Constraint) -> None:
        """A ratifier vetoed for failing ``constraint``: from now on an outcome
        that breaks it cannot be the deal, so it joins this party's own."""
        self.constraints_learned.append(constraint.text)
        self.set_preferences(replace(self.preferences, constraints=self.preferences.constraints + (constraint,)))

    def view(self) -> View:
        """What it knows now. The same object all day while no preferences
        change: it proposes and answers several times a round, and the view
        holds its offer lists by reference, so they are always current."""
        memo, key = self.model.memo, self.keys["view"]
        held = memo.held.get(key)  # ``per_moment`` written out, as in ``floor``
        if held is not None and held[0] == memo.moment:
            return held[1]
        p = self.position
        view = View(self.relative_time(), p.utility, p.allowed, self.reservation, p.best, self.own_offers,
                    self.received, p.masked, p.ranking, floor=None if self.delay is None else self.floor())
        memo.held[key] = (memo.moment, view)
        return view

    def opponents(self) -> list[Bargainer]:
        return [b for b in self.model.bargainers if b is not self]

    # -- acting ----------------------------------------------------------------
    def belief(self) -> Any:
        """What its offers search (the opponents' scores, or frontiers), from
        what it knows of them: their positions, or its estimates, which move
        with each offer it receives."""
        known = self.opponent_model == "known"
        memo, key = self.model.memo, self.keys["belief"]
        stamp = memo.version if known else (memo.version, len(self.received))
        held = memo.held.get(key)  # the memo's test written out, as in ``floor``
        if held is not None and held[0] == stamp:
            return held[1]
        others = self.opponents()
        belief = self.model.outcomes.belief(self.position, [o.position for o in others] if known else None,
                                            [self.estimates[o.name] for o in others if o.name in self.estimates])
        memo.held[key] = (stamp, belief)
        return belief

    def propose(self) -> int:
        view = self.view()
        floor = view.reservation if view.floor is None else view.floor  # ``floor()`` today
        offer = self.model.outcomes.offer(self.strategy, view, self.position, self.belief(), floor, self.model.rng)
        self.own_offers.append(offer)
        return offer

    def hopeless(self) -> bool:
        """True when its floor beats anything it can still get: no outcome it
        allows, and (if it knows them) its opponents would accept, is worth it.
        With costs of delay floors move daily (the protocol asks once a day)."""
        memo, key, daily = self.model.memo, self.keys["hopeless"], self.model.time_costs
        held = None if daily else memo.held.get(key)  # else once a version: the memo's test written out
        if held is not None and held[0] == memo.version:
            return held[1]
        answer = bool(self.model.outcomes.hopeless(self.position, self.floor(), self.known_floors(), self.belief,
                                                   memo.hint(key)))
        if not daily:
            memo.held[key] = (memo.version, answer)
        return answer

    def observe(self, offer: int, proposer: Bargainer) -> None:
        """Note an offer it received (what its opponent model learns from)."""
        self.received.append(offer)
        if self.opponent_model == "frequency":
            if proposer.name not in self.estimates:
                self.estimates[proposer.name] = FrequencyModel(self.model.space)
            self.estimates[proposer.name].observe(offer)

    def conditions_accept(self, offer: int) -> bool:
        """Whether one of its acceptance conditions holds for ``offer``. The
        protocol also requires the offer to be individually rational
        (``engine/model.py``): a condition alone never makes a deal."""
        view = self.view()
        offered, next_offer = float(self.utility[offer]), self.strategy.next_utility(view)
        if self.delay is not None:  # its next offer is a deal a round later at the earliest: worth less today
            next_offer = self.delay.in_terms_of(next_offer, self.model.next_day(), self.model.date)
        return any(ac.accepts(view, offered, next_offer) for ac in self.acceptance)


KEYS = ("concession", "floor", "soft", "time", "view", "belief", "hopeless")  # a bargainer's entries in the memo


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
    later step of it, an outside offer, the cost of a missed soft deadline.
    It schedules itself on the model's calendar when created, as Mesa's
    wolf–sheep ``GrassPatch`` schedules its own regrowth; when it fires it
    applies ``effect`` to the bargainer's preferences and logs one event
    saying what changed."""

    model: NegotiationModel

    def __init__(self, model: NegotiationModel, source: str, kind: str, day: dt.date, target: str, effect: Effect,
                 text: Callable[[Bargainer], str]) -> None:
        super().__init__(model)
        self.name, self.kind, self.day, self.target = source, kind, day, target
        self.effect, self.text = effect, text
        self.fired = False
        model.schedule_dated(self.fire, day)

    def fire(self) -> None:
        self.fired = True
        apply_and_log(self.model, self.kind, self.name, self.day, self.target, self.effect, self.text)


SHARED = ("investor", "condition_missed", "soft_deadline", "deadline")  # what a shared stake bears (not outside offers)


def apply_and_log(model: NegotiationModel, kind: str, source: str, day: dt.date, target_name: str, effect: Effect,
                  text: Callable[[Bargainer], str], **fields: Any) -> None:
    """Apply an effect to a bargainer and log the event with what changed: the one place this happens."""
    target = model.bargainer(target_name)
    before = target.reservation
    target.set_preferences(effect.apply(target.preferences))
    changes = {target.name: {"reservation": [round(before, 6), round(target.reservation, 6)]}}
    moved, shown = target.reservation - before, text(target)
    for holder, share in model.stakeholders.get(target.name, []) if moved and kind in SHARED else []:
        # a shared stake: it bears its share of the target's dated costs and investor money
        held, was = Effect(share * moved), holder.reservation
        holder.set_preferences(held.apply(holder.preferences))
        changes[holder.name] = {"reservation": [round(was, 6), round(holder.reservation, 6)]}
        shown += f"; {holder.name} (a {share:g} share): {held.describe()}"
    model.event(kind, source, day=day, text=shown, changes=changes, **fields)


class SoftDeadlineCost(DatedEffect):
    """A bargainer's own soft deadline: its cost applies the day after ``on``
    unless a definitive agreement ended the run by then."""

    def __init__(self, model: NegotiationModel, name: str, soft: SoftDeadline) -> None:
        super().__init__(model, name, "soft_deadline", soft.on + dt.timedelta(days=1), name, soft.cost,
                         lambda target: f"{name}'s soft deadline {soft.on} passed without a definitive agreement; "
                                        f"{name}: {soft.cost.describe()}")
        model.soft_deadlines.setdefault(name, []).append((soft.on, lambda: effect_size(soft.cost)))


class ConditionCheck(mesa.Agent):
    """An investor's condition: met only by a definitive agreement on or
    before ``day``. It is a soft deadline of the backed bargainer, whose stake
    is the money committed so far; checked at the start of the next day, a
    missed condition withdraws the money (``if_missed``, or the reverse of
    the commitment's effects fired so far), logs ``condition_missed`` and
    the talks go on."""

    model: NegotiationModel

    def __init__(self, model: NegotiationModel, investor: str, day: dt.date, target: str,
                 steps: list[DatedEffect], if_missed: Effect | None) -> None:
        super().__init__(model)
        self.name, self.day, self.target, self.steps, self.if_missed = investor, day, target, steps, if_missed
        self.met: bool | None = None
        model.conditions[investor] = self
        model.soft_deadlines.setdefault(target, []).append((day, self.at_risk))
        model.schedule_dated(self.check, day + dt.timedelta(days=1))

    def committed(self) -> Effect:
        """The sum of the commitment's effects applied so far."""
        fired = [s.effect for s in self.steps if s.fired]
        weights: dict[str, float] = {}
        for e in fired:
            for clause, delta in e.weights:
                weights[clause] = weights.get(clause, 0.0) + delta
        return Effect(sum(e.reservation for e in fired), tuple(weights.items()))

    def at_risk(self) -> float:
        return 0.0 if self.met is False else effect_size(self.committed())

    def check(self) -> None:
        self.met = False  # the run would have ended at a definitive agreement
        committed = self.committed()
        withdrawal = self.if_missed or Effect(-committed.reservation, tuple((c, -d) for c, d in committed.weights))
        apply_and_log(self.model, "condition_missed", self.name, self.day + dt.timedelta(days=1), self.target,
                      withdrawal, lambda target: f"{self.name}'s condition (a definitive deal by {self.day}) was "
                                                 f"missed; its money is withdrawn; {target.name}: "
                                                 f"{withdrawal.describe()}", met=False)


class Disclosure(mesa.Agent):
    """A ratifier's requirement made public on ``day`` (from the start if
    earlier): from then on the bargainers treat it as their own constraint,
    instead of learning it from a veto."""

    model: NegotiationModel

    def __init__(self, model: NegotiationModel, ratifier: str, day: dt.date, constraint: Constraint) -> None:
        super().__init__(model)
        self.name, self.day, self.constraint = ratifier, max(day, model.spec.calendar.start), constraint
        model.schedule_dated(self.fire, self.day)

    def fire(self) -> None:
        for b in self.model.bargainers:
            b.learn(self.constraint)
        c = self.constraint
        self.model.event("requirement_public", self.name, day=self.day,
                         text=f"{self.name}'s requirement is public: {c.clause} must be {c.text}")
