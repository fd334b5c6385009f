"""The run's one memo: everything worked out once and read many times.

A bargainer offers and answers several times a round, and the protocol asks
every round who walks away; most of what they need (a party's view, its
floor, its clock, the opponents' scores or frontier, whether a deal is still
possible, the utilities the log writes) changes only when some party's
preferences change, or with the date. Preferences do change during a run: a
dated effect (an investor's money, an outside offer, a soft deadline's cost,
a costly-continuation deadline), a veto learned, a requirement made public.
So every value here is stamped with what it was worked out from:

- ``version``, bumped by every change of any bargainer's preferences
  (``preferences_changed``): a value stamped with it is worked out again
  after any effect, whoever it moved (an opponent's move changes what a
  party can hope for and what it believes of the others);
- ``moment``, bumped by the version and by every change of date
  (``date_changed``): for what also moves with the calendar (relative time,
  a cost of delay's floor).

Keys name the owner and the value (``("employer", "view")``). ``hints`` hold
what only speeds a computation up and is checked before use (the outcome
that last showed a deal possible), so they survive a change of version.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any


class Memo:
    """Values keyed by name, each stamped with the version or moment it holds for."""

    __slots__ = ("version", "moment", "held", "hints")

    def __init__(self) -> None:
        self.version = 0  # bumped whenever a bargainer's preferences change
        self.moment = 0  # bumped whenever the date or a bargainer's preferences change
        self.held: dict[Hashable, tuple[Any, Any]] = {}  # key → (stamp, value)
        self.hints: dict[Hashable, dict[str, Any]] = {}

    def preferences_changed(self) -> None:
        self.version += 1
        self.moment += 1

    def date_changed(self) -> None:
        self.moment += 1

    def get(self, key: Hashable, stamp: Any, compute: Callable[[], Any]) -> Any:
        """The value held under ``key`` if it was worked out at ``stamp``, else
        ``compute()``, held from now on. (The engine's hottest reads write this
        test out, reading ``held`` directly: same rule, no call.)"""
        held = self.held.get(key)
        if held is not None and held[0] == stamp:
            return held[1]
        value = compute()
        self.held[key] = (stamp, value)
        return value

    def per_version(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """``compute()``, worked out again only after some preferences changed."""
        held = self.held.get(key)  # ``get``'s test, written out: called thousands of times a run
        if held is not None and held[0] == self.version:
            return held[1]
        value = compute()
        self.held[key] = (self.version, value)
        return value

    def per_moment(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """``compute()``, worked out again after a change of preferences or date."""
        held = self.held.get(key)
        if held is not None and held[0] == self.moment:
            return held[1]
        value = compute()
        self.held[key] = (self.moment, value)
        return value

    def hint(self, key: Hashable) -> dict[str, Any]:
        """A slot for what speeds a computation up (checked before use)."""
        slot = self.hints.get(key)
        if slot is None:
            slot = self.hints[key] = {}
        return slot
