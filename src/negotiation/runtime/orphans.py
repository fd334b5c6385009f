"""Helper processes that die with the process that started them.

An experiment's pool (``experiments/executors.py``) is a forkserver, which
the experiment's process starts, and workers forked from it. SIGKILL gives
the experiment no chance to stop them: the forkserver notices only once it
is idle (not while it imports the engine, a second or more on a busy
machine), and a worker only at its next look at its parent. On Linux,
prctl(2) ``PR_SET_PDEATHSIG`` asks the kernel to send a signal to a process
the moment its parent exits, so the whole pool goes with the experiment
within milliseconds.

The forkserver imports this module first (it heads ``PRELOAD``); the
experiment names itself in ``POOL_PARENT`` of the environment the
forkserver inherits, and only a process whose parent is that one (the
forkserver, never the experiment itself or anything else that imports this)
asks for the signal here. Workers ask for it in their initializer.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

POOL_PARENT = "NEGOTIATION_POOL_PARENT"
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent() -> bool:
    """SIGKILL this process when its parent exits (Linux); whether the kernel
    took the request. Elsewhere nothing happens (workers also watch their
    parent with a thread)."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):  # pragma: no cover - no C library to ask
        return False


@contextmanager
def pool_parent() -> Iterator[None]:
    """Around the start of a pool: the processes started within see this one
    named (see the module docstring); nothing started later inherits it.
    Only from the main thread: the kernel's signal follows the *thread* that
    started the forkserver, and a pool started by a thread that ends while
    another thread's pool uses the same forkserver would lose its workers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    os.environ[POOL_PARENT] = str(os.getpid())
    try:
        yield
    finally:
        os.environ.pop(POOL_PARENT, None)


def gone(pid: int) -> bool:
    """Whether ``pid`` has exited (a zombie, killed but not yet reaped, has)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # pragma: no cover - the pid was reused by another user's process
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rpartition(")")[2].split()[:1] == ["Z"]
    except OSError:
        return False  # no /proc: trust kill()


def _forkserver_start(named: str | None) -> None:
    """In the forkserver of an experiment's pool: die with the experiment, or
    at once if it was killed while this process was starting."""
    if named is None or not named.isdigit():
        return
    if named == str(os.getppid()):
        die_with_parent()
    if os.getppid() != int(named) and gone(int(named)):  # reparented: the experiment is already gone
        os._exit(1)


_forkserver_start(os.environ.get(POOL_PARENT))
