"""The round log as the model writes it: schema name, record order, rounding.

Every record is a flat JSON object with a ``type`` first; the model adds
them in the order things happen and :meth:`Recorder.text` renders one per
line. Utilities are rounded to ``DIGITS`` decimals and JSON is written with
fixed separators and no NaN, so the text depends only on the scenario and
the seed. The records and their fields are listed in docs/architecture.md;
:mod:`negotiation.runs.log` reads them back.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .model import NegotiationModel

SCHEMA = "negotiation.log/1"
SCHEMA_VERSION = 1
DIGITS = 6


def rounded(utilities: Mapping[str, float]) -> dict[str, float]:
    return {name: round(float(u), DIGITS) for name, u in utilities.items()}


def header(model: NegotiationModel) -> dict[str, Any]:
    """The header record's fields: the scenario, the seed, each party as its role describes it, the clauses and
    the calendar."""
    from ..roles import party_header

    spec, cal = model.spec, model.spec.calendar
    head = {
        "schema": SCHEMA,
        "scenario": spec.name,
        "seed": model.seed,
        "config_hash": spec.config_hash,
        "parties": [party_header(model, party) for party in spec.parties],
        "clauses": {c.name: list(c.options) for c in spec.clauses},
        "ordered": [c.name for c in spec.clauses if c.ordered],
        "calendar": {"start": cal.start.isoformat(), "round_days": cal.round_days,
                     "deadline": cal.deadline.isoformat(), "rounds": cal.n_rounds},
    }
    if spec.as_of is not None:  # this key and the next two only when the scenario has them
        head["as_of"] = spec.as_of.isoformat()
    if spec.links:
        head["links"] = [link.text for link in spec.links]
    if spec.ratification is not None:
        plan = spec.ratification
        head["ratification"] = {"sequence": [list(stage) for stage in plan.stages],
                                "definitive": list(plan.definitive) if plan.definitive is not None else None}
    return head


class Recorder:
    """Collects log records in order; the model appends, ``text()`` renders."""

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []

    def add(self, record_type: str, **fields: Any) -> dict[str, Any]:
        record = {"type": record_type, **fields}
        self.records.append(record)
        return record

    def text(self) -> str:
        return text(self.records)


def text(records: Iterable[Mapping[str, Any]]) -> str:
    """The log: one JSON record per line."""
    return "".join(dumps(r) + "\n" for r in records)


# json.dumps with these options builds an encoder per call; one encoder, built once, writes the same text
ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def dumps(record: Mapping[str, Any]) -> str:
    return ENCODER.encode(record)


def stage_dates(records: Iterable[Mapping[str, Any]], stage: str) -> list[str]:
    """The dates of the ``agreement`` records of ``stage`` (``tentative`` or
    ``definitive``), in log order."""
    return [r["date"] for r in records if r.get("type") == "agreement" and r.get("stage") == stage]
