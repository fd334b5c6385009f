"""The log schema, checked record by record as a log is read.

A log is the only thing downstream reads (docs/architecture.md), and a run
folder may come from anywhere: every reader (``replay``, ``compare``,
``analyze --run``, the Python API) gets records that :func:`check` has
accepted, so none of them meets a header without ``clauses``, a ``clauses: 5``
or a string where a utility belongs. Names are checked against the header:
a record made by, answered by or giving a utility to a party the header does
not list, or naming a clause or option it does not list, means the header
lies about the run, and the log is refused, naming ``file:line`` and the key.

Fields not listed here are allowed (a newer minor version may add some);
the ones listed must have the type given.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..domain.outcomes import same_option
from ..errors import InputError
from ..inputs import values

STR, INT, BOOL, DICT, LIST = (str,), (int,), (bool,), (dict,), (list,)
OPT_STR = (str, type(None))
OPT_DICT = (dict, type(None))

# record type -> (required fields, optional fields), each field -> accepted types
FIELDS: dict[str, tuple[dict[str, tuple[type, ...]], dict[str, tuple[type, ...]]]] = {
    "offer": ({"from": STR, "outcome": DICT, "utilities": DICT}, {"reservations": OPT_DICT}),
    "response": ({"party": STR, "to": STR, "accept": BOOL}, {}),
    "event": ({"kind": STR}, {"party": OPT_STR, "text": OPT_STR, "changes": OPT_DICT}),
    "agreement": ({"outcome": DICT}, {"stage": STR, "utilities": OPT_DICT}),
    "ratification": ({"party": STR, "decision": STR}, {"condition": OPT_STR}),
    "llm": ({"party": STR, "model": STR, "prompt": STR, "status": STR},
            {"turn": STR, "action": OPT_STR, "message": OPT_STR, "problem": OPT_STR}),
    "end": ({"result": STR}, {"reason": OPT_STR, "party": OPT_STR, "outcome": OPT_DICT, "utilities": OPT_DICT}),
}
PARTY_FIELDS = {"offer": ("from",), "response": ("party", "to"), "event": ("party",), "ratification": ("party",),
                "end": ("party",), "llm": ("party",)}


@dataclass(frozen=True)
class Names:
    """What the header declares: the parties, and each clause's options."""

    parties: frozenset[str]
    clauses: Mapping[str, tuple[Any, ...]]


def _kind(value: Any) -> str:
    return values.kind(value)


def _fail(where: str, key: str, expected: str) -> InputError:
    return InputError(where, key, expected)


def _typed(record: Mapping[str, Any], key: str, types: tuple[type, ...], where: str, what: str) -> Any:
    value = record.get(key)
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
        names = " or ".join("null" if t is type(None) else t.__name__ for t in types)
        raise _fail(where, key, f"{what} with {key} ({names}) expected, got {_kind(value)}")
    return value


def check_header(header: Mapping[str, Any], where: str) -> Names:
    """The header's parties, clauses, ordered clauses and calendar, typed."""
    what = "a header record"
    for key in ("scenario", "config_hash"):
        _typed(header, key, STR, where, what)
    _typed(header, "seed", INT, where, what)
    parties = _typed(header, "parties", LIST, where, what)
    names: list[str] = []
    for i, party in enumerate(parties):
        if not isinstance(party, dict) or not isinstance(party.get("name"), str) or not party["name"]:
            raise _fail(where, f"parties.{i}", "a party {name, role, …} expected")
        if not isinstance(party.get("role"), str):
            raise _fail(where, f"parties.{i}.role", "a role (string) expected")
        if party["name"] in names:
            raise _fail(where, f"parties.{i}.name", f"distinct party names expected; {party['name']!r} repeats")
        reservation = party.get("reservation")
        if reservation is not None:
            _unit(reservation, where, f"parties.{i}.reservation")
        names.append(party["name"])
    clauses = _typed(header, "clauses", DICT, where, what)
    options: dict[str, tuple[Any, ...]] = {}
    for name, listed in clauses.items():
        if (not isinstance(listed, list) or not listed
                or not all(isinstance(o, str | int | float) and not isinstance(o, bool) for o in listed)
                or any(isinstance(o, float) and not math.isfinite(o) for o in listed)):
            raise _fail(where, f"clauses.{name}", "a non-empty list of option names or finite numbers expected")
        options[name] = tuple(listed)
    ordered = header.get("ordered", [])
    if not isinstance(ordered, list) or not all(isinstance(c, str) and c in options for c in ordered):
        raise _fail(where, "ordered", "a list of the header's clause names expected")
    calendar = header.get("calendar")
    if calendar is not None:
        if not isinstance(calendar, dict):
            raise _fail(where, "calendar", f"a mapping expected, got {_kind(calendar)}")
        for key in ("start", "deadline"):
            if key in calendar:
                _date(calendar[key], where, f"calendar.{key}")
        if "round_days" in calendar:
            _positive(calendar["round_days"], where, "calendar.round_days")
    return Names(frozenset(names), options)


