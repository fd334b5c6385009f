"""One BLAS thread per process, unless the user chose otherwise.

numpy's wheels link OpenBLAS, which starts a pool of threads (one per core)
when numpy is imported; they spin waiting for work before they sleep. This
simulator's numpy work is elementwise (utility sums, masks, sorts: no
matrix products large enough to split across threads), and experiments run
one worker process per core, where more BLAS threads could only compete
with the other workers for the cores. The spinning alone cost a
``negotiation validate`` process about a quarter of its CPU time on two
cores.

:func:`single_blas_thread` is called by the ``negotiation`` command before
anything imports numpy (``cli.main``): environment variables are read by
OpenBLAS (``OPENBLAS_NUM_THREADS``) and MKL (``MKL_NUM_THREADS``) once,
when the library loads, and are inherited by the worker processes the
command starts. Both libraries fall back to ``OMP_NUM_THREADS``, so a user
who set any of these variables has chosen a thread count, and nothing is
changed. The library (``import negotiation``) never calls it: a library
must not change its host program's environment.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
USER_CHOICES = (*BLAS_THREADS, "OMP_NUM_THREADS")


def single_blas_thread(environ: MutableMapping[str, str] = os.environ) -> None:
    """Default the BLAS libraries to one thread, unless a thread count is set."""
    if not any(name in environ for name in USER_CHOICES):
        for name in BLAS_THREADS:
            environ.setdefault(name, "1")
