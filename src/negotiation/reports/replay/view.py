"""A replay on the terminal: ``Replay`` state → rich renderables, and the player.

Rendering is pure: every function here takes folded state and returns a
renderable, so tests render into a recording console and read the text. With
``plain=True`` (stdout is a pipe or a file) the same content comes without
frames or colour, and what colour alone said in a terminal is spelled out in
text (``*`` after a changed clause, ``<rv`` after a utility below the
reservation value), so ``| grep`` and ``> file`` keep all of it.

``play`` prints a replay, either at once or animated: each round is printed
into the scrollback while a live footer shows the concession curves growing,
so the whole history stays readable after the animation ends.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np
from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.table import Table
from rich.text import Text

from .grid import Frame, Grid, Heading
from .state import Agreement, End, Event, Item, Offer, Ratification, Replay, Response, Round
from ..summary import RESULT_STYLE, utilities_table, utility_bar
from ...domain.outcomes import option_label
from .sparkline import sparkline

ACCEPT, REJECT, VETO = "bold green", "bold red", "bold magenta"
CHANGED = "bold black on yellow"
EVENT = "bold yellow"
CHART_WIDTH = 60


def frame(title: str, body: RenderableType | Sequence[RenderableType], plain: bool,
          style: str = "blue") -> RenderableType:
    """A titled panel in a terminal; a heading line and the body when plain."""
    parts = list(body) if isinstance(body, list | tuple) else [body]
    if plain:
        return Group(Heading(title), *parts)
    return Frame(Text(title, style="bold"), parts, style)


def label(value: Any) -> str:
    return "—" if value is None else option_label(value)


def number(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


# -- the run ------------------------------------------------------------------------

def header_view(replay: Replay, plain: bool) -> RenderableType:
    h, cal = replay.header, replay.header.get("calendar", {})
    parts: list[RenderableType] = [Text(
        f"{cal.get('start', '?')} → {cal.get('deadline', '?')}: {cal.get('rounds', '?')} rounds "
        f"of {cal.get('round_days', '?')} days · log {replay.path}")]
    table = Table(box=None, pad_edge=False, show_edge=False)
    for column in ("bargainer", "strategy", "reservation", "deadline"):
        table.add_column(column, style="cyan" if column == "bargainer" else None, no_wrap=True,
                         justify="right" if column == "reservation" else "left")
    others: list[Text] = []
    shown = {"name", "role", "strategy", "reservation", "deadline"}
    for name in replay.parties:
        p = replay.party_info(name)
        rv = p.get("reservation")
        if p.get("role", "bargainer") == "bargainer":
            private = replay.viewer is not None and name != replay.viewer
            table.add_row(name, str(p.get("strategy", "")),
                          "private" if private else f"{rv:.3f}" if isinstance(rv, int | float) else "",
                          str(p.get("deadline") or "none"))
        elif not replay.viewer:  # what the others bring is the scenario's, not what one party saw
            details = " · ".join(f"{k.replace('_', ' ')} {detail(v)}" for k, v in p.items() if k not in shown)
            others.append(Text.assemble((name, "cyan"), f" ({p.get('role', '?')})", f": {details}" if details else ""))
    parts.append(table)
    parts += others
    if replay.viewer:
        parts.append(Text(f"as seen by {replay.viewer}: what it did and saw; other parties' utilities "
                          "and reservation values are private", style="bold"))
    marker = Text("value *", style=CHANGED) if plain else Text("value", style=CHANGED)
    parts.append(Text.assemble(marker, " changed since the party's previous offer · ",
                               "| in a bar: reservation value", " · <rv below it" if plain else "",
                               style="dim"))
    title = f"{h.get('scenario', '?')} · seed {h.get('seed', '?')} · config {h.get('config_hash', '?')}"
    return frame(title, Group(*parts), plain, "cyan")


def detail(value: Any) -> str:
    """A header value in a few words: ``{warranty: ">= one_year"}`` → ``warranty >= one_year``."""
    if isinstance(value, Mapping):
        return ", ".join(f"{k} {detail(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(detail(v) for v in value)
    return label(value)


# -- one round ----------------------------------------------------------------------

def round_view(rnd: Round, replay: Replay, plain: bool) -> RenderableType:
    offers = rnd.offers
    split = next((k for k, item in enumerate(rnd.items) if isinstance(item, Offer)), len(rnd.items))
    parts: list[RenderableType] = [note(i, rnd, plain) for i in rnd.items[:split]]
    if offers:
        parts.append(offers_table(offers, rnd, replay, plain))
    parts += [note(i, rnd, plain) for i in rnd.items[split:] if not isinstance(i, Offer)]
    if not parts:
        parts.append(Text(f"nothing {replay.viewer or 'anyone'} saw this round", style="dim"))
    return frame(f"round {rnd.number} · {rnd.date}", parts, plain)


def offers_table(offers: Sequence[Offer], rnd: Round, replay: Replay, plain: bool) -> Grid:
    """Clause by clause, one column per offer made this round; then each
    party's utility for it (bar, with its reservation value) and the answers."""
    header = [Text(""), *(Text(f"{offer.proposer} offers", style="bold") for offer in offers)]
    clauses = list(replay.header.get("clauses") or {}) or list(offers[0].outcome)
    rows = [[Text(clause, style="cyan"), *(clause_cell(o, clause, plain) for o in offers)] for clause in clauses]
    for party in (p for p in replay.parties if any(p in o.utilities for o in offers)):
        rv = rnd.reservations.get(party)
        name = Text.assemble((party, "cyan"), (f" rv {rv:.3f}" if rv is not None else "", "dim"))
        rows.append([name, *(utility_cell(o.utilities.get(party), o.reservations.get(party), plain)
                             for o in offers)])
    rows.append([Text("answers", style="cyan"),
                 *(Text("\n").join(answer(r, plain) for r in o.responses) if o.responses else Text("—", "dim")
                   for o in offers)])
    return Grid(header, rows, rule=not plain)


