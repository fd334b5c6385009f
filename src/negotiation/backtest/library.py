"""``negotiation backtest`` over a library of cases.

A library is several scenario files, or a folder: its ``library.yaml``
(``cases:``, a list of scenario paths relative to it), else
every ``*/scenario.yaml`` under it, in name order. Every case is played as
the one-case backtest plays it (the same seeds: the case's own, or
``--seed`` for all; the same noise), but all cases' runs go to the executor
as one experiment, so cases run in parallel under one progress bar and one
``results.csv`` (with a ``case`` column).

Then, per case, the forecasts of the one-case backtest, plus what only a
library can give, both leave one case out (fit on the other cases, scored
on this one): the reference-class date (``baselines.reference_class``) and
the stacked ensemble (``stacking.py``). Scoring and pooling follow
(``pooling.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from ..experiments import designs
from ..inputs.config import config_hash, load_yaml
from ..domain.scenario import Scenario
from ..scenarios.load import scenario_truth
from . import baselines as bl
from . import forecast as fc
from . import stacking
from .evaluate import Assessment, assess, forecasts, target, truth_indices
from .scoring import EPSILON, mid_pit, smooth

STACKED = ("model", *bl.BASELINES)  # the ensemble's members


def case_paths(args: Sequence[Path]) -> list[Path]:
    """The scenario files of a library (module docstring)."""
    if len(args) == 1 and args[0].is_dir():
        folder = args[0]
        listing = folder / "library.yaml"
        if listing.is_file():
            entries = load_yaml(listing).get("cases")
            entries = [e.get("scenario") if isinstance(e, dict) else e for e in entries] \
                if isinstance(entries, list) else None
            if not entries or not all(isinstance(e, str) for e in entries):
                raise InputError(listing, "cases", "a list of scenario paths (relative to the file, or as "
                                                   "{scenario: PATH}) expected")
            paths = [(folder / e).resolve() for e in entries]
        else:
            paths = sorted(p for p in folder.glob("*/scenario.yaml"))
        if not paths:
            raise InputError(folder, "", "a library.yaml or folders holding a scenario.yaml expected")
    else:
        paths = list(args)
    for path in paths:
        if not path.is_file():
            raise InputError(path, "", "a scenario YAML file expected")
    if len({p.resolve() for p in paths}) != len(paths):
        raise InputError(paths[0].parent, "cases", "each scenario once expected")
    return paths


def case_name(path: Path) -> str:
    """A case's name: its folder's for ``<case>/scenario.yaml``, else the file's stem."""
    return path.parent.name if path.name == "scenario.yaml" else path.stem


@dataclass(frozen=True)
class LibraryExperiment(designs.Experiment):
    """Every case's runs as one experiment (variant k is case k)."""

    label: str = "library"

    @property
    def name(self) -> str:
        design = {"variants": [v.scenario.resolved for v in self.variants], "noise": self.noise,
                  "settings": dict(self.settings)}
        return f"{designs.safe(self.label)}-backtest-{config_hash(design)}"


def prepare_library(paths: Sequence[Path], runs: int, noise: float, seed: int | None,
                    sets: Mapping[str, Any] | None = None, label: str = "library") -> LibraryExperiment:
    """Every case validated (and its truth read) before any run starts; ``sets``
    (dotted path → value) change every case."""
    from ..scenarios.changes import load
    from ..inputs.config import sets_text

    sets = sets or {}
    names = [case_name(p) for p in paths]
    if len(set(names)) != len(names):
        raise InputError(paths[0], "cases", f"distinct case names expected (two are {names[0]!r})"
                         if names.count(names[0]) > 1 else "distinct case names expected")
    variants, scenarios, tasks = [], [], []
    for k, (path, name) in enumerate(zip(paths, names)):
        one = designs.montecarlo(load(path, sets), runs, noise, seed, sets_text(sets))
        truth_indices(one.scenario)
        variants.append(designs.Variant(name, (), one.variants[0].scenario))
        scenarios.append(one.scenario)
        tasks += [replace(t, run=k * runs + t.run, variant=k) for t in one.tasks]
    settings = {"runs": runs, "noise": noise, "seed": seed, "sets": sets_text(sets), "cases": names}
    return LibraryExperiment("library", scenarios[0], tuple(variants), tuple(tasks),
                             seed if seed is not None else scenarios[0].seed, noise, settings, tuple(scenarios),
                             label)


