"""The rules of the game: who speaks, who must agree, when it ends.

Bargainers follow the Stacked Alternating Offers Protocol (SAOP) of Aydoğan,
Festen, Hindriks & Jonker (2017), "Alternating offers protocols for
multilateral negotiation": they take turns in a fixed order (the order of the
scenario file); the others answer each offer; an offer stands when every
other bargainer accepts it. With two bargainers this is Rubinstein's (1982)
alternating offers. One calendar round gives every bargainer one turn.

The negotiation ends with an agreement, at the global deadline (the last
round on the calendar), or in a breakdown when a bargainer walks away: its
own deadline has passed, or its reservation value beats anything it can
still get.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .agents import Bargainer


class Result(StrEnum):
    AGREEMENT = "agreement"
    DEADLINE = "deadline"
    BREAKDOWN = "breakdown"


def turn_order(bargainers: Sequence[Bargainer], round_no: int) -> list[Bargainer]:
    """Every bargainer proposes once per round, in the scenario's order, so
    across rounds the offers alternate A, B, A, B, …"""
    return list(bargainers)


def stands(responses: Mapping[str, bool]) -> bool:
    """An offer stands when every responder accepts it (SAOP unanimity)."""
    return all(responses.values())


def walkaway(bargainers: Sequence[Bargainer], today: dt.date) -> tuple[Bargainer, str] | None:
    """The first bargainer that leaves the table now, and why, if any."""
    for b in bargainers:
        if today > b.deadline:
            return b, f"{b.name}'s deadline {b.deadline.isoformat()} passed"
        if b.hopeless():
            return b, f"{b.name}'s reservation value {b.reservation:.3f} beats anything it can still get"
    return None
