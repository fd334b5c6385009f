"""Root value types of the input files, as pydantic (v2) annotated types.

Every leaf a scenario, facts or real-deal file holds is one of these: a finite
number, a whole number, a calendar date, a duration, a non-empty text. The
numbers, dates and durations are read by the one set of readers in
:mod:`.values` (which also serves ``--set`` and GENIUS imports); this module
gives them to pydantic, with the text users see after the key path, and with
their JSON Schema so editors check the same thing
(https://docs.pydantic.dev/latest/concepts/types/#composing-types-via-annotated).

Any leaf may be *cited*, written ``{value: x, because: [F12], rule: W2}`` to
name the facts behind it (``data/facts.yaml``) and the codebook rule that
turned them into it (``docs/codebook.md``): :data:`CITABLE` unwraps it before
the leaf is checked and widens its JSON Schema to both spellings; which facts
and rules are cited where is collected by
:func:`negotiation.inputs.sources.collect_citations` and
:func:`negotiation.inputs.codebook.collect_rules`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

from . import values

ERROR = "negotiation"  # the error type of every message written here; the text is the message


kind = values.kind


def fail(expected: str) -> PydanticCustomError:
    """A validation error whose message is exactly ``expected``."""
    return PydanticCustomError(ERROR, expected.replace("{", "{{").replace("}", "}}"))  # type: ignore[arg-type]


CITING = ("value", "because", "rule", "prior")  # the keys of a cited leaf (prior: inputs/priors.py)


def is_cited(value: Any) -> bool:
    """``{value: x}``, ``{value: x, because: [...]}``, ``{value: x, rule: W2}``:
    a leaf with its sources."""
    return isinstance(value, dict) and "value" in value and set(value) <= set(CITING)


def is_rule(value: Any) -> bool:
    """A rule id or a list of them: what ``rule:`` holds."""
    return isinstance(value, str) or isinstance(value, list) and all(isinstance(r, str) for r in value)


class _Citable:
    """Accept ``{value: x, because: [ids]}`` wherever ``x`` is accepted."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(_unwrap, handler(source))

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> Any:
        inner = handler(schema)
        cited = {"type": "object", "properties": {"value": inner, "because": BECAUSE_REF, "rule": RULE_REF,
                                                  "prior": PRIOR_REF},
                 "required": ["value"], "additionalProperties": False}
        if inner.get("type") not in ("number", "integer", "string", "boolean", "array"):
            # a mapping written {value: …, because: …} is read as a cited value, never as itself
            inner = {"allOf": [inner, {"not": {"type": "object", "required": ["value"],
                                               "propertyNames": {"enum": list(CITING)}}}]}
        return {"anyOf": [inner, cited]}


def _unwrap(value: Any) -> Any:
    if is_cited(value):
        because = value.get("because", [])
        if not (isinstance(because, str) or isinstance(because, list) and all(isinstance(b, str) for b in because)):
            raise fail(f"fact ids in because: expected, got {kind(because)}")
        if "rule" in value and not is_rule(value["rule"]):
            raise fail(f"codebook rule ids in rule: expected, got {kind(value['rule'])}")
        return value["value"]
    return value


CITABLE = _Citable()
BECAUSE_SCHEMA = {"anyOf": [{"type": "string", "minLength": 1},
                            {"type": "array", "items": {"type": "string", "minLength": 1}}],
                  "description": "ids of the facts (data/facts.yaml) behind this"}
BECAUSE_REF = {"x-because": True}  # models.scenario_schema makes it a $ref to BECAUSE_SCHEMA, held once
RULE_SCHEMA = {"anyOf": [{"type": "string", "minLength": 1},
                         {"type": "array", "items": {"type": "string", "minLength": 1}}],
               "description": "ids of the codebook rules (codebook:) that turned the facts into this"}
RULE_REF = {"x-rule": True}  # a $ref to RULE_SCHEMA, likewise
_BOUND = {"anyOf": [{"type": "number"}, {"type": "string", "format": "date"}]}
PRIOR_SCHEMA = {"type": "object", "minProperties": 1, "maxProperties": 1, "additionalProperties": False,
                "description": "the value's uncertainty, drawn per run of an experiment (inputs/priors.py)",
                "properties": {"uniform": {"type": "array", "items": _BOUND, "minItems": 2, "maxItems": 2},
                               "triangular": {"type": "array", "items": _BOUND, "minItems": 3, "maxItems": 3},
                               "normal": {"type": "array", "items": {"type": "number"}, "minItems": 2,
                                          "maxItems": 2, "description": "[mean, sd]"},
                               "lognormal": {"type": "array", "items": {"type": "number"}, "minItems": 2,
                                             "maxItems": 2, "description": "[median, σ]: median·exp(σ·Z)"}}}