def clause_cell(offer: Offer, clause: str, plain: bool) -> Text:
    value = label(offer.outcome.get(clause))
    if clause in offer.changed:
        return Text(value + " *" if plain else value, style=CHANGED)
    return Text(value)


def utility_cell(u: float | None, rv: float | None, plain: bool) -> Text:
    if u is None:
        return Text("")
    below = " <rv" if plain and rv is not None and u < rv else ""
    return Text.assemble(f"{u:.3f} ", utility_bar(u, rv, width=10), below)


def answer(response: Response, plain: bool) -> Text:
    if response.accept:
        return Text(f"{response.party} ✓ accepts", style=ACCEPT)
    return Text(f"{response.party} ✗ rejects", style=REJECT)


def note(item: Item, rnd: Round, plain: bool) -> Text:
    """One line for anything that is not an offer; dated when its date is
    not the round's (an event between rounds, a ratifier's decision)."""
    day = getattr(item, "date", None)
    when = f" [{day}]" if day and day != rnd.date else ""
    if isinstance(item, Event):
        who = f" ({item.party})" if item.party else ""
        return Text.assemble(("⚑ ", EVENT), (item.kind.replace("_", " ") + who, EVENT), when, "  ",
                             item.text, changes_text(item.changes))
    if isinstance(item, Response):
        verdict = ("✓ accepts", ACCEPT) if item.accept else ("✗ rejects", REJECT)
        return Text.assemble((f"{item.party} {verdict[0]}", verdict[1]), f" {item.to}'s offer")
    if isinstance(item, Agreement):
        then = " — goes to the ratifiers" if item.stage == "tentative" else ""
        if any(o.outcome == item.outcome for o in rnd.offers):
            terms = ""
        elif item.confirms:
            terms = f" — the terms agreed tentatively on {item.confirms}"
        else:
            terms = "\n  " + terms_text(item.outcome)
        return Text.assemble(("◆ ", "bold green"), (f"{item.stage} agreement", "bold green"), when, then,
                             utilities_text(item.utilities), terms)
    if isinstance(item, Ratification):
        v = item.votes
        votes = f" ({v.get('yes')} of {v.get('yes', 0) + v.get('no', 0)} seats for, {v.get('threshold')} needed)" \
            if v else ""
        if item.decision == "approve":
            return Text.assemble((f"✓ {item.party} approves the agreement", ACCEPT), votes, when)
        if item.decision == "veto":
            condition = f" — condition: {item.condition}" if item.condition else ""
            return Text.assemble((f"✗ {item.party} vetoes the agreement", VETO), votes, when, condition)
        return Text.assemble((f"{item.party}: {item.decision}", "bold"), when)
    if isinstance(item, End):
        walked = f" ({item.party} walks away)" if item.party else ""
        return Text.assemble(("■ end: ", "bold"), (item.result.upper(), RESULT_STYLE.get(item.result, "bold")),
                             when, f" — {item.reason}{walked}")
    if getattr(item, "kind", None) == "llm":  # a language model's turn (engine/llm_party.py)
        return llm_note(item.fields)  # type: ignore[union-attr]
    return Text(f"· {item.kind}: {item.fields}", style="dim")  # type: ignore[union-attr]


