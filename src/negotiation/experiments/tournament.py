"""A strategy tournament: which tactic does best in this negotiation?

ANAC-style (Baarslag et al. 2015; NegMAS's ``tournament``): every
combination of the listed tactics over the scenario's bargainers (each
bargainer's tactic replaced, its acceptance conditions and opponent model
kept), each cell played on the same N seeds with the same preference noise
per seed (common random numbers, as the cells of a sweep), so tactics are
compared on the same draws. It is one more experiment design: variants and
tasks, run by ``execute`` on any executor; ``ranking.py`` ranks the rows.

``--tactics boulware,linear,time_dependent:e=0.3:k=0.1`` names each tactic
with its parameters after colons; a tactic registered from Python
(``negotiation.register_tactic``) or installed (entry point
``negotiation.tactics``) takes part by its name like a built-in one.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..domain.registry import known_names, tactic_class
from ..errors import InputError
from ..inputs.config import parse_set
from ..scenarios.changes import change
from ..domain.scenario import Scenario
from .designs import DEFAULT_NOISE, Experiment, Task, Variant, _noise, _positive, _seed, portable, run_seeds

KEPT = ("acceptance", "opponent_model")  # the keys of a bargainer's strategy a tournament keeps
_ITEM = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_EXAMPLE = "name or name:param=value[:param=value…] expected, e.g. time_dependent:e=0.3"


@dataclass(frozen=True)
class Entrant:
    """One tactic of a tournament: its name, its parameters as written, its label (``--tactics`` item)."""

    name: str
    params: tuple[tuple[str, float], ...]

    @property
    def label(self) -> str:
        return ":".join([self.name, *(f"{k}={v:g}" for k, v in self.params)])


def parse_tactics(text: str | Sequence[str]) -> list[Entrant]:
    """``a,b:e=0.3,…`` (or a list of items) → the entrants, each name known
    and each parameter a number; two at least, each once."""
    items = [i.strip() for i in text.split(",")] if isinstance(text, str) else [str(i).strip() for i in text]
    entrants = []
    for item in items:
        name, *pairs = item.split(":")
        if not _ITEM.fullmatch(name):
            raise InputError("tactics", item or repr(text), _EXAMPLE)
        if tactic_class(name) is None:
            raise InputError("tactics", name, f"a tactic name expected: one of {', '.join(known_names())}")
        params = []
        for pair in pairs:
            key, sep, value = pair.partition("=")
            try:
                number = float(value)
            except ValueError:
                number = float("nan")
            if not sep or not _ITEM.fullmatch(key) or number != number or number in (float("inf"), float("-inf")):
                raise InputError("tactics", item, _EXAMPLE)
            if any(k == key for k, _ in params):
                raise InputError("tactics", item, f"each parameter once expected; {key} repeats")
            params.append((key, number))
        entrants.append(Entrant(name, tuple(params)))
    labels = [e.label for e in entrants]
    if len(set(labels)) != len(labels):
        raise InputError("tactics", next(x for x in labels if labels.count(x) > 1), "each tactic once expected")
    if len(entrants) < 2:
        raise InputError("tactics", ",".join(labels), "at least two tactics expected, comma-separated")
    return entrants


def bargainers(scenario: Scenario) -> list[str]:
    return [p.name for p in scenario.parties if p.role == "bargainer"]


def strategy_set(scenario: Scenario, party: str, entrant: Entrant) -> dict[str, object]:
    """The value that gives ``party`` the entrant's tactic, keeping its
    acceptance conditions and opponent model as written (the other keys
    belong to the tactic it had, and ``because``/``rule`` cite its reasons)."""
    written = scenario.resolved["parties"][party].get("strategy") or {}
    kept = {k: written[k] for k in KEPT if k in written}
    # as YAML reads its JSON text (a `--set` of it), so the scenario is the one a --set would make
    text = json.dumps({"name": entrant.name, **dict(entrant.params), **kept})
    return {f"parties.{party}.strategy": parse_set(f"x={text}")[1]}


def tournament(base: Scenario, tactics: str | Sequence[str], runs: int = 20, noise: float = DEFAULT_NOISE,
               seed: int | None = None, sets: Sequence[str] = ()) -> Experiment:
    """Every combination of ``tactics`` over the bargainers of ``base`` × ``runs``
    shared seeds (``sets``: the values that changed ``base``, echoed)."""
    entrants = parse_tactics(tactics)
    roles = bargainers(base)
    if len(roles) < 2:  # a scenario refuses this too; said here in the words of the command
        raise InputError(base.source, "parties", "a scenario with at least two bargainers expected")
    for entrant in entrants:  # each tactic's parameters checked once, the error naming the tactics item
        _entrant_scenario(base, strategy_set(base, roles[0], entrant), entrant)
    seed = _seed(seed, base)
    seed_list = run_seeds(seed, _positive(runs, "runs"))
    variants, scenarios, tasks = [], [], []
    for cell, combo in enumerate(itertools.product(entrants, repeat=len(roles))):
        values = {k: v for r, e in zip(roles, combo) for k, v in strategy_set(base, r, e).items()}
        scenario = _entrant_scenario(base, values, combo[0])
        params = tuple((f"tactic.{r}", e.label) for r, e in zip(roles, combo))
        variants.append(Variant(", ".join(f"{r}={e.label}" for r, e in zip(roles, combo)), params,
                                portable(scenario)))
        scenarios.append(scenario)
        tasks += [Task(cell * runs + k, s, cell) for k, s in enumerate(seed_list)]
    settings = {"tactics": [e.label for e in entrants], "bargainers": roles, "runs": runs,
                "noise": _noise(noise), "sets": list(sets)}
    return Experiment("tournament", base, tuple(variants), tuple(tasks), seed, noise, settings, tuple(scenarios))


def _entrant_scenario(base: Scenario, values: dict[str, object], entrant: Entrant) -> Scenario:
    try:
        return change(base, values)
    except InputError as exc:
        if "strategy" in exc.key:
            raise InputError("tactics", entrant.label, f"{exc.key.rsplit('.', 1)[-1]}: {exc.expected}") from None
        raise
