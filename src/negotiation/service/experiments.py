"""Experiments on a scenario in memory: the designs the CLI's commands and
the API's functions run, built from a :class:`Scenario` and values as data
(no scenario written to a file and read back). ``sets`` change the scenario
(for a what-if, its counterfactual) and are echoed in ``summary.json`` as
``path=value``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..scenarios.changes import NO_VALUES, change

if TYPE_CHECKING:  # pragma: no cover
    from ..experiments.designs import Experiment
    from ..domain.scenario import Scenario

DEFAULT_NOISE = 0.1  # experiments/designs.py's, here so that importing the service needs no numpy


def _echo(sets: Mapping[str, Any]) -> list[str]:
    from ..inputs.config import sets_text

    return sets_text(sets)


def montecarlo(scenario: Scenario, runs: int, noise: float = DEFAULT_NOISE, seed: int | None = None,
               sets: Mapping[str, Any] = NO_VALUES) -> Experiment:
    """``runs`` seeds, each with lognormal noise σ = ``noise`` on every party's preferences."""
    from ..experiments import designs

    return designs.montecarlo(change(scenario, sets), runs, noise, seed, _echo(sets))


def sweep(scenario: Scenario, grid: Mapping[str, Sequence[Any]], seeds: int = 1, seed: int | None = None,
          sets: Mapping[str, Any] = NO_VALUES) -> Experiment:
    """Every combination of ``grid`` (dotted path → values) × ``seeds`` shared seeds."""
    from ..experiments import designs

    return designs.sweep(change(scenario, sets), grid, seeds, seed, _echo(sets))


def whatif(scenario: Scenario, counterfactual: Mapping[str, Any] | None = None, runs: int = 100,
           noise: float = DEFAULT_NOISE, seed: int | None = None, sets: Mapping[str, Any] = NO_VALUES,
           named: str | None = None) -> Experiment:
    """``scenario`` as it is (the baseline) against the counterfactual: the
    overlay ``counterfactual`` merged onto it (``named``: the file it came
    from), then ``sets``; both arms on the same seeds."""
    from ..experiments import designs

    if counterfactual is None and not sets:
        raise InputError("counterfactual", "", "an overlay (a partial scenario), or at least one `sets` value, "
                                               "expected")
    source = f"{scenario.source} + {named or 'overlay'}" if counterfactual is not None else scenario.source
    overlays = (counterfactual,) if counterfactual else ()
    altered = change(scenario, sets, overlays, source=source)
    echo = named if named is not None else (dict(counterfactual) if counterfactual is not None else None)
    return designs.whatif(scenario, altered, runs, seed, _echo(sets), noise, echo)


def tournament(scenario: Scenario, tactics: str | Sequence[str], runs: int = 20, noise: float = DEFAULT_NOISE,
               seed: int | None = None, sets: Mapping[str, Any] = NO_VALUES) -> Experiment:
    """Every combination of ``tactics`` over the scenario's bargainers × ``runs`` shared seeds."""
    from ..experiments.tournament import tournament as design

    if isinstance(tactics, str) and not tactics.strip():
        raise InputError("tactics", "", "at least two tactics expected, comma-separated, e.g. boulware,linear")
    return design(change(scenario, sets), tactics, runs, noise, seed, _echo(sets))


def backtest(scenario: Scenario, runs: int, noise: float = DEFAULT_NOISE, seed: int | None = None,
             sets: Mapping[str, Any] = NO_VALUES) -> Experiment:
    """A Monte Carlo scored against the scenario's real deal (refused before
    any run when it names none)."""
    from ..backtest.command import prepare

    return prepare(change(scenario, sets), runs, noise, seed, _echo(sets))


def grid_of(exprs: Sequence[str]) -> dict[str, list[Any]]:
    """``path=v1,v2,…`` strings as the grid :func:`sweep` takes."""
    from ..experiments.designs import grid_of as parse

    return parse(exprs)
