"""What a language-model party is told each turn, and what it may answer.

The prompt is made from a :class:`Situation`, which the engine fills from
what the party knows that day and nothing else (``engine/llm_party.py``):
its name and role, its priorities and options in words, its reservation
value, its deal-breakers, today's date, the deadlines it knows, the events
that have happened to it and the offers so far. The scenario's description,
its facts and the real deal never enter a ``Situation``, so no prompt can
hold a later fact or the real terms (``tests/test_llm.py`` checks the
default scenario's prompts against its real deal and facts).

The answer is JSON matching :func:`answer_schema` (sent as ``response_format``
with ``json_schema``, the structured outputs of OpenAI's chat completions,
https://platform.openai.com/docs/guides/structured-outputs, which Ollama,
vLLM and llama.cpp's server also read), and is checked here whatever the
endpoint did with the schema: :func:`parse` returns a :class:`Decision` or
raises :class:`Invalid` saying what is wrong, which the next attempt is told.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from ..domain.outcomes import option_label

MESSAGE_CHARS = 200  # a one-line message is cut to this many characters


@dataclass(frozen=True)
class ClauseView:
    """One clause as the party sees it: its weight and each option's value to it."""

    name: str
    weight: float
    options: tuple[str, ...]  # labels, as in the log
    values: tuple[float, ...]  # 0 (worst) to 1 (best) for this party
    status_quo: str | None = None


@dataclass(frozen=True)
class OfferView:
    """An offer made so far: when, by whom, its terms, and its utility to the party."""

    round: int
    date: str
    by: str
    terms: tuple[tuple[str, str], ...]
    utility: float


@dataclass(frozen=True)
class Situation:
    """Everything one turn's prompt is made of (see the module docstring)."""

    party: str
    others: tuple[str, ...]
    turn: str  # "answer": an offer is on the table; "offer": its turn to propose
    date: str
    round: int
    clauses: tuple[ClauseView, ...]
    reservation: float
    deal_breakers: tuple[str, ...]
    deadlines: tuple[str, ...]
    events: tuple[str, ...]
    offers: tuple[OfferView, ...]  # oldest first; the last few
    earlier: int  # offers made before those listed
    on_table: OfferView | None = None
    delay: str | None = None  # what waiting costs it (a cost of delay), in words
    floor: float | None = None  # with a cost of delay: what a deal today must be worth to it

    def actions(self) -> tuple[str, ...]:
        return ("accept", "offer", "walk_away") if self.turn == "answer" else ("offer", "walk_away")


@dataclass(frozen=True)
class Decision:
    action: str  # accept | offer | walk_away
    terms: tuple[tuple[str, str], ...] | None  # option labels by clause, for an offer
    message: str


class Invalid(ValueError):
    """An answer that cannot be played: its text says why."""


SYSTEM = ("You negotiate on behalf of one party in a multi-issue negotiation. Each turn you answer with one JSON "
          "object and nothing else: {\"action\": one of the actions allowed this turn, \"offer\": the terms you "
          "propose (one option for every clause, by its exact name) or null, \"message\": one short sentence to "
          "the other side}. An offer must use the listed options, respect your deal-breakers and be worth at "
          "least your reservation value to you; accept only an offer worth at least your reservation value.")


def _terms(terms: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f"{c}={o}" for c, o in terms)


