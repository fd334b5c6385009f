"""The backtest in the terminal: every predictor side by side, the dates,
the diagnostics apart, and what the numbers can and cannot say. Reads the
record and the extras only. Piped output has 80 columns: tables go through
``reports.fit.Fit``, so a value is never cut (labels may wrap)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..reports.fit import Fit

LABELS = {"model": "model (Monte Carlo)", "status_quo": "status quo", "middle_option": "middle option",
          "compromise": "compromise", "nash": "Nash point", "kalai_smorodinsky": "Kalai–Smorodinsky",
          "uniform": "uniform guess", "reference_class": "reference class", "ensemble": "ensemble (stacked)"}
SHORT = {"model": "model", "status_quo": "SQ", "middle_option": "middle", "compromise": "compr.", "nash": "Nash",
         "kalai_smorodinsky": "KS", "uniform": "unif.", "ensemble": "ens."}
DIAGNOSTICS = {"leave_one_clause_out": "leave one clause out", "time": "runs near the MOU"}


def _ci(interval: Any) -> str:
    return f" [{interval[0]:.2f}, {interval[1]:.2f}]" if interval else ""


def _num(value: Any, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _hits(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"


def _table() -> Table:
    """The plain table every backtest report uses."""
    return Table(box=None, pad_edge=False, header_style="bold")


def titled(title: str, table: Table, *after: Any) -> Group:
    """A bold title on its own lines (wrapped at the terminal, not at the
    table's width), the table fitted to the terminal, then ``after``."""
    return Group(Text(title, style="bold"), Fit(table), *after)


def predictors_table(record: Mapping[str, Any], extras: Mapping[str, Any]) -> Group:
    n = extras["clauses"]
    level = int(extras["level"] * 100)
    title = Text(f"Backtest: {record['runs']:,} runs, as of {record['as_of'] or '(no cut-off)'}, "
                 f"against the real deal ({n} clauses)", style="bold")
    scores = _table()
    scores.add_column("predictor", ratio=1)
    for name in ("log score ↑", f"{level}% CI", "Brier ↓", "RPS ↓", f"hits /{n}"):
        scores.add_column(name, justify="right", no_wrap=True)
    best = extras["best_baseline"]
    for name, p in record["predictors"].items():
        ci = extras["intervals"][name]
        scores.add_row(LABELS[name] + (" *" if name == best else ""), f"{p['log_score']:.3f}",
                       _ci(ci["log_score"]).strip(), f"{p['brier']:.3f}", _num(p["rps"]),
                       _hits(p["hits"]))
    parts: list[Any] = [title, Fit(scores)]
    if (line := before_as_of(record)) is not None:
        parts.append(Text(line, style="dim"))
    return Group(*parts)


def before_as_of(record: Mapping[str, Any]) -> str | None:
    """The share of runs agreeing on or before ``as_of`` (0 by construction: runs bargain only after it)."""
    dates = record["dates"]
    if dates.get("model_before_as_of") is None:
        return None
    tentative = dates.get("model_tentative_before_as_of") or 0.0
    return (f"runs agreeing on or before as_of ({record['as_of']}): {dates['model_before_as_of']:.1%} definitive, "
            f"{tentative:.1%} tentative")


def dates_table(record: Mapping[str, Any]) -> Group:
    table = _table()
    table.add_column("predictor", ratio=1)
    for name in ("median", "days off", "truth in 80%", "CRPS tent.", "CRPS def."):
        table.add_column(name, justify="right", no_wrap=True)
    for name, d in record["dates"].items():
        if not isinstance(d, dict):
            continue
        crps = d.get("crps_days", {})
        table.add_row(LABELS[name], d["median"] or "no deal", "—" if d["days_off"] is None else f"{d['days_off']:+d}",
                      "—" if d["in_80"] is None else ("yes" if d["in_80"] else "no"),
                      _num(crps.get("tentative"), 1), _num(crps.get("definitive"), 1))
    return titled(f"The definitive date (real: {record['dates']['truth']}); CRPS in days ↓", table)


def clauses_table(record: Mapping[str, Any]) -> Group:
    """P(real option) per clause and predictor; ✓ where the real option is
    modal. The real options are listed above the table, not in it, so the
    table fits 80 columns; predictors are abbreviated in the header only."""
    truth = record["truth"]["clauses"]
    real = Text("Real deal: " + " · ".join(f"{clause} {option}" for clause, option in truth.items()))
    names = list(record["predictors"])
    table = _table()
    table.add_column("clause", no_wrap=True)
    for name in names:
        table.add_column(SHORT[name], justify="right", no_wrap=True)
    for clause, option in truth.items():
        cells = []
        for name in names:
            row = record["predictors"][name]["clauses"][clause]
            mark = "✓" if option in row["modal"] and len(row["modal"]) == 1 else ("~" if option in row["modal"] else "")
            cells.append(f"{row['p_real']:.2f}{mark or ' '}")
        table.add_row(clause, *cells)
    legend = Text("✓: the real option is the predictor's modal option; ~: tied for it (counted 1/m in hits). "
                  + ", ".join(f"{SHORT[n]}: {LABELS[n]}" for n in names if n != "model" and SHORT[n] != LABELS[n])
                  + ".", style="dim")
    return Group(Text("P(real option) by clause", style="bold"), real, Fit(table), legend)


def diagnostics_table(record: Mapping[str, Any]) -> Group:
    """The hold-outs, apart: they pick runs with the truth, so no forecast."""
    table = _table()
    table.add_column("diagnostic", ratio=1)
    for name in ("log score", "Brier", "RPS", "hits", "runs kept"):
        table.add_column(name, justify="right", no_wrap=True)
    lines = []
    for key, label in DIAGNOSTICS.items():
        h = record["holdout"].get(key)
        if not h:
            continue
        if key == "leave_one_clause_out" and h["clauses"]:
            kept = [c["kept"] for c in h["clauses"].values()]
            lines.append("leave one clause out, P(real option) (runs kept): " + " · ".join(
                f"{clause} {c['p_real']:.2f} ({c['kept']})" for clause, c in h["clauses"].items()))
            kept_cell = f"{min(kept)}–{max(kept)}"
        else:
            kept_cell = str(h.get("kept", "—"))
        if h["log_score"] is None:
            table.add_row(label, "—", "—", "—", "—", kept_cell)
            lines.append(f"{label}: no run kept (±{h['window_days']} days)")
            continue
        table.add_row(label, f"{h['log_score']:.3f}", f"{h['brier']:.3f}", _num(h.get("rps")), _hits(h["hits"]),
                      kept_cell)
    return titled("Diagnostics, not forecasts (they select runs with the real deal)", table,
                  *(Text(line, style="dim") for line in lines))


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
                     "(`negotiation backtest` with several scenarios, or a folder of cases).")
    if record["dates"].get("model_before_as_of") is not None:
        lines.append(f"{record['dates']['model_before_as_of']:.1%} of runs reach a definitive agreement on or "
                     f"before as_of ({record['as_of']}), which a forecaster then already knew had not happened "
                     "(runs bargain only after as_of, the tactics' clocks counting from the talks' start).")
    return Text("\n".join(lines))


def render(record: Mapping[str, Any], extras: Mapping[str, Any], noise: float) -> Group:
    return Group(predictors_table(record, extras), dates_table(record), clauses_table(record),
                 diagnostics_table(record), notes(record, extras, noise))
