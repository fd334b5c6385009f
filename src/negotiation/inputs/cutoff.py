"""The information cut-off: a scenario declared ``as_of: DATE`` is a forecast
made that day, so it may rest only on what was public by then.

Two rules, checked when the scenario is loaded (``validate`` and every
command that reads a scenario):

- every ``because:`` cites facts whose ``public_on`` is on or before
  ``as_of`` (a fact reported later is look-ahead, whatever day it refers to);
- no dated event (an investor's commitment or tranche, an outside offer:
  the keys ``commits_on`` and ``on`` under ``parties``) falls after
  ``as_of``: a forecaster cannot know that an offer will come. Deadlines and
  condition dates are not events; they were known in advance and may lie
  after the cut-off.

This is the discipline of out-of-sample forecasting of negotiations
(Thomson, Stokman, Achen & König 2006, *The European Union Decides*, ch. 1):
inputs fixed before the outcome is known, so the comparison with it means
something.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from ..errors import InputError
from .sources import Fact

EVENT_KEYS = ("on", "commits_on")


def check_as_of(as_of: dt.date, citations: Mapping[str, tuple[str, ...]], facts: Mapping[str, Fact],
                parties: Mapping[str, Any], source: str) -> None:
    """Raise :class:`InputError` (key path and fact id) at the first
    citation or dated event that a forecast made on ``as_of`` could not
    have known. Citations are checked in the order the scenario lists them."""
    for key, ids in citations.items():
        for fid in ids:
            fact = facts.get(fid)
            if fact is None or fact.public_on is None or fact.public_on <= as_of:
                continue
            where = f"{key}.because" if key else "because"
            raise InputError(source, where, f"facts public on or before as_of ({as_of}) expected; {fid} was "
                                            f"first reported on {fact.public_on}")
    for key, day in dated_events(parties, "parties"):
        if day > as_of:
            raise InputError(source, key, f"no dated event after as_of ({as_of}) expected; a forecast made then "
                                          f"cannot know of one on {day}")


def dated_events(node: Any, path: str) -> Iterator[tuple[str, dt.date]]:
    """``(key path, date)`` of every event date in a parties mapping."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            here = f"{path}.{key}"
            if key in EVENT_KEYS:
                day = value.get("value") if isinstance(value, Mapping) else value
                if isinstance(day, dt.datetime):
                    day = day.date()
                elif isinstance(day, str):
                    try:
                        day = dt.date.fromisoformat(day)
                    except ValueError:
                        continue
                if isinstance(day, dt.date):
                    yield here, day
            else:
                yield from dated_events(value, here)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from dated_events(item, f"{path}.{i}")
