"""The application service: what the three front doors (``cli/``, ``api/``,
``viz/``) ask of the package, in one place and in domain terms.

- :mod:`.scenarios`: read a scenario (values and overlays as data), change
  one in memory, and its real deal (the front doors' one way to ``truth:``);
- :mod:`.runs`: play one run (with its comparison when the scenario names
  a real deal) and write its folder;
- :mod:`.compare`: a run, or a run folder, against the real deal: the
  scenario's own, or one given; a clear error when there is none;
- :mod:`.experiments`: Monte Carlo, sweep, what-if, tournament and backtest
  designs built on a :class:`~negotiation.domain.scenario.Scenario` in memory;
- :mod:`.execution`: those experiments (and calibration) run, their folder
  completed and summarised, for every front door: a ``Result`` the CLI
  prints and the API turns into DataFrames.

Errors are :class:`~negotiation.errors.InputError` naming the service's
parameters (``runs``, ``sets``; in a message's text as `` `runs` ``), as do
the layers under it; the API passes them on as they are, the CLI shows them
as its flags (``cli/flags.py``). Nothing here imports typer,
rich consoles, Mesa or numpy at import time: each front door pays only for
what it calls.
"""
