"""Negotiation strategies: what to offer next, and when to accept.

Each tactic is a small class with a ``name``, a ``classifier`` and a
docstring citing where it comes from (the Axelrod library's convention), and
is registered by name so a scenario picks it in YAML::

    strategy: {name: time_dependent, e: 0.3, acceptance: [ac_next, {name: ac_time, T: 0.98}]}

Offering works in two steps, as in NegMAS and GENIUS agents: the tactic sets
an aspiration level (a target utility for itself), then :func:`select_offer`
picks, among the outcomes at or above that target, the one the offerer
believes best for its opponents. Both steps are vectorised over the utility
array; nothing loops over outcomes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

EPS = 1e-9


@dataclass(frozen=True)
class Param:
    """A tactic's numeric parameter: default and valid range, for validation."""

    default: float
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False
    doc: str = ""


@dataclass
class View:
    """What a bargainer knows when it must offer or answer.

    ``t`` is its own relative time in [0, 1] (0 at the start, 1 at its own
    deadline); ``utility``/``allowed`` are its arrays over the outcome space;
    ``own_offers`` and ``received`` are outcome indices, oldest first.
    """

    t: float
    utility: np.ndarray
    allowed: np.ndarray
    reservation: float
    best: float
    own_offers: list[int] = field(default_factory=list)
    received: list[int] = field(default_factory=list)


def select_offer(view: View, target: float, opponent_score: np.ndarray, rng: np.random.Generator) -> int:
    """Among allowed outcomes worth at least ``target`` to the offerer, the one
    with the highest ``opponent_score``; ties broken by the seeded ``rng``.

    If nothing reaches the target (it can only happen above the best allowed
    utility), the offerer's best allowed outcome is offered.
    """
    candidates = np.flatnonzero(view.allowed & (view.utility >= target - EPS))
    if candidates.size == 0:
        candidates = np.flatnonzero(view.allowed & (view.utility >= view.best - EPS))
    scores = opponent_score[candidates]
    best = candidates[scores >= scores.max() - EPS]
    return int(best[0] if best.size == 1 else rng.choice(best))


class Strategy:
    """Offering tactic: subclasses set :meth:`target` (or override :meth:`propose`)."""

    name: ClassVar[str]
    classifier: ClassVar[dict[str, Any]] = {}
    params: ClassVar[dict[str, Param]] = {}

    def __init__(self, **values: float) -> None:
        self.values = {key: float(values.get(key, p.default)) for key, p in self.params.items()}

    def __getattr__(self, key: str) -> float:
        try:
            return self.__dict__["values"][key]
        except KeyError:
            raise AttributeError(key) from None

    def target(self, view: View) -> float:
        raise NotImplementedError

    def propose(self, view: View, opponent_score: np.ndarray, rng: np.random.Generator) -> int:
        return select_offer(view, self.target(view), opponent_score, rng)

    def next_utility(self, view: View) -> float:
        """Utility of the offer it would make next (what AC_next compares with)."""
        return max(self.target(view), view.reservation)


class TimeDependent(Strategy):
    """Time-dependent tactic of Faratin, Sierra & Jennings (1998), *Negotiation
    decision functions for autonomous agents*, Robotics and Autonomous Systems
    24(3-4), §4.1.1, with the polynomial decision function.

    Target u(t) = rv + (1 − F(t)) · (u_max − rv), F(t) = k + (1 − k) · t^(1/e):
    e < 1 is Boulware (holds out, concedes near its deadline), e = 1 linear,
    e > 1 Conceder (gives ground early). NegMAS's exponent is 1/e of this one.
    """

    name = "time_dependent"
    classifier = {"memory_depth": 0, "behaviour_dependent": False, "source": "Faratin et al. 1998"}
    params = {
        "e": Param(1.0, lo=0.0, lo_open=True, doc="concession exponent: <1 Boulware, 1 linear, >1 Conceder"),
        "k": Param(0.0, lo=0.0, hi=1.0, doc="share of the range conceded at t = 0"),
    }

    def target(self, view: View) -> float:
        concession = self.k + (1.0 - self.k) * view.t ** (1.0 / self.e)
        return view.reservation + (1.0 - concession) * (view.best - view.reservation)


class Boulware(TimeDependent):
    """Faratin et al. (1998) time-dependent tactic with a Boulware default, e = 0.2."""

    name = "boulware"
    params = {**TimeDependent.params, "e": Param(0.2, lo=0.0, hi=1.0, lo_open=True, doc="concession exponent < 1")}


class Linear(TimeDependent):
    """Faratin et al. (1998) time-dependent tactic with e = 1: concedes at a constant rate."""

    name = "linear"
    params = {**TimeDependent.params, "e": Param(1.0, lo=1.0, hi=1.0, doc="fixed at 1")}


