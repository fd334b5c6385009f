"""Reading the parts of a party that several roles share: preferences,
constraints, effects, dates on the calendar, the name of a bargainer.

Each role (``negotiation/roles/``) reads its own keys with these; every
violation is an :class:`~negotiation.errors.InputError` naming the key path.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from ..domain.outcomes import Clause
from ..domain.parties import Effect
from ..domain.preferences import SHAPES, Constraint, Preferences, normalise_values, normalise_weights, ramp
from ..domain.timeline import Calendar
from .config import Section, safe_load


def preferences(p: Section, clauses: tuple[Clause, ...]) -> Preferences:
    """Weights, option values, reservation value and constraints (GENIUS's
    linear additive utility)."""
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
        values[clause] = option_values(vsec, clause, spec, by_name[clause])
    vsec.close()
    missing = [c for c, w in weights.items() if w > 0 and c not in values]
    if missing:
        raise p.error(f"values for every weighted clause expected; missing: {', '.join(missing)}", "values")
    reservation = p.number("reservation", 0.0, lo=0.0, hi=1.0)
    own = constraints(p.section("constraints", {}), by_name)
    return Preferences(weights, values, reservation, own)


def option_values(vsec: Section, clause: str, spec: Any, c: Clause) -> tuple[float, ...]:
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


def constraints(sec: Section, by_name: Mapping[str, Clause]) -> tuple[Constraint, ...]:
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


def bargainer_name(p: Section, key: str, bargainers: list[str]) -> str:
    target = p.string(key)
    if target not in bargainers:
        raise p.error(f"the name of a bargainer expected ({', '.join(bargainers)}), got {target!r}", key)
    return target


def dated(p: Section, key: str, calendar: Calendar) -> dt.date:
    day = p.date(key)
    if not calendar.contains(day):
        raise p.error(f"a date within the calendar ({calendar.start} to {calendar.deadline}) expected, got {day}", key)
    return day


def effect(sec: Section, clauses: tuple[Clause, ...]) -> Effect:
    """How an event moves a bargainer: a change of reservation value and of clause weights."""
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
