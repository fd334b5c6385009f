"""PNG pictures of a bargaining analysis (matplotlib, no display needed).

The frontier is drawn in the utility plane of two chosen parties; with more
parties, frontier outcomes are coloured by a third party's utility (the
projection of a many-party frontier is a cloud, not a curve). Figures are
built on ``matplotlib.figure.Figure`` with the Agg canvas, never pyplot, so
nothing global changes and it works in any process. A PNG draws every
outcome, so it needs the exhaustive analysis (``Analysis.exhaustive``, which
a space searched clause by clause does not make).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from .report import TITLES, ScenarioAnalysis
from ..labels import label
from ...errors import InputError
from ...runs.output import PNG_SOFTWARE

MAX_CLOUD = 60_000  # background outcomes drawn; more only blur into the same grey
MARKERS = {"nash": ("*", "#d62728", 260), "kalai_smorodinsky": ("D", "#9467bd", 110),
           "utilitarian": ("s", "#2ca02c", 110), "egalitarian": ("^", "#ff7f0e", 130)}
PLACED = {"run": ("X", "#1f77b4", 170), "real_deal": ("P", "#000000", 190)}


def pick_parties(sa: ScenarioAnalysis, x: str | None, y: str | None, colour: str | None) -> tuple[int, int, int | None]:
    """Column indices of the x, y and colour parties (defaults: the first ones)."""
    names = list(sa.parties)

    def find(name: str, option: str) -> int:
        if name not in names:
            raise InputError(option, name, f"a party with preferences expected ({', '.join(names)})")
        return names.index(name)

    ix = find(x, "x") if x else 0
    iy = find(y, "y") if y else next(i for i in range(len(names)) if i != ix)
    if ix == iy:
        raise InputError("y", names[iy], "a party other than the `x` party expected")
    rest = [i for i in range(len(names)) if i not in (ix, iy)]
    ic = find(colour, "colour") if colour else (rest[0] if rest else None)
    return ix, iy, ic


def frontier_png(sa: ScenarioAnalysis, x: str | None = None, y: str | None = None,
                 colour: str | None = None) -> bytes:
    """Two panels, the whole utility plane and a zoom on the rational part
    where the points crowd together; the PNG's bytes, signed ``Software:
    negotiation`` so that a later ``analyze --png`` knows it may replace it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    ix, iy, ic = pick_parties(sa, x, y, colour)
    r, names = sa.result.exhaustive, sa.parties
    fig = Figure(figsize=(13, 7.6), dpi=120, layout="constrained")
    FigureCanvasAgg(fig)
    whole, zoom = fig.subplots(1, 2)
    dots = None
    for ax in (whole, zoom):
        dots = _draw(ax, sa, ix, iy, ic)
    whole.set_xlim(-0.02, 1.04)
    whole.set_ylim(-0.02, 1.04)
    whole.set_title("whole outcome space", fontsize=10)
    bounds = _zoom_bounds(sa, ix, iy)
    if bounds is not None:
        zoom.set_xlim(bounds[0], bounds[1])
        zoom.set_ylim(bounds[2], bounds[3])
        zoom.set_title("zoom on the rational region (everyone at or above its reservation value)", fontsize=10)
    else:  # nothing rational to zoom on: say so where the zoom would be
        zoom.clear()
        zoom.axis("off")
        zoom.text(0.5, 0.5, "No allowed outcome gives every party its reservation value:\nno agreement is rational.",
                  ha="center", va="center", fontsize=12, color="#d62728", transform=zoom.transAxes)
    for ax in (whole, zoom) if bounds is not None else (whole,):
        ax.set_xlabel(f"utility of {label(names[ix])}")
        ax.set_ylabel(f"utility of {label(names[iy])}")
        ax.grid(True, color="#eeeeee", lw=0.6)
    if ic is not None and dots is not None:
        bar = fig.colorbar(dots, ax=[whole, zoom], shrink=0.8, label=f"utility of {label(names[ic])}")
        bar.ax.axhline(r.reservations[ic], color="#d62728", lw=2)
        bar.ax.text(-0.3, r.reservations[ic], "reservation", color="#d62728", fontsize=8, rotation=90,
                    ha="right", va="center", transform=bar.ax.get_yaxis_transform())
    fig.suptitle(f"{label(sa.scenario.name)}: Pareto frontier and bargaining points — {r.utilities.shape[0]:,} outcomes, "
                 f"{int(r.allowed.sum()):,} allowed by every party", fontsize=12)

    handles = [Line2D([], [], ls="", marker="o", ms=5, color="#b8b8b8", label="allowed outcome")]
    if not r.allowed.all():
        handles.append(Line2D([], [], ls="", marker="o", ms=5, color="#e8b4b4", label="ruled out by a constraint"))
    handles += [Line2D([], [], ls="-" if ic is None else "", marker="o", ms=5, color="#1f3b73",
                       label=f"Pareto frontier, rational ({r.rational_pareto.size:,})"),
               Line2D([], [], ls="", marker="o", ms=5, mfc="white", color="#1f3b73",
                      label=f"Pareto frontier, below a reservation value ({r.pareto.size - r.rational_pareto.size:,})"),
               Line2D([], [], ls="--", color="#777777", label="reservation values")]
    if r.kalai_smorodinsky is not None:
        handles.append(Line2D([], [], ls=":", color=MARKERS["kalai_smorodinsky"][1],
                              label="disagreement → ideal point"))
    U = r.utilities
    for name, index in r.points.items():
        if index is not None:
            marker, color, size = MARKERS[name]
            handles.append(Line2D([], [], ls="", marker=marker, ms=size ** 0.5, color=color,
                                  label=f"{TITLES[name]} ({U[index, ix]:.3f}, {U[index, iy]:.3f})"))
    for p in sa.placed:
        if p.outcome is not None:
            marker, color, size = PLACED[p.key]
            handles.append(Line2D([], [], ls="", marker=marker, ms=size ** 0.5, color=color,
                                  label=f"{p.label} ({U[p.outcome, ix]:.3f}, {U[p.outcome, iy]:.3f})"))
    fig.legend(handles=handles, loc="outside lower center", ncol=4, fontsize=9, frameon=False)

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": PNG_SOFTWARE})
    return buffer.getvalue()


