"""Offering tactics: what a bargainer offers next.

Each tactic is a frozen dataclass whose typed fields are its parameters,
each with a default and a valid range (:func:`param`), and whose docstring
cites where it comes from; it is registered by name so a scenario picks it
in YAML::

    strategy: {name: time_dependent, e: 0.3, acceptance: [ac_next, {name: ac_time, T: 0.98}]}

Offering works in two steps, as in NegMAS and GENIUS agents: the tactic sets
an aspiration level (a target utility for itself), then :func:`select_offer`
picks, among the outcomes at or above that target, the one the offerer
believes best for its opponents. Both steps are vectorised over the utility
array; nothing loops over outcomes.

Tactics are pure functions of a :class:`View` (what the bargainer knows
now), so they sit with the other domain math (``preferences``); the
engine's agents hold the state they are called with.
"""

from __future__ import annotations

from dataclasses import Field, dataclass, field, fields
from typing import Any, ClassVar

from ..runtime.lazy import numpy as np

EPS = 1e-9


@dataclass(frozen=True)
class Range:
    """The valid range of a numeric parameter, checked when a scenario is read."""

    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False


def param(default: float, lo: float | None = None, hi: float | None = None, lo_open: bool = False) -> Any:
    """A dataclass field with a default and a valid range."""
    return field(default=default, metadata={"range": Range(lo, hi, lo_open)})


def parameters(cls: type) -> tuple[Field[Any], ...]:
    """The numeric parameters of a tactic or acceptance class, in order."""
    return tuple(f for f in fields(cls) if "range" in f.metadata)


@dataclass
class View:
    """What a bargainer knows when it must offer or answer.

    ``t`` is its own relative time in [0, 1] (0 at the start, 1 at the date
    it concedes toward); ``utility``/``allowed`` are its arrays over the
    outcome space; ``own_offers`` and ``received`` are outcome indices,
    oldest first. ``floor``, for a bargainer with a cost of delay, is the
    utility a deal today needs to beat its reservation value once delay is
    paid for (``domain/discounting.py``): no target goes below it.
    """

    t: float
    utility: np.ndarray
    allowed: np.ndarray
    reservation: float
    best: float
    own_offers: list[int] = field(default_factory=list)
    received: list[int] = field(default_factory=list)
    masked: np.ndarray | None = None  # utility where allowed, −inf elsewhere (see ``masked_utility``)
    ranking: Ranking | None = None  # the outcomes ranked by ``masked`` (see :class:`Ranking`)
    remembered: tuple[Tactic, float] | None = None  # a tactic and its target (:meth:`Tactic.aspiration`)
    floor: float | None = None  # with a cost of delay: the lowest utility worth agreeing to today


