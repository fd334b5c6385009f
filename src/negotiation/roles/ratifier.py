"""Ratifier: reviews a tentative agreement and approves or vetoes it (the
state attorneys general clearing OpenAI's recapitalisation; antitrust
authorities).

Each of its requirements is a constraint on a clause; its review takes
``review`` days from the tentative agreement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..domain.parties import Party
from ..domain.preferences import Constraint
from ..inputs.config import Section
from ..inputs.parties import constraints
from . import Context, Role


@dataclass(frozen=True)
class RatifierParty(Party):
    """Approves or vetoes a tentative agreement after ``review_days``."""

    requires: tuple[Constraint, ...] = ()
    review_days: int = 0


def parse(name: str, p: Section, ctx: Context) -> RatifierParty:
    requires = constraints(p.section("requires"), {c.name: c for c in ctx.clauses})
    if not requires:
        raise p.error("at least one condition (clause: requirement) expected", "requires")
    return RatifierParty(name, "ratifier", requires=requires, review_days=p.duration_days("review", 0, allow_zero=True))


def agents(model: Any, party: RatifierParty) -> None:
    from ..engine.agents import Ratifier

    Ratifier(model, party)


def header(model: Any, party: RatifierParty) -> dict[str, Any]:
    return {"requires": {c.clause: c.text for c in party.requires}, "review_days": party.review_days}


def describe(party: RatifierParty) -> str:
    conditions = "; ".join(f"{c.clause} {c.text}" for c in party.requires)
    return f"requires {conditions} · review {party.review_days} days"


ROLE = Role("ratifier", parse, agents, header, describe)
