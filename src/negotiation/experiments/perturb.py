"""Noisy preferences for Monte Carlo: the same scenario, with every estimate
of what a party wants shaken a little.

Each number a scenario gives about a party's preferences (clause weights,
option values, the reservation value) is an analyst's estimate. A Monte
Carlo run multiplies each of them by its own lognormal factor
``exp(σ·Z)``, ``Z ~ N(0, 1)``: the factor is always positive and its median
is 1, so σ = 0.2 means "each estimate is typically off by about ±20 %"
and a zero stays a zero. Then the GENIUS conventions are restored (Lin et
al. 2014): weights are re-normalised to sum to 1 and each clause's option
values are divided by their largest, so utilities stay in [0, 1];
reservation values are clipped to [0, 1].

Noise changes *how much* a party cares, never *what it prefers*: within a
clause the perturbed option values are put back in the rank order of the
original ones (a party paid by revenue share still prefers a larger
share), and a reservation value is clipped to the valid range. Events that
later move a reservation value are not perturbed.

Everything here is a pure function of a frozen Scenario and a numpy
Generator, so a run's perturbation follows from its seed alone.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..engine.record import DIGITS
from ..domain.preferences import Preferences, normalise_values, normalise_weights
from ..domain.scenario import Scenario

NOISE_STREAM = 0x5EED_0F_D1CE  # mixes into a run's seed so noise and the model draw from separate streams


def noise_rng(run_seed: int) -> np.random.Generator:
    """The Generator a run's preference noise comes from: a function of the
    run seed alone, independent of the stream the model itself uses."""
    return np.random.default_rng([run_seed, NOISE_STREAM])


def factors(rng: np.random.Generator, sigma: float, n: int) -> np.ndarray:
    """``n`` lognormal multiplicative factors with median 1."""
    return np.exp(sigma * rng.standard_normal(n))


def keep_rank(original: np.ndarray, perturbed: np.ndarray) -> np.ndarray:
    """The perturbed values, re-sorted so they rank as the original ones do
    (ties in the original keep their listed order)."""
    order = np.argsort(original, kind="stable")
    out = np.empty_like(perturbed)
    out[order] = np.sort(perturbed, kind="stable")
    return out


def perturb_preferences(prefs: Preferences, sigma: float, rng: np.random.Generator) -> Preferences:
    """One draw of noisy preferences (see the module docstring for the rule).

    The factors are drawn in one call, in the order weights, each clause's
    values (scenario order), reservation: the same numbers one call per
    group would give, since a Generator's normals come off one stream."""
    clauses = list(prefs.weights)
    originals = [np.asarray(prefs.values[clause], dtype=float) for clause in prefs.values]
    drawn = factors(rng, sigma, len(clauses) + sum(o.size for o in originals) + 1)
    w = np.array([prefs.weights[c] for c in clauses], dtype=float) * drawn[:len(clauses)]
    weights = normalise_weights({c: float(x) for c, x in zip(clauses, w)})
    values, at = {}, len(clauses)
    for clause, original in zip(prefs.values, originals):
        noisy = keep_rank(original, original * drawn[at:at + original.size])
        at += original.size
        values[clause] = normalise_values(tuple(noisy.tolist())) if noisy.max() > 0 else prefs.values[clause]
    reservation = float(np.clip(prefs.reservation * drawn[at], 0.0, 1.0))
    return replace(prefs, weights=weights, values=values, reservation=round(reservation, DIGITS))


def perturb(scenario: Scenario, sigma: float, rng: np.random.Generator) -> Scenario:
    """The scenario with every party that holds preferences perturbed, in
    the scenario's party order. ``sigma == 0`` returns it unchanged."""
    if sigma <= 0:
        return scenario
    parties = []
    for party in scenario.parties:
        prefs = party.preferences
        if prefs is None:  # ratifiers, investors, outside options
            parties.append(party)
        else:
            parties.append(replace(party, preferences=perturb_preferences(prefs, sigma, rng)))
    return replace(scenario, parties=tuple(parties))
