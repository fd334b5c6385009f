"""``links:``, constraints between clauses, as written in a scenario and
checked against its clauses (the rules themselves: ``domain/links.py``).

```yaml
links:
  - sum: [grants_bn, loans_bn]        # numeric clauses
    equals: 750                       # or at_most / at_least
  - exclude: {api: [beyond_agi], rofr: removed}   # never together
```
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from pydantic import Field

from ..domain.links import COMPARISONS, ExcludeLink, Link, SumLink
from ..domain.outcomes import Clause, same_option
from .types import CITABLE, fail, keyed, kind, number
from .validation import Node, blame


def _clause_names(value: Any) -> list[str]:
    if not isinstance(value, list) or len(value) < 2 or not all(isinstance(v, str) and v for v in value):
        raise fail(f"a list of at least two clause names expected, got {kind(value)}")
    if len(set(value)) != len(value):
        raise fail("distinct clause names expected")
    return value


class _ClauseNamesType:
    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema
        return core_schema.no_info_plain_validator_function(_clause_names)

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        return {"type": "array", "items": {"type": "string"}, "minItems": 2, "uniqueItems": True,
                "description": "numeric clauses whose options add up"}


def _options(value: Any) -> list[Any]:
    listed = value if isinstance(value, list) else [value]
    if not listed or not all(isinstance(o, (str, int, float)) and not isinstance(o, bool) for o in listed):
        raise fail(f"an option, or a list of options, expected, got {kind(value)}")
    return listed


class _OptionsType:
    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema
        return core_schema.no_info_plain_validator_function(_options)

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        option = {"type": ["string", "number"]}
        return {"anyOf": [option, {"type": "array", "items": option, "minItems": 1}]}


class LinkModel(Node):
    """A rule over several clauses that every offer and the deal must keep:
    a sum (``sum`` with one of ``equals``, ``at_most``, ``at_least``) or an
    exclusion (``exclude``: these options never together)."""

    sum: Annotated[list[str], _ClauseNamesType(), CITABLE] = Field(None)  # type: ignore[assignment]
    equals: number(description="the clauses' options add up to this") = None  # type: ignore[valid-type]
    at_most: number(description="the clauses' options add up to at most this") = None  # type: ignore[valid-type]
    at_least: number(description="the clauses' options add up to at least this") = None  # type: ignore[valid-type]
    exclude: keyed(Annotated[Any, _OptionsType(), CITABLE],  # type: ignore[valid-type]
                   "clause → option(s): an outcome holding one of these on every clause named is ruled out") = None


def build_links(models: Sequence[LinkModel], clauses: tuple[Clause, ...], source: str,
                touched: Mapping[str, str] | None = None) -> tuple[Link, ...]:
    """Each link checked against the clauses: names, numeric options, options that exist."""
    by_name = {c.name: c for c in clauses}
    out: list[Link] = []

    def clause(key: str, name: str) -> Clause:
        if name not in by_name:
            raise blame(source, key, f"unknown clause; clauses are: {', '.join(by_name)}", touched)
        return by_name[name]

    for i, m in enumerate(models):
        key = f"links.{i}"
        given = {op: getattr(m, name) for op, name in COMPARISONS.items() if getattr(m, name) is not None}
        if (m.sum is None) == (m.exclude is None):
            raise blame(source, key, "either sum: (with equals, at_most or at_least) or exclude: expected", touched)
        if m.sum is not None:
            if len(given) != 1:
                raise blame(source, key, "one of equals, at_most, at_least expected with sum:", touched)
            low = high = 0.0
            for j, name in enumerate(m.sum):
                c = clause(f"{key}.sum.{j}", name)
                if not all(isinstance(o, (int, float)) for o in c.options):
                    raise blame(source, f"{key}.sum.{j}", f"a clause with numeric options expected ({name} has "
                                                          f"{', '.join(map(str, c.options))})", touched)
                low, high = low + min(c.options), high + max(c.options)
            (op, total), = given.items()
            if (op == "==" and not low <= total <= high) or (op == "<=" and total < low) or \
                    (op == ">=" and total > high):
                name = COMPARISONS[op]
                raise blame(source, f"{key}.{name}", f"a total the options can reach ({low:g} to {high:g}) "
                                                     f"expected, got {total:g}", touched)
            out.append(SumLink(tuple(m.sum), op, float(total)))
            continue
        if given:
            raise blame(source, f"{key}.{COMPARISONS[next(iter(given))]}", "no comparison with exclude: expected "
                                                                            "(it lists options, not a total)", touched)
        if len(m.exclude) < 2:
            raise blame(source, f"{key}.exclude", "at least two clauses expected (a rule on one clause is a "
                                                  "party's constraint)", touched)
        options, labels = [], []
        for name, listed in m.exclude.items():
            c = clause(f"{key}.exclude.{name}", name)
            for option in listed:
                if not any(same_option(option, o) for o in c.options):
                    raise blame(source, f"{key}.exclude.{name}", f"an option of {name} expected "
                                f"({', '.join(map(str, c.options))}), got {option!r}", touched)
            options.append((name, tuple(any(same_option(o, x) for x in listed) for o in c.options)))
            labels.append((name, tuple(str(o) for o in listed)))
        out.append(ExcludeLink(tuple(options), tuple(labels)))
    return tuple(out)
