"""``negotiation analyze``: a scenario's bargaining analysis for people and scripts.

Utilities come from the scenario's preferences as written (events that move
weights or reservation values during a run are not applied: the analysis is
of the problem the parties start from). Every party holding preferences
counts; an outcome that any party's hard constraints or any ratifier's
requirements rule out can never be a definitive agreement, so it is left
out of the frontier and the points. The scenario's outcome space computes
them (``domain/spaces.py``: every outcome, or clause by clause for a
contract too large to enumerate); this module only reads the
:class:`~negotiation.domain.spaces.Analysis`. A run's outcome and, when its
summary has a comparison, the real deal are placed against them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text


from ...domain.bargaining import POINTS
from ...domain.links import links_mask
from ...domain.outcomes import option_label
from ...domain.ratification import approval_mask
from ...domain.spaces import Analysis, Problem, Rule, space_for
from ...errors import InputError
from ...roles import declared
from ...domain.scenario import Scenario
from ...runs.log import read_log, read_summary
from ..fit import Fit

TITLES = {"nash": "Nash", "kalai_smorodinsky": "Kalai–Smorodinsky", "utilitarian": "utilitarian",
          "egalitarian": "egalitarian"}
SHORT = {"kalai_smorodinsky": "K–S"}
DIGITS = 6


@dataclass(frozen=True)
class Placed:
    """An outcome placed against the points: the run's, or the real deal."""

    key: str                      # "run" or "real_deal"
    label: str                    # column title
    outcome: int | None           # None: no agreement, or not in the outcome space
    note: str = ""
    logged: dict[str, float] | None = None  # the run's own utilities, from its log


@dataclass(frozen=True, eq=False)
class ScenarioAnalysis:
    scenario: Scenario
    result: Analysis
    placed: tuple[Placed, ...] = ()

    @property
    def parties(self) -> tuple[str, ...]:
        return self.result.parties

    @property
    def ruled_out(self) -> dict[str, int] | None:
        return self.result.ruled_out

    def utilities_of(self, outcome: int) -> dict[str, float]:
        return {p: round(float(u), DIGITS) for p, u in zip(self.parties, self.result.utilities[outcome])}


def problem(scenario: Scenario) -> Problem:
    """The scenario's bargaining problem: the parties with preferences and what
    every party rules out (its hard constraints, a ratifier's requirements, a
    voting body's approval), and the links."""
    holders = [p for p in scenario.parties if p.preferences is not None]
    rules: list[tuple[str, Rule]] = []
    for party in scenario.parties:
        vetoes = declared(party).vetoes  # what its role says it refuses of an agreement
        constraints = tuple(party.preferences.constraints) if party.preferences is not None else ()
        constraints += vetoes.requires  # a ratifier vetoes anything else
        if constraints:
            rules.append((party.name, Rule(constraints)))
        if vetoes.members:  # a body that votes: what enough of its seats approve
            rules.append((party.name, Rule(mask=partial(approval_mask, vetoes.members, vetoes.threshold))))
    if scenario.links:  # rules over several clauses: no one can offer or sign what breaks one
        rules.append(("links", Rule(mask=partial(links_mask, scenario.links))))
    return Problem(tuple(p.name for p in holders), tuple(p.preferences for p in holders), tuple(rules))


def analyse_scenario(scenario: Scenario, run: Path | None = None) -> ScenarioAnalysis:
    spec = problem(scenario)
    if len(spec.parties) < 2:
        raise InputError(scenario.source, "parties", "at least two parties with preferences expected")
    result = space_for(scenario.space).analyse(spec)
    placed = tuple(read_run(run, scenario)) if run is not None else ()
    return ScenarioAnalysis(scenario, result, placed)


# -- runs -------------------------------------------------------------------------

