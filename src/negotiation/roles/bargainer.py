"""Bargainer: makes and answers offers (Microsoft and OpenAI).

It holds preferences over the outcomes (linear additive, GENIUS style), a
strategy (a tactic, acceptance conditions, an opponent model), possibly a
hard deadline of its own (after which it walks away) or else a horizon its
tactic paces itself to, and soft deadlines: dated costs
(``domain/deadlines.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field

from ..domain.deadlines import effect_size
from ..domain.parties import Party, SoftDeadline
from ..domain.preferences import loss_averse
from ..inputs.parties import EffectModel, Requirements, Reservation, Values, Weights, preferences
from ..inputs.tactics import strategy_model, strategy_spec
from ..inputs.types import Date, number
from ..inputs.validation import Node
from . import Context, Role

OPPONENT_MODELS = ("known", "frequency")  # the engine's opponents.py implements each


class SoftDeadlineModel(Node):
    """A dated cost: on ``date`` (known in advance, not an event) the bargainer
    bears ``cost`` if no definitive deal is done."""

    date: Date
    cost: EffectModel = Field(description="an effect: what missing the date costs it")


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
                          description="without a deadline: the date its tactic paces its concessions to")
    soft_deadlines: list[SoftDeadlineModel] = []
    loss_aversion: number(gt=0.0, le=10.0, description="λ: losses from the clauses' status quo weigh λ times "  # type: ignore[valid-type]
                          "gains (Tversky & Kahneman 1991: about 2); absent: no reference point") = None
    strategy: strategy_model(OPPONENT_MODELS) = Field(  # type: ignore[valid-type]
        None, description="tactic (default time_dependent), acceptance conditions, opponent model")


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
    return Party(name, "bargainer", prefs, strategy_spec(m.strategy), deadline, horizon,
                 _soft_deadlines(ctx, key, m.soft_deadlines), m.loss_aversion)


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


def agents(model: Any, party: Party) -> None:
    from ..domain.clausewise import searched_clausewise
    from ..engine.agents import Bargainer
    from ..engine.large_space import ClausewiseBargainer

    (ClausewiseBargainer if searched_clausewise(model.space) else Bargainer)(model, party)


def header(model: Any, party: Party) -> dict[str, Any]:
    agent = model.bargainer(party.name)
    assert party.strategy is not None
    head = {"strategy": party.strategy.name, "reservation": round(agent.reservation, 6),
            "deadline": agent.deadline.isoformat() if agent.deadline else None,
            "horizon": agent.pace.isoformat()}
    if party.loss_aversion is not None:
        head["loss_aversion"] = party.loss_aversion
    if party.soft_deadlines:
        head["soft_deadlines"] = [{"on": s.on.isoformat(), "cost": s.cost.describe()} for s in party.soft_deadlines]
    return head


def describe(party: Party) -> str:
    assert party.strategy is not None and party.preferences is not None
    params = ", ".join(f"{k}={v:g}" for k, v in party.strategy.params)
    deadline = f" · deadline {party.deadline}" if party.deadline else \
        (f" · no deadline, horizon {party.horizon}" if party.horizon else " · no deadline")
    deadline += "".join(f" · soft deadline {s.on} ({s.cost.describe()})" for s in party.soft_deadlines)
    if party.loss_aversion is not None:
        deadline += f" · loss aversion λ={party.loss_aversion:g} from the status quo"
    return (f"{party.strategy.name}({params}) · reservation {party.preferences.reservation:.2f}"
            f" · {party.strategy.opponent_model} opponent model{deadline}")


ROLE = Role("bargainer", Model, build, agents, header, describe)
