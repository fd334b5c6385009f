"""The calendar: rounds on real dates, and the relative time tactics use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Calendar:
    """Rounds on real dates: round 1 is held on ``start``, round k on
    ``start + (k-1)·round_days``, the last one on or before ``deadline``."""

    start: dt.date
    round_days: int
    deadline: dt.date
    max_rounds: int

    @property
    def n_rounds(self) -> int:
        return min(self.max_rounds, (self.deadline - self.start).days // self.round_days + 1)

    def date_of(self, round_no: int) -> dt.date:
        return self.start + dt.timedelta(days=(round_no - 1) * self.round_days)

    @cached_property
    def rounds(self) -> tuple[tuple[dt.date, str], ...]:
        """Each round's date and its ISO text, from round 1 (index 0) to the
        last: worked out once for every run that plays this calendar."""
        return tuple((day, day.isoformat()) for day in map(self.date_of, range(1, self.n_rounds + 1)))

    def time_of(self, day: dt.date) -> float:
        """Mesa model time of a date: round k runs at time k."""
        return 1.0 + (day - self.start).days / self.round_days

    @staticmethod
    def share(elapsed: int, span: int) -> float:
        """Relative time t in [0, 1] towards a deadline, as tactics use it,
        from the days elapsed since the start and the days from the start to
        the deadline."""
        return min(1.0, max(0.0, elapsed / span)) if span > 0 else 1.0

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.deadline
