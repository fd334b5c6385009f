"""``negotiation backtest``: run the Monte Carlo, score every predictor,
write the folder (results.csv, timing.json, backtest.json, scores.json,
backtest.png) and the optional ``--json`` file; over a library, every
case's runs at once, then the pooled scores (backtest.json, forest.png,
reliability.png)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from rich.console import Console

from ..errors import InputError
from ..experiments import designs
from ..experiments.execute import Finished, execute, finish
from ..experiments.executors import ExecutorSpec
from ..experiments.sensitivity import prior_effects, tornado_png
from ..domain.scenario import Scenario
from ..runs import output
from ..runs.folder import write_atomic
from . import forecast as fc
from .evaluate import assess, forecasts, truth_indices
from .library import LibraryExperiment


_ONE_CASE = output.json_with({"as_of", "truth", "runs", "predictors", "dates", "holdout"})
_LIBRARY = output.json_with({"pooled"})


def BACKTEST_JSON(data: bytes) -> bool:  # noqa: N802 - a recogniser, named as the others' constants
    """A backtest JSON of one case or of a library."""
    return _ONE_CASE(data) or _LIBRARY(data)


WHAT_JSON = "a JSON of negotiation backtest"
MAX_CAPABILITY = 1e6  # capabilities are relative: a million to one already gives one party every clause


def parse_capabilities(items: Sequence[str], scenario: Scenario) -> dict[str, float]:
    """``PARTY=X`` pairs: a bargainer's capability in the compromise model."""
    names = [p.name for p in scenario.bargainers]
    out: dict[str, float] = {}
    for item in items:
        party, _, raw = item.partition("=")
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if party not in names or not 0 < value <= MAX_CAPABILITY:  # inf, nan and 1e308 would overflow the weights
            raise InputError("capabilities", item, f"PARTY=X with a bargainer ({', '.join(names)}) and "
                                                   f"0 < X <= {MAX_CAPABILITY:g} expected")
        out[party] = value
    return out


def check_epsilon(epsilon: float) -> float:
    if not 0.0 < epsilon < 1.0:
        raise InputError("epsilon", str(epsilon), "a number strictly between 0 and 1 expected (e.g. 0.05)")
    return epsilon


def prepare(scenario: Scenario, runs: int, noise: float, seed: int | None, sets: Sequence[str]) -> designs.Experiment:
    """A Monte Carlo of ``scenario`` (``sets``: the values that changed it, echoed), to be scored."""
    exp = designs.montecarlo(scenario, runs, noise, seed, sets)
    truth_indices(exp.scenario)  # no truth: refuse before any run
    return replace(exp, kind="backtest")


def run_backtest(exp: designs.Experiment, spec: ExecutorSpec, console: Console, runs_dir: Path, out: Path | None,
                 epsilon: float, capabilities: dict[str, float], json_out: Path | None,
                 png: bool = True) -> tuple[Finished, dict[str, Any], dict[str, Any]]:
    done = execute(exp, spec, console, runs_dir, out)
    scenario = exp.scenario
    runs = fc.from_rows(done.rows, scenario)

    def scores() -> tuple[dict[str, Any], dict[str, Any]]:
        assessed = assess(scenario, runs, forecasts(scenario, runs, capabilities), epsilon=epsilon,
                          capabilities=capabilities)
        record, extras = assessed.record, assessed.extras
        extras = {**extras, "noise": exp.noise, "seed": exp.seed, "interrupted": done.interrupted}
        effects = prior_effects(done.rows, scenario)
        if effects is not None:  # which priors drive the spread (experiments/sensitivity.py)
            extras["priors"] = effects
            if png:
                write_atomic(done.folder / "priors.png", tornado_png(effects, f"{scenario.name}: backtest"))
        write_atomic(done.folder / "backtest.json", json.dumps(record, indent=2, default=str) + "\n")
        write_atomic(done.folder / "scores.json", json.dumps(extras, indent=2, default=str) + "\n")
        if png and done.rows:
            from .plots import backtest_png

            image = backtest_png(scenario, record, {name: s.forecast for name, s in assessed.scored.items()})
            write_atomic(done.folder / "backtest.png", image)
        return record, extras

    record, extras = finish(done, scores)
    if json_out is not None:  # checked before the runs (check_json): only a race can refuse it now
        output.write(json_out, json.dumps(record, indent=2, default=str) + "\n", "json_out", BACKTEST_JSON, WHAT_JSON)
    return done, record, extras


def check_json(json_out: Path | None) -> None:
    """Refuse a ``--json`` path before any run (runs.output's rule)."""
    output.check(json_out, "json_out", BACKTEST_JSON, WHAT_JSON)


def is_library(paths: Sequence[Path]) -> bool:
    return len(paths) > 1 or (len(paths) == 1 and paths[0].is_dir())


def prepare_library(paths: Sequence[Path], runs: int, noise: float, seed: int | None,
                    sets: Mapping[str, Any], capabilities: Sequence[str]) -> LibraryExperiment:
    from .library import case_paths, prepare_library as prepare_cases

    if capabilities:
        raise InputError("capabilities", capabilities[0], "one scenario expected (capabilities name its parties)")
    cases = case_paths(paths)
    if len(cases) < 2:
        raise InputError(paths[0], "cases", "at least two cases expected in a library")
    label = paths[0].resolve().name if len(paths) == 1 else "library"
    return prepare_cases(cases, runs, noise, seed, sets, label)


def run_library(exp: LibraryExperiment, spec: ExecutorSpec, console: Console, runs_dir: Path, out: Path | None,
                epsilon: float, json_out: Path | None, png: bool = True) -> tuple[Finished, Any, dict[str, Any]]:
    """Every case's runs on one executor, then forecasts, the leave-one-case-out
    ones, scores and the pool; backtest.json (= ``--json``), forest.png and
    reliability.png in the folder."""
    from .library import backtest_library, calibration, library_record

    done = execute(exp, spec, console, runs_dir, out)

    def scores() -> tuple[Any, dict[str, Any]]:
        lib = backtest_library(exp, done.rows, epsilon)
        record = library_record(lib, epsilon)
        record["pooled"].update(noise=exp.noise, seed=exp.settings["seed"], interrupted=done.interrupted)
        write_atomic(done.folder / "backtest.json", json.dumps(record, indent=2, default=str) + "\n")
        if png and done.rows:
            from .plots import forest_png, reliability_png

            write_atomic(done.folder / "forest.png", forest_png(record["pooled"], exp.label))
            shown = ("model", record["pooled"]["best_baseline"], "ensemble")
            points = {name: calibration(lib, name, epsilon) for name in dict.fromkeys(shown)}
            write_atomic(done.folder / "reliability.png", reliability_png(points, exp.label))
        return lib, record

    lib, record = finish(done, scores)
    if json_out is not None:
        output.write(json_out, json.dumps(record, indent=2, default=str) + "\n", "json_out", BACKTEST_JSON, WHAT_JSON)
    return done, lib, record
