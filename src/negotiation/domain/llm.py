"""A language-model bargainer's strategy, as frozen data (issue 24).

``strategy: {name: llm, model: NAME, base_url: URL, fallback: {...},
retries: 2, timeout: 60, limits: {calls: N, tokens: N, seconds: S}}`` is read
into an :class:`LlmSpec`: which chat-completions endpoint plays the party,
how many times a bad answer is asked again before the ``fallback`` tactic
plays that turn, and what one run may spend. The key is never part of it:
it is read from the environment when a call is made (``llm/client.py``).

An ``LlmSpec`` is a :class:`StrategySpec` whose tactic and acceptance
conditions are the fallback's: a bargainer built from it offers and answers
as the fallback does whenever the model does not (``engine/llm_party.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .acceptance import Acceptance
from .parties import StrategySpec
from .tactics import Tactic


@dataclass(frozen=True)
class LlmLimits:
    """What one run may spend on one language-model party; None: no limit.
    ``seconds`` counts time waiting on the endpoint (a cached answer costs
    none), ``calls`` and ``tokens`` count every exchange, cached or not, so a
    replay from the cache stops where the first run stopped."""

    calls: int | None = None
    tokens: int | None = None
    seconds: float | None = None


@dataclass(frozen=True)
class LlmSpec(StrategySpec):
    """A party played by a chat-completions model, with a fallback tactic."""

    model: str = ""
    base_url: str = ""
    fallback: StrategySpec = field(default_factory=lambda: StrategySpec("boulware", (("e", 0.3), ("k", 0.0))))
    retries: int = 2
    timeout: float = 60.0
    limits: LlmLimits = field(default_factory=LlmLimits)

    def build(self) -> tuple[Tactic, list[Acceptance]]:
        return self.fallback.build()
