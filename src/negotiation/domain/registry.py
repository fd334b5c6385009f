"""Tactics written outside the package: registered from Python, or installed.

A notebook or a script writes its own tactic as the built-in ones are
written (``domain/tactics.py``) and registers it; a scenario then names it
in YAML like any other, ``strategy: {name: my_tactic, x: 0.4}``::

    @dataclass(frozen=True)
    class Stubborn(negotiation.Tactic):
        name: ClassVar[str] = "stubborn"
        until: float = negotiation.param(0.8, lo=0.0, hi=1.0)

        def target(self, view):
            return view.best if view.t < self.until else view.reservation

    negotiation.register_tactic(Stubborn)

An installed package offers its tactics through the entry-point group
``negotiation.tactics`` (in its ``pyproject.toml``:
``[project.entry-points."negotiation.tactics"] stubborn = "pkg.mod:Stubborn"``);
an entry point is loaded only when a scenario names it, and its name must
be the class's ``name``. YAML only ever holds a registered *name*: no
import path is read from a scenario, so a scenario file cannot make the
program import code.

**The tactic protocol** (what :func:`register_tactic` checks):

- a frozen dataclass subclassing :class:`~negotiation.domain.tactics.Tactic`;
- ``name: ClassVar[str]``: lower-case letters, digits and ``_``, starting
  with a letter, not the name of a built-in tactic (refused: a scenario's
  meaning must not depend on what a notebook registered);
- every field a float parameter declared with
  :func:`~negotiation.domain.tactics.param` (a default and a valid range,
  checked when a scenario is read, exactly as for built-ins);
- ``target(view)`` (the aspiration level the engine offers from, the
  outcome best for the opponents among those worth it), or ``propose(view,
  opponent_score, rng)`` returning an outcome index; over a space searched
  clause by clause (too large to enumerate) only ``target`` is used, so a
  tactic that only proposes is refused there;
- ``reads_history: ClassVar[bool] = True`` if ``target`` reads
  ``view.own_offers`` or ``view.received`` (otherwise the target is worked
  out once a day).

A tactic may read only what it is given: the :class:`View` (its relative
time ``t``, its own utility array and allowed mask, its reservation value
and best utility, the outcome indices it offered and received), and in
``propose`` its opponent model's scores and the run's seeded ``rng``. It
never sees the other parties' preferences, the model or the real deal, and
must draw randomness from ``rng`` only, so a run stays a function of the
scenario and the seed.
"""

from __future__ import annotations

import re
from dataclasses import fields
from typing import Any

from .tactics import TACTICS, Tactic, parameters

GROUP = "negotiation.tactics"
NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")

REGISTERED: dict[str, type[Tactic]] = {}
"""Tactics registered in this process (by :func:`register_tactic` or an entry point), by name."""


def register_tactic(cls: type) -> type:
    """Make ``cls`` a tactic scenarios may name; returns it (so it serves as a
    class decorator). Registering the same name again replaces the class (a
    notebook cell run twice); a built-in name is refused."""
    check_protocol(cls)
    REGISTERED[cls.name] = cls  # type: ignore[attr-defined]
    return cls


def unregister_tactic(name: str) -> None:
    """Forget a registered tactic (a built-in cannot be removed)."""
    if name in TACTICS:
        raise ValueError(f"{name!r} is a built-in tactic; it cannot be unregistered")
    REGISTERED.pop(name, None)


def check_protocol(cls: Any) -> None:
    """Raise TypeError (or ValueError for the name) unless ``cls`` follows the tactic protocol."""
    if not isinstance(cls, type) or not issubclass(cls, Tactic):
        raise TypeError(f"a subclass of negotiation.Tactic expected, got {cls!r}")
    if "__dataclass_params__" not in vars(cls) or not cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
        raise TypeError(f"{cls.__name__}: a frozen dataclass expected (@dataclass(frozen=True))")
    name = cls.__dict__.get("name")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise ValueError(f"{cls.__name__}: a class attribute name: ClassVar[str] of lower-case letters, digits "
                         f"and _ (starting with a letter) expected, got {name!r}")
    if name in TACTICS or name == "llm":  # llm: the language-model strategy (domain/llm.py)
        raise ValueError(f"{cls.__name__}: {name!r} is the name of a built-in tactic; choose another name")
    declared = {f.name for f in parameters(cls)}
    for f in fields(cls):
        if f.name not in declared:
            raise TypeError(f"{cls.__name__}.{f.name}: every field must be a parameter declared with "
                            "negotiation.param(default, lo=…, hi=…)")
        if f.type not in (float, "float"):
            raise TypeError(f"{cls.__name__}.{f.name}: a float parameter expected, got type {f.type!r}")
    if cls.target is Tactic.target and cls.propose is Tactic.propose:
        raise TypeError(f"{cls.__name__}: a target(view) or propose(view, opponent_score, rng) method expected")
    if not isinstance(getattr(cls, "reads_history", False), bool):
        raise TypeError(f"{cls.__name__}.reads_history: True or False expected")
    try:
        cls()
    except Exception as exc:  # the defaults must make a tactic: a scenario may name it alone
        raise TypeError(f"{cls.__name__}: its defaults must make a tactic ({exc})") from None


def tactic_class(name: str) -> type[Tactic] | None:
    """The tactic called ``name``: built-in, registered, or from an installed
    entry point (loaded now, on first use); None if there is none."""
    found = TACTICS.get(name) or REGISTERED.get(name)
    if found is None and NAME.fullmatch(name):
        found = _entry_point(name)
    return found


def _entry_point(name: str) -> type[Tactic] | None:
    from importlib.metadata import entry_points

    for point in entry_points(group=GROUP, name=name):
        cls = point.load()
        if getattr(cls, "name", None) != name:
            raise ValueError(f"entry point {point.value} of {GROUP} is named {name!r} but its class says "
                             f"name = {getattr(cls, 'name', None)!r}")
        return register_tactic(cls)  # type: ignore[return-value]
    return None


def known_names() -> list[str]:
    """Every tactic name a scenario may use now: built-ins, registered, installed."""
    from importlib.metadata import entry_points

    installed = {point.name for point in entry_points(group=GROUP)}
    return sorted({*TACTICS, *REGISTERED, *installed})
