"""A run replayed from its round log: records folded into per-round state.

The log is complete (every offer, answer, event and agreement with its round
and date: docs/architecture.md, "The round log"), so a replay never re-runs
the model: it reads ``log.jsonl`` (and ``summary.json`` beside it, for the
comparison with the real deal) and folds the records, in order, into rounds.
Each round holds the offers on the table, with the clauses each proposer
changed since its own previous offer (what a negotiator watches to read the
other side's concessions) and the answers they got; the calendar events; the
ratifiers' decisions; the agreements; and everyone's reservation value at the
round's end. ``replay_view`` turns this state into rich renderables; nothing
here prints.

``Replay.seen_by(party)`` keeps what one party did and saw, which is what a
party could have known under the stacked alternating offers protocol
(Aydoğan et al. 2017): the offers it made or answered, the answers to its
own offers, public events (a deadline, a review opening) and those that
moved its own reservation value, and the public outcomes (agreements,
ratifications, the end). Other parties' utilities and reservation values
(in the header too) are private and dropped.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import InputError
from ...runs.log import LogContents, read_log, read_summary


@dataclass(frozen=True)
class Response:
    """``party`` answered ``to``'s offer."""

    party: str
    to: str
    accept: bool


@dataclass(frozen=True)
class Offer:
    proposer: str
    outcome: Mapping[str, Any]
    utilities: Mapping[str, float]
    reservations: Mapping[str, float]
    changed: frozenset[str]  # clauses that differ from the proposer's previous offer
    first: bool  # the proposer's first offer: nothing to compare with
    responses: tuple[Response, ...] = ()


@dataclass(frozen=True)
class Event:
    """A calendar event: an outside offer, an investor's condition, a deadline, a review."""

    kind: str
    party: str | None
    text: str
    changes: Mapping[str, Mapping[str, Any]]  # {party: {"reservation": [old, new]}}
    date: str


@dataclass(frozen=True)
class Agreement:
    stage: str  # tentative (goes to the ratifiers) | definitive
    outcome: Mapping[str, Any]
    utilities: Mapping[str, float]
    date: str
    confirms: str | None = None  # date of the earlier tentative agreement on the same terms


@dataclass(frozen=True)
class Ratification:
    party: str
    decision: str  # approve | veto
    condition: str | None
    date: str
    votes: Mapping[str, Any] | None = None  # a body's vote: yes, no, threshold (seats)


@dataclass(frozen=True)
class End:
    result: str  # agreement | deadline | breakdown
    reason: str
    party: str | None  # who walked away, in a breakdown
    outcome: Mapping[str, Any] | None
    utilities: Mapping[str, float] | None
    date: str
    round: int


@dataclass(frozen=True)
class Other:
    """A record type this version does not know (schema 1 may grow): shown, not hidden."""

    kind: str
    fields: Mapping[str, Any]


Item = Offer | Response | Event | Agreement | Ratification | End | Other


@dataclass(frozen=True)
class Round:
    number: int
    date: str
    items: tuple[Item, ...]
    reservations: Mapping[str, float]  # at the end of the round

    @property
    def offers(self) -> list[Offer]:
        return [i for i in self.items if isinstance(i, Offer)]


@dataclass(frozen=True)
class Replay:
    path: Path
    header: Mapping[str, Any]
    rounds: tuple[Round, ...]
    end: End | None
    problem: str | None  # how a truncated log ends, from ``read_log``
    summary: Mapping[str, Any] | None = None
    viewer: str | None = None  # the party whose view this is, after ``seen_by``
    all_rounds: tuple[int, ...] = ()  # round numbers in the whole log, kept through ``seen_by``

    @functools.cached_property
    def parties(self) -> list[str]:
        """Parties named in the header, then any other party the records name."""
        names = [p["name"] for p in self.header.get("parties", []) if isinstance(p, Mapping) and "name" in p]
        for rnd in self.rounds:
            for item in rnd.items:
                for name in (getattr(item, "proposer", None), getattr(item, "party", None)):
                    if isinstance(name, str) and name not in names:
                        names.append(name)
        return names

    @property
    def span(self) -> tuple[int, int]:
        """First and last round the log holds."""
        return (min(self.all_rounds), max(self.all_rounds)) if self.all_rounds else (0, 0)

    def party_info(self, name: str) -> Mapping[str, Any]:
        return next((p for p in self.header.get("parties", []) if p.get("name") == name), {})

    def between(self, first: int, last: int) -> list[Round]:
        return [r for r in self.rounds if first <= r.number <= last]

    def seen_by(self, party: str) -> Replay:
        """What ``party`` did and saw (see the module docstring)."""
        if party not in self.parties:
            raise InputError("party", party, f"one of the run's parties expected: {', '.join(self.parties)}")
        rounds = []
        for rnd in self.rounds:
            items = [seen for item in rnd.items if (seen := visible(item, party)) is not None]
            rounds.append(Round(rnd.number, rnd.date, tuple(items), only(rnd.reservations, party)))
        end = visible(self.end, party) if self.end else None
        header = {**self.header, "parties": [private_header(p, party) for p in self.header.get("parties", [])]}
        return dataclasses.replace(self, header=header, rounds=tuple(rounds), end=end,  # type: ignore[arg-type]
                                   viewer=party)

    def concession(self, last: int | None = None) -> dict[str, np.ndarray]:
        """Per party, the utility to itself of its own offers, one value per
        round from the first round to ``last`` (NaN: no offer that round).
        From one party's view: its own offers, and the best offer it received."""
        first = self.span[0]
        last = self.span[1] if last is None else last
        n = max(0, last - first + 1)
        names = [self.viewer] if self.viewer else self.parties
        series = {name: np.full(n, np.nan) for name in names}
        received = np.full(n, np.nan)
        for rnd in self.between(first, last):
            k = rnd.number - first
            for offer in rnd.offers:
                if offer.proposer in series and offer.proposer in offer.utilities:
                    series[offer.proposer][k] = offer.utilities[offer.proposer]
                elif self.viewer and self.viewer in offer.utilities:
                    received[k] = np.fmax(received[k], offer.utilities[self.viewer])
        series = {name: s for name, s in series.items() if not np.isnan(s).all()}
        if self.viewer and not np.isnan(received).all():
            series["best offer received"] = received
        return series


