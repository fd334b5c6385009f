"""Which priors drive the spread: rank correlations between each prior's
draws and each outcome of the runs, and their tornado chart.

A global sensitivity measure of the simplest kind: Spearman's rank
correlation ρ between a sampled input and an output over a Monte Carlo
sample (Saltelli et al. 2008, *Global Sensitivity Analysis: The Primer*,
§1.2.5; Helton & Davis 2002 on sampling-based methods). It catches any
monotone effect, is unmoved by the scale of either side, and needs no
runs beyond those already made. It does not split interactions apart: a
prior whose effect depends on another's shows up weaker than it is.

Outcomes: the agreement date (days from the calendar's start; a run
without agreement counts as the day after the calendar's end, the rule of
the backtest's date score), each clause's agreed option by its position in
the clause's list (over the runs that agreed), and each party's utility
(over the runs that agreed). A ρ is left out (null) where fewer than three
runs or a constant side leave it undefined.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..domain.scenario import Scenario

Row = Mapping[str, Any]


def ranks(x: np.ndarray) -> np.ndarray:
    """Ranks 1..n, ties sharing their average rank."""
    order = np.argsort(x, kind="stable")
    r = np.empty(len(x), dtype=float)
    r[order] = np.arange(1, len(x) + 1)
    _, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=r)
    return sums[inverse] / counts[inverse]


def spearman(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Spearman's ρ: the Pearson correlation of the ranks; None when
    undefined (fewer than 3 pairs, or one side constant)."""
    a, b = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(a) < 3 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return None
    ra, rb = ranks(a), ranks(b)
    return float(np.corrcoef(ra, rb)[0, 1])


def _number(value: Any) -> float:
    if isinstance(value, str):
        return float(dt.date.fromisoformat(value).toordinal())
    return float(value)


def outcomes(rows: Sequence[Row], scenario: Scenario) -> dict[str, list[float | None]]:
    """Each outcome metric per run (None where a run does not give it)."""
    cal = scenario.calendar
    after_end = (cal.deadline - cal.start).days + 1
    out: dict[str, list[float | None]] = {"agreement_date": [
        float((dt.date.fromisoformat(r["agreement_date"]) - cal.start).days) if r.get("agreement_date")
        else float(after_end) for r in rows]}
    for clause in scenario.clauses:
        out[f"clause.{clause.name}"] = [float(clause.index(r[clause.name])) if r.get(clause.name) is not None
                                        else None for r in rows]
    for key in dict.fromkeys(k for r in rows for k in r if k.startswith("u.")):
        out[key] = [float(r[key]) if r.get(key) is not None and r.get("result") == "agreement" else None
                    for r in rows]
    return out


def prior_effects(rows: Sequence[Row], scenario: Scenario) -> dict[str, Any] | None:
    """ρ of every drawn prior (``prior.PATH`` columns) with every outcome,
    for summary.json; None without priors."""
    names = list(dict.fromkeys(k for r in rows for k in r if k.startswith("prior.")))
    if not names or not rows:
        return None
    metrics = outcomes(rows, scenario)
    table: dict[str, dict[str, float | None]] = {}
    for name in names:
        draws = [_number(r[name]) if r.get(name) not in (None, "") else None for r in rows]
        table[name[len("prior."):]] = {}
        for metric, ys in metrics.items():
            pairs = [(x, y) for x, y in zip(draws, ys) if x is not None and y is not None]
            rho = spearman([p[0] for p in pairs], [p[1] for p in pairs]) if pairs else None
            table[name[len("prior."):]][metric] = None if rho is None else round(rho, 3)
    return {"method": "Spearman rank correlation between each prior's draws and each outcome over the runs "
                      "(agreement_date: days from the start, no agreement = the day after the calendar's end; "
                      "clause.C: the agreed option's position; u.P: utility, agreements only)",
            "runs": len(rows), "rho": table}


def tornado_png(effects: Mapping[str, Any], title: str, top: int = 8) -> bytes:
    """One panel per outcome: the priors as horizontal bars of ρ, largest
    |ρ| on top (at most ``top`` of them)."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from ..reports.labels import label

    table = effects["rho"]
    metrics = list(next(iter(table.values())))
    cols = min(3, len(metrics))
    rows = -(-len(metrics) // cols)
    fig = Figure(figsize=(5.2 * cols, 0.5 + rows * (0.4 * min(top, len(table)) + 1.0)))
    FigureCanvasAgg(fig)
    for k, metric in enumerate(metrics):
        ax = fig.add_subplot(rows, cols, k + 1)
        pairs = sorted(((n, v[metric]) for n, v in table.items() if v[metric] is not None),
                       key=lambda p: abs(p[1]))[-top:]
        short = [n.removeprefix("parties.") for n, _ in pairs]
        labels = [label(n if len(n) <= 30 else "…" + n[-29:]) for n in short]
        ax.barh(range(len(pairs)), [v for _, v in pairs],
                color=["tab:blue" if v >= 0 else "tab:red" for _, v in pairs])
        ax.set_yticks(range(len(pairs)), labels, fontsize=7)
        ax.set_xlim(-1, 1)
        if not pairs:
            ax.text(0, 0.5, "no ρ: this outcome is constant", ha="center", va="center", fontsize=8,
                    transform=ax.get_xaxis_transform())
        ax.axvline(0, color="black", linewidth=0.6)
        ax.set_title(label(metric), fontsize=9)
        ax.tick_params(axis="x", labelsize=7)
    fig.suptitle(f"{label(title)}\nSpearman ρ between each prior's draws and each outcome (parties. left out of "
                 "the names)", fontsize=10)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()
