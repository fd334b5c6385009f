"""Ratification as the scenario declares it: who reviews when, who votes how,
and when the deal counts.

- **Order of the reviews** (:class:`RatificationPlan`): stages, each a set
  of ratifiers reviewing in parallel; a stage opens when every ratifier of
  the one before has approved (a contract approved by a board, then by the
  members; a treaty signed by a government, then ratified by parliament).
  Without a plan every ratifier reviews in parallel from the tentative
  agreement: one stage.
- **Provisional application** (``definitive``): the agreement is
  definitive, and the run ends, once the named ratifiers have approved; the
  others are still reviewing (a trade agreement applied once the EU Council
  and Parliament consent, while national parliaments still ratify it).
  Without it, the last approval makes it definitive.
- **A body that votes** (:class:`Member`, :func:`vote`): members (or blocs
  of members: a parliament's groups, a union's units) each approve an
  agreement that meets all of their own requirements (a member with none
  approves anything); the body approves when the seats approving reach its
  threshold. Voting on a fixed proposal by a quota is the simple voting game
  of von Neumann & Morgenstern (1944, ch. 10); every winning coalition is a
  collective veto player in Tsebelis's (2002, *Veto Players*) sense.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..runtime.lazy import numpy as np

from .outcomes import OutcomeSpace
from .preferences import Constraint, Preferences, allowed


@dataclass(frozen=True)
class Member:
    """A member (or a bloc of ``seats`` members voting alike) of a ratifying body."""

    name: str
    seats: int = 1
    requires: tuple[Constraint, ...] = ()

    def failed(self, options: Mapping[str, int]) -> Constraint | None:
        """The first of its requirements the outcome (clause → option index) fails."""
        return next((c for c in self.requires if not c.admits(options[c.clause])), None)


@dataclass(frozen=True)
class Vote:
    """A body's vote on one agreement. ``failed`` is, on a rejection, the
    first failed requirement of the largest bloc voting no (the first listed
    among equals): what the bargainers learn from the rejection."""

    yes: int
    no: int
    threshold: int
    failed: Constraint | None

    @property
    def approved(self) -> bool:
        return self.yes >= self.threshold

    def record(self) -> dict[str, int]:
        return {"yes": self.yes, "no": self.no, "threshold": self.threshold}


def vote(members: tuple[Member, ...], threshold: int, options: Mapping[str, int]) -> Vote:
    """Each member votes yes iff the outcome meets all its requirements."""
    yes, no, blocking = 0, 0, None
    for member in members:
        failed = member.failed(options)
        if failed is None:
            yes += member.seats
            continue
        no += member.seats
        if blocking is None or member.seats > blocking[0]:
            blocking = (member.seats, failed)
    approved = yes >= threshold
    return Vote(yes, no, threshold, None if approved or blocking is None else blocking[1])


def approval_mask(members: tuple[Member, ...], threshold: int, space: OutcomeSpace) -> np.ndarray:
    """Every outcome the body would approve: the seats of the members whose
    requirements it meets, summed over the space (one mask per member)."""
    seats = np.zeros(space.size, dtype=np.int64)
    for member in members:
        seats += member.seats * allowed(Preferences({}, {}, constraints=member.requires), space)
    return seats >= threshold


@dataclass(frozen=True)
class RatificationPlan:
    """The order of the reviews and when the agreement is definitive.

    ``stages``: every ratifier once, in stages reviewing one after another;
    ``definitive``: the ratifiers whose approval makes the agreement
    definitive (provisional application), or None for all of them.
    """

    stages: tuple[tuple[str, ...], ...]
    definitive: tuple[str, ...] | None = None

    def days_to_definitive(self, review_days: Mapping[str, int]) -> int:
        """How long the reviews take, at least, from the tentative agreement
        to the definitive one: each stage lasts its longest review, and the
        stages run until the last one holding a ratifier of ``definitive``."""
        needed = set(self.definitive) if self.definitive is not None else {n for s in self.stages for n in s}
        days = 0
        for stage in self.stages:
            if not needed:
                break
            left = needed - set(stage)  # the last stage needed counts only the reviews it waits for
            days += max((review_days[name] for name in stage if left or name in needed), default=0)
            needed = left
        return days
