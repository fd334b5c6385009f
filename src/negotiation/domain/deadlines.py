"""Deadlines: when a bargainer must agree, and the date its tactic concedes toward.

Two kinds (Fershtman & Seidmann 1993, "Deadline effects and inefficient
delay in bargaining with endogenous commitment", JET 60; Ma & Manove 1993,
"Bargaining with deadlines and imperfect player control", Econometrica 61):

- a **hard** deadline ends a party's participation: past it, it walks away;
- a **soft** deadline is a dated cost: if no definitive (ratified) agreement
  exists by then, something of value is lost (an investor's conditional
  money, a refund), applied as an effect on the party's reservation value
  and/or weights from that date; the talks go on.

A party without a hard deadline has none. Its tactic still needs a date to
measure time against (Faratin, Sierra & Jennings 1998 define relative time
t = elapsed / T_max). A party with a cost of delay has one: the date past
which waiting no longer pays, when even its best hope, discounted, is worth
no more than its alternative (``domain/discounting.py``; Rubinstein 1982:
impatience is what makes parties without deadlines settle). Only when a
party has neither a hard deadline nor such a date does its *horizon*, an
analyst's date in the scenario, set the pace (and the calendar's end when
the scenario gives none): :func:`pace`.

**The concession rule.** Let H be the earlier of the hard deadline and the
date past which waiting no longer pays (else the horizon) and,
for each soft deadline s_i still ahead, w_i ∈ [0, 1] its stake: the utility
the party loses if it passes, as a share of what the party is bargaining for
(its best utility minus its reservation value), capped at 1. The tactic
concedes toward

    T = min(H, min_i [ s_i + (1 − w_i) · (H − s_i) ])  − L

where L is the longest ratification review (a deal must be ratified by the
date to count, so the party plans to agree tentatively L days earlier). A
soft deadline whose whole stake is at risk (w = 1) acts as a hard one; a
trifling one (w → 0) leaves the party pacing itself to H. Once s_i − L has
passed without a deal, that soft deadline can no longer be met and drops
out: the cost is sunk, and T moves back toward H (the party's time pressure
eases, as in Ma & Manove's model after a missed deadline).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .parties import Effect


def effect_size(effect: Effect) -> float:
    """The utility an effect moves: its reservation change plus its weight changes, in absolute value."""
    return abs(effect.reservation) + sum(abs(delta) for _, delta in effect.weights)


def stake(at_risk: float, best: float, reservation: float) -> float:
    """w = what a soft deadline puts at risk as a share of what the party
    bargains for (best − reservation), in [0, 1]."""
    room = best - reservation
    return 1.0 if room <= 0 else min(1.0, max(0.0, at_risk / room))


def pace(deadline: dt.date | None, waiting_stops: dt.date | None, horizon: dt.date | None,
         calendar_end: dt.date) -> tuple[dt.date, str]:
    """H of the module's rule and what set it: ``deadline`` (a hard deadline),
    ``cost of delay`` (the date past which waiting no longer pays), whichever
    is earlier; else ``horizon`` (the analyst's fallback), else ``calendar``."""
    dated = [(day, why) for day, why in ((deadline, "deadline"), (waiting_stops, "cost of delay")) if day is not None]
    if dated:
        return min(dated, key=lambda pair: pair[0])
    return (horizon, "horizon") if horizon is not None else (calendar_end, "calendar")


def concession_date(today: dt.date, pace: dt.date, soft: Iterable[tuple[dt.date, float]], lead_days: int) -> dt.date:
    """T of the module's rule: ``pace`` is H (hard deadline or horizon);
    ``soft`` gives each soft deadline's date and stake w."""
    return concession_plan(today, pace, soft, lead_days)[0]


def concession_plan(today: dt.date, pace: dt.date, soft: Iterable[tuple[dt.date, float]],
                    lead_days: int) -> tuple[dt.date, dt.date]:
    """T of the module's rule, and the last day it holds with these stakes: T
    moves only when a soft deadline that pulls it drops out (the day after
    s_i − L), so a bargainer need not work it out again every round."""
    lead = dt.timedelta(days=lead_days)
    target, holds = pace, dt.date.max
    for on, w in soft:
        if today > on - lead or on >= pace:
            continue  # passed (or out of reach for a ratified deal), or beyond H: no pull
        target = min(target, on + dt.timedelta(days=round((1.0 - w) * (pace - on).days)))
        holds = min(holds, on - lead)
    return target - lead, holds
