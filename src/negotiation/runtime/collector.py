"""The cyclic garbage collector around one ``negotiation`` command.

Almost everything a command makes while it starts lives until the process
ends: the modules, classes, functions and validators that pydantic, typer,
rich and the package build as they are imported, all of them cycles. The
collector cannot free any of it, yet it traced them about a hundred times
while a ``negotiation validate`` started (8 % of its CPU time), and once
more, the longest pass, at the interpreter's shutdown (another 10 %).

- :func:`pause`: the command starts with the collector off;
- :func:`resume`: a command that runs the model (one run or thousands) turns
  it back on before it starts, since runs do leave cycles behind (Mesa's
  model and its agents refer to each other); the commands that only read
  and print (validate, compare, schema, replay) keep it off to the end: a
  1,000-round replay, animated or not, peaks at the same memory either way;
- :func:`freeze_for_exit`: when the command is done, every object still
  alive is moved to the collector's permanent generation (:func:`gc.freeze`),
  so the shutdown does not trace them. Nothing is lost: files are written
  and closed by then, ``atexit`` handlers still run, the standard streams are
  still flushed, and Python never promised ``__del__`` for objects alive at
  exit (the ``object.__del__`` documentation).

Only the command calls these; the library leaves its host's collector alone.
"""

from __future__ import annotations

import gc


def pause() -> None:
    """No collection while the command starts."""
    gc.disable()


def resume() -> None:
    """Collect again: the command is about to make garbage that does not live to the end."""
    gc.enable()


def freeze_for_exit() -> None:
    """Spare the shutdown's collector the objects alive now (call it last)."""
    gc.freeze()
