"""Bargaining analysis of an outcome space too large to enumerate.

Above the enumeration limit the scenario has two bargainers (checked when it
is read), the only parties with preferences. Their exact Pareto frontier
over the outcomes every party allows (constraints and ratifiers'
requirements, clause by clause) comes from the clause-by-clause search of
:mod:`negotiation.domain.clausewise`; every solution point lies on it, so the
Nash, Kalai–Smorodinsky, utilitarian and egalitarian points are those of the
frontier's utility pairs (:func:`~negotiation.domain.bargaining.analyse`
on them), with each party's best allowed outcome. What needs the whole space
is not offered: the PNG of every outcome and placing a run (``--run``).
Among outcomes with equal utilities the frontier keeps one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text


from ...domain import clausewise as cw
from ...errors import InputError
from ...domain.outcomes import option_label
from ...domain.preferences import Preferences
from ...domain.scenario import Scenario
from ...roles import declared
from ...domain.bargaining import Bargaining, analyse
from ..fit import Fit

DIGITS = 6
TITLES = {"nash": "Nash", "kalai_smorodinsky": "K–S", "utilitarian": "utilitarian", "egalitarian": "egalitarian"}


@dataclass(frozen=True, eq=False)
class LargeAnalysis:
    scenario: Scenario
    parties: tuple[str, ...]
    tables: tuple[tuple[np.ndarray, ...], ...]  # per party, per clause
    allowed: tuple[np.ndarray, ...]              # per clause: options every party allows
    frontier: cw.Frontier
    result: Bargaining                           # indices are frontier rows
    best: dict[str, tuple[int, ...] | None]      # each party's best allowed outcome

    def options_of(self, row: int) -> tuple[int, ...]:
        return tuple(int(o) for o in self.frontier.options[row])

    def utilities_at(self, options: tuple[int, ...]) -> dict[str, float]:
        return {p: round(cw.total(t, options), DIGITS) for p, t in zip(self.parties, self.tables)}


@dataclass(frozen=True, eq=False)
class UtilityLookup:
    """``lookup[outcome]``: the parties' utilities of one outcome, as a row of an enumerated array would be."""

    analysis: LargeAnalysis

    def __getitem__(self, outcome: int) -> np.ndarray:
        options = self.analysis.scenario.space.option_indices(int(outcome))
        return np.array([cw.total(t, options) for t in self.analysis.tables])


def analyse_large(scenario: Scenario) -> LargeAnalysis:
    """The frontier, the points and each party's best outcome, exactly."""
    space = scenario.space
    holders = [p for p in scenario.parties if p.preferences is not None]
    tables = tuple(cw.clause_tables(p.preferences, space) for p in holders)
    allowed = tuple(np.ones(len(c.options), dtype=bool) for c in space.clauses)
    for party in scenario.parties:
        constraints = tuple(party.preferences.constraints) if party.preferences is not None else ()
        constraints += declared(party).vetoes.requires  # a ratifier vetoes anything else
        if constraints:
            allowed = cw.both(allowed, cw.clause_allowed(Preferences({}, {}, constraints=constraints), space))
    frontier = cw.pareto_frontier(tables[0], tables[1], allowed)
    U = np.column_stack([frontier.own, frontier.other]) if len(frontier) else np.zeros((0, 2))
    rv = np.array([p.preferences.reservation for p in holders])
    result = analyse(U, rv, np.ones(len(U), dtype=bool))
    best = {p.name: cw.best_options(t, allowed) for p, t in zip(holders, tables)}
    return LargeAnalysis(scenario, tuple(p.name for p in holders), tables, allowed, frontier, result, best)


def columns(la: LargeAnalysis) -> list[tuple[str, tuple[int, ...] | None]]:
    """Each party's best outcome, then the solution points (None: absent)."""
    out: list[tuple[str, tuple[int, ...] | None]] = [(f"best for {p}", o) for p, o in la.best.items()]
    out += [(TITLES[name], None if row is None else la.options_of(row)) for name, row in la.result.points.items()]
    return out


