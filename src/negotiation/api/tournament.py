"""``negotiation.tournament``: the CLI's ``tournament`` from Python."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..scenarios import load as scenarios
from ..domain.scenario import Scenario
from . import checks
from .experiments import DEFAULT_NOISE, PathLike, Sets, _frame, _warn, _where, scenario_of

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


@dataclass(frozen=True, eq=False)
class Tournament:
    """What a tournament left: ``ranking`` (ranking.csv: one row per role and
    tactic, best first), ``runs`` (results.csv: one row per run) and
    ``summary`` (summary.json: the ranking, the tests between the two best
    tactics of each role, the pairings)."""

    ranking: pd.DataFrame
    runs: pd.DataFrame
    summary: dict[str, Any]
    folder: Path | None = None

    def __repr__(self) -> str:
        s = self.summary
        return (f"Tournament({s['scenario']!r}, tactics={s['tactics']}, {s['completed_runs']} runs, "
                f"best={ {role: e[0]['tactic'] for role, e in s['ranking'].items() if e} })")


def tournament(scenario: Scenario | PathLike = scenarios.DEFAULT_SCENARIO,
               tactics: str | Sequence[str | type] = "boulware,linear,conceder", runs: int = 20,
               noise: float = DEFAULT_NOISE, seed: int | None = None, sets: Sets = (),
               executor: str | None = None, workers: int | None = None, out: PathLike | None = None,
               progress: bool = False) -> Tournament:
    """``negotiation tournament``: every combination of ``tactics`` (``"a,b:e=0.3"``,
    or a list of such items and registered tactic classes) over the scenario's
    bargainers, each on the same ``runs`` seeds with preference noise σ =
    ``noise``; ``executor`` as for :func:`montecarlo` (a registered tactic is
    sent to worker processes with the runs)."""
    import pandas as pd

    from ..experiments.ranking import COLUMNS
    from ..service import execution

    runs, noise, seed = checks.whole(runs, "runs"), checks.number(noise, "noise"), checks.seed(seed)
    if not isinstance(tactics, str):
        tactics = [t.name if isinstance(t, type) and isinstance(getattr(t, "name", None), str) else t
                   for t in tactics]
        if not all(isinstance(t, str) for t in tactics):
            from ..errors import InputError

            raise InputError("tactics", repr(tactics), '"a,b:e=0.3", or a list of names and registered '
                                                       "tactic classes, expected")
    where = _where(executor, workers, out, progress)
    frame = _frame(execution.tournament(scenario_of(scenario), tactics, runs, noise, seed, checks.values(sets), where,
                                        _warn))
    summary: Mapping[str, Any] = frame.attrs["summary"]
    rows = [{**entry, "role": role} for role, entries in summary["ranking"].items() for entry in entries]
    ranking = pd.DataFrame(rows, columns=COLUMNS)
    folder = Path(frame.attrs["folder"]) if "folder" in frame.attrs else None
    frame.attrs.clear()
    return Tournament(ranking, frame, dict(summary), folder)
