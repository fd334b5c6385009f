"""Shared stakes: a bargainer that bears a share of another's fortunes.

A party may own part of another (Microsoft held a large share of OpenAI):
when the other's alternative gains or loses by a dated cost or investor
money (an investor's money committed or withdrawn, a soft deadline's cost,
a costly-continuation deadline's; not an outside offer), the holder's
alternative moves by its stated share (``apply_and_log`` in ``agents.py``),
and the other's soft deadlines are the holder's too, with that share of
their stakes (``domain/deadlines.py``): OpenAI losing SoftBank's conditional
money costs Microsoft as well. The share is in the holder's own utility (its
stake in the other times the ratio of their money scales), as the scenario
derives it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .agents import Bargainer
    from .model import NegotiationModel


def share_stakes(model: NegotiationModel) -> dict[str, list[tuple[Bargainer, float]]]:
    """Who holds a share of whom (party → [(holder, share)]); adds to each
    holder the other's soft deadlines, their stakes scaled by its share."""
    holders: dict[str, list[tuple[Bargainer, float]]] = {}
    own = {name: list(items) for name, items in model.soft_deadlines.items()}  # before any is shared
    for b in model.bargainers:
        for other, share in b.party.shared_stakes:
            holders.setdefault(other, []).append((b, share))
            for on, at_risk in own.get(other, []):
                model.soft_deadlines.setdefault(b.name, []).append((on, _scaled(at_risk, share)))
    return holders


def _scaled(at_risk: Callable[[], float], share: float) -> Callable[[], float]:
    return lambda: share * at_risk()