def to_json(la: LargeAnalysis) -> dict[str, Any]:
    space = la.scenario.space

    def entry(options: tuple[int, ...] | None) -> dict[str, Any] | None:
        if options is None:
            return None
        return {**{c.name: c.options[i] for c, i in zip(space.clauses, options)}, "utilities": la.utilities_at(options)}

    return {
        "scenario": la.scenario.name,
        "parties": list(la.parties),
        "reservations": {p: round(float(v), DIGITS) for p, v in zip(la.parties, la.result.reservations)},
        "outcomes": space.size,
        "allowed": int(np.prod([int(a.sum()) for a in la.allowed], dtype=object)),
        "searched": "clause by clause (exact Pareto frontier; one outcome per utility pair)",
        "pareto": [entry(la.options_of(int(i))) for i in la.result.pareto],
        "rational_pareto": [entry(la.options_of(int(i))) for i in la.result.rational_pareto],
        "best": {p: entry(o) for p, o in la.best.items()},
        **{name: entry(None if row is None else la.options_of(row)) for name, row in la.result.points.items()},
    }


def report(la: LargeAnalysis) -> Group:
    space, r = la.scenario.space, la.result
    lines = [Text.assemble((la.scenario.name, "bold"), f": {space.size:,} outcomes, searched clause by clause"),
             Text(f"Pareto frontier: {r.pareto.size:,} utility pairs, {r.rational_pareto.size:,} of them rational "
                  "(every party at or above its reservation value)"),
             Text("reservation values: " + ", ".join(f"{p} {v:.3f}" for p, v in zip(la.parties, r.reservations)))]
    if r.nash is None:
        lines.append(Text("no allowed outcome gives every party its reservation value: no agreement is rational",
                          style="bold red"))
    cols = columns(la)
    table = Table(title="Bargaining points (utilities from the scenario's preferences)", title_justify="left",
                  box=None, pad_edge=False, show_edge=False, collapse_padding=True)
    table.add_column("", style="cyan", no_wrap=True)
    for title, _ in cols:
        table.add_column(title, justify="right", no_wrap=True)  # options whole; too wide: stacked (Fit)
    for ci, clause in enumerate(space.clauses):
        table.add_row(clause.name, *[Text("—", style="dim") if o is None else Text(option_label(clause.options[o[ci]]))
                                     for _, o in cols])
    table.add_section()
    for party, rv in zip(la.parties, r.reservations):
        cells = [Text("—", style="dim") if o is None else
                 Text(f"{la.utilities_at(o)[party]:.3f}", style="green" if la.utilities_at(o)[party] >= rv else "red")
                 for _, o in cols]
        table.add_row(Text(f"u({party})", style="bold cyan"), *cells)
    note = Text("K–S = Kalai–Smorodinsky; the space is too large for the PNG of every outcome and for --run "
                f"(above {cw.ENUMERATION_LIMIT:,} outcomes)", style="dim")
    return Group(*lines, Text(""), Fit(table), note)


def command(console: Console, scenario: Scenario, run: Path | None, json_out: Path | None, ours: Any,
            what: str) -> None:
    """``negotiation analyze`` on a space above the enumeration limit (no PNG);
    ``ours``/``what``: the analysis JSON's rule (``command.py``'s, passed in so
    the imports run one way)."""
    import json

    from ...runs import output

    if run is not None:
        raise InputError("--run", str(run), f"a scenario of at most {cw.ENUMERATION_LIMIT:,} outcomes expected to "
                         f"place a run; {scenario.source} has {scenario.space.size:,}")
    la = analyse_large(scenario)
    console.print(report(la))
    if json_out is not None:
        text = json.dumps(to_json(la), indent=2, ensure_ascii=False) + "\n"
        where = output.write(json_out, text, "--json", ours, what)
        console.print(f"JSON: {where}", soft_wrap=True, highlight=False)
