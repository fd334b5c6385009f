"""Who plays each role: the engine's registry from a role to its Mesa agents.

A role module (``roles/``) declares what a party of that role is: its keys,
how it is built and checked, what the log's header and ``negotiation
validate`` say about it. Which Mesa agents act for it in a run is the
engine's business, so it is decided here, role name → a function that adds
the party's agents to a model; dated agents schedule their own calendar
events. Keeping the agents out of ``roles/`` is what lets the imports run one
way (roles ← engine): a role never names the engine, and reading a scenario
never imports Mesa.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..domain.deadlines import effect_size
from ..domain.llm import LlmSpec
from ..domain.parties import Party
from ..roles import ROLES
from .agents import Bargainer, ConditionCheck, DatedEffect, Disclosure, Ratifier
from .ratification import Body

if TYPE_CHECKING:
    from ..roles.deadline import DeadlineParty
    from ..roles.investor import InvestorParty
    from ..roles.ratifier import RatifierParty


def bargainer(model: Any, party: Party) -> None:
    """One agent, whatever the outcome space (``model.outcomes``, which may
    refuse its strategy: ``Space.unplayable``)."""
    if isinstance(party.strategy, LlmSpec):  # a language model plays it (engine/llm_party.py)
        from .llm_party import LlmBargainer

        LlmBargainer(model, party)
        return
    Bargainer(model, party)


def drawn(model: Any, party: DeadlineParty) -> dt.date:
    """The run's date: the one date, or a day of the range drawn from the run's
    seed and the deadline's name (its own stream: the bargainers' draws are
    untouched)."""
    import numpy as np

    assert party.first is not None and party.last is not None
    span = (party.last - party.first).days
    if span == 0:
        return party.first
    rng = np.random.default_rng([int(model.seed) % 2**63, zlib.crc32(party.name.encode())])
    return party.first + dt.timedelta(days=int(rng.integers(0, span + 1)))


def deadline(model: Any, party: DeadlineParty) -> None:
    day = drawn(model, party)
    fired = [DatedEffect(model, party.name, "deadline", day + dt.timedelta(days=1), target, cost,
                         lambda t, cost=cost: f"{party.name} ({day}) passed without a definitive agreement; the "
                                              f"talks go on; {t.name}: {cost.describe()}")
             for target, cost in party.costs]
    model.costly_deadlines[party.name] = (day, fired)
    for target, cost in party.costs:
        model.soft_deadlines.setdefault(target, []).append((party.planned(), lambda cost=cost: effect_size(cost)))


def investor(model: Any, party: InvestorParty) -> None:
    assert party.commits_on is not None and party.condition_date is not None
    condition = party.condition_date
    steps = [DatedEffect(model, party.name, "investor", party.commits_on, party.backs, party.effect,
                         lambda target: (f"{party.name} commits {party.amount_usd_bn:g} bn USD to {target.name} if a "
                                         f"definitive deal is done by {condition}; {target.name}: "
                                         f"{party.effect.describe()}"))]
    for step in party.tranches:
        steps.append(DatedEffect(model, party.name, "investor", step.on, party.backs, step.effect,
                                 lambda target, step=step: (f"{party.name}: {step.amount_usd_bn:g} bn USD step on "
                                                            f"condition of a deal by {condition}; {target.name}: "
                                                            f"{step.effect.describe()}")))
    ConditionCheck(model, party.name, condition, party.backs, steps, party.if_missed)


def ratifier(model: Any, party: RatifierParty) -> None:
    (Body if party.members else Ratifier)(model, party)
    for clause, day in party.public:
        constraint = next(c for c in party.requires if c.clause == clause)
        Disclosure(model, party.name, day, constraint)


AGENTS: dict[str, Callable[[Any, Any], None]] = {
    "bargainer": bargainer, "deadline": deadline, "investor": investor, "ratifier": ratifier,
}  # a role not listed here is played from its declared dated effects (Role.dated)


def add_agents(model: Any, party: Party) -> None:
    """The party's agents: by its role's entry in :data:`AGENTS`, else one
    ``DatedEffect`` per dated effect its role declares (``Role.dated``)."""
    play = AGENTS.get(party.role)
    if play is not None:
        play(model, party)
        return
    role = ROLES[party.role]
    if role.dated is None:
        raise LookupError(f"role {party.role!r} declares no dated effects and has no agents in engine/cast.py")
    for step in role.dated(party):
        DatedEffect(model, party.name, step.kind, step.on, step.target, step.effect,
                    lambda target, step=step: step.says(target.name))