def _zoom_bounds(sa: ScenarioAnalysis, ix: int, iy: int) -> tuple[float, float, float, float] | None:
    """A square window around the rational frontier and every marked point."""
    r = sa.result.exhaustive
    rows = list(r.rational_pareto) + [i for i in r.points.values() if i is not None]
    rows += [p.outcome for p in sa.placed if p.outcome is not None]
    if not rows:
        return None
    xs = np.r_[r.utilities[rows, ix], r.reservations[ix]]
    ys = np.r_[r.utilities[rows, iy], r.reservations[iy]]
    side = max(xs.max() - xs.min(), ys.max() - ys.min(), 0.05) * 1.1
    cx, cy = (xs.max() + xs.min()) / 2, (ys.max() + ys.min()) / 2
    return cx - side / 2, cx + side / 2, cy - side / 2, cy + side / 2


def _draw(ax, sa: ScenarioAnalysis, ix: int, iy: int, ic: int | None):  # noqa: ANN001, ANN202 (matplotlib types)
    r, U = sa.result.exhaustive, sa.result.exhaustive.utilities
    for mask, color in ((~r.allowed, "#e8b4b4"), (r.allowed, "#b8b8b8")):
        rows = np.flatnonzero(mask)
        if rows.size:
            rows = rows[:: max(1, rows.size // MAX_CLOUD)]
            ax.scatter(U[rows, ix], U[rows, iy], s=4, alpha=0.35, linewidths=0, color=color, rasterized=True)
    rx, ry = r.reservations[ix], r.reservations[iy]
    ax.axvspan(-1, rx, color="#f3f3f3", zorder=0)
    ax.axhspan(-1, ry, color="#f3f3f3", zorder=0)
    ax.axvline(rx, color="#777777", ls="--", lw=1)
    ax.axhline(ry, color="#777777", ls="--", lw=1)

    front, rational = r.pareto, r.rational_pareto
    below = np.setdiff1d(front, rational)
    dots = None
    if ic is None:  # two parties: the frontier is a staircase
        order = front[np.argsort(U[front, ix])]
        ax.plot(U[order, ix], U[order, iy], "-", color="#1f3b73", lw=1.1, zorder=3)
        ax.scatter(U[rational, ix], U[rational, iy], s=20, color="#1f3b73", zorder=4)
    else:  # many parties: a cloud, coloured by a third party
        dots = ax.scatter(U[rational, ix], U[rational, iy], s=22, c=U[rational, ic], cmap="viridis", vmin=0,
                          vmax=1, edgecolors="#1f3b73", linewidths=0.5, zorder=4)
    ax.scatter(U[below, ix], U[below, iy], s=20, facecolors="white", edgecolors="#1f3b73", linewidths=0.8, zorder=4)

    if r.kalai_smorodinsky is not None:  # the K–S segment, disagreement point → ideal point
        ideal = U[r.allowed & (U >= r.reservations).all(axis=1)].max(axis=0)
        ax.plot([rx, ideal[ix]], [ry, ideal[iy]], ":", color=MARKERS["kalai_smorodinsky"][1], lw=1.2, zorder=2)
    for name, index in r.points.items():
        if index is not None:
            marker, color, size = MARKERS[name]
            ax.scatter(U[index, ix], U[index, iy], marker=marker, s=size, color=color, edgecolors="white",
                       linewidths=0.8, zorder=6)
    for p in sa.placed:
        if p.outcome is not None:
            marker, color, size = PLACED[p.key]
            ax.scatter(U[p.outcome, ix], U[p.outcome, iy], marker=marker, s=size, color=color,
                       edgecolors="white", linewidths=0.8, zorder=7)
    ax.set_box_aspect(1)  # square panels; both panels show equal x and y ranges
    return dots