class Conceder(TimeDependent):
    """Faratin et al. (1998) time-dependent tactic with a Conceder default, e = 2."""

    name = "conceder"
    params = {**TimeDependent.params, "e": Param(2.0, lo=1.0, doc="concession exponent > 1")}


class Hardliner(Strategy):
    """Never concedes: always offers its best outcome (the e → 0 limit of
    Faratin et al. 1998; the "Hardliner" of GENIUS, Lin et al. 2014)."""

    name = "hardliner"
    classifier = {"memory_depth": 0, "behaviour_dependent": False, "source": "GENIUS"}

    def target(self, view: View) -> float:
        return view.best


class TitForTat(Strategy):
    """Relative tit-for-tat (Faratin et al. 1998, §4.2.1): reciprocate, in
    proportion, the concession the opponents made over the last ``delta`` of
    their offers.

    The opponents' concession is measured in the agent's own utility (what it
    can observe): they closed a fraction f of the gap between their earlier
    offer and its best outcome; it closes the same fraction f of the gap
    between its own last offer and its reservation value. A backtracking
    opponent (f < 0) makes it tougher again. ``kindness`` is a small
    unconditional concession per turn, so that two tit-for-tat agents facing
    each other do not wait for ever (as in Baarslag et al. 2013, "A tit for tat
    negotiation strategy for real-time bilateral negotiations").
    """

    name = "tit_for_tat"
    classifier = {"memory_depth": 1, "behaviour_dependent": True, "source": "Faratin et al. 1998"}
    params = {
        "delta": Param(1.0, lo=1.0, doc="how many of the opponents' offers back to compare"),
        "kindness": Param(0.02, lo=0.0, hi=1.0, doc="unconditional share of the gap conceded per turn"),
    }

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


class RandomOffers(Strategy):
    """Baseline: a uniformly random outcome it finds at least as good as its
    reservation value (the random agent of GENIUS, Lin et al. 2014, and
    NegMAS's ``RandomNegotiator``, Mohammad et al. 2019)."""

    name = "random"
    classifier = {"memory_depth": 0, "behaviour_dependent": False, "stochastic": True, "source": "GENIUS"}

    def target(self, view: View) -> float:
        return view.reservation

    def propose(self, view: View, opponent_score: np.ndarray, rng: np.random.Generator) -> int:
        candidates = np.flatnonzero(view.allowed & (view.utility >= view.reservation - EPS))
        if candidates.size == 0:
            candidates = np.flatnonzero(view.allowed & (view.utility >= view.best - EPS))
        return int(rng.choice(candidates))


class Acceptance:
    """Acceptance condition; the agent accepts when any of its conditions does
    *and* the offer is individually rational (allowed, ≥ reservation value)."""

    name: ClassVar[str]
    params: ClassVar[dict[str, Param]] = {}

    def __init__(self, **values: float) -> None:
        self.values = {key: float(values.get(key, p.default)) for key, p in self.params.items()}

    def accepts(self, view: View, offered: float, next_offer: float) -> bool:
        raise NotImplementedError


class ACNext(Acceptance):
    """AC_next(α, β): accept if α·u(offer) + β ≥ u(my next offer) (Baarslag,
    Hindriks & Jonker 2014, "Effective acceptance conditions in real-time
    automated negotiation", Decision Support Systems 60)."""

    name = "ac_next"
    params = {"alpha": Param(1.0, lo=0.0, lo_open=True), "beta": Param(0.0, lo=-1.0, hi=1.0)}

    def accepts(self, view: View, offered: float, next_offer: float) -> bool:
        return self.values["alpha"] * offered + self.values["beta"] >= next_offer - EPS


class ACConst(Acceptance):
    """AC_const(c): accept any offer worth at least c (Baarslag et al. 2014)."""

    name = "ac_const"
    params = {"c": Param(0.8, lo=0.0, hi=1.0)}

    def accepts(self, view: View, offered: float, next_offer: float) -> bool:
        return offered >= self.values["c"] - EPS


class ACTime(Acceptance):
    """AC_time(T): accept any rational offer once relative time reaches T
    (Baarslag et al. 2014): the last-minute deal before one's own deadline."""

    name = "ac_time"
    params = {"T": Param(0.99, lo=0.0, hi=1.0)}

    def accepts(self, view: View, offered: float, next_offer: float) -> bool:
        return view.t >= self.values["T"] - EPS


STRATEGIES: dict[str, type[Strategy]] = {
    cls.name: cls for cls in (TimeDependent, Boulware, Linear, Conceder, Hardliner, TitForTat, RandomOffers)
}
ACCEPTANCES: dict[str, type[Acceptance]] = {cls.name: cls for cls in (ACNext, ACConst, ACTime)}
