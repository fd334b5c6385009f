"""One run, end to end: scenario → model → log → run folder.

``simulate`` is pure (no files, no clock in what it returns but ``timing``),
so experiments can call it in any process and get the same log bytes.
``save`` writes the run folder of DESIGN §4.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..reports.compare import compare_summary
from ..runs.folder import run_folder_name, write_run
from .model import NegotiationModel
from .record import stage_dates
from ..inputs.scenario import Scenario


@dataclass
class RunOutput:
    """What one run produced: the log text, the summary, and wall-clock timing
    (kept apart: it is the only non-deterministic part)."""

    scenario: Scenario
    seed: int
    log_text: str
    summary: dict[str, Any]
    timing: dict[str, Any] = field(default_factory=dict)
    model: NegotiationModel | None = None

    @property
    def folder_name(self) -> str:
        return run_folder_name(self.scenario.name, self.seed, self.scenario.config_hash)


def simulate(scenario: Scenario, seed: int | None = None, keep_model: bool = True) -> RunOutput:
    """Play the scenario once with ``seed`` (default: the scenario's own)."""
    started = time.perf_counter()
    model = NegotiationModel(scenario, seed).run()
    elapsed = time.perf_counter() - started
    log_text = model.log.text()
    summary = summarise(model)
    if scenario.truth is not None:
        summary["comparison"] = compare_summary(summary, {c.name: list(c.options) for c in scenario.clauses},
                                                [c.name for c in scenario.clauses if c.ordered], scenario.truth)
    return RunOutput(scenario, model.seed, log_text, summary,
                     {"simulate_seconds": round(elapsed, 6)}, model if keep_model else None)


def summarise(model: NegotiationModel) -> dict[str, Any]:
    """The headline of a run, from the same records the log holds."""
    end = model.log.records[-1]
    tentative = stage_dates(model.log.records, "tentative")
    definitive = stage_dates(model.log.records, "definitive")
    return {
        "scenario": model.spec.name,
        "seed": model.seed,
        "config_hash": model.spec.config_hash,
        "result": end["result"],
        "reason": end["reason"],
        "rounds": end["round"],
        "date": end["date"],
        "tentative_date": tentative[0] if tentative else None,  # the first: the MOU analogue
        "agreement_date": definitive[-1] if definitive else None,
        "outcome": end.get("outcome"),
        "utilities": end.get("utilities"),
        "reservations": model.reservations(),
    }


def save(output: RunOutput, runs_dir: Path = Path("runs"), out: Path | None = None, png: bool = True) -> Path:
    """Write ``scenario.yaml``, ``log.jsonl``, ``summary.json``, ``timing.json``
    and, with ``png``, ``concessions.png``."""
    timing = {**output.timing, "written_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    files: dict[str, str | bytes] = {
        "scenario.yaml": output.scenario.to_yaml(output.seed),
        "log.jsonl": output.log_text,
        "summary.json": json.dumps(output.summary, indent=2, ensure_ascii=False) + "\n",
        "timing.json": json.dumps(timing, indent=2) + "\n",
    }
    if png:
        from ..reports.concessions import concession_png

        truth = output.scenario.truth
        real = {f"real {stage}": str(date) for stage, date in
                (("tentative", truth.tentative_date), ("definitive", truth.definitive_date)) if date} if truth else {}
        records = [json.loads(line) for line in output.log_text.splitlines()]
        files["concessions.png"] = concession_png(records, output.summary.get("comparison"), real)
    return write_run(files, runs_dir, output.folder_name, out)
