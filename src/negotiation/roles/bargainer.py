"""Bargainer: makes and answers offers (Microsoft and OpenAI).

It holds preferences over the outcomes (linear additive, GENIUS style), a
strategy (a tactic, acceptance conditions, an opponent model), possibly a
hard deadline of its own (after which it walks away), soft deadlines:
dated costs (``domain/deadlines.py``), a cost of delay
(``domain/discounting.py``), shares in other bargainers' fortunes
(``engine/stakes.py``), and a horizon its tactic paces itself to only when
nothing else dates its concessions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field

from ..domain.deadlines import effect_size
from ..domain.discounting import CostOfDelay, RecurringCost
from ..domain.llm import LlmSpec
from ..domain.parties import Party, SoftDeadline
from ..domain.preferences import loss_averse
from ..errors import InputError
from ..inputs.parties import EffectModel, Requirements, Reservation, Values, Weights, preferences
from ..inputs.llm import spec_of, strategy_with_llm
from ..inputs.tactics import strategy_model
from ..inputs.types import Date, Duration, Text, number
from ..inputs.validation import Node
from ._declaration import Context, Declared, Role

OPPONENT_MODELS = ("known", "frequency")  # the engine's opponents.py implements each


class SoftDeadlineModel(Node):
    """A dated cost: on ``date`` (known in advance, not an event) the bargainer
    bears ``cost`` if no definitive deal is done."""

    date: Date
    cost: EffectModel = Field(description="an effect: what missing the date costs it")


class RecurringCostModel(Node):
    """An amount of utility lost every period from a date while no deal is done."""

    amount: number(gt=0.0, le=1.0, description="utility lost each period")  # type: ignore[valid-type]
    every: Duration = Field(description="the period: days, or like 7d or 2w")  # type: ignore[valid-type]
    start: Date = Field(alias="from", description="the first day a charge falls due")  # type: ignore[valid-type]


class CostOfDelayModel(Node):
    """What waiting costs its deal (Rubinstein 1982): u·δ^t − c·t − the
    recurring charges, t in years from the calendar's start; the reservation
    value is not discounted (``domain/discounting.py``)."""

    discount: number(gt=0.0, le=1.0,  # type: ignore[valid-type]
                     description="δ: the share of a deal's utility kept per year of delay, in (0, 1]") = 1.0
    per_year: number(ge=0.0,  # type: ignore[valid-type]
                     description="c: utility lost per year of delay") = 0.0
    recurring: list[RecurringCostModel] = []


class SharedStakeModel(Node):
    """A share of another bargainer's dated costs and investor money, in its own utility."""

    party: Text = Field(description="the bargainer it holds a stake in")  # type: ignore[valid-type]
    share: number(gt=0.0, le=1.0,  # type: ignore[valid-type]
                  description="the share of that party's reservation changes it bears, in its own utility")


class Model(Node):
    """A bargainer: a linear additive utility over the clauses (GENIUS), a
    reservation value, deal-breakers, a negotiation strategy and its deadlines."""

    role: Literal["bargainer"]
    weights: Weights  # type: ignore[valid-type]
    values: Values = {}  # type: ignore[valid-type]
    reservation: Reservation = 0.0  # type: ignore[valid-type]
    constraints: Requirements = {}  # type: ignore[valid-type]
    deadline: Date = Field(None,  # type: ignore[assignment]
                           description="a hard deadline of its own: it walks away after it")
    horizon: Date = Field(None,  # type: ignore[assignment]
                          description="the analyst's fallback: the date its tactic paces its concessions to "
                                      "when neither a deadline nor a cost of delay dates them")
    soft_deadlines: list[SoftDeadlineModel] = []
    loss_aversion: number(gt=0.0, le=10.0, description="λ: losses from the clauses' status quo weigh λ times "  # type: ignore[valid-type]
                          "gains (Tversky & Kahneman 1991: about 2); absent: no reference point") = None
    cost_of_delay: CostOfDelayModel = Field(None,  # type: ignore[assignment]
                                            description="what waiting costs its deal")
    shared_stakes: list[SharedStakeModel] = []
    strategy: strategy_with_llm(strategy_model(OPPONENT_MODELS)) = Field(  # type: ignore[valid-type]
        None, description="tactic (default time_dependent), acceptance conditions, opponent model; "
                          "or a language model (name: llm)")


def build(name: str, m: Model, ctx: Context) -> Party:
    key = f"parties.{name}"
    prefs = preferences(ctx, key, m.weights, m.values, m.reservation, m.constraints)
    if m.loss_aversion is not None:
        reference = {c.name: c.index(c.status_quo) for c in ctx.clauses if c.status_quo is not None}
        if not reference:
            raise ctx.error(f"{key}.loss_aversion", "a status_quo on at least one clause expected (the reference "
                                                    "point losses and gains are counted from)")
        prefs = loss_averse(prefs, reference, m.loss_aversion)
    deadline = _after_start(ctx, f"{key}.deadline", m.deadline)
    horizon = _after_start(ctx, f"{key}.horizon", m.horizon)
    if deadline is not None and horizon is not None:
        raise ctx.error(f"{key}.horizon", "a horizon only for a party without a deadline of its own "
                                          "(its deadline paces it)")
    stakes = []
    for i, held in enumerate(m.shared_stakes):
        other = ctx.bargainer(f"{key}.shared_stakes.{i}.party", held.party)
        if other == name or other in [o for o, _ in stakes]:
            raise ctx.error(f"{key}.shared_stakes.{i}.party", f"another bargainer, once, expected, got {other}")
        stakes.append((other, held.share))
    return Party(name, "bargainer", prefs, spec_of(m.strategy), deadline, horizon,
                 _soft_deadlines(ctx, key, m.soft_deadlines), _cost_of_delay(ctx, key, m.cost_of_delay),
                 tuple(stakes), m.loss_aversion)


