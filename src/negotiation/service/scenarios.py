"""Scenarios for the front doors: read one, change one, and its real deal.

Values (dotted key path → value) and overlays (partial scenarios) are data:
the CLI parses its ``--set`` strings into a mapping, the API takes one, the
app builds one from its sliders (``scenarios/changes.py`` applies them).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..scenarios.changes import change, load  # noqa: F401 - the service's load and change

if TYPE_CHECKING:  # pragma: no cover
    from ..domain.scenario import Scenario
    from ..inputs.sources import Truth


def read_overlay(path: str | Path) -> dict[str, Any]:
    """A partial scenario file (a what-if's counterfactual) as a mapping."""
    from ..inputs.config import load_yaml

    return load_yaml(Path(path))


def values_of(sets: Sequence[str]) -> dict[str, Any]:
    """``path=value`` strings (as typed after ``--set``) as the mapping the
    service takes, each value read as a YAML scalar or flow list; a later
    string for the same path wins, as applying them in order does."""
    from ..inputs.config import parse_set

    values: dict[str, Any] = {}
    for expr in sets:
        parts, value = parse_set(expr)
        values[".".join(parts)] = value
    return values


def truth(scenario: Scenario) -> Truth | None:
    """The real deal the scenario names (``truth:``), None if it names none:
    the one way the front doors reach it. Never handed to the model."""
    from ..scenarios.load import scenario_truth

    return scenario_truth(scenario)

