"""Reading ``data/``: the sourced facts a scenario cites, and the real deal
a run is compared with.

Both are validated here, once (their shape by the models of ``data_files.py``), with
errors naming file, key and expectation:
a scenario citing a fact id that does not exist, a fact whose source is not
listed, or a real deal naming an option its clause lacks is bad input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..domain.outcomes import Clause, Option
from ..errors import InputError
from .config import load_yaml


@dataclass(frozen=True)
class Fact:
    """One sourced fact. ``public_on`` is the day it was first reported
    (not the day it refers to): what a forecast made on a given day could
    have known."""

    id: str
    statement: str
    sources: tuple[str, ...]
    public_on: dt.date | None = None


@lru_cache(maxsize=16)
def load_facts(path: Path) -> dict[str, Fact]:
    """Facts by id; every fact must cite at least one listed source and say
    when it was first reported (``public_on``)."""
    from .data_files import FactsFile
    from .validation import validate

    model = validate(FactsFile, load_yaml(path), str(path))
    facts: dict[str, Fact] = {}
    for i, record in enumerate(model.facts):
        if record.id in facts:
            raise InputError(path, f"facts.{i}.id", f"a unique id expected; {record.id} appears twice")
        missing = [s for s in record.sources if s not in model.sources]
        if not record.sources or missing:
            raise InputError(path, f"facts.{i}.sources",
                             f"sources listed under `sources:` expected; unknown: {missing or 'none given'}")
        facts[record.id] = Fact(record.id, record.statement, record.sources, record.public_on)
    return facts


def collect_cited(raw: Any, key: str, path: str = "") -> dict[str, tuple[str, ...]]:
    """What each part of a scenario cites under ``key`` (``because`` for
    facts, ``rule`` for codebook rules): key path → ids, for every mapping
    holding an id or a list of ids there (a cited leaf ``{value, because}``
    is one), in the order written."""
    found: dict[str, tuple[str, ...]] = {}
    if isinstance(raw, Mapping):
        ids = raw.get(key)
        if isinstance(ids, str) or isinstance(ids, list) and all(isinstance(i, str) for i in ids):
            found[path] = (ids,) if isinstance(ids, str) else tuple(ids)
        for name, value in raw.items():
            if name != key:
                found.update(collect_cited(value, key, f"{path}.{name}" if path else str(name)))
    elif isinstance(raw, list):
        for i, value in enumerate(raw):
            found.update(collect_cited(value, key, f"{path}.{i}"))
    return found


def collect_citations(raw: Any) -> dict[str, tuple[str, ...]]:
    """Which facts each part of a scenario cites (``because:``); the models have checked their shape."""
    return collect_cited(raw, "because")


def check_citations(citations: Mapping[str, tuple[str, ...]], facts: Mapping[str, Fact], facts_path: Path,
                    source: str) -> None:
    """Every fact id a scenario cites must exist in its facts file."""
    for key, ids in citations.items():
        for fid in ids:
            if fid not in facts:
                raise InputError(source, f"{key}.because" if key else "because",
                                 f"fact ids defined in {facts_path} expected; {fid!r} is not one")


@dataclass(frozen=True)
class Truth:
    """The real outcome: one option per clause, and the two dates."""

    source: str
    options: tuple[tuple[str, Option], ...]
    tentative_date: dt.date | None
    definitive_date: dt.date | None

    @property
    def by_clause(self) -> dict[str, Option]:
        return dict(self.options)


@lru_cache(maxsize=16)
def _truth_file(path: Path) -> dict[str, Any]:
    return load_yaml(path)


def load_truth(path: Path, clauses: tuple[Clause, ...]) -> Truth:
    """Read a real-deal file against a scenario's clauses. Clauses the
    scenario does not model are skipped; where a modelled clause lacks the
    real option, the first of its ``represented_by`` options it has stands
    for it (a forecast built only from what was reported before the deal may
    not offer the deal's own wording); an option neither way is an error,
    since nothing could ever match it."""
    from .data_files import TruthFile
    from .validation import validate

    model = validate(TruthFile, _truth_file(path), str(path))
    by_name = {c.name: c for c in clauses}
    options = []
    for name, spec in model.clauses.items():
        if name not in by_name:
            continue
        clause = by_name[name]
        stand_ins = tuple(s.option for s in spec.represented_by)
        real = next((o for o in (spec.option, *stand_ins) if _has(clause, o)), _MISSING)
        if real is _MISSING:
            shown = ", ".join(map(str, clause.options))
            also = f" (or a `represented_by` option: {', '.join(map(str, stand_ins))})" if stand_ins else ""
            raise InputError(path, f"clauses.{name}.option",
                             f"one of the options of {name} ({shown}) expected{also}, got {spec.option!r}")
        options.append((name, real))
    dates = model.dates
    return Truth(str(path), tuple(options), dates.tentative and dates.tentative.date,
                 dates.definitive and dates.definitive.date)


_MISSING = object()


def _has(clause: Clause, option: Any) -> bool:
    try:
        clause.index(option)
    except ValueError:
        return False
    return True
