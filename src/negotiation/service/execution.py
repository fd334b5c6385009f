"""Experiments run for the front doors: where the runs execute, the folder
they fill, the summary that completes it, and what comes back.

One way for the CLI's commands and the API's functions alike: the design
(:mod:`.experiments`) is run by :func:`run` (Monte Carlo, sweep, what-if,
tournament), :func:`backtest` (one case or a library: the service decides)
or :func:`calibrate`; each checks what it is given before any run, executes
on the executor the caller chose, writes the folder (``experiments/
execute.finish``) and returns a :class:`Result`. The caller prints it (the
CLI) or turns it into objects (the API). A warning is handed to ``warn`` in
domain terms (`` `noise` 0``); each door words it for its user.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from ..domain.scenario import Scenario
    from ..experiments.execute import Finished
    from ..experiments.executors import ExecutorSpec

Warn = Callable[[str], None]


@dataclass(frozen=True)
class Where:
    """Where an experiment runs and what it leaves: the executor (``processes``,
    ``inprocess`` or ``dask``; a ``scheduler`` address implies Dask), the
    console its progress bar draws on, the runs folder its folder goes in
    (None: a temporary one, removed after, unless ``out`` is given) or
    ``out``, the folder itself; ``keep_logs`` keeps every run's log."""

    console: Console
    executor: str = "processes"
    workers: int | None = None
    scheduler: str | None = None
    runs_dir: Path | None = Path("runs")
    out: Path | None = None
    keep_logs: bool = False

    @property
    def spec(self) -> ExecutorSpec:
        from ..experiments.executors import ExecutorSpec

        kind = "dask" if self.scheduler and self.executor == "processes" else self.executor
        return ExecutorSpec(kind, self.workers, self.scheduler)

    @property
    def kept(self) -> bool:
        """Is the folder kept (and its PNGs drawn)?"""
        return self.runs_dir is not None or self.out is not None


@dataclass(frozen=True, eq=False)
class Result:
    """What an experiment left: the design, what ran (``done``: rows, timing,
    whether it was interrupted), its summary (``summary.json``; for a
    backtest, ``backtest.json``) and, for a backtest of one case, the scores
    beside it; ``folder`` is None when the folder was temporary."""

    experiment: Any
    done: Finished
    summary: dict[str, Any]
    extras: dict[str, Any] | None = None
    library: bool = False
    kept: bool = True

    @property
    def folder(self) -> Path | None:
        return self.done.folder if self.kept else None

    @property
    def rows(self) -> list[dict[str, Any]]:
        return self.done.rows

    @property
    def interrupted(self) -> bool:
        return self.done.interrupted


@contextlib.contextmanager
def _folders(where: Where) -> Iterator[tuple[Path, Path | None]]:
    """The runs folder and ``out`` to execute with: as given, or a temporary
    runs folder (and the experiment's folder in it when none is kept)."""
    if where.runs_dir is not None:
        yield where.runs_dir, where.out
        return
    with tempfile.TemporaryDirectory(prefix="negotiation-") as tmp:
        yield Path(tmp), where.out if where.out is not None else Path(tmp) / "experiment"


def _check_out(where: Where) -> None:
    from ..runs.folder import check_out_dir

    if where.out is not None:
        check_out_dir(where.out)


def run(exp: Any, where: Where, metric: str | None = None, warn: Warn | None = None) -> Result:
    """Execute a Monte Carlo, sweep, what-if or tournament design and complete
    its folder (``summary.json``, PNGs with ``metric`` on them); Ctrl-C keeps
    the finished runs (``Result.interrupted``)."""
    from ..experiments.designs import same_runs_warning
    from ..experiments.execute import execute, finish
    from ..experiments.summary import check_metric, summarise, write

    if metric is not None:
        check_metric(metric, exp.scenario)
    _check_out(where)
    if warn is not None and (warning := same_runs_warning(exp)):
        warn(warning)
    with _folders(where) as (runs_dir, out):
        done = execute(exp, where.spec, where.console, runs_dir, out, where.keep_logs)

        def summary_and_figures() -> dict[str, Any]:  # the folder finished (its marker gone), kept or not
            summary, figures = summarise(done, metric, draw=where.kept)
            if where.kept:
                write(done, summary, figures)
            return summary

        summary = finish(done, summary_and_figures)
    return Result(exp, done, summary, kept=where.kept)


def montecarlo(scenario: Scenario, runs: int, noise: float, seed: int | None, sets: Mapping[str, Any],
               where: Where, warn: Warn | None = None) -> Result:
    """``runs`` seeds with lognormal noise σ = ``noise`` on every party's preferences."""
    from . import experiments

    return run(experiments.montecarlo(scenario, runs, noise, seed, sets), where, warn=warn)


