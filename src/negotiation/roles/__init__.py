"""Party roles, one module each: the one place a role is declared.

A role module (``bargainer.py``, ``ratifier.py``, …) defines ``ROLE``, a
:class:`Role` saying how the role is written in a scenario (a pydantic model
of its keys, which also gives its part of the JSON Schema) and checked
against the rest of the scenario, which Mesa agents it puts in a run, what
the log header says about it and how ``negotiation validate`` describes it. The registry below finds the modules
by listing this package, so a new role is one new module (and its test):
nothing else names it.

Where this package sits in the import direction (domain ← inputs ← engine):
at module level a role imports only ``domain`` and ``inputs`` (it is read
with the scenario, and ``validate`` describes it, without Mesa). Its agents
belong to the engine, so :attr:`Role.agents` imports them inside the
function, when a model is built: reading a scenario never imports Mesa.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Union

from pydantic import Field

from ..domain.outcomes import Clause
from ..domain.parties import Party
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


@dataclass(frozen=True)
class Role:
    """Everything the program knows about one role.

    - ``model`` is the pydantic model of the party's keys (``role`` a
      literal naming the role): their types, ranges and defaults;
    - ``build(name, model, context)`` checks what needs the rest of the
      scenario (clause names, dates on the calendar, targets) and returns the
      domain party;
    - ``agents(model, party)`` creates its Mesa agents in a model; they
      schedule their own calendar events;
    - ``header(model, party)`` is what the log's header says about it,
      besides its name and role;
    - ``describe(party)`` is one line for ``negotiation validate``.
    """

    name: str
    model: type[Node]
    build: Callable[[str, Any, Context], Party]
    agents: Callable[[NegotiationModel, Any], None]
    header: Callable[[NegotiationModel, Any], dict[str, Any]]
    describe: Callable[[Any], str]


def _discover() -> dict[str, Role]:
    roles: dict[str, Role] = {}
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")):
        role = importlib.import_module(f"{__name__}.{module}").ROLE
        roles[role.name] = role
    return roles


ROLES: dict[str, Role] = _discover()


@cache
def party_model() -> Any:
    """A party in YAML: one of the roles' models, told apart by ``role``
    (a discriminated union: https://docs.pydantic.dev/latest/concepts/unions/#discriminated-unions)."""
    models = tuple(role.model for role in ROLES.values())
    return Annotated[Union[models], Field(discriminator="role")]  # noqa: UP007 - a runtime tuple of members


def build_parties(parties: Mapping[str, Any], ctx: Context) -> tuple[Party, ...]:
    """Every party, in the order written, built by its role; at least two must bargain."""
    if len(ctx.bargainers) < 2:
        raise ctx.error("parties", "at least two parties with role: bargainer expected")
    return tuple(ROLES[model.role].build(name, model, ctx) for name, model in parties.items())


def party_header(model: NegotiationModel, party: Party) -> dict[str, Any]:
    """What the log's header says about a party."""
    return {"name": party.name, "role": party.role, **ROLES[party.role].header(model, party)}


def describe_party(party: Party) -> str:
    """One line on what a party brings, for ``negotiation validate``."""
    return ROLES[party.role].describe(party)


def add_agents(model: NegotiationModel, party: Party) -> None:
    ROLES[party.role].agents(model, party)
