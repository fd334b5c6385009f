"""Terminal reports with rich: what a person reads after a run."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..domain.outcomes import option_label
from ..domain.scenario import Scenario
from ..roles import describe_party
from .fit import Fit

if TYPE_CHECKING:  # the runner imports Mesa (about a second): readers of a log never need it
    from ..engine.simulate import RunOutput

RESULT_STYLE = {"agreement": "bold green", "deadline": "bold yellow", "breakdown": "bold red"}


def utility_bar(value: float, reservation: float | None = None, width: int = 20) -> Text:
    """A bar of ``width`` cells for a utility in [0, 1]; ``|`` marks the
    reservation value, so 'above the BATNA or not' is seen at a glance. A
    value outside [0, 1] (a log edited by hand: 1e308) fills or empties the
    bar; the table beside it shows the number itself."""
    filled = int(round(_unit(value) * width))
    cells = ["█"] * filled + ["·"] * (width - filled)
    if reservation is not None:
        mark = min(width - 1, int(round(_unit(reservation) * width)))
        cells[mark] = "|"
    style = "green" if reservation is None or value >= reservation else "red"
    return Text("".join(cells), style=style)


def _unit(x: float) -> float:
    return min(1.0, max(0.0, x))


def run_summary(output: RunOutput) -> Panel:
    s = output.summary
    scenario: Scenario = output.scenario
    tentative = f"tentative {s['tentative_date']}, " if s.get("tentative_date") and s["result"] == "agreement" \
        and s["tentative_date"] != s["date"] else ""
    head = Text.assemble(
        (s["result"].upper(), RESULT_STYLE.get(s["result"], "bold")),
        f"  {tentative}{'definitive ' if tentative else ''}on {s['date']} (round {s['rounds']})  ",
        (s["reason"], "dim"),
    )
    parts: list[Any] = [head]
    parts += [Text(line, style="yellow") for line in horizon_lines(output.log_text)]
    for name, deadline in (s.get("deadlines") or {}).items():
        passed = ("passed: its costs applied, the talks went on", "yellow") if deadline["passed"] else ("not passed", "")
        parts.append(Text.assemble(f"{name} ({deadline['date']} this run): ", passed))
    for investor, condition in (s.get("conditions") or {}).items():
        met = ("met", "green") if condition["met"] else ("missed: its money was withdrawn", "red")
        parts.append(Text.assemble(f"{investor}'s condition (a definitive deal by {condition['date']}): ", met))
    if s["outcome"]:
        clauses = Table(title="Agreed clauses", title_justify="left", box=None, pad_edge=False)
        clauses.add_column("clause", style="cyan", no_wrap=True)
        clauses.add_column("agreed", style="bold", no_wrap=True)
        clauses.add_column("options", ratio=1)  # wraps between options
        for c in scenario.clauses:
            agreed = s["outcome"][c.name]
            opts = Text(" ").join(Text(option_label(o), style="bold reverse" if o == agreed else "dim")
                                  for o in c.options)
            clauses.add_row(c.name, option_label(agreed), opts)
        parts.append(Fit(clauses))
        parts.append(utilities_table(s["utilities"], s["reservations"]))
    return Panel(Group(*parts), title=f"[bold]{scenario.name}[/] · seed {s['seed']}", title_align="left")


def horizon_lines(log_text: str) -> list[str]:
    """A line for each bargainer whose concessions were paced by the
    analyst's horizon (or the calendar's end) because nothing else dated
    them: no hard deadline, and no cost of delay that stops waiting paying
    (``domain/deadlines.py``). Read from the log's header."""
    import json

    header = json.loads(log_text.split("\n", 1)[0])
    lines = []
    for p in header.get("parties", []):
        if p.get("role") != "bargainer" or p.get("deadline"):
            continue
        set_by = p.get("clock", {}).get("set_by", "horizon")
        if set_by in ("horizon", "calendar"):
            lines.append(f"{p['name']}: the analyst's horizon {p['horizon']} sets its pace "
                         f"(no deadline or cost of delay of its own dates its concessions)")
    return lines


def utilities_table(utilities: Mapping[str, float], reservations: Mapping[str, float],
                    plain: bool = False) -> Table:
    """Each party's utility with a bar marking its reservation value; ``plain``
    (piped output, no colour) spells out "<rv" where colour would show it."""
    table = Table(title="Utilities (| = reservation value)", title_justify="left", box=None, pad_edge=False,
                  show_edge=False)
    table.add_column("party", style="cyan")
    table.add_column("utility", justify="right")
    table.add_column("rv", justify="right", style="dim")
    table.add_column("")
    for name, u in utilities.items():
        rv = reservations.get(name)
        below = " <rv" if plain and rv is not None and u < rv else ""
        table.add_row(name, f"{u:.3f}", "" if rv is None else f"{rv:.3f}", Text.assemble(utility_bar(u, rv), below))
    return table


def print_validation(console: Console, scenario: Scenario) -> None:
    space = scenario.space
    table = Table(title=f"{scenario.source}: valid", title_justify="left", box=None)
    table.add_column("party", style="cyan")
    table.add_column("role")
    table.add_column("what it brings")
    for p in scenario.parties:
        table.add_row(p.name, p.role, Text(describe_party(p)))
    console.print(table)
    console.print(f"{len(scenario.clauses)} clauses, {space.size:,} outcomes, "
                  f"{scenario.calendar.n_rounds} rounds of {scenario.calendar.round_days} days "
                  f"from {scenario.calendar.start} to {scenario.calendar.deadline}")


def comparison_table(comparison: dict[str, Any]) -> Group:
    """The run against the real deal: one row per clause, then the timing."""
    table = Table(title=f"Against the real deal ({Path(comparison['truth']).name})", title_justify="left",
                  box=None, pad_edge=False)
    table.add_column("clause", style="cyan", no_wrap=True)
    table.add_column("simulated", no_wrap=True)
    table.add_column("real", no_wrap=True)
    table.add_column("", no_wrap=True)
    for name, row in comparison["clauses"].items():
        sim = "—" if row["simulated"] is None else option_label(row["simulated"])
        if row["match"]:
            mark = Text("✓", style="bold green")
        elif row["distance"] is None:
            mark = Text("·", style="dim")
        else:
            mark = Text(f"✗ {row['distance']} off", style="red" if row["distance"] > 1 else "yellow")
        table.add_row(name, sim, option_label(row["real"]), mark)
    return Group(Fit(table), _comparison_caption(comparison))


def _comparison_caption(comparison: dict[str, Any]) -> Text:
    def days(value: int | None) -> str:
        return "no agreement" if value is None else f"{value:+d} days"

    return Text.assemble(
        ("matched ", "bold"), f"{comparison['matched']}/{comparison['total']} clauses   ",
        ("tentative ", "bold"), days(comparison["days_off_tentative"]), "   ",
        ("definitive ", "bold"), days(comparison["days_off_definitive"]), "   ",
        ("score ", "bold"), f"{comparison['score']:.3f}",
    )
