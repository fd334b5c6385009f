"""The outcome-space interface and the data it speaks in (``spaces.py``
says what it is for and chooses the space)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from ..runtime.lazy import numpy as np

from .outcomes import OutcomeSpace
from .preferences import Constraint, Preferences

if TYPE_CHECKING:
    from .bargaining import Bargaining
    from .tactics import Ranking, Tactic, View


@dataclass(frozen=True, eq=False)
class Position:
    """One party's preferences as a space computes with them.

    ``utility[outcome]`` and ``allowed[outcome]`` work on any outcome (arrays
    over the enumerated space, per-clause lookups over a large one); ``best``
    is the utility of its best allowed outcome. ``masked`` and ``ranking``
    (its outcomes ranked, see :class:`~negotiation.domain.tactics.Ranking`)
    exist where the outcomes are enumerated, else None. A position belongs to
    one party: its ranking remembers that party's last choice."""

    preferences: Preferences
    utility: Any
    allowed: Any
    best: float
    masked: np.ndarray | None = None

    @property
    def ranking(self) -> Ranking | None:
        return None


class Estimate(Protocol):
    """An opponent model's estimate of one opponent (``engine/opponents.py``)."""

    def utility(self) -> np.ndarray: ...  # over every outcome

    def tables(self) -> list[np.ndarray]: ...  # clause by clause


Floored = tuple[Position, float]  # a party's position and its floor today (its reservation value, or more)


@dataclass(frozen=True)
class Rule:
    """What one party rules out: hard constraints or a ratifier's requirements,
    clause by clause; or ``mask``, a rule over several clauses (a voting
    body's approval, links), which only the enumerated space applies (links
    are refused above it)."""

    constraints: tuple[Constraint, ...] = ()
    mask: Callable[[OutcomeSpace], np.ndarray] | None = None


@dataclass(frozen=True)
class Problem:
    """A bargaining problem as the scenario states it: the parties holding
    preferences, and the rules that rule outcomes out, by who holds them
    (``links`` for links), in the scenario's order."""

    parties: tuple[str, ...]
    preferences: tuple[Preferences, ...]
    rules: tuple[tuple[str, Rule], ...] = ()

    @property
    def reservations(self) -> np.ndarray:
        return np.array([p.reservation for p in self.preferences])


@dataclass(frozen=True, eq=False)
class Analysis:
    """The frontier and the bargaining points of a :class:`Problem`, as outcome
    indices with their utilities.

    ``utilities[outcome]`` is every party's utility of any outcome of the
    space; ``pareto`` and ``rational_pareto`` list outcomes (one per utility
    vector where the space is searched clause by clause), ``frontier`` their
    utilities; ``points`` maps each solution to its outcome (None: no
    allowed outcome is rational). Optional parts are None where the space
    does not give them: ``ruled_out`` (outcomes each party rules out),
    ``best`` (each party's best allowed outcome), ``searched`` (how the
    frontier was found, when not by listing every outcome), ``exhaustive``
    (the analysis of every outcome, for drawing them all)."""

    space: OutcomeSpace
    parties: tuple[str, ...]
    reservations: np.ndarray
    allowed: int
    pareto: np.ndarray
    rational_pareto: np.ndarray
    frontier: np.ndarray
    points: dict[str, int | None]
    utilities: Any
    ruled_out: dict[str, int] | None = None
    best: dict[str, int | None] | None = None
    searched: str | None = None
    exhaustive: Bargaining | None = field(default=None, repr=False)

    @property
    def nash(self) -> int | None:
        return self.points["nash"]

    @property
    def kalai_smorodinsky(self) -> int | None:
        return self.points["kalai_smorodinsky"]

    @property
    def utilitarian(self) -> int | None:
        return self.points["utilitarian"]

    @property
    def egalitarian(self) -> int | None:
        return self.points["egalitarian"]

    def distances(self, utilities: Any) -> dict[str, float | None]:
        """Euclidean distance from a utility vector to the frontier and to each point."""
        from .bargaining import distance_to_set

        u = np.asarray(utilities, dtype=np.float64)
        out: dict[str, float | None] = {"frontier": float(distance_to_set(u, self.frontier)[0])}
        for name, index in self.points.items():
            out[name] = None if index is None else float(np.linalg.norm(u - self.utilities[index]))
        return out


class Space(Protocol):
    """What every outcome space answers (see the module's docstring)."""

    outcomes: OutcomeSpace

    def position(self, preferences: Preferences, before: Position | None = None) -> Position:
        """The party's position; ``before`` (its previous one) is reused where the preferences agree."""

    def unplayable(self, strategy: str, tactic: Tactic) -> str | None:
        """Why a party with this strategy cannot bargain over this space, or None."""

    def belief(self, me: Position, known: Sequence[Position] | None, estimates: Sequence[Estimate]) -> Any:
        """What an offer searches, from what the offerer believes of its opponents:
        their positions (``known``: complete information) or its estimates."""

    def offer(self, tactic: Tactic, view: View, me: Position, belief: Any, floor: float,
              rng: np.random.Generator) -> int:
        """The outcome it offers: among those worth at least the tactic's target, the best for its opponents."""

    def hope(self, me: Position, others: Sequence[Floored]) -> float:
        """The most it can get: the best outcome it allows that ``others`` (known opponents) accept today."""

    def hopeless(self, me: Position, floor: float, others: Sequence[Floored], belief: Callable[[], Any],
                 hint: dict[str, Any]) -> bool:
        """No outcome it allows (and ``others`` accept) is worth its floor. ``hint``
        is the caller's slot for what made the last answer quick."""

    def analyse(self, problem: Problem) -> Analysis:
        """The frontier and the points over the outcomes no party rules out."""