def llm_note(f: Mapping[str, Any]) -> Text:
    """A language-model exchange: its one-line message, or what was wrong, or the fallback."""
    who = f"{f.get('party')} ({f.get('model')})"
    if f.get("status") == "ok":
        said = f" “{f['message']}”" if f.get("message") else ""
        return Text.assemble(("✉ ", "cyan"), (who, "cyan"), f" {str(f.get('action', '')).replace('_', ' ')}:", said)
    what = "falls back" if f.get("status") == "fallback" else f"invalid answer (attempt {f.get('attempt')})"
    return Text.assemble(("⚠ ", "yellow"), (f"{who} {what}", "yellow"), f": {f.get('problem') or ''}")


def changes_text(changes: Mapping[str, Mapping[str, Any]]) -> str:
    moves = []
    for party, change in changes.items():
        for key, value in (change.items() if isinstance(change, Mapping) else []):
            name = "rv" if key == "reservation" else key
            if isinstance(value, list | tuple) and len(value) == 2:
                moves.append(f"{party} {name} {number(value[0])} → {number(value[1])}")
            else:
                moves.append(f"{party} {name} {number(value)}")
    return f" ({'; '.join(moves)})" if moves else ""


def utilities_text(utilities: Mapping[str, float]) -> str:
    return "".join(f" · {p} {u:.3f}" for p, u in utilities.items())


def terms_text(outcome: Mapping[str, Any]) -> str:
    return ", ".join(f"{c}={label(v)}" for c, v in outcome.items())


# -- concession and ending -----------------------------------------------------------

def concession_view(replay: Replay, last: int | None, plain: bool, width: int = 80) -> RenderableType:
    """Each party's own offers, in its own utility, as a sparkline: a
    Boulware line holds high then drops late, a Conceder's falls early.
    ``width`` is the console's: the chart takes what the other columns leave."""
    series = replay.concession(last)
    first, end = replay.span[0], replay.span[1] if last is None else last
    whose = f"{replay.viewer}'s utility of its own offers and of the best it received" if replay.viewer \
        else "each party's utility of its own offers"
    title = f"Concession: {whose}, rounds {first}–{end}"
    if not series:
        return frame(title, Text("no offers yet", style="dim"), plain, "magenta")
    names = max(len(name) for name in series)
    room = max(10, min(CHART_WIDTH, width - names - 40 - (0 if plain else 4)))
    table = Table(box=None, pad_edge=False, show_edge=False)
    table.add_column("party", style="cyan", no_wrap=True)
    table.add_column("first", justify="right")
    table.add_column("offers →", no_wrap=True)
    table.add_column("last", justify="right")
    table.add_column("rv", justify="right", style="dim")
    table.add_column("by mid-run", justify="right")
    reservations = next((r.reservations for r in reversed(replay.rounds) if r.number <= end), {})
    for name, values in series.items():
        present = values[~np.isnan(values)]
        chart = "\n".join(sparkline(values, room, height=1 if plain else 2))
        rv = reservations.get(name)
        table.add_row(name, f"{present[0]:.3f}", Text(chart, style="magenta"), f"{present[-1]:.3f}",
                      f"{rv:.3f}" if rv is not None else "", half_time(present))
    legend = Text("by mid-run: share of its whole concession made in the first half of its offers "
                  "(low: Boulware, high: Conceder)", style="dim")
    return frame(title, Group(table, legend), plain, "magenta")


def half_time(present: np.ndarray) -> str:
    """How much of its total concession a party had made by the middle of
    its offers: low for Boulware, high for Conceder (Faratin et al. 1998)."""
    total = present[0] - present.min()
    if len(present) < 3 or total < 1e-9:
        return "—"
    return f"{(present[0] - present[: (len(present) + 1) // 2].min()) / total:.0%}"


