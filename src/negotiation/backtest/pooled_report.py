"""A library's backtest in the terminal: the pooled table (every predictor,
the model's difference from each with its interval over cases), the dates,
the per-case rows and the ensemble's weight on the model. Reads the
library's JSON record only; every table fits 80 columns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Group
from rich.text import Text

from .report import LABELS as _LABELS
from .report import _ci, _num, _table, titled

LABELS = {**_LABELS, "model": "model", "ensemble": "ensemble"}


def pooled_table(record: Mapping[str, Any]) -> Any:
    p = record["pooled"]
    level = int(p["level"] * 100)
    title = (f"Library backtest: {p['cases']} cases, {p['clauses']} clauses ({p['ordered_clauses']} ordered); "
             "mean per clause, all out of sample")
    table = _table()
    table.add_column("predictor", ratio=1)
    table.add_column("log score ↑", justify="right")
    table.add_column("model − it", justify="right")
    table.add_column(f"{level}% CI", justify="right", no_wrap=True)
    table.add_column("Brier ↓", justify="right")
    table.add_column("RPS ↓", justify="right")
    table.add_column("hits", justify="right")
    best = p["best_baseline"]
    for name, m in p["predictors"].items():
        diff = p["model_minus"].get(name)
        cells = ("", "") if diff is None else (f"{diff['log_score']:+.3f}", _ci(diff["interval"]).strip())
        table.add_row(LABELS[name] + (" *" if name == best else ""), f"{m['log_score']:.3f}", *cells,
                      f"{m['brier']:.3f}", _num(m["rps"]), f"{m['hit_rate']:.2f}")
    return titled(title, table)


def dates_table(record: Mapping[str, Any]) -> Any:
    title = "Definitive and tentative dates over the cases (CRPS: mean, days)"
    table = _table()
    table.add_column("predictor", ratio=1)
    table.add_column("cases", justify="right")
    table.add_column("med. days off", justify="right")
    table.add_column("in 80%", justify="right")
    table.add_column("CRPS tent.", justify="right")
    table.add_column("CRPS def.", justify="right")
    for name, d in record["pooled"]["dates"].items():
        table.add_row(LABELS[name], str(d["cases"]), "—" if d["median_days_off"] is None else
                      f"{d['median_days_off']:+.0f}", "—" if d["coverage_80"] is None else f"{d['coverage_80']:.0%}",
                      _num(d["crps_tentative"], 1), _num(d["crps_definitive"], 1))
    return titled(title, table)


def cases_table(record: Mapping[str, Any]) -> Any:
    p = record["pooled"]
    best = p["best_baseline"]
    level = int(p["level"] * 100)
    title = (f"Per case: mean log score per clause; gain = model − {LABELS[best]} ({level}% CI over the case's "
             "clauses); w: the ensemble's weight on the model, fit on the other cases; days: the model's median "
             "date minus the real one")
    table = _table()
    table.add_column("case", ratio=1)
    table.add_column("n", justify="right")
    table.add_column("model", justify="right")
    table.add_column("gain", justify="right")
    table.add_column("CI", justify="right", no_wrap=True)
    table.add_column("ens.", justify="right")
    table.add_column("w", justify="right")
    table.add_column("days", justify="right")
    loco = p["ensemble"]["loco_model_weight"]
    for case, row in zip(record["cases"], p["forest"]):
        preds = case["predictors"]
        ens = preds.get("ensemble")
        off = case["dates"]["model"]["days_off"]
        interval = row["interval"]
        table.add_row(case["case"], str(row["clauses"]), f"{preds['model']['log_score']:.2f}",
                      f"{row['gain']:+.2f}",
                      f"[{interval[0]:.2f}, {interval[1]:.2f}]" if interval else "—",
                      "—" if ens is None else f"{ens['log_score']:.2f}", _num(loco.get(case["case"]), 2),
                      "—" if off is None else f"{off:+d}")
    return titled(title, table)


def notes(record: Mapping[str, Any]) -> Text:
    p = record["pooled"]
    e = p["ensemble"]
    best = p["best_baseline"]
    diff = p["model_minus"][best]
    level = int(p["level"] * 100)
    weights = ", ".join(f"{LABELS[n].split(' (')[0]} {w:.2f}" for n, w in (e["weights"] or {}).items() if w >= 0.005)
    lines = [
        f"Pooled, the model {'beats' if diff['log_score'] > 0 else 'does not beat'} the best baseline "
        f"({LABELS[best]}, *): {diff['log_score']:+.3f} nats per clause{_ci(diff['interval'])} ({level}% paired "
        "bootstrap over cases: a case's clauses are drawn together).",
        f"Ensemble: a log-score-optimal mixture of the model and the baselines (stacking, Yao et al. 2018), "
        f"its weights fit leave one case out; fit on every case the weight on the model is "
        f"{_num(e['model_weight'], 2)}{_ci(e['interval'])} ({level}% bootstrap over cases). Weights: {weights}.",
        f"ε = {p['epsilon']:g} for every predictor, the ensemble's members included. The reference-class "
        "date: the other cases' real dates as shares of their calendars, on this case's calendar.",
    ]
    missing = [c["case"] for c in record["cases"] if "reference_class" not in c["dates"]]
    if missing:
        lines.append(f"No reference-class date for {', '.join(missing)}: every other case's date falls on or "
                     "before its as_of there.")
    if p.get("interrupted"):
        lines.append("Interrupted: the scores use only the runs that finished.")
    return Text("\n".join(lines))


def render(record: Mapping[str, Any]) -> Group:
    return Group(pooled_table(record), dates_table(record), cases_table(record), notes(record))
