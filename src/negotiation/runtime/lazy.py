"""Mesa without the parts of Mesa this simulator never touches, and numpy
only once it is used.

``import mesa`` runs Mesa's package ``__init__``, which imports every
submodule: the discrete and continuous spaces (SciPy's k-d trees, NetworkX),
the batch runner and the data collectors (pandas). The model only needs
``mesa.Model`` and ``mesa.Agent``, yet those imports cost about 80 % of a
whole ``negotiation run`` process. :func:`import_mesa` imports Mesa with the
modules in :data:`MESA_UNUSED` *deferred*: each is bound to a stand-in module
that imports the real one the first time an attribute it lacks is read, so
code that does use them (``mesa.discrete_space.OrthogonalMooreGrid``,
``pandas.DataFrame``) still works, only later.

Why not :class:`importlib.util.LazyLoader` (the standard library's recipe,
"Implementing lazy imports" in the importlib documentation): its modules
load on *any* attribute access, and a second ``import pandas`` statement
reads ``__spec__``, so Mesa's own repeated ``import pandas as pd`` would load
pandas at once. The stand-in here keeps ``__spec__``, ``__name__`` and
``__file__`` in its own namespace and loads only on a missing attribute
(including ``__path__``, so importing a submodule loads the package first).
A module already imported is never replaced.

Only the command's own processes defer: :func:`defer_mesa_extras` is called
by the ``negotiation`` entry point (``cli.main``) and by the pool workers it
starts. A program that imports the package (a notebook, a script using the
Python API) gets Mesa imported as Mesa imports itself, and its ``import
pandas`` the real pandas: nothing of this module touches another program's
import system.

numpy is needed to simulate and analyse, not to read a scenario, yet the
domain modules that read one (``domain/outcomes.py``, ``preferences.py``,
``tactics.py``, ``clausewise.py``) are also the ones that compute with it.
They write ``from ..runtime.lazy import numpy as np``: numpy itself if it
is imported already, else a :class:`FirstUse` stand-in that imports it when
one of its attributes is first read. ``negotiation validate`` then never
imports numpy, about a seventh of its CPU time.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import threading
from collections.abc import Iterable
from types import ModuleType
from typing import Any

# Mesa's and its dependencies' modules that Model and Agent do not use at import or run time.
MESA_UNUSED = ("pandas", "scipy", "networkx", "mesa.discrete_space", "mesa.space", "mesa.datacollection",
               "mesa.experimental.continuous_space")

_lock = threading.RLock()
_loading: set[str] = set()
_deferring = False  # set by the command's entry point only: see defer_mesa_extras


def defer_mesa_extras(on: bool = True) -> None:
    """Let :func:`import_mesa` defer :data:`MESA_UNUSED` in this process (the
    ``negotiation`` command and its workers; never on ``import negotiation``)."""
    global _deferring
    _deferring = on


def deferring() -> bool:
    """Whether this process defers Mesa's unused parts (handed on to pool workers)."""
    return _deferring


class Deferred(ModuleType):
    """Stands for a module until something reads an attribute it lacks."""

    def __getattr__(self, attr: str) -> Any:
        if not self.__dict__.get("_deferred_ready"):  # the import system is still filling it in
            raise AttributeError(attr)
        return getattr(realise(self), attr)


def realise(stand_in: Deferred) -> ModuleType:
    """Import the real module behind ``stand_in`` (once) and return it."""
    with _lock:
        real = stand_in.__dict__.get("_deferred_real")
        if real is None:
            name = stand_in.__name__
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]
            _loading.add(name)
            try:
                real = importlib.import_module(name)
            finally:
                _loading.discard(name)
            stand_in.__dict__["_deferred_real"] = real
        return real


class _StandInLoader(importlib.abc.Loader):
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return Deferred(spec.name)

    def exec_module(self, module: ModuleType) -> None:
        module.__dict__["_deferred_ready"] = True


class _DeferringFinder(importlib.abc.MetaPathFinder):
    """Answers for the deferred names with a stand-in (located where the real module is)."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset(names)

    def find_spec(self, name: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if name not in self.names or name in _loading:
            return None
        for finder in sys.meta_path:
            real = finder.find_spec(name, path, target) if finder is not self and hasattr(finder, "find_spec") \
                else None
            if real is not None:
                break
        else:
            return None
        spec = importlib.machinery.ModuleSpec(name, _StandInLoader(), origin=real.origin)
        spec.has_location = real.has_location  # sets __file__, which inspect.getmodule reads on every module
        return spec


def import_deferring(module: str, deferred: Iterable[str]) -> ModuleType:
    """Import ``module`` with the (not yet imported) modules ``deferred`` bound to stand-ins."""
    with _lock:
        if module in sys.modules:
            return sys.modules[module]
        finder = _DeferringFinder(name for name in deferred if name not in sys.modules)
        sys.meta_path.insert(0, finder)
        try:
            return importlib.import_module(module)
        finally:
            sys.meta_path.remove(finder)


def import_mesa() -> ModuleType:
    """``mesa``, its unused parts deferred in the command's own processes
    (see the module docstring); elsewhere plain ``import mesa``."""
    if not _deferring:
        return importlib.import_module("mesa")
    return import_deferring("mesa", MESA_UNUSED)


class FirstUse(ModuleType):
    """A module imported when one of its attributes is first read.

    Never registered in ``sys.modules`` (other code importing the module
    gets the real one): only the modules that asked for it hold it. Once
    the real module is imported, its attributes are copied here and the
    stand-in becomes a plain module, so reading ``np.add`` afterwards costs
    what it costs on numpy itself, in the hot paths too; what numpy adds
    later (a lazily loaded submodule) is found through numpy's own module
    ``__getattr__``, copied with the rest.
    """

    def __getattr__(self, attr: str) -> Any:
        with _lock:
            real = importlib.import_module(self.__name__)
            self.__dict__.update(real.__dict__)
            self.__class__ = ModuleType  # type: ignore[assignment]
        return getattr(real, attr)


_first_use: dict[str, ModuleType] = {}


def on_first_use(name: str) -> ModuleType:
    """``name`` itself if it is imported already, else its :class:`FirstUse` stand-in."""
    with _lock:
        return sys.modules.get(name) or _first_use.setdefault(name, FirstUse(name))


def __getattr__(name: str) -> Any:
    """``from negotiation.runtime.lazy import mesa``: Mesa, imported on first use (PEP 562);
    ``from negotiation.runtime.lazy import numpy as np``: numpy, imported when ``np`` is first used."""
    if name == "mesa":
        return import_mesa()
    if name == "numpy":
        return on_first_use("numpy")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
