"""The backtest in the terminal: every predictor side by side, the
hold-outs, and what the numbers can and cannot say."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..reports.fit import Fit
from .evaluate import PREDICTORS

LABELS = {"model": "model (Monte Carlo)", "middle_option": "middle option", "compromise": "compromise",
          "nash": "Nash point", "kalai_smorodinsky": "Kalai–Smorodinsky", "uniform": "uniform guess"}


def _ci(interval: Any) -> str:
    return f" [{interval[0]:.2f}, {interval[1]:.2f}]" if interval else ""


def _hits(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"


def _date_cells(d: Mapping[str, Any] | None) -> tuple[str, str, str]:
    if not d:
        return "—", "—", "—"
    median = d["median"] or "no deal"
    days = "—" if d["days_off"] is None else f"{d['days_off']:+d}"
    inside = "—" if d["in_80"] is None else ("yes" if d["in_80"] else "no")
    return median, days, inside


def predictors_table(record: Mapping[str, Any], extras: Mapping[str, Any]) -> Group:
    """Scores, then dates, as two tables: side by side they need about 100
    columns, and piped output has 80 (values never wrap; labels may)."""
    n = extras["clauses"]
    level = int(extras["level"] * 100)
    title = Text(f"Backtest: {record['runs']:,} runs, as of {record['as_of'] or '(no cut-off)'}, "
                 f"against the real deal ({n} clauses)", style="bold")
    scores = Table(box=None, pad_edge=False, header_style="bold")
    scores.add_column("predictor", ratio=1)
    for name in ("log score ↑", f"{level}% CI", "Brier ↓", f"{level}% CI", f"hits /{n}"):
        scores.add_column(name, justify="right", no_wrap=True)
    dates = Table(box=None, pad_edge=False, header_style="bold")
    dates.add_column("predictor", ratio=1)
    for name in ("median date", "days off", "truth in 80%"):
        dates.add_column(name, justify="right", no_wrap=True)
    best = extras["best_baseline"]
    for name in PREDICTORS:
        p = record["predictors"][name]
        ci = extras["intervals"][name]
        label = LABELS[name] + (" *" if name == best else "")
        scores.add_row(label, f"{p['log_score']:.3f}", _ci(ci["log_score"]).strip(), f"{p['brier']:.3f}",
                       _ci(ci["brier"]).strip(), _hits(p["hits"]))
        if name in ("model", "uniform") and record["dates"].get(name):
            dates.add_row(label, *_date_cells(record["dates"][name]))
    missing = []
    for key, label in (("leave_one_clause_out", "hold-out: leave one clause out"),
                       ("time", "hold-out: runs near the MOU")):
        h = record["holdout"].get(key)
        if not h:
            continue
        if h["log_score"] is None:
            scores.add_row(Text(label, style="italic"), "—", "", "—", "", "—")
            missing.append(f"{label}: no run kept (±{h['window_days']} days)")
            continue
        scores.add_row(Text(label, style="italic"), f"{h['log_score']:.3f}", "", f"{h['brier']:.3f}", "",
                       _hits(h["hits"]))
        if h.get("dates"):
            dates.add_row(Text(label, style="italic"), *_date_cells(h["dates"]))
    parts: list[Any] = [title, Fit(scores), *(Text(m, style="dim") for m in missing)]
    if (line := before_as_of(record)) is not None:
        parts.append(Text(line, style="dim"))
    if dates.row_count:
        parts.append(Fit(dates))
    return Group(*parts)


def before_as_of(record: Mapping[str, Any]) -> str | None:
    """The share of runs agreeing on or before ``as_of`` (0 by construction: runs bargain only after it)."""
    dates = record["dates"]
    if dates.get("model_before_as_of") is None:
        return None
    tentative = dates.get("model_tentative_before_as_of") or 0.0
    return (f"runs agreeing on or before as_of ({record['as_of']}): {dates['model_before_as_of']:.1%} definitive, "
            f"{tentative:.1%} tentative")


SHORT = {"model": "model", "middle_option": "middle", "compromise": "compr.", "nash": "Nash",
         "kalai_smorodinsky": "KS", "uniform": "unif."}


def clauses_table(record: Mapping[str, Any]) -> Group:
    """P(real option) per clause and predictor; ✓ where the real option is
    modal. The real options are listed above the table, not in it, so the
    table fits 80 columns; predictors are abbreviated in the header only."""
    truth = record["truth"]["clauses"]
    real = Text("Real deal: " + " · ".join(f"{clause} {option}" for clause, option in truth.items()))
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("clause", no_wrap=True)
    for name in PREDICTORS:
        table.add_column(SHORT[name], justify="right", no_wrap=True)
    table.add_column("LOO (kept)", justify="right", no_wrap=True)
    loo = record["holdout"]["leave_one_clause_out"]["clauses"]
    for clause, option in truth.items():
        cells = []
        for name in (*PREDICTORS, None):
            row = record["predictors"][name]["clauses"][clause] if name else loo[clause]
            mark = "✓" if option in row["modal"] and len(row["modal"]) == 1 else ("~" if option in row["modal"] else "")
            extra = f" ({row['kept']})" if name is None else ""
            cells.append(f"{row['p_real']:.2f}{mark or ' '}{extra}")
        table.add_row(clause, *cells)
    legend = Text("✓: the real option is the predictor's modal option. "
                  + ", ".join(f"{SHORT[n]}: {LABELS[n]}" for n in PREDICTORS if n != "model" and SHORT[n] != LABELS[n])
                  + "; LOO: leave one clause out (runs kept).", style="dim")
    return Group(Text("P(real option) by clause", style="bold"), real, Fit(table), legend)


def notes(record: Mapping[str, Any], extras: Mapping[str, Any], noise: float) -> Text:
    best = extras["best_baseline"]
    diff = extras["model_minus_best"]
    model = record["predictors"]["model"]["log_score"]
    verdict = "beats" if diff["log_score"] > 0 else "does not beat"
    lines = [
        f"The model {verdict} the best baseline ({LABELS[best]}, marked *) on mean log score: "
        f"{model:.3f} vs {record['predictors'][best]['log_score']:.3f}, a difference of {diff['log_score']:+.3f}"
        f"{_ci(diff['interval'])} ({int(extras['level'] * 100)}% bootstrap interval over clauses).",
        f"Caution: {extras['clauses']} clauses give little statistical power; an interval that straddles 0 "
        "means the data cannot tell the two apart.",
        f"Every predictor is mixed with the uniform distribution at ε = {extras['epsilon']:g} (floor ε/K per option). "
        f"Compromise capabilities: {', '.join(f'{k} {v:g}' for k, v in extras['capabilities'].items())}. "
        f"Model: Monte Carlo with lognormal preference noise σ = {noise:g}; clause shares among runs with a "
        f"definitive agreement ({record['dates']['model']['agreement_rate']:.0%} of runs).",
        "~ marks a tie for the modal option, counted 1/m in hits.",
    ]
    if record["dates"].get("model_before_as_of") is not None:
        lines.append(f"{record['dates']['model_before_as_of']:.1%} of runs reach a definitive agreement on or "
                     f"before as_of ({record['as_of']}), which a forecaster then already knew had not happened "
                     "(runs bargain only after as_of, the tactics' clocks counting from the talks' start).")
    return Text("\n".join(lines))


def render(record: Mapping[str, Any], extras: Mapping[str, Any], noise: float) -> Group:
    return Group(predictors_table(record, extras), clauses_table(record), notes(record, extras, noise))
