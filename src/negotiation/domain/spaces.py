"""One interface to an outcome space, whatever its size.

Everything that computes over outcomes (the engine's bargainers, the
protocol's walk-away rule, ``negotiation analyze``, the experiments' ANAC
metrics, the app's utility plane) goes through a :class:`Space`:

- a party's preferences as the space computes with them (:meth:`Space.position`):
  the utility and the allowed check of any outcome, its best utility;
- the offer at a target utility: among the outcomes worth at least the
  target to the offerer, the one it believes best for its opponents
  (:meth:`Space.offer`, after :meth:`Space.belief`);
- what it can still hope for and whether it is *hopeless*: no outcome it
  allows (and, knowing them, its opponents would accept) reaches its floor
  (:meth:`Space.hope`, :meth:`Space.hopeless`);
- the Pareto frontier and the bargaining points of a :class:`Problem`
  (:meth:`Space.analyse`: Nash 1950; Kalai & Smorodinsky 1975; Kalai 1977;
  the math in ``bargaining.py``).

Two spaces implement it. :class:`~negotiation.domain.enumerated.Enumerated`
holds numpy arrays over every outcome (``outcomes.py``);
:class:`~negotiation.domain.clausewise.Clausewise` keeps linear additive
utilities clause by clause and searches the exact two-party frontier
(Nemhauser & Ullmann 1969) for contracts too large to enumerate.
:func:`space_for` is the one place that chooses between them (above
:data:`~negotiation.domain.outcomes.ENUMERATION_LIMIT` outcomes); nothing
else asks which one it holds. Outcome indices are the same in both (C order),
so logs and reports read every run alike.

The spaces compute; they keep nothing between calls but what a
:class:`Position` holds (its arrays, and an enumerated bargainer's ranking).
What a run works out once and reads many times is kept by the engine's one
memo (``engine/memo.py``), keyed by the preferences' version.
"""

from __future__ import annotations

from .outcomes import OutcomeSpace
from .space_types import Analysis, Estimate, Floored, Position, Problem, Rule, Space

__all__ = ["Analysis", "Estimate", "Floored", "Position", "Problem", "Rule", "Space", "space_for"]


def space_for(outcomes: OutcomeSpace) -> Space:
    """The space that computes over ``outcomes``: enumerated up to the
    enumeration limit, clause by clause above it (the one place that asks)."""
    from . import clausewise
    from .enumerated import Enumerated

    if clausewise.searched_clausewise(outcomes):
        return clausewise.Clausewise(outcomes)
    return Enumerated(outcomes)