def sweep(scenario: Scenario, grid: Mapping[str, Sequence[Any]], seeds: int, seed: int | None,
          sets: Mapping[str, Any], where: Where, metric: str | None = None, warn: Warn | None = None) -> Result:
    """Every combination of ``grid`` × ``seeds`` shared seeds; the PNG shows ``metric``."""
    from . import experiments

    return run(experiments.sweep(scenario, grid, seeds, seed, sets), where, metric, warn)


def whatif(scenario: Scenario, counterfactual: Mapping[str, Any] | None, runs: int, noise: float,
           seed: int | None, sets: Mapping[str, Any], named: str | None, where: Where,
           warn: Warn | None = None) -> Result:
    """The scenario against its counterfactual (``named``: the overlay's file) on the same seeds."""
    from . import experiments

    return run(experiments.whatif(scenario, counterfactual, runs, noise, seed, sets, named), where, warn=warn)


def tournament(scenario: Scenario, tactics: str | Sequence[str], runs: int, noise: float, seed: int | None,
               sets: Mapping[str, Any], where: Where, warn: Warn | None = None) -> Result:
    """Every combination of ``tactics`` over the bargainers × ``runs`` shared
    seeds; ``out`` is checked before every pairing is."""
    from . import experiments

    _check_out(where)
    return run(experiments.tournament(scenario, tactics, runs, noise, seed, sets), where, warn=warn)


def backtest(cases: Sequence[Path] | Scenario, runs: int, noise: float, seed: int | None,
             sets: Mapping[str, Any], capabilities: Sequence[str], epsilon: float, json_out: Path | None,
             where: Where) -> Result:
    """Score the model's forecast and the baselines against the real deal:
    one case (a scenario, or one file), or a library (several files, or a
    folder of cases), pooled. ``json_out``: also the record there (``-``:
    standard output). Everything is checked before any run."""
    from ..backtest import command as bt
    from .experiments import backtest as one_case
    from .scenarios import load

    library = isinstance(cases, Sequence) and bt.is_library(cases)
    if library:
        exp = bt.prepare_library(cases, runs, noise, seed, sets, capabilities)
    else:
        scenario = load(cases[0]) if isinstance(cases, Sequence) else cases
        exp = one_case(scenario, runs, noise, seed, sets)
    caps = {} if library else bt.parse_capabilities(capabilities, exp.scenario)
    bt.check_epsilon(epsilon)
    bt.check_json(json_out)
    _check_out(where)
    assert where.runs_dir is not None
    if library:
        done, _, record = bt.run_library(exp, where.spec, where.console, where.runs_dir, where.out, epsilon,
                                         json_out)
        return Result(exp, done, record, library=True)
    done, record, extras = bt.run_backtest(exp, where.spec, where.console, where.runs_dir, where.out, epsilon,
                                           caps, json_out)
    return Result(exp, done, record, extras)


def calibrate(library: Sequence[Path], grid: Mapping[str, Sequence[float]], runs: int, epsilon: float,
              seed: int | None, sets: Mapping[str, Any], where: Where) -> Result:
    """Global parameters fitted over a library of cases, each scored leave
    one case out (``backtest/calibrate.py``): calibration.json and
    calibration.png in the folder; ``Result.summary`` is the record."""
    import json

    from ..backtest import calibrate as cal
    from ..backtest.command import check_epsilon
    from ..errors import InputError
    from ..experiments.execute import execute
    from ..runs.folder import complete, write_atomic

    check_epsilon(epsilon)
    paths = cal.case_paths(library)
    if runs < 1:
        raise InputError("runs", str(runs), "a positive whole number expected")
    exp = cal.prepare(paths, grid, runs, seed, sets)
    _check_out(where)
    assert where.runs_dir is not None
    done = execute(exp, where.spec, where.console, where.runs_dir, where.out)
    record = cal.with_structure(exp, cal.calibrate(cal.real_probabilities(exp, done.rows, epsilon), exp.thetas,
                                                   exp.on_grid, exp.cases), epsilon)
    record["interrupted"] = done.interrupted
    write_atomic(done.folder / "calibration.json", json.dumps(record, indent=2) + "\n")
    write_atomic(done.folder / "calibration.png", cal.calibration_png(record))
    complete(done.folder)
    return Result(exp, done, record)


def axes_of(exprs: Sequence[str]) -> dict[str, list[float]]:
    """``NAME=v1,v2,…`` strings as the grid :func:`calibrate` takes."""
    from ..backtest.calibrate import parse_axes

    return parse_axes(exprs)
