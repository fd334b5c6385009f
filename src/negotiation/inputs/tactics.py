"""The ``strategy:`` of a bargainer as pydantic models, made from the tactic
and acceptance registries so that a tactic's parameters, defaults and valid
ranges are declared once, on the tactic's dataclass fields
(:func:`~negotiation.domain.tactics.param`).

``strategy: {name: boulware, e: 0.3, acceptance: [ac_next, {name: ac_time, T: 0.95}]}``
is one member of a union told apart by ``name`` (a discriminated union:
https://docs.pydantic.dev/latest/concepts/unions/#discriminated-unions), so
a parameter another tactic takes (``e`` on a hardliner) is an unknown key.

A name that is not built in is looked up among the registered tactics
(``domain/registry.py``: ``negotiation.register_tactic`` and the
``negotiation.tactics`` entry points) when the scenario is read, and its
parameters are checked against its own fields the same way; the JSON
Schema lists the built-in tactics only.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Annotated, Any, Literal, Union

from pydantic import Discriminator, Field, Tag, ValidationError, WrapValidator, create_model
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from ..domain.acceptance import ACCEPTANCES
from ..domain.parties import StrategySpec
from ..domain.registry import known_names, tactic_class
from ..domain.tactics import TACTICS, parameters
from .types import ERROR, number
from .validation import Node, describe


def _fields(cls: type) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for f in parameters(cls):
        r = f.metadata["range"]
        lo = None if r.lo is None else float(r.lo)
        bounds = {"gt": lo} if r.lo_open else {"ge": lo}
        hi = None if r.hi is None else float(r.hi)
        fields[f.name] = (number(**bounds, le=hi), Field(float(f.default)))
    return fields


def _member(kind: str, name: str, cls: type, **extra: Any) -> Any:
    doc = " ".join((cls.__doc__ or "").split()) or None
    model = create_model(f"{kind}_{name}", __base__=Node, __doc__=doc,  # type: ignore[call-overload]
                         name=(Literal[name], ...), **_fields(cls), **extra)
    return Annotated[model, Tag(name)]


def _by_name(value: Any) -> str | None:
    return value.get("name") if isinstance(value, Mapping) else None


def _union(kind: str, registry: Mapping[str, type], **extra: Any) -> Any:
    members = tuple(_member(kind, name, registry[name], **extra) for name in sorted(registry))
    return Annotated[Union[members], Field(discriminator="name")]  # noqa: UP007 - a runtime tuple of members


AcceptanceSpec = _union("Acceptance", ACCEPTANCES)
AcceptanceName = Literal[tuple(sorted(ACCEPTANCES))]  # type: ignore[valid-type]


def _item_kind(value: Any) -> str | None:
    return "name" if isinstance(value, str) else "spec" if isinstance(value, Mapping) else None


AcceptanceItem = Annotated[
    Union[Annotated[AcceptanceName, Tag("name")], Annotated[AcceptanceSpec, Tag("spec")]],  # noqa: UP007
    Discriminator(_item_kind, custom_error_type=ERROR,
                  custom_error_message="an acceptance condition expected: its name, "
                                       "or a mapping with name and parameters"),
]


def _list_kind(value: Any) -> str:
    return "list" if isinstance(value, list) else "one"


Acceptances = Annotated[
    Union[Annotated[list[AcceptanceItem], Tag("list")], Annotated[AcceptanceItem, Tag("one")]],  # noqa: UP007
    Discriminator(_list_kind),
    Field(description="acceptance conditions, any of which accepts an offer (Baarslag et al. 2014)"),
]

def strategy_model(opponent_models: tuple[str, ...]) -> Any:
    """``strategy:``: a tactic by name with its parameters, acceptance
    conditions and one of ``opponent_models``; a built-in tactic by the
    discriminated union, any other name as a registered tactic."""
    extra = {"acceptance": (Acceptances, Field(["ac_next"])),
             "opponent_model": (Literal[opponent_models],  # type: ignore[valid-type]
                                Field("frequency", description="how it guesses its opponents' utilities"))}
    builtin = _union("Strategy", TACTICS, **extra)

    def registered(value: Any, handler: Any, info: Any) -> Any:
        name = value.get("name")
        cls = tactic_class(name) if isinstance(name, str) else None
        if cls is None:
            choices = ", ".join(known_names())
            raise PydanticCustomError(ERROR, "one of {choices} expected, got {got}",
                                      {"choices": choices, "got": repr(name), "path": ["name"]})
        model = _registered_model(cls, opponent_models)
        try:
            return model.model_validate(value, context=info.context)
        except ValidationError as exc:
            key, expected = describe(exc.errors(include_url=False)[0], value)
            raise PydanticCustomError(ERROR, "{expected}", {"expected": expected, "path": key.split(".")}) from None

    other = Annotated[SkipJsonSchema[dict[str, Any]], WrapValidator(registered), Tag("registered")]
    return Annotated[Union[Annotated[builtin, Tag("builtin")], other],  # noqa: UP007
                     Discriminator(_strategy_kind), _BuiltinSchema()]


class _BuiltinSchema:
    """The JSON Schema of ``strategy:`` is that of the built-in union alone
    (a registered tactic exists only in the process that registered it)."""

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> Any:
        while core_schema.get("type") != "tagged-union" and "schema" in core_schema:
            core_schema = core_schema["schema"]
        return handler(core_schema["choices"]["builtin"])


def _strategy_kind(value: Any) -> str:
    """A built-in tactic's name, or anything else but a mapping, goes to the union of built-ins (which
    reports what is wrong with it); another name is looked up among the registered tactics."""
    if isinstance(value, Mapping) and isinstance(value.get("name"), str) and value["name"] not in TACTICS:
        return "registered"
    return "builtin"


@cache
def _registered_model(cls: type, opponent_models: tuple[str, ...]) -> Any:
    """The pydantic model of a registered tactic's ``strategy:`` (made once per class)."""
    extra = {"acceptance": (Acceptances, Field(["ac_next"])),
             "opponent_model": (Literal[opponent_models], Field("frequency"))}  # type: ignore[valid-type]
    return _member("Strategy", cls.name, cls, **extra).__origin__  # Annotated[model, Tag] → model


def strategy_spec(model: Any) -> StrategySpec:
    """The validated ``strategy:`` as the spec a bargainer is built from:
    every parameter of the tactic and of each acceptance condition, defaults
    filled in, in the order the tactic declares them."""
    if model is None:
        return StrategySpec("time_dependent", _defaults(TACTICS["time_dependent"]),
                            (("ac_next", _defaults(ACCEPTANCES["ac_next"])),), "frequency")
    items = model.acceptance if isinstance(model.acceptance, list) else [model.acceptance]
    acceptance = tuple((item, _defaults(ACCEPTANCES[item])) if isinstance(item, str)
                       else (item.name, _values(item, ACCEPTANCES[item.name])) for item in items)
    cls = tactic_class(model.name)
    assert cls is not None  # validated
    return StrategySpec(model.name, _values(model, cls), acceptance, model.opponent_model)


def _values(model: Any, cls: type) -> tuple[tuple[str, float], ...]:
    return tuple((f.name, float(getattr(model, f.name))) for f in parameters(cls))


def _defaults(cls: type) -> tuple[tuple[str, float], ...]:
    return tuple((f.name, float(f.default)) for f in parameters(cls))
