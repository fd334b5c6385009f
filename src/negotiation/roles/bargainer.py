"""Bargainer: makes and answers offers (Microsoft and OpenAI).

It holds preferences over the outcomes (linear additive, GENIUS style), a
strategy (a tactic, acceptance conditions, an opponent model) and possibly a
deadline of its own, after which it walks away.
"""

from __future__ import annotations

from typing import Any

from ..domain.acceptance import ACCEPTANCES
from ..domain.parties import Party, StrategySpec
from ..domain.tactics import TACTICS, parameters
from ..inputs.config import Section
from ..inputs.parties import preferences
from . import Context, Role

OPPONENT_MODELS = ("known", "frequency")  # the engine's opponents.py implements each


def parse(name: str, p: Section, ctx: Context) -> Party:
    prefs = preferences(p, ctx.clauses)
    strategy = _strategy(p.section("strategy", {"name": "time_dependent"}))
    deadline = p.date("deadline", None) if p.has("deadline") else None
    if deadline is not None and deadline <= ctx.calendar.start:
        raise p.error(f"a date after calendar.start ({ctx.calendar.start}) expected, got {deadline}", "deadline")
    return Party(name, "bargainer", prefs, strategy, deadline)


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
    return {"strategy": party.strategy.name, "reservation": round(agent.reservation, 6),
            "deadline": agent.deadline.isoformat()}


def describe(party: Party) -> str:
    assert party.strategy is not None and party.preferences is not None
    params = ", ".join(f"{k}={v:g}" for k, v in party.strategy.params)
    deadline = f" · deadline {party.deadline}" if party.deadline else ""
    return (f"{party.strategy.name}({params}) · reservation {party.preferences.reservation:.2f}"
            f" · {party.strategy.opponent_model} opponent model{deadline}")


ROLE = Role("bargainer", parse, agents, header, describe)