def read_run(run: Path, scenario: Scenario) -> list[Placed]:
    """The run's outcome (summary.json, else the log's end record) and the
    real deal from the summary's comparison, if there is one."""
    contents = read_log(run)  # checked against the log schema even when summary.json has the outcome
    summary_path = contents.path.parent / "summary.json"
    summary = read_summary(summary_path)
    if summary is not None:
        source, outcome, result = summary_path, summary.get("outcome"), str(summary.get("result", "?"))
        logged = summary.get("utilities")
    else:
        end = contents.end or {}
        source, outcome, result = contents.path, end.get("outcome"), str(end.get("result", "unfinished"))
        logged, summary = end.get("utilities"), {}
    placed = [_place(scenario, source, "run", f"run ({result})", outcome, "outcome",
                     f"no agreement: {result}", logged)]
    comparison = summary.get("comparison")
    if isinstance(comparison, dict) and isinstance(comparison.get("clauses"), dict):
        real = {c: row.get("real") for c, row in comparison["clauses"].items() if isinstance(row, dict)}
        missing = [c.name for c in scenario.clauses if real.get(c.name) is None]
        if missing:
            note = f"the real deal has no option for {', '.join(missing)}"
            placed.append(Placed("real_deal", "real deal", None, note))
        else:
            placed.append(_place(scenario, summary_path, "real_deal", "real deal", real, "comparison.clauses", ""))
    return placed


def _place(scenario: Scenario, source: Path, key: str, label: str, outcome: Any, where: str, none_note: str,
           logged: Any = None) -> Placed:
    if outcome is None:
        return Placed(key, label, None, none_note)
    if not isinstance(outcome, dict):
        raise InputError(source, where, "a mapping clause → option expected")
    for clause in scenario.clauses:
        option = outcome.get(clause.name)
        try:
            clause.index(option)
        except ValueError:
            options = ", ".join(option_label(o) for o in clause.options)
            raise InputError(source, f"{where}.{clause.name}",
                             f"an option of {scenario.source} ({options}) expected, got {option!r}: "
                             "is the run of another scenario?") from None
    if isinstance(logged, dict) and not all(isinstance(v, int | float) and not isinstance(v, bool)
                                            for v in logged.values()):
        raise InputError(source, "utilities", "a number per party expected")
    logged = {str(k): float(v) for k, v in logged.items()} if isinstance(logged, dict) else None
    return Placed(key, label, scenario.space.from_dict(outcome), "", logged)


# -- for scripts -------------------------------------------------------------------

def entry(sa: ScenarioAnalysis, outcome: int | None) -> dict[str, Any] | None:
    """An outcome as a mapping clause → option, plus ``utilities`` party → value."""
    if outcome is None:
        return None
    return {**sa.scenario.space.as_dict(outcome), "utilities": sa.utilities_of(outcome)}


def to_json(sa: ScenarioAnalysis) -> dict[str, Any]:
    """What ``--json`` writes; the parts a space does not give (``ruled_out``,
    ``searched``, ``best``) are left out."""
    if any(c.name == "utilities" for c in sa.scenario.clauses):
        raise InputError(sa.scenario.source, "clauses.utilities",
                         "a clause not named 'utilities' expected for `json_out` (the key holds the utilities)")
    r = sa.result
    out: dict[str, Any] = {
        "scenario": sa.scenario.name,
        "parties": list(sa.parties),
        "reservations": {p: round(float(v), DIGITS) for p, v in zip(sa.parties, r.reservations)},
        "outcomes": r.space.size,
        "allowed": r.allowed,
    }
    if r.ruled_out is not None:
        out["ruled_out"] = r.ruled_out
    if r.searched is not None:
        out["searched"] = r.searched
    out["pareto"] = [entry(sa, int(i)) for i in r.pareto]
    out["rational_pareto"] = [entry(sa, int(i)) for i in r.rational_pareto]
    if r.best is not None:
        out["best"] = {p: entry(sa, o) for p, o in r.best.items()}
    out.update({name: entry(sa, index) for name, index in r.points.items()})
    for p in sa.placed:
        item = entry(sa, p.outcome)
        if item is not None:
            item["distances"] = {k: None if v is None else round(v, DIGITS)
                                 for k, v in r.distances(r.utilities[p.outcome]).items()}
        out[p.key] = item if item is not None else {"note": p.note}
    return out


# -- for people --------------------------------------------------------------------

