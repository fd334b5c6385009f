"""summary.json and the PNGs of a finished experiment, per kind.

Everything here is a function of the rows (sorted by run index) and the
experiment's definition, so the summary, like results.csv, is the same
whatever executor produced the rows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from . import stats
from .metrics import means
from .sensitivity import prior_effects, tornado_png
from ..errors import InputError
from .execute import Finished, head
from ..inputs.config import json_default
from ..runs.folder import write_atomic
from ..domain.scenario import Scenario
from ..scenarios.load import scenario_truth

Row = Mapping[str, Any]


def default_metric(rows: Sequence[Row]) -> str:
    return "score" if stats.has_comparison(rows) else "agreement"


def check_metric(name: str | None, scenario: Scenario) -> None:
    """Refuse an unknown ``--metric`` before any run starts."""
    allowed = stats.metric_names(scenario)
    if name == "score" and stats.scenario_truth(scenario) is None:
        others = ", ".join(a for a in allowed if a != "score")
        raise InputError("metric", name, f"a scenario with a real deal to score against (truth: FILE) expected; "
                                           f"without one, use {others}")
    if name is not None and name not in allowed:
        raise InputError("metric", name, f"one of {', '.join(allowed)} expected")


def real_outcome(rows: Sequence[Row], scenario: Scenario) -> dict[str, str]:
    """The real deal's option per clause: from the scenario's truth file, else
    as runs that matched it reveal it."""
    truth = scenario_truth(scenario)
    if truth is not None:
        return {clause: str(option) for clause, option in truth.by_clause.items()}
    real: dict[str, str] = {}
    for row in rows:
        for key, value in row.items():
            if key.startswith("match.") and value is True and key[6:] not in real:
                real[key[6:]] = str(row.get(key[6:]))
    return real


def summarise(done: Finished, metric: str | None = None, draw: bool = True) -> tuple[dict[str, Any], dict[str, bytes]]:
    """``(summary, {png name: bytes})`` for any kind of experiment; with
    ``draw=False`` no PNG, and matplotlib is never imported."""
    kind = done.experiment.kind
    if kind == "tournament":  # ranking.csv, written with the PNGs
        from .ranking import summarise as ranking

        return ranking(done, draw)  # type: ignore[return-value]
    if kind == "montecarlo":
        return _montecarlo(done, draw)
    if kind == "whatif":
        return _whatif(done, draw)
    return _sweep(done, metric, draw)


def write(done: Finished, summary: Mapping[str, Any], figures: Mapping[str, bytes | str]) -> None:
    for name, data in figures.items():
        write_atomic(done.folder / name, data)
    write_atomic(done.folder / "summary.json",
                 json.dumps(summary, indent=2, ensure_ascii=False, default=json_default) + "\n")


def _dates(rows: Sequence[Row]) -> list[dt.date]:
    return [d for r in stats.agreed(rows) if (d := stats.day(r.get("agreement_date")))]


def _montecarlo(done: Finished, draw: bool) -> tuple[dict[str, Any], dict[str, bytes]]:
    exp, rows = done.experiment, done.rows
    marks = stats.real_dates(exp.scenario)
    summary = {**head(done), **stats.group_stats(rows, exp.scenario),
               "real_dates": {label: d.isoformat() for label, d in marks}}
    effects = prior_effects(rows, exp.scenario)
    if effects is not None:
        summary["priors"] = effects
    if not rows or not draw:
        return summary, {}
    from . import plots

    title = f"{exp.scenario.name}: {len(rows):,} runs, noise σ = {exp.noise:g}"
    groups = {"definitive agreement": _dates(rows)}
    if "tentative_dates" in summary:  # only when a ratification stage separates the two dates
        groups["tentative agreement"] = [d for r in rows if (d := stats.day(r.get("tentative_date")))]
    figures = {
        "dates.png": plots.dates_png(groups, {k: len(rows) for k in groups}, exp.scenario, marks, title),
        "clauses.png": plots.clauses_png({"runs": summary["outcomes"]}, exp.scenario,
                                         real_outcome(rows, exp.scenario), title),
    }
    if effects is not None:
        figures["priors.png"] = tornado_png(effects, title)
    return summary, figures


def _arms(done: Finished) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    base = [r for r in done.rows if r.get("variant") == "baseline"]
    other = [r for r in done.rows if r.get("variant") == "counterfactual"]
    return base, other


def counterfactual_source(exp: Any) -> str:
    """What the counterfactual is: the base file, the overlay (a file, or a
    mapping from the Python API) and every ``--set``, as the user gave them."""
    overlay = exp.settings.get("counterfactual")
    parts = [exp.scenario.source]
    if overlay is not None:
        parts.append(overlay if isinstance(overlay, str) else "an overlay mapping")
    parts += [f"--set {item}" for item in exp.settings.get("sets") or ()]
    return " + ".join(parts)


def _whatif(done: Finished, draw: bool) -> tuple[dict[str, Any], dict[str, bytes]]:
    exp = done.experiment
    baseline, altered = exp.scenarios
    base, other = _arms(done)
    summary = {**head(done), "counterfactual_source": counterfactual_source(exp),
               "baseline": stats.group_stats(base, baseline), "counterfactual": stats.group_stats(other, altered),
               "clauses": stats.clause_shift(base, other, baseline, altered)}
    if not done.rows or not draw:
        return summary, {}
    from . import plots

    title = f"{exp.scenario.name}: baseline vs counterfactual, {exp.settings['runs']} seeds each"
    marks = stats.real_dates(baseline)
    figures = {
        "dates.png": plots.dates_png({"baseline": _dates(base), "counterfactual": _dates(other)},
                                     {"baseline": len(base), "counterfactual": len(other)}, baseline, marks, title),
        "clauses.png": plots.clauses_png({"baseline": summary["baseline"]["outcomes"],
                                          "counterfactual": summary["counterfactual"]["outcomes"]},
                                         baseline, real_outcome(done.rows, baseline), title),
    }
    return summary, figures


def _sweep(done: Finished, metric: str | None, draw: bool) -> tuple[dict[str, Any], dict[str, bytes]]:
    exp, rows = done.experiment, done.rows
    metric = metric or default_metric(rows)
    paths = list(exp.settings["grid"])
    cells: list[dict[str, Any]] = []
    for index, (variant, scenario) in enumerate(zip(exp.variants, exp.scenarios)):
        mine = [r for r in rows if _cell_of(r, paths) == variant.params]
        dates = stats.describe_dates(_dates(mine))
        cells.append({"cell": index, "params": dict(variant.params), "runs": len(mine),
                      "agreement_rate": stats.share(len(stats.agreed(mine)), len(mine)),
                      "median_agreement_date": dates.get("median"), "metric": stats.metric(mine, metric, scenario),
                      "metrics": means(mine),
                      **({"mean_score": stats.mean([r.get("score") for r in mine])}
                         if stats.has_comparison(mine) else {})})
    summary = {**head(done), "metric": metric, "cells": cells,
               "comparison": stats.comparison(rows) if rows else "no runs finished"}
    if not rows or not draw:
        return summary, {}
    from . import plots

    grid = exp.settings["grid"]
    seeds = exp.settings["seeds"]
    title = f"{exp.scenario.name}: {metric} over {len(cells)} cells × {seeds} seed{'s' if seeds > 1 else ''}"
    if len(paths) == 2:
        ys, xs = grid[paths[0]], grid[paths[1]]
        values = np.full((len(ys), len(xs)), np.nan)
        for c in cells:
            if c["metric"] is not None:
                values[ys.index(c["params"][paths[0]]), xs.index(c["params"][paths[1]])] = c["metric"]
        return summary, {"heatmap.png": plots.heatmap_png(xs, ys, values, paths[1], paths[0], metric, title)}
    panels = []
    for path in paths:
        pooled = [[r for r in rows if r.get(path) == v] for v in grid[path]]
        panels.append((path, grid[path], [stats.metric(p, metric, exp.scenario) if p else None for p in pooled],
                       [stats.share(len(stats.agreed(p)), len(p)) for p in pooled]))
    return summary, {"lines.png": plots.lines_png(panels, metric, title)}


def _cell_of(row: Row, paths: Sequence[str]) -> tuple[tuple[str, Any], ...]:
    return tuple((p, row.get(p)) for p in paths)
