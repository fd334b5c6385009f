"""The Python front door: what the CLI does, as functions for notebooks and scripts.

``import negotiation`` loads none of this (see ``__init__``): the package's
top-level names resolve here on first use, so Mesa, pandas and matplotlib
are imported only by the calls that need them. Every function returns plain
Python objects or pandas DataFrames built from the same records the run log
and ``results.csv`` hold, so a notebook sees exactly what the CLI writes.

Names follow NegMAS where it has one: a run's ``outcome`` is NegMAS's
``agreement``, ``reservation`` its ``reserved_value``, ``pareto_frontier``
and the points are those of ``negmas.preferences.ops`` (with the
conventions the README's cross-check table lists).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..scenarios import load as scenarios
from ..domain.scenario import Scenario
from . import checks

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..engine.model import NegotiationModel
    from ..engine.simulate import RunOutput
    from ..reports.analysis.report import ScenarioAnalysis

PathLike = str | Path


# -- scenarios --------------------------------------------------------------------

def load_scenario(path: PathLike = scenarios.DEFAULT_SCENARIO, sets: str | Sequence[str] | Mapping[str, Any] = (),
                  overlay: PathLike | Mapping[str, Any] | None = None, seed: int | None = None) -> Scenario:
    """Read and validate a scenario, as ``negotiation run`` does.

    ``sets`` are values to set, a mapping ``{"parties.openai.reservation": 0.5}``
    (or ``--set`` text: ``"path=value"``, ``["path=value", …]``); ``overlay`` a
    partial scenario (a mapping, or a YAML file) merged first, ``null``
    deleting a key, as ``negotiation whatif`` merges a counterfactual. Bad
    input raises :class:`negotiation.errors.InputError` naming the file and key path.
    """
    from ..service import scenarios as service

    values = checks.values(sets)
    seed = checks.seed(seed)
    source = None
    if overlay is not None and not isinstance(overlay, Mapping):
        source = f"{path} + {overlay}"
        overlay = service.read_overlay(overlay)
    return service.load(Path(path), values, (overlay,) if overlay else (), seed, source)


def _scenario(scenario: Scenario | PathLike) -> Scenario:
    return scenario if isinstance(scenario, Scenario) else load_scenario(scenario)


# -- one run --------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Run:
    """One played negotiation: its log records, summary and the Mesa model."""

    output: RunOutput

    @property
    def scenario(self) -> Scenario:
        return self.output.scenario

    @property
    def seed(self) -> int:
        return self.output.seed

    @cached_property
    def records(self) -> list[dict[str, Any]]:
        """The round log, one dict per record (``header``, ``offer``,
        ``response``, ``event``, ``agreement``, ``ratification``, ``end``)."""
        return [json.loads(line) for line in self.output.log_text.splitlines()]

    @property
    def log_text(self) -> str:
        """The log as ``log.jsonl`` holds it, byte for byte."""
        return self.output.log_text

    @property
    def summary(self) -> dict[str, Any]:
        """What ``summary.json`` holds: result, dates, outcome, utilities (and
        ``comparison`` when the scenario names a real deal)."""
        return self.output.summary

    @property
    def outcome(self) -> dict[str, Any] | None:
        """The definitive agreement, clause → option (NegMAS: ``agreement``); None without one."""
        return self.output.summary.get("outcome")

    @property
    def model(self) -> NegotiationModel:
        """The Mesa model after the run (agents, ``datacollector``, …)."""
        assert self.output.model is not None
        return self.output.model

    def to_frame(self) -> pd.DataFrame:
        """One row per record after the header (offers, responses, events,
        agreements, ratifications, the end): ``round``, ``date``, ``type``,
        the record's own fields, the outcome as one column per clause and
        ``u.PARTY`` / ``rv.PARTY`` for utilities and reservation values."""
        import pandas as pd

        rows = [flatten(r) for r in self.records if r.get("type") != "header"]
        frame = pd.DataFrame(rows, columns=_columns(rows, self.scenario))
        frame["date"] = pd.to_datetime(frame["date"])  # ISO dates in the log; datetime64 here
        return frame

    def save(self, runs_dir: PathLike = "runs", out: PathLike | None = None, png: bool = True) -> Path:
        """Write the run folder ``negotiation run`` writes; returns its path."""
        from ..service.runs import save

        return save(self.output, Path(runs_dir), Path(out) if out is not None else None, png=png)

    def __repr__(self) -> str:
        s = self.summary
        return f"Run({s['scenario']!r}, seed={s['seed']}, result={s['result']!r}, rounds={s['rounds']}, date={s['date']!r})"


def flatten(record: Mapping[str, Any]) -> dict[str, Any]:
    """A log record as one flat row: ``outcome`` spread over its clauses,
    ``utilities`` and ``reservations`` as ``u.PARTY`` and ``rv.PARTY``."""
    row: dict[str, Any] = {}
    for key, value in record.items():
        if key == "outcome" and isinstance(value, Mapping):
            row.update(value)
        elif key in ("utilities", "reservations") and isinstance(value, Mapping):
            prefix = "u." if key == "utilities" else "rv."
            row.update({f"{prefix}{name}": v for name, v in value.items()})
        else:
            row[key] = value
    return row


def _columns(rows: Sequence[Mapping[str, Any]], scenario: Scenario) -> list[str]:
    first = ["round", "date", "type"]
    clauses = [c.name for c in scenario.clauses]
    seen = dict.fromkeys(first)
    for row in rows:
        seen.update(dict.fromkeys(k for k in row if k not in clauses and not k.startswith(("u.", "rv."))))
    utilities = dict.fromkeys(k for row in rows for k in row if k.startswith("u."))
    reservations = dict.fromkeys(k for row in rows for k in row if k.startswith("rv."))
    return [*seen, *clauses, *utilities, *reservations]


def simulate(scenario: Scenario | PathLike, seed: int | None = None,
             sets: str | Sequence[str] | Mapping[str, Any] = ()) -> Run:
    """Play ``scenario`` once with ``seed`` (default: the scenario's own) and
    ``sets`` values (as :func:`load_scenario` takes them), as ``negotiation run
    --seed --set`` does. The same scenario and seed give the same
    ``Run.log_text`` byte for byte."""
    from ..service import runs
    from ..service.scenarios import change

    seed, values = checks.seed(seed), checks.values(sets)
    return Run(runs.simulate(change(_scenario(scenario), values), seed))


def compare(run: Run | PathLike, truth: PathLike | None = None) -> dict[str, Any]:
    """A run (or a run folder, or its ``log.jsonl``) against a real deal
    (default: the scenario's own ``truth``): per clause, the days off and the
    score, as ``negotiation compare`` prints them. A run whose scenario names
    no real deal raises :class:`negotiation.errors.InputError` saying so."""
    from ..service.compare import compare_run, compare_scenario_run

    if isinstance(run, Run):
        return compare_scenario_run(run.records, run.scenario, truth)
    return compare_run(run, truth)


# -- bargaining analysis ------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Analysis:
    """A scenario's bargaining problem: Pareto frontier and solution points
    (``negotiation analyze``), over the outcomes every party may accept."""

    inner: ScenarioAnalysis

    @property
    def parties(self) -> tuple[str, ...]:
        return self.inner.parties

    @property
    def reservations(self) -> dict[str, float]:
        return dict(zip(self.parties, (float(v) for v in self.inner.result.reservations)))

    def _point(self, index: int | None) -> dict[str, Any] | None:
        from ..reports.analysis.report import entry

        return entry(self.inner, index)

    @property
    def nash(self) -> dict[str, Any] | None:
        """The Nash point: clause → option, plus ``utilities``; None if nothing is rational."""
        return self._point(self.inner.result.nash)

    @property
    def kalai_smorodinsky(self) -> dict[str, Any] | None:
        return self._point(self.inner.result.kalai_smorodinsky)

    @property
    def utilitarian(self) -> dict[str, Any] | None:
        return self._point(self.inner.result.utilitarian)

    @property
    def egalitarian(self) -> dict[str, Any] | None:
        return self._point(self.inner.result.egalitarian)

    @property
    def pareto_frontier(self) -> pd.DataFrame:
        """One row per frontier outcome: its options, ``u.PARTY`` and whether
        it is ``rational`` (everyone at or above its reservation value)."""
        import pandas as pd

        r = self.inner.result
        rational = set(int(i) for i in r.rational_pareto)
        rows = [{**flatten(self._point(int(i)) or {}), "rational": int(i) in rational} for i in r.pareto]
        return pd.DataFrame(rows)

    def distances(self, outcome: Run | Mapping[str, Any]) -> dict[str, float | None]:
        """Euclidean distances in utility space from an outcome (a run's, or
        clause → option) to the frontier and to each point."""
        chosen = outcome.outcome if isinstance(outcome, Run) else outcome
        if chosen is None:
            raise ValueError("the run ended without agreement: no outcome to place")
        space = self.inner.scenario.space
        index = space.from_dict({c.name: chosen[c.name] for c in space.clauses})
        r = self.inner.result
        return r.distances(r.utilities[index])

    def to_dict(self) -> dict[str, Any]:
        """What ``negotiation analyze --json`` writes."""
        from ..reports.analysis.report import to_json

        return to_json(self.inner)


def analyse(scenario: Scenario | PathLike) -> Analysis:
    """Pareto frontier, Nash, Kalai–Smorodinsky, utilitarian and egalitarian
    points of the scenario as written."""
    from ..reports.analysis.report import analyse_scenario

    return Analysis(analyse_scenario(_scenario(scenario)))


# montecarlo, sweep, whatif and tournament: api/experiments.py and api/tournament.py
from .experiments import montecarlo, sweep, whatif  # noqa: E402
from .tournament import tournament  # noqa: E402

# a tactic of one's own (domain/registry.py: the protocol and what a tactic may read)
from ..domain.registry import register_tactic, unregister_tactic  # noqa: E402
from ..domain.tactics import Tactic, View, param  # noqa: E402
