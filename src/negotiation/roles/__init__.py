"""Party roles, one module each: the one place a role is declared.

A role module (``bargainer.py``, ``ratifier.py``, …) defines ``ROLE``, a
:class:`Role` saying how the role's keys are read from a scenario, which
Mesa agents it puts in a run, what the log header says about it and how
``negotiation validate`` describes it. The registry below finds the modules
by listing this package, so a new role is one new module (and its test):
nothing else names it.

Where this package sits in the import direction (domain ← inputs ← engine):
at module level a role imports only ``domain`` and ``inputs`` (it is read
with the scenario, and ``validate`` describes it, without Mesa). Its agents
belong to the engine, so :attr:`Role.agents` imports them inside the
function, when a model is built: reading a scenario never imports Mesa.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..domain.outcomes import Clause
from ..domain.parties import Party
from ..domain.timeline import Calendar
from ..inputs.config import Section

if TYPE_CHECKING:
    from ..engine.model import NegotiationModel


@dataclass(frozen=True)
class Context:
    """What a role's parser may need beyond its own keys."""

    clauses: tuple[Clause, ...]
    calendar: Calendar
    bargainers: tuple[str, ...]


@dataclass(frozen=True)
class Role:
    """Everything the program knows about one role.

    - ``parse(name, section, context)`` reads and checks the party's keys
      (the caller checks ``role`` and that no key is left unread);
    - ``agents(model, party)`` creates its Mesa agents in a model; they
      schedule their own calendar events;
    - ``header(model, party)`` is what the log's header says about it,
      besides its name and role;
    - ``describe(party)`` is one line for ``negotiation validate``.
    """

    name: str
    parse: Callable[[str, Section, Context], Party]
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


def parse_parties(sec: Section, clauses: tuple[Clause, ...], calendar: Calendar) -> tuple[Party, ...]:
    """Every party of the ``parties`` mapping, read by its role's parser."""
    specs = list(sec.items())
    bargainers = tuple(name for name, spec in specs if isinstance(spec, dict) and spec.get("role") == "bargainer")
    context = Context(clauses, calendar, bargainers)
    parties: list[Party] = []
    for name, spec in specs:
        p = sec.sub(name, spec)
        role = p.choice("role", list(ROLES))
        parties.append(ROLES[role].parse(name, p, context))
        p.close()
    if len(bargainers) < 2:
        raise sec.error("at least two parties with role: bargainer expected")
    return tuple(parties)


def party_header(model: NegotiationModel, party: Party) -> dict[str, Any]:
    """What the log's header says about a party."""
    return {"name": party.name, "role": party.role, **ROLES[party.role].header(model, party)}


def describe_party(party: Party) -> str:
    """One line on what a party brings, for ``negotiation validate``."""
    return ROLES[party.role].describe(party)


def add_agents(model: NegotiationModel, party: Party) -> None:
    ROLES[party.role].agents(model, party)
