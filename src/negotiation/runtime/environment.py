"""Environment variables the ``negotiation`` command sets for itself and the
worker processes it starts, each only if the user has not set it.

**One BLAS thread per process.** numpy's wheels link OpenBLAS, which starts a
pool of threads (one per core) when numpy is imported; they spin waiting for
work before they sleep. This simulator's numpy work is elementwise (utility
sums, masks, sorts: no matrix products large enough to split across
threads), and experiments run one worker process per core, where more BLAS
threads could only compete with the other workers for the cores. The
spinning alone cost a ``negotiation validate`` process about a fifth of its
CPU time on two cores. OpenBLAS (``OPENBLAS_NUM_THREADS``) and MKL
(``MKL_NUM_THREADS``) read their variable once, when the library loads, so
it is set before anything imports numpy; both fall back to
``OMP_NUM_THREADS``, so a user who set any of these three has chosen a
thread count, and nothing is changed.

**No pydantic plugins.** pydantic looks for plugins (observability hooks,
found through the ``pydantic`` entry-point group) by reading the metadata of
every installed distribution the first time it builds a validator: about
ten milliseconds with the ~140 distributions of this project's test
environment, more in a larger one, for plugins that would watch this
command's own scenario models. ``PYDANTIC_DISABLE_PLUGINS=1`` skips the
search (typer does the same while it builds its parameter validators);
setting the variable to anything else, even empty, keeps pydantic's own
behaviour (https://docs.pydantic.dev/latest/concepts/plugins/).

:func:`command_defaults` is called by the command (``cli.main``) before it
does anything else. The library (``import negotiation``) never calls it: a
library must not change its host program's environment.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
USER_CHOICES = (*BLAS_THREADS, "OMP_NUM_THREADS")
PLUGINS = "PYDANTIC_DISABLE_PLUGINS"


def command_defaults(environ: MutableMapping[str, str] = os.environ) -> None:
    """The command's defaults, each unless the user set it (see the module docstring)."""
    single_blas_thread(environ)
    environ.setdefault(PLUGINS, "1")


def single_blas_thread(environ: MutableMapping[str, str] = os.environ) -> None:
    """Default the BLAS libraries to one thread, unless a thread count is set."""
    if not any(name in environ for name in USER_CHOICES):
        for name in BLAS_THREADS:
            environ.setdefault(name, "1")
