"""The outcome space: every complete agreement, one option per clause.

Outcomes are numbered in C order (the last clause varies fastest), the order
``numpy.indices`` and ``numpy.ravel_multi_index`` use, so an outcome *is* its
integer index and an offer is an index into each party's utility array
(NegMAS calls this the enumerated ``OutcomeSpace``; GENIUS the domain).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from ..runtime.lazy import numpy as np

Option = str | int | float


def same_option(a: Any, b: Any) -> bool:
    """Whether two options are the same: numbers compare by value (0.2 and
    0.20, 1 and 1.0 are one option), but a string never equals a number
    (``"1"`` is not ``1``), since YAML keeps them apart."""
    return a == b and isinstance(a, str) == isinstance(b, str)


def option_label(option: Any) -> str:
    """An option (or any swept value) as text: floats in their shortest form
    (``0.3``, not ``0.30000000000000004``), everything else as written."""
    return f"{option:g}" if isinstance(option, float) else str(option)


@dataclass(frozen=True)
class Clause:
    """A contract term with discrete options (NegMAS/GENIUS: an *issue*).

    ``ordered`` says the options are listed in a meaningful order (numbers
    ascending, or e.g. a horizon from short to long): comparisons with the
    real deal then report a distance in steps, and ``increasing`` /
    ``decreasing`` valuations are allowed. ``status_quo`` is the pre-deal
    option, what holds if no deal is reached (one of ``options``; None when
    the scenario does not say): the reference point of a status-quo baseline
    and of loss aversion (Kahneman & Tversky 1991).
    """

    name: str
    options: tuple[Option, ...]
    ordered: bool = False
    because: tuple[str, ...] = ()
    status_quo: Option | None = None

    def index(self, option: Any) -> int:
        """Position of ``option`` (numbers compare by value: 0.2 == 0.20)."""
        for i, candidate in enumerate(self.options):
            if same_option(candidate, option):
                return i
        raise ValueError(f"{option!r} is not an option of {self.name}")


@dataclass(frozen=True, eq=False)
class OutcomeSpace:
    """The Cartesian product of the clauses' options."""

    clauses: tuple[Clause, ...]

    @staticmethod
    def of(clauses: tuple[Clause, ...]) -> OutcomeSpace:
        """The one space of these clauses in this process: every run of an
        experiment plays the same clauses, and what is cached on the space
        (shape, strides, the option grid) and keyed by it (``domain/shared``)
        is then computed once."""
        return _space_of(clauses)

    @cached_property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(c.options) for c in self.clauses)

    @cached_property
    def size(self) -> int:
        """Number of outcomes, as a Python int (numpy's int64 product would
        wrap around past 9.2e18)."""
        return math.prod(self.shape)

    @cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.clauses)

    @cached_property
    def strides(self) -> tuple[int, ...]:
        """Outcomes between consecutive options of each clause (C order: the last clause varies fastest)."""
        return tuple(math.prod(self.shape[i + 1:]) for i in range(len(self.shape)))

    @cached_property
    def grid(self) -> np.ndarray:
        """``(n_outcomes, n_clauses)`` option indices, enumerated once.

        Utilities do not need it (they broadcast per clause, see
        ``preferences.utility``); opponent models and analysis do.
        """
        dtype = np.int8 if max(self.shape, default=1) < 128 else np.int32
        return np.indices(self.shape, dtype=dtype).reshape(len(self.shape), -1).T

    def index_of(self, option_indices: tuple[int, ...] | list[int]) -> int:
        """The outcome's number (``numpy.ravel_multi_index`` in plain integers: called once an offer)."""
        if len(option_indices) != len(self.shape):
            raise ValueError(f"{len(self.shape)} option indices expected, got {len(option_indices)}")
        index = 0
        for i, n, stride in zip(option_indices, self.shape, self.strides):
            i = int(i)
            if not 0 <= i < n:
                raise ValueError(f"option index {i} out of range 0..{n - 1}")
            index += i * stride
        return index

    def option_indices(self, outcome: int) -> tuple[int, ...]:
        """Each clause's option in ``outcome`` (``numpy.unravel_index`` in plain integers)."""
        outcome = int(outcome)
        if not 0 <= outcome < self.size:
            raise ValueError(f"outcome {outcome} out of range 0..{self.size - 1}")
        return tuple((outcome // stride) % n for n, stride in zip(self.shape, self.strides))

    def as_dict(self, outcome: int) -> dict[str, Option]:
        """An outcome by clause name, as the log and the reports write it (a
        fresh dict each call; the pairs are kept, since a negotiation writes the
        same few offers round after round)."""
        return dict(_named(self, outcome))

    def from_dict(self, by_name: dict[str, Any]) -> int:
        return self.index_of([c.index(by_name[c.name]) for c in self.clauses])

    def broadcast(self, per_clause: list[np.ndarray], combine: Any) -> np.ndarray:
        """Combine one vector per clause over the whole space without a grid:
        the vectors are folded with the outer form of ``combine`` (a ufunc:
        ``np.add`` for additive utilities, ``np.logical_and`` for
        constraints), so vector ``c`` lies along axis ``c``, then flattened in
        C order."""
        vectors = [np.asarray(v).reshape(-1) for v in per_clause]
        if not vectors:
            return np.broadcast_to(np.asarray(combine.identity), (1,))
        result = vectors[0]
        for vector in vectors[1:]:  # clause by clause: the same sums, in the same order, as broadcasting
            if result.size < COLUMNS_FROM:
                result = combine.outer(result, vector).reshape(-1)
                continue
            # a few options after many outcomes: one long pass per option beats an outer product whose
            # innermost loop is a handful of elements long (the same values, written column by column)
            table = np.empty((result.size, vector.size), dtype=np.result_type(result, vector))
            for j, option in enumerate(vector):
                combine(result, option, out=table[:, j])
            result = table.reshape(-1)
        return result


COLUMNS_FROM = 4_096  # partial folds at least this long are extended an option (a column) at a time


@lru_cache(maxsize=65_536)
def _named(space: OutcomeSpace, outcome: int) -> tuple[tuple[str, Option], ...]:
    return tuple((c.name, c.options[i]) for c, i in zip(space.clauses, space.option_indices(outcome)))


@lru_cache(maxsize=16)
def _space_of(clauses: tuple[Clause, ...]) -> OutcomeSpace:
    return OutcomeSpace(clauses)


# -- how large a space may be (the loader checks these; domain/spaces.py picks the search) --

ENUMERATION_LIMIT = 10_000_000  # above it, bargainers search clause by clause (fixed: logs must not depend on the machine)
INDEX_LIMIT = 2**63 - 1  # outcome indices are int64


def searched_clausewise(space: OutcomeSpace) -> bool:
    """True when the space is above :data:`ENUMERATION_LIMIT`."""
    return math.prod(space.shape) > ENUMERATION_LIMIT


def unsupported(shape: tuple[int, ...], n_bargainers: int) -> str | None:
    """Why a space above the enumeration limit cannot be searched clause by clause, if it cannot."""
    size = math.prod(shape)
    if size > INDEX_LIMIT:
        return (f"at most {INDEX_LIMIT:,} outcomes expected (outcome numbers are 64-bit integers); these clauses "
                f"make {size:,} outcomes: drop clauses or options")
    if n_bargainers != 2:
        return (f"two bargainers expected for an outcome space of {size:,} outcomes (above the "
                f"{ENUMERATION_LIMIT:,} that are enumerated, offers are searched clause by clause, for two "
                f"bargainers); this scenario has {n_bargainers}: drop clauses or options, or bargainers")
    return None
