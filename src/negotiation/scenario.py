"""Scenario: a YAML file validated into frozen domain objects.

The only place upstream of the model that reads files. Every rule a scenario
must follow is checked here, once, with an error naming the file, the key
path and what is expected; the model can then trust what it is given.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from .config import Section, apply_sets, config_hash, load_yaml, merge_overlay
from .errors import InputError
from .opponents import OPPONENT_MODELS
from .outcomes import Clause, Option, OutcomeSpace
from .preferences import Constraint, Preferences, normalise_values, normalise_weights, ramp
from .strategies import ACCEPTANCES, STRATEGIES, Acceptance, Param, Strategy

DEFAULT_SCENARIO = "configs/openai_microsoft_2025.yaml"
ROLES = ("bargainer",)


@dataclass(frozen=True)
class Calendar:
    """Rounds on real dates: round 1 is held on ``start``, round k on
    ``start + (k-1)·round_days``, the last one on or before ``deadline``."""

    start: dt.date
    round_days: int
    deadline: dt.date
    max_rounds: int

    @property
    def n_rounds(self) -> int:
        return min(self.max_rounds, (self.deadline - self.start).days // self.round_days + 1)

    def date_of(self, round_no: int) -> dt.date:
        return self.start + dt.timedelta(days=(round_no - 1) * self.round_days)

    def time_of(self, day: dt.date) -> float:
        """Mesa model time of a date: round k runs at time k."""
        return 1.0 + (day - self.start).days / self.round_days

    def relative(self, day: dt.date, deadline: dt.date) -> float:
        """Relative time t in [0, 1] towards a deadline, as tactics use it."""
        span = (deadline - self.start).days
        return min(1.0, max(0.0, (day - self.start).days / span)) if span > 0 else 1.0


@dataclass(frozen=True)
class StrategySpec:
    """A tactic, its acceptance conditions and its opponent model, by name."""

    name: str
    params: tuple[tuple[str, float], ...] = ()
    acceptance: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = (("ac_next", ()),)
    opponent_model: str = "frequency"

    def build(self) -> tuple[Strategy, list[Acceptance]]:
        return (STRATEGIES[self.name](**dict(self.params)),
                [ACCEPTANCES[name](**dict(params)) for name, params in self.acceptance])


@dataclass(frozen=True)
class Party:
    """A party and its role. Bargainers hold preferences and a strategy."""

    name: str
    role: str
    preferences: Preferences | None = None
    strategy: StrategySpec | None = None
    deadline: dt.date | None = None


@dataclass(frozen=True, eq=False)
class Scenario:
    """A validated scenario. ``resolved`` is the mapping it was built from
    (overrides applied): written back as ``scenario.yaml``, it rebuilds the
    very same scenario, and its hash names the run folder."""

    name: str
    description: str
    seed: int
    calendar: Calendar
    clauses: tuple[Clause, ...]
    parties: tuple[Party, ...]
    source: str
    resolved: Mapping[str, Any] = field(repr=False)
    citations: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    @cached_property
    def space(self) -> OutcomeSpace:
        return OutcomeSpace(self.clauses)

    @property
    def bargainers(self) -> tuple[Party, ...]:
        return tuple(p for p in self.parties if p.role == "bargainer")

    @property
    def config_hash(self) -> str:
        """Hash of everything but the seed: runs of one configuration share it."""
        return config_hash({k: v for k, v in self.resolved.items() if k != "seed"})

    def party(self, name: str) -> Party:
        return next(p for p in self.parties if p.name == name)

    def clause(self, name: str) -> Clause:
        return next(c for c in self.clauses if c.name == name)

    def to_yaml(self, seed: int | None = None) -> str:
        resolved = dict(self.resolved)
        resolved["seed"] = self.seed if seed is None else seed
        return yaml.safe_dump(resolved, sort_keys=False, allow_unicode=True)


# -- loading ------------------------------------------------------------------

def load_scenario(path: str | Path = DEFAULT_SCENARIO, sets: Sequence[str] = (), seed: int | None = None,
                  overlay: Mapping[str, Any] | None = None) -> Scenario:
    """Read, override and validate a scenario file (raises InputError)."""
    raw = load_yaml(path)
    if overlay:
        raw = merge_overlay(raw, overlay)
    raw, touched = apply_sets(raw, list(sets))
    if seed is not None:
        raw["seed"] = seed
    return build_scenario(raw, str(path), touched)


def build_scenario(raw: Mapping[str, Any], source: str = "<scenario>",
                   touched: Mapping[str, str] | None = None) -> Scenario:
    top = Section(dict(raw), "", source, touched)
    name = top.string("name")
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
        raise top.error(f"letters, digits, '_', '-' or '.' expected (it names run folders), got {name!r}", "name")
    description = str(top.raw("description", ""))
    seed = top.integer("seed", 0, lo=0)
    calendar = _calendar(top.section("calendar"))
    clauses = _clauses(top.section("clauses"))
    parties = _parties(top.section("parties"), clauses, calendar)
    top.close()
    return Scenario(name, description, seed, calendar, clauses, parties, source, dict(raw), top.citations)


def _calendar(sec: Section) -> Calendar:
    start = sec.date("start")
    deadline = sec.date("deadline")
    if deadline <= start:
        raise sec.error(f"a date after calendar.start ({start}) expected, got {deadline}", "deadline")
    round_days = sec.duration_days("round", 7)
    max_rounds = sec.integer("max_rounds", 10_000, lo=1)
    sec.close()
    return Calendar(start, round_days, deadline, max_rounds)


def _clauses(sec: Section) -> tuple[Clause, ...]:
    clauses = []
    for name, spec in sec.items():
        c = sec.sub(name, spec)
        options = c.raw("options")
        if (not isinstance(options, list) or not options
                or not all(isinstance(o, (str, int, float)) and not isinstance(o, bool) for o in options)):
            raise c.error("a non-empty list of option names or numbers expected", "options")
        if len(set(map(repr, options))) != len(options):
            raise c.error("options must be distinct", "options")
        numeric = all(isinstance(o, (int, float)) for o in options)
        ordered = c.boolean("ordered", numeric)
        c.close()
        clauses.append(Clause(name, tuple(options), ordered, sec.citations.get(c.path, ())))
    if not clauses:
        raise sec.error("at least one clause expected")
    return tuple(clauses)


def _parties(sec: Section, clauses: tuple[Clause, ...], calendar: Calendar) -> tuple[Party, ...]:
    parties = []
    for name, spec in sec.items():
        p = sec.sub(name, spec)
        role = p.choice("role", list(ROLES))
        parties.append(_bargainer(name, p, clauses, calendar))
        p.close()
    if sum(1 for party in parties if party.role == "bargainer") < 2:
        raise sec.error("at least two parties with role: bargainer expected")
    return tuple(parties)


def _bargainer(name: str, p: Section, clauses: tuple[Clause, ...], calendar: Calendar) -> Party:
    preferences = _preferences(p, clauses)
    strategy = _strategy(p.section("strategy", {"name": "time_dependent"}))
    deadline = p.date("deadline", None) if p.has("deadline") else None
    if deadline is not None and deadline <= calendar.start:
        raise p.error(f"a date after calendar.start ({calendar.start}) expected, got {deadline}", "deadline")
    return Party(name, "bargainer", preferences, strategy, deadline)


def _preferences(p: Section, clauses: tuple[Clause, ...]) -> Preferences:
    by_name = {c.name: c for c in clauses}
    known = ", ".join(by_name)
    wsec = p.section("weights")
    raw_weights = {}
    for clause, w in wsec.items():
        if clause not in by_name:
            raise wsec.error(f"unknown clause; clauses are: {known}", clause)
        raw_weights[clause] = wsec.check_number(w, clause, lo=0.0)
    wsec.close()
    try:
        weights = normalise_weights(raw_weights)
    except ValueError:
        raise p.error("at least one positive weight expected (all are zero or none given)", "weights") from None
    vsec = p.section("values", {})
    values = {}
    for clause, spec in vsec.items():
        if clause not in by_name:
            raise vsec.error(f"unknown clause; clauses are: {known}", clause)
        values[clause] = _option_values(vsec, clause, spec, by_name[clause])
    vsec.close()
    missing = [c for c, w in weights.items() if w > 0 and c not in values]
    if missing:
        raise p.error(f"values for every weighted clause expected; missing: {', '.join(missing)}", "values")
    reservation = p.number("reservation", 0.0, lo=0.0, hi=1.0)
    constraints = _constraints(p.section("constraints", {}), by_name)
    return Preferences(weights, values, reservation, constraints)


def _option_values(vsec: Section, clause: str, spec: Any, c: Clause) -> tuple[float, ...]:
    if spec in ("increasing", "decreasing"):
        if not c.ordered:
            raise vsec.error("increasing/decreasing needs an ordered clause; give a value per option", clause)
        return ramp(len(c.options), spec == "increasing")
    osec = vsec.sub(clause, spec) if isinstance(spec, dict) else None
    if osec is None:
        raise vsec.error("increasing, decreasing or a mapping option → value expected", clause)
    given = {}
    for option, v in osec.items():
        match = [o for o in c.options if str(o) == option]
        if not match:
            raise osec.error(f"unknown option; options are: {', '.join(map(str, c.options))}", option)
        given[str(match[0])] = osec.check_number(v, option, lo=0.0)
    absent = [str(o) for o in c.options if str(o) not in given]
    if absent:
        raise vsec.error(f"a value for every option expected; missing: {', '.join(absent)}", clause)
    try:
        return normalise_values(tuple(given[str(o)] for o in c.options))
    except ValueError:
        raise vsec.error("at least one option value above zero expected", clause) from None


_COMPARISON = re.compile(r"^\s*(>=|<=|==|!=|>|<)\s*(.+?)\s*$")


def _constraints(sec: Section, by_name: Mapping[str, Clause]) -> tuple[Constraint, ...]:
    constraints = []
    for clause, spec in sec.items():
        if clause not in by_name:
            raise sec.error(f"unknown clause; clauses are: {', '.join(by_name)}", clause)
        allowed = constraint_mask(by_name[clause], spec)
        if isinstance(allowed, str):
            raise sec.error(allowed, clause)
        constraints.append(Constraint(clause, allowed, str(spec)))
    sec.close()
    return tuple(constraints)


def constraint_mask(clause: Clause, spec: Any) -> tuple[bool, ...] | str:
    """Which options satisfy ``spec`` (a list of allowed options, or a
    comparison like ``">= 0.25"``); an error text if ``spec`` is invalid.
    Numbers compare by value; other ordered options by their position."""
    if isinstance(spec, list):
        names = [str(o) for o in clause.options]
        unknown = [str(s) for s in spec if str(s) not in names]
        if unknown or not spec:
            return f"a list of options of {clause.name} expected ({', '.join(names)}); unknown: {unknown}"
        mask = tuple(str(o) in {str(s) for s in spec} for o in clause.options)
    else:
        match = _COMPARISON.match(str(spec))
        if not match:
            return "a comparison like '>= 0.25' or a list of allowed options expected"
        op, operand = match[1], yaml.safe_load(match[2])
        numeric = all(isinstance(o, (int, float)) for o in clause.options)
        if numeric and isinstance(operand, (int, float)):
            keys, ref = list(clause.options), operand
        elif clause.ordered and str(operand) in map(str, clause.options):
            keys, ref = list(range(len(clause.options))), [str(o) for o in clause.options].index(str(operand))
        elif op in ("==", "!=") and str(operand) in map(str, clause.options):
            keys, ref = [str(o) for o in clause.options], str(operand)
        else:
            return f"a comparison with a number or an option of {clause.name} expected, got {spec!r}"
        test = {">=": lambda a: a >= ref, "<=": lambda a: a <= ref, ">": lambda a: a > ref,
                "<": lambda a: a < ref, "==": lambda a: a == ref, "!=": lambda a: a != ref}[op]
        mask = tuple(bool(test(k)) for k in keys)
    if not any(mask):
        return f"{spec!r} rules out every option of {clause.name}"
    return mask


def _strategy(sec: Section) -> StrategySpec:
    name = sec.choice("name", sorted(STRATEGIES))
    params = _params(sec, STRATEGIES[name].params)
    acceptance = []
    spec = sec.raw("acceptance", ["ac_next"])
    for i, item in enumerate(spec if isinstance(spec, list) else [spec]):
        asec = sec.sub(f"acceptance.{i}" if isinstance(spec, list) else "acceptance",
                       item if isinstance(item, dict) else {"name": item})
        aname = asec.choice("name", sorted(ACCEPTANCES))
        acceptance.append((aname, _params(asec, ACCEPTANCES[aname].params)))
        asec.close()
    model = sec.choice("opponent_model", list(OPPONENT_MODELS), "frequency")
    sec.close()
    return StrategySpec(name, params, tuple(acceptance), model)


def _params(sec: Section, params: Mapping[str, Param]) -> tuple[tuple[str, float], ...]:
    return tuple((key, sec.number(key, p.default, lo=p.lo, hi=p.hi, lo_open=p.lo_open)) for key, p in params.items())


def option_label(option: Option) -> str:
    return f"{option:g}" if isinstance(option, float) else str(option)
