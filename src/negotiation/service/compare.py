"""A run against the real deal: one path for ``negotiation compare`` and
``negotiation.compare``.

The real deal is the one given (``truth``), else the scenario's own: the
``truth:`` of the scenario in memory, or of the run folder's
``scenario.yaml`` (relative to the folder, so a copied folder compares
anywhere). A run whose scenario names none is refused with one line saying
so: comparing it with another negotiation's real deal would only say that
none of its clauses is listed there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from ..domain.outcomes import Clause
    from ..domain.scenario import Scenario
    from ..inputs.sources import Truth

GIVE = "pass `truth`: a real-deal file"


def compare_scenario_run(records: Sequence[Mapping[str, Any]], scenario: Scenario,
                         truth: str | Path | None = None) -> dict[str, Any]:
    """A run played in memory (its log records) against ``truth`` or the scenario's real deal."""
    from .scenarios import truth as scenario_truth

    real = _given(truth, scenario.clauses) if truth is not None else scenario_truth(scenario)
    if real is None:
        raise InputError(scenario.source, "truth", f"a real deal to compare with expected; the scenario "
                                                   f"{scenario.name} names none ({GIVE})")
    return _compared(records, real, scenario.name)


def compare_run(run: str | Path, truth: str | Path | None = None) -> dict[str, Any]:
    """A run folder (or its ``log.jsonl``) against ``truth`` or the real deal
    its ``scenario.yaml`` names. The comparison names a copy in the folder by
    its file name, as the folder's ``summary.json`` does."""
    from ..domain.outcomes import Clause
    from ..runs.log import read_log

    contents = read_log(Path(run))
    if contents.problem:
        raise InputError(contents.path, "", f"{contents.problem}; a complete run is needed to compare")
    header = contents.header
    ordered = set(header.get("ordered", []))
    clauses = tuple(Clause(n, tuple(o), n in ordered) for n, o in header["clauses"].items())
    name = header["scenario"]
    if truth is not None:
        real = _given(truth, clauses)
    else:
        real = _folder_truth(contents.path, clauses, name)
    comparison = _compared(contents.records, real, name)
    if Path(real.source).parent == contents.path.parent:
        comparison["truth"] = Path(real.source).name
    return comparison


def _folder_truth(log: Path, clauses: tuple[Clause, ...], name: str) -> Truth:
    from ..inputs.config import load_yaml
    from ..inputs.sources import load_truth

    written = log.parent / "scenario.yaml"
    if not written.is_file():
        raise InputError(log, "truth", f"a real deal to compare with expected; the run of {name} has no "
                                       f"scenario.yaml naming one ({GIVE})")
    declared = load_yaml(written).get("truth")
    if not isinstance(declared, str) or not declared:
        raise InputError(written, "truth", f"a real deal to compare with expected; the scenario {name} names "
                                           f"none ({GIVE})")
    return load_truth(written.parent / Path(declared).expanduser(), clauses)


def _given(truth: str | Path, clauses: tuple[Clause, ...]) -> Truth:
    from ..inputs.sources import load_truth

    return load_truth(Path(truth), tuple(clauses))


def _compared(records: Sequence[Mapping[str, Any]], real: Truth, name: str) -> dict[str, Any]:
    from ..reports.compare import compare_log

    comparison = compare_log(list(records), real)
    if not comparison["total"]:
        raise InputError(real.source, "clauses", f"at least one clause of {name} expected; none is listed")
    return comparison