def report(sa: ScenarioAnalysis) -> Group:
    r, space = sa.result, sa.scenario.space
    lines = [Text.assemble((sa.scenario.name, "bold"),
                           f": {space.size:,} outcomes, {len(sa.parties)} parties with preferences")]
    if sa.ruled_out:
        by = ", ".join(f"{name} {count:,}" for name, count in sa.ruled_out.items())
        lines.append(Text(f"ruled out by constraints or ratifiers' requirements: {by}; allowed by all: {r.allowed:,}"))
    lines.append(Text(f"Pareto frontier: {r.pareto.size:,} outcomes, {r.rational_pareto.size:,} of them rational "
                      "(every party at or above its reservation value)"))
    lines.append(Text("reservation values: " + ", ".join(f"{p} {v:.3f}" for p, v in zip(sa.parties, r.reservations))))
    if r.nash is None:
        lines.append(Text("no allowed outcome gives every party its reservation value: no agreement is rational",
                          style="bold red"))
    columns = [(f"best for {p}", o) for p, o in (r.best or {}).items()]
    columns += [(SHORT.get(name, TITLES[name]), index) for name, index in r.points.items()]
    columns += [(p.key.replace("_", " "), p.outcome) for p in sa.placed]
    table = Table(title="Bargaining points (utilities from the scenario's preferences)", title_justify="left",
                  box=None, pad_edge=False, show_edge=False, collapse_padding=True)
    table.add_column("", style="cyan", no_wrap=True)
    for title, _ in columns:
        table.add_column(title, justify="right", no_wrap=True)  # options whole; too wide: stacked (Fit)
    nash = r.nash
    for ci, clause in enumerate(space.clauses):
        cells = []
        for _, index in columns:
            if index is None:
                cells.append(Text("—", style="dim"))
                continue
            option = clause.options[space.option_indices(index)[ci]]
            same = nash is not None and option == clause.options[space.option_indices(nash)[ci]]
            cells.append(Text(option_label(option), style="" if same else "bold yellow"))
        table.add_row(clause.name, *cells)
    table.add_section()
    rows = {index: r.utilities[index] for _, index in columns if index is not None}
    for pi, party in enumerate(sa.parties):
        cells = [Text("—", style="dim") if index is None else _utility(rows[index][pi], r.reservations[pi])
                 for _, index in columns]
        table.add_row(Text(f"u({party})", style="bold cyan"), *cells)
    table.add_row("sum", *[Text("—", style="dim") if i is None else Text(f"{rows[i].sum():.3f}")
                           for _, i in columns])
    parts: list[Any] = [*lines, Text(""), Fit(table)]
    notes = [f"{p.label}: {p.note}" for p in sa.placed if p.note]
    notes += [f"{p.label}: its log, after events, says " + ", ".join(f"{k} {v:.3f}" for k, v in p.logged.items())
              for p in sa.placed if p.logged and p.outcome is not None]
    parts += [Text(n, style="dim") for n in notes]
    if any(p.outcome is not None for p in sa.placed):
        parts += [Text(""), Fit(distances_table(sa))]
    parts.append(Text("K–S = Kalai–Smorodinsky; options in yellow differ from the Nash point's; utilities in red "
                      "are below the party's reservation value", style="dim"))
    if r.exhaustive is None:
        parts.append(Text(f"the frontier was searched {r.searched}; no PNG: it draws every outcome", style="dim"))
    return Group(*parts)


def _utility(u: float, rv: float) -> Text:
    return Text(f"{u:.3f}", style="green" if u >= rv else "red")


def distances_table(sa: ScenarioAnalysis) -> Table:
    table = Table(title="Distance in utility space (Euclidean)", title_justify="left", box=None, pad_edge=False)
    table.add_column("", style="cyan")
    table.add_column("frontier", justify="right")
    for name in POINTS:
        table.add_column(TITLES[name], justify="right")
    for p in sa.placed:
        if p.outcome is None:
            continue
        d = sa.result.distances(sa.result.utilities[p.outcome])
        table.add_row(p.label, *[("—" if d[k] is None else f"{d[k]:.3f}") for k in ("frontier", *POINTS)])
    return table
