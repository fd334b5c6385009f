"""The app's three views of a negotiation in progress, each a function of the
model that Mesa's SolaraViz re-renders after every step.

- the concession chart: each bargainer's utility for its own offers and the
  offers it received over the whole calendar, reservation values, dated
  events and agreements (the run folder's ``concessions.png``, drawn so far);
- the offers on the table, clause by clause: each bargainer's latest offer,
  changes since its previous one marked, the real deal beside them when the
  scenario names one;
- the utility plane of two bargainers: every allowed outcome (as a density),
  the Pareto frontier, the Nash point, the offers so far and the current
  ones, the agreement and the real deal.

Everything is read from the model's log records and the scenario (the
model is never stepped here). The plane's frontier and points are those of
``negotiation analyze`` for the scenario as the sliders set it, computed once
per model.
"""

from __future__ import annotations

import html
import io
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import solara

from ..domain.scenario import Scenario
from ..inputs.sources import Truth
from ..reports.concessions import COLOURS, concession_png
from ..reports.labels import label
from ..service.scenarios import truth
from .params import AppModel

SCATTER_LIMIT = 20_000  # allowed outcomes drawn one by one; more are drawn as a density


@lru_cache(maxsize=8)
def truth_of(scenario: Scenario) -> Truth | None:
    """The real deal the scenario names, read once per scenario (the model never sees it)."""
    return truth(scenario)


def offers_so_far(model: AppModel) -> list[Mapping[str, Any]]:
    return [r for r in model.log.records if r.get("type") == "offer"]


def status(model: AppModel) -> str:
    records = model.log.records
    end = records[-1] if records[-1].get("type") == "end" else None
    where = f"round {model.round} of {model.spec.calendar.n_rounds} · {model.date.isoformat()} · seed {model.seed}"
    if model.seed_problem:
        where += f" ({model.seed_problem})"
    if end is not None:
        return f"{where} · ended: {end['result']} ({end['reason']})"
    if model.tentative is not None:
        return f"{where} · tentative agreement under review"
    return where


# -- the concession chart ---------------------------------------------------------

def ConcessionChart(model: AppModel) -> None:
    truth = truth_of(model.spec)
    real = {f"real {stage}": str(date) for stage, date in
            (("tentative", truth.tentative_date), ("definitive", truth.definitive_date)) if date} if truth else {}
    png = concession_png(model.log.records, None, real, whole_calendar=True, size=(9, 4.6))
    with solara.Card("Concessions over the calendar", classes=["concession-chart"]):
        solara.Image(png, format="png", width="100%")


# -- the offers table ---------------------------------------------------------------

def offers_table_html(model: AppModel) -> str:
    """The latest offer of each bargainer, clause by clause (HTML)."""
    offers = offers_so_far(model)
    names = [b.name for b in model.bargainers]
    latest: dict[str, Mapping[str, Any]] = {}
    previous: dict[str, Mapping[str, Any]] = {}
    for offer in offers:
        if offer["from"] in latest:
            previous[offer["from"]] = latest[offer["from"]]
        latest[offer["from"]] = offer
    real_deal = truth_of(model.spec)
    truth = real_deal.by_clause if real_deal else None
    head = "".join(f"<th>{breakable(n)}</th>" for n in names) + ("<th>real deal</th>" if truth else "")
    rows = []
    for clause in model.spec.clauses:
        cells = []
        for name in names:
            offer = latest.get(name)
            value = offer["outcome"][clause.name] if offer else None
            changed = name in previous and previous[name]["outcome"][clause.name] != value
            text = "–" if value is None else breakable(str(value)) + (" *" if changed else "")
            cells.append(f"<td{' class=changed' if changed else ''}>{text}</td>")
        if truth:
            cells.append(f"<td class=real>{breakable(str(truth.get(clause.name, '–')))}</td>")
        rows.append(f"<tr><th>{breakable(clause.name)}</th>{''.join(cells)}</tr>")
    for party in names:
        cells = [f"<td>{latest[n]['utilities'][party]:.3f}</td>" if n in latest else "<td>–</td>" for n in names]
        rows.append(f"<tr class=utility><th>u({html.escape(party)})</th>{''.join(cells)}"
                    f"{'<td></td>' if truth else ''}</tr>")
    caption = html.escape(status(model)) + ("" if offers else " · no offers yet")
    # in a box that scrolls sideways: a column too wide for a narrow window is scrolled to, never hidden
    return (f"<div class=offers-scroll><table class=offers><caption>{caption}</caption>"
            f"<thead><tr><th>clause</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
            "<p style='font-size:80%'>* changed since the party's previous offer</p>")


def breakable(text: str) -> str:
    """``text`` escaped for HTML, with a line-break opportunity after each
    underscore, so long option names (openai_board_declares) wrap in a
    narrow column instead of widening the table."""
    return html.escape(text).replace("_", "_<wbr>")


def OffersTable(model: AppModel) -> None:
    with solara.Card("Offers on the table", classes=["offers-table"]):
        solara.HTML(tag="div", unsafe_innerHTML=offers_table_html(model))


