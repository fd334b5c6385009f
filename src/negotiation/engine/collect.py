"""Mesa's DataCollector on the negotiation: one row per round.

Mesa users read a model through ``model.datacollector`` (Mesa docs,
"Collecting data": model reporters called once per step, then
``get_model_vars_dataframe()``). The reporters here only *read* what the
round left in the log and on the agents, so collecting changes nothing the
model does or records: the log stays the same byte for byte.

Per round (row 0 is the start, before any offer): ``round``, ``date``,
``tentative`` (a tentative agreement stands, awaiting ratification),
``result`` (the run's result in the row of its end, else None) and per
bargainer ``own.NAME`` (its utility for the offer it made this round),
``received.NAME`` (its utility for the latest offer another bargainer made
this round) and ``rv.NAME`` (its reservation value now). A utility is None
in a round where no such offer was made (the table is paused by a pending
tentative agreement, or the run ended first).

The last row is the end, in the round and on the date the log's ``end``
record gives: a run that a ratification ends between two rounds gets one row
more, for that round (the model moves there: ``NegotiationModel.agree``); a
run that reaches the calendar's end gets a row on the calendar's deadline,
in the last round.

Mesa's agent table (``get_agent_vars_dataframe()``, one row per agent and
round, indexed by step and agent id) holds each agent's ``name`` and
``kind`` (its class: ``Bargainer``, ``Ratifier``, a dated effect, …) and,
for a bargainer, the same ``own``, ``received`` and ``rv`` as the round
table's ``own.NAME``, ``received.NAME`` and ``rv.NAME`` (None for the other
agents, which make no offers and hold no reservation value).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .model import NegotiationModel


def round_offers(model: NegotiationModel) -> list[Mapping[str, Any]]:
    """This round's offer records, read back from the end of the log."""
    offers = []
    for record in reversed(model.log.records):
        if record.get("round", 0) < model.round or record["type"] == "header":
            break
        if record["type"] == "offer" and record["round"] == model.round:
            offers.append(record)
    return offers[::-1]


def own_offer(model: NegotiationModel, name: str) -> float | None:
    mine = [o for o in round_offers(model) if o["from"] == name]
    return mine[-1]["utilities"][name] if mine else None


def received_offer(model: NegotiationModel, name: str) -> float | None:
    theirs = [o for o in round_offers(model) if o["from"] != name]
    return theirs[-1]["utilities"][name] if theirs else None


def reservation(model: NegotiationModel, name: str) -> float:
    return model.reservations()[name]


def round_reporters(model: NegotiationModel) -> dict[str, Callable[[NegotiationModel], Any]]:
    """Model reporters for ``mesa.DataCollector``, bargainers in scenario order."""
    reporters: dict[str, Callable[[NegotiationModel], Any]] = {
        "round": partial(getattr_of, attr="round"),
        "date": date_of,
        "tentative": tentative_stands,
        "result": result_of,
    }
    for b in model.bargainers:
        reporters[f"own.{b.name}"] = partial(own_offer, name=b.name)
        reporters[f"received.{b.name}"] = partial(received_offer, name=b.name)
        reporters[f"rv.{b.name}"] = partial(reservation, name=b.name)
    return reporters


def getattr_of(model: NegotiationModel, attr: str) -> Any:
    return getattr(model, attr)


def date_of(model: NegotiationModel) -> str:
    return model.date.isoformat()


def tentative_stands(model: NegotiationModel) -> bool:
    return model.tentative is not None and model.result is None


def result_of(model: NegotiationModel) -> str | None:
    return None if model.result is None else str(model.result)


def agent_reporters() -> dict[str, Callable[[Any], Any]]:
    """Agent reporters for ``mesa.DataCollector`` (see the module docstring)."""
    return {"name": agent_name, "kind": agent_kind, "own": agent_own, "received": agent_received, "rv": agent_rv}


def agent_name(agent: Any) -> str | None:
    return getattr(agent, "name", None)


def agent_kind(agent: Any) -> str:
    return type(agent).__name__


def bargainer_name(agent: Any) -> str | None:
    return agent.name if any(b is agent for b in agent.model.bargainers) else None


def agent_own(agent: Any) -> float | None:
    name = bargainer_name(agent)
    return None if name is None else own_offer(agent.model, name)


def agent_received(agent: Any) -> float | None:
    name = bargainer_name(agent)
    return None if name is None else received_offer(agent.model, name)


def agent_rv(agent: Any) -> float | None:
    name = bargainer_name(agent)
    return None if name is None else reservation(agent.model, name)