@dataclass(frozen=True)
class Library:
    """A library backtested: per case its name, scenario and assessment,
    and the stacking fits."""

    names: tuple[str, ...]
    scenarios: tuple[Scenario, ...]
    cases: tuple[Assessment, ...]
    weights: np.ndarray | None  # fit on every case, over STACKED
    loco_weights: tuple[np.ndarray | None, ...]  # per case, fit on the others
    model_weight_interval: tuple[float, float] | None


def real_probabilities(made: Mapping[str, fc.Forecast], truth: Mapping[str, int], epsilon: float) -> np.ndarray:
    """clauses × STACKED: the smoothed probability of the real option."""
    return np.array([[smooth(made[name].clauses[c], epsilon)[real] for name in STACKED]
                     for c, real in truth.items()]).reshape(len(truth), len(STACKED))


def backtest_library(exp: LibraryExperiment, rows: Sequence[Mapping[str, Any]],
                     epsilon: float = EPSILON) -> Library:
    """Forecasts per case, then the leave-one-case-out ones, then scores."""
    scenarios = exp.scenarios
    names = tuple(v.label for v in exp.variants)
    by_case: list[list[Mapping[str, Any]]] = [[] for _ in scenarios]
    for row in rows:
        by_case[names.index(row["case"])].append(row)
    runs = [fc.from_rows(r, s) for r, s in zip(by_case, scenarios)]
    made = [forecasts(s, r) for s, r in zip(scenarios, runs)]
    truths = [scenario_truth(s) for s in scenarios]
    q = [real_probabilities(m, target(s).options, epsilon) for m, s in zip(made, scenarios)]
    loco = stacking.leave_one_case_out(q)
    for k, s in enumerate(scenarios):
        others = [(o, t) for j, (o, t) in enumerate(zip(scenarios, truths)) if j != k and t is not None]
        reference = bl.reference_class(s, others)
        if reference is not None:
            made[k]["reference_class"] = reference
        w = loco[k]
        if w is not None:
            clauses = stacking.mixture({n: made[k][n].clauses for n in STACKED}, STACKED, w)
            made[k]["ensemble"] = fc.Forecast("ensemble", clauses, detail={"weights": dict(zip(STACKED, w))})
    cases = tuple(assess(s, r, m, epsilon=epsilon) for s, r, m in zip(scenarios, runs, made))
    nonempty = [x for x in q if len(x)]
    weights = stacking.fit(np.vstack(nonempty)) if len(nonempty) > 1 else None
    interval = stacking.weight_interval(q, STACKED.index("model")) if weights is not None else None
    return Library(names, tuple(scenarios), cases, weights, tuple(loco), interval)


def library_record(lib: Library, epsilon: float) -> dict[str, Any]:
    """The library's ``--json``: ``cases`` (each a one-case record with its
    name and scenario) and ``pooled``."""
    from .pooling import pool

    cases = [{"case": n, "scenario": str(s.source), **a.record} for n, s, a in zip(lib.names, lib.scenarios, lib.cases)]
    pooled = pool(lib.names, [a.scored for a in lib.cases], [a.record for a in lib.cases], epsilon)
    w = lib.weights
    pooled["ensemble"] = {
        "members": list(STACKED), "weights": None if w is None else {n: round(float(x), 6) for n, x in zip(STACKED, w)},
        "model_weight": None if w is None else round(float(w[0]), 6), "interval": lib.model_weight_interval,
        "loco_model_weight": {n: None if x is None else round(float(x[0]), 6) for n, x in zip(lib.names, lib.loco_weights)}}
    return {"cases": cases, "pooled": pooled}


def calibration(lib: Library, name: str, epsilon: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Over every clause of every case, for one predictor: each option's
    smoothed probability and whether it was the real one (a reliability
    diagram's points), and the mid-PIT of each ordered clause, P(below the
    real option) + ½ P(real option) (:func:`scoring.mid_pit`)."""
    probs, hits, pit = [], [], []
    for scenario, case in zip(lib.scenarios, lib.cases):
        scored = case.scored.get(name)
        if scored is None:
            continue
        for clause, real in target(scenario).options.items():
            q = smooth(scored.forecast.clauses[clause], epsilon)
            probs.extend(q)
            hits.extend(np.arange(len(q)) == real)
            if scenario.clause(clause).ordered:
                pit.append(mid_pit(q, real))
    return np.asarray(probs, dtype=float), np.asarray(hits, dtype=float), np.asarray(pit, dtype=float)
