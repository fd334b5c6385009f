"""Scenario: a YAML file validated into frozen domain objects.

The only place upstream of the model that reads files. Every rule a scenario
must follow is checked here, once, with an error naming the file, the key
path and what is expected; the model can then trust what it is given.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from .config import Section, _kind, apply_sets, config_hash, load_yaml, merge_overlay
from .limits import space_problem
from ..errors import InputError
from ..domain.outcomes import Clause, OutcomeSpace
from ..domain.parties import Party
from ..roles import parse_parties
from .cutoff import check_as_of
from .sources import Truth, check_citations, load_facts, load_truth
from ..domain.timeline import Calendar

from . import DEFAULT_SCENARIO  # noqa: F401  (defined without numpy, for the CLI's help)

MAX_NAME = 100  # run folder names add a seed and a hash; file systems allow 255 bytes
NAME = rf"[A-Za-z0-9_][A-Za-z0-9_.-]{{0,{MAX_NAME - 1}}}"
MAX_ROUNDS = 1_000_000
UNHASHED = ("seed", "facts", "truth", "as_of")


@dataclass(frozen=True, eq=False)
class Scenario:
    """A validated scenario. ``resolved`` is the mapping it was built from
    (overrides applied): written back as ``scenario.yaml``, it rebuilds the
    very same scenario, and its hash names the run folder."""

    name: str
    description: str
    seed: int
    calendar: Calendar
    clauses: tuple[Clause, ...]
    parties: tuple[Party, ...]
    source: str
    resolved: Mapping[str, Any] = field(repr=False)
    citations: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    as_of: dt.date | None = None  # a forecast made that day: it cites only facts public by then

    @cached_property
    def space(self) -> OutcomeSpace:
        return OutcomeSpace(self.clauses)

    @property
    def bargainers(self) -> tuple[Party, ...]:
        return tuple(p for p in self.parties if p.role == "bargainer")

    @property
    def config_hash(self) -> str:
        """Hash of what shapes the run: not the seed (runs of one configuration
        share it), nor the facts and truth files or the information cut-off
        (they never reach the model)."""
        return config_hash({k: v for k, v in self.resolved.items() if k not in UNHASHED})

    def party(self, name: str) -> Party:
        return next(p for p in self.parties if p.name == name)

    def clause(self, name: str) -> Clause:
        return next(c for c in self.clauses if c.name == name)

    def to_yaml(self, seed: int | None = None) -> str:
        resolved = dict(self.resolved)
        resolved["seed"] = self.seed if seed is None else seed
        return yaml.safe_dump(resolved, sort_keys=False, allow_unicode=True)


# -- loading ------------------------------------------------------------------

def load_scenario(path: str | Path = DEFAULT_SCENARIO, sets: Sequence[str] = (), seed: int | None = None,
                  overlay: Mapping[str, Any] | None = None, source: str | None = None) -> Scenario:
    """Read, override and validate a scenario file (raises InputError).
    ``source`` names the input in errors (e.g. "base.yaml + overlay.yaml")."""
    raw = load_yaml(path)
    if overlay:
        raw = merge_overlay(raw, overlay)
    raw, touched = apply_sets(raw, list(sets))
    if seed is not None:
        raw["seed"] = seed
    return build_scenario(raw, source or str(path), touched, Path(path).resolve().parent)


def build_scenario(raw: Mapping[str, Any], source: str = "<scenario>",
                   touched: Mapping[str, str] | None = None, base_dir: Path | None = None) -> Scenario:
    """Validate a scenario mapping. Relative ``facts``/``truth`` paths are
    resolved against ``base_dir`` (the scenario file's folder) and stored
    absolute in ``resolved``, so a run folder's scenario.yaml finds them."""
    raw = dict(raw)
    top = Section(raw, "", source, touched)
    name = top.string("name")
    if not re.fullmatch(NAME, name):
        raise top.error(f"at most {MAX_NAME} letters, digits, '_', '-' or '.', not starting with '.' or '-', "
                        f"expected (it names run folders), got {name!r}", "name")
    description = top.raw("description", "")
    if not isinstance(description, str):
        raise top.error(f"a text expected, got {_kind(description)}", "description")
    seed = top.integer("seed", 0, lo=0, hi=2**63 - 1)
    calendar = _calendar(top.section("calendar"))
    clauses = _clauses(top.section("clauses"))
    parties = parse_parties(top.section("parties"), clauses, calendar)
    too_large = space_problem(tuple(len(c.options) for c in clauses),
                              sum(1 for p in parties if p.role == "bargainer"))
    if too_large:
        raise top.error(too_large, "clauses")
    facts_path = _file(top, "facts", base_dir)
    truth_path = _file(top, "truth", base_dir)
    as_of = top.date("as_of") if top.has("as_of") else None
    if as_of is not None and facts_path is None:
        raise top.error("a facts file (facts: …) expected with as_of, to check what was public by then", "facts")
    top.close()
    try:
        if facts_path:
            facts = load_facts(facts_path)
            check_citations(top.citations, facts, facts_path, source)
            if as_of is not None:
                check_as_of(as_of, top.citations, facts, raw.get("parties") or {}, source)
        if truth_path:
            load_truth(truth_path, clauses)  # checked now, read again only where a run is compared with it
    except InputError as exc:
        if exc.key or "no such file" not in exc.expected:
            raise
        raise top.error(f"an existing file expected; {exc.source} not found",
                        "facts" if exc.source == str(facts_path) else "truth") from None
    return Scenario(name, description, seed, calendar, clauses, parties, source, raw, top.citations, as_of)


def scenario_truth(scenario: Scenario) -> Truth | None:
    """The real deal the scenario names (``truth:``), for comparing a finished
    run with it; None if it names none. Never handed to the model."""
    path = scenario.resolved.get("truth")
    return load_truth(Path(path), scenario.clauses) if path else None


def _file(top: Section, key: str, base_dir: Path | None) -> Path | None:
    if not top.has(key):
        return None
    path = Path(top.string(key)).expanduser()
    if not path.is_absolute():
        path = ((base_dir or Path.cwd()) / path).resolve()
    top.data[key] = str(path)
    return path


def _calendar(sec: Section) -> Calendar:
    start = sec.date("start")
    deadline = sec.date("deadline")
    if deadline <= start:
        raise sec.error(f"a date after calendar.start ({start}) expected, got {deadline}", "deadline")
    round_days = sec.duration_days("round", 7)
    max_rounds = sec.integer("max_rounds", 10_000, lo=1, hi=MAX_ROUNDS)
    sec.close()
    return Calendar(start, round_days, deadline, max_rounds)


def _clauses(sec: Section) -> tuple[Clause, ...]:
    clauses = []
    for name, spec in sec.items():
        c = sec.sub(name, spec)
        options = c.raw("options")
        if (not isinstance(options, list) or not options
                or not all(isinstance(o, (str, int, float)) and not isinstance(o, bool) for o in options)):
            raise c.error("a non-empty list of option names or numbers expected", "options")
        for i, option in enumerate(options):
            if not isinstance(option, str):
                c.check_number(option, f"options.{i}")
        if len(set(map(repr, options))) != len(options):
            raise c.error("options must be distinct", "options")
        numeric = all(isinstance(o, (int, float)) for o in options)
        ordered = c.boolean("ordered", numeric)
        c.close()
        clauses.append(Clause(name, tuple(options), ordered, sec.citations.get(c.path, ())))
    if not clauses:
        raise sec.error("at least one clause expected")
    return tuple(clauses)
