"""The experiments of the Python front door: ``montecarlo``, ``sweep`` and
``whatif``, as the CLI's commands of the same names run them."""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..inputs import scenario as scenarios
from ..inputs.scenario import Scenario

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

PathLike = str | Path


# -- experiments ----------------------------------------------------------------------

@contextmanager
def _as_file(scenario: Scenario | PathLike) -> Iterator[Path]:
    """Experiments reload the scenario with their own overrides, so they take
    a file: a loaded Scenario is written to a temporary one (its resolved
    mapping rebuilds it exactly, facts and truth paths already absolute)."""
    if not isinstance(scenario, Scenario):
        yield Path(scenario)
        return
    with tempfile.TemporaryDirectory(prefix="negotiation-") as tmp:
        path = Path(tmp) / f"{scenario.name}.yaml"
        path.write_text(scenario.to_yaml(), encoding="utf-8")
        yield path


def _execute(exp: Any, executor: str, workers: int | None, out: PathLike | None, progress: bool) -> pd.DataFrame:
    """Run an experiment like the CLI does; the DataFrame holds results.csv's
    rows and columns, ``df.attrs["summary"]`` the summary.json content, and
    with ``out`` the folder is kept (results.csv, summary.json, PNGs)."""
    import pandas as pd
    from rich.console import Console

    from ..experiments.execute import execute
    from ..experiments.executors import ExecutorSpec
    from ..experiments.summary import summarise, write

    console = Console() if progress else Console(file=io.StringIO())
    spec = ExecutorSpec(executor, workers, None)
    with tempfile.TemporaryDirectory(prefix="negotiation-") as tmp:
        folder = Path(out) if out is not None else Path(tmp) / "experiment"
        done = execute(exp, spec, console, Path(tmp), folder)
        summary, figures = summarise(done, draw=out is not None)
        if out is not None:
            write(done, summary, figures)
        header = _result_columns(done.rows)
        frame = pd.DataFrame(done.rows, columns=header)
    frame.attrs["summary"] = json.loads(json.dumps(summary, default=str))
    if out is not None:
        frame.attrs["folder"] = str(folder)
    return frame


def _result_columns(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    from ..experiments.designs import columns

    return columns(rows) if rows else ["run", "seed"]


def montecarlo(scenario: Scenario | PathLike = scenarios.DEFAULT_SCENARIO, runs: int = 1000, noise: float = 0.1,
               seed: int | None = None, sets: Sequence[str] = (), executor: str = "processes",
               workers: int | None = None, out: PathLike | None = None, progress: bool = False) -> pd.DataFrame:
    """``negotiation montecarlo``: ``runs`` seeds, each with lognormal noise σ =
    ``noise`` on every party's preferences; one row per run, as results.csv."""
    from ..experiments import designs

    with _as_file(scenario) as path:
        exp = designs.montecarlo(path, runs, noise, seed, list(sets))
        return _execute(exp, executor, workers, out, progress)


def sweep(scenario: Scenario | PathLike, grid: Mapping[str, Sequence[Any]] | Sequence[str], seeds: int = 1,
          seed: int | None = None, sets: Sequence[str] = (), executor: str = "processes",
          workers: int | None = None, out: PathLike | None = None, progress: bool = False) -> pd.DataFrame:
    """``negotiation sweep``: every combination of ``grid`` (``{"path": [v1, v2]}``
    or ``["path=v1,v2"]``) × ``seeds`` shared seeds; one row per run."""
    from ..experiments import designs
    from ..inputs.config import canonical_json

    if isinstance(grid, Mapping):
        grid = [f"{path}=" + ",".join(canonical_json(v) for v in values) for path, values in grid.items()]
    with _as_file(scenario) as path:
        exp = designs.sweep(path, list(grid), seeds, seed, list(sets))
        return _execute(exp, executor, workers, out, progress)


def whatif(scenario: Scenario | PathLike, counterfactual: PathLike | None = None, runs: int = 100,
           noise: float = 0.0, seed: int | None = None, sets: Sequence[str] = (), executor: str = "processes",
           workers: int | None = None, out: PathLike | None = None, progress: bool = False) -> pd.DataFrame:
    """``negotiation whatif``: the scenario (``variant == "baseline"``) and the
    counterfactual overlay and/or ``sets`` (``"counterfactual"``) on the same seeds."""
    from ..experiments import designs

    with _as_file(scenario) as path:
        exp = designs.whatif(path, Path(counterfactual) if counterfactual is not None else None, runs, seed,
                             list(sets), noise)
        return _execute(exp, executor, workers, out, progress)
