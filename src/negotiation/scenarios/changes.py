"""A scenario read or changed by data: values at dotted key paths and
overlays (partial scenarios, ``null`` deleting a key), given as mappings,
never as ``path=value`` text.

``load`` reads a file; ``change`` rebuilds a validated :class:`Scenario` in
memory from its ``resolved`` mapping (files already absolute there), so an
experiment's variants, the app's sliders and the Python API change a
scenario without writing or reading YAML again. Either way the mapping goes
through :func:`build_scenario`, so a changed scenario is checked exactly as
a file is, and the same mapping gives the same scenario (and config hash).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..inputs.config import apply_values, load_yaml, merge_overlay
from ..domain.scenario import Scenario
from .load import build_scenario

NO_VALUES: Mapping[str, Any] = {}


def load(path: str | Path, values: Mapping[str, Any] = NO_VALUES, overlays: Sequence[Mapping[str, Any]] = (),
         seed: int | None = None, source: str | None = None, name: str = "sets") -> Scenario:
    """Read a scenario file, merge ``overlays`` in order, set ``values``
    (dotted path → value; errors name the parameter ``name``) and ``seed``."""
    return _build(load_yaml(path), values, overlays, seed, source or str(path), Path(path).resolve().parent, name)


def change(scenario: Scenario, values: Mapping[str, Any] = NO_VALUES, overlays: Sequence[Mapping[str, Any]] = (),
           seed: int | None = None, source: str | None = None, name: str = "sets") -> Scenario:
    """``scenario`` with ``overlays`` and ``values`` applied (and ``seed``),
    validated; the scenario itself when nothing changes."""
    if not values and not overlays and seed in (None, scenario.seed) and source in (None, scenario.source):
        return scenario
    return _build(scenario.resolved, values, overlays, seed, source or scenario.source, None, name)


def _build(raw: Mapping[str, Any], values: Mapping[str, Any], overlays: Sequence[Mapping[str, Any]],
           seed: int | None, source: str, base_dir: Path | None, name: str) -> Scenario:
    data = dict(raw)
    for overlay in overlays:
        data = merge_overlay(data, overlay)
    data, touched = apply_values(data, values, name)
    if seed is not None:
        data["seed"] = seed
    return build_scenario(data, source, touched, base_dir)
