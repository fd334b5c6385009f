"""The one YAML loader: safe, bounded, strict, and fast where libyaml exists.

Every YAML text the package reads (scenarios, overlays, ``--set`` values,
facts, the real deal, a run folder's ``scenario.yaml``) goes through
:func:`load`. It is PyYAML's safe loader (no ``!!python`` tags, ever) with:

- **YAML 1.2 booleans**: only ``true``/``false`` are booleans, so keys and
  options like ``on``, ``off``, ``yes`` and ``no`` stay strings (YAML 1.2
  spec, §10.3.2 "Core schema");
- **bounds**: at most ``MAX_CHARS`` characters, ``MAX_DEPTH`` levels of
  nesting, and ``MAX_NODES`` nodes once aliases are counted as what they
  stand for. Composition is iterative in the parser and recursive only to
  ``MAX_DEPTH``, so 500 nested brackets are an error, not a ``RecursionError``;
  an alias never builds a copy (PyYAML shares the object), but a document
  whose expansion would exceed ``MAX_NODES`` (the "billion laughs" shape) is
  refused before anything walks it;
- **no duplicate keys** (the YAML spec requires keys to be unique, §3.2.1.1;
  PyYAML silently keeps the last one);
- **no impossible dates**: a ``YYYY-MM-DD`` scalar that is not a day of the
  calendar (``2026-02-30``) stays the string it is, and the schema's date
  reader (:mod:`.values`) says why it is not a date.

Parsing uses libyaml's C parser when PyYAML was built with it (about seven
times faster on the shipped scenario files) and PyYAML's pure-Python parser
otherwise; composition, the bounds and construction are the same Python code
on both paths, so both give the same values and the same errors.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.composer import Composer, ComposerError
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import AliasEvent, MappingStartEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

try:  # libyaml's parser, when PyYAML was built against it
    from yaml._yaml import CParser
except ImportError:  # pragma: no cover - exercised by forcing the fallback in tests
    CParser = None

MAX_CHARS = 4_000_000  # a scenario is a few kilobytes; GENIUS imports a few hundred
MAX_DEPTH = 64  # the deepest shipped scenario nests 6 levels
MAX_NODES = 500_000  # nodes after alias expansion


class BoundsError(yaml.YAMLError):
    """A document over one of the loader's bounds (size, depth, aliases)."""

    def __init__(self, problem: str, mark: Any = None) -> None:
        self.problem = problem
        self.problem_mark = mark
        super().__init__(problem)


class StrictResolver(Resolver):
    """PyYAML's resolver with YAML 1.2 booleans and no ``<<`` merge keys
    (YAML 1.2 has none; with them, a duplicate key could hide behind a merge)."""


StrictResolver.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:merge")]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}
StrictResolver.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                     list("tTfF"))


class BoundedComposer(Composer):
    """PyYAML's composer, counting depth and expanded size as it goes."""

    def __init__(self) -> None:
        Composer.__init__(self)
        self._depth = 0
        self._sizes: dict[int, int] = {}  # id(node) -> nodes it stands for, aliases expanded
        self._total = 0

    def compose_document(self) -> Node | None:
        self._depth, self._total, self._sizes = 0, 0, {}
        node = Composer.compose_document(self)
        self._sizes = {}
        return node

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            node = self.anchors.get(event.anchor)
            if node is not None and id(node) not in self._sizes:
                raise BoundsError(f"an alias inside its own anchor (*{event.anchor}: a recursive structure)",
                                  event.start_mark)
            if node is not None:
                self._count(self._sizes.get(id(node), 1), event.start_mark)
            return Composer.compose_node(self, parent, index)
        if self.check_event(SequenceStartEvent, MappingStartEvent):
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise BoundsError(f"nesting deeper than {MAX_DEPTH} levels", self.peek_event().start_mark)
        before = self._total
        node = Composer.compose_node(self, parent, index)
        if isinstance(node, SequenceNode | MappingNode):
            self._depth -= 1
        self._count(1, node.start_mark if node is not None else None)
        self._sizes[id(node)] = self._total - before
        return node

    def _count(self, nodes: int, mark: Any) -> None:
        self._total += nodes
        if self._total > MAX_NODES:
            raise BoundsError(f"more than {MAX_NODES:,} values once aliases are expanded "
                              "(an alias bomb?)", mark)


class StrictConstructor(SafeConstructor):
    """The safe constructor, refusing duplicate keys and keeping impossible
    dates as strings for the schema to judge."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, MappingNode):
            raise ConstructorError(None, None, f"expected a mapping node, but found {node.id}", node.start_mark)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in mapping
            except TypeError:
                raise ConstructorError("while constructing a mapping", node.start_mark,
                                       "found an unhashable key", key_node.start_mark) from None
            if duplicate:
                raise ConstructorError("while constructing a mapping", node.start_mark,
                                       f"found duplicate key {key!r} (keys must be unique)", key_node.start_mark)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml_timestamp(self, node: ScalarNode) -> Any:
        try:
            return SafeConstructor.construct_yaml_timestamp(self, node)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)  # "2026-02-30": a string, refused by the date reader


StrictConstructor.add_constructor("tag:yaml.org,2002:timestamp", StrictConstructor.construct_yaml_timestamp)


class PyLoader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, BoundedComposer,
               StrictConstructor, StrictResolver):
    """The pure-Python path."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        BoundedComposer.__init__(self)
        StrictConstructor.__init__(self)
        StrictResolver.__init__(self)


if CParser is not None:
    class CLoader(BoundedComposer, CParser, StrictConstructor, StrictResolver):  # type: ignore[misc,valid-type]
        """libyaml's parser (events in C), the same composer and constructor."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            BoundedComposer.__init__(self)
            StrictConstructor.__init__(self)
            StrictResolver.__init__(self)

    LOADER: type = CLoader
else:  # pragma: no cover
    LOADER = PyLoader


def load(text: str, loader: type | None = None) -> Any:
    """Parse one YAML document (raises a ``yaml.YAMLError`` subclass; bounds
    errors are :class:`BoundsError`)."""
    if len(text) > MAX_CHARS:
        raise BoundsError(f"at most {MAX_CHARS:,} characters expected, got {len(text):,}")
    instance = (loader or LOADER)(text)
    try:
        return instance.get_single_data()
    finally:
        instance.dispose()


__all__ = ["BoundsError", "ComposerError", "ConstructorError", "LOADER", "MAX_DEPTH", "MAX_NODES", "PyLoader", "load"]
