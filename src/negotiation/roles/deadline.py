"""Deadline: a date that is costly to pass but does not end the talks (a
government's borrowing limit, a season's games lost, a strike that goes
on), possibly known only as a range ("1 June, or weeks later").

It is no party at the table: passing its date without a definitive
agreement applies a dated cost to each bargainer it names, and the talks go
on (a *costly-continuation* deadline; a soft deadline shared by several
parties, ``domain/deadlines.py``). A date known only as a range
(``between: [first, last]``) is drawn once per run, uniformly over its days,
from the run's seed (so a Monte Carlo draws a new date each run, and a
seed gives the same date every time); the bargainers do not know the draw
and plan for the middle of the range, the expected date. The drawn date is
in the log's header, ``summary.json`` (``deadlines``: name → ``date``,
``passed``) and an experiment's ``results.csv`` (``deadline.NAME``,
``passed.NAME``).
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from ..domain.deadlines import effect_size
from ..domain.parties import Effect, Party
from ..inputs.parties import EffectModel
from ..inputs.types import Date, keyed
from ..inputs.validation import Node
from . import Context, Role


@dataclass(frozen=True)
class DeadlineParty(Party):
    """A costly-continuation deadline on a date between ``first`` and
    ``last`` (equal when it is certain); ``costs`` give each named
    bargainer's cost of passing it."""

    first: dt.date | None = None
    last: dt.date | None = None
    costs: tuple[tuple[str, Effect], ...] = ()

    def planned(self) -> dt.date:
        """The date the bargainers plan for: the middle of the range."""
        assert self.first is not None and self.last is not None
        return self.first + dt.timedelta(days=(self.last - self.first).days // 2)


class Model(Node):
    """A dated cost to named bargainers; the talks go on past it."""

    role: Literal["deadline"]
    date: Date = Field(None, description="the date, when it is known")  # type: ignore[assignment]
    between: list[Date] = Field(None,  # type: ignore[assignment]
                                description="[first, last]: a date known only as a range, drawn per run")
    costs: keyed(EffectModel, "bargainer → the cost of passing the date: an effect")  # type: ignore[valid-type]


def build(name: str, m: Model, ctx: Context) -> DeadlineParty:
    key = f"parties.{name}"
    if (m.date is None) == (m.between is None):
        raise ctx.error(f"{key}.date", "either a date or between: [first, last] expected")
    if m.between is not None:
        if len(m.between) != 2:
            raise ctx.error(f"{key}.between", f"two dates [first, last] expected, got {len(m.between)}")
        first, last = m.between
        if last < first:
            raise ctx.error(f"{key}.between", f"a range that ends on or after its start ({first}) expected, "
                                              f"got {last}")
    else:
        first = last = m.date
    if first <= ctx.calendar.start:
        raise ctx.error(f"{key}.{'date' if m.between is None else 'between'}",
                        f"a date after calendar.start ({ctx.calendar.start}) expected, got {first}")
    if not m.costs:
        raise ctx.error(f"{key}.costs", "a cost for at least one bargainer expected (party → effect)")
    costs = []
    for party, effect in m.costs.items():
        ctx.bargainer(f"{key}.costs.{party}", party)
        cost = effect.build(ctx, f"{key}.costs.{party}")
        if effect_size(cost) == 0:
            raise ctx.error(f"{key}.costs.{party}", "a cost that changes something (reservation or weights) expected")
        costs.append((party, cost))
    return DeadlineParty(name, "deadline", first=first, last=last, costs=tuple(costs))


def drawn(model: Any, party: DeadlineParty) -> dt.date:
    """The run's date: the one date, or a day of the range drawn from the run's
    seed and the deadline's name (its own stream: the bargainers' draws are
    untouched)."""
    import numpy as np

    assert party.first is not None and party.last is not None
    span = (party.last - party.first).days
    if span == 0:
        return party.first
    rng = np.random.default_rng([int(model.seed) % 2**63, zlib.crc32(party.name.encode())])
    return party.first + dt.timedelta(days=int(rng.integers(0, span + 1)))


def agents(model: Any, party: DeadlineParty) -> None:
    from ..engine.agents import DatedEffect

    day = drawn(model, party)
    fired = [DatedEffect(model, party.name, "deadline", day + dt.timedelta(days=1), target, cost,
                         lambda t, cost=cost: f"{party.name} ({day}) passed without a definitive agreement; the "
                                              f"talks go on; {t.name}: {cost.describe()}")
             for target, cost in party.costs]
    model.costly_deadlines[party.name] = (day, fired)
    for target, cost in party.costs:
        model.soft_deadlines.setdefault(target, []).append((party.planned(), lambda cost=cost: effect_size(cost)))


def header(model: Any, party: DeadlineParty) -> dict[str, Any]:
    assert party.first is not None and party.last is not None
    head: dict[str, Any] = {"date": model.costly_deadlines[party.name][0].isoformat()}
    if party.first != party.last:
        head["between"] = [party.first.isoformat(), party.last.isoformat()]
    head["costs"] = {target: cost.describe() for target, cost in party.costs}
    return head


def describe(party: DeadlineParty) -> str:
    when = f"on {party.first}" if party.first == party.last else \
        f"between {party.first} and {party.last} (drawn per run; planned for {party.planned()})"
    costs = "; ".join(f"{target}: {cost.describe()}" for target, cost in party.costs)
    return f"costly to pass {when}, the talks go on ({costs})"


ROLE = Role("deadline", Model, build, agents, header, describe)
