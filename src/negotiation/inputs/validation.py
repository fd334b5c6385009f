"""Validating a parsed file against a pydantic model, with our error line.

pydantic reports every violation with a location tuple and a type; users
see one line naming the file, the dotted key path and what is expected
(``bad.yaml: parties.buyer.reservation: a number ≤ 1 expected, got 1.5``).
This module turns the first violation into that line
(:class:`~negotiation.errors.InputError`), blaming the ``--set`` that put a
value there when one did. Error types follow
https://docs.pydantic.dev/latest/errors/validation_errors/.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from ..errors import blame
from .types import ERROR, Names, RuleIds, kind

M = TypeVar("M", bound=BaseModel)


class Node(BaseModel):
    """A mapping of fixed keys. Unknown keys are refused (a typo never passes
    silently) and any mapping may say ``because: [...]``: the facts behind
    everything in it, and ``rule: ID``: the codebook rule that made it of them."""

    # extra keys are let in, then refused by _known_keys once the known ones are valid (so a wrong value is
    # reported before a typo further down, as one reads the file); the JSON Schema refuses them outright.
    # defer_build: a model's validator is built when it first validates, not when its class is defined; the
    # scenario's validator holds the nested models' schemas, so theirs are never built unless used on their own
    # (https://docs.pydantic.dev/latest/api/config/#pydantic.config.ConfigDict.defer_build)
    model_config = ConfigDict(frozen=True, extra="allow", populate_by_name=True, defer_build=True,
                              json_schema_extra={"additionalProperties": False})
    because: Names = Field(None,  # type: ignore[assignment]
                           description="ids of the facts (data/facts.yaml) behind everything here")
    rule: RuleIds = Field(None,  # type: ignore[assignment]
                          description="ids of the codebook rules (codebook:) behind everything here")

    @model_validator(mode="before")
    @classmethod
    def _text_keys(cls, data: Any) -> Any:
        """YAML keys may be numbers or dates; as keys of a mapping of fixed keys they are text."""
        if isinstance(data, Mapping) and not all(isinstance(k, str) for k in data):
            return {str(k): v for k, v in data.items()}
        return data

    @model_validator(mode="after")
    def _known_keys(self) -> Node:
        if self.model_extra:
            allowed = sorted(f.alias or name for name, f in type(self).model_fields.items())
            raise PydanticCustomError(ERROR, "unknown key; allowed here: " + ", ".join(allowed),
                                      {"key": str(next(iter(self.model_extra)))})
        return self


def validate(model: type[M], data: Any, source: str, touched: Mapping[str, str] | None = None,
             context: dict[str, Any] | None = None) -> M:
    """``model`` validated from ``data``; the first violation as an InputError."""
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        key, expected = describe(exc.errors(include_url=False)[0], data)
        raise blame(source, key, expected, touched) from None


def describe(error: Any, data: Any) -> tuple[str, str]:
    """(dotted key path, what is expected) for one pydantic error."""
    kind_, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    loc, keep_last = list(error["loc"]), kind_ == "missing"
    if "key" in ctx:  # an unknown key, reported by the mapping that holds it
        loc.append(ctx["key"])
    if "path" in ctx:  # a key path below the value that failed (a registered tactic's own check)
        loc.extend(ctx["path"])
        keep_last = True
    if kind_ in ("union_tag_invalid", "union_tag_not_found") and "discriminator" in ctx:
        loc.append(str(ctx["discriminator"]).strip("'"))
        keep_last = True
    return key_path(data, loc, keep_last), expectation(kind_, error["msg"], ctx, value)


def key_path(data: Any, loc: list[Any], keep_last: bool) -> str:
    """Follow ``loc`` through the data as written: parts that are not keys
    (the tag pydantic adds for the member of a union) are left out."""
    path, node = [], data
    for i, part in enumerate(loc):
        if isinstance(node, Mapping) and (match := [k for k in node if str(k) == str(part)]):
            node = node[match[0]]
            path.append(str(part))
        elif isinstance(node, list) and str(part).isdigit() and int(part) < len(node):
            node = node[int(part)]
            path.append(str(part))
        elif keep_last and i == len(loc) - 1:
            path.append(str(part))
    return ".".join(path)


def _choices(text: str) -> str:
    return text.replace("'", "").replace(" or ", ", ")


def expectation(kind_: str, msg: str, ctx: Mapping[str, Any], value: Any) -> str:
    """What would have been valid, in the words of our other messages."""
    whole = isinstance(value, int) and not isinstance(value, bool)
    bounds = {"greater_than_equal": ("≥", "ge"), "greater_than": (">", "gt"), "less_than_equal": ("≤", "le"),
              "less_than": ("<", "lt")}
    if kind_ == ERROR:
        return msg
    if kind_ == "missing":
        return "required key is missing"
    if kind_ in bounds:
        sign, name = bounds[kind_]
        what = "an integer" if whole and isinstance(ctx[name], int) else "a number"
        return f"{what} {sign} {ctx[name]} expected, got {value}"
    if kind_ in ("model_type", "model_attributes_type", "dict_type", "mapping_type"):
        return f"a mapping expected, got {kind(value)}"
    if kind_ == "literal_error":
        return f"one of {_choices(str(ctx.get('expected', '')))} expected, got {value!r}"
    if kind_ == "union_tag_invalid":
        return f"one of {_choices(str(ctx.get('expected_tags', '')))} expected, got {ctx.get('tag')!r}"
    if kind_ == "union_tag_not_found":
        return "required key is missing"
    if kind_ in ("list_type", "tuple_type"):
        return f"a list expected, got {kind(value)}"
    if kind_ == "too_short":
        return f"at least {ctx.get('min_length')} item(s) expected, got {kind(value)}"
    if kind_ == "string_type":
        return f"a string expected, got {kind(value)}"
    if kind_ == "bool_type" or kind_ == "bool_parsing":
        return f"true or false expected, got {kind(value)}"
    return msg[:1].lower() + msg[1:]
