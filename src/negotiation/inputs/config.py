"""Reading scenario files: safe YAML, ``--set`` overrides and overlays.

This is the only module that touches YAML text (reading it, and writing a
scenario back: :func:`scenario_yaml`); the loader (``scenarios/load.py``)
validates what it reads against ``scenarios/models.py`` and builds the
domain objects.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..errors import InputError
from . import values, yamlsafe

if TYPE_CHECKING:
    from ..domain.scenario import Scenario



def safe_load(text: str) -> Any:
    """One YAML document through the package's only loader (:mod:`.yamlsafe`)."""
    return yamlsafe.load(text)


def read_text(path: Path) -> str:
    """A file's UTF-8 text; a missing or unreadable file is bad input, named."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(path, "", "no such file") from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as exc:
        raise InputError(path, "", f"cannot read it as UTF-8 text ({exc.__class__.__name__})") from None


def load_yaml(path: str | Path) -> dict[str, Any]:
    """Parse a YAML mapping with the safe loader (no ``!!python`` tags, ever)."""
    path = Path(path)
    text = read_text(path)
    try:
        data = safe_load(text)
    except yamlsafe.BoundsError as exc:
        mark = exc.problem_mark
        raise InputError(path, f"line {mark.line + 1}" if mark else "", f"a bounded YAML document expected "
                                                                         f"({exc.problem})") from None
    except yaml.constructor.ConstructorError as exc:
        problem = getattr(exc, "problem", "") or "an unsupported tag"
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        if "duplicate key" in problem or "unhashable" in problem:
            raise InputError(path, f"line {line}", f"unique keys expected; {problem}") from None
        raise InputError(path, f"line {line}", f"plain YAML expected; {problem} is not allowed (safe loader)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "malformed YAML"
        raise InputError(path, where, f"well-formed YAML expected ({problem})") from None
    if not isinstance(data, dict):
        raise InputError(path, "", f"a YAML mapping of top-level keys expected, got {_kind(data)}")
    return data


def parse_set(expr: str) -> tuple[list[str], Any]:
    """Split ``a.b.c=value``; the value is read as a YAML scalar or flow list."""
    path, sep, raw = expr.partition("=")
    if not sep or not path.strip() or any(not part for part in path.strip().split(".")):
        raise InputError("sets", expr, "dotted.path=value expected, e.g. parties.openai.strategy.e=0.3")
    try:
        value = safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw.strip()  # not YAML (e.g. ">= 0.29"): the plain text, for the schema to judge
    if isinstance(value, str):  # YAML 1.1 reads 1e-05 as a string; a shell user means a number
        try:
            value = float(value) if re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d+", value) else value
        except ValueError:
            pass
    return path.strip().split("."), value


def apply_sets(data: dict[str, Any], sets: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Return a copy of ``data`` with every ``--set`` applied, and which dotted
    paths they touched (so a later schema error can blame the ``--set``).

    Every parent on the path must already exist; the leaf may be new, and the
    schema then decides whether that key is allowed. ``path=null`` removes
    the key (e.g. a tactic's ``e`` when switching to ``hardliner``). That way a typo in the
    middle of a path (``parties.opnai.e``) fails here, naming it.
    """
    return _apply(data, ((*parse_set(expr), expr) for expr in sets), "sets")  # parsed one by one, as applied


def apply_values(data: Mapping[str, Any], values: Mapping[str, Any],
                 name: str = "sets") -> tuple[dict[str, Any], dict[str, str]]:
    """:func:`apply_sets` for values given as data, dotted path → value (the
    CLI parses its ``--set`` strings into this); errors name ``name``, the
    parameter they came from, and show each as ``path=value``."""
    items = []
    for path, value in values.items():
        parts = str(path).strip().split(".")
        if not isinstance(path, str) or not path.strip() or any(not part for part in parts):
            raise InputError(name, repr(path), "a dotted.path expected, e.g. parties.openai.strategy.e")
        items.append((parts, value, f"{path}={shown(value)}"))
    return _apply(data, items, name)


