"""How large an outcome space this machine can enumerate, decided up front.

The engine enumerates the outcome space (every complete agreement) and keeps,
per bargainer, a float64 utility array, allowed masks and an opponent model's
estimates, plus the option-index grid (one byte per clause and outcome) and
the temporaries of each round. A space too large for memory would be
accepted, then swap or die half-way with a numpy ``_ArrayMemoryError``; it is
refused while the scenario is read instead, naming the size, the estimate and
how to reduce it. The limit is half the memory available when the scenario
is read (``MemAvailable`` on Linux, the physical memory elsewhere).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

BYTES_PER_BARGAINER = 32  # utility (8) + estimated opponent utility (8) + masks and temporaries (16)
BYTES_FIXED = 16  # the outcome's index and sorting temporaries
SHARE_OF_MEMORY = 0.5
FALLBACK_MEMORY = 2 * 1024**3  # when the platform does not say


def available_memory() -> int:
    """Bytes of memory available to a new allocation, as the OS reports it."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return FALLBACK_MEMORY


def bytes_per_outcome(n_clauses: int, n_bargainers: int) -> int:
    return n_clauses + BYTES_FIXED + BYTES_PER_BARGAINER * max(2, n_bargainers)


def space_problem(shape: tuple[int, ...], n_bargainers: int, memory: int | None = None) -> str | None:
    """None if the space fits, else what is wrong and how to fix it."""
    size = math.prod(shape)
    per = bytes_per_outcome(len(shape), n_bargainers)
    budget = int(SHARE_OF_MEMORY * (available_memory() if memory is None else memory))
    if size * per <= budget:
        return None
    limit = budget // per
    largest = sorted(shape, reverse=True)[:3]
    return (f"an outcome space of at most {limit:,} outcomes expected (half of the {_gb(2 * budget)} of memory "
            f"available, at about {per} bytes an outcome); these clauses make {size:,} outcomes "
            f"(≈ {_gb(size * per)}): drop clauses or options (the largest clauses have "
            f"{', '.join(map(str, largest))} options)")


def _gb(n: int) -> str:
    return f"{n / 1024**3:,.1f} GB" if n < 1024**6 else f"{n / 1024**3:.2e} GB"