def ending_view(replay: Replay, plain: bool) -> RenderableType | None:
    end = replay.end
    if end is None:
        return None
    summary = replay.summary or {}
    comparison = summary.get("comparison") if isinstance(summary.get("comparison"), Mapping) else None
    walked = f"; {end.party} walked away" if end.party else ""
    parts: list[RenderableType] = [Text.assemble(
        (end.result.upper(), RESULT_STYLE.get(end.result, "bold")),
        f" on {end.date} (round {end.round}) — {end.reason}{walked}")]
    stages = [(i, rnd.number) for rnd in replay.rounds for i in rnd.items if isinstance(i, Agreement)]
    if stages:
        parts.append(Text(" · ".join(f"{a.stage} agreement on {a.date} (round {number})" for a, number in stages)))
    table = outcome_table(end.outcome or {}, comparison, plain)
    if table is not None:
        parts.append(table)
    if end.utilities:
        reservations = replay.rounds[-1].reservations if replay.rounds else {}
        parts.append(utilities_table(end.utilities, reservations, plain))
    if comparison:
        parts.append(comparison_text(comparison))
    return frame("Ending", Group(*parts), plain, RESULT_STYLE.get(end.result, "white").split()[-1])


def outcome_table(outcome: Mapping[str, Any], comparison: Mapping[str, Any] | None, plain: bool) -> Table | None:
    clauses = comparison.get("clauses") if comparison else None
    if not outcome and not isinstance(clauses, Mapping):
        return None
    table = Table(box=None, pad_edge=False, show_edge=False, title="Terms", title_justify="left")
    table.add_column("clause", style="cyan", no_wrap=True)
    table.add_column("simulated", style="bold")
    if isinstance(clauses, Mapping):
        table.add_column("real deal")
        table.add_column("match")
        table.add_column("distance", justify="right")
        for clause, row in clauses.items():
            row = row if isinstance(row, Mapping) else {}
            match = Text("✓ same", style=ACCEPT) if row.get("match") else Text("✗ differs", style=REJECT)
            distance = row.get("distance")
            table.add_row(clause, label(row.get("simulated", outcome.get(clause))), label(row.get("real")), match,
                          "" if distance is None else str(distance))
    else:
        for clause, value in outcome.items():
            table.add_row(clause, label(value))
    return table


def comparison_text(comparison: Mapping[str, Any]) -> Text:
    bits = []
    if comparison.get("total"):
        bits.append(f"matches the real deal on {comparison.get('matched', 0)} of {comparison['total']} clauses")
    for stage in ("tentative", "definitive"):
        days = comparison.get(f"days_off_{stage}")
        if isinstance(days, int):
            bits.append(f"{stage} {days:+d} days from the real date")
    if isinstance(comparison.get("score"), int | float):
        bits.append(f"score {comparison['score']:.2f}")
    truth = f" (truth: {comparison['truth']})" if comparison.get("truth") else ""
    return Text(" · ".join(bits) + truth, style="bold")


# -- the whole replay -----------------------------------------------------------------

def renderables(replay: Replay, first: int, last: int, plain: bool, width: int = 80) -> Iterator[RenderableType]:
    """Everything ``--no-animate`` prints, in order."""
    yield header_view(replay, plain)
    for rnd in rounds_to_show(replay, first, last):
        yield round_view(rnd, replay, plain)
    yield from closing(replay, last, plain, width)


def rounds_to_show(replay: Replay, first: int, last: int) -> list[Round]:
    """The rounds in range; from one party's view, those it saw something in
    (a lone asked-for round is shown even if empty, to say so)."""
    rounds = replay.between(first, last)
    if replay.viewer and first != last:
        rounds = [r for r in rounds if r.items]
    return rounds


def closing(replay: Replay, last: int, plain: bool, width: int = 80) -> Iterator[RenderableType]:
    yield concession_view(replay, last, plain, width)
    if last == replay.span[1]:
        ending = ending_view(replay, plain)
        if ending is not None:
            yield ending


def play(replay: Replay, console: Console, first: int, last: int, animate: bool, speed: float,
         sleep: Callable[[float], None] = time.sleep) -> None:
    """Print the replay; animated, one round every ``speed`` seconds."""
    plain = not console.is_terminal
    if not animate:
        for renderable in renderables(replay, first, last, plain, console.width):
            console.print(renderable, crop=False)  # sized to the width already; cropping costs a pass
        return
    console.print(header_view(replay, plain))
    rounds = rounds_to_show(replay, first, last)
    with Live(console=console, auto_refresh=False, transient=True) as live:
        for k, rnd in enumerate(rounds, start=1):
            live.console.print(round_view(rnd, replay, plain))
            progress = Text(f"round {rnd.number} · {rnd.date} · {k} of {len(rounds)} shown · Ctrl-C stops",
                            style="dim")
            live.update(Group(concession_view(replay, rnd.number, plain, console.width), progress), refresh=True)
            sleep(speed)
    for renderable in closing(replay, last, plain, console.width):
        console.print(renderable)
