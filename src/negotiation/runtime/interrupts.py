"""SIGTERM and SIGHUP stop a command the way Ctrl-C does.

``timeout``, systemd, docker and a closed terminal do not press Ctrl-C: they
send SIGTERM or SIGHUP, whose default action kills the process on the spot,
with no ``finally`` block run, no worker stopped and no summary written.
Inside :func:`stop_signals` both raise :class:`Terminated`, a
``KeyboardInterrupt``, so every path that handles Ctrl-C (experiments keep
their finished runs and write an interrupted summary; a run folder being
written is removed) handles them too. Once one has arrived, further ones are
ignored while the process winds down, as a second Ctrl-C would otherwise
cut the clean-up short.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

SIGNALS = tuple(s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None)


class Terminated(KeyboardInterrupt):
    """A stop signal other than SIGINT; ``signum`` says which."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def exit_code(exc: KeyboardInterrupt) -> int:
    """The shell's status for a process stopped by a signal: 128 + its number."""
    return 128 + (exc.signum if isinstance(exc, Terminated) else signal.SIGINT)


@contextmanager
def stop_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise :class:`Terminated` in the
    main thread (only it may handle signals; elsewhere this does nothing)."""
    def handler(signum: int, _frame: FrameType | None) -> None:
        for s in SIGNALS:
            signal.signal(s, signal.SIG_IGN)
        raise Terminated(signum)

    with _handling(SIGNALS, handler):
        yield


@contextmanager
def held() -> Iterator[None]:
    """Within the block (writing a summary: a second or so), stop signals
    wait: the files are written whole, then the signal takes effect."""
    caught: list[int] = []

    def handler(signum: int, _frame: FrameType | None) -> None:
        caught.append(signum)

    with _handling((signal.SIGINT, *SIGNALS), handler):
        yield
    if caught and caught[0] != signal.SIGINT:
        for s in SIGNALS:  # as stop_signals does: the process now winds down, undisturbed
            signal.signal(s, signal.SIG_IGN)
        raise Terminated(caught[0])
    if caught:
        raise KeyboardInterrupt()


@contextmanager
def _handling(signals: tuple[int, ...], handler: Callable[[int, FrameType | None], None]) -> Iterator[None]:
    """``handler`` for ``signals`` within the block, the previous handlers
    after it; in a thread other than the main one (which alone may handle
    signals) the block runs unchanged."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, handler) for s in signals}
    try:
        yield
    finally:
        for s, old in previous.items():
            signal.signal(s, old)