def user_text(s: Situation) -> str:
    """The turn's user message: plain sections a reader (and a scripted stub) can follow."""
    lines = [f"You are {s.party}, a bargainer negotiating with {', '.join(s.others)}.",
             f"Today is {s.date} (round {s.round}).", "",
             "Your priorities (weight: share of what you care about) and the value to you of each option "
             "(1 best, 0 worst):"]
    for c in s.clauses:
        options = ", ".join(f"{o} = {v:.3f}" + (" (status quo)" if o == c.status_quo else "")
                            for o, v in zip(c.options, c.values))
        lines.append(f"- {c.name} (weight {c.weight:.3f}): {options}")
    lines += ["", "A deal's value to you is the sum over clauses of weight × option value.",
              f"Your reservation value (what no deal is worth to you): {s.reservation:.3f}. Never agree to less."]
    if s.delay is not None and s.floor is not None:
        lines.append(f"Waiting costs you ({s.delay}): a deal today must be worth at least {s.floor:.3f} to you.")
    lines += [f"Deal-breaker: {d}" for d in s.deal_breakers]
    lines += [f"Deadline: {d}" for d in s.deadlines]
    if s.events:
        lines += ["", "What has happened so far:", *(f"- {e}" for e in s.events)]
    lines += ["", "Offers so far (oldest first):" if s.offers else "No offers yet."]
    if s.earlier:
        lines.append(f"({s.earlier} earlier offers not shown)")
    lines += [f"- round {o.round} ({o.date}), {o.by}: {_terms(o.terms)} (value to you {o.utility:.3f})"
              for o in s.offers]
    lines.append("")
    if s.on_table is not None:
        lines.append(f"On the table now: {s.on_table.by}'s offer {_terms(s.on_table.terms)}, worth "
                     f"{s.on_table.utility:.3f} to you. Answer with accept, with a counter-offer (action offer), "
                     f"or walk_away.")
    else:
        lines.append("It is your turn to make an offer (action offer), or walk_away.")
    return "\n".join(lines)


def messages(s: Situation) -> list[dict[str, str]]:
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user_text(s)}]


def answer_schema(s: Situation) -> dict[str, object]:
    """The JSON Schema of this turn's answer (strict: every key required, none other)."""
    offer = {"type": "object", "additionalProperties": False, "required": [c.name for c in s.clauses],
             "properties": {c.name: {"type": "string", "enum": list(c.options)} for c in s.clauses}}
    return {"type": "object", "additionalProperties": False, "required": ["action", "offer", "message"],
            "properties": {"action": {"type": "string", "enum": list(s.actions())},
                           "offer": {"anyOf": [offer, {"type": "null"}]},
                           "message": {"type": "string"}}}


def response_format(s: Situation) -> dict[str, object]:
    return {"type": "json_schema", "json_schema": {"name": "negotiation_turn", "strict": True,
                                                   "schema": answer_schema(s)}}


def parse(content: str, s: Situation) -> Decision:
    """The answer's decision, or :class:`Invalid` saying what is wrong with
    it: not JSON, an action not allowed this turn, a clause or option not
    listed. Whether an offer is worth the reservation value, and allowed by
    the deal-breakers, is the caller's check (it holds the utilities)."""
    text = content.strip()
    if text.startswith("```"):  # a fenced block, as some local models answer despite the schema
        text = text.strip("`").removeprefix("json").strip()
    try:
        answer = json.loads(text)
    except ValueError:
        raise Invalid(f"not JSON: {one_line(content, 60)!r}") from None
    if not isinstance(answer, dict):
        raise Invalid("a JSON object expected")
    action = answer.get("action")
    if action not in s.actions():
        raise Invalid(f"action must be one of {', '.join(s.actions())}; got {action!r}")
    message = one_line(str(answer.get("message") or ""), MESSAGE_CHARS)
    if action != "offer":
        return Decision(action, None, message)
    offer = answer.get("offer")
    if not isinstance(offer, dict):
        raise Invalid("an offer (one option for every clause) expected with action offer")
    terms = []
    for c in s.clauses:
        given = offer.get(c.name)
        label = option_label(given) if isinstance(given, int | float) and not isinstance(given, bool) else given
        if label not in c.options:
            raise Invalid(f"{c.name}: one of {', '.join(c.options)} expected, got {given!r}")
        terms.append((c.name, label))
    unknown = sorted(set(offer) - {c.name for c in s.clauses})
    if unknown:
        raise Invalid(f"unknown clause {unknown[0]!r}")
    return Decision("offer", tuple(terms), message)


def one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
