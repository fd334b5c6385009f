"""Terminal reports of experiments (rich): read from summary.json's content."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..domain.outcomes import option_label
from ..reports.fit import Fit


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
    lines.append(Fit(deadlines))
    for name, entry in (stats.get("conditions_met") or {}).items():
        lines.append(Text(f"P({name}'s condition met: a definitive agreement by {entry['date']}) {pct(entry['p'])}"))
    for name, entry in (stats.get("deadlines_passed") or {}).items():
        drawn = entry["first"] if entry["first"] == entry["last"] else \
            f"drawn {entry['first']} to {entry['last']}, median {entry['median']}"
        lines.append(Text(f"P({name} passed, the talks going on) {pct(entry['p'])} ({drawn})"))
    return lines


def clause_table(outcomes: Mapping[str, Mapping[str, float]], comp: Any) -> Fit:
    table = Table(box=None, pad_edge=False, title="Agreed clauses (share of agreements)", title_justify="left")
    table.add_column("clause", style="cyan", no_wrap=True)
    table.add_column("most often", no_wrap=True)
    table.add_column("share", justify="right", no_wrap=True)
    table.add_column("match real deal", justify="right", no_wrap=True)
    matches = comp.get("clause_match", {}) if isinstance(comp, Mapping) else {}
    for clause, shares in outcomes.items():
        top = max(shares, key=lambda option: shares[option]) if any(shares.values()) else None
        table.add_row(clause, top or "–", pct(shares[top]) if top else "–", pct(matches.get(clause)))
    return Fit(table)


def montecarlo(summary: Mapping[str, Any]) -> Panel:
    parts = [header(summary), *group_panel(summary, "runs"), clause_table(summary["outcomes"], summary["comparison"]),
             *comparison_lines(summary["comparison"])]
    return Panel(Group(*parts), title="[bold]Monte Carlo", title_align="left")


def whatif(summary: Mapping[str, Any]) -> Panel:
    """Baseline and counterfactual side by side. Values never wrap (an
    option or a date is read whole); the row labels wrap instead, so the
    table fits 80 columns, the width of piped output. Each arm's P(by a
    deadline) is computed against its own date: when the counterfactual
    moved the deadline, each cell shows its date under the share."""
    base, other = summary["baseline"], summary["counterfactual"]
    table = Table(box=None, pad_edge=False, title="Baseline vs what if", title_justify="left")
    table.add_column("", style="cyan", ratio=1, overflow="fold")
    for name in ("baseline", "what if", "change"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_row("agreement", pct(base["agreement_rate"]), pct(other["agreement_rate"]),
                  _delta(base["agreement_rate"], other["agreement_rate"], percent=True))
    table.add_row("median date", base["agreement_dates"].get("median", "–"),
                  other["agreement_dates"].get("median", "–"), "")
    for name, entry in base["by_deadline"].items():
        theirs = other["by_deadline"].get(name, {})
        if theirs.get("date", entry["date"]) == entry["date"]:
            label, left, right = f"P(by {entry['date']}) {name}", pct(entry["p"]), pct(theirs.get("p"))
        else:  # each arm against its own date
            label = f"P(by {name}'s deadline)"
            left = Text.assemble(pct(entry["p"]), "\n", (entry["date"], "dim"))
            right = Text.assemble(pct(theirs.get("p")), "\n", (theirs.get("date", "–"), "dim"))
        table.add_row(label, left, right, _delta(entry["p"], theirs.get("p"), percent=True))
    for name, entry in (base.get("conditions_met") or {}).items():
        theirs = (other.get("conditions_met") or {}).get(name, {})
        left = Text.assemble(pct(entry["p"]), "\n", (entry["date"], "dim"))
        right = Text.assemble(pct(theirs.get("p")), "\n", (theirs.get("date", "–"), "dim"))
        table.add_row(f"P({name}'s condition met by its date)", left, right,
                      _delta(entry["p"], theirs.get("p"), percent=True))
    for party, u in base["utilities"].items():
        theirs = other["utilities"].get(party)
        table.add_row(f"mean utility {party}", num(u), num(theirs), _delta(u, theirs))
    if not isinstance(base["comparison"], str) and not isinstance(other["comparison"], str):
        # a run without a definitive agreement scores 0, so the score averages every run
        table.add_row("mean score vs real deal", num(base["comparison"]["mean_score"]),
                      num(other["comparison"]["mean_score"]),
                      _delta(base["comparison"]["mean_score"], other["comparison"]["mean_score"]))
    table.add_section()
    table.add_row(Text("clause: most agreed option", style="dim"), "", "", "")
    for clause, entry in summary["clauses"].items():
        left = Text.assemble(entry["baseline"] or "–", "\n", (pct(entry["baseline_share"]), "dim"))
        right = Text.assemble((entry["counterfactual"] or "–", "bold" if entry["changed"] else ""), "\n",
                              (pct(entry["counterfactual_share"]), "dim"))
        change = _delta(entry.get("baseline_mean"), entry.get("counterfactual_mean")) \
            if "mean_change" in entry else ("changed" if entry["changed"] else "")
        table.add_row(clause, left, right, change)
    parts: list[RenderableType] = [header(summary), Text(f"what if: {summary['counterfactual_source']}",
                                                          style="dim", overflow="fold"), Fit(table),
                                  Text("Utilities: mean over runs that agreed; score: over all runs (one without a "
                                       "definitive agreement scores 0); under each clause's option, its share of "
                                       "agreements; change: of the mean, for numbers.", style="dim")]
    return Panel(Group(*parts), title="[bold]What if", title_align="left")


def sweep(summary: Mapping[str, Any]) -> Panel:
    """One row per grid cell. A swept path is headed by its last part
    (``e``), or as many parts as tell the paths apart, and named in full
    above the table: headers are abbreviated, values never."""
    cells = summary["cells"]
    paths = list(cells[0]["params"]) if cells else []
    names = short_names(paths)
    table = Table(box=None, pad_edge=False)
    for name in names:
        table.add_column(name, style="cyan", no_wrap=True)
    table.add_column("runs", justify="right", no_wrap=True)
    table.add_column("agreement", justify="right", no_wrap=True)
    table.add_column("median date", no_wrap=True)
    table.add_column(summary["metric"], justify="right", style="bold", no_wrap=True)
    for c in cells:
        table.add_row(*(option_label(c["params"][p]) for p in paths), str(c["runs"]), pct(c["agreement_rate"]),
                      c["median_agreement_date"] or "–", num(c["metric"]))
    legend = [Text(f"{name}: {path}", style="dim", overflow="fold") for name, path in zip(names, paths) if name != path]
    return Panel(Group(header(summary), *legend, Fit(table)), title="[bold]Sweep", title_align="left")


def short_names(paths: list[str]) -> list[str]:
    """The shortest dotted suffix of each path that no other path ends with."""
    out = []
    for path in paths:
        parts = path.split(".")
        for k in range(1, len(parts) + 1):
            name = ".".join(parts[-k:])
            if not any(other != path and (other == name or other.endswith("." + name)) for other in paths):
                break
        out.append(name)
    return out


def tournament(summary: Mapping[str, Any]) -> Panel:
    """Per role, the tactics best first: mean utility with its interval, and
    the other measures' means; under each, the test between the top two."""
    parts: list[RenderableType] = [header(summary)]
    for role, entries in summary["ranking"].items():
        table = Table(box=None, pad_edge=False, title=f"{role}", title_justify="left", title_style="bold")
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column("tactic", style="cyan", no_wrap=True)
        table.add_column("utility [95% CI]", justify="right", no_wrap=True)
        for name in ("agree", "welfare", "pareto", "nash", "adv."):
            table.add_column(name, justify="right", no_wrap=True)
        for e in entries:
            table.add_row(str(e["rank"]), e["tactic"], f"{num(e['utility'])} [{num(e['utility_lo'])}, "
                                                       f"{num(e['utility_hi'])}]",
                          pct(e["agreement"]), num(e["welfare"]), num(e["pareto_dist"]), num(e["nash_dist"]),
                          num(e["advantage"]))
        parts.append(Fit(table))
        test = summary["tests"].get(role)
        if test and test["mean_difference"] is not None:
            verdict = "significant" if test["significant"] else "not significant"
            parts.append(Text(f"{test['first']} − {test['second']}: {num(test['mean_difference'])} "
                              f"[{num(test['ci'][0])}, {num(test['ci'][1])}], {_p(test['p_value'])} "
                              f"({test['method']}, {test['seeds']} seeds): {verdict} at 5 %", style="dim"))
    parts.append(Text("utility: the role's own (its reservation value without a deal); agree: agreement rate; "
                      "welfare, distances to the Pareto frontier and the Nash point, advantage over the "
                      "reservation value: means over every run, in the scenario as written.", style="dim"))
    return Panel(Group(*parts), title="[bold]Tournament", title_align="left")


def render(summary: Mapping[str, Any]) -> Panel:
    return {"montecarlo": montecarlo, "whatif": whatif, "sweep": sweep,
            "tournament": tournament}[summary["kind"]](summary)


def _delta(a: float | None, b: float | None, percent: bool = False) -> str:
    if a is None or b is None:
        return ""
    d = b - a
    if abs(d) < 1e-9:
        return "±0"
    return f"{100 * d:+.1f} pts" if percent else f"{d:+.3g}"


def _p(p: float | None) -> str:
    """A p-value as far as the resamples can tell it (no "p = 0")."""
    return "p –" if p is None else "p < 0.001" if p < 0.001 else f"p = {p:.2g}"
