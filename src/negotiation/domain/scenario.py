"""A scenario as domain data: what a run is made of, read and checked.

:class:`Scenario` is what the loader (``scenarios/load.py``) returns once a
file has passed every check, and all the engine ever sees of it;
:class:`Context` is what a role's checks get while the parties are built
(``roles/``). Both are frozen data that import nothing of ``inputs``,
``roles`` or the engine: reading files, the real deal (``inputs.sources``,
read only by those who compare a finished run with it) and writing YAML
back stay with the readers, so no path leads from the model to them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..errors import InputError, blame
from .links import Link
from .outcomes import Clause, OutcomeSpace
from .parties import Party
from .ratification import RatificationPlan
from .timeline import Calendar


@dataclass(frozen=True)
class Prior:
    """One declared prior (``inputs/priors.py`` finds and draws them): where
    it sits, its family and parameters (dates as ordinal days), the kind of
    value and the key's allowed range."""

    path: tuple[str, ...]
    family: str
    params: tuple[float, ...]
    kind: str  # "number", "integer", "date" or "duration"
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False

    @property
    def name(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True, eq=False)
class Scenario:
    """A validated scenario. ``resolved`` is the mapping it was built from
    (overrides applied): written back as ``scenario.yaml``
    (``inputs.config.scenario_yaml``), it rebuilds the very same scenario.
    ``config_hash`` names the run folder: the hash of what shapes the run
    (not the seed, which runs of one configuration share, nor the facts,
    truth and codebook files, which never reach the model), taken by the
    loader."""

    name: str
    description: str
    seed: int
    calendar: Calendar
    clauses: tuple[Clause, ...]
    parties: tuple[Party, ...]
    source: str
    resolved: Mapping[str, Any] = field(repr=False)
    citations: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    as_of: dt.date | None = None  # a forecast made that day: it cites only facts public by then
    links: tuple[Link, ...] = ()  # rules over several clauses (also in every bargainer's preferences)
    ratification: RatificationPlan | None = None  # the order of the reviews, when the deal is definitive
    priors: tuple[Prior, ...] = ()  # declared uncertainty, drawn per run of an experiment (inputs/priors.py)
    config_hash: str = field(kw_only=True)

    @cached_property
    def space(self) -> OutcomeSpace:
        return OutcomeSpace.of(self.clauses)

    @property
    def bargainers(self) -> tuple[Party, ...]:
        return tuple(p for p in self.parties if p.role == "bargainer")

    def party(self, name: str) -> Party:
        return next(p for p in self.parties if p.name == name)

    def clause(self, name: str) -> Clause:
        return next(c for c in self.clauses if c.name == name)


@dataclass(frozen=True)
class Context:
    """What a role's checks need beyond its own keys, and how they name a key
    in an error (the file, and the ``--set`` that wrote the key if one did)."""

    clauses: tuple[Clause, ...]
    calendar: Calendar
    bargainers: tuple[str, ...]
    source: str = "<scenario>"
    touched: Mapping[str, str] = field(default_factory=dict)

    def error(self, key: str, expected: str) -> InputError:
        return blame(self.source, key, expected, self.touched)

    def clause(self, key: str, name: str) -> Clause:
        """The clause called ``name``, written at ``key``."""
        for clause in self.clauses:
            if clause.name == name:
                return clause
        raise self.error(key, f"unknown clause; clauses are: {', '.join(c.name for c in self.clauses)}")

    def within(self, key: str, day: dt.date) -> dt.date:
        """A date on the calendar (an event must happen during the talks)."""
        if not self.calendar.contains(day):
            raise self.error(key, f"a date within the calendar ({self.calendar.start} to {self.calendar.deadline})"
                                  f" expected, got {day}")
        return day

    def bargainer(self, key: str, name: str) -> str:
        """The name of a bargainer (whom an event targets)."""
        if name not in self.bargainers:
            raise self.error(key, f"the name of a bargainer expected ({', '.join(self.bargainers)}), got {name!r}")
        return name
