"""Acceptance conditions: when a bargainer says yes to an offer.

Frozen dataclasses like the tactics (typed parameters with defaults and
ranges), registered by name. A condition only says whether the offer is
good enough by its own rule; the protocol (``engine/model.py``) accepts an
offer only if it is also individually rational (allowed by the bargainer's
constraints and worth at least its reservation value), whatever the
condition says.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .tactics import EPS, View, param


@dataclass(frozen=True)
class Acceptance:
    """An acceptance condition, given the offered utility and that of the
    offer the bargainer would make next."""

    name: ClassVar[str]

    def accepts(self, view: View, offered: float, next_offer: float) -> bool:
        raise NotImplementedError


@dataclass(frozen=True)
class ACNext(Acceptance):
    """AC_next(α, β): accept if α·u(offer) + β ≥ u(my next offer) (Baarslag,
    Hindriks & Jonker 2014, "Effective acceptance conditions in real-time
    automated negotiation", Decision Support Systems 60)."""

    name: ClassVar[str] = "ac_next"
    alpha: float = param(1.0, lo=0.0, lo_open=True)
    beta: float = param(0.0, lo=-1.0, hi=1.0)

    def accepts(self, view: View, offered: float, next_offer: float) -> bool:
        return self.alpha * offered + self.beta >= next_offer - EPS


@dataclass(frozen=True)
class ACConst(Acceptance):
    """AC_const(c): accept any offer worth at least c (Baarslag et al. 2014)."""

    name: ClassVar[str] = "ac_const"
    c: float = param(0.8, lo=0.0, hi=1.0)

    def accepts(self, view: View, offered: float, next_offer: float) -> bool:
        return offered >= self.c - EPS


@dataclass(frozen=True)
class ACTime(Acceptance):
    """AC_time(T): accept any offer once relative time reaches T (Baarslag et
    al. 2014): the last-minute deal before one's own deadline."""

    name: ClassVar[str] = "ac_time"
    T: float = param(0.99, lo=0.0, hi=1.0)

    def accepts(self, view: View, offered: float, next_offer: float) -> bool:
        return view.t >= self.T - EPS


ACCEPTANCES: dict[str, type[Acceptance]] = {cls.name: cls for cls in (ACNext, ACConst, ACTime)}