def private_header(entry: Any, party: str) -> Any:
    """A header's party entry as ``party`` sees it: another bargainer's
    reservation value is its own private utility, so it is dropped."""
    if not isinstance(entry, Mapping) or entry.get("name") == party:
        return entry
    return {k: v for k, v in entry.items() if k != "reservation"}


def only(mapping: Mapping[str, Any] | None, party: str) -> dict[str, Any]:
    return {k: v for k, v in (mapping or {}).items() if k == party}


def visible(item: Item, party: str) -> Item | None:
    """``item`` as ``party`` saw it, or None if it did not see it."""
    if isinstance(item, Offer):
        answered = any(r.party == party for r in item.responses)
        if item.proposer != party and not answered:
            return None
        responses = item.responses if item.proposer == party else tuple(r for r in item.responses if r.party == party)
        return dataclasses.replace(item, utilities=only(item.utilities, party),
                                   reservations=only(item.reservations, party), responses=responses)
    if isinstance(item, Response):
        return item if party in (item.party, item.to) else None
    if isinstance(item, Event):
        # An event that moves reservation values is private to whoever caused
        # it and whoever it moved; one that moves none (a deadline, a review) is public.
        return item if not item.changes or party in (item.party, *item.changes) else None
    if isinstance(item, Agreement | End):
        return dataclasses.replace(item, utilities=only(item.utilities, party) if item.utilities else item.utilities)
    return item


# -- reading and folding ------------------------------------------------------------

def load_replay(run: str | Path) -> Replay:
    """Read a run folder or ``log.jsonl`` (InputError if it is corrupt or
    newer than this version) and fold it; a truncated log folds up to its
    last complete record and keeps the reason in ``problem``."""
    contents = read_log(run)
    return fold(contents, same_run_summary(contents.path.parent / "summary.json", contents.header))


def same_run_summary(path: Path, header: Mapping[str, Any]) -> dict[str, Any] | None:
    """``summary.json`` beside the log, if it belongs to the same run (same
    scenario, seed and config hash); None when absent or another run's."""
    summary = read_summary(path)
    same = summary is not None and all(summary.get(k) == header.get(k) for k in ("scenario", "seed", "config_hash"))
    return summary if same else None


def fold(contents: LogContents, summary: Mapping[str, Any] | None = None) -> Replay:
    """Fold the records, in log order, into rounds. Records are grouped by
    their ``round``; one that names an earlier round than the record before it
    stays with the later round, so nothing is shown out of order."""
    groups: list[tuple[int, list[tuple[str, dict[str, Any]]]]] = []
    for line, record in enumerate(contents.records[1:], start=2):
        where = f"{contents.path}:{line}"
        number = need(record, "round", int, where)
        need(record, "date", str, where)
        if not groups or number > groups[-1][0]:
            groups.append((number, []))
        groups[-1][1].append((where, record))
    header = contents.header
    reservations: dict[str, float] = {p["name"]: p["reservation"] for p in header.get("parties", [])
                                      if isinstance(p, Mapping) and "name" in p and "reservation" in p}
    last_offer: dict[str, Mapping[str, Any]] = {}
    rounds: list[Round] = []
    end: End | None = None
    tentative: Agreement | None = None
    for number, group in groups:
        items: list[Item] = []
        for where, record in group:
            item = parse(record, where)
            if isinstance(item, Offer):
                previous = last_offer.get(item.proposer)
                changed = frozenset(c for c, v in item.outcome.items() if previous and previous.get(c) != v)
                item = dataclasses.replace(item, changed=changed, first=previous is None)
                last_offer[item.proposer] = item.outcome
                reservations.update(item.reservations)
            elif isinstance(item, Response) and attach(items, item):
                continue
            elif isinstance(item, Event):
                reservations.update(moved_reservations(item))
            elif isinstance(item, Agreement):
                if tentative is not None and item.stage != "tentative" and tentative.outcome == item.outcome:
                    item = dataclasses.replace(item, confirms=tentative.date)
                tentative = item if item.stage == "tentative" else tentative
            elif isinstance(item, End):
                end = item
            items.append(item)
        rounds.append(Round(number, round_date(number, group, header), tuple(items), dict(reservations)))
    numbers = tuple(r.number for r in rounds)
    return Replay(contents.path, header, tuple(rounds), end, contents.problem, summary, None, numbers)


