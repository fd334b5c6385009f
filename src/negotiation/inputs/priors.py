"""Priors: the uncertainty of a scenario's numbers, declared beside them.

A coded number is an estimate; docs/codebook.md (rules U1–U10) says what
range a coder would defend for each kind. A cited leaf may carry that range
as a distribution, beside its value and its sources::

    weights: {revenue_share: {value: 0.3, prior: {uniform: [0.2, 0.5]}, because: [F5], rule: U1}}
    strategy: {name: time_dependent, e: {value: 0.5, prior: {triangular: [0.3, 0.5, 1.0]}}}
    deadline: {value: 2025-10-31, prior: {uniform: [2025-10-24, 2025-11-14]}}

Families: ``uniform: [lo, hi]``, ``triangular: [lo, mode, hi]`` (numbers or
dates), ``normal: [mean, sd]`` and ``lognormal: [median, σ]`` (``median·
exp(σ·Z)``, the family of ``--noise``; numbers only). Normal and lognormal
draws are clipped to the key's allowed range (the codebook's "clipped to the
key's bounds"); whole numbers and durations are rounded; a date is drawn as
a day and moved to the nearest round of the calendar (``start + k·round``),
kept inside its range.

An experiment (Monte Carlo, what-if, sweep, backtest) draws every prior of
a run from the run's seed alone, on a stream of its own, in the order the
priors are written; a single ``run`` plays the values. Which keys may carry
one, and their ranges, come from the scenario's JSON Schema (numbers,
whole numbers, dates and durations of a party, and ``calendar.deadline``),
so a role's new numeric key takes a prior with nothing added here.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..domain.scenario import Prior
from ..runtime.lazy import numpy as np
from . import values
from .types import CITING

FAMILIES = {"uniform": 2, "triangular": 3, "normal": 2, "lognormal": 2}
PRIOR_STREAM = 0x9_41_0125  # mixes into a run's seed: priors, noise and the model draw from separate streams
ROOTS = ("parties", "calendar.deadline")  # where a prior may sit: what a party holds, and the calendar's end


def prior_rng(run_seed: int) -> np.random.Generator:
    """The Generator a run's priors are drawn from: a function of the run's
    seed alone, apart from the model's stream and the noise's."""
    return np.random.default_rng([run_seed, PRIOR_STREAM])


# -- finding and checking -------------------------------------------------------------

def find_priors(raw: Mapping[str, Any], fail: Any, schema: Callable[[], Mapping[str, Any]]) -> tuple[Prior, ...]:
    """Every prior of a scenario mapping, checked; ``fail(key, expected)``
    returns the InputError to raise (it names the file and the key path);
    ``schema()`` the scenario's JSON Schema (made by the loader, which knows
    the roles; asked for only when a prior is found)."""
    found: list[Prior] = []
    for path, leaf in _leaves(raw, ()):
        name = ".".join(path)
        if not any(name == r or name.startswith(r + ".") for r in ROOTS):
            raise fail(f"{name}.prior", "a prior only on a number, date or duration of a party, or on "
                                        "calendar.deadline")
        taken = _leaf_schema(schema(), raw, path)
        if taken is None:
            raise fail(f"{name}.prior", "a prior only on a number, a date or a duration (this key takes none)")
        found.append(_check(path, leaf, taken, fail))
    return tuple(found)


def _leaves(node: Any, path: tuple[str, ...]) -> Any:
    if isinstance(node, Mapping):
        if "prior" in node and "value" in node and set(node) <= set(CITING):
            yield path, node
            return
        for key, sub in node.items():
            yield from _leaves(sub, (*path, str(key)))
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            yield from _leaves(sub, (*path, str(i)))


def _leaf_schema(schema: Mapping[str, Any], raw: Mapping[str, Any], path: tuple[str, ...]) -> dict[str, Any] | None:
    """The schema of the value at ``path`` (a number, whole number, date or
    duration), or None when the key takes none of those."""
    node = _resolve(schema["$defs"], schema, raw, (*path, "value"))
    if node is None:
        return None
    if node.get("type") in ("number", "integer") or node.get("format") == "date":
        return node
    if any(b.get("pattern") for b in node.get("anyOf", ())):  # a duration: days, or 7d / 2w
        return {"type": "duration", "minimum": next(b.get("minimum", 0) for b in node["anyOf"] if "minimum" in b),
                "maximum": values.MAX_DAYS}
    return None


def _resolve(defs: Mapping[str, Any], node: Any, data: Any, path: tuple[str, ...]) -> Any:
    while isinstance(node, dict) and "$ref" in node and len(node) <= 4:  # a $ref beside a description or default
        node = defs[node["$ref"].rsplit("/", 1)[-1]]
    if not isinstance(node, dict):
        return None
    if not path:
        return node
    if "discriminator" in node and isinstance(data, Mapping):
        chosen = node["discriminator"]["mapping"].get(str(data.get(node["discriminator"]["propertyName"])))
        return _resolve(defs, {"$ref": chosen}, data, path) if chosen else None
    for combined in ("oneOf", "anyOf", "allOf"):
        if combined in node:
            return next((r for b in node[combined] if (r := _resolve(defs, b, data, path)) is not None), None)
    key, rest = path[0], path[1:]
    sub = data.get(key) if isinstance(data, Mapping) else None
    if key in node.get("properties", {}):
        return _resolve(defs, node["properties"][key], sub, rest)
    if isinstance(node.get("additionalProperties"), dict):
        return _resolve(defs, node["additionalProperties"], sub, rest)
    if node.get("type") == "array" and key.isdigit() and isinstance(node.get("items"), dict):
        return _resolve(defs, node["items"], data[int(key)] if isinstance(data, list) and int(key) < len(data) else None,
                        rest)
    return None


def _check(path: tuple[str, ...], leaf: Mapping[str, Any], schema: Mapping[str, Any], fail: Any) -> Prior:
    key = ".".join(path) + ".prior"
    spec = leaf["prior"]
    if not isinstance(spec, Mapping) or len(spec) != 1 or next(iter(spec)) not in FAMILIES:
        raise fail(key, "one of {uniform: [lo, hi]}, {triangular: [lo, mode, hi]}, {normal: [mean, sd]}, "
                        "{lognormal: [median, σ]} expected")
    family, params = next(iter(spec.items()))
    kind = {"number": "number", "integer": "integer", "duration": "duration"}.get(schema.get("type"), "date")
    if not isinstance(params, list) or len(params) != FAMILIES[family]:
        raise fail(f"{key}.{family}", f"a list of {FAMILIES[family]} numbers{' or dates' if kind == 'date' else ''} "
                                      "expected")
    if kind == "date" and family in ("normal", "lognormal"):
        raise fail(f"{key}.{family}", "uniform: [DATE, DATE] or triangular: [DATE, DATE, DATE] for a date expected")
    try:
        read = values.date if kind == "date" else (lambda v: values.number(v))
        nums = tuple(float(read(p).toordinal()) if kind == "date" else read(p) for p in params)
        value = read(leaf["value"] if kind != "duration" else values.days(leaf["value"], least=0))
        value = float(value.toordinal()) if kind == "date" else float(value)
    except ValueError as exc:
        raise fail(f"{key}.{family}", str(exc)) from None
    lo = schema.get("minimum", schema.get("exclusiveMinimum"))
    hi = schema.get("maximum")
    lo_open = "exclusiveMinimum" in schema and "minimum" not in schema
    if family in ("uniform", "triangular"):
        if nums[0] > nums[-1] or (family == "triangular" and not nums[0] <= nums[1] <= nums[2]):
            raise fail(f"{key}.{family}", f"lo ≤ {'mode ≤ ' if family == 'triangular' else ''}hi expected, got "
                                          f"{_shown(params)}")
        ends = (nums[0], nums[-1])
        if not ends[0] <= value <= ends[1]:
            raise fail(f"{key}.{family}", f"a range holding the coded value {_shown([leaf['value']])} expected, "
                                          f"got {_shown(params)}")
    else:
        if nums[1] < 0:
            raise fail(f"{key}.{family}", f"a spread (sd or σ) ≥ 0 expected, got {params[1]}")
        if family == "lognormal" and (nums[0] <= 0 or lo is None or lo < 0):
            raise fail(f"{key}.{family}", "a positive median on a key that cannot go below 0 expected")
        ends = (nums[0], nums[0])
    if kind != "date":
        below = lo is not None and (ends[0] < lo or (lo_open and ends[0] == lo))
        if below or (hi is not None and ends[1] > hi):
            allowed = f"{'(' if lo_open else '['}{_num(lo)}, {_num(hi)}]"
            raise fail(f"{key}.{family}", f"a prior inside the key's allowed range {allowed} expected, got "
                                          f"{_shown(params)}")
    return Prior(path, family, nums, kind, lo, hi, lo_open)


def _num(x: float | None) -> str:
    return "∞" if x is None else f"{x:g}"


def _shown(params: Sequence[Any]) -> str:
    return "[" + ", ".join(str(p) for p in params) + "]"


# -- drawing ------------------------------------------------------------------------

def draw(priors: Sequence[Prior], rng: np.random.Generator, start: dt.date, round_days: int) -> list[Any]:
    """One value per prior, in their order, from ``rng``: numbers as floats
    (whole numbers and durations as ints), dates as dates on a round."""
    out: list[Any] = []
    for p in priors:
        a = p.params
        if p.family == "uniform":
            x = float(rng.uniform(a[0], a[1]))
        elif p.family == "triangular":
            x = float(rng.triangular(a[0], a[1], a[2])) if a[0] < a[2] else a[0]
        elif p.family == "normal":
            x = float(a[0] + a[1] * rng.standard_normal())
        else:
            x = float(a[0] * math.exp(a[1] * rng.standard_normal()))
        if p.kind == "date":
            lo, hi = a[0], a[-1]
            k = round((x - start.toordinal()) / round_days)
            day = min(max(start.toordinal() + k * round_days, lo), hi)
            out.append(dt.date.fromordinal(int(day)))
            continue
        if p.lo is not None and x <= p.lo:  # clipped to the key's range (an open end: a hair inside it)
            x = p.lo if not p.lo_open else math.nextafter(p.lo, math.inf)
        if p.hi is not None:
            x = min(x, p.hi)
        out.append(int(round(x)) if p.kind in ("integer", "duration") else x)
    return out


def apply(raw: Mapping[str, Any], priors: Sequence[Prior], drawn: Sequence[Any]) -> dict[str, Any]:
    """A copy of ``raw`` with each prior's ``value`` replaced by its draw (the
    prior, facts and rule kept): written out as a run's scenario.yaml, it
    plays the very run that was drawn."""
    out = copy.deepcopy(dict(raw))
    for p, value in zip(priors, drawn):
        node: Any = out
        for part in p.path:
            node = node[int(part)] if isinstance(node, list) else node[part]
        node["value"] = value
    return out


def cell(value: Any) -> Any:
    """A drawn value as results.csv holds it (dates as ISO text, numbers rounded)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return round(value, 6) if isinstance(value, float) else value
