"""The concession picture of a run: each bargainer's utility for its own
offers over the calendar, with its reservation value, the dated events and
the agreements. A Boulware party's line stays high and drops late; a
Conceder's falls early (Faratin et al. 1998); an outside offer or an
investor's commitment shows as a step in a reservation value.

Events of one day share one line and one label naming each party once
(three ratifiers opening their reviews on the same day used to print three
labels over one another); a label whose line is within about a week of the
previous one's, at this scale, goes to the other side of its line. Every
name is drawn through ``labels.label``.

Drawn from the log records alone, on a ``matplotlib.figure.Figure`` with the
Agg canvas (no pyplot state, no display), and returned as PNG bytes so the
run folder can be written atomically.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any

from .labels import label

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b")


def concession_png(records: Sequence[Mapping[str, Any]], comparison: Mapping[str, Any] | None = None,
                   real_dates: Mapping[str, str] | None = None, whole_calendar: bool = False,
                   size: tuple[float, float] = (10, 5.8)) -> bytes:
    """PNG bytes of the concession curves of the bargainers in ``records``;
    ``whole_calendar`` spans the x axis from the header's start to its
    deadline (a run still in progress, as the browser app shows it)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure

    header = records[0]
    day = dt.date.fromisoformat
    offers = [r for r in records if r.get("type") == "offer"]
    names = [p["name"] for p in header["parties"] if p.get("role") == "bargainer"]
    shown = {name: label(name) for name in names}
    fig = Figure(figsize=size, dpi=110, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for colour, name in zip(COLOURS, names):
        own = [o for o in offers if o["from"] == name]
        if own:
            ax.plot([day(o["date"]) for o in own], [o["utilities"][name] for o in own], "-", color=colour, lw=2,
                    label=f"{shown[name]}: its own offers")
        seen = [o for o in offers if name in o.get("reservations", {})]
        if seen:
            ax.step([day(o["date"]) for o in seen], [o["reservations"][name] for o in seen], where="post",
                    color=colour, ls=":", lw=1.5, label=f"{shown[name]}: reservation value")
        received = [o for o in offers if o["from"] != name and name in o["utilities"]]
        if received:
            ax.plot([day(o["date"]) for o in received], [o["utilities"][name] for o in received], ".",
                    color=colour, alpha=0.35, ms=4, label=f"{shown[name]}: offers it received")
    event_labels(ax, records, header)
    for r in records:
        if r.get("type") == "agreement":
            style = {"tentative": ("o", "white"), "definitive": ("o", "black")}[r["stage"]]
            for colour, name in zip(COLOURS, names):
                ax.plot(day(r["date"]), r["utilities"][name], style[0], mfc=style[1], mec=colour, ms=9, mew=2,
                        zorder=5)
    for text, date in (real_dates or {}).items():
        ax.axvline(day(date), color="black", lw=1.2, alpha=0.6, zorder=0)
        ax.annotate(label(text), (day(date), 0.02), rotation=90, fontsize=8, va="bottom", ha="right",
                    xycoords=("data", "axes fraction"))
    end = records[-1] if records[-1].get("type") == "end" else {}
    title = f"{label(header['scenario'])} · seed {header['seed']} · {end.get('result', 'incomplete')}"
    if comparison:
        title += f" · {comparison['matched']}/{comparison['total']} clauses as in the real deal"
    ax.set_title(title, fontsize=11)
    ax.set_ylabel("utility to the party")
    ax.set_ylim(0, 1.05)
    if whole_calendar:
        ax.set_xlim(day(header["calendar"]["start"]), day(header["calendar"]["deadline"]))
    locator = AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    ax.grid(alpha=0.25)
    ax.plot([], [], "o", mfc="white", mec="#555555", ms=8, mew=2, label="tentative agreement")
    ax.plot([], [], "o", mfc="black", mec="#555555", ms=8, mew=2, label="definitive agreement")
    fig.legend(fontsize=8, loc="outside lower center", ncols=4, frameon=False)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def event_labels(ax: Any, records: Sequence[Mapping[str, Any]], header: Mapping[str, Any]) -> None:
    """One dashed line per day with events (whatever moved the talks,
    whichever role logged it), labelled with the parties of that day's
    events, each once, in log order."""
    day = dt.date.fromisoformat
    by_day: dict[str, list[str]] = {}
    for r in records:
        if r.get("type") == "event":
            parties = by_day.setdefault(r["date"], [])
            if r["party"] not in parties:
                parties.append(r["party"])
    cal = header["calendar"]
    near = max(1.0, (day(cal["deadline"]) - day(cal["start"])).days / 100)  # about a label's width, in days
    previous: tuple[dt.date, str] | None = None
    for date, parties in by_day.items():
        when = day(date)
        side = "right"
        if previous is not None and (when - previous[0]).days < near:
            side = "left" if previous[1] == "right" else "right"
        ax.axvline(when, color="#999999", lw=0.8, ls="--", zorder=0)
        ax.annotate(label(", ".join(parties)), (when, 1.0), rotation=90, fontsize=7, color="#666666", va="top",
                    ha=side, xycoords=("data", "axes fraction"))
        previous = (when, side)
