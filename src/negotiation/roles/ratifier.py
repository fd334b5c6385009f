"""Ratifier: reviews a tentative agreement and approves or vetoes it (the
state attorneys general clearing OpenAI's recapitalisation; antitrust
authorities).

Each of its requirements is a constraint on a clause; its review takes
``review`` days from the tentative agreement. A requirement listed under
``public`` (clause → the date the fact that made it public was reported)
is known to the bargainers from that date (from the start if earlier) and
shapes their offers; the others they learn only from a veto.
"""

from __future__ import annotations

from dataclasses import dataclass
import datetime as dt
from typing import Any, Literal

from pydantic import Field

from ..domain.parties import Party
from ..domain.preferences import Constraint
from ..inputs.parties import Requirements, constraints
from ..inputs.types import Date, DurationOrZero, keyed
from ..inputs.validation import Node
from . import Context, Role


@dataclass(frozen=True)
class RatifierParty(Party):
    """Approves or vetoes a tentative agreement after ``review_days``."""

    requires: tuple[Constraint, ...] = ()
    review_days: int = 0
    public: tuple[tuple[str, dt.date], ...] = ()  # clause → the date its requirement became public


class Model(Node):
    """A ratifier: its requirements, and how long its review takes."""

    role: Literal["ratifier"]
    requires: Requirements  # type: ignore[valid-type]
    review: DurationOrZero = Field(0, description="days its review takes (or 3w)")  # type: ignore[valid-type]
    public: keyed(Date, "clause → the date the fact that made its requirement public was "  # type: ignore[valid-type]
                        "reported: from then the bargainers know it") = {}


def build(name: str, m: Model, ctx: Context) -> RatifierParty:
    requires = constraints(ctx, f"parties.{name}.requires", m.requires)
    if not requires:
        raise ctx.error(f"parties.{name}.requires", "at least one condition (clause: requirement) expected")
    public = []
    for clause, day in m.public.items():
        if clause not in {c.clause for c in requires}:
            raise ctx.error(f"parties.{name}.public.{clause}", f"a clause this ratifier requires something of "
                                                                f"expected ({', '.join(c.clause for c in requires)})")
        public.append((clause, day))
    return RatifierParty(name, "ratifier", requires=requires, review_days=m.review, public=tuple(public))


def agents(model: Any, party: RatifierParty) -> None:
    from ..engine.agents import Disclosure, Ratifier

    Ratifier(model, party)
    for clause, day in party.public:
        constraint = next(c for c in party.requires if c.clause == clause)
        Disclosure(model, party.name, day, constraint)


def header(model: Any, party: RatifierParty) -> dict[str, Any]:
    head: dict[str, Any] = {"requires": {c.clause: c.text for c in party.requires}, "review_days": party.review_days}
    if party.public:
        head["public"] = {clause: day.isoformat() for clause, day in party.public}
    return head


def describe(party: RatifierParty) -> str:
    conditions = "; ".join(f"{c.clause} {c.text}" for c in party.requires)
    public = "".join(f" · {clause} public since {day}" for clause, day in party.public)
    return f"requires {conditions} · review {party.review_days} days{public}"


ROLE = Role("ratifier", Model, build, agents, header, describe)
