"""The experiments of the Python front door: ``montecarlo``, ``sweep`` and
``whatif``, as the CLI's commands of the same names run them."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..inputs import DEFAULT_SCENARIO
from ..domain.scenario import Scenario
from . import checks

DEFAULT_NOISE = 0.1  # experiments/designs.py's, kept here so `import negotiation.api` needs no numpy

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

PathLike = str | Path
Sets = str | Sequence[str] | Mapping[str, Any]


# -- experiments ----------------------------------------------------------------------

def scenario_of(scenario: Scenario | PathLike) -> Scenario:
    """A Scenario as given, or the scenario file read (experiments run on it in memory)."""
    if isinstance(scenario, Scenario):
        return scenario
    from ..service.scenarios import load

    return load(Path(scenario))


def _where(executor: str | None, workers: int | None, out: PathLike | None, progress: bool) -> Any:
    """Check what typer would have checked of where runs execute; the folder
    is temporary unless ``out`` names one to keep."""
    from rich.console import Console

    from ..service.execution import Where

    executor = checks.default_executor(executor)
    workers = checks.optional_whole(workers, "workers")
    checks.flag(progress, "progress")
    console = Console() if progress else Console(file=io.StringIO())
    return Where(console, executor, workers, None, None, Path(out) if out is not None else None)


def _warn(text: str) -> None:
    """A warning of the service, a setting written as in Python (`` `noise` 0`` as ``noise=0``), shown at
    the caller's line."""
    import re
    import warnings

    warnings.warn(re.sub(r"`(\w+)` ", r"\1=", text), UserWarning, skip_file_prefixes=(PACKAGE,))


PACKAGE = str(Path(__file__).resolve().parents[1]) + "/"  # warnings point past the package's own frames


def _frame(result: Any) -> pd.DataFrame:
    """results.csv's rows and columns as a DataFrame (dates as datetime64),
    ``df.attrs["summary"]`` the summary.json content, ``df.attrs["folder"]``
    the folder when one is kept."""
    import pandas as pd

    from ..experiments.designs import columns

    rows = result.rows
    frame = pd.DataFrame(rows, columns=columns(rows) if rows else ["run", "seed"])
    frame.attrs["summary"] = json.loads(json.dumps(result.summary, default=str))
    if result.folder is not None:
        frame.attrs["folder"] = str(result.folder)
    for column in DATES:  # ISO dates in results.csv; datetime64 here (NaT: none)
        if column in frame:
            frame[column] = pd.to_datetime(frame[column])
    return frame


DATES = ("end_date", "agreement_date", "tentative_date")


def montecarlo(scenario: Scenario | PathLike = DEFAULT_SCENARIO, runs: int = 1000,
               noise: float = DEFAULT_NOISE, seed: int | None = None, sets: Sets = (), executor: str | None = None,
               workers: int | None = None, out: PathLike | None = None, progress: bool = False) -> pd.DataFrame:
    """``negotiation montecarlo``: ``runs`` seeds, each with lognormal noise σ =
    ``noise`` on every party's preferences; one row per run, as results.csv.

    ``executor``: ``"processes"`` (local worker processes), ``"inprocess"`` or
    ``"dask"``; unset, worker processes, unless they would re-run the calling
    script (a call outside ``if __name__ == "__main__":``, or a script read
    from standard input): then this process (see :mod:`negotiation.api.checks`)."""
    from ..service import execution

    runs, noise, seed = checks.whole(runs, "runs"), checks.number(noise, "noise"), checks.seed(seed)
    where = _where(executor, workers, out, progress)
    return _frame(execution.montecarlo(scenario_of(scenario), runs, noise, seed, checks.values(sets), where, _warn))


def sweep(scenario: Scenario | PathLike, grid: str | Mapping[str, Sequence[Any]] | Sequence[str], seeds: int = 1,
          seed: int | None = None, sets: Sets = (), executor: str | None = None,
          workers: int | None = None, out: PathLike | None = None, progress: bool = False) -> pd.DataFrame:
    """``negotiation sweep``: every combination of ``grid`` (``{"path": [v1, v2]}``,
    ``"path=v1,v2"`` or a list of those) × ``seeds`` shared seeds; one row per
    run. ``executor`` as for :func:`montecarlo`."""
    from ..service import execution

    seeds, seed = checks.whole(seeds, "seeds"), checks.seed(seed)
    where = _where(executor, workers, out, progress)
    return _frame(execution.sweep(scenario_of(scenario), _grid(grid), seeds, seed, checks.values(sets), where,
                                  warn=_warn))


def _grid(grid: Any) -> dict[str, list[Any]]:
    """``grid`` as the service takes it, path → values: a mapping (a value
    list, or its ``v1,v2`` text), or ``"path=v1,v2"`` strings."""
    from ..errors import InputError
    from ..experiments.designs import parse_grid
    from ..service.experiments import grid_of

    if isinstance(grid, str):
        return grid_of([grid])
    if isinstance(grid, Mapping):
        out = {}
        for path, values in grid.items():
            if isinstance(values, str):
                values = parse_grid(f"{path}={values}")[1]
            elif not isinstance(values, Sequence):
                raise InputError("grid", str(path), f"a list of values expected, got {type(values).__name__}")
            out[str(path)] = list(values)
        return out
    if not isinstance(grid, Sequence) or not all(isinstance(g, str) for g in grid):
        raise InputError("grid", repr(grid), '{path: [v1, v2]}, "path=v1,v2" or a list of them expected')
    return grid_of(list(grid))


def whatif(scenario: Scenario | PathLike, counterfactual: PathLike | Mapping[str, Any] | None = None,
           runs: int = 100, noise: float = DEFAULT_NOISE, seed: int | None = None, sets: Sets = (),
           executor: str | None = None, workers: int | None = None, out: PathLike | None = None,
           progress: bool = False) -> pd.DataFrame:
    """``negotiation whatif``: the scenario (``variant == "baseline"``) and the
    counterfactual (an overlay, a YAML file or a mapping as
    :func:`load_scenario` takes it, and/or ``sets``: ``"counterfactual"``) on
    the same seeds, each with preference noise σ = ``noise`` (0.1, as
    :func:`montecarlo`; with 0 the runs of an arm may all be the same run, and
    a warning says so). ``executor`` as for :func:`montecarlo`."""
    from ..service import execution
    from ..service.scenarios import read_overlay

    runs, noise, seed = checks.whole(runs, "runs"), checks.number(noise, "noise"), checks.seed(seed)
    where = _where(executor, workers, out, progress)
    named = None
    if counterfactual is not None and not isinstance(counterfactual, Mapping):
        named, counterfactual = str(counterfactual), read_overlay(counterfactual)
    return _frame(execution.whatif(scenario_of(scenario), counterfactual, runs, noise, seed, checks.values(sets),
                                   named, where, _warn))
