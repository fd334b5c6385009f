"""Reading ``seeds/``: the sourced facts a scenario cites, and the real deal
a run is compared with.

Both are validated here, once, with errors naming file, key and expectation:
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

from .config import Section, load_yaml
from ..domain.outcomes import Clause, Option


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
    top = Section(load_yaml(path), "", str(path))
    sources = top.section("sources")
    known = {name for name, _ in sources.items()}
    facts: dict[str, Fact] = {}
    raw = top.raw("facts")
    if not isinstance(raw, list):
        raise top.error("a list of fact records expected", "facts")
    for i, record in enumerate(raw):
        sec = top.sub(f"facts.{i}", record)
        fid = sec.string("id")
        if fid in facts:
            raise sec.error(f"a unique id expected; {fid} appears twice", "id")
        cited = sec.string_list("sources")
        missing = [s for s in cited if s not in known]
        if not cited or missing:
            raise sec.error(f"sources listed under `sources:` expected; unknown: {missing or 'none given'}", "sources")
        facts[fid] = Fact(fid, sec.string("statement"), cited, sec.date("public_on"))
        for optional in ("value", "unit", "date", "general_knowledge"):
            sec.raw(optional, None)
        sec.close()
    top.close()
    return facts


def check_citations(citations: Mapping[str, tuple[str, ...]], facts: Mapping[str, Fact], facts_path: Path,
                    source: str) -> None:
    """Every fact id a scenario cites must exist in its facts file."""
    from ..errors import InputError

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
    for it; an option neither way is an error, since nothing could ever
    match it."""
    top = Section(_truth_file(path), "", str(path))
    dates = top.section("dates", {})
    found = {stage: _stage_date(dates, stage) for stage in ("tentative", "definitive")}
    dates.close()
    by_name = {c.name: c for c in clauses}
    options = []
    csec = top.section("clauses")
    for name, spec in csec.items():
        sec = csec.sub(name, spec)
        option = sec.raw("option")
        stand_ins = _stand_ins(sec)
        for other in ("before", "because", "conflicting", "note"):
            sec.raw(other, None)
        sec.close()
        if name not in by_name:
            continue
        clause = by_name[name]
        real = next((o for o in (option, *stand_ins) if _has(clause, o)), _MISSING)
        if real is _MISSING:
            shown = ", ".join(map(str, clause.options))
            also = f" (or a `represented_by` option: {', '.join(map(str, stand_ins))})" if stand_ins else ""
            raise sec.error(f"one of the options of {name} ({shown}) expected{also}, got {option!r}",
                            "option") from None
        options.append((name, real))
    top.close()
    return Truth(str(path), tuple(options), found["tentative"], found["definitive"])


_MISSING = object()


def _has(clause: Clause, option: Any) -> bool:
    try:
        clause.index(option)
    except ValueError:
        return False
    return True


def _stand_ins(sec: Section) -> tuple[Any, ...]:
    """Options that stand for the real term in scenarios whose clause lacks
    it (``represented_by: [{option, why}]``, first match wins): a forecast
    built only from what was reported before the deal may not offer the
    deal's own wording, and the file says which option represents it."""
    raw = sec.raw("represented_by", [])
    if not isinstance(raw, list):
        raise sec.error("a list of {option, why} expected", "represented_by")
    found = []
    for i, item in enumerate(raw):
        s = sec.sub(f"represented_by.{i}", item)
        found.append(s.raw("option"))
        s.string("why")
        s.raw("because", None)
        s.close()
    return tuple(found)


def _stage_date(dates: Section, stage: str) -> dt.date | None:
    if not dates.has(stage):
        return None
    sec = dates.section(stage)
    day = sec.date("date")
    for other in ("what", "because", "conflicting"):
        sec.raw(other, None)
    sec.close()
    return day