def attach(items: list[Item], response: Response) -> bool:
    """Add ``response`` to the latest offer it answers in this round, if any."""
    for k in range(len(items) - 1, -1, -1):
        offer = items[k]
        if isinstance(offer, Offer) and offer.proposer == response.to:
            items[k] = dataclasses.replace(offer, responses=(*offer.responses, response))
            return True
    return False


def moved_reservations(event: Event) -> dict[str, float]:
    """New reservation values an event sets: ``changes: {party: {reservation: [old, new]}}``."""
    moved = {}
    for name, change in event.changes.items():
        rv = change.get("reservation") if isinstance(change, Mapping) else None
        if isinstance(rv, list | tuple) and len(rv) == 2 and isinstance(rv[1], int | float):
            moved[name] = float(rv[1])
    return moved


def round_date(number: int, group: list[tuple[str, dict[str, Any]]], header: Mapping[str, Any]) -> str:
    """The round's date as the log gives it: that of its offers; in a round
    without offers (a ratifier deciding, an event), that of its last record,
    when the round's business was done. Records dated earlier (an event
    between two rounds) keep their own date beside them. The calendar's
    nominal date is never substituted: a review decided the day it opened
    is shown on that day."""
    dated = [r["date"] for _, r in group if r.get("type") in ("offer", "response")]
    return dated[0] if dated else group[-1][1]["date"]


def need(record: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = record.get(key)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        names = " or ".join(t.__name__ for t in (kind if isinstance(kind, tuple) else (kind,)))
        kind_name = str(record.get("type"))
        article = "an" if kind_name[:1] in "aeiou" else "a"
        raise InputError(where, key, f"{article} {kind_name} record with {key} ({names}) expected")
    return value


def parse(r: Mapping[str, Any], where: str) -> Item:
    """One log record as a typed item; a record missing what its type needs
    is a corrupt line (InputError naming file:line and the key)."""
    kind = r.get("type")
    if kind == "offer":
        return Offer(need(r, "from", str, where), need(r, "outcome", dict, where), need(r, "utilities", dict, where),
                     r.get("reservations") or {}, frozenset(), True)
    if kind == "response":
        return Response(need(r, "party", str, where), need(r, "to", str, where), need(r, "accept", bool, where))
    if kind == "event":
        changes = r.get("changes") or {}
        return Event(need(r, "kind", str, where), r.get("party"), str(r.get("text") or ""),
                     changes if isinstance(changes, dict) else {}, r["date"])
    if kind == "agreement":
        return Agreement(str(r.get("stage") or "definitive"), need(r, "outcome", dict, where),
                         r.get("utilities") or {}, r["date"])
    if kind == "ratification":
        votes = r.get("votes")
        return Ratification(need(r, "party", str, where), need(r, "decision", str, where), r.get("condition"),
                            r["date"], votes if isinstance(votes, dict) else None)
    if kind == "end":
        return End(need(r, "result", str, where), str(r.get("reason") or ""), r.get("party"), r.get("outcome"),
                   r.get("utilities"), r["date"], r["round"])
    return Other(str(kind), {k: v for k, v in r.items() if k not in ("type", "round", "date")})


def check_range(replay: Replay, first: int | None, last: int | None,
                names: tuple[str, str] = ("--from", "--to")) -> tuple[int, int]:
    """The rounds to show, ``first``..``last`` (None: the log's own first or
    last round); InputError naming the option if one falls outside the log."""
    lo, hi = replay.span
    for option, value in zip(names, (first, last), strict=True):
        if value is not None and not replay.all_rounds:
            raise InputError(option, str(value), "no round to show: the log holds no rounds yet")
        if value is not None and not lo <= value <= hi:
            cut = "; the log is truncated" if replay.problem else ""
            raise InputError(option, str(value), f"a round from {lo} to {hi} expected (the log holds rounds "
                                                 f"{lo}–{hi}{cut})")
    a, b = lo if first is None else first, hi if last is None else last
    if a > b:
        raise InputError(names[0], str(a), f"a first round no later than the last ({b}) expected")
    return a, b
