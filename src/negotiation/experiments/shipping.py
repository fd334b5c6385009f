"""Registered tactics sent to worker processes.

A tactic registered in a notebook (``negotiation.register_tactic``) exists
in that process only; worker processes (``forkserver``, ``spawn``, Dask)
start without it, and a class defined in a notebook cannot be imported by
name there. Each batch's payload carries the registered tactics its
variants name, pickled by value with cloudpickle (Dask's serialiser, a
dependency of ``dask[distributed]``), and the worker registers them before
it runs the batch.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .designs import Variant


def ship_tactics(variants: Mapping[int, Variant]) -> bytes:
    """The registered (not built-in) tactics ``variants`` name, pickled by
    value with cloudpickle (Dask's serialiser), so a worker process gets the
    class a notebook defined and registered; empty when there are none."""
    from ..domain.registry import REGISTERED
    from ..domain.tactics import TACTICS

    names = {p.strategy.name for v in variants.values() for p in v.scenario.parties if p.strategy is not None}
    used = {n: REGISTERED[n] for n in sorted(names) if n not in TACTICS and n in REGISTERED}
    if not used:
        return b""
    import os
    import sys

    import cloudpickle

    # a class of an importable module is pickled by value too (the worker may not have the module: a test
    # file, a script's helper); one of no module (a notebook's __main__, exec'd code) is by value anyway
    modules = {m for c in used.values() if c.__module__ != "__main__" and (m := sys.modules.get(c.__module__))}
    for module in modules:
        cloudpickle.register_pickle_by_value(module)
    try:
        return cloudpickle.dumps((os.getpid(), used))
    finally:
        for module in modules:
            cloudpickle.unregister_pickle_by_value(module)


def receive_tactics(data: bytes) -> None:
    """Register in this (worker) process the tactics :func:`ship_tactics` sent
    (the sending process, running a batch itself, keeps its own classes)."""
    import os
    import pickle

    from ..domain.registry import register_tactic

    sender, used = pickle.loads(data)
    if sender == os.getpid():
        return
    for cls in used.values():
        register_tactic(cls)
