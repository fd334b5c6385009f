"""Experiments: many runs of one scenario, and what they add up to.

Three kinds, one machinery (docs/architecture.md, "Experiment folder"):

- **sweep**: every combination of a grid of ``--set`` values (a full
  factorial design), each with the same N seeds;
- **montecarlo**: N seeds, each with its own multiplicative noise on the
  parties' preferences (``perturb.py``);
- **whatif**: the scenario and a counterfactual (an overlay and/or
  ``--set`` values), each over the same N seeds.

An experiment is a list of *variants* (scenarios, all validated here, so
bad input fails before any run starts) and *tasks* (run index, seed,
variant). Workers receive the variants pickled, run ``runner.simulate`` and
return one flat row per run; the row depends only on the scenario, the
seed and the noise, never on the executor or the worker, so the table is
the same row for row everywhere.

Seeds come from ``numpy.random.SeedSequence(seed).spawn(n)`` (O'Neill's
PCG seeding: children are statistically independent streams). Sweep cells
and the two whatif arms share the same seeds (common random numbers), so
their differences are not blurred by seed-to-seed noise.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ..domain.outcomes import option_label
from ..scenarios.changes import change
from ..inputs.config import canonical_json, config_hash, parse_set
from ..errors import InputError
from ..domain.scenario import Scenario

KINDS = ("sweep", "montecarlo", "whatif")
MAX_SEED = 2**63 - 1  # what a scenario's seed: accepts (scenarios/models.py)


@dataclass(frozen=True)
class Variant:
    """One configuration of the scenario, validated. Workers receive it
    pickled (frozen data, the real deal already read), so they need no file."""

    label: str  # "" (montecarlo), "baseline"/"counterfactual", or "path=value, …" (sweep)
    params: tuple[tuple[str, Any], ...]  # the swept values, in grid order
    scenario: Scenario = field(repr=False)
    noise: float | None = None  # this variant's own σ (a calibration's grid); None: the experiment's


@dataclass(frozen=True)
class Task:
    run: int
    seed: int
    variant: int


@dataclass(frozen=True)
class Experiment:
    """What to run, fully validated; ``settings`` is what the user asked for,
    echoed into summary.json."""

    kind: str
    scenario: Scenario  # the base (or baseline) scenario
    variants: tuple[Variant, ...]
    tasks: tuple[Task, ...]
    seed: int
    noise: float = 0.0
    settings: Mapping[str, Any] = field(default_factory=dict)
    scenarios: tuple[Scenario, ...] = ()  # one per variant, as validated in this process

    @property
    def name(self) -> str:
        """Folder name: scenario, kind, seed and a hash of the whole design."""
        design = {"kind": self.kind, "variants": [v.scenario.resolved for v in self.variants], "seed": self.seed,
                  "noise": self.noise, "settings": dict(self.settings)}
        return f"{self.scenario.name}-{self.kind}-s{self.seed}-{config_hash(design)}"


def run_seeds(seed: int, n: int) -> list[int]:
    """``n`` independent 32-bit run seeds derived from the experiment seed."""
    return [int(child.generate_state(1, np.uint32)[0]) for child in np.random.SeedSequence(seed).spawn(n)]


def _positive(value: int, name: str) -> int:
    if value < 1:
        raise InputError(name, str(value), "a positive whole number expected")
    return value


def _noise(sigma: float) -> float:
    if not 0.0 <= sigma <= 2.0 or sigma != sigma:
        raise InputError("noise", str(sigma), "a standard deviation σ between 0 and 2 expected (e.g. 0.2)")
    return float(sigma)


def _seed(seed: int | None, scenario: Scenario) -> int:
    """The experiment seed: ``seed``, else the scenario's; a seed a
    scenario file could hold (numpy's SeedSequence refuses negatives)."""
    if seed is None:
        return scenario.seed
    if not 0 <= seed <= MAX_SEED:
        raise InputError("seed", str(seed), "a whole number from 0 to 2**63 - 1 expected")
    return seed


DEFAULT_NOISE = 0.1  # montecarlo, whatif and backtest: σ of the preference noise unless told


_GROUP = {"whatif": " of each arm", "tournament": " of each pairing"}


def same_runs_warning(exp: Experiment) -> str | None:
    """With no noise, seeds alone vary a run only where a tactic or an event
    draws on the seed; the default scenario's tactics are deterministic given
    the preferences, so its N runs would be N copies of one run. Worded in
    the service's terms (`` `noise` 0``); each front door words it its way."""
    per_arm = len(exp.tasks) // max(1, len(exp.variants))
    if exp.kind in ("montecarlo", "whatif", "tournament") and exp.noise == 0 and per_arm > 1:
        return (f"`noise` 0: the {per_arm:,} runs{_GROUP.get(exp.kind, '')} differ only by "
                f"seed and may all be the same run; `noise` {DEFAULT_NOISE} varies the preferences")
    return None


# -- the three designs ---------------------------------------------------------------

def montecarlo(scenario: Scenario, runs: int, noise: float = DEFAULT_NOISE, seed: int | None = None,
               sets: Sequence[str] = ()) -> Experiment:
    """``runs`` seeds of ``scenario`` (``sets``: the values that changed it,
    as ``path=value``, echoed in summary.json), each with its own noise."""
    seed = _seed(seed, scenario)
    seeds = run_seeds(seed, _positive(runs, "runs"))
    variant = Variant("", (), portable(scenario))
    tasks = tuple(Task(i, s, 0) for i, s in enumerate(seeds))
    settings = {"runs": runs, "noise": _noise(noise), "sets": list(sets)}
    return Experiment("montecarlo", scenario, (variant,), tasks, seed, noise, settings, (scenario,))


def split_values(text: str) -> list[str]:
    """Split ``v1,v2,[a, b],v4`` at the commas outside brackets and quotes."""
    parts: list[str] = []
    current: list[str] = []
    depth, quote = 0, ""
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    parts.append("".join(current).strip())
    return parts


def parse_grid(expr: str) -> tuple[str, list[Any]]:
    """``path=v1,v2,…`` → the dotted path and its values, each read as a
    ``--set`` value is (a YAML scalar or flow list)."""
    path, sep, raw = expr.partition("=")
    values = split_values(raw) if sep else []
    if not path.strip() or not values or any(v == "" for v in values):
        raise InputError("grid", expr, "path=v1,v2,… expected, e.g. parties.openai.strategy.e=0.3,0.6,1.0")
    parsed = []
    for v in values:
        try:
            parsed.append(parse_set(f"{path}={v}")[1])
        except InputError as exc:
            raise InputError("grid", expr, exc.expected) from None
    return path.strip(), parsed


def grid_of(exprs: Sequence[str]) -> dict[str, list[Any]]:
    """``path=v1,v2,…`` strings (``--grid``) as the grid a sweep takes, path → values."""
    axes = [parse_grid(expr) for expr in exprs]
    paths = [p for p, _ in axes]
    if len(set(paths)) != len(paths):
        raise InputError("grid", next(p for p in paths if paths.count(p) > 1), "each path may be swept once")
    return dict(axes)


def sweep(base: Scenario, grid: Mapping[str, Sequence[Any]], seeds: int = 1, seed: int | None = None,
          sets: Sequence[str] = ()) -> Experiment:
    """The full factorial grid (path → values) × ``seeds`` seeds of ``base``;
    every cell is validated here, so an invalid path or value stops the sweep
    before it starts."""
    if not grid:
        raise InputError("grid", "", "at least one `grid` path=v1,v2,… expected")
    axes = [(str(p), list(values)) for p, values in grid.items()]
    paths = [p for p, _ in axes]
    if any(p in ("seed", "name") for p in paths):
        raise InputError("grid", next(p for p in paths if p in ("seed", "name")),
                         "not a scenario value to sweep (use `seeds` N for more seeds)")
    for p, values in axes:  # an equal cell twice would count its runs twice
        if not values:
            raise InputError("grid", p, "at least one value expected")
        keys = [canonical_json(float(v) if isinstance(v, int | float) and not isinstance(v, bool) else v)
                for v in values]
        twice = next((i for i, k in enumerate(keys) if keys.count(k) > 1), None)
        if twice is not None:
            shown = f"{p}=" + ",".join(canonical_json(v) for v in values)
            raise InputError("grid", shown, f"distinct values expected; {option_label(values[twice])} is listed "
                                            "more than once")
    for p, values in axes:  # one value at a time first: the error then names the culprit
        for value in values:
            _grid_scenario(base, [(p, value)])
    seed = _seed(seed, base)
    seed_list = run_seeds(seed, _positive(seeds, "seeds"))
    variants, scenarios, tasks = [], [], []
    for cell, combo in enumerate(itertools.product(*(values for _, values in axes))):
        params = tuple(zip(paths, combo))
        scenario = _grid_scenario(base, list(params))
        label = ", ".join(f"{p}={option_label(v)}" for p, v in params)
        variants.append(Variant(label, params, portable(scenario)))
        scenarios.append(scenario)
        tasks += [Task(cell * seeds + k, s, cell) for k, s in enumerate(seed_list)]
    settings = {"grid": {p: list(v) for p, v in axes}, "seeds": seeds, "sets": list(sets)}
    return Experiment("sweep", base, tuple(variants), tuple(tasks), seed, 0.0, settings, tuple(scenarios))


def _grid_scenario(base: Scenario, params: list[tuple[str, Any]]) -> Scenario:
    # each value as YAML reads its JSON text, as a `--set path=JSON` would have written it
    values = {p: parse_set(f"{p}={canonical_json(v)}")[1] for p, v in params}
    try:
        return change(base, values, name="grid")
    except InputError as exc:
        if exc.source == "grid" or "(with `sets` " in exc.source:
            raise InputError("grid", exc.key, exc.expected) from None
        raise


def whatif(baseline: Scenario, altered: Scenario, runs: int = 100, seed: int | None = None,
           sets: Sequence[str] = (), noise: float = DEFAULT_NOISE,
           counterfactual: str | Mapping[str, Any] | None = None) -> Experiment:
    """``baseline`` against ``altered`` (the counterfactual: an overlay merged
    onto it, named by ``counterfactual``, then the values ``sets``), on the same seeds."""
    seed = _seed(seed, baseline)
    seed_list = run_seeds(seed, _positive(runs, "runs"))
    variants = (Variant("baseline", (), portable(baseline)), Variant("counterfactual", (), portable(altered)))
    tasks = tuple(Task(arm * runs + k, s, arm) for arm in (0, 1) for k, s in enumerate(seed_list))
    named = dict(counterfactual) if isinstance(counterfactual, Mapping) else counterfactual or None
    settings = {"counterfactual": named, "sets": list(sets),
                "runs": runs, "noise": _noise(noise)}
    return Experiment("whatif", baseline, variants, tasks, seed, noise, settings, (baseline, altered))


# -- the worker side -------------------------------------------------------------------

def portable(scenario: Scenario) -> Scenario:
    """The same scenario without its cached outcome-space arrays, so what is
    pickled to workers is a few kilobytes; they recompute the arrays."""
    return replace(scenario)


@dataclass(frozen=True)
class Payload:
    """What a batch needs besides its tasks: the variants it uses, the noise,
    whether to send logs back."""

    kind: str
    variants: Mapping[int, Variant]
    noise: float
    keep_logs: bool
    tactics: bytes = b""  # registered tactics the variants use, for workers (``shipping.py``)


def run_batch(payload: Payload, tasks: Sequence[Task]) -> list[tuple[int, dict[str, Any], str | None]]:
    """Run every task of a batch: ``(run index, row, log text or None)`` each."""
    from .perturb import noise_rng, perturb
    from ..engine.simulate import simulate
    from ..scenarios.load import scenario_truth
    from ..reports.compare import scenario_comparison

    if payload.tactics:
        from .shipping import receive_tactics

        receive_tactics(payload.tactics)
    out = []
    truths: dict[int, Any] = {}  # variant → its real deal, read once a batch
    for task in tasks:
        variant = payload.variants[task.variant]
        scenario = variant.scenario
        played, drawn = draw_priors(scenario, task.seed)
        noise = payload.noise if variant.noise is None else variant.noise
        played = perturb(played, noise, noise_rng(task.seed)) if noise > 0 else played
        output = simulate(played, task.seed, keep_model=False)
        if task.variant not in truths:
            truths[task.variant] = scenario_truth(scenario)
        truth = truths[task.variant]
        if truth is not None:
            output.summary["comparison"] = scenario_comparison(output.summary, scenario, truth)
        out.append((task.run, make_row(payload.kind, task, variant, scenario, output.summary, drawn),
                    output.log_text if payload.keep_logs else None))
    return out


def draw_priors(scenario: Scenario, seed: int) -> tuple[Scenario, dict[str, Any]]:
    """The scenario a run plays, its priors drawn from the run's seed
    (``inputs/priors.py``), and the drawn values by key path; without
    priors, the scenario itself."""
    if not scenario.priors:
        return scenario, {}
    from ..inputs.priors import apply, cell, draw, prior_rng
    from ..scenarios.load import build_scenario

    values = draw(scenario.priors, prior_rng(seed), scenario.calendar.start, scenario.calendar.round_days)
    played = build_scenario(apply(scenario.resolved, scenario.priors, values), scenario.source, drawn=True)
    return played, {p.name: cell(v) for p, v in zip(scenario.priors, values)}


def make_row(kind: str, task: Task, variant: Variant, scenario: Scenario, summary: Mapping[str, Any],
             drawn: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """One flat results.csv row: who ran, what was varied, what was drawn,
    what came out."""
    row: dict[str, Any] = {"run": task.run, "seed": task.seed}
    if kind == "whatif":
        row["variant"] = variant.label
    elif kind == "library":  # a library backtest: one variant per case
        row["case"] = variant.label
    row.update(dict(variant.params))
    row.update({f"prior.{name}": value for name, value in (drawn or {}).items()})
    row.update(result=summary["result"], rounds=summary["rounds"], end_date=summary["date"],
               agreement_date=summary.get("agreement_date"), tentative_date=summary.get("tentative_date"))
    outcome = summary.get("outcome") or {}
    for clause in scenario.clauses:
        row[clause.name] = outcome.get(clause.name)
    utilities = summary.get("utilities") or {}
    holders = [p.name for p in scenario.parties if p.preferences is not None]
    for name in holders + [n for n in utilities if n not in holders]:
        row[f"u.{name}"] = utilities.get(name)
    for name, rv in (summary.get("reservations") or {}).items():
        row[f"rv.{name}"] = rv
    for name, condition in (summary.get("conditions") or {}).items():
        row[f"met.{name}"] = condition["met"]
    for name, deadline in (summary.get("deadlines") or {}).items():  # costly-continuation deadlines (drawn)
        row[f"deadline.{name}"], row[f"passed.{name}"] = deadline["date"], deadline["passed"]
    comparison = summary.get("comparison")
    if comparison:
        row.update(score=comparison.get("score"), matched=comparison.get("matched"), total=comparison.get("total"),
                   days_off_tentative=comparison.get("days_off_tentative"),
                   days_off_definitive=comparison.get("days_off_definitive"))
        for clause, detail in (comparison.get("clauses") or {}).items():
            row[f"match.{clause}"] = detail.get("match")
    row["reason"] = summary.get("reason")
    return row


# -- the table ---------------------------------------------------------------------------

def columns(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Every key of every row, first seen first, rows taken in run order."""
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def csv_text(rows: Sequence[Mapping[str, Any]], header: Sequence[str] | None = None) -> str:
    """The CSV of ``rows`` (sorted by run index): a pure function of the rows."""
    rows = sorted(rows, key=lambda r: r["run"])
    header = list(header) if header is not None else columns(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(row.get(key)) for key in header])
    return buffer.getvalue()


def log_name(run: int, seed: int, total: int) -> str:
    width = max(4, len(str(max(total - 1, 0))))
    return f"run-{run:0{width}d}-s{seed}.jsonl"


_SAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def safe(text: str) -> str:
    """``text`` as a folder-name part: runs of other characters become ``_``."""
    return _SAFE.sub("_", text).strip("_") or "x"