PRIOR_REF = {"x-prior": True}  # a $ref to PRIOR_SCHEMA, likewise


# -- numbers, dates, durations: the root readers of values.py, as pydantic types ----

def _reader(read: Any, **bounds: Any) -> Any:
    def check(value: Any) -> Any:
        try:
            return read(value, **bounds)
        except ValueError as exc:
            raise fail(str(exc)) from None

    return check


def number(*, ge: float | None = None, gt: float | None = None, le: float | None = None,
           description: str | None = None) -> Any:
    """A finite number (an integer is read as a float), within the bounds.
    :func:`values.number` checks it; the bounds are also given to pydantic
    (before the validator, so they appear as minimum/maximum in the JSON Schema)."""
    check = _reader(values.number, lo=gt if gt is not None else ge, hi=le, lo_open=gt is not None)
    return Annotated[float, Field(ge=ge, gt=gt, le=le, description=description), BeforeValidator(check), CITABLE]


def integer(*, ge: int | None = None, le: int = values.MAX_COUNT, description: str | None = None) -> Any:
    """A whole number (not a boolean, not 3.0) in ``[ge, le]``."""
    check = _reader(values.integer, lo=ge, hi=le)
    return Annotated[int, Field(ge=ge, le=le, description=description), BeforeValidator(check), CITABLE]


class _DateType:
    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(_reader(values.date))

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> Any:
        return {"type": "string", "format": "date", "description": "a date, YYYY-MM-DD"}


Date = Annotated[dt.date, _DateType(), CITABLE]


def _duration(least: int) -> Any:
    class _DurationType:
        def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
            return core_schema.no_info_plain_validator_function(_reader(values.days, least=least))

        def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> Any:
            return {"anyOf": [{"type": "integer", "minimum": least, "maximum": values.MAX_DAYS},
                              {"type": "string", "pattern": r"^\s*\d+\s*[dw]\s*$"}],
                    "description": "days (an integer), or like 7d or 2w"}

    return Annotated[int, _DurationType(), CITABLE]


Duration = _duration(1)
DurationOrZero = _duration(0)


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise fail(f"true or false expected, got {kind(value)}")
    return value


class _FlagType:
    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(_flag)

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> Any:
        return {"type": "boolean"}


Flag = Annotated[bool, _FlagType(), CITABLE]


# -- text -----------------------------------------------------------------------

def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise fail(f"a non-empty string expected, got {kind(value)}")
    return value


Text = Annotated[str, BeforeValidator(_text), Field(min_length=1), CITABLE]


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise fail(f"a list of names expected, got {kind(value)}")
    return tuple(value)


class _NamesType:
    def __init__(self, ref: dict[str, bool]) -> None:
        self.ref = ref

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(_names)

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> Any:
        return dict(self.ref)


Names = Annotated[tuple[str, ...], _NamesType(BECAUSE_REF)]
"""One name or a list of names (``because: F12`` or ``because: [F12, F18]``)."""
RuleIds = Annotated[tuple[str, ...], _NamesType(RULE_REF)]
"""One codebook rule id or a list of them (``rule: W2``)."""


# -- mappings keyed by the user's own names -------------------------------------

def keyed(value_type: Any, description: str | None = None) -> Any:
    """A mapping from names the user chose (clauses, options, parties) to
    ``value_type``. YAML keys that read as numbers or dates become their text
    (an option ``100`` is the key ``"100"``), and the mapping may carry its
    own ``because:`` and ``rule:`` (a rule id, or a list of them), which are
    not entries."""

    def strip(value: Any) -> Any:
        if not isinstance(value, Mapping):
            raise fail(f"a mapping expected, got {kind(value)}")
        if "because" in value:  # checked here, as it is not an entry: collect_citations reads it as written
            because = value["because"]
            if not (isinstance(because, str) or isinstance(because, list) and all(isinstance(b, str) for b in because)):
                raise fail(f"fact ids in because: expected, got {kind(because)}")
        return {str(k): v for k, v in value.items() if k != "because" and not (k == "rule" and is_rule(v))}

    extra = {"properties": {"because": BECAUSE_REF, "rule": RULE_REF}}
    return Annotated[dict[str, value_type], BeforeValidator(strip),
                     Field(description=description, json_schema_extra=extra)]
