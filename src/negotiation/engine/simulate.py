"""One run, end to end: scenario → model → log records and outcome.

``simulate`` is pure (no files, no clock in what it returns but ``timing``),
so experiments can call it in any process and get the same log bytes. It
knows nothing of reports: comparing with the real deal, drawing pictures and
writing the run folder are the callers' business.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .record import text
from ..domain.scenario import Scenario
from .model import NegotiationModel


@dataclass
class RunOutput:
    """What one run produced: the log, the summary, and wall-clock timing
    (kept apart: it is the only non-deterministic part). The log's text is
    rendered when first read: a Monte Carlo run that keeps no log never
    pays for its JSON."""

    scenario: Scenario
    seed: int
    records: list[dict[str, Any]]
    summary: dict[str, Any]
    timing: dict[str, Any] = field(default_factory=dict)
    model: NegotiationModel | None = None

    @cached_property
    def log_text(self) -> str:
        return text(self.records)


def simulate(scenario: Scenario, seed: int | None = None, keep_model: bool = True) -> RunOutput:
    """Play the scenario once with ``seed`` (default: the scenario's own)."""
    started = time.perf_counter()
    model = NegotiationModel(scenario, seed, collect=keep_model).run()  # no one reads a dropped model's table
    elapsed = time.perf_counter() - started
    return RunOutput(scenario, model.seed, model.log.records, summarise(model),
                     {"simulate_seconds": round(elapsed, 6)}, model if keep_model else None)


def summarise(model: NegotiationModel) -> dict[str, Any]:
    """The headline of a run, from the same records the log holds."""
    end = model.log.records[-1]
    tentative, definitive = model.agreed["tentative"], model.agreed["definitive"]
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
        **({"conditions": model.condition_status()} if model.conditions else {}),
        **({"deadlines": {name: {"date": day.isoformat(), "passed": any(e.fired for e in effects)}
                          for name, (day, effects) in model.costly_deadlines.items()}}
           if model.costly_deadlines else {}),
    }
