"""The information cut-off: a scenario declared ``as_of: DATE`` is a forecast
made that day, so it may rest only on what was public by then.

Two rules, checked when the scenario is loaded (``validate`` and every
command that reads a scenario):

- every ``because:`` cites facts whose ``public_on`` is on or before
  ``as_of`` (a fact reported later is look-ahead, whatever day it refers to);
- no dated event (an investor's commitment or a later step of it, an
  outside offer: whatever the parties' roles declare as events, the dated
  effects included, ``roles/``) falls after ``as_of``: a forecaster cannot
  know that an offer will come. Deadlines and condition dates are not
  events; they were known in advance and may lie after the cut-off.

This is the discipline of out-of-sample forecasting of negotiations
(Thomson, Stokman, Achen & König 2006, *The European Union Decides*, ch. 1):
inputs fixed before the outcome is known, so the comparison with it means
something.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from ..errors import InputError
from .sources import Fact


def check_as_of(as_of: dt.date, citations: Mapping[str, tuple[str, ...]], facts: Mapping[str, Fact],
                events: Iterable[tuple[str, dt.date]], source: str) -> None:
    """Raise :class:`InputError` (key path and fact id) at the first
    citation or dated event that a forecast made on ``as_of`` could not
    have known. Citations are checked in the order the scenario lists them,
    then ``events``: (key path, date) of each dated event the built parties'
    roles declare, in the order of the parties."""
    for key, ids in citations.items():
        for fid in ids:
            fact = facts.get(fid)
            if fact is None or fact.public_on is None or fact.public_on <= as_of:
                continue
            where = f"{key}.because" if key else "because"
            raise InputError(source, where, f"facts public on or before as_of ({as_of}) expected; {fid} was "
                                            f"first reported on {fact.public_on}")
    for key, day in events:
        if day > as_of:
            raise InputError(source, key, f"no dated event after as_of ({as_of}) expected; a forecast made then "
                                          f"cannot know of one on {day}")
