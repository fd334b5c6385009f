"""A tournament's ranking: per tactic and role, ANAC's measures with bootstrap
intervals, and a test between the two best tactics of each role.

Measures (``metrics.py``, in the scenario as written): a role's *utility*
(its reservation value when there is no deal, as ANAC and NegMAS count a
failure), the agreement rate, welfare, the distances to the Pareto
frontier and the Nash point, and its advantage (utility above the
reservation value). The unit of resampling is the **seed**: one seed's runs
share its preference noise across every cell, so the runs of a (tactic,
role) group are averaged per seed first (over the other bargainers'
tactics), and the 95 % intervals are percentile bootstraps over those seed
means (Efron & Tibshirani 1993, *An Introduction to the Bootstrap*, ch. 13).

The two best tactics of a role (by mean utility) are compared by a **paired
bootstrap over seeds**: per seed, the difference of their mean utilities
(the same noise and the same mix of opponents on both sides), resampled
``PAIRED_DRAWS`` times; the interval of the mean difference and a two-sided
p-value, twice the share of resampled means on the far side of zero. Not
Mann–Whitney: its samples must be independent, and here they are paired by
design (common random numbers), which it would throw away; and it tests
equal distributions, not the difference of means a ranking is made of.
Everything draws from generators seeded by the experiment seed, so the
ranking is the same whatever the executor.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .execute import Finished
from .summary import head

Row = Mapping[str, Any]
DRAWS = 2000  # bootstrap resamples per interval
PAIRED_DRAWS = 10_000
LEVEL = 0.95
MEASURES = ("utility", "agreement", "welfare", "pareto_dist", "nash_dist", "advantage")
DIGITS = 6


def _value(row: Row, measure: str, role: str, reservation: float) -> float | None:
    if measure == "agreement":
        return 1.0 if row.get("result") == "agreement" else 0.0
    if measure in ("utility", "advantage"):
        gain = row.get(f"advantage.{role}")
        if gain in (None, ""):
            return None
        return float(gain) + (reservation if measure == "utility" else 0.0)
    value = row.get(measure)
    return None if value in (None, "") else float(value)


def seed_means(rows: Sequence[Row], measure: str, role: str, reservation: float) -> dict[int, float]:
    """seed → the mean of ``measure`` over that seed's runs (runs without a value skipped)."""
    by_seed: dict[int, list[float]] = {}
    for row in rows:
        value = _value(row, measure, role, reservation)
        if value is not None:
            by_seed.setdefault(int(row["seed"]), []).append(value)
    return {s: float(np.mean(v)) for s, v in by_seed.items()}


def bootstrap(values: np.ndarray, rng: np.random.Generator, draws: int = DRAWS) -> tuple[float, float]:
    """The percentile bootstrap interval of the mean of ``values``."""
    if values.size == 1:
        return float(values[0]), float(values[0])
    means = values[rng.integers(0, values.size, size=(draws, values.size))].mean(axis=1)
    lo, hi = np.quantile(means, [(1 - LEVEL) / 2, (1 + LEVEL) / 2])
    return float(lo), float(hi)


def _round(x: float | None) -> float | None:
    return None if x is None else round(float(x), DIGITS)


def rank(done: Finished) -> dict[str, list[dict[str, Any]]]:
    """role → its tactics, best mean utility first, each with every measure, its interval, runs and seeds."""
    exp = done.experiment
    roles, tactics = exp.settings["bargainers"], exp.settings["tactics"]
    reservations = {r: exp.scenario.party(r).preferences.reservation for r in roles}
    out: dict[str, list[dict[str, Any]]] = {}
    for i, role in enumerate(roles):
        entries = []
        for j, tactic in enumerate(tactics):
            mine = [r for r in done.rows if r.get(f"tactic.{role}") == tactic]
            entry: dict[str, Any] = {"tactic": tactic, "runs": len(mine),
                                     "seeds": len({int(r["seed"]) for r in mine})}
            for k, measure in enumerate(MEASURES):
                per_seed = seed_means(mine, measure, role, reservations[role])
                values = np.array([per_seed[s] for s in sorted(per_seed)])
                if values.size == 0:
                    entry.update({measure: None, f"{measure}_lo": None, f"{measure}_hi": None})
                    continue
                lo, hi = bootstrap(values, np.random.default_rng([exp.seed, i, j, k]))
                entry.update({measure: _round(values.mean()), f"{measure}_lo": _round(lo), f"{measure}_hi": _round(hi)})
            entries.append(entry)
        entries.sort(key=lambda e: (-(e["utility"] if e["utility"] is not None else -np.inf), tactics.index(e["tactic"])))
        for position, entry in enumerate(entries, start=1):
            entry["rank"] = position
        out[role] = entries
    return out