def check(record: Mapping[str, Any], names: Names, where: str) -> None:
    """One record after the header: its type's fields, typed, naming only
    parties, clauses and options the header lists."""
    kind = record.get("type")
    if not isinstance(kind, str):
        raise _fail(where, "type", f"a record type (string) expected, got {_kind(kind)}")
    article = "an" if kind[:1] in "aeiou" else "a"
    what = f"{article} {kind} record"
    round_no = _typed(record, "round", INT, where, what)
    if round_no < 0:
        raise _fail(where, "round", f"a round number ≥ 0 expected, got {round_no}")
    _date(_typed(record, "date", STR, where, what), where, "date")
    required, optional = FIELDS.get(kind, ({}, {}))
    for key, types in required.items():
        _typed(record, key, types, where, what)
    for key, types in optional.items():
        if key in record:
            _typed(record, key, types, where, what)
    for key in PARTY_FIELDS.get(kind, ()):
        if record.get(key) is not None:
            _party(record[key], names, where, key)
    if isinstance(record.get("outcome"), dict):
        _outcome(record["outcome"], names, where, kind == "offer" or kind == "agreement")
    for key in ("utilities", "reservations"):
        if isinstance(record.get(key), dict):
            for party, value in record[key].items():
                _party(party, names, where, f"{key}.{party}")
                _unit(value, where, f"{key}.{party}")
    if kind == "event" and isinstance(record.get("changes"), dict):
        for party, change in record["changes"].items():
            _party(party, names, where, f"changes.{party}")
            if not isinstance(change, dict):
                raise _fail(where, f"changes.{party}", f"a mapping of changes expected, got {_kind(change)}")
            if "reservation" in change:
                pair = change["reservation"]
                if not isinstance(pair, list) or len(pair) != 2:
                    raise _fail(where, f"changes.{party}.reservation", "a pair [old, new] expected")
                for k, v in enumerate(pair):
                    _unit(v, where, f"changes.{party}.reservation.{k}")


def _party(name: Any, names: Names, where: str, key: str) -> None:
    if name not in names.parties:
        listed = ", ".join(sorted(names.parties)) or "none"
        raise _fail(where, key, f"a party listed in the header ({listed}) expected, got {name!r}")


def _outcome(outcome: Mapping[str, Any], names: Names, where: str, complete: bool) -> None:
    for clause, option in outcome.items():
        if clause not in names.clauses:
            raise _fail(where, f"outcome.{clause}", f"a clause listed in the header "
                                                    f"({', '.join(names.clauses)}) expected")
        listed = names.clauses[clause]
        if not any(same_option(option, o) for o in listed):
            raise _fail(where, f"outcome.{clause}", f"one of the header's options ({', '.join(map(str, listed))}) "
                                                    f"expected, got {option!r}")
    missing = [c for c in names.clauses if c not in outcome]
    if complete and missing:
        raise _fail(where, "outcome", f"an option for every clause expected; missing: {', '.join(missing)}")


def _unit(value: Any, where: str, key: str) -> float:
    """A utility or reservation value: the engine writes them in [0, 1]
    (normalised linear additive utilities, reservation values clipped), so
    anything else is a log edited by hand, refused before a bar is drawn."""
    try:
        return values.number(value, lo=0.0, hi=1.0)
    except ValueError as exc:
        raise _fail(where, key, str(exc)) from None


def _positive(value: Any, where: str, key: str) -> int:
    try:
        return values.days(value)
    except ValueError as exc:
        raise _fail(where, key, str(exc)) from None


def _date(value: Any, where: str, key: str) -> None:
    try:
        values.date(value)
    except ValueError as exc:
        raise _fail(where, key, str(exc)) from None
