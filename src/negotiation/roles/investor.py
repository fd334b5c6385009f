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
from typing import Any

from ..domain.parties import Effect, Party
from ..inputs.config import Section
from ..inputs.parties import bargainer_name, dated, effect
from . import Context, Role


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


def parse(name: str, p: Section, ctx: Context) -> InvestorParty:
    clauses, calendar = ctx.clauses, ctx.calendar
    backs = bargainer_name(p, "backs", list(ctx.bargainers))
    commits_on = dated(p, "commits_on", calendar)
    condition_date = p.date("condition_date")
    if condition_date <= commits_on:
        raise p.error(f"a date after commits_on ({commits_on}) expected, got {condition_date}", "condition_date")
    amount = p.number("amount_usd_bn", 0.0, lo=0.0)
    moves = effect(p.section("effect", {}), clauses)
    raw = p.raw("tranches", [])
    if not isinstance(raw, list):
        raise p.error("a list of {on, amount_usd_bn, effect} steps expected", "tranches")
    tranches = []
    for i, step in enumerate(raw):
        t = p.sub(f"tranches.{i}", step)
        on = dated(t, "on", calendar)
        if on <= commits_on:
            raise t.error(f"a date after commits_on ({commits_on}) expected, got {on}", "on")
        tranches.append(Tranche(on, t.number("amount_usd_bn", 0.0, lo=0.0), effect(t.section("effect"), clauses)))
        t.close()
    if_missed = effect(p.section("if_missed"), clauses) if p.has("if_missed") else None
    return InvestorParty(name, "investor", backs=backs, commits_on=commits_on, condition_date=condition_date,
                         amount_usd_bn=amount, effect=moves, tranches=tuple(tranches), if_missed=if_missed)


def agents(model: Any, party: InvestorParty) -> None:
    from ..engine.agents import ConditionCheck, DatedEffect

    assert party.commits_on is not None and party.condition_date is not None
    condition = party.condition_date
    steps = [DatedEffect(model, party.name, "investor", party.commits_on, party.backs, party.effect,
                         lambda target: (f"{party.name} commits {party.amount_usd_bn:g} bn USD to {target.name} if a "
                                         f"definitive deal is done by {condition}; {target.name}: "
                                         f"{party.effect.describe()}"))]
    for step in party.tranches:
        steps.append(DatedEffect(model, party.name, "investor", step.on, party.backs, step.effect,
                                 lambda target, step=step: (f"{party.name}: {step.amount_usd_bn:g} bn USD step on "
                                                            f"condition of a deal by {condition}; {target.name}: "
                                                            f"{step.effect.describe()}")))
    ConditionCheck(model, party.name, condition, party.backs, steps, party.if_missed)


def header(model: Any, party: InvestorParty) -> dict[str, Any]:
    assert party.commits_on is not None and party.condition_date is not None
    return {"backs": party.backs, "commits_on": party.commits_on.isoformat(),
            "condition_date": party.condition_date.isoformat(), "amount_usd_bn": party.amount_usd_bn}


def describe(party: InvestorParty) -> str:
    steps = f" · {len(party.tranches)} later step(s)" if party.tranches else ""
    missed = party.if_missed.describe() if party.if_missed else "its effects reversed"
    return (f"backs {party.backs} from {party.commits_on} if a definitive deal is done by {party.condition_date} "
            f"({party.effect.describe()}){steps} · if missed: {missed}")


ROLE = Role("investor", parse, agents, header, describe)
