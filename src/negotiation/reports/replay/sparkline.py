"""Sparklines: a series drawn with Unicode block characters, one column per point.

A concession curve read at a glance: a Boulware bargainer's line stays high
and drops at the end, a Conceder's falls early (Faratin, Sierra & Jennings
1998). The scale is absolute (``lo``..``hi``, utilities in [0, 1]), not the
series' own min–max, so two parties' lines compare directly. Long series are
resampled to ``width`` columns by bucket means; gaps (NaN: the party made no
offer that round) stay blank.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

BLOCKS = " ▁▂▃▄▅▆▇█"  # 0 to 8 eighths of a cell


def resample(values: np.ndarray, width: int) -> np.ndarray:
    """Means of ``width`` consecutive buckets of ``values`` (NaN ignored; a
    bucket of NaN only stays NaN). Shorter series are returned as they are."""
    n = len(values)
    if n <= width:
        return values
    starts = np.linspace(0, n, width + 1).astype(int)[:-1]
    present = ~np.isnan(values)
    sums = np.add.reduceat(np.where(present, values, 0.0), starts)
    counts = np.add.reduceat(present.astype(int), starts)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)


def sparkline(values: Sequence[float] | np.ndarray, width: int | None = None, height: int = 1,
              lo: float = 0.0, hi: float = 1.0) -> list[str]:
    """The series as ``height`` rows of text, top row first.

    Each column is filled to ``(v - lo) / (hi - lo)`` of the chart's height,
    in eighths of a cell; a present value never draws as empty (at least one
    eighth), so a zero is told apart from a gap.
    """
    v = np.asarray(values, dtype=float)
    if width is not None:
        v = resample(v, max(1, width))
    gap = np.isnan(v)
    span = hi - lo if hi > lo else 1.0
    level = np.rint(np.clip((np.where(gap, lo, v) - lo) / span, 0.0, 1.0) * height * 8).astype(int)
    level = np.where(gap, 0, np.maximum(level, 1))
    glyphs = np.array(list(BLOCKS))
    rows = []
    for row in range(height - 1, -1, -1):
        cells = np.clip(level - row * 8, 0, 8)
        rows.append("".join(glyphs[cells]))
    return rows
