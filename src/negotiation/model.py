"""The negotiation as a Mesa model: one step is one round on the calendar.

Reads like the protocol (see ``protocol.py``): each round, every bargainer in
turn checks whether anyone has walked away, then makes an offer the others
answer; a unanimous yes is an agreement. Everything that happens is recorded
in the round log, which is the model's only output.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import mesa

from . import protocol
from .agents import Bargainer
from .log import SCHEMA, Recorder, rounded
from .protocol import Result
from .scenario import Scenario


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
        self.log = Recorder()
        for party in spec.parties:
            Bargainer(self, party)
        self.bargainers: list[Bargainer] = list(self.agents_by_type[Bargainer])
        self.log.add("header", **self.header())

    # -- the protocol ------------------------------------------------------------
    def step(self) -> None:
        self.round += 1
        self.date = self.spec.calendar.date_of(self.round)
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
                self.agree(offer)
                return
        if self.round >= self.spec.calendar.n_rounds:
            self.finish(Result.DEADLINE, reason=f"no agreement by the deadline {self.spec.calendar.deadline}")

    def run(self) -> NegotiationModel:
        """Play until the negotiation ends; returns the model for chaining."""
        while self.running:
            self.step()
        return self

    def agree(self, offer: int) -> None:
        self.agreement = offer
        self.record("agreement", stage="definitive", outcome=self.space.as_dict(offer),
                    utilities=self.utilities(offer))
        self.finish(Result.AGREEMENT, reason="every bargainer accepted")

    def finish(self, result: Result, reason: str, **extra: Any) -> None:
        self.result = result
        self.running = False
        outcome = {"outcome": self.space.as_dict(self.agreement),
                   "utilities": self.utilities(self.agreement)} if self.agreement is not None else {}
        self.record("end", result=str(result), reason=reason, **extra, **outcome)

    # -- records -----------------------------------------------------------------
    def record(self, kind: str, **fields: Any) -> None:
        self.log.add(kind, round=self.round, date=self.date.isoformat(), **fields)

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
            "parties": [{"name": b.name, "role": b.party.role, "strategy": b.party.strategy.name,
                         "reservation": round(b.reservation, 6), "deadline": b.deadline.isoformat()}
                        for b in self.bargainers],
            "clauses": {c.name: list(c.options) for c in spec.clauses},
            "calendar": {"start": cal.start.isoformat(), "round_days": cal.round_days,
                         "deadline": cal.deadline.isoformat(), "rounds": cal.n_rounds},
        }
