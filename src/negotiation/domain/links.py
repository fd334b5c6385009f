"""Constraints that link clauses: what no contract can say, whoever offers it.

A party's constraints rule out options of one clause. Some rules tie clauses
together, whoever holds them: a package is split into parts that must add
up (grants + loans = the total agreed), or one option of a clause rules out
one of another (a clause that ends exclusivity excludes an exclusive API).
They are the scenario's, not a party's: an outcome that breaks a link is not
a contract anyone can offer, accept or sign, so the link is part of every
bargainer's allowed mask (``preferences.allowed``), and of the outcome space
the analysis and the baselines search.

Two kinds, each one numpy mask over the whole outcome space, built clause by
clause with :meth:`OutcomeSpace.broadcast` (no loop over outcomes):

- :class:`SumLink`: Σ_c option value of clause c (numeric clauses), compared
  with a number (``==``, ``<=`` or ``>=``; equality within 1e-9 of the
  total's scale, so 0.1 + 0.2 equals 0.3);
- :class:`ExcludeLink`: the options listed for every named clause cannot
  occur together (``{x: [a], y: [b]}``: option a of x excludes option b of y).

Links need the enumerated space: the clause-by-clause search of
``clausewise.py`` relies on the allowed set being a product of per-clause
sets (its Pareto programme keeps partial outcomes clause by clause), which a
link breaks; a scenario with links above the enumeration limit is refused
when it is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..runtime.lazy import numpy as np

from .outcomes import OutcomeSpace

TOLERANCE = 1e-9
COMPARISONS = {"==": "equals", "<=": "at_most", ">=": "at_least"}


@dataclass(frozen=True)
class Link:
    """A rule over several clauses; ``text`` as logs and messages show it."""

    kind: ClassVar[str] = ""

    def mask(self, space: OutcomeSpace) -> np.ndarray:
        raise NotImplementedError

    @property
    def text(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True)
class SumLink(Link):
    """``Σ values of clauses (op) total``: the clauses' option values as numbers."""

    kind: ClassVar[str] = "sum"
    clauses: tuple[str, ...]
    op: str  # one of COMPARISONS
    total: float

    def mask(self, space: OutcomeSpace) -> np.ndarray:
        per_clause = [np.asarray([float(o) for o in c.options]) if c.name in self.clauses
                      else np.zeros(len(c.options)) for c in space.clauses]
        sums = space.broadcast(per_clause, np.add)
        slack = TOLERANCE * max(1.0, abs(self.total))
        if self.op == "==":
            return np.abs(sums - self.total) <= slack
        if self.op == "<=":
            return sums <= self.total + slack
        return sums >= self.total - slack

    @property
    def text(self) -> str:
        return f"{' + '.join(self.clauses)} {self.op} {self.total:g}"


@dataclass(frozen=True)
class ExcludeLink(Link):
    """The listed options of every named clause never occur together."""

    kind: ClassVar[str] = "exclude"
    options: tuple[tuple[str, tuple[bool, ...]], ...]  # clause → which of its options are in the combination
    labels: tuple[tuple[str, tuple[str, ...]], ...]  # clause → those options as written

    def mask(self, space: OutcomeSpace) -> np.ndarray:
        chosen = dict(self.options)
        per_clause = [np.asarray(chosen[c.name], dtype=bool) if c.name in chosen
                      else np.ones(len(c.options), dtype=bool) for c in space.clauses]
        return ~space.broadcast(per_clause, np.logical_and)

    @property
    def text(self) -> str:
        parts = [f"{clause} in {{{', '.join(names)}}}" for clause, names in self.labels]
        return "not both " + " and ".join(parts) if len(parts) == 2 else "not all of " + ", ".join(parts)


def links_mask(links: tuple[Link, ...], space: OutcomeSpace) -> np.ndarray:
    """The outcomes every link allows (all of them when there is none)."""
    mask = np.ones(space.size, dtype=bool)
    for link in links:
        mask &= link.mask(space)
    return mask
