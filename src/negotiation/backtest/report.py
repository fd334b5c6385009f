"""The backtest in the terminal: every predictor side by side, the dates,
the diagnostics apart, and what the numbers can and cannot say. Reads
the record and the extras only; every table fits 80 columns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

LABELS = {"model": "model (Monte Carlo)", "status_quo": "status quo", "middle_option": "middle option",
          "compromise": "compromise", "nash": "Nash point", "kalai_smorodinsky": "Kalai–Smorodinsky",
          "uniform": "uniform guess", "reference_class": "reference class", "ensemble": "ensemble (stacked)"}
SHORT = {"model": "model", "status_quo": "SQ", "middle_option": "mid", "compromise": "comp", "nash": "Nash",
         "kalai_smorodinsky": "KS", "uniform": "unif", "ensemble": "ens"}
DIAGNOSTICS = {"leave_one_clause_out": "leave one clause out", "time": "runs near the MOU"}


def _ci(interval: Any) -> str:
    return f" [{interval[0]:.2f}, {interval[1]:.2f}]" if interval else ""


def _num(value: Any, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _hits(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"


def _table(title: str) -> Table:
    return Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1, 0, 0),
                 min_width=min(len(title), 80))


def predictors_table(record: Mapping[str, Any], extras: Mapping[str, Any]) -> Table:
    n = extras["clauses"]
    level = int(extras["level"] * 100)
    table = _table(f"Backtest: {record['runs']:,} runs, as of {record['as_of'] or '(no cut-off)'}, "
                   f"against the real deal ({n} clauses)")
    table.add_column("predictor")
    table.add_column(f"log score ↑ [{level}% CI]", justify="right")
    table.add_column("Brier ↓", justify="right")
    table.add_column("RPS ↓", justify="right")
    table.add_column(f"hits /{n}", justify="right")
    best = extras["best_baseline"]
    for name, p in record["predictors"].items():
        ci = extras["intervals"][name]
        table.add_row(LABELS[name] + (" *" if name == best else ""), f"{p['log_score']:.3f}{_ci(ci['log_score'])}",
                      f"{p['brier']:.3f}", _num(p["rps"]), _hits(p["hits"]))
    return table


def dates_table(record: Mapping[str, Any]) -> Table:
    table = _table(f"The definitive date (real: {record['dates']['truth']}); CRPS in days")
    table.add_column("predictor")
    table.add_column("median", justify="right")
    table.add_column("days off", justify="right")
    table.add_column("in 80%", justify="right")
    table.add_column("CRPS tent.", justify="right")
    table.add_column("CRPS def.", justify="right")
    for name, d in record["dates"].items():
        if not isinstance(d, dict):
            continue
        crps = d.get("crps_days", {})
        table.add_row(LABELS[name], d["median"] or "no deal", "—" if d["days_off"] is None else f"{d['days_off']:+d}",
                      "—" if d["in_80"] is None else ("yes" if d["in_80"] else "no"),
                      _num(crps.get("tentative"), 1), _num(crps.get("definitive"), 1))
    return table


def diagnostics_table(record: Mapping[str, Any]) -> Table:
    """The hold-outs, apart: they pick runs with the truth, so no forecast."""
    table = _table("Diagnostics, not forecasts (they select runs with the real deal)")
    table.add_column("diagnostic")
    table.add_column("log score", justify="right")
    table.add_column("Brier", justify="right")
    table.add_column("RPS", justify="right")
    table.add_column("hits", justify="right")
    table.add_column("runs kept", justify="right")
    for key, label in DIAGNOSTICS.items():
        h = record["holdout"].get(key)
        if not h:
            continue
        kept = (f"{min(c['kept'] for c in h['clauses'].values())}–{max(c['kept'] for c in h['clauses'].values())}"
                if key == "leave_one_clause_out" and h["clauses"] else str(h.get("kept", "—")))
        if h["log_score"] is None:
            table.add_row(label, f"none (±{h['window_days']} d)", "—", "—", "—", kept)
            continue
        table.add_row(label, f"{h['log_score']:.3f}", f"{h['brier']:.3f}", _num(h.get("rps")), _hits(h["hits"]),
                      kept)
    return table


def clauses_table(record: Mapping[str, Any]) -> Table:
    """P(real option) per clause and predictor; ✓ where the real option is modal."""
    table = _table("P(real option) by clause (✓ modal, ~ tied for modal)")
    table.add_column("clause", max_width=15, overflow="ellipsis", no_wrap=True)
    table.add_column("real", max_width=10, overflow="ellipsis", no_wrap=True)
    names = list(record["predictors"])
    for name in names:
        table.add_column(SHORT[name], justify="right", no_wrap=True)
    for clause, real in record["truth"]["clauses"].items():
        cells = []
        for name in names:
            row = record["predictors"][name]["clauses"][clause]
            mark = "✓" if real in row["modal"] and len(row["modal"]) == 1 else ("~" if real in row["modal"] else " ")
            cells.append(f"{row['p_real']:.2f}{mark}")
        table.add_row(clause, str(real), *cells)
    return table


def notes(record: Mapping[str, Any], extras: Mapping[str, Any], noise: float) -> Text:
    best = extras["best_baseline"]
    diff = extras["model_minus_best"]
    model = record["predictors"]["model"]["log_score"]
    verdict = "beats" if diff["log_score"] > 0 else "does not beat"
    missing = extras.get("no_status_quo") or []
    lines = [
        f"The model {verdict} the best baseline ({LABELS[best]}, marked *) on mean log score: "
        f"{model:.3f} vs {record['predictors'][best]['log_score']:.3f}, a difference of {diff['log_score']:+.3f}"
        f"{_ci(diff['interval'])} ({int(extras['level'] * 100)}% bootstrap interval over clauses).",
        f"Caution: {extras['clauses']} clauses give little statistical power; an interval that straddles 0 "
        "means the data cannot tell the two apart.",
        f"ε = {extras['epsilon']:g}: every predictor is mixed with the uniform distribution at this weight "
        f"(floor ε/K per option) before any score. Compromise capabilities: "
        f"{', '.join(f'{k} {v:g}' for k, v in extras['capabilities'].items())}. Model: Monte Carlo with "
        f"lognormal preference noise σ = {noise:g}; clause shares among runs with a definitive agreement "
        f"({record['dates']['model']['agreement_rate']:.0%} of runs).",
        "RPS: ranked probability score on ordered clauses (0 best, 1 worst). CRPS: continuous ranked "
        "probability score of a date sample in days; a run without agreement counts as the day after the "
        "calendar's end.",
        "Status quo: each clause's status_quo option" + (f"; uniform on {', '.join(missing)}, which mark none."
                                                        if missing else "."),
    ]
    if not extras.get("library"):
        lines.append("The reference-class date and the stacked ensemble need a library of cases "
                     "(`negotiation backtest CASE CASE…` or a folder).")
    if record["dates"].get("model_before_as_of") is not None:
        lines.append(f"{record['dates']['model_before_as_of']:.0%} of runs reach a definitive agreement on or "
                     f"before as_of ({record['as_of']}), which a forecaster then already knew had not happened.")
    return Text("\n".join(lines))


def render(record: Mapping[str, Any], extras: Mapping[str, Any], noise: float) -> Group:
    return Group(predictors_table(record, extras), dates_table(record), clauses_table(record),
                 diagnostics_table(record), notes(record, extras, noise))
