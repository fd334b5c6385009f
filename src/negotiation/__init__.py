"""negotiation: agent-based simulator of multi-party, multi-clause negotiations.

Data flows one way: ``configs/*.yaml`` → ``inputs`` (readers), ``roles`` and
``scenarios`` (the validated scenario, domain data) →
``engine`` (the Mesa model: agents, strategies, protocol) → ``runs`` (the
round log) → ``reports`` and ``experiments``; ``cli`` and this module's
functions are the two front doors.

The public API (``load_scenario``, ``simulate``, ``analyse``, ``compare``,
``montecarlo``, ``sweep``, ``whatif``, ``tournament`` and the ``Run`` and
``Analysis`` they return; ``register_tactic`` with ``Tactic``, ``param`` and
``View`` for a tactic of one's own) lives in :mod:`negotiation.api` and is imported on first use
(PEP 562 module ``__getattr__``), so ``import negotiation`` stays cheap:
Mesa, pandas and matplotlib load only when a call needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Analysis", "Run", "Tactic", "View", "analyse", "compare", "load_scenario", "montecarlo", "param",
           "register_tactic", "simulate", "sweep", "tournament", "unregister_tactic", "whatif", "__version__"]

if TYPE_CHECKING:  # pragma: no cover
    from .api import (Analysis, Run, Tactic, View, analyse, compare, load_scenario, montecarlo, param,
                      register_tactic, simulate, sweep, tournament, unregister_tactic, whatif)


def __getattr__(name: str) -> Any:
    if name in __all__ and name != "__version__":
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'negotiation' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public API and the module's own dunders; not the names this
    module imports for its own use (``Any``, ``TYPE_CHECKING``)."""
    return sorted({*(name for name in globals() if name.startswith("__")), *__all__})
