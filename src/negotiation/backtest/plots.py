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
from ..inputs.scenario import Scenario
from ..reports.labels import label

MARKERS = {"middle_option": ("v", "#2ca02c"), "compromise": ("D", "#9467bd"), "nash": ("*", "#d62728"),
           "kalai_smorodinsky": ("^", "#ff7f0e")}


def backtest_png(scenario: Scenario, record: Mapping[str, Any], shares: Mapping[str, np.ndarray],
                 pointed: Mapping[str, Mapping[str, tuple[int, ...]]]) -> bytes:
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
        bars = ax.bar(x, shares[name], color="#1f77b4", alpha=0.8)
        bars[real].set_edgecolor("black")
        bars[real].set_linewidth(2.2)
        for j, (base, (marker, colour)) in enumerate(MARKERS.items()):
            for i in pointed[base][name]:
                ax.plot(i, 1.04 + 0.09 * j, marker=marker, color=colour, linestyle="none", markersize=6,
                        label=base if k == 0 else None)
        ax.set_ylim(0, 1.45)
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
        ax.set_xticks(x, [label(option_label(o)) + (" ◆" if i == real else "") for i, o in enumerate(clause.options)],
                      fontsize=7)
        ax.set_title(label(name), fontsize=9)
        ax.set_ylabel("share of runs", fontsize=8)
        ax.tick_params(axis="y", labelsize=7)
    fig.legend(loc="outside lower center", ncol=4, fontsize=8, frameon=False)
    return _png(fig)
