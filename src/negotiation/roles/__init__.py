"""Party roles, one module each: the one place a role is declared.

A role module (``bargainer.py``, ``ratifier.py``, …) defines ``ROLE``, a
:class:`Role` (``_declaration.py``) saying how the role is written in a
scenario (a pydantic model of its keys, which also gives its part of the
JSON Schema) and checked against the rest of the scenario (with the
:class:`Context` its checks get, domain data), what the log header says
about it, how ``negotiation validate`` describes it, and as data what the
rest of the program needs to know of its parties without playing them
(:func:`declared`: dated events, deadlines, conditions, vetoes). The
registry below finds the modules by listing this package, so a new role is
one new module here, the Mesa agents that play it in the engine's registry
(``engine/cast.py``) unless its dated effects are all it does, and its test.

Where this package sits in the import direction (domain ← inputs ← roles ←
scenarios ← engine): a role imports only ``domain`` and the readers of
``inputs`` (it is read with the scenario, and ``validate`` describes it,
without Mesa), never the loader (``scenarios/``, which builds the parties
by their roles) nor the engine. Which Mesa agents play a role is the
engine's registry (``engine/cast.py``), which reads the party a role built.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Union

from pydantic import Field

from ..domain.parties import Party
from ._declaration import Context, Declared, Event, Role, Vetoes

__all__ = ["ROLES", "Context", "Declared", "Event", "Role", "Vetoes", "build_parties", "declared", "describe_party",
           "party_header", "party_model"]

if TYPE_CHECKING:
    from ..engine.model import NegotiationModel


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


def declared(party: Party) -> Declared:
    """What the party's role declares about it (:class:`Declared`), its
    dated effects among its events: what the ``as_of`` rule, experiments'
    statistics and the analysis read instead of a role's keys or fields."""
    role = ROLES[party.role]
    found = role.declares(party) if role.declares is not None else Declared()
    if role.dated is not None:
        found = replace(found, events=found.events + tuple(Event(d.key, d.on) for d in role.dated(party)))
    return found


def describe_party(party: Party) -> str:
    """One line on what a party brings, for ``negotiation validate``."""
    return ROLES[party.role].describe(party)

