"""The scenario YAML as pydantic (v2) models, and its JSON Schema.

:class:`ScenarioModel` is the contract of a scenario file: every key, its
type, range and default, with the descriptions editors show. Validation
against it is the first half of loading a scenario (``load.py`` does the
second: names that refer to other parts of the file). The JSON Schema
(Draft 2020-12) comes from the same models, so the file an editor checks
against and the loader never disagree on a key or a range;
``negotiation schema`` prints it and ``schema/scenario.schema.json`` ships it.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from ..domain.outcomes import same_option
from ..inputs import MAX_ROUNDS, values
from ..inputs.links import LinkModel
from ..inputs.ratification import RatificationModel
from ..inputs.types import BECAUSE_SCHEMA, CITABLE, PRIOR_SCHEMA, RULE_SCHEMA, ERROR, Date, Duration, Flag, Text, fail, integer, keyed, kind
from ..inputs.validation import Node
from ..roles import party_model

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _options(value: Any) -> list[Any]:
    if (not isinstance(value, list) or not value
            or not all(isinstance(o, (str, int, float)) and not isinstance(o, bool) for o in value)):
        raise fail("a non-empty list of option names or numbers expected")
    for i, option in enumerate(value):
        if not isinstance(option, str):
            try:
                values.number(option)
            except ValueError as exc:
                raise PydanticCustomError(ERROR, str(exc), {"key": str(i)}) from None
    if len(set(map(repr, value))) != len(value):
        raise fail("options must be distinct")
    return value


class _OptionsType:
    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema
        return core_schema.no_info_plain_validator_function(_options)

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        return {"type": "array", "items": {"type": ["string", "number"]}, "minItems": 1, "uniqueItems": True,
                "description": "the options, worst to best for no one: numbers are ordered"}


Options = Annotated[list[Any], _OptionsType(), CITABLE]


class _StatusQuoType:
    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema
        return core_schema.any_schema()

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        return {"type": ["string", "number"]}


StatusQuo = Annotated[Any, _StatusQuoType(), CITABLE]


class ClauseModel(Node):
    """One issue of the negotiation and its options."""

    options: Options
    ordered: Flag = Field(None,  # type: ignore[assignment]
                          description="options are in order (default: true when all are numbers)")
    status_quo: StatusQuo = Field(None,  # type: ignore[assignment]
                                  description="the pre-deal option, what holds if no deal is reached: "
                                              "one of the options")

    @model_validator(mode="after")
    def _status_quo_is_an_option(self) -> ClauseModel:
        if self.status_quo is not None and not any(same_option(o, self.status_quo) for o in self.options):
            shown = ", ".join(map(str, self.options))
            raise PydanticCustomError(ERROR, f"one of the options ({shown}) expected, got {self.status_quo!r}",
                                      {"key": "status_quo"})
        return self


class CalendarModel(Node):
    """Rounds on a calendar: from ``start``, one every ``round``, until ``deadline``."""

    start: Date
    deadline: Date = Field(description="the last day a deal can be made")
    round: Duration = Field(7, description="time between rounds: days, or like 7d, 2w")  # type: ignore[valid-type]
    max_rounds: integer(ge=1, le=MAX_ROUNDS) = 10_000  # type: ignore[valid-type]


def _name(value: Any) -> str:
    from ..inputs import MAX_NAME, NAME

    if not isinstance(value, str) or not value.strip():
        raise fail(f"a non-empty string expected, got {kind(value)}")
    if not re.fullmatch(NAME, value):
        raise fail(f"at most {MAX_NAME} letters, digits, '_', '-' or '.', not starting with '.' or '-', "
                   f"expected (it names run folders), got {value!r}")
    return value


class _NameType:
    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema
        return core_schema.no_info_plain_validator_function(_name)

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        from ..inputs import NAME

        return {"type": "string", "pattern": f"^{NAME}$"}


Name = Annotated[str, _NameType(), CITABLE]


def _description(value: Any) -> str:
    if not isinstance(value, str):
        raise fail(f"a text expected, got {kind(value)}")
    return value


Description = Annotated[str, BeforeValidator(_description)]


class ScenarioModel(Node):
    """A negotiation scenario: clauses, parties and a calendar."""

    name: Name = Field(description="names run folders: letters, digits, _, - and .")
    description: Description = Field("", description="free text")
    seed: integer(ge=0, le=2**63 - 1, description="default seed of runs") = 0  # type: ignore[valid-type]
    facts: Text = Field(None,  # type: ignore[valid-type]
                        description="facts file the because: ids refer to (relative to this file)")
    truth: Text = Field(None,  # type: ignore[valid-type]
                        description="real-deal file a run is compared with (relative to this file)")
    codebook: Text = Field(None,  # type: ignore[valid-type]
                           description="codebook (markdown) defining the rule: ids cited (relative to this file)")
    as_of: Date = Field(None,  # type: ignore[assignment]
                        description="a forecast made that day: it may cite only facts public by then "
                                    "and hold no dated event after it (needs facts); no round on or "
                                    "before it is bargained")
    calendar: CalendarModel
    clauses: keyed(ClauseModel, "clause name → its options")  # type: ignore[valid-type]
    parties: keyed(party_model(), "party name → its role and what it holds")  # type: ignore[valid-type]
    links: list[LinkModel] = Field([], description="rules over several clauses every offer and the deal keep: "
                                                   "a sum or an exclusion")
    ratification: RatificationModel = Field(None,  # type: ignore[assignment]
                                            description="the order of the reviews and when the deal is definitive")


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of a scenario file."""
    schema = _untitled(ScenarioModel.model_json_schema(mode="validation"))
    schema["$defs"]["because"] = BECAUSE_SCHEMA
    schema["$defs"]["rule"] = RULE_SCHEMA
    schema["$defs"]["prior"] = PRIOR_SCHEMA
    return {"$schema": DRAFT, "title": "negotiation scenario", **schema}


