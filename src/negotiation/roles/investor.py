"""Investor: commits money to a bargainer on condition of a definitive deal
by a date (SoftBank's round of March 2025), possibly in later dated steps (a
board approval, a payment, a reduction).

In a run each commitment and each step is a dated effect on the backed
bargainer (``engine/agents.py``, :class:`DatedEffect`). The condition date is
a *soft* deadline of the backed bargainer (``domain/deadlines.py``), not a
hard one: it is met only by a definitive (ratified) agreement on or before
it; otherwise the money is withdrawn on the next day, as ``if_missed`` says
(by default every effect of the commitment applied so far is reversed), an
event is logged and the talks go on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from ..domain.parties import Effect, Party
from ..inputs.parties import EffectModel
from ..inputs.types import Date, Text, number
from ..inputs.validation import Node
from ._declaration import Context, Declared, Event, Role


@dataclass(frozen=True)
class Tranche:
    """A later, dated step of an investor's commitment that adds or withdraws
    pressure on the backed party."""

    on: dt.date
    amount_usd_bn: float
    effect: Effect


@dataclass(frozen=True)
class InvestorParty(Party):
    """Commits money to ``backs`` on ``commits_on``, on condition of a deal by
    ``condition_date``: from then on that date is a soft deadline of the backed party,
    and ``effect`` applies to it (the money at stake lowers its value of no
    deal); ``if_missed`` is what happens to it if the condition is missed
    (None: the commitment's effects are reversed)."""

    backs: str = ""
    commits_on: dt.date | None = None
    condition_date: dt.date | None = None
    amount_usd_bn: float = 0.0
    effect: Effect = Effect()
    tranches: tuple[Tranche, ...] = ()
    if_missed: Effect | None = None


class TrancheModel(Node):
    """A later, dated step of the commitment."""

    on: Date
    amount_usd_bn: number(ge=0.0) = 0.0  # type: ignore[valid-type]
    effect: EffectModel


class Model(Node):
    """An investor: whom it backs, from when, on condition of a deal by when."""

    role: Literal["investor"]
    backs: Text = Field(description="the bargainer it backs")  # type: ignore[valid-type]
    commits_on: Date
    condition_date: Date = Field(description="a deal is needed by this date; it becomes the backed party's deadline")
    amount_usd_bn: number(ge=0.0) = 0.0  # type: ignore[valid-type]
    effect: EffectModel = EffectModel()
    tranches: list[TrancheModel] = []
    if_missed: EffectModel = Field(None,  # type: ignore[assignment]
                                   description="what missing the condition does to it (default: the reverse "
                                               "of every effect applied so far)")


def build(name: str, m: Model, ctx: Context) -> InvestorParty:
    key = f"parties.{name}"
    backs = ctx.bargainer(f"{key}.backs", m.backs)
    commits_on = ctx.within(f"{key}.commits_on", m.commits_on)
    if m.condition_date <= commits_on:
        raise ctx.error(f"{key}.condition_date", f"a date after commits_on ({commits_on}) expected, "
                                                 f"got {m.condition_date}")
    moves = m.effect.build(ctx, f"{key}.effect")
    tranches = []
    for i, step in enumerate(m.tranches):
        on = ctx.within(f"{key}.tranches.{i}.on", step.on)
        if on <= commits_on:
            raise ctx.error(f"{key}.tranches.{i}.on", f"a date after commits_on ({commits_on}) expected, got {on}")
        tranches.append(Tranche(on, step.amount_usd_bn, step.effect.build(ctx, f"{key}.tranches.{i}.effect")))
    if_missed = m.if_missed.build(ctx, f"{key}.if_missed") if m.if_missed is not None else None
    return InvestorParty(name, "investor", backs=backs, commits_on=commits_on, condition_date=m.condition_date,
                         amount_usd_bn=m.amount_usd_bn, effect=moves, tranches=tuple(tranches), if_missed=if_missed)


def header(model: Any, party: InvestorParty) -> dict[str, Any]:
    assert party.commits_on is not None and party.condition_date is not None
    return {"backs": party.backs, "commits_on": party.commits_on.isoformat(),
            "condition_date": party.condition_date.isoformat(), "amount_usd_bn": party.amount_usd_bn}


def describe(party: InvestorParty) -> str:
    steps = f" · {len(party.tranches)} later step(s)" if party.tranches else ""
    missed = party.if_missed.describe() if party.if_missed else "its effects reversed"
    return (f"backs {party.backs} from {party.commits_on} if a definitive deal is done by {party.condition_date} "
            f"({party.effect.describe()}){steps} · if missed: {missed}")


def declares(party: InvestorParty) -> Declared:
    """Its commitment and each later step are dated events; its condition
    date is both a deadline (a deal by it or the money goes) and the
    condition met or missed in each run."""
    assert party.commits_on is not None
    key = f"parties.{party.name}"
    events = (Event(f"{key}.commits_on", party.commits_on),
              *(Event(f"{key}.tranches.{i}.on", step.on) for i, step in enumerate(party.tranches)))
    return Declared(events=events, deadline=party.condition_date, condition=party.condition_date)


ROLE = Role("investor", Model, build, header, describe, declares=declares)
