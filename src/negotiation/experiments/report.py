"""Terminal reports of experiments (rich): read from summary.json's content."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..domain.outcomes import option_label


def pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def num(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}g}"


def dates_line(dates: Mapping[str, Any]) -> str:
    if not dates.get("n"):
        return "no agreement in any run"
    return (f"median {dates['median']} (half between {dates['q25']} and {dates['q75']}; "
            f"range {dates['min']} – {dates['max']})")


def header(summary: Mapping[str, Any]) -> Text:
    text = Text.assemble((f"{summary['kind']}", "bold"), f" · {summary['scenario']} · seed {summary['seed']} · ",
                         f"{summary['completed_runs']:,} of {summary['planned_runs']:,} runs")
    if summary.get("interrupted"):
        text.append("  INTERRUPTED: partial results", style="bold yellow")
    return text


def comparison_lines(comp: Any) -> list[RenderableType]:
    if isinstance(comp, str):
        return [Text(f"Real deal: {comp}.", style="dim")]
    close = comp["close_match"]
    return [Text.assemble("Real deal: mean score ", (num(comp["mean_score"]), "bold"), " · runs matching ≥ ",
                          f"{close['min_matched']} of {close['of']} clauses within {close['within_days']} days: ",
                          (pct(close["share"]), "bold"))]


def group_panel(stats: Mapping[str, Any], title: str) -> list[RenderableType]:
    lines: list[RenderableType] = [
        Text.assemble("Agreement in ", (pct(stats["agreement_rate"]), "bold"), " of runs; results: ",
                      ", ".join(f"{k} {v}" for k, v in stats["results"].items())),
        Text(f"Definitive agreement date: {dates_line(stats['agreement_dates'])}"),
    ]
    if "tentative_dates" in stats:
        lines.append(Text(f"Tentative agreement date: {dates_line(stats['tentative_dates'])}"))
    if stats.get("metrics"):
        m = stats["metrics"]
        advantage = ", ".join(f"{p} {num(v)}" for p, v in m["advantage"].items())
        lines.append(Text(f"Mean distance to the Pareto frontier {num(m['pareto_dist'])}, to Nash "
                          f"{num(m['nash_dist'])}, to Kalai–Smorodinsky {num(m['ks_dist'])}; welfare "
                          f"{num(m['welfare'])}; advantage over reservation value: {advantage}"))
    deadlines = Table(box=None, pad_edge=False, title="P(agreement by each deadline)", title_justify="left")
    deadlines.add_column("deadline of", style="cyan")
    deadlines.add_column("date")
    deadlines.add_column("P", justify="right", style="bold")
    for name, entry in stats["by_deadline"].items():
        deadlines.add_row(name, entry["date"], pct(entry["p"]))
    lines.append(deadlines)
    for name, entry in (stats.get("conditions_met") or {}).items():
        lines.append(Text(f"P({name}'s condition met: a definitive agreement by {entry['date']}) {pct(entry['p'])}"))
    for name, entry in (stats.get("deadlines_passed") or {}).items():
        drawn = entry["first"] if entry["first"] == entry["last"] else \
            f"drawn {entry['first']} to {entry['last']}, median {entry['median']}"
        lines.append(Text(f"P({name} passed, the talks going on) {pct(entry['p'])} ({drawn})"))
    return lines


def clause_table(outcomes: Mapping[str, Mapping[str, float]], comp: Any) -> Table:
    table = Table(box=None, pad_edge=False, title="Agreed clauses (share of agreements)", title_justify="left")
    table.add_column("clause", style="cyan")
    table.add_column("most often")
    table.add_column("share", justify="right")
    table.add_column("runs matching the real deal", justify="right")
    matches = comp.get("clause_match", {}) if isinstance(comp, Mapping) else {}
    for clause, shares in outcomes.items():
        top = max(shares, key=lambda option: shares[option]) if any(shares.values()) else None
        table.add_row(clause, top or "–", pct(shares[top]) if top else "–", pct(matches.get(clause)))
    return table


def montecarlo(summary: Mapping[str, Any]) -> Panel:
    parts = [header(summary), *group_panel(summary, "runs"), clause_table(summary["outcomes"], summary["comparison"]),
             *comparison_lines(summary["comparison"])]
    return Panel(Group(*parts), title="[bold]Monte Carlo", title_align="left")


def whatif(summary: Mapping[str, Any]) -> Panel:
    base, other = summary["baseline"], summary["counterfactual"]
    table = Table(box=None, pad_edge=False, title="Baseline vs counterfactual", title_justify="left")
    table.add_column("", style="cyan", no_wrap=True)
    table.add_column("baseline", justify="right")
    table.add_column("counterfactual", justify="right")
    table.add_column("change", justify="right", no_wrap=True)
    table.add_row("agreement", pct(base["agreement_rate"]), pct(other["agreement_rate"]),
                  _delta(base["agreement_rate"], other["agreement_rate"], percent=True))
    table.add_row("median date", base["agreement_dates"].get("median", "–"),
                  other["agreement_dates"].get("median", "–"), "")
    for name, entry in base["by_deadline"].items():
        theirs = other["by_deadline"].get(name, {}).get("p")
        table.add_row(f"P(by {entry['date']}) {name}", pct(entry["p"]), pct(theirs),
                      _delta(entry["p"], theirs, percent=True))
    for name, entry in (base.get("conditions_met") or {}).items():
        theirs = (other.get("conditions_met") or {}).get(name, {})
        table.add_row(f"P({name}'s condition met) by {entry['date']} / {theirs.get('date', '–')}", pct(entry["p"]),
                      pct(theirs.get("p")), _delta(entry["p"], theirs.get("p"), percent=True))
    for party, u in base["utilities"].items():
        theirs = other["utilities"].get(party)
        table.add_row(f"mean utility {party} (over agreements)", num(u), num(theirs), _delta(u, theirs))
    if not isinstance(base["comparison"], str) and not isinstance(other["comparison"], str):
        # a run without a definitive agreement scores 0, so the score averages every run
        table.add_row("mean score vs real deal (over all runs)", num(base["comparison"]["mean_score"]),
                      num(other["comparison"]["mean_score"]),
                      _delta(base["comparison"]["mean_score"], other["comparison"]["mean_score"]))
    table.add_section()
    table.add_row(Text("clause: most agreed option (share of agreements)", style="dim"), "", "",
                  Text("mean", style="dim"))
    for clause, entry in summary["clauses"].items():
        left = Text.assemble(entry["baseline"] or "–", "\n", (pct(entry["baseline_share"]), "dim"))
        right = Text.assemble((entry["counterfactual"] or "–", "bold" if entry["changed"] else ""), "\n",
                              (pct(entry["counterfactual_share"]), "dim"))
        change = _delta(entry.get("baseline_mean"), entry.get("counterfactual_mean")) \
            if "mean_change" in entry else ("changed" if entry["changed"] else "")
        table.add_row(clause, left, right, change)
    parts: list[RenderableType] = [header(summary), Text(f"counterfactual: {summary['counterfactual_source']}",
                                                          style="dim"), table]
    return Panel(Group(*parts), title="[bold]What if", title_align="left")


def sweep(summary: Mapping[str, Any]) -> Panel:
    cells = summary["cells"]
    paths = list(cells[0]["params"]) if cells else []
    table = Table(box=None, pad_edge=False)
    for path in paths:
        table.add_column(path.removeprefix("parties."), style="cyan")
    table.add_column("runs", justify="right")
    table.add_column("agreement", justify="right")
    table.add_column("median date")
    table.add_column(summary["metric"], justify="right", style="bold")
    for c in cells:
        table.add_row(*(option_label(c["params"][p]) for p in paths), str(c["runs"]), pct(c["agreement_rate"]),
                      c["median_agreement_date"] or "–", num(c["metric"]))
    return Panel(Group(header(summary), table), title="[bold]Sweep", title_align="left")


def render(summary: Mapping[str, Any]) -> Panel:
    return {"montecarlo": montecarlo, "whatif": whatif, "sweep": sweep}[summary["kind"]](summary)


def _delta(a: float | None, b: float | None, percent: bool = False) -> str:
    if a is None or b is None:
        return ""
    d = b - a
    if abs(d) < 1e-9:
        return "±0"
    return f"{100 * d:+.1f} pts" if percent else f"{d:+.3g}"
