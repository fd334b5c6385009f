"""The reviews of a tentative agreement, as the scenario orders them.

The protocol (``model.py``) hands a tentative agreement to :class:`Reviews`,
which opens the first stage's reviews, opens each later stage when the one
before has approved, and tells the model when the agreement is definitive:
at the last approval, or, under provisional application, once the named
ratifiers have approved (the run ends then; the reviews still open are
reported in its end reason). A veto, by any ratifier at any stage, drops
every pending review and sends the bargainers back to the table. The rules
are in ``domain/ratification.py``; a review that would end after the
calendar's end stays pending, and so does every stage after it. A review
due the day its stage opens (``review_days`` 0) is decided that day, in
that round, once every review of the stage is open; a decision is logged in
the round ``NegotiationModel.round_of`` gives its day.

:class:`Body` is a ratifier that votes: it approves when enough of its
members' seats do (``domain.ratification.vote``).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..domain.preferences import Constraint
from ..domain.ratification import RatificationPlan, Vote, vote
from .agents import Ratifier

if TYPE_CHECKING:
    from .model import NegotiationModel


class Body(Ratifier):
    """A ratifier that is a body of members voting by a threshold of seats."""

    last_vote: Vote | None = None

    def failed_condition(self, outcome: int) -> Constraint | None:
        options = dict(zip(self.model.space.names, self.model.space.option_indices(outcome)))
        self.last_vote = vote(self.party.members, self.party.threshold, options)
        return self.last_vote.failed


class Reviews:
    """The reviews of the current tentative agreement: which are pending
    (ratifier → its scheduled decision, None when due after the calendar's
    end), when each opened, which ratifiers approved."""

    def __init__(self, model: NegotiationModel, plan: RatificationPlan | None) -> None:
        self.model = model
        by_name = {r.name: r for r in model.ratifiers}
        self.plan = plan or RatificationPlan((tuple(by_name),))
        self.stages: list[list[Ratifier]] = [[by_name[n] for n in stage] for stage in self.plan.stages]
        self.pending: dict[str, Any] = {}
        self.opened: dict[str, dt.date] = {}
        self.approved: list[str] = []
        self.stage = 0

    @property
    def days_to_definitive(self) -> int:
        return self.plan.days_to_definitive({r.name: r.review_days for s in self.stages for r in s})

    def open(self) -> None:
        """A tentative agreement: the first stage's reviews open today."""
        self.approved, self.stage = [], 0
        self.open_stage(self.model.date, None)

    def open_stage(self, day: dt.date, round_no: int | None) -> None:
        model = self.model
        today = []
        for ratifier in self.stages[self.stage]:
            due = day + dt.timedelta(days=ratifier.review_days)
            where = {} if round_no is None else {"round": round_no, "date": day.isoformat()}
            model.record("event", **where, kind="review_open", party=ratifier.name,
                         text=f"{ratifier.name} opens its review; decision due {due}")
            self.opened[ratifier.name] = day
            if due == model.date:  # decided below, today, in this round
                self.pending[ratifier.name] = None
                today.append(ratifier)
            else:  # a decision due after the calendar's end cannot count: the review stays pending (None)
                self.pending[ratifier.name] = model.schedule_dated(ratifier.decide, due)
        for ratifier in today:
            if ratifier.name in self.pending:  # none is left after a veto or a definitive agreement
                ratifier.decide()

    def decided(self, ratifier: Ratifier, failed: Constraint | None) -> None:
        """A ratifier's decision: approval, or a veto naming the failed condition."""
        model = self.model
        day = self.opened[ratifier.name] + dt.timedelta(days=ratifier.review_days)
        del self.pending[ratifier.name]
        votes = ratifier.last_vote.record() if isinstance(ratifier, Body) and ratifier.last_vote else None
        model.record("ratification", round=model.round_of(day), date=day.isoformat(), party=ratifier.name,
                     decision="veto" if failed else "approve",
                     condition=f"{failed.clause} {failed.text}" if failed else None,
                     **({"votes": votes} if votes else {}))
        if failed:
            count = f" ({votes['yes']} of {votes['yes'] + votes['no']} seats approve, {votes['threshold']} needed)" \
                if votes else ""
            self.veto(ratifier, failed, day, count)
            return
        self.approved.append(ratifier.name)
        definitive = self.plan.definitive
        if definitive is not None and set(definitive) <= set(self.approved):
            still = [r.name for s in self.stages for r in s if r.name not in self.approved]
            reason = f"every bargainer accepted; applied provisionally once {', '.join(definitive)} approved" + \
                (f" ({', '.join(still)} still to decide)" if still else "")
            self.drop()
            model.agree(day, round_no=model.round_of(day), reason=reason)
        elif not self.pending:
            if self.stage + 1 < len(self.stages):
                self.stage += 1
                self.open_stage(day, model.round_of(day))
            else:
                model.agree(day, round_no=model.round_of(day))

    def veto(self, ratifier: Ratifier, failed: Constraint, day: dt.date, count: str = "") -> None:
        """Pending reviews are dropped; the bargainers learn the condition and
        go back to the table."""
        model = self.model
        self.drop()
        model.tentative = None
        for b in model.bargainers:
            b.learn(failed)
        model.record("event", round=model.round_of(day), date=day.isoformat(), kind="back_to_table",
                     party=ratifier.name, text=f"vetoed by {ratifier.name}{count}: {failed.clause} must be {failed.text}")

    def drop(self) -> None:
        """Cancel every pending review."""
        for pending in self.pending.values():
            if pending is not None:
                pending.cancel()
        self.pending.clear()
