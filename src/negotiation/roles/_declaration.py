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
from ..domain.preferences import Constraint
from ..domain.ratification import Member
from ..domain.scenario import Context
from ..inputs.validation import Node

__all__ = ["TARGET", "Context", "Dated", "Declared", "Event", "Role", "Vetoes"]

if TYPE_CHECKING:
    from ..engine.model import NegotiationModel


TARGET = None  # in a Dated text: where the target bargainer's name goes


@dataclass(frozen=True)
class Dated:
    """A dated effect a role declares as data: on ``on``, ``effect`` moves the
    bargainer ``target`` and the log's event (of ``kind``) says ``text``, its
    parts joined with the target's name for each :data:`TARGET`. The engine
    plays each as one ``DatedEffect`` agent (``engine/cast.py``), so a role
    made of dated effects needs no engine code. ``key`` is the key path the
    date is written at (``parties.NAME.on``): a dated effect is a dated
    event, which a forecast made before it cannot know (the ``as_of`` rule
    names that key)."""

    kind: str
    on: dt.date
    target: str
    effect: Effect
    text: tuple[str | None, ...]
    key: str

    def says(self, target: str) -> str:
        return "".join(target if part is TARGET else part for part in self.text)


@dataclass(frozen=True)
class Event:
    """A dated event: something that happens on ``on`` during the talks (an
    investor's commitment or a later step of it, an outside offer), written
    at the key path ``key``. A forecast made ``as_of`` an earlier day cannot
    know of it (``inputs/cutoff.py``); deadlines and condition dates, known
    in advance, are not events."""

    key: str
    on: dt.date


@dataclass(frozen=True)
class Vetoes:
    """What a party that reviews a tentative agreement refuses: an outcome
    that breaks one of ``requires``, or, for a body that votes, one that too
    few of its ``members``' seats approve (``threshold`` of them must);
    ``public``: the clause of a requirement → the date it became public
    (before it, the bargainers learn it only from a veto)."""

    requires: tuple[Constraint, ...] = ()
    members: tuple[Member, ...] = ()
    threshold: int = 0
    public: tuple[tuple[str, dt.date], ...] = ()


@dataclass(frozen=True)
class Declared:
    """What a role declares about one of its parties as data, for the parts
    of the program that do not play it: its dated ``events`` (the ``as_of``
    rule; a role's dated effects count as events too, see
    ``roles.declared``); its ``deadline``, a date it needs a definitive deal
    by (a bargainer's own deadline, an investor's condition date), whose
    odds experiments report; its ``condition``, a date a definitive deal
    must come by for it to keep its commitment (met or missed per run);
    and its ``vetoes`` (the analysis rules out what it refuses)."""

    events: tuple[Event, ...] = ()
    deadline: dt.date | None = None
    condition: dt.date | None = None
    vetoes: Vetoes = Vetoes()


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
      entry in the engine's registry (``engine/cast.py``) instead;
    - ``declares(party)``: what other parts of the program need to know of
      the party without playing it (:class:`Declared`: its dated events,
      deadline, condition and vetoes); none: nothing beyond its dated
      effects.
    """

    name: str
    model: type[Node]
    build: Callable[[str, Any, Context], Party]
    header: Callable[[NegotiationModel, Any], dict[str, Any]]
    describe: Callable[[Any], str]
    dated: Callable[[Any], tuple[Dated, ...]] | None = None
    declares: Callable[[Any], Declared] | None = None
