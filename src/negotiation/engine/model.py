"""The protocol: the negotiation as a Mesa model, one step a round on the calendar.

Read top to bottom, this module is the whole set of rules.

**Turn order and offers.** Bargainers follow the Stacked Alternating Offers
Protocol (SAOP) of Aydoğan, Festen, Hindriks & Jonker (2017), "Alternating
offers protocols for multilateral negotiation": in every round each
bargainer, in the scenario's order, makes one offer, so across rounds the
offers alternate A, B, A, B, … With two bargainers this is Rubinstein's
(1982) alternating offers.

**Answers.** Every other bargainer answers each offer. A bargainer accepts
only an *individually rational* offer (one its constraints allow, worth at
least its reservation value: a deal worse than no deal is never signed,
whatever its acceptance condition says; with a cost of delay, worth it
discounted to the day, ``domain/discounting.py``) for which one of its
acceptance conditions holds.

**Tentative agreement.** An offer every other bargainer accepts stands
(SAOP unanimity): it is a tentative agreement and the bargaining pauses.

**Ratification and veto.** Each ratifier reviews the tentative agreement
for its own review time (a Mesa calendar event), all at once or in the
stages the scenario's ``ratification.sequence`` sets (``ratification.py``).
A veto names the first of its conditions the agreement fails (a body that
votes: that of the largest bloc voting no); every bargainer learns it as a
constraint and they go back to the table. A review that would end after the
calendar's end stays pending.

**Definitive agreement.** The last approval (or the tentative agreement
itself, when there is no ratifier; or, under provisional application, the
approval of the ratifiers the scenario names) makes the agreement
definitive: the run ends with ``agreement``.

**A forecast starts on its date.** A scenario with ``as_of`` is a forecast
made that day, when the parties had no deal: no round on or before
``as_of`` is bargained (its dated events still happen, in order), and the
first offers come in the first round after it, with each tactic's clock
counting from the calendar's start, the real start of the talks.

**Walk-away.** Before each offer, a bargainer whose own *hard* deadline has
passed, or whose reservation value beats anything it can still get (an
outside option that binds), walks away: the run ends in ``breakdown``. A
*soft* deadline (its own dated cost, or an investor's condition) never ends
the talks: if no definitive agreement exists by its date, its cost applies
(the investor's money is withdrawn) and an event says so. How deadlines pace
the tactics is in ``domain/deadlines.py``.

**The calendar's end.** After the last round on the calendar (the analyst's
horizon, no party's deadline) the run ends with ``deadline``.

Dated events (an investor's commitment or its missed condition, an outside
offer, a soft deadline's cost, a requirement made public, a ratifier's
decision) are Mesa calendar events scheduled by the agents themselves; they
fire between rounds. Nothing happens after the run's end: an event dated
after the calendar's end is never scheduled, and when the run ends (a
definitive agreement, a walk-away, the calendar's end) every event still
pending is cancelled, so ``end`` is always the log's last record.
Everything that happens is recorded in the round log, the model's only
output.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from collections.abc import Callable
from typing import Any

from ..runtime.lazy import mesa  # Mesa without its unused parts: start-up time

from ..domain.preferences import Constraint
from ..domain.spaces import space_for
from ..domain.tactics import EPS
from ..domain.scenario import Scenario
from .agents import Bargainer, ConditionCheck, Ratifier
from .cast import add_agents
from .collect import agent_reporters, round_reporters
from .memo import Memo
from .ratification import Reviews
from .record import Recorder, header, rounded
from .stakes import share_stakes

BEFORE_ROUND = 1e-6  # an event dated on a round's day acts before that round's offers


class Result(StrEnum):
    AGREEMENT = "agreement"
    DEADLINE = "deadline"
    BREAKDOWN = "breakdown"


class NegotiationModel(mesa.Model):
    """A scenario played out once, with one seed.

    ``spec`` is the validated :class:`~negotiation.domain.scenario.Scenario`
    (Mesa reserves ``Model.scenario`` for its own experiment objects).
    """

    def __init__(self, spec: Scenario, seed: int | None = None, collect: bool = True) -> None:
        self.seed = spec.seed if seed is None else seed
        super().__init__(rng=self.seed)
        self.spec = spec
        self.space = spec.space
        self.outcomes = space_for(spec.space)  # utilities, offers, walk-away, whatever the space's size
        self.round = 0
        self.date: dt.date = spec.calendar.start
        self.today = self.date.isoformat()  # the date as the log writes it, set with the date (``move_to``)
        self.elapsed = 0
        self.result: Result | None = None
        self.agreement: int | None = None
        self.tentative: int | None = None
        self.agreement_day: dt.date | None = None
        self.dated: list[Any] = []  # every dated Mesa event scheduled (``schedule_dated``): cancelled at the end
        self.log = Recorder()
        self.agreed: dict[str, list[str]] = {"tentative": [], "definitive": []}  # the dates of the log's agreements
        self.memo = Memo()  # what is worked out once a version of the preferences (or once a day): engine/memo.py
        self.n_rounds = spec.calendar.n_rounds
        self.soft_deadlines: dict[str, list[tuple[dt.date, Callable[[], float]]]] = {}  # bargainer → (date, at risk)
        self.conditions: dict[str, ConditionCheck] = {}  # investor → its condition
        self.costly_deadlines: dict[str, Any] = {}  # deadline party → (its date this run, its DatedEffects)
        for party in spec.parties:
            add_agents(self, party)  # each role's agents; dated ones schedule their own events
        self.bargainers: list[Bargainer] = [a for a in self.agents if isinstance(a, Bargainer)]  # subclasses too
        self.ratifiers: list[Ratifier] = [a for a in self.agents if isinstance(a, Ratifier)]  # bodies too
        self.reviews = Reviews(self, spec.ratification)  # the pending reviews of a tentative agreement
        self.longest_review = self.reviews.days_to_definitive  # the reviews' time to a definitive agreement
        self.opens = spec.as_of  # a forecast: no bargaining on or before its date
        self.stakeholders = share_stakes(self)  # engine/stakes.py
        # whether who walks away can change from one day to the next, preferences unchanged
        self.time_costs = any(b.delay is not None for b in self.bargainers)
        self.hard_deadlines = self.time_costs or any(b.deadline is not None for b in self.bargainers)
        self.log.add("header", **header(self))
        # Mesa's per-round table (engine/collect.py); it only reads. Batch runs that keep no model skip it.
        self.datacollector = mesa.DataCollector(model_reporters=round_reporters(self),
                                                agent_reporters=agent_reporters()) if collect else None
        self.collect()

    def collect(self) -> None:
        if self.datacollector is not None:
            self.datacollector.collect(self)
        self.end_collected = self.result is not None

    def bargainer(self, name: str) -> Bargainer:
        return next(b for b in self.bargainers if b.name == name)

    def next_day(self) -> dt.date:
        """The date of the next round (the calendar's end after the last)."""
        rounds = self.spec.calendar.rounds
        return rounds[self.round][0] if self.round < len(rounds) else self.spec.calendar.deadline

    def event_time(self, day: dt.date) -> float:
        return max(self.time, self.spec.calendar.time_of(day) - BEFORE_ROUND)

    def schedule_dated(self, action: Callable[[], None], day: dt.date) -> Any:
        """Schedule ``action`` on ``day`` as a Mesa calendar event (before that
        day's round) and return the event; None, and nothing scheduled, when
        ``day`` is after the calendar's end: the run is over by then. Every
        event scheduled here is cancelled when the run ends (``finish``)."""
        if day > self.spec.calendar.deadline:
            return None
        event = self.schedule_event(action, at=self.event_time(day))
        self.dated.append(event)
        return event

    def run(self) -> NegotiationModel:
        """Play until the negotiation ends; returns the model for chaining.

        By Mesa's public API: ``run_for(1)`` fires the dated events due up to
        the next round's time, then the round is played (its own ``step``) and
        counted, as Mesa's step event would. Stepping one round at a time
        (``model.step()``, as the browser app does) writes the same log; a
        test checks it. ``_own_rounds`` is the one place that reaches past the
        public API (see there).
        """
        play_round = _own_rounds(self)
        if play_round is None:  # Mesa's own stepping: the same log, slower
            while self.running:
                self.step()
            return self
        while self.running:
            self.run_for(1)
            self.steps += 1
            play_round(self)
        return self

    # -- a round -------------------------------------------------------------------
    def step(self) -> None:
        if not self.running:  # a ratification decided between rounds ended it: the end's row, once
            if not self.end_collected:
                self.collect()
            return
        self.round += 1
        if self.round > self.n_rounds:
            self.deadline_passed()
        else:
            self.move_to(*self.spec.calendar.rounds[self.round - 1])
            if self.tentative is None and (self.opens is None or self.date > self.opens):
                self.bargain()
        self.collect()

    def turn_order(self) -> list[Bargainer]:
        """Every bargainer proposes once per round, in the scenario's order."""
        return list(self.bargainers)

    def bargain(self) -> None:
        for proposer in self.turn_order():
            leaving = self.walkaway()
            if leaving:
                self.finish(Result.BREAKDOWN, reason=leaving[1], party=leaving[0].name)
                return
            offer = proposer.propose()
            if offer is None:  # a language-model bargainer walked away (engine/llm_party.py)
                self.finish(Result.BREAKDOWN, reason=proposer.walked, party=proposer.name)
                return
            records = self.log.records  # the two records of every turn, written out (a run writes hundreds)
            records.append({"type": "offer", "round": self.round, "date": self.today, "from": proposer.name,
                            "outcome": self.space.as_dict(offer), "utilities": self.utilities(offer),
                            "reservations": self.reservations()})
            accepted = True
            for responder in self.bargainers:
                if responder is not proposer:
                    accept = self.answer(responder, offer, proposer)
                    records.append({"type": "response", "round": self.round, "date": self.today,
                                    "party": responder.name, "to": proposer.name, "accept": accept})
                    accepted = accepted and accept
            if accepted:  # SAOP: an offer stands when every responder accepts it
                self.agree_tentatively(offer)
                return

    # -- answers -------------------------------------------------------------------
    def answer(self, responder: Bargainer, offer: int, proposer: Bargainer) -> bool:
        """Yes iff the offer is individually rational for the responder and one
        of its acceptance conditions holds."""
        responder.observe(offer, proposer)
        return individually_rational(responder, offer) and responder.conditions_accept(offer)

    # -- walk-away -----------------------------------------------------------------
    def walkaway(self) -> tuple[Bargainer, str] | None:
        """The first bargainer that leaves the table now, and why, if any: the
        same while no party's preferences change (offers change none) and, when
        some bargainer has a hard deadline, all day."""
        key = (self.date if self.hard_deadlines else None, self.memo.version)
        held = self.memo.held.get("leaving")  # the memo's test written out: asked before every offer
        if held is None or held[0] != key:
            held = self.memo.held["leaving"] = (key, self.first_leaving())
        return held[1]

    def first_leaving(self) -> tuple[Bargainer, str] | None:
        for b in self.bargainers:
            if b.deadline is not None and self.date > b.deadline:
                return b, f"{b.name}'s deadline {b.deadline.isoformat()} passed"
            if b.hopeless():
                delay = f" (a deal must be worth {b.floor():.3f} today)" if b.delay is not None else ""
                return b, f"{b.name}'s reservation value {b.reservation:.3f}{delay} beats anything it can still get"
        return None

    # -- agreement, ratification, veto -----------------------------------------------
    def agree_tentatively(self, offer: int) -> None:
        self.tentative = offer
        self.record("agreement", stage="tentative", outcome=self.space.as_dict(offer),
                    utilities=self.utilities(offer))
        if not self.ratifiers:
            self.agree(self.date)
            return
        self.reviews.open()

    def ratify(self, ratifier: Ratifier, failed: Constraint | None) -> None:
        """A ratifier's decision (approval, or a veto naming the failed
        condition), as the scenario's order of reviews reads it."""
        self.reviews.decided(ratifier, failed)

    def agree(self, day: dt.date, round_no: int | None = None, reason: str | None = None) -> None:
        """The definitive agreement: the run ends. Decided between rounds, it
        ends in the round (and on the day) the log gives it, and the model
        moves there, so the app and the DataCollector show the end as the log does."""
        self.agreement = self.tentative
        self.agreement_day = day
        if round_no is not None and (round_no, day) != (self.round, self.date):
            self.round = round_no
            self.move_to(day)
        where = {"round": self.round, "date": self.today}
        self.record("agreement", **where, stage="definitive", outcome=self.space.as_dict(self.agreement),
                    utilities=self.utilities(self.agreement))
        reason = reason or "every bargainer accepted" + (" and every ratifier approved" if self.ratifiers else "")
        self.finish(Result.AGREEMENT, reason=reason, **where)

    # -- the calendar's end ------------------------------------------------------------
    def deadline_passed(self) -> None:
        self.round = self.n_rounds
        self.move_to(self.spec.calendar.deadline)
        pending = f"; the tentative agreement of {self.tentative_date()} was not ratified in time" \
            if self.tentative is not None else ""
        self.finish(Result.DEADLINE, reason=f"no definitive agreement by the deadline {self.date}{pending}")

    def finish(self, result: Result, reason: str, **extra: Any) -> None:
        """The run ends: the ``end`` record, and every dated event still pending
        is cancelled (a soft deadline or a review due later in the same Mesa
        step would otherwise act and be logged after the end)."""
        self.running = False
        for event in self.dated:
            event.cancel()
        outcome = {"outcome": self.space.as_dict(self.agreement),
                   "utilities": self.utilities(self.agreement)} if self.agreement is not None else {}
        self.record("end", result=str(result), reason=reason, **extra, **outcome)
        self.result = result

    # -- records -----------------------------------------------------------------
    def move_to(self, day: dt.date, text: str | None = None) -> None:
        """Today is ``day`` (``text``: its ISO form, when known already)."""
        self.date, self.today = day, text or day.isoformat()
        self.elapsed = (day - self.spec.calendar.start).days  # days since the calendar's start (relative time)
        self.memo.date_changed()

    def preferences_changed(self) -> None:
        self.memo.preferences_changed()

    def record(self, record_type: str, **fields: Any) -> None:
        """One log record (Recorder's layout: type, round, date, then the fields),
        dated today unless given. Nothing is recorded after ``end``: an event
        acting late would be a bug in the protocol, so it fails loudly."""
        if self.result is not None:
            raise RuntimeError(f"a {record_type!r} record after the run's end")
        record = {"type": record_type, "round": fields.pop("round", self.round), "date": fields.pop("date", self.today),
                  **fields}
        self.log.records.append(record)
        if record_type == "agreement":
            self.agreed[record["stage"]].append(record["date"])

    def event(self, kind: str, party: str, text: str, day: dt.date, **fields: Any) -> None:
        """A calendar event on ``day``, logged against its round (``round_of``)."""
        self.record("event", round=self.round_of(day), date=day.isoformat(), kind=kind, party=party, text=text,
                    **fields)

    def round_of(self, day: dt.date) -> int:
        """The round a dated event is logged in: today's, for one on today's
        date once the round is played; else the round it precedes (it acts
        before that round's offers); after the last round, the last."""
        return self.round if 0 < self.round and day <= self.date else min(self.round + 1, self.n_rounds)

    def tentative_date(self) -> dt.date:
        return dt.date.fromisoformat(self.agreed["tentative"][-1])

    def condition_status(self) -> dict[str, dict[str, Any]]:
        """Each investor's condition: its date and whether a definitive
        agreement met it (on or before the date)."""
        day = self.agreement_day
        return {name: {"date": c.day.isoformat(), "met": day is not None and day <= c.day}
                for name, c in self.conditions.items()}

    def utilities(self, outcome: int) -> dict[str, float]:
        """Each bargainer's utility of ``outcome``, as the log writes it. Bargainers
        offer the same few outcomes round after round, so the rounded values are
        kept until some party's preferences change (a fresh dict each call: records
        never share one)."""
        memo, key = self.memo, ("utilities", outcome)
        held = memo.held.get(key)  # the memo's test written out: asked for every record
        if held is None or held[0] != memo.version:
            held = memo.held[key] = (memo.version, rounded({b.name: b.utility[outcome] for b in self.bargainers}))
        return dict(held[1])

    def reservations(self) -> dict[str, float]:
        held = self.memo.held.get("reservations")
        if held is None or held[0] != self.memo.version:
            held = self.memo.held["reservations"] = (self.memo.version,
                                                     rounded({b.name: b.reservation for b in self.bargainers}))
        return dict(held[1])


def individually_rational(b: Bargainer, offer: int) -> bool:
    """Allowed by its constraints and worth at least its reservation value
    (with a cost of delay: worth at least it once delay is paid for)."""
    return bool(b.allowed[offer]) and float(b.utility[offer]) >= b.floor() - EPS


def _own_rounds(model: NegotiationModel) -> Callable[[NegotiationModel], None] | None:
    """The round itself, once Mesa's per-step event generator is paused; None
    where it cannot be (then Mesa steps the model).

    Mesa 3.5 makes every step an event of a recurring generator (an
    ``EventGenerator`` made in ``Model.__init__``); over a run that
    bookkeeping costs about 5 µs a round, as much as a cheap round itself.
    ``EventGenerator.pause`` is public, but Mesa's public API has no way to
    reach the model's own generator (it is ``Model._default_schedule``), nor
    to make a model without it, nor to run events without it firing. So this
    pauses it through that private name, the only one used; if a Mesa release
    renames it, the run falls back to ``step()``.
    """
    schedule = getattr(model, "_default_schedule", None)
    if schedule is None or not hasattr(schedule, "pause"):
        return None
    schedule.pause()
    return type(model).step  # the round (Mesa wraps ``model.step`` in its scheduler)

