"""The negotiation as a Mesa model: one step is one round on the calendar.

Reads like the protocol (see ``protocol.py``). Each round, while there is
no tentative agreement, every bargainer in turn checks whether anyone has
walked away, then makes an offer the others answer; a unanimous yes is a
tentative agreement. Ratifiers then review it, each for its own review time;
a veto sends the bargainers back to the table with the failed condition, and
the last approval makes the agreement definitive. Dated events (an
investor's commitment, an outside offer, a ratifier's decision) are Mesa
calendar events that fire between rounds. Everything that happens is
recorded in the round log, the model's only output.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..lazy import mesa  # Mesa without its unused parts: start-up time

from . import protocol
from .agents import Bargainer, Investor, OutsideOption, Ratifier
from .record import SCHEMA, Recorder, rounded, stage_dates
from ..domain.parties import InvestorParty, OutsideOptionParty, RatifierParty
from ..domain.preferences import Constraint
from .protocol import Result
from ..inputs.scenario import Scenario

AGENT_FOR_ROLE: dict[str, type[mesa.Agent]] = {
    "bargainer": Bargainer, "ratifier": Ratifier, "investor": Investor, "outside_option": OutsideOption,
}
BEFORE_ROUND = 1e-6  # an event dated on a round's day acts before that round's offers


class NegotiationModel(mesa.Model):
    """A scenario played out once, with one seed.

    ``spec`` is the validated :class:`~negotiation.scenario.Scenario` (Mesa
    reserves ``Model.scenario`` for its own experiment objects).
    """

    def __init__(self, spec: Scenario, seed: int | None = None) -> None:
        self.seed = spec.seed if seed is None else seed
        super().__init__(rng=self.seed)
        self.spec = spec
        self.space = spec.space
        self.round = 0
        self.date: dt.date = spec.calendar.start
        self.result: Result | None = None
        self.agreement: int | None = None
        self.tentative: int | None = None
        self.reviews: dict[str, Any] = {}  # ratifier → its pending decision (a Mesa event; None if too late)
        self.log = Recorder()
        self.preferences_version = 0  # bumped whenever a bargainer's preferences change
        for party in spec.parties:
            AGENT_FOR_ROLE[party.role](self, party)
        self.bargainers: list[Bargainer] = list(self.agents_by_type.get(Bargainer, []))
        self.ratifiers: list[Ratifier] = list(self.agents_by_type.get(Ratifier, []))
        self.longest_review = max((r.review_days for r in self.ratifiers), default=0)
        self.log.add("header", **self.header())
        for investor in self.agents_by_type.get(Investor, []):
            self.schedule_event(investor.commit, at=self.event_time(investor.party.commits_on))
            for step in investor.steps:
                self.schedule_event(step.fire, at=self.event_time(step.tranche.on))
        for option in self.agents_by_type.get(OutsideOption, []):
            self.schedule_event(option.offer, at=self.event_time(option.party.on))

    def bargainer(self, name: str) -> Bargainer:
        return next(b for b in self.bargainers if b.name == name)

    def event_time(self, day: dt.date) -> float:
        return max(self.time, self.spec.calendar.time_of(day) - BEFORE_ROUND)

    # -- the protocol ------------------------------------------------------------
    def step(self) -> None:
        if not self.running:  # a ratification decided between rounds ended it
            return
        self.round += 1
        self.date = self.spec.calendar.date_of(self.round)
        if self.round > self.spec.calendar.n_rounds:
            self.deadline_passed()
        elif self.tentative is None:
            self.bargain()

    def bargain(self) -> None:
        for proposer in protocol.turn_order(self.bargainers, self.round):
            leaving = protocol.walkaway(self.bargainers, self.date)
            if leaving:
                self.finish(Result.BREAKDOWN, reason=leaving[1], party=leaving[0].name)
                return
            offer = proposer.propose()
            self.record("offer", **{"from": proposer.name}, outcome=self.space.as_dict(offer),
                        utilities=self.utilities(offer), reservations=self.reservations())
            responses = {b.name: b.respond(offer, proposer) for b in self.bargainers if b is not proposer}
            for name, accept in responses.items():
                self.record("response", party=name, to=proposer.name, accept=accept)
            if protocol.stands(responses):
                self.agree_tentatively(offer)
                return

    def run(self) -> NegotiationModel:
        """Play until the negotiation ends; returns the model for chaining."""
        while self.running:
            self.step()
        return self

    def agree_tentatively(self, offer: int) -> None:
        self.tentative = offer
        self.record("agreement", stage="tentative", outcome=self.space.as_dict(offer),
                    utilities=self.utilities(offer))
        if not self.ratifiers:
            self.agree(self.date)
            return
        for ratifier in self.ratifiers:
            due = self.date + dt.timedelta(days=ratifier.review_days)
            self.record("event", kind="review_open", party=ratifier.name,
                        text=f"{ratifier.name} opens its review; decision due {due}")
            # a decision due after the deadline cannot count: the review stays pending
            self.reviews[ratifier.name] = self.schedule_event(ratifier.decide, at=self.event_time(due)) \
                if due <= self.spec.calendar.deadline else None

    def ratify(self, ratifier: Ratifier, failed: Constraint | None) -> None:
        """A ratifier's decision: approval, or a veto naming the failed condition."""
        day = self.tentative_date() + dt.timedelta(days=ratifier.review_days)
        del self.reviews[ratifier.name]
        self.record("ratification", round=self.round + 1, date=day.isoformat(), party=ratifier.name,
                    decision="veto" if failed else "approve",
                    condition=f"{failed.clause} {failed.text}" if failed else None)
        if failed:
            for pending in self.reviews.values():
                if pending is not None:
                    pending.cancel()
            self.reviews.clear()
            self.tentative = None
            for b in self.bargainers:
                b.learn(failed)
            self.record("event", round=self.round + 1, date=day.isoformat(), kind="back_to_table",
                        party=ratifier.name, text=f"vetoed by {ratifier.name}: {failed.clause} must be {failed.text}")
        elif not self.reviews:
            self.agree(day, round_no=self.round + 1)

    def agree(self, day: dt.date, round_no: int | None = None) -> None:
        self.agreement = self.tentative
        where = {"round": self.round if round_no is None else round_no, "date": day.isoformat()}
        self.record("agreement", **where, stage="definitive", outcome=self.space.as_dict(self.agreement),
                    utilities=self.utilities(self.agreement))
        reason = "every bargainer accepted" + (" and every ratifier approved" if self.ratifiers else "")
        self.finish(Result.AGREEMENT, reason=reason, **where)

    def deadline_passed(self) -> None:
        self.round = self.spec.calendar.n_rounds
        self.date = self.spec.calendar.deadline
        pending = f"; the tentative agreement of {self.tentative_date()} was not ratified in time" \
            if self.tentative is not None else ""
        self.finish(Result.DEADLINE, reason=f"no definitive agreement by the deadline {self.date}{pending}")

    def finish(self, result: Result, reason: str, **extra: Any) -> None:
        self.result = result
        self.running = False
        outcome = {"outcome": self.space.as_dict(self.agreement),
                   "utilities": self.utilities(self.agreement)} if self.agreement is not None else {}
        self.record("end", result=str(result), reason=reason, **extra, **outcome)

    # -- records -----------------------------------------------------------------
    def record(self, record_type: str, **fields: Any) -> None:
        where = {"round": fields.pop("round", self.round), "date": fields.pop("date", self.date.isoformat())}
        self.log.add(record_type, **where, **fields)

    def event(self, kind: str, party: str, text: str, day: dt.date, **fields: Any) -> None:
        """A calendar event on ``day``, logged against the round it precedes."""
        self.record("event", round=self.round + 1, date=day.isoformat(), kind=kind, party=party, text=text, **fields)

    def tentative_date(self) -> dt.date:
        return dt.date.fromisoformat(stage_dates(self.log.records, "tentative")[-1])

    def utilities(self, outcome: int) -> dict[str, float]:
        return rounded({b.name: b.utility[outcome] for b in self.bargainers})

    def reservations(self) -> dict[str, float]:
        return rounded({b.name: b.reservation for b in self.bargainers})

    def header(self) -> dict[str, Any]:
        spec, cal = self.spec, self.spec.calendar
        return {
            "schema": SCHEMA,
            "scenario": spec.name,
            "seed": self.seed,
            "config_hash": spec.config_hash,
            "parties": [party_header(agent) for agent in self.agents],
            "clauses": {c.name: list(c.options) for c in spec.clauses},
            "ordered": [c.name for c in spec.clauses if c.ordered],
            "calendar": {"start": cal.start.isoformat(), "round_days": cal.round_days,
                         "deadline": cal.deadline.isoformat(), "rounds": cal.n_rounds},
        }


def party_header(agent: Any) -> dict[str, Any]:
    """What the log's header says about a party, by role."""
    party = agent.party
    head: dict[str, Any] = {"name": party.name, "role": party.role}
    if isinstance(agent, Bargainer):
        head |= {"strategy": party.strategy.name, "reservation": round(agent.reservation, 6),
                 "deadline": agent.deadline.isoformat()}
    elif isinstance(party, RatifierParty):
        head |= {"requires": {c.clause: c.text for c in party.requires}, "review_days": party.review_days}
    elif isinstance(party, InvestorParty):
        head |= {"backs": party.backs, "commits_on": party.commits_on.isoformat(),
                 "condition_date": party.condition_date.isoformat(), "amount_usd_bn": party.amount_usd_bn}
    elif isinstance(party, OutsideOptionParty):
        head |= {"offers_to": party.offers_to, "on": party.on.isoformat()}
        if party.value_usd_bn:  # undisclosed values (Google Cloud's) are left out, not shown as 0
            head["value_usd_bn"] = party.value_usd_bn
    return head
