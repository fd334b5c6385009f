"""Calibration across cases: global structural parameters, estimated on a
library by a grid posterior, leave one case out.

Three parameters no single case can pin down are shared by every case:

- ``sigma``: the scale of preference noise (``--noise``, the lognormal
  factor of ``experiments/perturb.py``), how far each coded number is off;
- ``lambda``: the loss aversion λ of every bargainer from the clauses'
  status quo (``domain/preferences.loss_averse``; 1 leaves it off, as a
  case without the key);
- ``e_scale``: a multiplier on every time-dependent tactic's concession
  exponent ``e`` (the codebook's T1 gives it; below 1 every party holds out
  longer, above 1 it concedes sooner), kept inside the tactic's range.

Each point θ of the full factorial ``--grid`` is played on every case
(``--runs`` runs, the case's seeds, the same at every θ: common random
numbers), and the model's predictive distribution of each clause (the
agreed runs' shares, ε-smoothed as in the backtest) gives the probability
p_θ(c) of the real option. The log-likelihood of θ on a set of cases is
Σ log p_θ(c) over their clauses: a simulated composite likelihood (clauses
treated as independent; Varin, Reid & Firth 2011), so the posterior it
gives is sharper than the evidence warrants. The prior is uniform over the
grid; the posterior is the normalised likelihood (a grid approximation, the
deterministic sibling of rejection ABC: Beaumont, Zhang & Balding 2002).

Out of sample: for each case, the posterior from the *other* cases only
weighs its forecasts at each θ into one mixture (Bayesian model averaging
over the grid), which is scored on that case; the uncalibrated model (σ =
0.1, λ off, e as coded) is scored beside it on the same runs. The case is
never part of the fit that scores it.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from ..experiments import designs
from ..inputs.config import config_hash, load_yaml
from ..domain.scenario import Scenario
from ..scenarios.load import build_scenario
from . import forecast as fc
from . import library, pooling
from .evaluate import truth_indices
from .scoring import EPSILON, smooth

AXES = ("sigma", "lambda", "e_scale")
UNCALIBRATED = {"sigma": 0.1, "lambda": 1.0, "e_scale": 1.0}
RANGES = {"sigma": (0.0, 2.0), "lambda": (0.1, 10.0), "e_scale": (0.05, 20.0)}


def parse_axes(exprs: Sequence[str]) -> dict[str, list[float]]:
    """``--grid name=v1,v2,…`` for name in AXES; axes not given stay at the
    uncalibrated value."""
    grid: dict[str, list[float]] = {}
    for expr in exprs:
        name, _, raw = expr.partition("=")
        name = name.strip()
        try:
            values = [float(v) for v in raw.split(",")] if raw.strip() else []
        except ValueError:
            values = []
        lo, hi = RANGES.get(name, (0.0, 0.0))
        if name not in AXES or not values or not all(lo <= v <= hi for v in values) or name in grid:
            raise InputError("grid", expr, f"NAME=v1,v2,… with NAME one of {', '.join(AXES)} (each once) and "
                                             f"values in sigma [0, 2], lambda [0.1, 10], e_scale [0.05, 20] expected")
        grid[name] = sorted(set(values))
    if not grid:
        raise InputError("grid", "", "at least one `grid` NAME=v1,v2,… expected (sigma, lambda, e_scale)")
    return {a: grid.get(a, [UNCALIBRATED[a]]) for a in AXES}


def points(grid: Mapping[str, Sequence[float]]) -> list[dict[str, float]]:
    return [dict(zip(AXES, combo)) for combo in itertools.product(*(grid[a] for a in AXES))]


def label(theta: Mapping[str, float]) -> str:
    return ", ".join(f"{a}={theta[a]:g}" for a in AXES)


def structural(raw: Mapping[str, Any], lam: float, e_scale: float) -> dict[str, Any]:
    """A case's scenario mapping with the global λ and ``e`` multiplier
    applied to every bargainer (a case's own ``loss_aversion`` kept)."""
    from ..domain.tactics import TACTICS, parameters

    out = copy.deepcopy(dict(raw))
    for party in (out.get("parties") or {}).values():
        if not isinstance(party, dict) or party.get("role") != "bargainer":
            continue
        if lam != 1.0 and "loss_aversion" not in party:
            party["loss_aversion"] = lam
        strategy = party.get("strategy")
        strategy = {"name": strategy} if isinstance(strategy, str) else strategy or {"name": "time_dependent"}
        fields = {f.name: f for f in parameters(TACTICS.get(strategy.get("name"), object))} \
            if strategy.get("name") in TACTICS else {}
        if e_scale != 1.0 and "e" in fields:
            span = fields["e"].metadata["range"]
            cited = isinstance(strategy.get("e"), dict)
            e = (strategy["e"]["value"] if cited else strategy.get("e", fields["e"].default)) * e_scale
            e = min(e, span.hi) if span.hi is not None else e
            e = max(e, span.lo) if span.lo is not None and not span.lo_open else e
            if cited:
                strategy["e"] = {k: v for k, v in strategy["e"].items() if k != "prior"} | {"value": e}
            else:
                strategy["e"] = e
            party["strategy"] = strategy
    return out


def case_paths(args: Sequence[Path]) -> list[Path]:
    """The library's scenario files, as ``backtest`` reads a library
    (``library.case_paths``); leaving one case out needs two."""
    paths = library.case_paths(args)
    if len(paths) < 2:
        raise InputError(args[0] if args else "library", "", "at least two cases expected (leave one case out)")
    return paths


@dataclass(frozen=True)
class Calibration(designs.Experiment):
    """Every (point, case) pair as one variant of one experiment."""

    thetas: tuple[Mapping[str, float], ...] = ()  # the grid's points, then the uncalibrated one if off the grid
    on_grid: int = 0  # how many of ``thetas`` form the grid
    cases: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        design = {"variants": [v.scenario.resolved for v in self.variants[:len(self.cases)]],
                  "settings": dict(self.settings)}
        return f"library-calibrate-{config_hash(design)}"


def prepare(paths: Sequence[Path], grid: Mapping[str, Sequence[float]], runs: int, seed: int | None = None,
            sets: Mapping[str, Any] | None = None) -> Calibration:
    """Every case validated at every (λ, e_scale) before any run starts; ``sets``
    (dotted path → value) change every case."""
    from ..inputs.config import apply_values, sets_text

    sets = sets or {}

    names = [library.case_name(p) for p in paths]
    if len(set(names)) != len(names):
        raise InputError(paths[0], "cases", "distinct case names expected")
    thetas = points(grid)
    on_grid = len(thetas)
    if UNCALIBRATED not in thetas:
        thetas.append(dict(UNCALIBRATED))
    raws = []
    for path in paths:
        raw, _ = apply_values(load_yaml(path), sets)
        raws.append(raw)
    built: dict[tuple[float, float, int], Scenario] = {}
    variants, tasks, scenarios = [], [], []
    for g, theta in enumerate(thetas):
        for k, (path, raw) in enumerate(zip(paths, raws)):
            key = (theta["lambda"], theta["e_scale"], k)
            if key not in built:
                built[key] = build_scenario(structural(raw, theta["lambda"], theta["e_scale"]), str(path),
                                            base_dir=path.resolve().parent)
                truth_indices(built[key])
            scenario = built[key]
            v = len(variants)
            variants.append(designs.Variant(names[k], (("case", names[k]), *theta.items()),
                                            designs.portable(scenario), theta["sigma"]))
            scenarios.append(scenario)
            case_seeds = designs.run_seeds(scenario.seed if seed is None else seed, runs)
            tasks += [designs.Task(v * runs + i, s, v) for i, s in enumerate(case_seeds)]
    settings = {"grid": {a: list(grid[a]) for a in AXES}, "runs": runs, "seed": seed, "sets": sets_text(sets),
                "cases": names}
    return Calibration("calibrate", scenarios[0], tuple(variants), tuple(tasks),
                       seed if seed is not None else scenarios[0].seed, 0.0, settings, tuple(scenarios),
                       tuple(thetas), on_grid, tuple(names))


def real_probabilities(exp: Calibration, rows: Sequence[Mapping[str, Any]],
                       epsilon: float = EPSILON) -> list[np.ndarray]:
    """Per case, an array (points × clauses) of the ε-smoothed probability
    the model gave the real option at each point."""
    variant_of = {t.run: t.variant for t in exp.tasks}
    grouped: dict[int, list[Mapping[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(variant_of[row["run"]], []).append(row)
    n_cases = len(exp.cases)
    out = []
    for k in range(n_cases):
        per_point = []
        for g in range(len(exp.thetas)):
            v = g * n_cases + k
            scenario = exp.scenarios[v]
            truth = truth_indices(scenario)
            dists = fc.distributions(fc.from_rows(grouped.get(v, []), scenario))
            per_point.append([float(smooth(dists[c], epsilon)[real]) for c, real in truth.items()])
        out.append(np.array(per_point, dtype=float))
    return out


def posterior(loglik: np.ndarray) -> np.ndarray:
    """Uniform prior over the grid: the normalised likelihood."""
    w = np.exp(loglik - loglik.max())
    return w / w.sum()


def marginals(post: np.ndarray, thetas: Sequence[Mapping[str, float]]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for axis in AXES:
        values = sorted({t[axis] for t in thetas})
        out[axis] = {f"{v:g}": round(float(sum(p for p, t in zip(post, thetas) if t[axis] == v)), 6)
                     for v in values}
    return out


def case_bootstrap(gains: Sequence[float], counts: Sequence[int], seed: int = 0) -> tuple[float, float] | None:
    """Paired percentile interval of Σ gains / Σ clauses, cases resampled (the library's pooling rule)."""
    interval = pooling.case_bootstrap(gains, counts, seed)
    return None if interval is None else (round(interval[0], 6), round(interval[1], 6))


def calibrate(probs: Sequence[np.ndarray], thetas: Sequence[Mapping[str, float]], on_grid: int,
              cases: Sequence[str]) -> dict[str, Any]:
    """The posterior on the whole library, and each case scored out of
    sample: calibrated (the mixture over the grid, weighted by the posterior
    of the other cases) against uncalibrated (the point UNCALIBRATED)."""
    grid = list(thetas[:on_grid])
    ref = list(thetas).index(UNCALIBRATED)
    logs = [np.log(p) for p in probs]  # points × clauses
    total = np.array([sum(float(lp[g].sum()) for lp in logs) for g in range(on_grid)])
    post = posterior(total)
    loco, gains, counts = [], [], []
    for k, name in enumerate(cases):
        others = np.array([sum(float(lp[g].sum()) for j, lp in enumerate(logs) if j != k) for g in range(on_grid)])
        w = posterior(others)
        n = probs[k].shape[1]
        mixed = np.log(w @ probs[k][:on_grid]) if n else np.zeros(0)
        calibrated, uncalibrated = float(mixed.sum()), float(logs[k][ref].sum())
        gains.append(calibrated - uncalibrated)
        counts.append(n)
        loco.append({"case": name, "clauses": n, "map": grid[int(np.argmax(w))],
                     "marginals": marginals(w, grid),
                     "calibrated": round(calibrated / n, 6) if n else None,
                     "uncalibrated": round(uncalibrated / n, 6) if n else None,
                     "gain": round((calibrated - uncalibrated) / n, 6) if n else None})
    clauses = sum(counts)
    interval = case_bootstrap(gains, counts)
    per_point = [{**t, "mean_log_score": round(float(sum(lp[g].sum() for lp in logs) / clauses), 6),
                  "on_grid": g < on_grid} for g, t in enumerate(thetas)]
    gain = sum(gains) / clauses
    return {
        "posterior": {"map": grid[int(np.argmax(post))], "marginals": marginals(post, grid),
                      "points": [{**t, "log_likelihood": round(float(ll), 6), "posterior": round(float(p), 6)}
                                 for t, ll, p in zip(grid, total, post)]},
        "loco": loco,
        "pooled": {"clauses": clauses,
                   "calibrated": round(sum(c["calibrated"] * c["clauses"] for c in loco if c["clauses"]) / clauses, 6),
                   "uncalibrated": round(sum(c["uncalibrated"] * c["clauses"] for c in loco if c["clauses"])
                                         / clauses, 6),
                   "gain": round(gain, 6), "interval": interval,
                   "verdict": _verdict(gain, interval)},
        "per_point": per_point,
    }


def _verdict(gain: float, interval: tuple[float, float] | None) -> str:
    if interval is not None and interval[0] > 0:
        return "the calibrated model beats the uncalibrated one out of sample (interval above 0)"
    if interval is not None and interval[1] < 0:
        return "the calibrated model does worse than the uncalibrated one out of sample (interval below 0)"
    return f"no clear difference out of sample (mean gain {gain:+.3f} nats per clause, interval spans 0)"


def with_structure(exp: Calibration, record: Mapping[str, Any], epsilon: float) -> dict[str, Any]:
    head = {"method": "grid posterior (uniform prior over the grid, simulated composite likelihood: the sum "
                      "over clauses of the log of the ε-smoothed share of runs agreeing on the real option), "
                      "leave one case out; calibrated forecast = the grid's forecasts mixed by the other cases' "
                      "posterior", "grid": exp.settings["grid"], "uncalibrated": UNCALIBRATED,
            "runs": exp.settings["runs"], "seed": exp.settings["seed"], "epsilon": epsilon,
            "cases": list(exp.cases)}
    return {**head, **record}


def calibration_png(record: Mapping[str, Any]) -> bytes:
    """One panel per parameter: its posterior on the whole library (bars)
    and leave one case out (a dot per held-out case); the last panel, each
    case's out-of-sample gain per clause, calibrated minus uncalibrated."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from ..reports.labels import label as safe

    axes = [a for a in AXES if len(record["grid"][a]) > 1]
    fig = Figure(figsize=(3.6 * (len(axes) + 1), 3.8))
    FigureCanvasAgg(fig)
    for i, axis in enumerate(axes):
        ax = fig.add_subplot(1, len(axes) + 1, i + 1)
        whole = record["posterior"]["marginals"][axis]
        xs = list(range(len(whole)))
        ax.bar(xs, list(whole.values()), color="tab:blue", alpha=0.6, label="all cases")
        for case in record["loco"]:
            ax.plot(xs, list(case["marginals"][axis].values()), "o", color="tab:gray", markersize=3, alpha=0.7)
        ax.set_xticks(xs, list(whole), fontsize=8)
        ax.set_ylim(0, 1.02)
        ax.set_title(f"posterior of {axis}", fontsize=9)
        ax.set_xlabel(axis + " (dots: each case left out)", fontsize=8)
    ax = fig.add_subplot(1, len(axes) + 1, len(axes) + 1)
    loco = [c for c in record["loco"] if c["gain"] is not None]
    ax.barh(range(len(loco)), [c["gain"] for c in loco],
            color=["tab:green" if c["gain"] >= 0 else "tab:red" for c in loco])
    ax.set_yticks(range(len(loco)), [safe(c["case"]) for c in loco], fontsize=7)
    ax.axvline(0, color="black", linewidth=0.6)
    pooled = record["pooled"]
    ax.set_title(f"out of sample: gain {pooled['gain']:+.3f} nats/clause", fontsize=9)
    ax.set_xlabel("calibrated − uncalibrated log score per clause", fontsize=8)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()
