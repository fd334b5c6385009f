"""A bargainer played by a language model (``strategy: {name: llm, …}``, issue 24).

Each turn it builds a :class:`~negotiation.llm.prompt.Situation` from what
it knows that day (its preferences, reservation value, deal-breakers and
deadlines, the events that have reached it and the offers so far: the log
up to now, never the scenario's description, facts or real deal) and asks
the model. Two kinds of turn, as the protocol (``model.py``) calls them:

- *answer*: an individually rational offer is on the table; the model
  accepts it, makes a counter-offer or walks away. A counter-offer (or a
  walk-away) is played at its next proposal if nothing changed meanwhile
  (the same day and preferences); otherwise the model is asked again;
- *offer*: its turn to propose; the model offers or walks away (the
  protocol then ends the run in a breakdown, naming it).

An answer that is not valid JSON of the turn's schema, names an option or
clause not listed, breaks a deal-breaker or is worth less than its
reservation value is asked again, telling the model what was wrong, up to
``retries`` times; then the fallback tactic (``fallback:``, whose tactic and
acceptance conditions this agent holds as any bargainer does) plays the
turn. Every exchange and every fallback is an ``llm`` record in the log
(docs/architecture.md): the model's name, the request's SHA-256 (the cache
key), the attempt, the status, the action, the one-line message, the
problem and the tokens; no wall-clock time and never the key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..domain.llm import LlmSpec
from ..domain.outcomes import option_label
from ..domain.parties import Party
from ..domain.tactics import EPS
from ..llm import LlmError
from ..llm.client import Endpoint, Reply, request_hash
from ..llm.prompt import ClauseView, Decision, Invalid, OfferView, Situation, messages, parse, response_format
from ..llm.session import CURRENT
from .agents import Bargainer

if TYPE_CHECKING:
    from .model import NegotiationModel

SHOWN_OFFERS = 12  # the prompt lists the last offers only (and says how many came before)
SHOWN_EVENTS = 10


class LlmBargainer(Bargainer):
    """A bargainer whose offers and answers come from a chat-completions model."""

    def __init__(self, model: NegotiationModel, party: Party) -> None:
        super().__init__(model, party)
        assert isinstance(party.strategy, LlmSpec)
        self.spec: LlmSpec = party.strategy
        self.endpoint = Endpoint(self.spec.base_url, self.spec.timeout, CURRENT.get())
        self.pending: tuple[int, Decision] | None = None  # (the model's moment, a decision made when answering)
        self.walked: str | None = None  # why it walked away, read by the protocol
        self.spent = {"calls": 0, "tokens": 0, "seconds": 0.0}

    # -- the protocol's two calls ------------------------------------------------------
    def propose(self) -> int | None:  # type: ignore[override]
        held, self.pending = self.pending, None
        decision = held[1] if held is not None and held[0] == self.model.memo.moment else self.decide(None)
        if decision is None:  # the fallback tactic plays this turn
            return super().propose()
        if decision.action == "walk_away":
            said = f": “{decision.message}”" if decision.message else ""
            self.walked = f"{self.name} walks away (its language model's decision{said})"
            return None
        assert decision.terms is not None
        offer = self.outcome(decision.terms)
        self.own_offers.append(offer)
        return offer

    def conditions_accept(self, offer: int) -> bool:
        decision = self.decide(offer)
        if decision is None:
            return super().conditions_accept(offer)
        if decision.action == "accept":
            return True
        self.pending = (self.model.memo.moment, decision)
        return False

    # -- asking the model ---------------------------------------------------------------
    def decide(self, offer: int | None) -> Decision | None:
        """The model's decision for this turn, or None when every attempt failed (logged)."""
        situation = self.situation(offer)
        chat, fmt, key = messages(situation), response_format(situation), ""
        turn = situation.turn
        for attempt in range(1, self.spec.retries + 2):
            request = {"model": self.spec.model, "messages": chat, "response_format": fmt, "seed": self.model.seed}
            key = request_hash(request)
            reply = self.ask(request)
            try:
                decision = self.check(parse(reply.content or "", situation), offer)
            except Invalid as exc:
                self.note(key, turn, attempt, "invalid", None, None, str(exc), reply.tokens)
                chat = [*chat, {"role": "assistant", "content": reply.content or ""},
                        {"role": "user", "content": f"That answer cannot be played: {exc}. Answer again with one "
                                                    f"JSON object."}]
                continue
            self.note(key, turn, attempt, "ok", decision.action, decision.message, None, reply.tokens)
            return decision
        self.note(key, turn, None, "fallback", None, None,
                  f"no valid answer in {self.spec.retries + 1} attempts: {self.spec.fallback.name} plays this turn", 0)
        return None

    def ask(self, request: dict[str, Any]) -> Reply:
        """One exchange, within the run's limits (a limit reached stops the run)."""
        limits, key = self.spec.limits, f"parties.{self.name}.strategy.limits"
        if limits.calls is not None and self.spent["calls"] >= limits.calls:
            raise LlmError(f"{key}.calls: the run's limit of {limits.calls} calls to {self.spec.model} is reached")
        reply = self.endpoint.ask(request)
        self.spent["calls"] += 1
        self.spent["tokens"] += reply.tokens
        self.spent["seconds"] += reply.seconds
        if limits.tokens is not None and self.spent["tokens"] > limits.tokens:
            raise LlmError(f"{key}.tokens: the run's limit of {limits.tokens} tokens is passed "
                           f"({self.spent['tokens']} used)")
        if limits.seconds is not None and self.spent["seconds"] > limits.seconds:
            raise LlmError(f"{key}.seconds: the run's limit of {limits.seconds:g} s waiting on "
                           f"{self.endpoint.url} is passed")
        return reply

    def check(self, decision: Decision, offer: int | None) -> Decision:
        """An offer must break none of its deal-breakers and be worth its
        reservation value; so must an offer it accepts."""
        if decision.action == "offer":
            assert decision.terms is not None
            outcome = self.outcome(decision.terms)
            if not self.allowed[outcome]:
                raise Invalid("the offer breaks a deal-breaker (or a rule between clauses)")
            if float(self.utility[outcome]) < self.floor() - EPS:
                raise Invalid(f"the offer is worth {self.utility[outcome]:.3f} to you, below {self.least()}")
        if decision.action == "accept" and offer is not None and float(self.utility[offer]) < self.floor() - EPS:
            raise Invalid(f"the offer on the table is worth {self.utility[offer]:.3f} to you, below {self.least()}")
        return decision

    def least(self) -> str:
        """What a deal must be worth to it, in the words of a correction (the protocol's test: ``floor``)."""
        if self.party.cost_of_delay is None:
            return f"your reservation value {self.reservation:.3f}"
        return f"{self.floor():.3f}, your reservation value once waiting is paid for"

    def note(self, key: str, turn: str, attempt: int | None, status: str, action: str | None, message: str | None,
             problem: str | None, tokens: int) -> None:
        self.model.record("llm", party=self.name, model=self.spec.model, prompt=key, turn=turn, attempt=attempt,
                          status=status, action=action, message=message, problem=problem, tokens=tokens)

    def outcome(self, terms: tuple[tuple[str, str], ...]) -> int:
        space = self.model.space
        labels = dict(terms)
        return space.index_of([[option_label(o) for o in c.options].index(labels[c.name]) for c in space.clauses])

    # -- what it knows ---------------------------------------------------------------------
    def situation(self, offer: int | None) -> Situation:
        """This turn's :class:`Situation`, from its state and the log so far."""
        model, prefs = self.model, self.preferences
        clauses = tuple(ClauseView(c.name, round(prefs.weights.get(c.name, 0.0), 3),
                                   tuple(option_label(o) for o in c.options),
                                   tuple(prefs.values.get(c.name, (0.0,) * len(c.options))),
                                   None if c.status_quo is None else option_label(c.status_quo))
                        for c in model.space.clauses)
        breakers = tuple(f"{c.clause} must be one of "
                         f"{', '.join(option_label(o) for o, ok in zip(self.clause(c.clause).options, c.allowed) if ok)}"
                         for c in prefs.constraints)
        offers = [self.offer_view(r) for r in model.log.records if r["type"] == "offer"]
        on_table = offers[-1] if offer is not None and offers else None
        events = [f"{r['date']}: {r.get('text') or r['kind']}" for r in model.log.records if r["type"] == "event"
                  and (not r.get("changes") or self.name in (r.get("party"), *r["changes"]))]
        return Situation(self.name, tuple(b.name for b in self.opponents()), "answer" if offer is not None else "offer",
                         model.today, model.round, clauses, round(self.reservation, 3), breakers, self.deadlines(),
                         tuple(events[-SHOWN_EVENTS:]), tuple(offers[-SHOWN_OFFERS:]),
                         max(0, len(offers) - SHOWN_OFFERS), on_table, *self.delay_words())

    def delay_words(self) -> tuple[str | None, float | None]:
        """What waiting costs it, and the floor a deal today must reach (none without a cost of delay)."""
        from ..roles.bargainer import describe_delay

        delay = self.party.cost_of_delay
        return (None, None) if delay is None else (describe_delay(delay), round(self.floor(), 3))

    def clause(self, name: str) -> Any:
        return next(c for c in self.model.space.clauses if c.name == name)

    def offer_view(self, record: dict[str, Any]) -> OfferView:
        """An offer of the log, valued with its preferences of today (events may have moved them since)."""
        outcome = self.model.space.from_dict(record["outcome"])
        return OfferView(record["round"], record["date"], record["from"],
                         tuple((c, option_label(o)) for c, o in record["outcome"].items()),
                         round(float(self.utility[outcome]), 3))

    def deadlines(self) -> tuple[str, ...]:
        """The dates it knows: its own hard deadline (or the horizon it paces
        itself to), its soft deadlines and the conditions of money it holds."""
        out = [f"{self.deadline}: your own deadline; after it you walk away" if self.deadline is not None
               else f"{self.pace}: the date you pace your concessions to (no deadline of your own)"]
        out += [f"{s.on}: soft deadline; without a definitive agreement by then: {s.cost.describe()}"
                for s in self.party.soft_deadlines if s.on.isoformat() >= self.model.today]
        out += [f"{c.day}: {c.name}'s money depends on a definitive agreement by then"
                for c in self.model.conditions.values()
                if c.target == self.name and c.met is None and c.at_risk() > 0 and c.day.isoformat() >= self.model.today]
        return tuple(out)
