"""What a role module declares (:class:`Role`) and what its checks get
(:class:`Context`). Apart from the registry in ``roles/__init__.py``, which
imports every role module: a role module imports these from here, so the
imports run one way (the underscore keeps this module out of the registry).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..domain.outcomes import Clause
from ..domain.parties import Effect, Party
from ..domain.timeline import Calendar
from ..errors import InputError
from ..inputs.validation import Node, blame

if TYPE_CHECKING:
    from ..engine.model import NegotiationModel


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


TARGET = None  # in a Dated text: where the target bargainer's name goes


@dataclass(frozen=True)
class Dated:
    """A dated effect a role declares as data: on ``on``, ``effect`` moves the
    bargainer ``target`` and the log's event (of ``kind``) says ``text``, its
    parts joined with the target's name for each :data:`TARGET`. The engine
    plays each as one ``DatedEffect`` agent (``engine/cast.py``), so a role
    made of dated effects needs no engine code."""

    kind: str
    on: dt.date
    target: str
    effect: Effect
    text: tuple[str | None, ...]

    def says(self, target: str) -> str:
        return "".join(target if part is TARGET else part for part in self.text)


@dataclass(frozen=True)
class Role:
    """Everything the program knows about one role.

    - ``model`` is the pydantic model of the party's keys (``role`` a
      literal naming the role): their types, ranges and defaults;
    - ``build(name, model, context)`` checks what needs the rest of the
      scenario (clause names, dates on the calendar, targets) and returns the
      domain party;
    - ``header(model, party)`` is what the log's header says about it,
      besides its name and role;
    - ``describe(party)`` is one line for ``negotiation validate``;
    - ``dated(party)``, for a role the engine plays from data alone: its
      dated effects (:class:`Dated`); a role with agents of its own has an
      entry in the engine's registry (``engine/cast.py``) instead.
    """

    name: str
    model: type[Node]
    build: Callable[[str, Any, Context], Party]
    header: Callable[[NegotiationModel, Any], dict[str, Any]]
    describe: Callable[[Any], str]
    dated: Callable[[Any], tuple[Dated, ...]] | None = None
