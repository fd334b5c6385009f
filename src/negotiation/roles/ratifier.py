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
    public: tuple[tuple[str, dt.date], ...] = ()  # clause → the date its requirement became public


def parse(name: str, p: Section, ctx: Context) -> RatifierParty:
    requires = constraints(p.section("requires"), {c.name: c for c in ctx.clauses})
    if not requires:
        raise p.error("at least one condition (clause: requirement) expected", "requires")
    review = p.duration_days("review", 0, allow_zero=True)
    pub = p.section("public", {})
    public = []
    for clause, _ in pub.items():
        if clause not in {c.clause for c in requires}:
            raise pub.error(f"a clause this ratifier requires something of expected "
                            f"({', '.join(c.clause for c in requires)})", clause)
        day = pub.date(clause)  # the dated fact that made it public: a date, not just `true`
        public.append((clause, day))
    pub.close()
    return RatifierParty(name, "ratifier", requires=requires, review_days=review, public=tuple(public))


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


ROLE = Role("ratifier", parse, agents, header, describe)
