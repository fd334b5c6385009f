"""Outside option: a dated offer to a bargainer from outside the table (a
rival cloud's compute contract; Microsoft's own models). It changes what the
bargainer values and raises its BATNA (Fisher & Ury 1981).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from ..domain.parties import Effect, Party
from ..inputs.parties import EffectModel
from ..inputs.types import Date, Text, number
from ..inputs.validation import Node
from ._declaration import TARGET, Context, Dated, Role


@dataclass(frozen=True)
class OutsideOptionParty(Party):
    """An offer to ``offers_to`` on date ``on``; ``effect`` applies to it."""

    offers_to: str = ""
    on: dt.date | None = None
    value_usd_bn: float = 0.0
    effect: Effect = Effect()


class Model(Node):
    """An outside option: a dated offer to a bargainer, and how it moves it."""

    role: Literal["outside_option"]
    offers_to: Text = Field(description="the bargainer it makes the offer to")  # type: ignore[valid-type]
    on: Date
    value_usd_bn: number(ge=0.0) = 0.0  # type: ignore[valid-type]
    effect: EffectModel


def build(name: str, m: Model, ctx: Context) -> OutsideOptionParty:
    key = f"parties.{name}"
    return OutsideOptionParty(name, "outside_option", offers_to=ctx.bargainer(f"{key}.offers_to", m.offers_to),
                              on=ctx.within(f"{key}.on", m.on), value_usd_bn=m.value_usd_bn,
                              effect=m.effect.build(ctx, f"{key}.effect"))


def dated(party: OutsideOptionParty) -> tuple[Dated, ...]:
    """The offer, on its date: the engine plays it from this alone."""
    assert party.on is not None
    worth = f" worth {party.value_usd_bn:g} bn USD" if party.value_usd_bn else ""
    return (Dated("outside_option", party.on, party.offers_to, party.effect,
                  (f"{party.name} makes ", TARGET, f" an offer{worth}; ", TARGET, f": {party.effect.describe()}"),
                  f"parties.{party.name}.on"),)


def header(model: Any, party: OutsideOptionParty) -> dict[str, Any]:
    assert party.on is not None
    head: dict[str, Any] = {"offers_to": party.offers_to, "on": party.on.isoformat()}
    if party.value_usd_bn:  # undisclosed values (Google Cloud's) are left out, not shown as 0
        head["value_usd_bn"] = party.value_usd_bn
    return head


def describe(party: OutsideOptionParty) -> str:
    return f"offers to {party.offers_to} on {party.on} ({party.effect.describe()})"


ROLE = Role("outside_option", Model, build, header, describe, dated)
