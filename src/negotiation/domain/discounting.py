"""The cost of delay: what waiting costs a bargainer's deal.

Rubinstein (1982, "Perfect equilibrium in a bargaining model",
Econometrica 50) gives the two classic forms, used together here:

- **exponential discounting**: a deal worth u agreed t years after the talks
  began is worth u·δ^t (δ ∈ (0, 1] per year, 1 = patient);
- **a fixed cost per unit of time**: it is worth u − c·t;

and a third that real talks need (issue 20): **recurring costs**, an amount
per period from a date (every week of a strike, every missed payday), whose
accumulated total counts, not each charge alone.

So a deal ``o`` agreed on day ``d`` is worth

    U(o, d) = u(o) · δ^t(d) − C(d),   C(d) = c·t(d) + Σ_k a_k · n_k(d)

with t(d) in years (365 days) **from the calendar's start**: the talks'
first day is when waiting begins to cost (Rubinstein's t = 0 is the first
offer). Not from ``as_of``: that is a forecaster's information cut-off, and
moving it must not change the parties' economics.

**Which utilities are discounted: the deal's, not the reservation value.**
The reservation value is the worth of the party's alternative, which it can
take on any day; the scenario states how that alternative moves over time
as dated events (investors, outside options, soft deadlines). What waiting
costs is the *deal*: its gains start later (δ) and going on without it costs
money meanwhile (C), which agreeing would stop. NegMAS's
``ExpDiscountedUFun`` (u·δ^step) and ``LinDiscountedUFun`` (u − c·step) do
the same: their ``reserved_value`` is not discounted. GENIUS discounts the
reservation value with the deal (Baarslag et al. 2013, ANAC 2011); on a
scenario whose reservation values are 0 all three coincide
(``tests/test_discounting.py`` checks it against NegMAS).

Consequences, used by the engine (``engine/agents.py``):

- a deal on day d must be worth ``floor(rv, d) = (rv + C(d)) / δ^t(d)`` in
  the deal's own terms to beat the alternative (individual rationality,
  acceptance, the lowest target a tactic offers, walking away);
- the date past which waiting no longer pays is the first day the party's
  best hope is worth no more than its alternative, u_best·δ^t − C ≤ rv
  (:meth:`CostOfDelay.waiting_stops`): its tactic's clock
  (``domain/deadlines.py``) is never later than that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..runtime.lazy import numpy as np

YEAR = 365.0
LOOK_AHEAD_DAYS = 100 * 365  # a date past which waiting no longer pays is looked for this far ahead


@dataclass(frozen=True)
class RecurringCost:
    """``amount`` of utility lost every ``every_days`` days from ``start`` on:
    one charge falls due on ``start`` and each period after it, and a deal
    agreed on a due date avoids that charge."""

    amount: float
    every_days: int
    start: dt.date

    def charges(self, day: dt.date) -> int:
        """How many charges fell due before ``day``."""
        days = (day - self.start).days
        return 0 if days <= 0 else -(-days // self.every_days)

    def charges_over(self, days: np.ndarray, origin: dt.date) -> np.ndarray:
        """``charges`` for each day ``origin + days`` (an integer array)."""
        since = days - (self.start - origin).days
        return np.where(since <= 0, 0, -(-since // self.every_days))


@dataclass(frozen=True)
class CostOfDelay:
    """A bargainer's cost of delay, t counted from ``origin`` (the calendar's
    start): ``discount`` δ per year, ``per_year`` c of utility per year, and
    recurring costs."""

    origin: dt.date
    discount: float = 1.0
    per_year: float = 0.0
    recurring: tuple[RecurringCost, ...] = ()

    def years(self, day: dt.date) -> float:
        return (day - self.origin).days / YEAR

    def factor(self, day: dt.date) -> float:
        """δ^t(d)."""
        return self.discount ** self.years(day) if self.discount != 1.0 else 1.0

    def cost(self, day: dt.date) -> float:
        """C(d): the fixed cost accumulated by ``day`` and the recurring charges due before it."""
        return self.per_year * max(0.0, self.years(day)) + sum(r.amount * r.charges(day) for r in self.recurring)

    def value(self, utility: float, day: dt.date) -> float:
        """U(o, d) of a deal worth ``utility`` agreed on ``day``."""
        return utility * self.factor(day) - self.cost(day)

    def floor(self, reservation: float, day: dt.date) -> float:
        """The utility a deal on ``day`` must have to be worth ``reservation`` once delay is paid for."""
        return (reservation + self.cost(day)) / self.factor(day)

    def in_terms_of(self, utility: float, later: dt.date, today: dt.date) -> float:
        """A deal worth ``utility`` agreed on ``later``, as the utility a deal
        today would need to be worth the same: how AC_next weighs its own
        next offer against the one on the table (Baarslag, Hindriks & Jonker
        2014, with discounted utilities)."""
        return (self.value(utility, later) + self.cost(today)) / self.factor(today)

    def waiting_stops(self, best: float, reservation: float, today: dt.date) -> dt.date | None:
        """The first day from ``today`` on when a deal worth ``best`` is worth
        no more than ``reservation``: past it, waiting no longer pays. None if
        that day is more than a century away (a patient party)."""
        days = np.arange(0, LOOK_AHEAD_DAYS, dtype=np.int64) + (today - self.origin).days
        years = days / YEAR
        worth = best * self.discount ** years - self.per_year * np.maximum(years, 0.0)
        for r in self.recurring:
            worth = worth - r.amount * r.charges_over(days, self.origin)
        stops = worth <= reservation
        if not stops.any():
            return None
        return today + dt.timedelta(days=int(stops.argmax()))


def rubinstein_share(first: float, second: float) -> float:
    """The first proposer's share of a unit pie in Rubinstein's (1982)
    alternating-offers equilibrium with per-round discount factors ``first``
    and ``second``: (1 − δ₂)/(1 − δ₁δ₂). As rounds get short (δᵢ = e^(−rᵢΔ),
    Δ → 0) it tends to r₂/(r₁ + r₂): the more patient party gets more."""
    return (1.0 - second) / (1.0 - first * second)
