"""The shape of the files in ``data/`` as pydantic models: a facts file
(sources, then fact records citing them) and a real-deal file (dates, one
option per clause). ``sources.py`` checks what needs more than the shape
(unique ids, listed sources, options the scenario's clauses have).
"""

from __future__ import annotations

from typing import Any

from .types import Date, Names, Text, keyed
from .validation import Node


class FactRecord(Node):
    id: Text  # type: ignore[valid-type]
    statement: Text  # type: ignore[valid-type]
    sources: Names
    public_on: Date
    value: Any = None
    unit: Any = None
    date: Any = None
    general_knowledge: Any = None


class FactsFile(Node):
    sources: keyed(Any)  # type: ignore[valid-type]
    facts: list[FactRecord]


class Stage(Node):
    date: Date
    what: Any = None
    conflicting: Any = None


class Dates(Node):
    tentative: Stage = None  # type: ignore[assignment]
    definitive: Stage = None  # type: ignore[assignment]


class StandIn(Node):
    """An option that stands for the real term where a scenario's clause lacks it."""

    option: Any
    why: Text  # type: ignore[valid-type]


class RealClause(Node):
    option: Any
    represented_by: list[StandIn] = []
    before: Any = None
    conflicting: Any = None
    note: Any = None


class TruthFile(Node):
    dates: Dates = Dates()
    clauses: keyed(RealClause)  # type: ignore[valid-type]