# -- the utility plane ---------------------------------------------------------------

@lru_cache(maxsize=4)
def plane(scenario: Scenario) -> dict[str, Any]:
    """Utilities to the first two bargainers: ``U[outcome]`` (any outcome), the
    allowed outcomes to draw (None when the space is searched clause by
    clause: too many to draw), the frontier and the Nash point
    (``negotiation analyze``'s, exact whatever the space)."""
    from ..domain.spaces import space_for
    from ..reports.analysis.report import problem

    r = space_for(scenario.space).analyse(problem(scenario))
    every = r.exhaustive
    return {"parties": r.parties, "U": r.utilities, "rv": r.reservations,
            "cloud": None if every is None else every.utilities[every.allowed], "front": r.frontier,
            "nash": None if r.nash is None else r.utilities[r.nash]}


def plane_png(model: AppModel) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    p = plane(model.spec)
    parties, U = p["parties"], p["U"]
    i, j = 0, 1
    fig = Figure(figsize=(6.2, 5.4), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    cloud = p["cloud"]
    if cloud is None:
        ax.set_title("too many outcomes to draw them all: the frontier is exact", fontsize=9)
    elif len(cloud) <= SCATTER_LIMIT:
        ax.plot(cloud[:, i], cloud[:, j], ".", color="#aaaaaa", ms=3, label="allowed outcomes")
    else:  # a density: hundreds of thousands of dots would take seconds and hide one another
        counts, _, _ = np.histogram2d(cloud[:, i], cloud[:, j], bins=120, range=[[0, 1], [0, 1]])
        ax.imshow(np.log1p(counts.T), origin="lower", extent=(0, 1, 0, 1), cmap="Greys", alpha=0.55, aspect="auto")
    front = p["front"]
    order = np.argsort(front[:, i])
    ax.plot(front[order, i], front[order, j], "-", color="#555555", lw=1.2, label="Pareto frontier")
    ax.axvline(p["rv"][i], color=COLOURS[i], ls=":", lw=1)
    ax.axhline(p["rv"][j], color=COLOURS[j], ls=":", lw=1)
    if p["nash"] is not None:
        ax.plot(p["nash"][i], p["nash"][j], "*", color="gold", mec="black", ms=16, zorder=6, label="Nash point")
    space = model.spec.space
    offers = offers_so_far(model)
    for colour, name in zip(COLOURS, parties[:2]):
        own = np.array([U[space.from_dict(o["outcome"])] for o in offers if o["from"] == name])
        if len(own):
            ax.plot(own[:, i], own[:, j], ".", color=colour, alpha=0.3, ms=5)
            ax.plot(own[-1, i], own[-1, j], "o", color=colour, mec="black", ms=11, zorder=7,
                    label=f"{label(name)}'s current offer")
    if model.agreement is not None:
        deal = U[model.agreement]
        ax.plot(deal[i], deal[j], "s", mfc="none", mec="black", ms=15, mew=2, zorder=8, label="agreement")
    truth = truth_of(model.spec)
    if truth is not None and set(truth.by_clause) >= set(space.names):
        real = U[space.from_dict(truth.by_clause)]
        ax.plot(real[i], real[j], "X", color="#2ca02c", mec="black", ms=13, zorder=8, label="real deal")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(f"utility to {label(parties[i])}")
    ax.set_ylabel(f"utility to {label(parties[j])}")
    ax.legend(fontsize=8, loc="lower left")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def UtilityPlane(model: AppModel) -> None:
    with solara.Card("Utility plane", classes=["utility-plane"]):
        solara.Image(plane_png(model), format="png", width="100%")


VIEWS: Sequence[Any] = (ConcessionChart, OffersTable, UtilityPlane)

# The views flow in a grid of columns at least 560 px wide: one column under
# about 1500 px of window (the sidebar takes the rest), two above; each card
# is as tall as its content, so nothing hides under the next card.
LAYOUT_CSS = """
.negotiation-views { display: grid; gap: 16px; padding: 12px; align-items: start;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 560px), 1fr)); }
.negotiation-views .v-card { margin: 0 !important; min-width: 0; }
.negotiation-views .offers-scroll { overflow-x: auto; max-width: 100%; }
.negotiation-views table.offers th, .negotiation-views table.offers td { padding: 1px 6px; vertical-align: top; }
.negotiation-views .utility-plane img { max-width: 640px; }
"""


@solara.component
def Views(model: AppModel) -> None:
    """The three views, redrawn after every step (Mesa's ``update_counter``,
    which SolaraViz's controls bump), in the responsive grid above rather
    than Mesa's fixed-height draggable grid, whose cells cut the concession
    legend off and hid the table's last column."""
    from mesa.visualization.utils import update_counter

    update_counter.get()
    solara.Style(LAYOUT_CSS)
    with solara.Div(classes=["negotiation-views"]):
        for view in VIEWS:
            view(model)
