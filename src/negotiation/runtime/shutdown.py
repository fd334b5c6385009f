"""A quick end for the ``negotiation`` command.

When a Python process ends, CPython clears the modules and runs the cyclic
garbage collector over everything left: here the modules, classes,
functions and schema objects that pydantic, typer and rich built, which are
all cycles. perf showed the collector at about an eighth of a
``negotiation validate`` process, most of it at that shutdown.
:func:`freeze_for_exit` moves every live object to the collector's permanent
generation (:func:`gc.freeze`) once the command has finished, so the process
ends without tracing them. Nothing is lost: files are written and closed by
then, ``atexit`` handlers still run, the standard streams are still flushed,
and Python never promised ``__del__`` for objects alive at exit (the
``object.__del__`` documentation). Only the command calls it; the library
leaves its host's collector alone.
"""

from __future__ import annotations

import gc


def freeze_for_exit() -> None:
    """Spare the shutdown's collector the objects alive now (call it last)."""
    gc.freeze()
