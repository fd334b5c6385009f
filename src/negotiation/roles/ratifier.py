"""Ratifier: reviews a tentative agreement and approves or vetoes it (the
state attorneys general clearing OpenAI's recapitalisation; antitrust
authorities; a union's members voting on a contract; a parliament).

Each of its requirements is a constraint on a clause; a ratifier with none
approves anything (its review only takes time). Its review takes ``review``
days from the day it opens: the tentative agreement, or, when the scenario's
``ratification.sequence`` puts it in a later stage, the day the stage before
it approved (``domain/ratification.py``). A requirement listed under
``public`` (clause → the date the fact that made it public was reported)
is known to the bargainers from that date (from the start if earlier) and
shapes their offers; the others they learn only from a veto.

A ratifier may instead be a body that votes: ``members`` (each with its
``seats`` and its own ``requires``) and a ``threshold`` of seats that must
approve (default: more than half). It rejects an agreement too few seats
approve, and the bargainers learn the first failed requirement of the
largest bloc that voted no.
"""

from __future__ import annotations

from dataclasses import dataclass
import datetime as dt
from typing import Any, Literal

from pydantic import Field

from ..domain.parties import Party
from ..domain.preferences import Constraint
from ..domain.ratification import Member
from ..inputs.parties import Requirements, constraints
from ..inputs.types import Date, DurationOrZero, integer, keyed
from ..inputs.validation import Node
from ._declaration import Context, Declared, Role, Vetoes


@dataclass(frozen=True)
class RatifierParty(Party):
    """Approves or vetoes a tentative agreement after ``review_days``."""

    requires: tuple[Constraint, ...] = ()
    review_days: int = 0
    public: tuple[tuple[str, dt.date], ...] = ()  # clause → the date its requirement became public
    members: tuple[Member, ...] = ()  # a body that votes: its members (or blocs), each with its requirements
    threshold: int = 0  # seats that must approve, when it is a body

    @property
    def seats(self) -> int:
        return sum(m.seats for m in self.members)


class MemberModel(Node):
    """A member of a ratifying body, or a bloc of members voting alike."""

    seats: integer(ge=1, description="how many votes it casts (a bloc of members voting alike)") = 1  # type: ignore[valid-type]
    requires: Requirements = {}  # type: ignore[valid-type]


class Model(Node):
    """A ratifier: its requirements (none: it approves anything), or the
    members of the body that votes, and how long its review takes."""

    role: Literal["ratifier"]
    requires: Requirements = {}  # type: ignore[valid-type]
    review: DurationOrZero = Field(0, description="days its review takes (or 3w)")  # type: ignore[valid-type]
    public: keyed(Date, "clause → the date the fact that made its requirement public was "  # type: ignore[valid-type]
                        "reported: from then the bargainers know it") = {}
    members: keyed(MemberModel, "a body that votes: member (or bloc) → its seats and "  # type: ignore[valid-type]
                                "requirements") = {}
    threshold: integer(ge=1, description="seats that must approve (default: more than half of the "  # type: ignore[valid-type]
                                         "members' seats)") = None


def build(name: str, m: Model, ctx: Context) -> RatifierParty:
    key = f"parties.{name}"
    requires = constraints(ctx, f"{key}.requires", m.requires)
    members = tuple(Member(member, mm.seats, constraints(ctx, f"{key}.members.{member}.requires", mm.requires))
                    for member, mm in m.members.items())
    if members and requires:
        raise ctx.error(f"{key}.requires", "no requires: next to members expected (each member states its own)")
    seats = sum(member.seats for member in members)
    if m.threshold is not None and not members:
        raise ctx.error(f"{key}.threshold", "members: expected with a threshold (a body that votes)")
    threshold = seats // 2 + 1 if m.threshold is None else m.threshold
    if members and threshold > seats:
        raise ctx.error(f"{key}.threshold", f"at most the body's {seats} seats expected, got {threshold}")
    public = []
    for clause, day in m.public.items():
        if not requires:
            raise ctx.error(f"parties.{name}.public", "no public: on a ratifier that requires nothing of a clause "
                                                      "expected")
        if clause not in {c.clause for c in requires}:
            raise ctx.error(f"parties.{name}.public.{clause}", f"a clause this ratifier requires something of "
                                                                f"expected ({', '.join(c.clause for c in requires)})")
        public.append((clause, day))
    return RatifierParty(name, "ratifier", requires=requires, review_days=m.review, public=tuple(public),
                         members=members, threshold=threshold if members else 0)


def header(model: Any, party: RatifierParty) -> dict[str, Any]:
    head: dict[str, Any] = {"requires": {c.clause: c.text for c in party.requires}, "review_days": party.review_days}
    if party.public:
        head["public"] = {clause: day.isoformat() for clause, day in party.public}
    if party.members:
        head["members"] = {m.name: {"seats": m.seats, "requires": {c.clause: c.text for c in m.requires}}
                           for m in party.members}
        head["threshold"] = party.threshold
    return head


def describe(party: RatifierParty) -> str:
    if party.members:
        blocs = "; ".join(f"{m.name} ({m.seats}): " + (", ".join(f"{c.clause} {c.text}" for c in m.requires)
                                                        or "anything") for m in party.members)
        what = f"a body of {party.seats} seats, {party.threshold} to approve · {blocs}"
    else:
        what = "requires " + ("; ".join(f"{c.clause} {c.text}" for c in party.requires) or "nothing (approves "
                                                                                            "anything)")
    public = "".join(f" · {clause} public since {day}" for clause, day in party.public)
    return f"{what} · review {party.review_days} days{public}"


def declares(party: RatifierParty) -> Declared:
    """What it vetoes: its requirements, or its members' and the seats that
    must approve; and since when each requirement is public."""
    return Declared(vetoes=Vetoes(party.requires, party.members, party.threshold, party.public))


ROLE = Role("ratifier", Model, build, header, describe, declares=declares)
