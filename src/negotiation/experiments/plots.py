"""PNG figures for experiments (matplotlib, Agg canvas, no pyplot state).

Each function returns PNG bytes, so the caller writes them atomically like
every other file of an experiment folder.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure

from ..domain.outcomes import option_label
from ..domain.scenario import Scenario

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd")
MARK_COLOURS = ("#555555", "#000000")


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=110, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def dates_png(groups: Mapping[str, Sequence[dt.date]], totals: Mapping[str, int], scenario: Scenario,
              marks: Sequence[tuple[str, dt.date]], title: str) -> bytes:
    """Histogram of agreement dates, one bar per calendar round, with the
    real deal's dates as vertical lines; each group's legend entry says how
    many of its runs reached no agreement at all."""
    cal = scenario.calendar
    half = dt.timedelta(days=cal.round_days / 2)  # bars centred on the round dates
    edges = [cal.start + dt.timedelta(days=k * cal.round_days) - half for k in range(cal.n_rounds + 1)]
    edges_num = date2num(edges)
    seen = [d for days in groups.values() for d in days] + [d for _, d in marks]
    left = max(edges[0], min(seen, default=cal.start) - 6 * half) if seen else edges[0]
    fig = _figure(9, 4.2)
    ax = fig.add_subplot()
    for i, (label, days) in enumerate(groups.items()):
        total = totals.get(label, len(days))
        ax.hist(date2num(list(days)) if days else [], bins=edges_num, alpha=0.55 if len(groups) > 1 else 0.85,
                color=COLOURS[i % len(COLOURS)],
                label=f"{label}: {len(days)} of {total} runs agreed ({total - len(days)} did not)")
    for (label, day), colour in zip(marks, MARK_COLOURS * 2):
        ax.axvline(date2num(day), color=colour, linestyle="--", linewidth=1.2)
        ax.annotate(f"{label}\n{day.isoformat()}", (date2num(day), 1), xycoords=("data", "axes fraction"),
                    xytext=(4, -4), textcoords="offset points", va="top", fontsize=8, color=colour)
    ax.axvline(date2num(cal.deadline), color="#999999", linewidth=1)
    ax.annotate("deadline", (date2num(cal.deadline), 1), xycoords=("data", "axes fraction"), rotation=90,
                xytext=(-3, -4), textcoords="offset points", ha="right", va="top", fontsize=8, color="#777777")
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.set_xlim(date2num(left), max(edges_num[-1], date2num(cal.deadline + half)))
    ax.set_ylabel(f"runs per {cal.round_days}-day round")
    ax.set_title(title, loc="left", fontsize=11)
    fig.legend(loc="outside lower center", ncols=len(groups), fontsize=8, frameon=False)
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)


def clauses_png(groups: Mapping[str, Mapping[str, Mapping[str, float]]], scenario: Scenario,
                real: Mapping[str, str], title: str) -> bytes:
    """One small panel per clause: the share of agreements choosing each
    option, one bar per group; the real deal's option is outlined."""
    clauses = scenario.clauses
    cols = min(4, len(clauses))
    rows = math.ceil(len(clauses) / cols)
    fig = _figure(3.3 * cols, 2.3 * rows + 0.5)
    width = 0.8 / max(1, len(groups))
    for k, clause in enumerate(clauses):
        ax = fig.add_subplot(rows, cols, k + 1)
        labels = [str(o) for o in clause.options]
        y = np.arange(len(labels))
        for i, (name, shares) in enumerate(groups.items()):
            values = [shares.get(clause.name, {}).get(o, 0.0) for o in labels]
            bars = ax.barh(y + (i - (len(groups) - 1) / 2) * width, values, height=width,
                           color=COLOURS[i % len(COLOURS)], label=name)
            for bar, option in zip(bars, labels):
                if real.get(clause.name) == option:
                    bar.set_edgecolor("black")
                    bar.set_linewidth(1.6)
        shown = [("▶ " if real.get(clause.name) == label else "") + (label if len(label) <= 20 else label[:19] + "…")
                 for label in labels]
        ax.set_yticks(y, shown, fontsize=7)
        for text, option in zip(ax.get_yticklabels(), labels):
            if real.get(clause.name) == option:  # visible even when no run chose it
                text.set_fontweight("bold")
        ax.set_xlim(0, 1)
        ax.tick_params(axis="x", labelsize=7)
        ax.set_title(clause.name, fontsize=8, loc="left")
        ax.grid(axis="x", alpha=0.3)
    handles, names = fig.axes[0].get_legend_handles_labels()
    if len(groups) > 1:
        fig.legend(handles, names, loc="outside lower center", ncols=len(groups), fontsize=8, frameon=False)
    caption = "; ▶ and outline: the real deal" if real else ""
    fig.suptitle(f"{title}: share of agreements choosing each option{caption}", fontsize=10, x=0.01, ha="left")
    return _png(fig)


def heatmap_png(xs: Sequence[Any], ys: Sequence[Any], values: np.ndarray, xlabel: str, ylabel: str,
                metric: str, title: str) -> bytes:
    """``values[i, j]`` for ``ys[i]`` × ``xs[j]``; empty cells (no value) stay blank."""
    fig = _figure(max(5.0, 0.8 * len(xs) + 2.5), max(3.5, 0.55 * len(ys) + 2))
    ax = fig.add_subplot()
    data = np.ma.masked_invalid(values.astype(float))
    image = ax.imshow(data, cmap="viridis", aspect="auto", origin="lower")
    ax.set_xticks(range(len(xs)), [option_label(x) for x in xs], fontsize=8, rotation=30 if len(xs) > 6 else 0)
    ax.set_yticks(range(len(ys)), [option_label(y) for y in ys], fontsize=8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if len(xs) * len(ys) <= 144:
        finite = values[np.isfinite(values)]
        middle = (finite.min() + finite.max()) / 2 if finite.size else 0
        for i in range(len(ys)):
            for j in range(len(xs)):
                if np.isfinite(values[i, j]):
                    ax.text(j, i, f"{values[i, j]:.3g}", ha="center", va="center", fontsize=7,
                            color="white" if values[i, j] < middle else "black")
    fig.colorbar(image, ax=ax, label=metric)
    ax.set_title(title, loc="left", fontsize=10)
    return _png(fig)


def lines_png(axes: Sequence[tuple[str, Sequence[Any], Sequence[float | None], Sequence[float | None]]],
              metric: str, title: str) -> bytes:
    """One panel per swept parameter: the metric (mean over the other
    parameters' values) against the parameter's values, and the agreement
    share as a dashed line on the right axis."""
    fig = _figure(5.2 * len(axes), 3.8)
    for k, (path, xs, ys, agreement) in enumerate(axes):
        ax = fig.add_subplot(1, len(axes), k + 1)
        numeric = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in xs)
        pos = list(xs) if numeric else list(range(len(xs)))
        ax.plot(pos, [np.nan if y is None else y for y in ys], marker="o", color=COLOURS[0], label=metric)
        if not numeric:
            ax.set_xticks(pos, [option_label(x) for x in xs], fontsize=8)
        ax.set_xlabel(path)
        ax.set_ylabel(metric, color=COLOURS[0])
        ax.grid(alpha=0.3)
        if metric != "agreement":
            twin = ax.twinx()
            twin.plot(pos, [np.nan if a is None else a for a in agreement], linestyle="--", marker=".",
                      color=COLOURS[1])
            twin.set_ylim(-0.03, 1.03)
            twin.set_ylabel("agreement share", color=COLOURS[1])
    fig.suptitle(title, fontsize=10, x=0.01, ha="left")
    return _png(fig)
