"""``ratification:``, the order of the reviews and when the deal counts, as
written in a scenario and checked against its ratifiers (the rules:
``domain/ratification.py``).

```yaml
ratification:
  sequence: [board, [members, regulator]]   # stages: board first, then both at once
  definitive: [board]                       # applied provisionally once the board approves
```
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import Field

from ..domain.ratification import RatificationPlan
from .types import CITABLE, fail, kind
from .validation import Node, blame


def _stages(value: Any) -> list[Any]:
    if not isinstance(value, list) or not value:
        raise fail(f"a non-empty list of stages (a ratifier, or a list of ratifiers reviewing at once) expected, "
                   f"got {kind(value)}")
    stages = []
    for stage in value:
        names = stage if isinstance(stage, list) else [stage]
        if not names or not all(isinstance(n, str) and n for n in names):
            raise fail(f"each stage a ratifier's name or a non-empty list of names expected, got {kind(stage)}")
        stages.append(stage)
    return stages  # as written: build_plan names a list's items by their position


class _StagesType:
    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema
        return core_schema.no_info_plain_validator_function(_stages)

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        names = {"type": "array", "items": {"type": "string"}, "minItems": 1}
        return {"type": "array", "items": {"anyOf": [{"type": "string"}, names]}, "minItems": 1,
                "description": "stages in order, each a ratifier or a list reviewing at once; a stage opens when "
                               "the one before has approved"}


def _names(value: Any) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(n, str) and n for n in value):
        raise fail(f"a non-empty list of ratifiers' names expected, got {kind(value)}")
    return value


class _NamesType:
    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema
        return core_schema.no_info_plain_validator_function(_names)

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        return {"type": "array", "items": {"type": "string"}, "minItems": 1,
                "description": "the agreement is definitive (applied provisionally) once these have approved; "
                               "the others are still reviewing"}


class RatificationModel(Node):
    """The order of the reviews and when the agreement is definitive
    (default: every ratifier at once from the tentative agreement; definitive
    at the last approval)."""

    sequence: Annotated[list[Any], _StagesType(), CITABLE] = Field(None)  # type: ignore[assignment]
    definitive: Annotated[list[str], _NamesType(), CITABLE] = Field(None)  # type: ignore[assignment]


def build_plan(m: RatificationModel | None, ratifiers: list[str], source: str,
               touched: Mapping[str, str] | None = None) -> RatificationPlan | None:
    """The plan, every name a ratifier of the scenario and each ratifier in one stage."""
    if m is None:
        return None
    if not ratifiers:
        raise blame(source, "ratification", "at least one party with role: ratifier expected", touched)

    def known(key: str, name: str) -> str:
        if name not in ratifiers:
            listed = ", ".join(ratifiers) or "none in this scenario"
            raise blame(source, key, f"the name of a ratifier expected ({listed}), got {name!r}", touched)
        return name

    if m.sequence is None:
        stages: tuple[tuple[str, ...], ...] = (tuple(ratifiers),)
    else:
        seen: list[str] = []
        staged = []
        for i, stage in enumerate(m.sequence):
            names = []
            for j, name in enumerate(stage if isinstance(stage, list) else [stage]):
                key = f"ratification.sequence.{i}" + (f".{j}" if isinstance(stage, list) else "")
                known(key, name)
                if name in seen:
                    raise blame(source, key, f"each ratifier in one stage expected; {name} is named twice", touched)
                seen.append(name)
                names.append(name)
            staged.append(tuple(names))
        missing = [r for r in ratifiers if r not in seen]
        if missing:
            raise blame(source, "ratification.sequence", f"every ratifier in a stage expected; missing: "
                                                         f"{', '.join(missing)}", touched)
        stages = tuple(staged)
    definitive = None
    if m.definitive is not None:
        definitive = tuple(known(f"ratification.definitive.{j}", name) for j, name in enumerate(m.definitive))
    return RatificationPlan(stages, definitive)
