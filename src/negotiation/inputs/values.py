"""The root value types of every input: numbers, dates, day counts.

Scenarios, overlays, ``--set`` values, the real deal and GENIUS imports all
read their numbers and dates here, so one rule holds everywhere: a number is
finite and within its range (``.inf``, ``.nan`` and ``-1e400``, which YAML and
``float()`` read as infinities, are not numbers a model can use); a date is a
real day of the calendar between ``DATE_MIN`` and ``DATE_MAX``; a count of
days is a whole number up to ``MAX_DAYS``. The bounds leave room for every
date the engine derives (a round, a review window, a deadline plus a round)
to stay inside what :class:`datetime.date` can hold, so no arithmetic on a
valid input can overflow.

Each reader returns the value or raises :class:`ValueError` whose text says
what is expected; the pydantic types of :mod:`.types` and the GENIUS
importer turn that into an :class:`~negotiation.errors.InputError` naming
file and key.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

DATE_MIN = dt.date(1000, 1, 1)
DATE_MAX = dt.date(8999, 12, 31)
MAX_DAYS = 36_600  # a round, a review, an import's calendar: at most a hundred years
MAX_COUNT = 10_000_000  # rounds, runs, seeds: beyond this, a typo


def kind(value: Any) -> str:
    """A value's kind in the words of the error messages."""
    if value is None:
        return "nothing (null)"
    return {dict: "mapping", list: "list", str: "string", bool: "boolean", int: "integer", float: "number"}.get(
        type(value), type(value).__name__
    )


def number(value: Any, *, lo: float | None = None, hi: float | None = None, lo_open: bool = False) -> float:
    """A finite number (int or float, not a boolean) in ``[lo, hi]`` (``(lo, hi]``
    with ``lo_open``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"a number expected, got {kind(value)}")
    try:
        as_float = float(value)
    except OverflowError:  # an integer too large for a float
        as_float = math.inf if value > 0 else -math.inf
    if not math.isfinite(as_float):
        raise ValueError(f"a finite number expected, got {value!r}")
    if lo is not None and (as_float < lo or (lo_open and as_float == lo)):
        raise ValueError(f"a number {'>' if lo_open else '≥'} {lo:g} expected, got {value}")
    if hi is not None and as_float > hi:
        raise ValueError(f"a number ≤ {hi:g} expected, got {value}")
    return as_float


def integer(value: Any, *, lo: int | None = None, hi: int = MAX_COUNT) -> int:
    """A whole number (not a boolean) in ``[lo, hi]``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"an integer expected, got {kind(value)}")
    if lo is not None and value < lo:
        raise ValueError(f"an integer ≥ {lo} expected, got {value}")
    if value > hi:
        raise ValueError(f"an integer ≤ {hi:,} expected, got {value}")
    return value


_ISO_DAY = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})\s*")


def date(value: Any) -> dt.date:
    """A calendar day: a YAML date, or a ``YYYY-MM-DD`` string that names a real
    day (not 2026-02-30), between ``DATE_MIN`` and ``DATE_MAX``."""
    day: dt.date | None = None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str) and (match := _ISO_DAY.fullmatch(value)):
        try:
            day = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise ValueError(f"a real calendar date expected; {value.strip()} does not exist") from None
    if day is None:
        shown = value if isinstance(value, str | int | float | dt.date) else kind(value)
        raise ValueError(f"a date YYYY-MM-DD expected, got {shown!r}")
    if not DATE_MIN <= day <= DATE_MAX:
        raise ValueError(f"a date from {DATE_MIN} to {DATE_MAX} expected, got {day}")
    return day


_DURATION = re.compile(r"\s*(\d+)\s*([dw])\s*")


def days(value: Any, *, least: int = 1, most: int = MAX_DAYS) -> int:
    """A duration in days: ``7d``, ``2w`` or a whole number, ``least``..``most``."""
    count: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        count = value
    elif isinstance(value, str) and (match := _DURATION.fullmatch(value)) and len(match[1]) <= 12:
        count = int(match[1]) * (7 if match[2] == "w" else 1)
    if count is None or count < least:
        zero = " (0 allowed)" if least == 0 else ""
        raise ValueError(f"a duration like 7d or 2w expected{zero}, got {value!r}")
    if count > most:
        raise ValueError(f"a duration of at most {most:,} days expected, got {value!r}")
    return count
