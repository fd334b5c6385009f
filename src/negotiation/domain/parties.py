"""Parties: who sits at (or around) the table, as validated frozen data.

Roles are data, so a user adds a party without code:

- ``bargainer`` makes and answers offers (Microsoft, OpenAI);
- ``ratifier`` reviews a tentative agreement against its conditions and
  approves or vetoes it (attorneys general, antitrust authorities);
- ``investor`` commits money to a bargainer on condition of a deal by a date,
  which moves that bargainer's deadline and its value of no deal (SoftBank);
- ``outside_option`` makes a dated offer to a bargainer that changes what it
  values and its BATNA (Oracle, Google Cloud, CoreWeave, AWS; Microsoft's own
  models).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..inputs.config import Section, safe_load
from ..engine.opponents import OPPONENT_MODELS
from .outcomes import Clause
from .preferences import SHAPES, Constraint, Preferences, normalise_values, normalise_weights, ramp
from ..engine.strategies import ACCEPTANCES, STRATEGIES, Acceptance, Param, Strategy
from .timeline import Calendar

ROLES = ("bargainer", "ratifier", "investor", "outside_option")


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


@dataclass(frozen=True)
class Effect:
    """How an event moves a bargainer's preferences: ``reservation`` is added
    to its reservation value (clipped to [0, 1]); ``weights`` are added to its
    normalised clause weights, which are then normalised again."""

    reservation: float = 0.0
    weights: tuple[tuple[str, float], ...] = ()

    def apply(self, prefs: Preferences) -> Preferences:
        weights = dict(prefs.weights)
        for clause, delta in self.weights:
            weights[clause] = max(0.0, weights.get(clause, 0.0) + delta)
        moved = replace(prefs, weights=normalise_weights(weights)) if self.weights else prefs
        return moved.with_reservation(prefs.reservation + self.reservation)

    def describe(self) -> str:
        parts = [f"reservation {self.reservation:+.2f}"] if self.reservation else []
        parts += [f"weight of {clause} {delta:+.2f}" for clause, delta in self.weights]
        return ", ".join(parts) or "no change"


@dataclass(frozen=True)
class RatifierParty(Party):
    """Approves or vetoes a tentative agreement after ``review_days``."""

    requires: tuple[Constraint, ...] = ()
    review_days: int = 0


@dataclass(frozen=True)
class InvestorParty(Party):
    """Commits money to ``backs`` on ``commits_on``, on condition of a deal by
    ``condition_date``: from then on that date is the backed party's deadline,
    and ``effect`` applies to it (the money at stake lowers its value of no deal)."""

    backs: str = ""
    commits_on: dt.date | None = None
    condition_date: dt.date | None = None
    amount_usd_bn: float = 0.0
    effect: Effect = Effect()
    tranches: tuple[Tranche, ...] = ()


@dataclass(frozen=True)
class Tranche:
    """A later, dated step of an investor's commitment (a board approval, a
    payment, a reduction) that adds or withdraws pressure on the backed party."""

    on: dt.date
    amount_usd_bn: float
    effect: Effect


@dataclass(frozen=True)
class OutsideOptionParty(Party):
    """An offer to ``offers_to`` on date ``on``; ``effect`` applies to it."""

    offers_to: str = ""
    on: dt.date | None = None
    value_usd_bn: float = 0.0
    effect: Effect = Effect()


def parse_parties(sec: Section, clauses: tuple[Clause, ...], calendar: Calendar) -> tuple[Party, ...]:
    parties: list[Party] = []
    specs = list(sec.items())
    bargainers = [name for name, spec in specs if isinstance(spec, dict) and spec.get("role") == "bargainer"]
    for name, spec in specs:
        p = sec.sub(name, spec)
        role = p.choice("role", list(ROLES))
        if role == "bargainer":
            parties.append(_bargainer(name, p, clauses, calendar))
        elif role == "ratifier":
            parties.append(_ratifier(name, p, clauses))
        elif role == "investor":
            parties.append(_investor(name, p, calendar, bargainers, clauses))
        else:
            parties.append(_outside_option(name, p, calendar, bargainers, clauses))
        p.close()
    if len(bargainers) < 2:
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
    if isinstance(spec, str) and spec in SHAPES:
        if not c.ordered:
            raise vsec.error(f"{spec} needs an ordered clause; give a value per option", clause)
        return ramp(len(c.options), *SHAPES[spec])
    osec = vsec.sub(clause, spec) if isinstance(spec, dict) else None
    if osec is None:
        raise vsec.error(f"one of {', '.join(SHAPES)} or a mapping option → value expected", clause)
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
        text = f"in {{{", ".join(map(str, spec))}}}" if isinstance(spec, list) else str(spec)
        constraints.append(Constraint(clause, allowed, text))
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
        op, operand = match[1], safe_load(match[2])
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


def _ratifier(name: str, p: Section, clauses: tuple[Clause, ...]) -> RatifierParty:
    requires = _constraints(p.section("requires"), {c.name: c for c in clauses})
    if not requires:
        raise p.error("at least one condition (clause: requirement) expected", "requires")
    return RatifierParty(name, "ratifier", requires=requires, review_days=p.duration_days("review", 0, allow_zero=True))


def _target(p: Section, key: str, bargainers: list[str]) -> str:
    target = p.string(key)
    if target not in bargainers:
        raise p.error(f"the name of a bargainer expected ({', '.join(bargainers)}), got {target!r}", key)
    return target


def _dated(p: Section, key: str, calendar: Calendar) -> dt.date:
    day = p.date(key)
    if not calendar.contains(day):
        raise p.error(f"a date within the calendar ({calendar.start} to {calendar.deadline}) expected, got {day}", key)
    return day


def _investor(name: str, p: Section, calendar: Calendar, bargainers: list[str],
              clauses: tuple[Clause, ...]) -> InvestorParty:
    backs = _target(p, "backs", bargainers)
    commits_on = _dated(p, "commits_on", calendar)
    condition_date = p.date("condition_date")
    if condition_date <= commits_on:
        raise p.error(f"a date after commits_on ({commits_on}) expected, got {condition_date}", "condition_date")
    amount = p.number("amount_usd_bn", 0.0, lo=0.0)
    effect = _effect(p.section("effect", {}), clauses)
    raw = p.raw("tranches", [])
    if not isinstance(raw, list):
        raise p.error("a list of {on, amount_usd_bn, effect} steps expected", "tranches")
    tranches = []
    for i, step in enumerate(raw):
        t = p.sub(f"tranches.{i}", step)
        on = _dated(t, "on", calendar)
        if on <= commits_on:
            raise t.error(f"a date after commits_on ({commits_on}) expected, got {on}", "on")
        tranches.append(Tranche(on, t.number("amount_usd_bn", 0.0, lo=0.0), _effect(t.section("effect"), clauses)))
        t.close()
    return InvestorParty(name, "investor", backs=backs, commits_on=commits_on, condition_date=condition_date,
                         amount_usd_bn=amount, effect=effect, tranches=tuple(tranches))


def _outside_option(name: str, p: Section, calendar: Calendar, bargainers: list[str],
                    clauses: tuple[Clause, ...]) -> OutsideOptionParty:
    offers_to = _target(p, "offers_to", bargainers)
    on = _dated(p, "on", calendar)
    value = p.number("value_usd_bn", 0.0, lo=0.0)
    effect = _effect(p.section("effect"), clauses)
    return OutsideOptionParty(name, "outside_option", offers_to=offers_to, on=on, value_usd_bn=value, effect=effect)


def _effect(sec: Section, clauses: tuple[Clause, ...]) -> Effect:
    reservation = sec.number("reservation", 0.0, lo=-1.0, hi=1.0)
    wsec = sec.section("weights", {})
    names = [c.name for c in clauses]
    weights = []
    for clause, delta in wsec.items():
        if clause not in names:
            raise wsec.error(f"unknown clause; clauses are: {', '.join(names)}", clause)
        weights.append((clause, wsec.check_number(delta, clause, lo=-1.0, hi=1.0)))
    wsec.close()
    sec.close()
    return Effect(reservation, tuple(weights))
