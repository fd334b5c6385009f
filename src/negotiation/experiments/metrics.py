"""ANAC metrics of a run: how good its deal is for the parties together.

The Automated Negotiating Agents Competition (Baarslag et al. 2015, "The
first automated negotiating agents competition", in *Next Frontier in Agent-
Based Complex Automated Negotiation*) and NegMAS score a negotiation by the
distance in utility space from its agreement to the Pareto frontier and to
the Nash and Kalai–Smorodinsky points, by social welfare (the sum of
utilities) and by each party's *advantage*, its utility above its reservation
value. Names follow NegMAS (``pareto_dist``, ``nash_dist``, ``ks_dist``,
``welfare``, ``advantage``).

Everything is measured in one space, that of the scenario as written (the
variant's preferences before any noise or dated event), which is where
``negotiation analyze`` draws the frontier and the points: the frontier and
the points are computed once per variant (``Reference``), and a run is placed
by looking its agreed outcome up in the same utility array. A run without
agreement sits at the disagreement point, the reservation values (as in ANAC
and NegMAS, where no deal pays each party its reserved value): advantage 0,
welfare their sum, distances from that point.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..domain.scenario import Scenario
from ..domain.bargaining import distance_to_set

DIGITS = 6
DISTANCES = ("pareto_dist", "nash_dist", "ks_dist")


@dataclass(frozen=True, eq=False)
class Reference:
    """One variant's bargaining problem, reduced to what placing a run needs."""

    parties: tuple[str, ...]
    utilities: Any               # utilities[outcome]: every party's utility, the scenario as written
    reservations: np.ndarray     # (n_parties,)
    frontier: np.ndarray         # utilities of the Pareto-optimal allowed outcomes
    nash: np.ndarray | None      # utilities of the Nash point (None: nothing rational)
    kalai_smorodinsky: np.ndarray | None


def reference(scenario: Scenario) -> Reference:
    """Frontier and points of ``scenario`` (the work done once per variant), by
    its outcome space, whatever its size (``domain/spaces.py``)."""
    from ..domain.spaces import space_for
    from ..reports.analysis.report import problem

    r = space_for(scenario.space).analyse(problem(scenario))
    at = {name: (None if index is None else r.utilities[index]) for name, index in r.points.items()}
    return Reference(r.parties, r.utilities, r.reservations, r.frontier, at["nash"], at["kalai_smorodinsky"])


def place(ref: Reference, utilities: np.ndarray) -> dict[str, float | None]:
    """The metrics of one utility vector (an agreement's, or the disagreement point)."""
    out: dict[str, float | None] = {
        "pareto_dist": float(distance_to_set(utilities, ref.frontier)[0]) if ref.frontier.size else None,
        "nash_dist": None if ref.nash is None else float(np.linalg.norm(utilities - ref.nash)),
        "ks_dist": None if ref.kalai_smorodinsky is None else float(np.linalg.norm(utilities - ref.kalai_smorodinsky)),
        "welfare": float(utilities.sum()),
    }
    for name, gain in zip(ref.parties, utilities - ref.reservations):
        out[f"advantage.{name}"] = float(gain)
    return {k: None if v is None else round(v, DIGITS) for k, v in out.items()}


def run_metrics(ref: Reference, scenario: Scenario, row: Mapping[str, Any]) -> dict[str, float | None]:
    """The metrics of a results.csv row: its agreed outcome (one option per
    clause column) looked up in the reference's utilities, or the disagreement point."""
    if row.get("result") != "agreement":
        return place(ref, ref.reservations)
    outcome = scenario.space.from_dict({c.name: row[c.name] for c in scenario.clauses})
    return place(ref, ref.utilities[outcome])


def with_metrics(row: Mapping[str, Any], metrics: Mapping[str, Any]) -> dict[str, Any]:
    """``row`` with ``metrics`` inserted before its last column (``reason``)."""
    out = {k: v for k, v in row.items() if k != "reason"}
    out.update(metrics)
    out["reason"] = row.get("reason")
    return out


def means(rows: list[Mapping[str, Any]]) -> dict[str, Any]:
    """Mean of each metric over all runs of a group (failures count at the
    disagreement point, as ANAC averages them)."""
    def mean(key: str) -> float | None:
        values = [float(r[key]) for r in rows if r.get(key) not in (None, "")]
        return round(sum(values) / len(values), DIGITS) if values else None

    keys = [k for k in (rows[0] if rows else {}) if k.startswith("advantage.")]
    return {**{k: mean(k) for k in (*DISTANCES, "welfare")}, "advantage": {k[10:]: mean(k) for k in keys}}
