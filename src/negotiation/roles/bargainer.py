"""Bargainer: makes and answers offers (Microsoft and OpenAI).

It holds preferences over the outcomes (linear additive, GENIUS style), a
strategy (a tactic, acceptance conditions, an opponent model), possibly a
hard deadline of its own (after which it walks away) or else a horizon its
tactic paces itself to, and soft deadlines: dated costs
(``domain/deadlines.py``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..domain.acceptance import ACCEPTANCES
from ..domain.deadlines import effect_size
from ..domain.parties import Party, SoftDeadline, StrategySpec
from ..domain.tactics import TACTICS, parameters
from ..inputs.config import Section
from ..inputs.parties import effect, preferences
from . import Context, Role

OPPONENT_MODELS = ("known", "frequency")  # the engine's opponents.py implements each


def parse(name: str, p: Section, ctx: Context) -> Party:
    prefs = preferences(p, ctx.clauses)
    strategy = _strategy(p.section("strategy", {"name": "time_dependent"}))
    deadline = _after_start(p, "deadline", ctx) if p.has("deadline") else None
    horizon = _after_start(p, "horizon", ctx) if p.has("horizon") else None
    if deadline is not None and horizon is not None:
        raise p.error("a horizon only for a party without a deadline of its own (its deadline paces it)", "horizon")
    return Party(name, "bargainer", prefs, strategy, deadline, horizon, _soft_deadlines(p, ctx))


def _after_start(p: Section, key: str, ctx: Context) -> dt.date:
    day = p.date(key)
    if day <= ctx.calendar.start:
        raise p.error(f"a date after calendar.start ({ctx.calendar.start}) expected, got {day}", key)
    return day


def _soft_deadlines(p: Section, ctx: Context) -> tuple[SoftDeadline, ...]:
    """``soft_deadlines: [{date: DATE, cost: {reservation: …, weights: {…}}}, …]``:
    each a dated cost; a soft deadline that costs nothing is no deadline.
    (``date``, not ``on``: a deadline is known in advance, not an event.)"""
    raw = p.raw("soft_deadlines", [])
    if not isinstance(raw, list):
        raise p.error("a list of {date, cost} entries expected", "soft_deadlines")
    out = []
    for i, item in enumerate(raw):
        sec = p.sub(f"soft_deadlines.{i}", item)
        on = _after_start(sec, "date", ctx)
        if not sec.has("cost"):
            raise sec.error("a cost (an effect: reservation and/or weights) expected: a soft deadline is a dated "
                            "cost", "cost")
        cost = effect(sec.section("cost"), ctx.clauses)
        if effect_size(cost) == 0:
            raise sec.error("a cost that changes something (reservation or weights) expected", "cost")
        sec.close()
        out.append(SoftDeadline(on, cost))
    return tuple(out)


def _strategy(sec: Section) -> StrategySpec:
    name = sec.choice("name", sorted(TACTICS))
    params = _params(sec, TACTICS[name])
    acceptance = []
    spec = sec.raw("acceptance", ["ac_next"])
    for i, item in enumerate(spec if isinstance(spec, list) else [spec]):
        asec = sec.sub(f"acceptance.{i}" if isinstance(spec, list) else "acceptance",
                       item if isinstance(item, dict) else {"name": item})
        aname = asec.choice("name", sorted(ACCEPTANCES))
        acceptance.append((aname, _params(asec, ACCEPTANCES[aname])))
        asec.close()
    model = sec.choice("opponent_model", list(OPPONENT_MODELS), "frequency")
    sec.close()
    return StrategySpec(name, params, tuple(acceptance), model)


def _params(sec: Section, cls: type) -> tuple[tuple[str, float], ...]:
    """Each numeric field of a tactic or acceptance class, read within its range."""
    out = []
    for f in parameters(cls):
        r = f.metadata["range"]
        out.append((f.name, sec.number(f.name, f.default, lo=r.lo, hi=r.hi, lo_open=r.lo_open)))
    return tuple(out)


def agents(model: Any, party: Party) -> None:
    from ..engine.agents import Bargainer

    Bargainer(model, party)


def header(model: Any, party: Party) -> dict[str, Any]:
    agent = model.bargainer(party.name)
    assert party.strategy is not None
    head = {"strategy": party.strategy.name, "reservation": round(agent.reservation, 6),
            "deadline": agent.deadline.isoformat() if agent.deadline else None,
            "horizon": agent.pace.isoformat()}
    if party.soft_deadlines:
        head["soft_deadlines"] = [{"on": s.on.isoformat(), "cost": s.cost.describe()} for s in party.soft_deadlines]
    return head


def describe(party: Party) -> str:
    assert party.strategy is not None and party.preferences is not None
    params = ", ".join(f"{k}={v:g}" for k, v in party.strategy.params)
    deadline = f" · deadline {party.deadline}" if party.deadline else \
        (f" · no deadline, horizon {party.horizon}" if party.horizon else " · no deadline")
    deadline += "".join(f" · soft deadline {s.on} ({s.cost.describe()})" for s in party.soft_deadlines)
    return (f"{party.strategy.name}({params}) · reservation {party.preferences.reservation:.2f}"
            f" · {party.strategy.opponent_model} opponent model{deadline}")


ROLE = Role("bargainer", parse, agents, header, describe)
