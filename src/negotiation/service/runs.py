"""One run for the front doors: played, compared with the scenario's real
deal when it names one (as ``summary.json`` holds it), and its folder."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .scenarios import truth

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.simulate import RunOutput
    from ..domain.scenario import Scenario


def simulate(scenario: Scenario, seed: int | None = None) -> RunOutput:
    """Play ``scenario`` once with ``seed`` (None: its own); the summary
    carries the ``comparison`` with the real deal when the scenario names one."""
    from ..engine.simulate import simulate as play
    from ..reports.compare import scenario_comparison

    output = play(scenario, seed)
    real = truth(scenario)
    if real is not None:
        output.summary["comparison"] = scenario_comparison(output.summary, scenario, real)
    return output


def save(output: RunOutput, runs_dir: Path = Path("runs"), out: Path | None = None, png: bool = True) -> Path:
    """Write the run folder (``reports/run_folder.py``); returns its path."""
    from ..reports.run_folder import save as write

    return write(output, runs_dir, out, png=png, truth=truth(output.scenario))
