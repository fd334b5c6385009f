"""The ``negotiation`` command: one entry point, one subcommand per task.

This module is the entry point; the application and the options commands
share are in :mod:`.common`; each command lives in a module of its own job: :mod:`.run` (run,
compare), :mod:`.scenario` (validate, schema), :mod:`.replay`,
:mod:`.analyze`, :mod:`.genius` (import-genius), :mod:`.experiments` (the
commands that play many runs) and :mod:`.others` (tournament,
export-genius). A command parses its arguments, calls the package and prints.

Exit status: 0 success, 1 the simulation ran but something downstream failed,
2 bad input (one line naming file, key and what is expected; no traceback).

No ``from __future__ import annotations`` here or in the command modules: typer
reads every command's signature at each start, and string annotations cost it
11 ms of eval (4 % of a ``validate``). Names imported for type checking are quoted.
"""

from ..runtime import collector, lazy
from ..runtime.environment import command_defaults
from .common import app

# Each command module registers its commands on ``app`` (re-exported here), in this order (the order of ``--help``): one run
# (run, compare), one scenario (validate, schema), replay, analyze, import-genius; then many runs (sweep,
# montecarlo, whatif, backtest, bench, calibrate) and the rest (tournament, export-genius).
from . import run, scenario, replay, analyze, genius, experiments, others, calibrate  # noqa: F401


def main() -> None:
    """Entry point of the ``negotiation`` command and of ``python -m negotiation``."""
    command_defaults()  # before numpy or a validator: BLAS threads, pydantic plugins (runtime/environment.py)
    lazy.defer_mesa_extras()  # this process only: Mesa without pandas, SciPy, NetworkX (runtime/lazy.py)
    collector.pause()  # what start-up makes lives to the end: no collection meanwhile (runtime/collector.py)
    try:
        app(prog_name="negotiation")
    finally:
        collector.freeze_for_exit()  # the process ends here: a shutdown without the collector's pass