def shown(value: Any) -> str:
    """A value as a ``--set`` would write it: text as itself when it reads
    back as the same text, else JSON (which YAML reads back)."""
    if isinstance(value, str) and value and parse_set(f"x={value}")[1] == value:
        return value
    if isinstance(value, dt.date):  # a plain YAML date reads back as the date
        return value.isoformat()
    return canonical_json(value)


def sets_text(values: Mapping[str, Any]) -> list[str]:
    """``path=value`` for each value given as data: what an experiment echoes
    as its ``sets`` (summary.json's ``settings``)."""
    return [f"{path}={shown(value)}" for path, value in values.items()]


def _apply(data: Mapping[str, Any], items: Iterable[tuple[list[str], Any, str]],
           name: str) -> tuple[dict[str, Any], dict[str, str]]:
    data = copy.deepcopy(dict(data))
    touched: dict[str, str] = {}
    for parts, value, expr in items:
        node: Any = data
        for depth, part in enumerate(parts[:-1]):
            node = _child(node, part, parts[: depth + 1], expr, name)
        leaf = parts[-1]
        if isinstance(node, list):
            index = _index(node, leaf, parts, expr, name)
            node[index] = value
        elif isinstance(node, dict) and value is None:
            if leaf not in node:
                options = ", ".join(map(str, node)) or "none"
                raise InputError(name, ".".join(parts), f"no such key to remove (have: {options}) in {expr}")
            node.pop(leaf)  # as in an overlay: null removes the key
        elif isinstance(node, dict):
            node[leaf] = value
        else:
            raise InputError(name, ".".join(parts[:-1]), f"is a {_kind(node)}, it has no key {leaf!r} ({expr})")
        touched[".".join(parts)] = expr
    return data, touched


def _child(node: Any, part: str, parts: list[str], expr: str, name: str) -> Any:
    if isinstance(node, dict):
        if part not in node:
            options = ", ".join(map(str, node)) or "none"
            raise InputError(name, ".".join(parts), f"no such key (have: {options}) in {expr}")
        return node[part]
    if isinstance(node, list):
        return node[_index(node, part, parts, expr, name)]
    raise InputError(name, ".".join(parts), f"is a {_kind(node)}, not a mapping ({expr})")


def _index(node: list, part: str, parts: list[str], expr: str, name: str) -> int:
    if not re.fullmatch(r"\d+", part) or int(part) >= len(node):
        raise InputError(name, ".".join(parts), f"a list index 0..{len(node) - 1} expected ({expr})")
    return int(part)


def merge_overlay(base: dict[str, Any], overlay: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge a partial scenario onto a full one (mappings merge, anything
    else replaces); ``null`` in the overlay deletes the key."""
    out = copy.deepcopy(base)
    for key, value in overlay.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = merge_overlay(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def canonical_json(data: Any) -> str:
    """JSON with sorted keys and ISO dates: the text the config hash is taken of."""
    return json.dumps(_string_keys(data), sort_keys=True, separators=(",", ":"), default=json_default)


def _string_keys(data: Any) -> Any:
    """YAML allows mixed key types ({100: 10, because: [...]}); JSON sorts strings."""
    if isinstance(data, dict):
        return {str(k): _string_keys(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_string_keys(v) for v in data]
    return data


def config_hash(data: Any) -> str:
    """First 8 hex digits of the SHA-256 of the canonical resolved scenario."""
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()[:8]


def scenario_yaml(scenario: Scenario, seed: int | None = None, files: Mapping[str, str] | None = None) -> str:
    """The scenario's resolved mapping as YAML, the seed given (else its own)
    in it; ``files`` replaces the ``facts`` and ``truth`` paths (a run
    folder names the copies it holds, so it stays valid wherever the folder
    is copied). Read back, it rebuilds the very same scenario."""
    resolved = dict(scenario.resolved)
    resolved["seed"] = scenario.seed if seed is None else seed
    resolved.update(files or {})
    return yaml.safe_dump(resolved, sort_keys=False, allow_unicode=True)


def json_default(value: Any) -> Any:
    """``json.dumps``'s ``default``: dates (and datetimes) as ISO text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {value!r}")


_kind = values.kind
