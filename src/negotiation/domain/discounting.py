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

**Which utilities bear it.** The *deal's* utility is discounted; the
reservation value is not: it is the worth of the party's alternative,
which it can take on any day, and the scenario states how that alternative
moves over time as dated events (investors, outside options, soft
deadlines). A deal's gains start later, so a later deal is worth less
against the same alternative: a deal on day d must be worth
``floor(rv, d) = rv / δ^t(d)`` in its own terms to beat it (individual
rationality, acceptance, the lowest target a tactic offers, walking away).
The costs C are costs of *bargaining* (Rubinstein's fixed cost per period,
a strike's lost wages, a burn that cannot be refinanced until the deal):
paid day by day while the talks go on, whether they end in a deal or in
walking away, so they do not move that floor (what is spent is spent); they
weigh on what waiting for a better offer costs (AC_next, :meth:`in_terms_of`)
and on the party's clock (below).

Reference semantics: NegMAS's ``ExpDiscountedUFun`` (u·δ^factor) with
``dynamic_reservation=False`` (its reservation value fixed) and
``LinDiscountedUFun`` (u − c·factor) with its default
``dynamic_reservation=True`` (the reservation value bears the cost too);
GENIUS discounts the reservation value with the deal (Baarslag et al.
2013, ANAC 2011). On the deal's utility all coincide, and with reservation
values of 0 they coincide outright (``tests/test_discounting.py`` checks
both against NegMAS).

**The date past which waiting no longer pays** (:meth:`CostOfDelay.waiting_stops`)
is the first day the party's best hope, discounted and net of what the
talks have cost since they began, is worth no more than its alternative:
u_hope·δ^t − C ≤ rv. Its tactic's clock (``domain/deadlines.py``) is never
later than that: the more impatient party concedes sooner, which gives
Rubinstein's split as rounds get short (the clock scales as 1/r for δ =
e^(−r)). With discounting alone and a reservation value of 0 that day never
comes, and the analyst's horizon paces the tactic.
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
        """The utility a deal on ``day`` must have to beat ``reservation``: the
        discount raises it (u·δ^t ≥ rv); the costs do not, for they are paid
        by then whether the talks end in a deal or not."""
        return reservation / self.factor(day)

    def in_terms_of(self, utility: float, later: dt.date, today: dt.date) -> float:
        """A deal worth ``utility`` agreed on ``later``, as the utility a deal
        today would need to be worth the same: how AC_next weighs its own
        next offer against the one on the table (Baarslag, Hindriks & Jonker
        2014, with discounted utilities)."""
        return (self.value(utility, later) + self.cost(today)) / self.factor(today)

    def waiting_stops(self, best: float, reservation: float, today: dt.date) -> dt.date | None:
        """The first day from ``today`` on when a deal worth ``best`` is worth
        no more than ``reservation`` (:meth:`value`): past it, waiting no
        longer pays. None if that day is more than a century away (a patient
        party). The worth only falls with time, so a scan every 30 days finds
        the month and a daily scan of that month the day."""
        def stop(offsets: np.ndarray) -> np.ndarray:
            days = offsets + (today - self.origin).days
            years = days / YEAR
            worth = best * self.discount ** years - self.per_year * np.maximum(years, 0.0)
            for r in self.recurring:
                worth = worth - r.amount * r.charges_over(days, self.origin)
            return worth <= reservation

        coarse = stop(np.arange(0, LOOK_AHEAD_DAYS + 30, 30, dtype=np.int64))
        if not coarse.any():
            return None
        month = int(coarse.argmax())
        if month == 0:
            return today
        fine = stop(np.arange((month - 1) * 30 + 1, month * 30 + 1, dtype=np.int64))
        return today + dt.timedelta(days=(month - 1) * 30 + 1 + int(fine.argmax()))


def rubinstein_share(first: float, second: float) -> float:
    """The first proposer's share of a unit pie in Rubinstein's (1982)
    alternating-offers equilibrium with per-round discount factors ``first``
    and ``second``: (1 − δ₂)/(1 − δ₁δ₂). As rounds get short (δᵢ = e^(−rᵢΔ),
    Δ → 0) it tends to r₂/(r₁ + r₂): the more patient party gets more."""
    return (1.0 - second) / (1.0 - first * second)
