"""What a role module declares (:class:`Role`); what its checks get
(:class:`Context`) is domain data (``domain/scenario.py``), re-exported
here for role modules. Apart from the registry in ``roles/__init__.py``, which
imports every role module: a role module imports these from here, so the
imports run one way (the underscore keeps this module out of the registry).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..domain.parties import Effect, Party
from ..domain.scenario import Context
from ..inputs.validation import Node

__all__ = ["TARGET", "Context", "Dated", "Role"]

if TYPE_CHECKING:
    from ..engine.model import NegotiationModel


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
