"""The parts of a party that several roles share, as written in YAML
(pydantic types and models) and as checked against the rest of the
scenario: preferences, constraints (a bargainer's deal-breakers, a
ratifier's requirements), the effect of an event on a bargainer.

Each role (``negotiation/roles/``) declares its own model with these; the
checks that need the clauses take the role :class:`~negotiation.roles.Context`
and name the key path in their errors, as the models' errors do.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Union

from pydantic import Discriminator, Tag

from ..domain.outcomes import Clause
from ..domain.parties import Effect
from ..domain.preferences import SHAPES, Constraint, Preferences, normalise_values, normalise_weights, ramp
from .config import safe_load
from .types import CITABLE, ERROR, fail, keyed, kind, number
from .validation import Node

if TYPE_CHECKING:
    from ..domain.scenario import Context


# -- preferences ----------------------------------------------------------------------

def _shape(value: Any) -> str:
    if value not in SHAPES:
        raise fail(f"one of {', '.join(SHAPES)} or a mapping option → value expected, got {value!r}")
    return value


class _ShapeType:
    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema
        return core_schema.no_info_plain_validator_function(_shape)

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        return {"enum": list(SHAPES), "description": "option values along the clause's order"}


def _values_kind(value: Any) -> str | None:
    return "shape" if isinstance(value, str) else "mapping" if isinstance(value, Mapping) else None


OptionValues = Annotated[
    Union[Annotated[str, _ShapeType(), Tag("shape")],  # noqa: UP007
          Annotated[keyed(number(ge=0.0)), Tag("mapping")]],
    Discriminator(_values_kind, custom_error_type=ERROR,
                  custom_error_message=f"one of {', '.join(SHAPES)} or a mapping option → value expected"),
    CITABLE,
]
Weights = keyed(number(ge=0.0), "clause → weight; normalised to sum 1")
Values = keyed(OptionValues, "clause → a shape, or option → value; scaled so the best is 1")
Reservation = number(ge=0.0, le=1.0, description="utility of no deal (BATNA)")


def preferences(ctx: Context, key: str, weights: Mapping[str, float], values: Mapping[str, Any],
                reservation: float, own: Mapping[str, Any]) -> Preferences:
    """Weights, option values, reservation value and constraints (GENIUS's
    linear additive utility), checked against the scenario's clauses."""
    for clause in weights:
        ctx.clause(f"{key}.weights.{clause}", clause)
    try:
        normalised = normalise_weights(dict(weights))
    except ValueError:
        raise ctx.error(f"{key}.weights", "at least one positive weight expected (all are zero or none given)") \
            from None
    scaled = {c: option_values(ctx, f"{key}.values.{c}", ctx.clause(f"{key}.values.{c}", c), spec)
              for c, spec in values.items()}
    missing = [c for c, w in normalised.items() if w > 0 and c not in scaled]
    if missing:
        raise ctx.error(f"{key}.values", f"values for every weighted clause expected; missing: {', '.join(missing)}")
    return Preferences(normalised, scaled, reservation, constraints(ctx, f"{key}.constraints", own))


def option_values(ctx: Context, key: str, clause: Clause, spec: Any) -> tuple[float, ...]:
    """One value per option, the best scaled to 1: a shape along an ordered
    clause, or a value for every option."""
    if isinstance(spec, str):
        if not clause.ordered:
            raise ctx.error(key, f"{spec} needs an ordered clause; give a value per option")
        return ramp(len(clause.options), *SHAPES[spec])
    names = [str(o) for o in clause.options]
    for option in spec:
        if option not in names:
            raise ctx.error(f"{key}.{option}", f"unknown option; options are: {', '.join(names)}")
    absent = [o for o in names if o not in spec]
    if absent:
        raise ctx.error(key, f"a value for every option expected; missing: {', '.join(absent)}")
    try:
        return normalise_values(tuple(spec[o] for o in names))
    except ValueError:
        raise ctx.error(key, "at least one option value above zero expected") from None


# -- constraints and requirements -------------------------------------------------------

def _requirement(value: Any) -> Any:
    if isinstance(value, str) or isinstance(value, list) and value:
        return value
    raise fail(f"a comparison like '>= 0.25' or a list of allowed options expected, got {kind(value)}")


class _RequirementType:
    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema
        return core_schema.no_info_plain_validator_function(_requirement)

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        return {"anyOf": [{"type": "string", "pattern": r"^\s*(>=|<=|==|!=|>|<)\s*\S", "examples": [">= 0.25"]},
                          {"type": "array", "items": {"type": ["string", "number"]}, "minItems": 1}],
                "description": "a comparison with a number or an option (>= 0.25), or the allowed options"}


Requirements = keyed(Annotated[Any, _RequirementType(), CITABLE],
                     "clause → requirement; an outcome failing one is ruled out")


def constraints(ctx: Context, key: str, specs: Mapping[str, Any]) -> tuple[Constraint, ...]:
    """Each ``clause: requirement`` as the options it allows."""
    out = []
    for name, spec in specs.items():
        allowed = constraint_mask(ctx.clause(f"{key}.{name}", name), spec)
        if isinstance(allowed, str):
            raise ctx.error(f"{key}.{name}", allowed)
        text = f"in {{{", ".join(map(str, spec))}}}" if isinstance(spec, list) else str(spec)
        out.append(Constraint(name, allowed, text))
    return tuple(out)


_COMPARISON = re.compile(r"^\s*(>=|<=|==|!=|>|<)\s*(.+?)\s*$")


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


# -- effects of events --------------------------------------------------------------------

class EffectModel(Node):
    """How an event moves the bargainer it targets."""

    reservation: number(ge=-1.0, le=1.0, description="added to its reservation value") = 0.0  # type: ignore[valid-type]
    weights: keyed(number(ge=-1.0, le=1.0),  # type: ignore[valid-type]
                   "added to its normalised clause weights, which are then normalised again") = {}

    def build(self, ctx: Context, key: str) -> Effect:
        for name in self.weights:
            ctx.clause(f"{key}.weights.{name}", name)
        return Effect(self.reservation, tuple(self.weights.items()))
