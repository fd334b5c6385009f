"""Investor: commits money to a bargainer on condition of a deal by a date
(SoftBank's round of March 2025), possibly in later dated steps (a board
approval, a payment, a reduction).

In a run each commitment and each step is a dated effect on the backed
bargainer (``engine/agents.py``, :class:`DatedEffect`).
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
    ``condition_date``: from then on that date is the backed party's deadline,
    and ``effect`` applies to it (the money at stake lowers its value of no deal)."""

    backs: str = ""
    commits_on: dt.date | None = None
    condition_date: dt.date | None = None
    amount_usd_bn: float = 0.0
    effect: Effect = Effect()
    tranches: tuple[Tranche, ...] = ()


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
    return InvestorParty(name, "investor", backs=backs, commits_on=commits_on, condition_date=condition_date,
                         amount_usd_bn=amount, effect=moves, tranches=tuple(tranches))


def agents(model: Any, party: InvestorParty) -> None:
    from ..engine.agents import DatedEffect

    assert party.commits_on is not None and party.condition_date is not None
    condition = party.condition_date
    DatedEffect(model, party.name, "investor", party.commits_on, party.backs, party.effect,
                lambda target: (f"{party.name} commits {party.amount_usd_bn:g} bn USD to {target.name} if a deal is "
                                f"done by {condition}; {target.name}: {party.effect.describe()}, "
                                f"deadline {target.deadline}"),
                deadline=condition)
    for step in party.tranches:
        DatedEffect(model, party.name, "investor", step.on, party.backs, step.effect,
                    lambda target, step=step: (f"{party.name}: {step.amount_usd_bn:g} bn USD step on condition of a "
                                               f"deal by {condition}; {target.name}: {step.effect.describe()}"))


def header(model: Any, party: InvestorParty) -> dict[str, Any]:
    assert party.commits_on is not None and party.condition_date is not None
    return {"backs": party.backs, "commits_on": party.commits_on.isoformat(),
            "condition_date": party.condition_date.isoformat(), "amount_usd_bn": party.amount_usd_bn}


def describe(party: InvestorParty) -> str:
    steps = f" · {len(party.tranches)} later step(s)" if party.tranches else ""
    return (f"backs {party.backs} from {party.commits_on} if a deal is done by {party.condition_date} "
            f"({party.effect.describe()}){steps}")


ROLE = Role("investor", parse, agents, header, describe)