def masked_utility(utility: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """The utility of allowed outcomes, −inf for the others: "allowed and
    worth at least t" is then one comparison, one pass over the space per
    offer instead of two (and no temporary mask), for one pass each time the
    utility array or the mask changes."""
    return np.where(allowed, utility, -np.inf)


class Ranking:
    """The outcomes from best to worst for one bargainer, by masked utility,
    made once per change of its preferences.

    The outcomes worth at least a target are then a prefix of ``order``,
    found by one binary search instead of a pass over the whole space, and
    the choice among them is remembered for the last prefix and opponent
    scores: a Boulware bargainer's target often moves without reaching a new
    outcome, and then its offer is the same (or drawn from the same ties).

    A space of up to ``at_once`` outcomes is sorted whole. A larger one is
    ranked lazily, a band of utility at a time, as far down as targets have
    gone: a bargainer that holds out near its best outcome never pays for
    sorting the hundreds of thousands it will never offer. Everything worth
    at least ``floor`` is ranked, so a count above the floor is exact.
    The ranked part and the last choice are the only state; a ranking
    belongs to one bargainer.
    """

    BANDS = 16  # a lazy ranking grows by 1/16 of the utility scale at a time (or to the target asked for)

    def __init__(self, masked: np.ndarray, at_once: int = 16_384) -> None:
        self.masked = masked
        self.last: tuple[np.ndarray, int, np.ndarray] | None = None  # (scores, prefix length, the best of it)
        if masked.size <= at_once:
            negated = -masked
            self.order = negated.argsort()  # equal utilities fall on the same side of any target: no stable sort
            self.negated = negated[self.order]  # ascending: what ``searchsorted`` needs
            self.floor = -np.inf
        else:
            self.order = np.empty(0, dtype=np.intp)
            self.negated = np.empty(0)
            self.floor = np.inf
            self.band = max(float(masked.max()), EPS) / self.BANDS

    def rank_down_to(self, threshold: float) -> None:
        """Rank every outcome worth at least ``threshold``, and a band below it:
        one pass over the space and one sort of the newly ranked outcomes,
        which all rank below those ranked before."""
        floor = threshold - self.band
        new = np.flatnonzero((self.masked >= floor) & (self.masked < self.floor))
        negated = -self.masked[new]
        order = negated.argsort()
        self.order = np.concatenate((self.order, new[order]))
        self.negated = np.concatenate((self.negated, negated[order]))
        self.floor = floor

    def count_at_least(self, threshold: float) -> int:
        """How many outcomes have masked utility ≥ ``threshold`` (−u ≤ −threshold, exactly)."""
        if threshold < self.floor:
            self.rank_down_to(threshold)
        return int(self.negated.searchsorted(-threshold, side="right"))

    def best_for_opponent(self, count: int, opponent_score: np.ndarray) -> np.ndarray:
        """The first ``count`` outcomes' best by ``opponent_score`` (within EPS), in outcome order."""
        last = self.last
        if last is not None and last[0] is opponent_score and last[1] == count:
            return last[2]
        prefix = self.order[:count]
        scores = opponent_score[prefix]
        best = prefix[scores >= scores.max() - EPS]
        best = np.sort(best) if best.size > 1 else best
        self.last = (opponent_score, count, best)
        return best


def select_offer(view: View, target: float, opponent_score: np.ndarray, rng: np.random.Generator) -> int:
    """Among allowed outcomes worth at least ``target`` to the offerer, the one
    with the highest ``opponent_score``; ties broken by the seeded ``rng``.

    If nothing reaches the target (it can only happen above the best allowed
    utility), the offerer's best allowed outcome is offered. With a
    :class:`Ranking` the same outcome (and the same draw) comes from a binary
    search over the ranked outcomes.
    """
    if view.ranking is not None:
        ranking = view.ranking
        count = ranking.count_at_least(target - EPS) or ranking.count_at_least(view.best - EPS)
        best = ranking.best_for_opponent(count, opponent_score)
        return int(best[0] if best.size == 1 else rng.choice(best))
    if view.masked is not None:
        candidates = np.flatnonzero(view.masked >= target - EPS)
        if candidates.size == 0:
            candidates = np.flatnonzero(view.masked >= view.best - EPS)
    else:
        candidates = np.flatnonzero(view.allowed & (view.utility >= target - EPS))
        if candidates.size == 0:
            candidates = np.flatnonzero(view.allowed & (view.utility >= view.best - EPS))
    scores = opponent_score[candidates]
    best = candidates[scores >= scores.max() - EPS]
    return int(best[0] if best.size == 1 else rng.choice(best))


@dataclass(frozen=True)
class Tactic:
    """Offering tactic: subclasses set :meth:`target` (or override :meth:`propose`)."""

    name: ClassVar[str]
    reads_history: ClassVar[bool] = False  # its target reads the offers made so far, not only the view's time

    def target(self, view: View) -> float:
        raise NotImplementedError

    def aspiration(self, view: View) -> float:
        """``target(view)``, remembered in the view: a bargainer offers and
        answers with the same view all day, and a target that reads only the
        view's time and values is the same each time. One that reads the offer
        history (which grows during the day) is worked out every time.

        With a cost of delay the tactic's curve still runs from its best
        outcome toward its reservation value by its clock (which the cost
        brings forward), but it never asks for less than ``view.floor``: a
        deal today below it is worth less, discounted, than walking away."""
        if self.reads_history:
            return self.target(view) if view.floor is None else max(self.target(view), view.floor)
        known = view.remembered
        if known is None or known[0] is not self:
            target = self.target(view)
            known = view.remembered = (self, target if view.floor is None else max(target, view.floor))
        return known[1]

    def propose(self, view: View, opponent_score: np.ndarray, rng: np.random.Generator) -> int:
        return select_offer(view, self.aspiration(view), opponent_score, rng)

    def next_utility(self, view: View) -> float:
        """Utility of the offer it would make next (what AC_next compares with)."""
        return max(self.aspiration(view), view.reservation if view.floor is None else view.floor)


@dataclass(frozen=True)
class TimeDependent(Tactic):
    """Time-dependent tactic of Faratin, Sierra & Jennings (1998), *Negotiation
    decision functions for autonomous agents*, Robotics and Autonomous Systems
    24(3-4), §4.1.1, with the polynomial decision function.

    Target u(t) = rv + (1 − F(t)) · (u_max − rv), F(t) = k + (1 − k) · t^(1/e):
    ``e`` < 1 is Boulware (holds out, concedes near its deadline), e = 1
    linear, e > 1 Conceder (gives ground early); ``k`` is the share of the
    range conceded at t = 0. NegMAS's exponent is 1/e of this one.
    """

    name: ClassVar[str] = "time_dependent"
    e: float = param(1.0, lo=0.0, lo_open=True)
    k: float = param(0.0, lo=0.0, hi=1.0)

    def target(self, view: View) -> float:
        concession = self.k + (1.0 - self.k) * view.t ** (1.0 / self.e)
        return view.reservation + (1.0 - concession) * (view.best - view.reservation)


@dataclass(frozen=True)
class Boulware(TimeDependent):
    """Faratin et al. (1998) time-dependent tactic with a Boulware default, e = 0.2 (e ≤ 1)."""

    name: ClassVar[str] = "boulware"
    e: float = param(0.2, lo=0.0, hi=1.0, lo_open=True)


@dataclass(frozen=True)
class Linear(TimeDependent):
    """Faratin et al. (1998) time-dependent tactic with e fixed at 1: concedes at a constant rate."""

    name: ClassVar[str] = "linear"
    e: float = param(1.0, lo=1.0, hi=1.0)


@dataclass(frozen=True)
class Conceder(TimeDependent):
    """Faratin et al. (1998) time-dependent tactic with a Conceder default, e = 2 (e ≥ 1)."""

    name: ClassVar[str] = "conceder"
    e: float = param(2.0, lo=1.0)


@dataclass(frozen=True)
class Hardliner(Tactic):
    """Never concedes: always offers its best outcome (the e → 0 limit of
    Faratin et al. 1998; the "Hardliner" of GENIUS, Lin et al. 2014)."""

    name: ClassVar[str] = "hardliner"

    def target(self, view: View) -> float:
        return view.best


@dataclass(frozen=True)
class TitForTat(Tactic):
    """Relative tit-for-tat (Faratin et al. 1998, §4.2.1): reciprocate, in
    proportion, the concession the opponents made over the last ``delta`` of
    their offers.

    The opponents' concession is measured in the agent's own utility (what it
    can observe): they closed a fraction f of the gap between their earlier
    offer and its best outcome; it closes the same fraction f of the gap
    between its own last offer and its reservation value. A backtracking
    opponent (f < 0) makes it tougher again. ``kindness`` is a small
    unconditional share of the gap conceded per turn, so that two tit-for-tat
    agents facing each other do not wait for ever (as in Baarslag et al. 2013,
    "A tit for tat negotiation strategy for real-time bilateral negotiations").
    """

    name: ClassVar[str] = "tit_for_tat"
    reads_history: ClassVar[bool] = True
    delta: float = param(1.0, lo=1.0)
    kindness: float = param(0.02, lo=0.0, hi=1.0)

    def target(self, view: View) -> float:
        if not view.own_offers:
            return view.best
        last = float(view.utility[view.own_offers[-1]])
        delta = int(self.delta)
        reciprocal = 0.0
        if len(view.received) > delta:
            before = float(view.utility[view.received[-1 - delta]])
            now = float(view.utility[view.received[-1]])
            gap = view.best - before
            reciprocal = (now - before) / gap / delta if gap > EPS else 0.0
        share = float(np.clip(reciprocal, -1.0, 1.0)) + self.kindness
        return float(np.clip(last - share * (last - view.reservation), view.reservation, view.best))


@dataclass(frozen=True)
class RandomOffers(Tactic):
    """Baseline: a uniformly random outcome it finds at least as good as its
    reservation value (the random agent of GENIUS, Lin et al. 2014, and
    NegMAS's ``RandomNegotiator``, Mohammad et al. 2019)."""

    name: ClassVar[str] = "random"

    def target(self, view: View) -> float:
        return view.reservation

    def propose(self, view: View, opponent_score: np.ndarray, rng: np.random.Generator) -> int:
        lowest = view.reservation if view.floor is None else view.floor
        candidates = np.flatnonzero(view.allowed & (view.utility >= lowest - EPS))
        if candidates.size == 0:
            candidates = np.flatnonzero(view.allowed & (view.utility >= view.best - EPS))
        return int(rng.choice(candidates))


TACTICS: dict[str, type[Tactic]] = {
    cls.name: cls for cls in (TimeDependent, Boulware, Linear, Conceder, Hardliner, TitForTat, RandomOffers)
}