def overlay_schema() -> dict[str, Any]:
    """The JSON Schema of a partial scenario merged onto a full one (what-if
    overlays): every key optional, ``null`` deleting it, roles told apart by
    the keys given rather than by a required ``role``."""
    schema = copy.deepcopy(scenario_schema())
    schema["title"] = "negotiation scenario overlay"
    return _partial(schema)


def _partial(node: Any) -> Any:
    if isinstance(node, list):
        return [_partial(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _partial(v) for k, v in node.items() if k not in ("required", "discriminator")}
    if "oneOf" in out:
        out["anyOf"] = out.pop("oneOf")
    for key in ("properties",):
        if key in out:
            out[key] = {name: {"anyOf": [sub, {"type": "null"}]} for name, sub in out[key].items()}
    if isinstance(out.get("additionalProperties"), dict):
        out["additionalProperties"] = {"anyOf": [out["additionalProperties"], {"type": "null"}]}
    return out


def _untitled(node: Any) -> Any:
    """The schema without the titles pydantic derives from Python names
    (``"title": "Amount Usd Bn"``): the keys say it better."""
    if isinstance(node, list):
        return [_untitled(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _untitled(v) if k != "properties" else {p: _untitled(s) for p, s in v.items()}
           for k, v in node.items() if not (k == "title" and isinstance(v, str))}
    if out.pop("x-because", False):
        out["$ref"] = "#/$defs/because"
    if out.pop("x-rule", False):
        out["$ref"] = "#/$defs/rule"
    if out.pop("x-prior", False):
        out["$ref"] = "#/$defs/prior"
    return out


def schema_text(overlay: bool = False) -> str:
    """The schema as shipped: indented JSON, keys in a stable order, newline-terminated."""
    return json.dumps(overlay_schema() if overlay else scenario_schema(), indent=2, ensure_ascii=False) + "\n"
