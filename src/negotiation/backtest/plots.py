"""backtest.png: per clause, the model's predicted option shares as bars,
the real option's bar outlined in black, and each point baseline's option
marked above the bars (matplotlib Agg, no pyplot state)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..experiments.plots import _figure, _png
from ..domain.outcomes import option_label
from ..domain.scenario import Scenario
from ..reports.labels import label
from .forecast import Forecast
from .scoring import modal

MARKERS = {"status_quo": ("s", "#8c564b"), "middle_option": ("v", "#2ca02c"), "compromise": ("D", "#9467bd"),
           "nash": ("*", "#d62728"), "kalai_smorodinsky": ("^", "#ff7f0e")}


def backtest_png(scenario: Scenario, record: Mapping[str, Any], forecasts: Mapping[str, Forecast]) -> bytes:
    """The model's shares; a baseline's marks on its modal options (the
    options it points at)."""
    names = list(record["truth"]["clauses"])
    cols = 2 if len(names) > 1 else 1
    rows = math.ceil(len(names) / cols)
    fig = _figure(11, 2.3 * rows + 0.6)
    fig.suptitle(f"{label(scenario.name)}: predicted option shares ({record['runs']:,} runs), real option outlined, "
                 "baselines marked", fontsize=10)
    for k, name in enumerate(names):
        ax = fig.add_subplot(rows, cols, k + 1)
        clause = scenario.clause(name)
        x = np.arange(len(clause.options))
        real = clause.index(record["truth"]["clauses"][name])
        bars = ax.bar(x, forecasts["model"].clauses[name], color="#1f77b4", alpha=0.8)
        bars[real].set_edgecolor("black")
        bars[real].set_linewidth(2.2)
        for j, (base, (marker, colour)) in enumerate(MARKERS.items()):
            for i in modal(forecasts[base].clauses[name]):
                ax.plot(i, 1.04 + 0.09 * j, marker=marker, color=colour, linestyle="none", markersize=6,
                        label=base if k == 0 else None)
        ax.set_ylim(0, 1.45)
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
        ax.set_xticks(x, [label(option_label(o)) + (" ◆" if i == real else "") for i, o in enumerate(clause.options)],
                      fontsize=7)
        ax.set_title(label(name), fontsize=9)
        ax.set_ylabel("share of runs", fontsize=8)
        ax.tick_params(axis="y", labelsize=7)
    fig.legend(loc="outside lower center", ncol=5, fontsize=8, frameon=False)
    return _png(fig)


def forest_png(pooled: Mapping[str, Any], name: str) -> bytes:
    """One row per case: the model's mean log-score gain per clause over
    the best pooled baseline, with its interval over the case's clauses;
    the pooled row last, with its interval over cases."""
    rows = list(pooled["forest"])
    best = pooled["best_baseline"]
    diff = pooled["model_minus"][best]
    rows.append({"case": f"pooled ({pooled['clauses']} clauses)", "gain": diff["log_score"],
                 "interval": diff["interval"]})
    fig = _figure(8, 0.42 * len(rows) + 1.4)
    ax = fig.add_subplot(1, 1, 1)
    y = np.arange(len(rows))[::-1]
    for yi, row in zip(y, rows):
        pooled_row = row is rows[-1]
        colour = "black" if pooled_row else "#1f77b4"
        if row["interval"]:
            ax.plot(row["interval"], [yi, yi], color=colour, linewidth=2 if pooled_row else 1.2)
        ax.plot(row["gain"], yi, marker="D" if pooled_row else "o", color=colour, markersize=7 if pooled_row else 5)
    ax.axvline(0, color="grey", linestyle="--", linewidth=0.8)
    ax.set_yticks(y, [label(r["case"]) for r in rows], fontsize=8)
    ax.set_xlabel(f"model − {best.replace('_', ' ')}: mean log score per clause (> 0: the model forecasts better)",
                  fontsize=8)
    ax.set_title(f"{label(name)}: the model's gain over the best baseline\n{int(pooled['level'] * 100)}% bootstrap "
                 "intervals (a case: over its clauses; pooled: over cases)", fontsize=9)
    return _png(fig)


def reliability_png(points: Mapping[str, tuple[np.ndarray, np.ndarray, np.ndarray]], name: str,
                    bins: int = 10) -> bytes:
    """Left: reliability diagram (mean forecast probability against the
    observed frequency, per tenth of [0, 1], marker area by count);
    right: the mid-PIT histogram of the ordered clauses."""
    fig = _figure(11, 4.4)
    left, right = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    left.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=0.8)
    edges = np.linspace(0, 1, bins + 1)
    for who, (probs, hits, pit) in points.items():
        which = np.clip(np.digitize(probs, edges) - 1, 0, bins - 1)
        counts = np.bincount(which, minlength=bins)
        used = counts > 0
        mean_p = np.bincount(which, probs, bins)[used] / counts[used]
        freq = np.bincount(which, hits, bins)[used] / counts[used]
        left.plot(mean_p, freq, marker="o", linewidth=1, label=who.replace("_", " "))
        left.scatter(mean_p, freq, s=8 + 60 * counts[used] / counts.max(), alpha=0.4)
        if len(pit):
            right.hist(pit, bins=bins, range=(0, 1), histtype="step", linewidth=1.5, label=who.replace("_", " "))
    left.set_xlabel("forecast probability of an option", fontsize=8)
    left.set_ylabel("share of those options that were the real one", fontsize=8)
    left.set_title("reliability (on the diagonal: calibrated)", fontsize=9)
    left.legend(fontsize=7)
    right.set_xlabel("mid-PIT of the real option (ordered clauses)", fontsize=8)
    right.set_title("PIT histogram (flat: calibrated; U-shaped: overconfident)", fontsize=9)
    right.legend(fontsize=7)
    fig.suptitle(f"{label(name)}: calibration over every clause (ε smoothing applied)", fontsize=10)
    return _png(fig)