def paired_test(done: Finished, role: str, a: str, b: str, salt: int) -> dict[str, Any]:
    """Paired bootstrap over seeds of ``a``'s minus ``b``'s mean utility for ``role``."""
    exp = done.experiment
    reservation = exp.scenario.party(role).preferences.reservation
    ua = seed_means([r for r in done.rows if r.get(f"tactic.{role}") == a], "utility", role, reservation)
    ub = seed_means([r for r in done.rows if r.get(f"tactic.{role}") == b], "utility", role, reservation)
    seeds = sorted(set(ua) & set(ub))
    test: dict[str, Any] = {"role": role, "first": a, "second": b, "method": "paired bootstrap over seeds",
                            "seeds": len(seeds), "draws": PAIRED_DRAWS}
    if len(seeds) < 2:
        return {**test, "mean_difference": None, "ci": None, "p_value": None, "significant": None}
    d = np.array([ua[s] - ub[s] for s in seeds])
    rng = np.random.default_rng([exp.seed, 1_000 + salt])
    means = d[rng.integers(0, d.size, size=(PAIRED_DRAWS, d.size))].mean(axis=1)
    lo, hi = np.quantile(means, [(1 - LEVEL) / 2, (1 + LEVEL) / 2])
    if np.all(d == d[0]):  # every seed says the same: no resampling can tell otherwise
        p = 1.0 if d[0] == 0 else 0.0
    else:
        p = min(1.0, 2 * min(float(np.mean(means <= 0)), float(np.mean(means >= 0))))
    return {**test, "mean_difference": _round(d.mean()), "ci": [_round(lo), _round(hi)], "p_value": _round(p),
            "significant": bool(lo > 0 or hi < 0)}


COLUMNS = ["role", "rank", "tactic", "runs", "seeds"] + [f"{m}{s}" for m in MEASURES for s in ("", "_lo", "_hi")]


def ranking_csv(ranking: Mapping[str, Sequence[Mapping[str, Any]]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for role, entries in ranking.items():
        for entry in entries:
            writer.writerow(["" if (v := {**entry, "role": role}.get(c)) is None else v for c in COLUMNS])
    return buffer.getvalue()


def summarise(done: Finished, draw: bool = True) -> tuple[dict[str, Any], dict[str, bytes | str]]:
    """summary.json's content, and ``ranking.csv`` (always) and ``ranking.png`` (with ``draw``)."""
    exp = done.experiment
    ranking = rank(done) if done.rows else {r: [] for r in exp.settings["bargainers"]}
    tests = {role: paired_test(done, role, entries[0]["tactic"], entries[1]["tactic"], i)
             for i, (role, entries) in enumerate(ranking.items()) if len(entries) >= 2}
    cells = []
    for index, variant in enumerate(exp.variants):
        mine = [r for r in done.rows if tuple((k, r.get(k)) for k, _ in variant.params) == variant.params]
        deals = sum(1 for r in mine if r.get("result") == "agreement")
        cells.append({"cell": index, "tactics": {k[len("tactic."):]: v for k, v in variant.params},
                      "runs": len(mine), "agreement_rate": _round(deals / len(mine)) if mine else None})
    summary = {**head(done), "bargainers": exp.settings["bargainers"], "tactics": exp.settings["tactics"],
               "measures": "utility: the role's, its reservation value without a deal; welfare, pareto_dist, "
                           "nash_dist, advantage: metrics.py, in the scenario as written",
               "intervals": f"{LEVEL:.0%} percentile bootstrap over seed means, {DRAWS} resamples",
               "ranking": ranking, "tests": tests, "cells": cells}
    files: dict[str, bytes | str] = {"ranking.csv": ranking_csv(ranking)}
    if draw and done.rows:
        files["ranking.png"] = ranking_png(ranking, f"{exp.scenario.name}: tournament, "
                                                    f"{exp.settings['runs']} seeds per pairing")
    return summary, files


def ranking_png(ranking: Mapping[str, Sequence[Mapping[str, Any]]], title: str) -> bytes:
    """One panel per role: each tactic's mean utility with its interval, best on top."""
    from ..reports.labels import label
    from .plots import _figure, _png

    roles = list(ranking)
    height = 1.2 + 0.45 * max(len(e) for e in ranking.values()) * len(roles)
    fig = _figure(7.5, height)
    axes = fig.subplots(len(roles), 1, squeeze=False)[:, 0]
    for ax, role in zip(axes, roles):
        entries = [e for e in ranking[role] if e["utility"] is not None][::-1]
        y = np.arange(len(entries))
        mean = np.array([e["utility"] for e in entries])
        err = np.array([[e["utility"] - e["utility_lo"], e["utility_hi"] - e["utility"]] for e in entries]).T
        ax.errorbar(mean, y, xerr=err, fmt="o", color="#1f77b4", capsize=3)
        ax.set_yticks(y, [label(e["tactic"]) for e in entries])
        ax.set_title(f"{label(role)}: mean utility ({LEVEL:.0%} interval)", fontsize=10, loc="left")
        ax.grid(axis="x", alpha=0.3)
    axes[-1].set_xlabel("utility (reservation value when no deal)")
    fig.suptitle(label(title), fontsize=11)
    return _png(fig)
