"""Outcome spaces too large to enumerate, searched clause by clause.

A contract of 20 clauses with 4 options each has 4^20 ≈ 10^12 outcomes: no
array over them fits in memory. Linear additive utilities do not need one:
u(ω) = Σ_c t_c[ω_c], with ``t_c`` a party's weighted values of clause c's
options (:func:`clause_tables`), and a constraint rules out options of one
clause (:func:`clause_allowed`). So a utility is a sum of per-clause
lookups, a party's best outcome the best option of each clause, and the
offer a bargainer makes, *the outcome best for its opponent among those
worth at least its target to itself*, is a multiple-choice knapsack problem
(one option per clause; Sinha & Zoltners 1979, "The multiple-choice
knapsack problem", Operations Research 27(3)).

It is solved exactly by the Pareto-set dynamic programme of Nemhauser &
Ullmann (1969, "Discrete dynamic programming and capital allocation",
Management Science 15(9)): clause by clause, the partial outcomes are
combined with the next clause's options and only the non-dominated ones (in
the pair own utility, opponent's utility) are kept, since a dominated
partial outcome has a completion no better than the same completion of the
one dominating it. The result is the two parties' exact Pareto frontier
(one outcome per utility pair), sorted by own utility: every offer is then
one binary search (:meth:`Frontier.best_for_other`), and the Nash point and
the other bargaining solutions are read off the same frontier. The number of
Pareto-optimal partial outcomes is small in practice (hundreds for random
20-clause contracts; polynomial in expectation under random perturbations of
the values, Beier & Vöcking 2004, "Random knapsack in expected polynomial
time", JCSS 69(3)); :data:`MAX_FRONTIER` bounds it, and beyond it the
search refuses rather than exhausting memory.

Outcome indices stay those of :class:`~negotiation.domain.outcomes.OutcomeSpace`
(C order), so logs, reports and experiments read a large run like any other.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..runtime.lazy import numpy as np

from .outcomes import OutcomeSpace
from .preferences import Preferences
from .outcomes import ENUMERATION_LIMIT, INDEX_LIMIT, searched_clausewise, unsupported  # noqa: F401 - re-exported
from .space_types import Analysis, Estimate, Floored, Position, Problem
from .tactics import Tactic, View

MAX_FRONTIER = 2_000_000  # Pareto-optimal partial outcomes kept at most (about 100 MB with 20 clauses)
EPS = 1e-9


def clause_tables(prefs: Preferences, space: OutcomeSpace) -> tuple[np.ndarray, ...]:
    """``t_c[o]`` = weight of clause c × value of its option o: u(ω) = Σ_c t_c[ω_c]."""
    return tuple(prefs.weights.get(c.name, 0.0) * np.asarray(prefs.values.get(c.name, np.zeros(len(c.options))),
                                                             dtype=np.float64) for c in space.clauses)


def clause_allowed(prefs: Preferences, space: OutcomeSpace) -> tuple[np.ndarray, ...]:
    """Per clause, the options no constraint of the party rules out."""
    allowed = [np.ones(len(c.options), dtype=bool) for c in space.clauses]
    for constraint in prefs.constraints:
        i = space.names.index(constraint.clause)
        allowed[i] = allowed[i] & np.asarray(constraint.allowed, dtype=bool)
    return tuple(allowed)


def both(a: tuple[np.ndarray, ...], b: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
    """Options allowed by both parties, clause by clause."""
    return tuple(x & y for x, y in zip(a, b))


def total(tables: tuple[np.ndarray, ...], options: Any) -> float:
    """Σ_c t_c[o_c], summed in clause order (the order of the enumerated arrays' broadcast sum)."""
    value = 0.0
    for table, option in zip(tables, options):
        value += float(table[option])
    return value


def best_options(tables: tuple[np.ndarray, ...], allowed: tuple[np.ndarray, ...]) -> tuple[int, ...] | None:
    """Each clause's best allowed option (the lowest index among equals); None if a clause allows none."""
    chosen = []
    for table, ok in zip(tables, allowed):
        if not ok.any():
            return None
        chosen.append(int(np.argmax(np.where(ok, table, -np.inf))))
    return tuple(chosen)


@dataclass(frozen=True, eq=False)
class ClausewiseUtility:
    """A party's utility over a space too large for an array: ``u[outcome]`` works as on one."""

    space: OutcomeSpace
    tables: tuple[np.ndarray, ...]

    def __getitem__(self, outcome: int) -> float:
        return total(self.tables, self.space.option_indices(int(outcome)))


@dataclass(frozen=True, eq=False)
class ClausewiseAllowed:
    """A party's allowed options per clause: ``allowed[outcome]`` works as on a mask."""

    space: OutcomeSpace
    options: tuple[np.ndarray, ...]

    def __getitem__(self, outcome: int) -> bool:
        return all(bool(ok[i]) for ok, i in zip(self.options, self.space.option_indices(int(outcome))))


@dataclass(frozen=True, eq=False)
class Frontier:
    """Pareto frontier of two additive utilities: ``own`` ascending, ``other``
    descending, ``options`` the outcome (option indices) of each point."""

    own: np.ndarray
    other: np.ndarray
    options: np.ndarray

    def __len__(self) -> int:
        return len(self.own)

    def best_for_other(self, target: float) -> int | None:
        """Row of the point best for the other party among those worth at
        least ``target`` (less ``EPS``) to the owner; None if there is none."""
        row = int(np.searchsorted(self.own, target - EPS, side="left"))
        return row if row < len(self.own) else None


def pareto_frontier(own: tuple[np.ndarray, ...], other: tuple[np.ndarray, ...],
                    allowed: tuple[np.ndarray, ...]) -> Frontier:
    """Exact Pareto frontier of (Σ own_c, Σ other_c) over the allowed options
    (Nemhauser & Ullmann 1969); empty if some clause allows no option."""
    a, b = np.zeros(1), np.zeros(1)
    options = np.zeros((1, 0), dtype=np.int16)
    for own_c, other_c, ok in zip(own, other, allowed):
        idx = np.flatnonzero(ok)
        if idx.size == 0:
            return Frontier(np.zeros(0), np.zeros(0), np.zeros((0, len(own)), dtype=np.int16))
        a = (a[:, None] + own_c[idx][None, :]).ravel()
        b = (b[:, None] + other_c[idx][None, :]).ravel()
        options = np.concatenate([np.repeat(options, idx.size, axis=0),
                                  np.tile(idx.astype(np.int16), len(options))[:, None]], axis=1)
        keep = _non_dominated(a, b)
        if keep.size > MAX_FRONTIER:
            raise FrontierTooLarge(keep.size)
        a, b, options = a[keep], b[keep], options[keep]
    order = np.argsort(a, kind="stable")
    return Frontier(a[order], b[order], options[order])


def _non_dominated(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Indices of the points no other point weakly dominates, one per equal pair
    (the first in input order): sorted by a descending (b descending among
    equal a), a point stays if its b beats every b before it."""
    order = np.lexsort((-b, -a))
    sorted_b = b[order]
    keep = np.ones(order.size, dtype=bool)
    keep[1:] = sorted_b[1:] > np.maximum.accumulate(sorted_b)[:-1]
    return order[keep]


class FrontierTooLarge(ValueError):
    """More Pareto-optimal partial outcomes than :data:`MAX_FRONTIER`."""

    def __init__(self, size: int) -> None:
        super().__init__(f"{size:,} Pareto-optimal partial outcomes, above the {MAX_FRONTIER:,} the clause-by-clause "
                         "search keeps")


def sample_at_least(tables: tuple[np.ndarray, ...], allowed: tuple[np.ndarray, ...], threshold: float,
                    rng: np.random.Generator, tries: int = 4096) -> tuple[int, ...] | None:
    """A uniformly random allowed outcome worth at least ``threshold`` (rejection
    sampling over ``tries`` draws, each option drawn uniformly in its clause);
    None if no draw qualifies."""
    draws = []
    for ok in allowed:
        idx = np.flatnonzero(ok)
        if idx.size == 0:
            return None
        draws.append(idx[rng.integers(idx.size, size=tries)])
    values = np.zeros(tries)
    for table, drawn in zip(tables, draws):
        values += table[drawn]
    hits = np.flatnonzero(values >= threshold - EPS)
    if hits.size == 0:
        return None
    return tuple(int(d[hits[0]]) for d in draws)


# -- the space ------------------------------------------------------------------------

SEARCHED = "clause by clause (exact Pareto frontier; one outcome per utility pair)"


@dataclass(frozen=True, eq=False)
class ClausewisePosition(Position):
    """A position kept clause by clause: ``tables`` (t_c), ``options`` (the
    options it allows per clause), ``best_options`` (its best allowed
    outcome, None if some clause allows none)."""

    tables: tuple[np.ndarray, ...] = ()
    options: tuple[np.ndarray, ...] = ()
    best_options: tuple[int, ...] | None = None


class Clausewise:
    """The :class:`~negotiation.domain.spaces.Space` of a contract too large to
    enumerate, for two bargainers (checked when the scenario is read).

    Differences from the enumerated space, all deterministic: among outcomes
    that tie exactly, the frontier keeps one (no draw from the run's random
    generator); with a known opponent, when no outcome the opponent allows
    reaches the target, the search ignores the opponent's constraints (the
    enumerated search draws at random among all such outcomes); the
    ``random`` tactic draws by rejection sampling (4,096 draws a turn, its
    best outcome if none qualifies); a tactic is played by its ``target``
    alone, and a language model cannot play."""

    def __init__(self, outcomes: OutcomeSpace) -> None:
        self.outcomes = outcomes

    def position(self, preferences: Preferences, before: Position | None = None) -> Position:
        space = self.outcomes
        tables, options = clause_tables(preferences, space), clause_allowed(preferences, space)
        best = best_options(tables, options)
        return ClausewisePosition(preferences, ClausewiseUtility(space, tables), ClausewiseAllowed(space, options),
                                  total(tables, best) if best is not None else 0.0, None, tables, options, best)

    def unplayable(self, strategy: str, tactic: Tactic) -> str | None:
        if strategy == "llm":
            return "a tactic other than llm expected: the outcome space is too large to enumerate"
        if tactic.name != "random" and type(tactic).target is Tactic.target:  # a registered tactic that only proposes
            return (f"a tactic with a target(view) expected: {tactic.name} only proposes, and this outcome space is "
                    "too large to enumerate (searched clause by clause)")
        return None

    def belief(self, me: Position, known: Sequence[Position] | None, estimates: Sequence[Estimate]) -> list[Frontier]:
        """Where an offer is searched, in order: the two parties' frontier over
        the outcomes both allow (knowing the opponent), then over those it
        allows; the opponent's utilities known, estimated, or (no estimate yet)
        all alike."""
        own: ClausewisePosition = me  # type: ignore[assignment]
        if known is not None:
            (other,) = known
            theirs = other.tables  # type: ignore[attr-defined]
        else:
            theirs = tuple(estimates[0].tables()) if estimates else tuple(np.zeros_like(t) for t in own.tables)
        found = [pareto_frontier(own.tables, theirs, own.options)]
        if known is not None:
            found.insert(0, pareto_frontier(own.tables, theirs, both(own.options, other.options)))  # type: ignore
        return found

    def offer(self, tactic: Tactic, view: View, me: Position, belief: list[Frontier], floor: float,
              rng: np.random.Generator) -> int:
        own: ClausewisePosition = me  # type: ignore[assignment]
        if tactic.name == "random":
            options = sample_at_least(own.tables, own.options, floor, rng) or own.best_options
        else:
            options = search(belief, tactic.aspiration(view))
        assert options is not None
        return self.outcomes.index_of(options)

    def hope(self, me: Position, others: Sequence[Floored]) -> float:
        return me.best

    def hopeless(self, me: Position, floor: float, others: Sequence[Floored], belief: Callable[[], Any],
                 hint: dict[str, Any]) -> bool:
        """Nothing it allows is worth its floor, or (knowing its opponent) nothing
        both allow is worth both floors: read off the joint frontier."""
        own: ClausewisePosition = me  # type: ignore[assignment]
        if own.best_options is None or own.best < floor - EPS:
            return True
        if not others:
            return False
        ((_, other_floor),) = others
        joint = belief()[0]
        row = joint.best_for_other(floor)
        return row is None or bool(joint.other[row] < other_floor - EPS)

    def analyse(self, problem: Problem) -> Analysis:
        """The two parties' exact frontier over the outcomes every party allows
        (constraints and requirements, clause by clause); every solution point
        lies on it, so the points are those of its utility pairs
        (``bargaining.analyse``). A rule over several clauses (a body's vote)
        is not applied here."""
        from .bargaining import analyse

        space = self.outcomes
        tables = tuple(clause_tables(p, space) for p in problem.preferences)
        allowed = tuple(np.ones(len(c.options), dtype=bool) for c in space.clauses)
        for _, rule in problem.rules:
            if rule.mask is None:
                allowed = both(allowed, clause_allowed(Preferences({}, {}, constraints=rule.constraints), space))
        frontier = pareto_frontier(tables[0], tables[1], allowed)
        F = np.column_stack([frontier.own, frontier.other]) if len(frontier) else np.zeros((0, 2))
        r = analyse(F, problem.reservations, np.ones(len(F), dtype=bool))

        def outcome(options: Any) -> int | None:
            return None if options is None else space.index_of([int(o) for o in options])

        def rows(found: np.ndarray) -> np.ndarray:
            return np.array([outcome(frontier.options[int(i)]) for i in found], dtype=np.int64)

        count = int(np.prod([int(a.sum()) for a in allowed], dtype=object))  # a Python int: no overflow
        points = {name: None if row is None else outcome(frontier.options[row]) for name, row in r.points.items()}
        best = {name: outcome(best_options(t, allowed)) for name, t in zip(problem.parties, tables)}
        return Analysis(space, problem.parties, r.reservations, count, rows(r.pareto), rows(r.rational_pareto),
                        F[r.pareto], points, Utilities(space, tables), best=best, searched=SEARCHED)


@dataclass(frozen=True, eq=False)
class Utilities:
    """``utilities[outcome]``: every party's utility of one outcome, as a row of an enumerated array would be."""

    space: OutcomeSpace
    tables: tuple[tuple[np.ndarray, ...], ...]  # per party, per clause

    def __getitem__(self, outcome: int) -> np.ndarray:
        options = self.space.option_indices(int(outcome))
        return np.array([total(t, options) for t in self.tables])


def search(frontiers: list[Frontier], target: float) -> tuple[int, ...]:
    """The outcome best for the opponent among those worth at least ``target``
    (the first frontier that has one); the owner's best outcome if none is
    (a target above its best)."""
    for frontier in frontiers:
        row = frontier.best_for_other(target)
        if row is not None:
            return tuple(int(o) for o in frontier.options[row])
    own = frontiers[-1]
    assert len(own)
    return tuple(int(o) for o in own.options[len(own) - 1])