def _cost_of_delay(ctx: Context, key: str, m: CostOfDelayModel | None) -> CostOfDelay | None:
    """None when it costs nothing (no key, or δ = 1 and no cost): such a party behaves as before."""
    if m is None:
        return None
    recurring = []
    for i, r in enumerate(m.recurring):
        if r.start < ctx.calendar.start:
            raise ctx.error(f"{key}.cost_of_delay.recurring.{i}.from",
                            f"a date on or after calendar.start ({ctx.calendar.start}) expected, got {r.start}")
        recurring.append(RecurringCost(r.amount, r.every, r.start))
    if m.discount == 1.0 and m.per_year == 0.0 and not recurring:
        return None
    return CostOfDelay(ctx.calendar.start, m.discount, m.per_year, tuple(recurring))


def _after_start(ctx: Context, key: str, day: dt.date | None) -> dt.date | None:
    if day is not None and day <= ctx.calendar.start:
        raise ctx.error(key, f"a date after calendar.start ({ctx.calendar.start}) expected, got {day}")
    return day


def _soft_deadlines(ctx: Context, key: str, items: list[SoftDeadlineModel]) -> tuple[SoftDeadline, ...]:
    """Each a dated cost; a soft deadline that costs nothing is no deadline."""
    out = []
    for i, item in enumerate(items):
        on = _after_start(ctx, f"{key}.soft_deadlines.{i}.date", item.date)
        cost = item.cost.build(ctx, f"{key}.soft_deadlines.{i}.cost")
        if effect_size(cost) == 0:
            raise ctx.error(f"{key}.soft_deadlines.{i}.cost",
                            "a cost that changes something (reservation or weights) expected")
        assert on is not None
        out.append(SoftDeadline(on, cost))
    return tuple(out)


def header(model: Any, party: Party) -> dict[str, Any]:
    agent = model.bargainer(party.name)
    assert party.strategy is not None
    head = {"strategy": party.strategy.name, "reservation": round(agent.reservation, 6),
            "deadline": agent.deadline.isoformat() if agent.deadline else None,
            "horizon": agent.pace.isoformat()}
    if isinstance(party.strategy, LlmSpec):
        head["model"], head["fallback"] = party.strategy.model, party.strategy.fallback.name
    if party.cost_of_delay is not None:
        day, why = agent.clock()
        head["cost_of_delay"] = describe_delay(party.cost_of_delay)
        head["clock"] = {"date": day.isoformat(), "set_by": why}  # at the start; it moves with its alternative
    if party.shared_stakes:
        head["shared_stakes"] = dict(party.shared_stakes)
    if party.loss_aversion is not None:
        head["loss_aversion"] = party.loss_aversion
    if party.soft_deadlines:
        head["soft_deadlines"] = [{"on": s.on.isoformat(), "cost": s.cost.describe()} for s in party.soft_deadlines]
    return head


def describe(party: Party) -> str:
    assert party.strategy is not None and party.preferences is not None
    params = ", ".join(f"{k}={v:g}" for k, v in party.strategy.params)
    if isinstance(party.strategy, LlmSpec):
        params = f"model={party.strategy.model}, fallback {party.strategy.fallback.name}"
    deadline = f" · deadline {party.deadline}" if party.deadline else \
        (f" · no deadline, horizon {party.horizon}" if party.horizon else " · no deadline")
    deadline += "".join(f" · soft deadline {s.on} ({s.cost.describe()})" for s in party.soft_deadlines)
    if party.cost_of_delay is not None:
        deadline += f" · cost of delay {describe_delay(party.cost_of_delay)}"
    deadline += "".join(f" · bears {share:g} of {other}'s dated costs" for other, share in party.shared_stakes)
    if party.loss_aversion is not None:
        deadline += f" · loss aversion λ={party.loss_aversion:g} from the status quo"
    return (f"{party.strategy.name}({params}) · reservation {party.preferences.reservation:.2f}"
            f" · {party.strategy.opponent_model} opponent model{deadline}")


def describe_delay(delay: CostOfDelay) -> str:
    parts = [f"δ {delay.discount:g}/year"] if delay.discount != 1.0 else []
    parts += [f"{delay.per_year:g}/year"] if delay.per_year else []
    parts += [f"{r.amount:g} every {r.every_days}d from {r.start}" for r in delay.recurring]
    return ", ".join(parts)


def declares(party: Party) -> Declared:
    """Its own hard deadline (soft deadlines are dated costs known in
    advance, not events)."""
    return Declared(deadline=party.deadline)


ROLE = Role("bargainer", Model, build, header, describe, declares=declares)
