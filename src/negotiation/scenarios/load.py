"""Scenario: a YAML file validated into frozen domain objects.

The only place upstream of the model that reads scenario files. Every rule a
scenario must follow is checked here, once (its shape by the pydantic models
of ``models.py``, what refers to other parts of the file here and in the
roles, ``roles/``), with an error naming the file, the key path and what is
expected; the model can then trust what it is given (a
:class:`~negotiation.domain.scenario.Scenario`, domain data).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain import outcomes as space_limits
from ..domain.outcomes import Clause, same_option
from ..domain.scenario import Context, Scenario
from ..domain.timeline import Calendar
from ..errors import InputError
from ..inputs.codebook import check_rules, collect_rules, load_codebook
from ..inputs.config import apply_sets, config_hash, load_yaml, merge_overlay
from ..inputs.cutoff import check_as_of
from ..inputs.limits import space_problem
from ..inputs.priors import find_priors
from ..inputs.sources import Truth, check_citations, collect_citations, load_facts, load_truth
from ..inputs import DEFAULT_SCENARIO, MAX_NAME, NAME  # noqa: F401  (defined without numpy, for the CLI's help)

if TYPE_CHECKING:
    from .models import CalendarModel, ClauseModel

UNHASHED = ("seed", "facts", "truth", "codebook")  # as_of shapes a run: no round on or before it is bargained


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
                   touched: Mapping[str, str] | None = None, base_dir: Path | None = None,
                   drawn: bool = False) -> Scenario:
    """Validate a scenario mapping: first against :class:`ScenarioModel`
    (keys, types, ranges), then what refers to other parts of the file
    (clause and option names, dates against the calendar, the parties an
    event targets, the facts cited). Relative ``facts``/``truth`` paths are
    resolved against ``base_dir`` (the scenario file's folder) and stored
    absolute in ``resolved``, so a run folder's scenario.yaml finds them.
    ``drawn``: ``raw`` is a checked scenario with its priors drawn
    (``priors.apply``), so its files and priors are not read or checked again."""
    # imported here: pydantic and the models cost about 0.3 s to import, which
    # commands that only read logs, and experiment workers, need not pay
    from .models import ScenarioModel
    from ..roles import build_parties, declared
    from ..inputs.links import build_links
    from ..inputs.ratification import build_plan
    from ..inputs.validation import blame, validate

    raw = dict(raw)
    model = validate(ScenarioModel, raw, source, touched)
    calendar = _calendar(model.calendar, source, touched)
    clauses = tuple(Clause(name, tuple(c.options), _ordered(c), tuple(c.because or ()), _status_quo(c))
                    for name, c in model.clauses.items())
    if not clauses:
        raise blame(source, "clauses", "at least one clause expected", touched)
    bargainers = [name for name, p in model.parties.items() if p.role == "bargainer"]
    parties = build_parties(model.parties, Context(clauses, calendar, tuple(bargainers), source, touched or {}))
    shape = tuple(len(c.options) for c in clauses)
    # above the enumeration limit nothing is enumerated: the clause-by-clause search needs no memory per outcome
    too_large = space_limits.unsupported(shape, len(bargainers)) if math.prod(shape) > space_limits.ENUMERATION_LIMIT \
        else space_problem(shape, len(bargainers))
    if too_large:
        raise blame(source, "clauses", too_large, touched)
    links = build_links(model.links, clauses, source, touched)
    if links and math.prod(shape) > space_limits.ENUMERATION_LIMIT:
        raise blame(source, "links", f"an outcome space of at most {space_limits.ENUMERATION_LIMIT:,} outcomes expected "
                                     f"with links (these clauses make {math.prod(shape):,}; a larger one is searched "
                                     f"clause by clause, which a link between clauses breaks)", touched)
    if links:  # every bargainer's allowed outcomes keep the links: its offers, answers and walk-away
        parties = tuple(replace(p, preferences=replace(p.preferences, links=links)) if p.preferences else p
                        for p in parties)
    plan = build_plan(model.ratification, [p.name for p in parties if p.role == "ratifier"], source, touched)
    facts_path = _file(raw, "facts", model.facts, base_dir)
    truth_path = _file(raw, "truth", model.truth, base_dir)
    codebook_path = _file(raw, "codebook", model.codebook, base_dir)
    if model.as_of is not None and facts_path is None:
        raise blame(source, "facts", "a facts file (facts: …) expected with as_of, to check what was public by then",
                    touched)
    citations = collect_citations(raw)
    priors = () if drawn else find_priors(raw, lambda key, expected: blame(source, key, expected, touched),
                                            _schema)
    hashed = config_hash({k: v for k, v in raw.items() if k not in UNHASHED})
    if drawn:
        return Scenario(model.name, model.description, model.seed, calendar, clauses, parties, source, raw,
                        citations, model.as_of, links, plan, config_hash=hashed)
    try:
        if facts_path:
            facts = load_facts(facts_path)
            check_citations(citations, facts, facts_path, source)
            if model.as_of is not None:
                events = [(event.key, event.on) for party in parties for event in declared(party).events]
                check_as_of(model.as_of, citations, facts, events, source)
        if truth_path:
            load_truth(truth_path, clauses)  # checked now, read again only where a run is compared with it
        check_rules(collect_rules(raw), load_codebook(codebook_path) if codebook_path else None, source)
    except InputError as exc:
        if exc.key or "no such file" not in exc.expected:
            raise
        key = next(k for k, p in (("facts", facts_path), ("truth", truth_path), ("codebook", codebook_path))
                   if exc.source == str(p))
        raise blame(source, key, f"an existing file expected; {exc.source} not found", touched) from None
    return Scenario(model.name, model.description, model.seed, calendar, clauses, parties, source, raw, citations,
                    model.as_of, links, plan, priors, config_hash=hashed)


def scenario_truth(scenario: Scenario) -> Truth | None:
    """The real deal the scenario names (``truth:``), for comparing a finished
    run with it; None if it names none. Never handed to the model."""
    path = scenario.resolved.get("truth")
    return load_truth(Path(path), scenario.clauses) if path else None


@cache
def _schema() -> dict[str, Any]:
    """The scenario's JSON Schema, made once: where priors may sit and their ranges."""
    from .models import scenario_schema

    return scenario_schema()


def _file(raw: dict[str, Any], key: str, given: str | None, base_dir: Path | None) -> Path | None:
    if given is None:
        return None
    path = Path(given).expanduser()
    if not path.is_absolute():
        path = ((base_dir or Path.cwd()) / path).resolve()
    raw[key] = str(path)
    return path


def _calendar(model: CalendarModel, source: str, touched: Mapping[str, str] | None) -> Calendar:
    from ..inputs.validation import blame

    if model.deadline <= model.start:
        raise blame(source, "calendar.deadline",
                    f"a date after calendar.start ({model.start}) expected, got {model.deadline}", touched)
    return Calendar(model.start, model.round, model.deadline, model.max_rounds)


def _status_quo(clause: ClauseModel) -> Any:
    """The option as the clause lists it (``0.2`` written for ``0.20`` is the option ``0.20``)."""
    if clause.status_quo is None:
        return None
    return next(o for o in clause.options if same_option(o, clause.status_quo))


def _ordered(clause: ClauseModel) -> bool:
    """Given, or true when every option is a number (numbers have an order)."""
    if clause.ordered is not None:
        return clause.ordered
    return all(isinstance(o, (int, float)) for o in clause.options)
